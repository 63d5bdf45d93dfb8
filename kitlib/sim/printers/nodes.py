"""``kubectl get nodes``: NAME STATUS ROLES AGE VERSION (wide: INTERNAL-IP EXTERNAL-IP
OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME).

STATUS comes from the Ready condition alone (``Ready``, ``NotReady``, or ``Unknown`` when
there is none), plus ``SchedulingDisabled`` for a cordoned node.  ROLES are the suffixes of
``node-role.kubernetes.io/<role>`` labels and the value of ``kubernetes.io/role``, sorted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.printers.humanize import parse_time, since
from kitlib.sim.printers.table import AGE, NAME, Column, Printer, Row, creation_of, name_of

JSON = dict[str, Any]

_ADDRESSES_DOC = (
    "List of addresses reachable to the node. Queried from cloud provider, if available. More "
    "info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is "
    "declared as mergeable, but the merge key is not sufficiently unique, which can cause data "
    "corruption when it is merged. Callers should instead use a full-replacement patch. See "
    "https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change "
    "during the lifetime of a Node. However, there are some exceptions where this may not be "
    "possible, such as Pods that inherit a Node's address in its own status or consumers of the "
    "downward API (status.hostIP)."
)

COLUMNS = (
    NAME,
    Column("Status", description="The status of the node"),
    Column("Roles", description="The roles of the node"),
    AGE,
    Column("Version", description="Kubelet Version reported by the node."),
    Column("Internal-IP", priority=1, description=_ADDRESSES_DOC),
    Column("External-IP", priority=1, description=_ADDRESSES_DOC),
    Column("OS-Image", priority=1, description="OS Image reported by the node from "
                                               "/etc/os-release (e.g. Debian GNU/Linux 7 "
                                               "(wheezy))."),
    Column("Kernel-Version", priority=1, description="Kernel Version reported by the node from "
                                                     "'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    Column("Container-Runtime", priority=1, description="ContainerRuntime Version reported by "
                                                        "the node through runtime remote API "
                                                        "(e.g. containerd://1.4.2)."),
)

ROLE_PREFIX = "node-role.kubernetes.io/"
ROLE_LABEL = "kubernetes.io/role"


def node_status(node: JSON) -> str:
    ready = None
    for condition in (node.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            ready = condition                   # a later duplicate wins, as in the Go map
    parts = ["Unknown" if ready is None
             else "Ready" if ready.get("status") == "True" else "NotReady"]
    if (node.get("spec") or {}).get("unschedulable"):
        parts.append("SchedulingDisabled")
    return ",".join(parts)


def node_roles(node: JSON) -> str:
    roles = set()
    for key, value in ((node.get("metadata") or {}).get("labels") or {}).items():
        if key.startswith(ROLE_PREFIX) and key[len(ROLE_PREFIX):]:
            roles.add(key[len(ROLE_PREFIX):])
        elif key == ROLE_LABEL and value:
            roles.add(value)
    return ",".join(sorted(roles)) or "<none>"


def _address(node: JSON, kind: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "")
    return "<none>"


def print_node(node: JSON, now: datetime) -> Row:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return Row([name_of(node), node_status(node), node_roles(node),
                since(parse_time(creation_of(node)), now=now), info.get("kubeletVersion") or "",
                _address(node, "InternalIP"), _address(node, "ExternalIP"),
                info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
                info.get("containerRuntimeVersion") or "<unknown>"])


NODES = Printer(COLUMNS, print_node)
