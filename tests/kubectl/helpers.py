"""What the kubectl tests share: manifests that stay put, and exact table comparison.

Pods here name a scheduler that does not exist (``schedulerName``), so they stay Pending,
with no node, conditions or events, whether or not the cluster runs a scheduler and
kubelets: their table rows are the same every time.  Ages are the one cell that moves;
``<age>`` in an expected table matches any age, and the padding after it may shift.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from typing import IO, Any

import yaml

#: A scheduler nobody runs: pods naming it are never bound.
NO_SCHEDULER = "kit-tests-unscheduled"
_AGE = r"\d+(?:s|m\d*s?|h\d*m?)"


def pod(name: str, *, image: str = "nginx:1.25", container: str = "main",
        **labels: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, **({"labels": dict(labels)} if labels else {})},
            "spec": {"schedulerName": NO_SCHEDULER,
                     "containers": [{"name": container, "image": image}]}}


def deployment(name: str, *, replicas: int = 0, image: str = "nginx:1.25") -> dict[str, Any]:
    """A Deployment; with no replicas its table row is the same with or without controllers."""
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "labels": {"app": name}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"schedulerName": NO_SCHEDULER,
                                           "containers": [{"name": "web", "image": image}]}}}}


def service(name: str, *, port: int = 80, target: int = 8080, **selector: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": dict(selector) or {"app": name},
                     "ports": [{"port": port, "targetPort": target}]}}


def manifest(*objects: dict[str, Any]) -> str:
    """YAML documents, one per object, as a learner's file would have them."""
    return yaml.safe_dump_all(objects, sort_keys=False)


def as_json(text: str) -> Any:
    return json.loads(text)


def table_pattern(expected: str) -> re.Pattern[str]:
    lines = []
    for line in expected.strip("\n").split("\n"):
        pieces = re.split(r"<age>( *)", line)
        out = re.escape(pieces[0])
        for i in range(1, len(pieces), 2):
            spaces, rest = pieces[i], pieces[i + 1]
            out += _AGE + (" +" if spaces else "") + re.escape(rest)
        lines.append(out)
    return re.compile("\n".join(lines) + "\n")


def assert_table(actual: str, expected: str) -> None:
    """``actual`` is exactly ``expected``, but for the ages (``<age>``) and their padding."""
    assert table_pattern(expected).fullmatch(actual), f"got:\n{actual}\nwanted:\n{expected}"


def columns(table: str) -> list[dict[str, str]]:
    """Rows of a kubectl table as dicts, cut where the header's columns start."""
    header, *rows = table.rstrip("\n").split("\n")
    starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", header)]
    names = [header[s:e].strip() for s, e in zip(starts, starts[1:] + [None])]
    out = []
    for row in rows:
        cells = [row[s:e].strip() for s, e in zip(starts, starts[1:] + [None])]
        out.append(dict(zip(names, cells)))
    return out


class LineReader:
    """Lines of a running process's output, read in a thread, waited for with a deadline."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in iter(stream.readline, ""):
            self._queue.put(line)
        self._queue.put(None)

    def next(self, *, timeout: float) -> str | None:
        """The next line, or None at the end of the stream or after ``timeout`` seconds."""
        try:
            line = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is not None:
            self.lines.append(line)
        return line

    def until(self, pattern: str, *, timeout: float = 15.0) -> str:
        """Read lines until one matches ``pattern``; returns it."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            line = self.next(timeout=left)
            if line is None:
                break
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} came; read: {self.lines}")


class Terminal:
    """``kubectl exec -it`` as a learner types into it: a pseudo-terminal, what it has
    shown so far (``seen``), and waiting until a text appears."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import os
        import pty
        import subprocess

        self.primary, secondary = pty.openpty()
        self.process = subprocess.Popen(argv, stdin=secondary, stdout=secondary,
                                        stderr=secondary, env=env, close_fds=True)
        os.close(secondary)
        self.seen = b""

    def until(self, pattern: bytes, timeout: float = 15.0) -> None:
        import os
        import select

        deadline = time.monotonic() + timeout
        while pattern not in self.seen and time.monotonic() < deadline:
            if select.select([self.primary], [], [], 0.2)[0]:
                try:
                    self.seen += os.read(self.primary, 4096)
                except OSError:
                    break
        assert pattern in self.seen, self.seen

    def type(self, keys: bytes) -> None:
        import os

        os.write(self.primary, keys)

    def wait(self, timeout: float = 15.0) -> int:
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        import os

        if self.process.poll() is None:
            self.process.kill()
        os.close(self.primary)


def terminal(kubectl: Any, *args: str, namespace: str | None = None) -> Terminal:
    """Start ``kubectl ARGS`` on a pseudo-terminal (close it when done)."""
    return Terminal(kubectl.command(*args, namespace=namespace), kubectl.environment())
