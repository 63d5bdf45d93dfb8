"""Where a pod's log, exec, attach or port-forward request goes: the pod registry's
LogLocation, ExecLocation and PortForwardLocation.

Before it calls a kubelet the API server reads the pod, settles which container is meant
(the only one, or the one named, which must exist), and finds the node the pod is bound
to.  Each step has its own error, and learners meet all of them: ``a container name must
be specified for pod web, choose one of: [app sidecar]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kitlib.sim.apiserver import paths
from kitlib.sim.apiserver.connector import NodeConnector
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.machinery import errors
from kitlib.sim.registry.base import ResourceType

JSON = dict[str, Any]


@dataclass(frozen=True)
class PodLocation:
    namespace: str
    name: str
    pod: JSON
    node: str                   # "" while the pod is not bound
    container: str = ""


def container_names(pod: JSON) -> list[str]:
    """Every container, in podutil.VisitContainers order: init, regular, ephemeral."""
    spec = pod.get("spec") or {}
    return [c.get("name", "") for key in ("initContainers", "containers",
                                          "ephemeralContainers")
            for c in spec.get(key) or []]


def choose_container(pod: JSON, requested: str) -> str:
    """validateContainer: the container meant by a request (BadRequest if unclear)."""
    name = pod.get("metadata", {}).get("name", "")
    if requested:
        if requested not in container_names(pod):
            raise errors.BadRequest(f"container {requested} is not valid for pod {name}")
        return requested
    regular = (pod.get("spec") or {}).get("containers") or []
    if len(regular) == 1:
        return str(regular[0].get("name", ""))
    if not regular:
        raise errors.BadRequest(f"a container name must be specified for pod {name}")
    listed = " ".join(container_names(pod))             # Go's %s of a []string
    raise errors.BadRequest(f"a container name must be specified for pod {name}, "
                            f"choose one of: [{listed}]")


def locate(api: ApiContext, res: ResourceType, info: paths.RequestInfo, *,
           container: str | None) -> PodLocation:
    """The pod (NotFound), and the container when ``container`` is not None."""
    namespace = info.namespace or ""
    record = api.storage(res).get(namespace=namespace, name=info.name)
    pod = record.object()
    node = str((pod.get("spec") or {}).get("nodeName") or "")
    chosen = choose_container(pod, container) if container is not None else ""
    return PodLocation(namespace=namespace, name=info.name, pod=pod, node=node,
                       container=chosen)


def require_node(location: PodLocation) -> str:
    """streamLocation's check: exec, attach and port-forward need a bound pod."""
    if not location.node:
        raise errors.BadRequest(f"pod {location.name} does not have a host assigned")
    return location.node


def connector_of(api: ApiContext) -> NodeConnector:
    connector: NodeConnector | None = api.connector
    if connector is None:
        raise errors.StatusError("no kubelet is reachable from this API server",
                                 code=503, reason="ServiceUnavailable")
    return connector


def node_address(api: ApiContext, node: str) -> str:
    """The node's InternalIP (for messages that name the kubelet's address)."""
    nodes = api.find("", "v1", "nodes")
    record = api.storage(nodes).find(namespace=None, name=node) if nodes else None
    if record is None:
        return node
    for address in (record.object().get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address", node))
    return node
