"""``kit up`` / ``status`` / ``down`` / ``reset``: the background simulator, end to end."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import time

from tests.cli.conftest import KIT, Api, Kit, free_port

NOT_RUNNING = "kit: the simulator is not running; start it with 'kit up'\n"


def _up(kit: Kit, port: int, *extra: str) -> str:
    started = time.monotonic()
    result = kit.run("up", "--port", str(port), *extra)
    assert result.returncode == 0, result.stderr
    print(f"kit up: returned {(time.monotonic() - started) * 1000:.0f} ms after process start")
    return result.stdout


def test_up_status_down(kit: Kit) -> None:
    port = free_port()
    out = _up(kit, port, "--nodes", "2", "--seed", "7")
    assert out == (f"Kubernetes API at https://127.0.0.1:{port} (context kit); use it with: "
                   f"export KUBECONFIG={kit.kubeconfig}  ('kit down' stops it)\n")
    api = Api(kit.kubeconfig)
    url = api.url
    assert url == f"https://127.0.0.1:{port}"
    assert api.get("/api")[0] == 200        # up has returned: it answers
    pid = kit.pid()
    assert pid is not None
    assert stat.S_IMODE(kit.home.stat().st_mode) == 0o700

    result = kit.run("status")
    assert result.returncode == 0, result.stderr
    for text in (url, str(kit.kubeconfig), "namespaces", "uptime", f"pid {pid}", "nodes"):
        assert text in result.stdout
    snapshot = json.loads(kit.run("status", "--json").stdout)
    assert snapshot["url"] == url and snapshot["pid"] == pid
    assert snapshot["counts"]["namespaces"] >= 4        # default, kube-system, ...
    assert 0 <= snapshot["uptime"] < 60

    result = kit.run("down")
    assert (result.returncode, result.stdout) == (0, f"Stopped the simulator (pid {pid}).\n")
    assert kit.pid() is None and not (kit.home / "daemon.json").exists()
    result = kit.run("status")
    assert (result.returncode, result.stdout, result.stderr) == (3, "", NOT_RUNNING)
    assert kit.run("down").stdout == "The simulator is not running.\n"


def test_up_twice_is_one_line(kit: Kit) -> None:
    port = free_port()
    _up(kit, port)
    result = kit.run("up", "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stderr == (f"kit: the simulator is already running (pid {kit.pid()}, "
                             f"https://127.0.0.1:{port}); use 'kit down' to stop it or "
                             "'kit status' to see it\n")
    # A foreground serve must not share the daemon's state file either.
    result = kit.run("serve", "--port", "0")
    assert result.returncode == 1 and "already running" in result.stderr


def test_up_on_a_taken_port_is_one_line(kit: Kit) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = kit.run("up", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr == (f"kit: port {port} on 127.0.0.1 is already in use; choose "
                             "another with --port, or stop what is using it\n")
    assert kit.pid() is None


def test_a_stale_pid_file_is_cleaned_up_silently(kit: Kit) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    kit.home.mkdir(parents=True)
    (kit.home / "kit.pid").write_text(f"{dead.pid}\n")
    result = kit.run("status")
    assert (result.returncode, result.stderr) == (3, NOT_RUNNING)
    assert kit.pid() is None
    (kit.home / "kit.pid").write_text(f"{dead.pid}\n")
    _up(kit, free_port())
    assert kit.pid() != dead.pid


def test_reset_wipes_the_cluster_and_keeps_the_kubeconfig_working(kit: Kit) -> None:
    port = free_port()
    _up(kit, port)
    before = Api(kit.kubeconfig)
    before.create_namespace("wipe-me")

    result = kit.run("reset")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Reset the cluster: deleted {kit.home / 'state.db'}.\n")
    after = Api(kit.kubeconfig)                   # rewritten: a new token and CA
    assert after.url == before.url                # same port: the server stays valid
    assert after.get("/api/v1/namespaces/wipe-me")[0] == 404
    assert after.get("/api/v1/namespaces/default")[0] == 200


def test_reset_when_stopped_only_deletes_the_state(kit: Kit) -> None:
    _up(kit, free_port())
    assert kit.run("down").returncode == 0
    assert (kit.home / "state.db").exists()
    result = kit.run("reset")
    assert result.returncode == 0
    assert not (kit.home / "state.db").exists() and kit.pid() is None


def test_errors_are_red_on_a_terminal(kit: Kit) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    env = {k: v for k, v in kit.env.items() if k not in ("NO_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    try:
        result = subprocess.run([*KIT, "status"], env=env, stdout=subprocess.PIPE,
                                stderr=follower, timeout=60)
        os.close(follower)
        seen = os.read(leader, 4096).decode()
    finally:
        os.close(leader)
    assert result.returncode == 3
    assert "\x1b[31m" in seen and "the simulator is not running" in seen


def test_two_ups_at_once_start_one_simulator(kit: Kit) -> None:
    port = free_port()
    first, second = (kit.spawn("up", "--port", str(port)) for _ in range(2))
    results = sorted((proc.wait(timeout=60), proc.communicate()[1]) for proc in (first, second))
    assert [code for code, _ in results] == [0, 1]
    assert "is already running" in results[1][1]
    result = kit.run("status", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["pid"] == kit.pid()
