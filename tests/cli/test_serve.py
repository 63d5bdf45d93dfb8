"""``kit serve`` as a user runs it: a real process, a real port, a real kubeconfig."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import Api, Kit, free_port, wait_for

PORT_TAKEN = ("kit: port {port} on 127.0.0.1 is already in use; choose another with --port, "
              "or stop what is using it\n")


def _serve(kit: Kit, tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], Path, float]:
    """Start serve; wait for its kubeconfig; the process, the file, seconds until it answered."""
    config = tmp_path / "kube" / "config"
    started = time.monotonic()
    proc = kit.spawn("serve", "--port", "0", "--kubeconfig", str(config), *extra)
    assert not config.exists()
    wait_for(lambda: config.exists() or proc.poll() is not None, what="the kubeconfig")
    assert proc.poll() is None, proc.communicate()
    # The file exists only once the API answers: the first request succeeds at once.
    assert Api(config).get("/readyz")[0] == 200
    return proc, config, time.monotonic() - started


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    return out, err


def test_serve_publishes_a_private_kubeconfig_once_the_api_answers(kit: Kit,
                                                                    tmp_path: Path) -> None:
    proc, config, elapsed = _serve(kit, tmp_path, "--ephemeral")
    print(f"kit serve: first answered request {elapsed * 1000:.0f} ms after process start")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    api = Api(config)
    url = api.url
    assert api.get("/api")[0] == 200
    assert api.get("/api", token=None)[0] == 401
    assert api.get("/api", token="wrong")[0] == 401
    kube = yaml.safe_load(config.read_text())
    assert kube["clusters"][0]["cluster"]["certificate-authority-data"]
    assert kube["contexts"] == [{"name": "kit", "context": {"cluster": "kit", "user": "kit",
                                                             "namespace": "default"}}]
    out, err = _stop(proc)
    assert out == (f"Kubernetes API at {url} (context kit); use it with: "
                   f"export KUBECONFIG={config}  (Ctrl-C stops it)\n")
    assert "Traceback" not in err


def test_state_survives_a_sigterm_and_a_restart(kit: Kit, tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    proc, config, _ = _serve(kit, tmp_path, "--state", str(state))
    before = Api(config)
    before.create_namespace("kept")
    _stop(proc)
    assert state.exists()

    config.unlink()
    proc, config, _ = _serve(kit, tmp_path, "--state", str(state))
    after = Api(config)
    assert after.token == before.token      # the token is kept in the state file
    status, body = after.get("/api/v1/namespaces/kept")
    assert status == 200 and body["metadata"]["name"] == "kept"
    _stop(proc)


def test_sigint_stops_cleanly_too(kit: Kit, tmp_path: Path) -> None:
    proc, _, _ = _serve(kit, tmp_path, "--ephemeral")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "Traceback" not in err


def test_the_state_file_defaults_to_the_kit_home(kit: Kit, tmp_path: Path) -> None:
    proc, _, _ = _serve(kit, tmp_path)
    _stop(proc)
    assert stat.S_IMODE(os.stat(kit.home / "state.db").st_mode) == 0o600


def test_merges_into_an_existing_kubeconfig_like_kind(kit: Kit, tmp_path: Path) -> None:
    config = tmp_path / "kube" / "config"
    config.parent.mkdir()
    mine = {"apiVersion": "v1", "kind": "Config", "current-context": "work",
            "clusters": [{"name": "work", "cluster": {"server": "https://work:6443"}},
                         {"name": "kit", "cluster": {"server": "http://old:1"}}],
            "users": [{"name": "work", "user": {"token": "w"}}],
            "contexts": [{"name": "work", "context": {"cluster": "work", "user": "work"}}]}
    config.write_text(yaml.safe_dump(mine))
    proc = kit.spawn("serve", "--port", "0", "--ephemeral", "--kubeconfig", str(config))
    wait_for(lambda: yaml.safe_load(config.read_text())["current-context"] == "kit"
             or proc.poll() is not None, what="the merged kubeconfig")
    _stop(proc)
    merged = yaml.safe_load(config.read_text())
    assert merged["current-context"] == "kit"
    assert [c["name"] for c in merged["clusters"]] == ["work", "kit"]
    assert merged["clusters"][0] == mine["clusters"][0]
    assert merged["clusters"][1]["cluster"]["server"].startswith("https://127.0.0.1:")
    assert [u["name"] for u in merged["users"]] == ["work", "kit"]
    assert [c["name"] for c in merged["contexts"]] == ["work", "kit"]
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_the_official_client_uses_the_kubeconfig(kit: Kit, tmp_path: Path) -> None:
    from kubernetes import client, config as kube_config

    proc, path, _ = _serve(kit, tmp_path, "--ephemeral")
    try:
        api = kube_config.new_client_from_config(config_file=str(path))
        names = [ns.metadata.name for ns in client.CoreV1Api(api).list_namespace().items]
        assert "default" in names and "kube-system" in names
    finally:
        _stop(proc)


def test_a_taken_port_is_one_line(kit: Kit) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = kit.run("serve", "--port", str(port), "--ephemeral")
    assert result.returncode == 1
    assert result.stderr == PORT_TAKEN.format(port=port)
    assert not kit.kubeconfig.exists()


def test_an_unwritable_kubeconfig_is_one_line(kit: Kit, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = kit.run("serve", "--port", str(free_port()), "--ephemeral",
                     "--kubeconfig", str(blocker / "config"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"kit: cannot write the kubeconfig {blocker}/config: ")
    assert result.stderr.count("\n") == 1


def test_a_kubeconfig_that_is_not_one_is_refused(kit: Kit, tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.write_text("- just\n- a list\n")
    result = kit.run("serve", "--port", "0", "--ephemeral", "--kubeconfig", str(config))
    assert (result.returncode, result.stderr) == (
        1, f"kit: {config} is not a kubeconfig; choose another file with --kubeconfig\n")
    assert config.read_text() == "- just\n- a list\n"


def test_bad_arguments_are_one_line(kit: Kit) -> None:
    result = kit.run("serve", "--state", "x.db", "--ephemeral")
    assert result.returncode == 2
    assert result.stderr == ("kit: argument --ephemeral: not allowed with argument --state; "
                             "see 'kit serve --help'\n")
    result = kit.run("serve", "--port", "http")
    assert (result.returncode, result.stderr) == (
        2, "kit: argument --port: not a whole number: 'http'; see 'kit serve --help'\n")
    result = kit.run("up", "--profile", "slow")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "invalid choice: 'slow'" in result.stderr


def test_version_and_python_dash_m(kit: Kit) -> None:
    from importlib.metadata import version

    result = subprocess.run([sys.executable, "-m", "kitlib.cli", "--version"],
                            capture_output=True, text=True, env=kit.env, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"kitlib {version('kitlib')}\n")
    assert kit.run("--version").stdout == result.stdout


def test_profiles_agree_with_the_simulator() -> None:
    from kitlib.cli import PROFILES
    from kitlib.sim import cluster

    assert PROFILES == cluster.PROFILES



def test_two_simulators_never_share_a_state_file(kit: Kit, tmp_path: Path) -> None:
    state = tmp_path / "shared.db"
    proc, _, _ = _serve(kit, tmp_path, "--state", str(state))
    try:
        result = kit.run("serve", "--port", "0", "--state", str(state),
                         "--kubeconfig", str(tmp_path / "other"))
        assert (result.returncode, result.stderr) == (
            1, f"kit: the state file {state} is in use by another simulator (pid {proc.pid}); "
               "stop it first, or choose another with --state or --ephemeral\n")
    finally:
        _stop(proc)


def test_reset_leaves_a_foreground_simulators_state_alone(kit: Kit, tmp_path: Path) -> None:
    proc, _, _ = _serve(kit, tmp_path)           # the kit home's state file
    try:
        result = kit.run("reset")
        assert result.returncode == 1 and "is in use by another simulator" in result.stderr
        assert (kit.home / "state.db").exists()
    finally:
        _stop(proc)


@pytest.mark.kubectl
def test_kubectl_uses_the_kubeconfig(kit: Kit, tmp_path: Path, kubectl_path: str) -> None:
    proc, config, _ = _serve(kit, tmp_path, "--ephemeral")
    try:
        result = subprocess.run([kubectl_path, "--kubeconfig", str(config), "get", "namespace",
                                 "default", "-o", "name"], capture_output=True, text=True,
                                timeout=60, env={**kit.env, "HOME": str(tmp_path)})
        assert (result.returncode, result.stdout) == (0, "namespace/default\n"), result.stderr
    finally:
        _stop(proc)
