"""What ``kit status`` shows: a snapshot of the running simulator, read over its API.

Everything shown comes from the API itself (as kubectl would see it), not from the
simulator's internals, so the status is true of what a learner's client sees.  Counts use
``?limit=1`` lists: one short response each, with ``remainingItemCount`` for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kitlib.cli.api import ApiConnection

#: The resources counted, in the order shown, with the path that lists them cluster-wide.
COUNTED: tuple[tuple[str, str], ...] = (
    ("namespaces", "/api/v1/namespaces"),
    ("pods", "/api/v1/pods"),
    ("deployments", "/apis/apps/v1/deployments"),
    ("replicasets", "/apis/apps/v1/replicasets"),
    ("statefulsets", "/apis/apps/v1/statefulsets"),
    ("daemonsets", "/apis/apps/v1/daemonsets"),
    ("jobs", "/apis/batch/v1/jobs"),
    ("cronjobs", "/apis/batch/v1/cronjobs"),
    ("services", "/api/v1/services"),
    ("ingresses", "/apis/networking.k8s.io/v1/ingresses"),
    ("configmaps", "/api/v1/configmaps"),
    ("secrets", "/api/v1/secrets"),
    ("serviceaccounts", "/api/v1/serviceaccounts"),
    ("persistentvolumeclaims", "/api/v1/persistentvolumeclaims"),
    ("events", "/api/v1/events"),
)


@dataclass(frozen=True, kw_only=True)
class NodeRow:
    name: str
    ready: str                  # the Ready condition's status: True, False or Unknown
    version: str


@dataclass(kw_only=True)
class Snapshot:
    url: str
    kubeconfig: str
    state: str
    pid: int
    uptime: float               # seconds
    version: str = ""
    nodes: list[NodeRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def collect(api: ApiConnection, snapshot: Snapshot) -> Snapshot:
    """Fill ``snapshot`` from the API: version, nodes and object counts."""
    status, version = api.get("/version")
    if status == 200 and isinstance(version, dict):
        snapshot.version = str(version.get("gitVersion", ""))
    nodes = api.get_json("/api/v1/nodes")
    snapshot.nodes = [_node_row(item) for item in nodes.get("items") or []]
    for name, path in COUNTED:
        status, body = api.get(f"{path}?limit=1")
        if status == 200 and isinstance(body, dict):
            rest = (body.get("metadata") or {}).get("remainingItemCount") or 0
            snapshot.counts[name] = len(body.get("items") or []) + int(rest)
    return snapshot


def _node_row(node: dict[str, Any]) -> NodeRow:
    conditions = (node.get("status") or {}).get("conditions") or []
    ready = next((c.get("status", "Unknown") for c in conditions
                  if c.get("type") == "Ready"), "Unknown")
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return NodeRow(name=(node.get("metadata") or {}).get("name", "?"), ready=str(ready),
                   version=str(info.get("kubeletVersion", "")))


def format_uptime(seconds: float) -> str:
    """A short uptime: ``42s``, ``5m07s``, ``3h12m``, ``2d04h``."""
    whole = max(0, int(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def render(snapshot: Snapshot) -> RenderableType:
    """The status panel."""
    about = Table.grid(padding=(0, 2))
    about.add_column(style="bold")
    about.add_column(overflow="fold")
    about.add_row("API", snapshot.url)
    about.add_row("kubeconfig", snapshot.kubeconfig)
    about.add_row("state", snapshot.state or "(in memory)")
    about.add_row("version", snapshot.version or "?")
    about.add_row("uptime", f"{format_uptime(snapshot.uptime)} (pid {snapshot.pid})")
    about.add_row("nodes", _node_summary(snapshot.nodes))

    parts: list[RenderableType] = [about]
    if snapshot.nodes:
        nodes = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for column in ("NODE", "READY", "VERSION"):
            nodes.add_column(column)
        for row in snapshot.nodes:
            style = "green" if row.ready == "True" else "red"
            nodes.add_row(row.name, Text(row.ready, style=style), row.version)
        parts += [Text(""), nodes]
    counts = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    counts.add_column("RESOURCE")
    counts.add_column("COUNT", justify="right")
    for name, count in snapshot.counts.items():
        counts.add_row(name, str(count))
    parts += [Text(""), counts]
    return Panel(Group(*parts), title="kit: simulated cluster", title_align="left",
                 border_style="blue", expand=False)


def _node_summary(nodes: list[NodeRow]) -> str:
    if not nodes:
        return "0"
    ready = sum(1 for n in nodes if n.ready == "True")
    return f"{len(nodes)} ({ready} ready)"
