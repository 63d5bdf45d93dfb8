"""The Kubernetes documentation's own manifests: plain ``kubectl apply -f`` must take each.

Learners copy these from the tutorials into every cluster they meet (see
../shared/conformance/README.md).  Each is applied, with kubectl's default flags, in a
namespace of its own (several reuse a name), applied again (nothing to change), and shown
by ``kubectl get -f``.  What the cluster then makes of them is the cluster tests' business.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLES, example
from tests.kubectl.conftest import Kubectl

MANIFESTS = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.yaml")) \
    if EXAMPLES.is_dir() else ["(the conformance folder is absent)"]


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def printed_name(doc: dict[str, Any]) -> str:
    """How kubectl names an object in its messages: ``deployment.apps/web``."""
    group = doc["apiVersion"].rpartition("/")[0]
    kind = doc["kind"].lower() + (f".{group}" if group else "")
    return f"{kind}/{doc['metadata']['name']}"


def second_apply(doc: dict[str, Any]) -> str:
    """What applying the same file again prints.

    A pod that declares volumes gets the service-account volume (and its mount) added by
    the server: the live lists are longer than the file's, so kubectl's three-way merge
    sends a ``$setElementOrder`` patch and says "configured", as against any real server.
    """
    if doc["kind"] == "Pod" and doc["spec"].get("volumes"):
        return "configured"
    return "unchanged"


@pytest.mark.parametrize("relative", MANIFESTS)
def test_docs_example_applies_cleanly(kubectl: Kubectl, namespace: str, api_client: Any,
                                      relative: str) -> None:
    path = example(relative)
    docs = documents(path)
    fixed = {d["metadata"].get("namespace") for d in docs} - {None}
    if fixed:
        # The file names its namespace (the tutorial creates it first): so do we.
        (target,) = fixed
        from kubernetes import client

        if target not in kubectl.ok("get", "ns", "-o", "name"):
            client.CoreV1Api(api_client).create_namespace({"metadata": {"name": target}})
        where: str | None = None
    else:
        where = namespace
    created = kubectl("apply", "-f", str(path), namespace=where)
    assert (created.returncode, created.stderr) == (0, ""), created.stderr
    assert created.stdout == "".join(f"{printed_name(d)} created\n" for d in docs)
    again = kubectl.ok("apply", "-f", str(path), namespace=where)
    assert again == "".join(f"{printed_name(d)} {second_apply(d)}\n" for d in docs)
    shown = kubectl.ok("get", "-f", str(path), namespace=where)
    rows = [line.split()[0] for line in shown.splitlines()
            if line and not line.startswith("NAME ")]
    headers = [line for line in shown.splitlines() if line.startswith("NAME ")]
    assert len(headers) == len({d["kind"] for d in docs})
    assert [r.rpartition("/")[2] for r in rows] == [d["metadata"]["name"] for d in docs]
