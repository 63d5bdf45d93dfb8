"""Fixtures for driving the real ``kit`` command in subprocesses, with a private kit home."""

from __future__ import annotations

import base64
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

_SCRIPT = Path(sys.executable).parent / "kit"
#: The installed console script when there is one, else the module.
KIT = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kitlib.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], Any], *, timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.01)


class Api:
    """Raw HTTPS against a simulator, configured from a kubeconfig's ``kit`` context."""

    def __init__(self, kubeconfig: Path) -> None:
        import yaml

        config = yaml.safe_load(kubeconfig.read_text())
        assert config["current-context"] == "kit"
        cluster = next(c for c in config["clusters"] if c["name"] == "kit")["cluster"]
        user = next(u for u in config["users"] if u["name"] == "kit")["user"]
        self.url: str = cluster["server"]
        self.token: str = user["token"]
        ca = base64.b64decode(cluster["certificate-authority-data"]).decode()
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=ssl.create_default_context(cadata=ca)))

    def request(self, method: str, path: str, *, body: Any = None,
                token: str | None | bool = True) -> tuple[int, Any]:
        """(status, decoded JSON or text); ``token``: True for ours, None for none."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        bearer = self.token if token is True else token
        if bearer:
            request.add_header("Authorization", f"Bearer {bearer}")
        try:
            with self._opener.open(request, timeout=10) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode()

    def get(self, path: str, **kwargs: Any) -> tuple[int, Any]:
        return self.request("GET", path, **kwargs)

    def create_namespace(self, name: str) -> None:
        body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        status, answer = self.request("POST", "/api/v1/namespaces", body=body)
        assert status == 201, answer


class Kit:
    """The ``kit`` command with a kit home of its own."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if k != "KUBECONFIG"}
        self.env["KIT_HOME"] = str(home)
        self.spawned: list[subprocess.Popen[str]] = []

    def run(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*KIT, *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen([*KIT, *args], env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        self.spawned.append(proc)
        return proc

    @property
    def kubeconfig(self) -> Path:
        return self.home / "kubeconfig"

    def pid(self) -> int | None:
        try:
            return int((self.home / "kit.pid").read_text())
        except OSError:
            return None

    def cleanup(self) -> None:
        for proc in self.spawned:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=10)
        pid = self.pid()
        if pid is not None:
            subprocess.run([*KIT, "down", "--timeout", "5"], env=self.env,
                           capture_output=True, timeout=30)


@pytest.fixture
def kit(tmp_path: Path) -> Iterator[Kit]:
    runner = Kit(tmp_path / "kit-home")
    yield runner
    runner.cleanup()
