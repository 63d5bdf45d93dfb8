"""``kit up``, ``kit down``, ``kit status``, ``kit reset``: the simulator in the background.

The background simulator is ``kit serve`` in a session of its own, with the kit home's
state file and kubeconfig, so a terminal and the notebooks share one cluster that outlives
either.  ``kit up`` returns only when the API answers, so the next command can use it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from kitlib.cli import api, kubeconfig, ports, process
from kitlib.cli.console import EXIT_FAILURE, EXIT_NOT_RUNNING, EXIT_OK, KitError, console, say
from kitlib.cli.home import KitHome
from kitlib.cli.serve import already_running, usage_line
from kitlib.cli.status import Snapshot, collect, render

STOP_HINT = "'kit down' stops it"


@dataclass(frozen=True, kw_only=True)
class UpOptions:
    host: str
    port: int
    kubeconfig: Path
    nodes: int
    seed: int | None
    profile: str
    timeout: float = 30.0       # seconds to wait for the API to answer


def up(options: UpOptions, *, home: KitHome) -> int:
    with process.exclusive(home):
        return _up(options, home=home)


def _up(options: UpOptions, *, home: KitHome) -> int:
    found = process.running(home)
    if found is not None:
        raise already_running(*found)
    ports.check_free(options.host, options.port)
    home.ensure()
    kubeconfig.check_writable(options.kubeconfig)
    argv = [sys.executable, "-m", "kitlib.cli", "serve", "--host", options.host,
            "--port", str(options.port), "--kubeconfig", str(options.kubeconfig),
            "--state", str(home.state), "--nodes", str(options.nodes),
            "--profile", options.profile, "--daemon-file", str(home.daemon_file)]
    if options.seed is not None:
        argv += ["--seed", str(options.seed)]
    with open(home.log_file, "ab") as log:
        offset = log.tell()
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    process.write_pid(home, child.pid)
    record = _wait_for_record(child, home=home, offset=offset, timeout=options.timeout)
    creds = kubeconfig.credentials(Path(record.kubeconfig))
    try:
        api.wait_ready(record.url, token=creds.token, ca_pem=creds.ca_pem, timeout=5.0)
    except api.ApiError as exc:
        raise KitError(f"the simulator (pid {child.pid}) started but its API at {record.url} "
                       f"does not answer: {exc}; see {home.log_file}") from None
    say(usage_line(record.url, Path(record.kubeconfig), stop_hint=STOP_HINT))
    return EXIT_OK


def _wait_for_record(child: subprocess.Popen[bytes], *, home: KitHome, offset: int,
                     timeout: float) -> process.DaemonRecord:
    """The record the child writes once its API answers; its own error if it exits first."""
    deadline = time.monotonic() + timeout
    while True:
        record = process.DaemonRecord.load(home.daemon_file)
        if record is not None and record.pid == child.pid:
            return record
        code = child.poll()
        if code is not None:
            process.forget(home, pid=child.pid)
            raise KitError(_failure(home.log_file, offset, code))
        if time.monotonic() >= deadline:
            process.terminate(child.pid, timeout=5.0)
            child.wait()
            process.forget(home, pid=child.pid)
            raise KitError(f"the simulator did not answer within {timeout:g}s; "
                           f"see {home.log_file}")
        time.sleep(0.02)


def _failure(log_file: Path, offset: int, code: int) -> str:
    """Why the background simulator exited: its own ``kit:`` line, or its last words."""
    try:
        with open(log_file, "rb") as log:
            log.seek(offset)
            lines = log.read().decode("utf-8", "replace").splitlines()
    except OSError:
        lines = []
    ours = [line for line in lines if line.startswith("kit: ")]
    if ours:
        return ours[-1][len("kit: "):]
    last = next((line.strip() for line in reversed(lines) if line.strip()), "")
    detail = f" ({last})" if last else ""
    return f"the simulator exited with code {code}{detail}; see {log_file}"


def down(*, home: KitHome, timeout: float = 10.0) -> int:
    with process.exclusive(home):
        return _down(home=home, timeout=timeout)


def _down(*, home: KitHome, timeout: float) -> int:
    found = process.running(home)
    if found is None:
        say("The simulator is not running.")
        return EXIT_OK
    pid, _ = found
    clean = process.terminate(pid, timeout=timeout)
    process.forget(home, pid=pid)
    say(f"Stopped the simulator (pid {pid})." if clean else
        f"The simulator (pid {pid}) did not stop within {timeout:g}s and was killed.")
    return EXIT_OK


def status(*, home: KitHome, as_json: bool = False) -> int:
    found = process.running(home)
    if found is None:
        raise KitError("the simulator is not running; start it with 'kit up'",
                       code=EXIT_NOT_RUNNING)
    pid, record = found
    if record is None:
        raise KitError(f"the simulator (pid {pid}) is still starting; try again in a moment")
    creds = kubeconfig.credentials(Path(record.kubeconfig))
    snapshot = Snapshot(url=record.url, kubeconfig=record.kubeconfig, state=record.state,
                        pid=pid, uptime=time.time() - record.started_at)
    try:
        with api.ApiConnection(record.url, token=creds.token, ca_pem=creds.ca_pem) as conn:
            collect(conn, snapshot)
    except api.ApiError as exc:
        raise KitError(f"the simulator (pid {pid}) is running but its API at {record.url} "
                       f"does not answer: {exc}", code=EXIT_FAILURE) from None
    if as_json:
        say(json.dumps(asdict(snapshot), indent=2))
    else:
        console().print(render(snapshot))
    return EXIT_OK


def reset(*, home: KitHome, timeout: float = 10.0) -> int:
    """A fresh cluster: stop, delete the state, start again with the same options if it ran."""
    with process.exclusive(home):
        return _reset(home=home, timeout=timeout)


def _reset(*, home: KitHome, timeout: float) -> int:
    found = process.running(home)
    record: process.DaemonRecord | None = None
    if found is not None:
        pid, record = found
        if record is None:
            raise KitError(f"the simulator (pid {pid}) is still starting; "
                           "try again in a moment")
        process.terminate(pid, timeout=timeout)
        process.forget(home, pid=pid)
    lock = process.lock_state(home.state)     # refuses while a foreground serve uses it
    try:
        for path in home.state_files():
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise KitError(f"cannot delete the state file {path}: {exc.strerror}") from None
    finally:
        os.close(lock)
    say(f"Reset the cluster: deleted {home.state}.")
    if record is None:
        return EXIT_OK
    # The same port keeps the kubeconfig's server valid; the new token is written into it.
    return _up(UpOptions(host=record.host, port=record.port,
                         kubeconfig=Path(record.kubeconfig), nodes=record.nodes,
                         seed=record.seed, profile=record.profile), home=home)
