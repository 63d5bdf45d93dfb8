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

COLUMNS = (
    NAME,
    Column("Status", description="Ready or NotReady from the node's Ready condition (Unknown "
                                 "without one), plus SchedulingDisabled when it is cordoned."),
    Column("Roles", description="The node's roles, read from its node-role.kubernetes.io/<role> "
                                "and kubernetes.io/role labels."),
    AGE,
    Column("Version", description="The version of the kubelet running on the node."),
    Column("Internal-IP", priority=1, description="The node's InternalIP address, as listed in "
                                                  "its status."),
    Column("External-IP", priority=1, description="The node's ExternalIP address, if it has "
                                                  "one."),
    Column("OS-Image", priority=1, description="The operating system the node runs, as named in "
                                               "its /etc/os-release."),
    Column("Kernel-Version", priority=1, description="The node's kernel release, as `uname -r` "
                                                     "prints it."),
    Column("Container-Runtime", priority=1, description="The container runtime and its version, "
                                                        "e.g. containerd://1.7.24."),
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
