"""The pid file and the daemon record, without a daemon."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kitlib.cli import process
from kitlib.cli.home import KitHome, kit_home


def test_kit_home_honours_the_environment(tmp_path: Path) -> None:
    assert kit_home(environ={"KIT_HOME": str(tmp_path)}).root == tmp_path
    assert kit_home(environ={}).root == Path.home() / ".kit"
    home = kit_home(environ={"KIT_HOME": str(tmp_path)})
    assert (home.state.name, home.kubeconfig.name) == ("state.db", "kubeconfig")


def test_a_dead_or_foreign_pid_is_not_alive() -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert not process.alive(dead.pid)
    assert not process.alive(os.getpid())            # alive, but not ``kit serve``


def test_a_zombie_is_not_alive() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass", "kit", "serve"])
    try:
        # Not waited for yet: once it exits it is a zombie, which must count as gone.
        import time
        deadline = time.monotonic() + 10
        while process.alive(child.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not process.alive(child.pid)
    finally:
        child.wait()


def test_running_forgets_stale_files(tmp_path: Path) -> None:
    home = KitHome(root=tmp_path)
    process.write_pid(home, 999_999_999)
    process.DaemonRecord(pid=999_999_999, url="http://x", host="h", port=1, kubeconfig="k",
                         state="s", nodes=1, seed=None, profile="fast",
                         started_at=0.0).save(home.daemon_file)
    assert process.running(home) is None
    assert list(tmp_path.iterdir()) == []


def test_a_record_round_trips(tmp_path: Path) -> None:
    record = process.DaemonRecord(pid=1, url="http://127.0.0.1:6443", host="127.0.0.1",
                                  port=6443, kubeconfig="/k", state="/s", nodes=3, seed=5,
                                  profile="realistic", started_at=12.5)
    record.save(tmp_path / "daemon.json")
    assert process.DaemonRecord.load(tmp_path / "daemon.json") == record
    (tmp_path / "bad.json").write_text("{")
    assert process.DaemonRecord.load(tmp_path / "bad.json") is None
