"""Starting the servers under test as processes of their own, and watching them.

The simulator runs as ``kit serve`` (what users run), the floor as ``bench/hello_server.py``;
both are started the same way (a fresh Python process), and both are polled with the
same TLS client until the first request is answered.
"""

from __future__ import annotations

import http.client
import os
import signal
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
KIT = str(Path(PYTHON).parent / "kit")


def answered(port: int, context: ssl.SSLContext, token: str | None, path: str) -> bool:
    """One request on a fresh connection: True when it got a 200."""
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=2)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", path, headers=headers)
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def wait_answer(port: int, context: ssl.SSLContext, *, token: str | None = None,
                path: str = "/hello", timeout: float = 60.0, started: float) -> float:
    """Poll until answered; seconds since ``started``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answered(port, context, token, path):
            return time.monotonic() - started
        time.sleep(0.002)
    raise RuntimeError(f"nothing answered on port {port} within {timeout}s")


def client_context(ca_pem: bytes | None = None, ca_file: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata=ca_pem.decode() if ca_pem else None,
                                         cafile=str(ca_file) if ca_file else None)
    return context


@dataclass
class Server:
    """A server process and how to reach it."""

    process: subprocess.Popen[bytes]
    port: int
    url: str
    ca_file: Path
    token: str = ""
    kubeconfig: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def listening_port(process: subprocess.Popen[bytes], *, timeout: float = 120.0) -> int:
    """The port ``process`` listens on (servers are started with port 0: a port picked in
    advance could be taken by another process on a busy machine before ours binds it)."""
    import psutil

    deadline = time.monotonic() + timeout
    proc = psutil.Process(process.pid)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        for conn in proc.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN:
                return int(conn.laddr.port)
        time.sleep(0.002)
    raise RuntimeError("the server never listened")


def start_hello(folder: Path, *, cert: Path, key: Path, ca: Path) -> tuple[Server, float]:
    """The floor server; returns it and its start-up time (to first answer)."""
    started = time.monotonic()
    process = subprocess.Popen([PYTHON, str(ROOT / "bench" / "hello_server.py"),
                                "--port", "0", "--cert", str(cert), "--key", str(key)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = listening_port(process)
    took = wait_answer(port, client_context(ca_file=ca), started=started)
    return Server(process, port, f"https://127.0.0.1:{port}", ca), took


def read_kubeconfig(path: Path) -> tuple[str, str, bytes]:
    import base64

    config = yaml.safe_load(path.read_text())
    cluster = config["clusters"][0]["cluster"]
    return (cluster["server"], config["users"][0]["user"]["token"],
            base64.b64decode(cluster["certificate-authority-data"]))


def start_kit_serve(folder: Path, *, state: Path, log: Path,
                    extra_env: dict[str, str] | None = None,
                    argv_prefix: list[str] | None = None) -> tuple[Server, float, float]:
    """``kit serve`` on ``state``: the server, seconds to the first answer, and to the
    kubeconfig (written after the server's own readiness check)."""
    kubeconfig = folder / f"kubeconfig-{time.monotonic_ns()}"
    env = dict(os.environ, KIT_HOME=str(folder / "home"), **(extra_env or {}))
    argv = (argv_prefix or [KIT]) + ["serve", "--port", "0", "--kubeconfig",
                                     str(kubeconfig), "--state", str(state)]
    started = time.monotonic()
    with log.open("ab") as out:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=out, env=env)
    port = listening_port(process)
    # The CA is not known before the kubeconfig exists: poll without verifying it, then
    # verify once it is there.  /readyz needs the token too: a 401 is also an answer.
    loose = ssl.create_default_context()
    loose.check_hostname = False
    loose.verify_mode = ssl.CERT_NONE
    took = _wait_any_answer(port, loose, started=started)
    while not kubeconfig.exists():
        if process.poll() is not None:
            raise RuntimeError(f"kit serve exited: {log.read_text()[-2000:]}")
        time.sleep(0.002)
    ready = time.monotonic() - started
    url, token, ca_pem = read_kubeconfig(kubeconfig)
    assert url.endswith(f":{port}"), (url, port)
    ca_file = folder / f"ca-{port}.crt"
    ca_file.write_bytes(ca_pem)
    return Server(process, port, url, ca_file, token, kubeconfig), took, ready


def _wait_any_answer(port: int, context: ssl.SSLContext, *, started: float) -> float:
    """Until any HTTP answer comes (the server authenticates; a 401 is an answer)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=2)
        try:
            conn.request("GET", "/readyz")
            conn.getresponse().read()
            return time.monotonic() - started
        except (OSError, http.client.HTTPException):
            time.sleep(0.002)
        finally:
            conn.close()
    raise RuntimeError("kit serve never answered")


def kit_up_down(folder: Path) -> float:
    """``kit up`` until it returns (its API answers), then ``kit down``; seconds for up."""
    env = dict(os.environ, KIT_HOME=str(folder))
    started = time.monotonic()
    subprocess.run([KIT, "up", "--port", "0", "--kubeconfig", str(folder / "kubeconfig")],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    took = time.monotonic() - started
    subprocess.run([KIT, "down"], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return took


def rss_mb(pid: int) -> float:
    import psutil

    return psutil.Process(pid).memory_info().rss / 1024 / 1024
