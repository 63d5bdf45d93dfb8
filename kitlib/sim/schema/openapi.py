"""The API server's OpenAPI documents: ``/openapi/v3``, ``/openapi/v3/<gv>``, ``/openapi/v2``.

Each document is generated from the ``Schema`` and the catalog at most once per process
and kept with its serialised bytes and digest: the v3 index names every group-version
document by a hash of its content (``?hash=``), and clients cache documents by that hash,
so it must be stable for the same content.  Like kube-openapi, the digest is the
upper-case hex SHA-512 of the served JSON.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from kitlib.sim.registry.base import ResourceType
from kitlib.sim.schema import openapi_v2, openapi_v3
from kitlib.sim.schema.builder import load_schema

JSON = dict[str, Any]

#: What ``info.version`` says; the server passes its own ``gitVersion``.
DEFAULT_SERVER_VERSION = "v1.32.0"


@dataclass(frozen=True)
class Document:
    body: JSON
    data: bytes          # the JSON served
    hash: str            # upper-case hex SHA-512 of ``data``


_lock = threading.Lock()
_cache: dict[tuple[Any, ...], Document] = {}


def _document(key: tuple[Any, ...], build: Any) -> Document:
    doc = _cache.get(key)
    if doc is None:
        with _lock:
            doc = _cache.get(key)
            if doc is None:
                body = build()
                data = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
                doc = _cache[key] = Document(body, data,
                                             hashlib.sha512(data).hexdigest().upper())
    return doc


def group_versions(resources: Iterable[ResourceType]) -> dict[tuple[str, str],
                                                                list[ResourceType]]:
    grouped: dict[tuple[str, str], list[ResourceType]] = {}
    for res in resources:
        grouped.setdefault((res.group, res.version), []).append(res)
    return grouped


def gv_path(group: str, version: str) -> str:
    """The index's name of a group-version: ``api/v1``, ``apis/apps/v1``."""
    return f"apis/{group}/{version}" if group else f"api/{version}"


def v3_group_version(*, group: str, version: str, resources: Iterable[ResourceType],
                     server_version: str = DEFAULT_SERVER_VERSION) -> Document:
    """The cached v3 document of one group-version (body, bytes, hash)."""
    served = [r for r in resources if r.group == group and r.version == version]
    if not served:
        raise KeyError(f"no resources served in {gv_path(group, version)}")
    key = ("v3", group, version, tuple(served), server_version)
    return _document(key, lambda: openapi_v3.build_document(
        load_schema(), group=group, version=version, resources=served,
        server_version=server_version))


def v3_document(*, group: str, version: str, resources: Iterable[ResourceType],
                server_version: str = DEFAULT_SERVER_VERSION) -> JSON:
    """The body of ``GET /openapi/v3/api/v1`` (or ``/apis/<group>/<version>``)."""
    return v3_group_version(group=group, version=version, resources=resources,
                            server_version=server_version).body


def v3_index(*, resources: Iterable[ResourceType],
             server_version: str = DEFAULT_SERVER_VERSION) -> JSON:
    """The body of ``GET /openapi/v3``: every group-version and its document's URL."""
    resources = list(resources)
    paths: JSON = {}
    for group, version in group_versions(resources):
        doc = v3_group_version(group=group, version=version, resources=resources,
                               server_version=server_version)
        path = gv_path(group, version)
        paths[path] = {"serverRelativeURL": f"/openapi/v3/{path}?hash={doc.hash}"}
    return {"paths": dict(sorted(paths.items()))}


def v2(*, resources: Iterable[ResourceType],
       server_version: str = DEFAULT_SERVER_VERSION) -> Document:
    """The cached Swagger 2.0 document of every served group-version."""
    resources = tuple(resources)
    return _document(("v2", resources, server_version), lambda: openapi_v2.build_document(
        load_schema(), groups=group_versions(resources), server_version=server_version))


def v2_document(*, resources: Iterable[ResourceType],
                server_version: str = DEFAULT_SERVER_VERSION) -> JSON:
    """The body of ``GET /openapi/v2`` (JSON form)."""
    return v2(resources=resources, server_version=server_version).body
