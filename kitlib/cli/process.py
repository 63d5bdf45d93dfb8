"""The background simulator as a process: its pid file, its record, and stopping it.

``kit up`` writes the pid file as soon as the process exists, so ``kit down`` can stop a
simulator that is still starting; the simulator writes its record (URL, options, start
time) once its API answers.  A pid file whose process has gone (a crash, a reboot, a pid
reused by something else) is stale: it is removed without a word.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from kitlib.cli.console import KitError
from kitlib.cli.home import KitHome

_PF_KTHREAD = 0x00200000        # /proc/<pid>/stat flags: a kernel thread


@dataclass(frozen=True, kw_only=True)
class DaemonRecord:
    """What a background simulator serves and how it was started (for status and reset)."""

    pid: int
    url: str
    host: str
    port: int
    kubeconfig: str
    state: str
    nodes: int
    seed: int | None
    profile: str
    started_at: float           # seconds since the epoch, when the API began to answer

    def save(self, path: Path) -> None:
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        os.replace(temp, path)

    @classmethod
    def load(cls, path: Path) -> DaemonRecord | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live (not zombie) process that looks like ``kit serve``."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False            # someone else's process: the pid was reused
    proc = Path("/proc") / str(pid)
    try:
        fields = (proc / "stat").read_text().rpartition(")")[2].split()
        cmdline = (proc / "cmdline").read_bytes()
    except OSError:
        return not proc.parent.is_dir()     # no /proc (macOS): trust the signal check
    state, flags = fields[0], int(fields[6])
    if state in ("Z", "X") or flags & _PF_KTHREAD:
        return False
    if not cmdline:
        return True             # exiting: its memory is gone, its files (and locks) not yet
    parts = cmdline.split(b"\0")
    return b"serve" in parts and any(b"kit" in part for part in parts)


def read_pid(home: KitHome) -> int | None:
    try:
        return int(home.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def write_pid(home: KitHome, pid: int) -> None:
    home.pid_file.write_text(f"{pid}\n", encoding="utf-8")


def forget(home: KitHome, *, pid: int | None = None) -> None:
    """Remove the pid file and the record (only ``pid``'s record, if given)."""
    if pid is None or read_pid(home) in (pid, None):
        home.pid_file.unlink(missing_ok=True)
    record = DaemonRecord.load(home.daemon_file)
    if pid is None or record is None or record.pid == pid:
        home.daemon_file.unlink(missing_ok=True)


def running(home: KitHome) -> tuple[int, DaemonRecord | None] | None:
    """The live background simulator's pid and record (None while it starts); else None."""
    pid = read_pid(home)
    if pid is None or not alive(pid):
        if home.pid_file.exists() or home.daemon_file.exists():
            forget(home)
        return None
    record = DaemonRecord.load(home.daemon_file)
    return pid, (record if record is not None and record.pid == pid else None)


def terminate(pid: int, *, timeout: float) -> bool:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL.  True if it stopped cleanly."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.02)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    while alive(pid) and time.monotonic() < deadline + 5:
        time.sleep(0.02)
    return False


@contextmanager
def exclusive(home: KitHome) -> Iterator[None]:
    """One ``kit up`` / ``down`` / ``reset`` at a time per kit home (two notebooks may both
    run ``kit up``: the second waits, then finds the first's simulator running)."""
    home.ensure()
    fd = os.open(home.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)        # the simulator does not inherit it: Popen closes other fds


def lock_state(state: Path) -> int:
    """Lock ``<state>.lock`` (an open descriptor: closing it unlocks); two simulators, or a
    simulator and ``kit reset``, must never use one state file at the same time."""
    if state.is_dir():
        raise KitError(f"cannot use the state file {state}: it is a directory; "
                       "choose a file with --state, or use --ephemeral")
    lock = Path(f"{state}.lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise KitError(f"cannot use the state file {state}: {exc.strerror}; "
                       "choose another with --state, or use --ephemeral") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise KitError(f"the state file {state} is in use by another simulator (pid {holder}); "
                       "stop it first, or choose another with --state or --ephemeral") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd
