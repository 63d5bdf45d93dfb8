"""exec and attach over WebSocket, against a scripted node: the protocols and the texts."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from kubernetes import client
from kubernetes.stream import stream

from kitlib.sim.apiserver import spdy
from tests.api.nodefakes import FakeConnector
from tests.api.streamfixtures import (bound_pod, channel_data, create_running, fake,
                                      spdy_session, stream_data, websocket_session)
from tests.conftest import Http, assert_status

__all__ = ["fake"]
V5, V4 = "v5.channel.k8s.io", "v4.channel.k8s.io"


@pytest.fixture(scope="module")
def pods(sim: Any, api_client: Any, fake: FakeConnector) -> str:
    namespace = "streams"
    client.CoreV1Api(api_client).create_namespace({"metadata": {"name": namespace}})
    create_running(api_client, namespace, bound_pod("one"))
    create_running(api_client, namespace, bound_pod("two", "app", "stopped"))
    return namespace


def exec_path(namespace: str, pod: str, *command: str, **flags: str) -> str:
    query = "&".join([f"command={c}" for c in command] + [f"{k}={v}" for k, v in flags.items()])
    return f"/api/v1/namespaces/{namespace}/pods/{pod}/exec?{query}"


def test_python_client_exec_collects_output(api_client: Any, pods: str) -> None:
    core = client.CoreV1Api(api_client)
    out = stream(core.connect_get_namespaced_pod_exec, "one", pods,
                 command=["echo", "hello", "world"], stderr=True, stdin=False, stdout=True,
                 tty=False)
    assert out == "hello world\n"


def test_python_client_exec_returncode_and_stdin(api_client: Any, pods: str) -> None:
    core = client.CoreV1Api(api_client)
    resp = stream(core.connect_get_namespaced_pod_exec, "one", pods, command=["sh", "-c",
                  "exit 2"], stderr=True, stdin=False, stdout=True, tty=False,
                  _preload_content=False)
    resp.run_forever(timeout=10)
    assert resp.returncode == 2
    resp = stream(core.connect_get_namespaced_pod_exec, "one", pods, command=["sh"],
                  stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
    resp.write_stdin("echo from stdin\n")
    deadline, seen = time.monotonic() + 10, ""
    while "from stdin" not in seen and time.monotonic() < deadline:
        resp.update(timeout=1)
        seen += resp.read_stdout(timeout=0) or ""
    resp.write_stdin("exit 4\n")
    resp.run_forever(timeout=10)
    assert "from stdin\n" in seen
    assert resp.returncode == 4


def test_v4_error_channel_carries_containerd_text(sim: Any, pods: str) -> None:
    protocol, messages, code = websocket_session(
        sim, exec_path(pods, "one", "sh", "-c", "exit 2", stdout="true", stderr="true"), (V4,))
    assert protocol == V4
    assert messages[0] == b"\x01"                    # the empty "streams are ready" message
    status = json.loads(channel_data(messages, 3))
    assert status == {
        "metadata": {}, "status": "Failure",
        "message": "command terminated with non-zero exit code: error executing command "
                   "[sh -c exit 2], exit code 2",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": "2"}]}}
    assert code == 1000


def test_v5_reports_as_the_stream_translator(sim: Any, pods: str) -> None:
    _, messages, _ = websocket_session(
        sim, exec_path(pods, "one", "fail", stdout="true", stderr="true"), (V5,))
    assert channel_data(messages, 2) == b"something went wrong\n"
    status = json.loads(channel_data(messages, 3))
    assert status["message"] == "command terminated with non-zero exit code: command " \
                                "terminated with exit code 3"
    assert status["details"]["causes"] == [{"reason": "ExitCode", "message": "3"}]
    _, messages, _ = websocket_session(sim, exec_path(pods, "one", "echo", "ok",
                                                      stdout="true"), (V5,))
    assert channel_data(messages, 1) == b"ok\n"
    assert json.loads(channel_data(messages, 3)) == {"metadata": {}, "status": "Success"}


def test_v5_close_signal_ends_stdin(sim: Any, pods: str) -> None:
    _, messages, _ = websocket_session(
        sim, exec_path(pods, "one", "cat", stdin="true", stdout="true", stderr="true"), (V5,),
        send=[b"\x00piped ", b"\x00input\n", b"\xff\x00"])
    assert channel_data(messages, 1) == b"piped input\n"
    assert json.loads(channel_data(messages, 3))["status"] == "Success"


def test_tty_resizes_and_merges_stderr(sim: Any, pods: str, fake: FakeConnector) -> None:
    _, messages, _ = websocket_session(
        sim, exec_path(pods, "one", "size", stdout="true", stderr="true", tty="true"), (V5,),
        send=[b'\x04{"Width":120,"Height":4', b'\x040}{"Width":100,"Height":30}'])
    assert channel_data(messages, 1) == b"[(120, 40), (100, 30)]\n"
    assert not any(m[:1] == b"\x02" for m in messages if isinstance(m, bytes))


def test_base64_protocol(sim: Any, pods: str) -> None:
    protocol, messages, _ = websocket_session(
        sim, exec_path(pods, "one", "echo", "b64", stdout="true"), ("v4.base64.channel.k8s.io",))
    assert protocol == "v4.base64.channel.k8s.io"
    assert messages[0] == "1" and "1YjY0Cg==" in messages


def test_v1_protocol_sends_only_failure_messages(sim: Any, pods: str) -> None:
    _, messages, _ = websocket_session(
        sim, exec_path(pods, "one", "sh", "-c", "exit 5", stdout="true"), ("channel.k8s.io",))
    assert channel_data(messages, 3) == b"command terminated with non-zero exit code: " \
                                        b"error executing command [sh -c exit 5], exit code 5"
    _, messages, _ = websocket_session(
        sim, exec_path(pods, "one", "echo", "x", stdout="true"), ("channel.k8s.io",))
    assert channel_data(messages, 3) == b""


def test_kubelet_refusals_arrive_on_the_error_channel(sim: Any, pods: str) -> None:
    _, messages, _ = websocket_session(
        sim, exec_path(pods, "two", "ls", container="stopped", stdout="true"), (V5,))
    status = json.loads(channel_data(messages, 3))
    assert status["message"] == 'Internal error occurred: unable to upgrade connection: ' \
                                'container not found ("stopped")'
    assert status["reason"] == "InternalError" and status["code"] == 500
    _, messages, _ = websocket_session(
        sim, exec_path(pods, "one", "missing", stdout="true"), (V5,))
    status = json.loads(channel_data(messages, 3))
    assert status["message"].startswith(
        "Internal error occurred: Internal error occurred: error executing command in "
        "container: failed to exec in container: failed to start exec \"5c1f\": OCI ")
    _, messages, _ = websocket_session(sim, exec_path(pods, "one", "ls"), (V5,))
    assert json.loads(channel_data(messages, 3))["message"] == \
        "Internal error occurred: unable to upgrade connection: you must specify at least 1 " \
        "of stdin, stdout, stderr"


def test_checks_before_the_upgrade_are_plain_statuses(http: Http, pods: str,
                                                      api_client: Any) -> None:
    body = assert_status(http.get(exec_path(pods, "two", "ls", stdout="true")), 400,
                         "BadRequest")
    assert body["message"] == "a container name must be specified for pod two, choose one " \
                              "of: [app stopped]"
    body = assert_status(http.get(exec_path(pods, "one", "ls", container="nope",
                                            stdout="true")), 400, "BadRequest")
    assert body["message"] == "container nope is not valid for pod one"
    assert_status(http.get(exec_path(pods, "ghost", "ls")), 404, "NotFound")
    body = assert_status(http.get(exec_path(pods, "one", "ls", stdout="true")), 400,
                         "BadRequest")
    assert body["message"] == "Upgrade request required"
    body = assert_status(http.get(exec_path(pods, "one", "ls", stdout="maybe")), 400,
                         "BadRequest")
    assert body["message"] == 'strconv.ParseBool: parsing "maybe": invalid syntax'
    pending = bound_pod("unbound")
    del pending["spec"]["nodeName"]
    pending["spec"]["schedulerName"] = "nobody"
    client.CoreV1Api(api_client).create_namespaced_pod(pods, pending)
    body = assert_status(http.get(exec_path(pods, "unbound", "ls", stdout="true")), 400,
                         "BadRequest")
    assert body["message"] == "pod unbound does not have a host assigned"
    assert_status(http.request("PUT", exec_path(pods, "one", "ls")), 405, "MethodNotAllowed")


def test_attach_streams_the_main_process(sim: Any, pods: str) -> None:
    path = f"/api/v1/namespaces/{pods}/pods/one/attach?stdin=true&stdout=true&tty=true"
    _, messages, _ = websocket_session(sim, path, (V5,), send=[b"\x00echo hi\r", b"\x00exit 3\r"])
    output = channel_data(messages, 1)
    assert output.startswith(b"/ # echo hi\r\n") and b"hi\n" in output
    # attach reports success however the process ended
    assert json.loads(channel_data(messages, 3)) == {"metadata": {}, "status": "Success"}


def spdy_exec(framer: spdy.Framer, *streams: str, stdin: bytes | None = None) -> list[bytes]:
    """The client's side of remotecommand over SPDY: one stream per standard stream."""
    frames = [framer.syn_stream(1 + 2 * i, {"streamtype": [kind]})
              for i, kind in enumerate(streams)]
    if stdin is not None:
        at = 1 + 2 * streams.index("stdin")
        frames += [framer.data(at, stdin), framer.data(at, b"", fin=True)]
    return frames


