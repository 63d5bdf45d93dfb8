"""How long ``kubectl exec POD -- echo hi`` takes, end to end, against the simulator.

Each sample opens a new WebSocket (as kubectl and the official client do for every exec),
runs ``echo hi`` in a running busybox pod and waits for the status on channel 3 (and the
output ``hi``).  Two clients: ``v5.channel.k8s.io`` spoken directly with websocket-client
(what kubectl 1.30+ asks for), and the official client's ``kubernetes.stream`` (which asks
for ``v4.channel.k8s.io``).  The floor: the same WebSocket client opening the hello
server's ``/ws`` echo route, sending one message and reading it back (upgrade, one round
trip, close): what any exec costs before the API server does anything.
"""

from __future__ import annotations

import json
import ssl
from typing import Any, Callable
from urllib.parse import urlencode

import websocket

from bench import latency, workloads
from bench.procs import Server

V5, V4 = "v5.channel.k8s.io", "v4.channel.k8s.io"
CLOSE_TIMEOUT = 1.0             # the close handshake: never wait long for a server's close


def _sslopt(server: Server) -> dict[str, Any]:
    return {"cert_reqs": ssl.CERT_REQUIRED, "ca_certs": str(server.ca_file),
            "check_hostname": False}


def raw_exec(server: Server, *, namespace: str, pod: str,
             command: list[str]) -> Callable[[], bytes]:
    """An exec over v5.channel.k8s.io; returns what came on stdout (raises on a failure)."""
    query = urlencode([("command", c) for c in command] + [("stdout", "true"),
                                                           ("stderr", "true")])
    url = (server.url.replace("https://", "wss://")
           + f"/api/v1/namespaces/{namespace}/pods/{pod}/exec?{query}")
    header = [f"Authorization: Bearer {server.token}"]

    def call() -> bytes:
        ws = websocket.create_connection(url, header=header, subprotocols=[V5],
                                         sslopt=_sslopt(server), timeout=30)
        out = b""
        try:
            while True:
                opcode, data = ws.recv_data(control_frame=False)
                if opcode == websocket.ABNF.OPCODE_CLOSE:
                    raise RuntimeError("the exec closed before its status")
                if not data:
                    continue
                channel, payload = data[0], data[1:]
                if channel == 1:
                    out += payload
                elif channel == 3:
                    status = json.loads(payload)
                    if status.get("status") != "Success":
                        raise RuntimeError(f"exec failed: {status}")
                    return out
        finally:
            ws.close(timeout=CLOSE_TIMEOUT)
    return call


def floor_echo(hello: Server) -> Callable[[], bytes]:
    """One message through the hello server's /ws echo, on a new connection."""
    url = hello.url.replace("https://", "wss://") + "/ws"

    def call() -> bytes:
        ws = websocket.create_connection(url, subprotocols=[V5], sslopt=_sslopt(hello),
                                         timeout=30)
        try:
            ws.send_binary(b"\x01hi\n")
            return ws.recv()
        finally:
            ws.close(timeout=CLOSE_TIMEOUT)
    return call


def client_exec(server: Server, *, namespace: str, pod: str,
                command: list[str]) -> tuple[Callable[[], str], Any]:
    """The official client's ``stream(connect_get_namespaced_pod_exec, ...)``."""
    from kubernetes import client
    from kubernetes.stream import stream

    api = latency.api_client(server.url, server.token, str(server.ca_file))
    core = client.CoreV1Api(api)

    def call() -> str:
        return stream(core.connect_get_namespaced_pod_exec, pod, namespace, command=command,
                      stderr=True, stdin=False, stdout=True, tty=False)
    return call, api


def exec_round_trips(sim: Server, hello: Server, *, samples: int,
                     namespace: str = "bench-exec") -> dict[str, Any]:
    """p50/p99 of ``echo hi`` by exec (two clients) and of the WebSocket echo floor."""
    workloads.sleeping_pod(sim, namespace=namespace, name="shell")
    command = ["echo", "hi"]
    v5 = raw_exec(sim, namespace=namespace, pod="shell", command=command)
    official, api = client_exec(sim, namespace=namespace, pod="shell", command=command)
    floor = floor_echo(hello)
    # Check every client once before timing: a wrong answer must not become a figure.
    outputs = {"v5": v5(), "official": official(), "floor": floor()}
    if outputs != {"v5": b"hi\n", "official": "hi\n", "floor": b"\x01hi\n"}:
        raise RuntimeError(f"unexpected exec output: {outputs}")
    wrong = {"v5": 0, "official": 0}

    def checked(name: str, call: Callable[[], Any], expected: Any) -> Callable[[], None]:
        def run() -> None:
            if call() != expected:
                wrong[name] += 1
        return run

    timed = latency.interleaved({
        "floor: hello /ws echo (websocket-client)": (floor, samples),
        f"exec echo hi, {V5} (websocket-client)": (checked("v5", v5, b"hi\n"), samples),
        f"exec echo hi, kubernetes.stream ({V4})": (checked("official", official, "hi\n"),
                                                    samples),
    }, chunk=25, settle=2)
    api.close()
    out: dict[str, Any] = {name: latency.percentiles(v) for name, v in timed.items()}
    out["wrong_output"] = wrong
    return out
