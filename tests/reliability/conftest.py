"""A simulator in a process of its own (``kit serve``), to be killed and started again.

Reliability is about what survives the process: so these tests run the real command on a
state file, speak HTTPS to it from client threads, and stop it with real signals.  The
kubeconfig it writes is the only thing a client is given, as for a user.
"""

from __future__ import annotations

import base64
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

_SCRIPT = Path(sys.executable).parent / "kit"
KIT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kitlib.cli"]
READY_LINE = "Kubernetes API at "
START_TIMEOUT = 30.0


class Kubeconfig:
    """The ``kit`` context of a kubeconfig: URL, token and CA file for clients."""

    def __init__(self, path: Path) -> None:
        config = yaml.safe_load(path.read_text())
        cluster = next(c for c in config["clusters"] if c["name"] == "kit")["cluster"]
        user = next(u for u in config["users"] if u["name"] == "kit")["user"]
        self.url: str = cluster["server"]
        self.token: str = user["token"]
        self.ca_pem = base64.b64decode(cluster["certificate-authority-data"])
        self.ca_path = path.with_name(path.name + ".ca.crt")
        self.ca_path.write_bytes(self.ca_pem)

    def session(self) -> Any:
        """A ``requests`` session of its own (one per client thread)."""
        import requests

        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        session.verify = str(self.ca_path)
        session.trust_env = False
        return session


class ServedCluster:
    """``kit serve`` on one state file; start, kill and restart it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state = folder / "state.db"
        self.kubeconfig_path = folder / "kubeconfig"
        self.home = folder / "home"
        self.process: subprocess.Popen[str] | None = None
        self.port = 0
        self.logs: list[Path] = []

    def start(self, *, port: int | None = None, seed: int | None = None) -> Kubeconfig:
        """Start the server (on ``port``, or any free one) and wait for its API."""
        log = self.folder / f"serve-{len(self.logs)}.log"
        self.logs.append(log)
        env = dict(os.environ, KIT_HOME=str(self.home), PYTHONUNBUFFERED="1")
        with log.open("w") as stderr:
            self.process = subprocess.Popen(
                [*KIT, "serve", "--port", str(port or 0), "--kubeconfig",
                 str(self.kubeconfig_path), "--state", str(self.state), "-v",
                 *(["--seed", str(seed)] if seed is not None else [])],
                stdout=subprocess.PIPE, stderr=stderr, text=True, env=env)
        line = self._ready_line()
        url = line.split(READY_LINE, 1)[1].split()[0]
        self.port = int(url.rsplit(":", 1)[1])
        config = Kubeconfig(self.kubeconfig_path)
        assert config.url == url
        return config

    def _ready_line(self) -> str:
        assert self.process is not None and self.process.stdout is not None
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.process.stdout

        def read() -> None:
            for text in stdout:
                lines.put(text)
            lines.put("")

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                text = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if READY_LINE in text:
                return text
            if text == "":
                break
        self.kill()
        raise AssertionError(f"kit serve did not start: {self.logs[-1].read_text()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL: no flush, no clean-up, as a crash or the OOM killer would."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def terminate(self) -> int:
        """SIGTERM, the clean stop; the exit code."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGTERM)
        return self.process.wait(20)

    def server_log(self) -> str:
        return "\n".join(p.read_text() for p in self.logs if p.exists())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedCluster]:
    cluster = ServedCluster(tmp_path)
    try:
        yield cluster
    finally:
        cluster.kill()


def ensure_namespace(config: Kubeconfig, name: str) -> None:
    session = config.session()
    response = session.post(f"{config.url}/api/v1/namespaces",
                            json={"metadata": {"name": name}}, timeout=10)
    assert response.status_code in (201, 409), response.text
