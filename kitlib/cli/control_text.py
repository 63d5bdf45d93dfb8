"""What ``kit clock``, ``kit node`` and ``kit fail`` say: one line of what just happened.

Each line is built from the simulator's answer alone (what it did, not what was asked),
names the undo command where there is one, and is plain text so that scripts and tests
can compare it.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

JSON = dict[str, Any]


def speed(value: float) -> str:
    """``0.25x``, ``1x``, ``10x``."""
    return f"{float(value):g}x"


def duration(text: str) -> str:
    """A duration as typed, with a unit: ``300`` reads ``300s``."""
    try:
        return f"{float(text):g}s"
    except ValueError:
        return text


def clock_state(state: JSON) -> str:
    if state["paused"]:
        return (f"The simulated clock is paused at {state['time']} "
                f"({speed(state['speed'])} once resumed).")
    return f"The simulated clock reads {state['time']}, running at {speed(state['speed'])}."


def clock_paused(state: JSON) -> str:
    return (f"Paused the clock at {state['time']}; 'kit clock advance 30s' steps it, "
            "'kit clock resume' restarts it.")


def clock_resumed(state: JSON) -> str:
    return f"Resumed the clock at {state['time']}, running at {speed(state['speed'])}."


def clock_speed(state: JSON) -> str:
    if state["paused"]:
        return (f"The clock will run at {speed(state['speed'])} once resumed; "
                f"it is paused at {state['time']}.")
    return f"The clock now runs at {speed(state['speed'])} real time ({state['time']})."


def clock_advanced(state: JSON, by: str) -> str:
    still = " (still paused)" if state["paused"] else ""
    return f"Advanced the clock by {duration(by)} to {state['time']}{still}."


def kubelet(result: JSON) -> str:
    node = result["node"]
    if result["action"] == "stop":
        if not result["changed"]:
            return f"The kubelet of node {node} is already stopped."
        return (f"Stopped the kubelet of node {node}: without its heartbeats the node turns "
                f"NotReady after 50s; 'kit node start {node}' brings it back.")
    if not result["changed"]:
        return f"The kubelet of node {node} is already running."
    return f"Started the kubelet of node {node}: the node reports Ready again."


def container(result: JSON) -> str:
    who = f"Container {result['container']} of pod {result['namespace']}/{result['pod']}"
    action = result["action"]
    if action == "crash":
        return f"{who} exited with code {result['exitCode']} ({result['reason']})."
    if action == "oom":
        return f"{who} was OOMKilled (exit code {result['exitCode']})."
    if action == "hang":
        return (f"{who} now ignores SIGTERM: stopping it takes the pod's whole grace period "
                "('--unhang' undoes it).")
    return f"{who} stops on SIGTERM again."


def image(result: JSON) -> str:
    name = result.get("image")
    if name is None:
        return "Image pulls work again, for every image."
    if not result["fail"]:
        return f"Pulls of {name} work again."
    which = name if _names_version(name) else f"{name} (every tag)"
    why = f' ("{result["message"]}")' if result.get("message") else ""
    return (f"Pulls of {which} now fail on every node{why}: new containers using it end in "
            f"ErrImagePull; 'kit fail image {name} --clear' undoes it.")


def _names_version(image: str) -> bool:
    """Whether ``image`` names a tag or digest (``host:5000/app`` names neither)."""
    return "@" in image or ":" in image.rsplit("/", 1)[-1]


def nodes(info: JSON) -> Table:
    """``kit node``: each node, its role, its kubelet's state, its address."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    for column in ("NODE", "ROLE", "KUBELET", "INTERNAL-IP"):
        table.add_column(column)
    for node in info.get("nodes") or []:
        state = node.get("kubelet", "?")
        table.add_row(node.get("name", "?"),
                      "control-plane" if node.get("controlPlane") else "worker",
                      Text(state, style="green" if state == "running" else "red"),
                      node.get("internalIP", ""))
    return table
