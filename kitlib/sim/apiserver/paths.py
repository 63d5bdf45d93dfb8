"""Reading a request's URL the way the apiserver's RequestInfoFactory does.

``/api/v1/namespaces/default/pods/web/status`` becomes: core group, version v1, namespace
``default``, resource ``pods``, name ``web``, subresource ``status``.  The verb comes from
the HTTP method and the shape (a collection or one object, ``?watch=true``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from kitlib.sim.machinery.errors import MethodNotAllowed, NoSuchPath


@dataclass(frozen=True)
class RequestInfo:
    group: str
    version: str
    namespace: str | None      # None: not namespaced, or across all namespaces
    resource: str
    name: str = ""
    subresource: str = ""
    # Extra path after the subresource, for proxy requests: ".../proxy/some/path".
    rest: str = ""
    verb: str = ""

    @property
    def collection(self) -> bool:
        return not self.name


_COLLECTION_VERBS = {"GET": "list", "POST": "create", "DELETE": "deletecollection"}
_OBJECT_VERBS = {"GET": "get", "PUT": "update", "PATCH": "patch", "DELETE": "delete",
                 "POST": "create"}


def parse(path: str, method: str, *, watch: bool = False) -> RequestInfo:
    """Parse a resource URL; raises the generic 404 for anything that is not one."""
    parts = [unquote(p) for p in path.strip("/").split("/")]
    if parts[:1] == ["api"]:
        group, rest = "", parts[1:]
    elif parts[:1] == ["apis"] and len(parts) >= 2:
        group, rest = parts[1], parts[2:]
    else:
        raise NoSuchPath()
    if not rest:
        raise NoSuchPath()
    version, rest = rest[0], rest[1:]
    legacy_watch = False
    if rest[:1] == ["watch"]:
        # The deprecated /api/v1/watch/... form: the same as ?watch=true.
        legacy_watch, rest = True, rest[1:]
    namespace: str | None = None
    # /namespaces/{ns}/{resource}/... is namespaced; /namespaces and /namespaces/{name}
    # (and its subresources) are the namespaces resource itself.
    if len(rest) >= 3 and rest[0] == "namespaces" and rest[2] not in ("status", "finalize"):
        namespace, rest = rest[1], rest[2:]
    if not rest or not rest[0]:
        raise NoSuchPath()
    resource, name, subresource, tail = rest[0], "", "", ""
    if len(rest) >= 2:
        name = rest[1]
    if len(rest) >= 3:
        subresource = rest[2]
    if len(rest) >= 4:
        if subresource != "proxy" and not (resource == "pods" and subresource == "log"):
            raise NoSuchPath()
        tail = "/".join(rest[3:])
    if resource in ("namespaces",) and namespace is not None:
        raise NoSuchPath()
    if name == "" and len(rest) >= 2:
        raise NoSuchPath()
    is_watch = watch or legacy_watch
    if name:
        verb = _OBJECT_VERBS.get(method)
        if is_watch and method == "GET":
            verb = "watch"
    else:
        verb = _COLLECTION_VERBS.get(method)
        if is_watch and method == "GET":
            verb = "watch"
    if verb is None and subresource == "proxy" and method in ("HEAD", "OPTIONS"):
        verb = "proxy"                  # proxied as any other method
    if verb is None:
        raise MethodNotAllowed()
    return RequestInfo(group=group, version=version, namespace=namespace, resource=resource,
                       name=name, subresource=subresource, rest=tail, verb=verb)