def test_spdy_exec_for_older_kubectl(sim: Any, pods: str) -> None:
    head, got = spdy_session(sim, exec_path(pods, "one", "cat", stdin="true", stdout="true",
                                            stderr="true"),
                             ("v4.channel.k8s.io", "v3.channel.k8s.io"),
                             lambda f: spdy_exec(f, "error", "stdin", "stdout", "stderr",
                                                 stdin=b"over spdy\n"))
    assert head.startswith("HTTP/1.1 101 Switching Protocols\r\n")
    assert "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n" in head
    assert [f.stream_id for f in got if isinstance(f, spdy.SynReply)] == [1, 3, 5, 7]
    assert stream_data(got, 5) == b"over spdy\n"
    assert json.loads(stream_data(got, 1)) == {"metadata": {}, "status": "Success"}
    assert spdy.DataFrame(5, b"", fin=True) in got and isinstance(got[-1], spdy.GoAway)
    _, got = spdy_session(sim, exec_path(pods, "one", "sh", "-c", "exit 7", stdout="true"),
                          ("v4.channel.k8s.io",), lambda f: spdy_exec(f, "error", "stdout"))
    assert json.loads(stream_data(got, 1))["message"] == \
        "command terminated with non-zero exit code: error executing command [sh -c exit 7], " \
        "exit code 7"


def test_spdy_exec_refusals(sim: Any, pods: str) -> None:
    head, _ = spdy_session(sim, exec_path(pods, "two", "ls", container="stopped",
                                          stdout="true"), ("v4.channel.k8s.io",),
                           lambda f: [])
    # kubectl makes this "unable to upgrade connection: container not found ("stopped")"
    assert head.startswith("HTTP/1.1 400 ") and head.endswith('container not found ("stopped")')
    head, _ = spdy_session(sim, exec_path(pods, "one", "ls", stdout="true"),
                           ("v9.channel.k8s.io",), lambda f: [])
    assert head.startswith("HTTP/1.1 403 ")
    assert "unable to upgrade: unable to negotiate protocol: client supports " \
           "[v9.channel.k8s.io]" in head
