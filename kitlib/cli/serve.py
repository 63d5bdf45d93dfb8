"""``kit serve``: one simulated cluster in the foreground, until Ctrl-C or SIGTERM.

The kubeconfig is the signal that the cluster is usable: it is written only after a real
authenticated request has been answered, so whoever polls for it (``kit up``, a notebook,
a test) can use it at once.  A stop by signal is a clean one: the cluster is stopped, its
state file flushed and closed, and the exit code is 0.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kitlib.cli import api, kubeconfig, ports, process
from kitlib.cli.console import EXIT_OK, EXIT_USAGE, KitError, say
from kitlib.cli.home import KitHome

if TYPE_CHECKING:
    from kitlib.sim.cluster import SimCluster

log = logging.getLogger("kitlib.cli")
READY_TIMEOUT = 10.0        # seconds for the first answered request after start()


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    host: str
    port: int
    kubeconfig: Path
    state: Path | None          # None: everything in memory (--ephemeral)
    nodes: int
    seed: int | None
    profile: str
    daemon_file: Path | None = None     # set when ``kit up`` runs us in the background
    verbose: bool = False


def usage_line(url: str, kubeconfig_path: Path, *, stop_hint: str) -> str:
    """The one line that says where the API is and how to use it."""
    return (f"Kubernetes API at {url} (context kit); use it with: "
            f"export KUBECONFIG={shlex.quote(str(kubeconfig_path))}  ({stop_hint})")


def already_running(pid: int, record: process.DaemonRecord | None) -> KitError:
    where = record.url if record is not None else "still starting"
    return KitError(f"the simulator is already running (pid {pid}, {where}); "
                    "use 'kit down' to stop it or 'kit status' to see it")


def serve(options: ServeOptions, *, home: KitHome) -> int:
    """Run the simulator until a signal stops it; the exit code."""
    if options.daemon_file is None:
        _refuse_to_share(options, home=home)
    ports.check_free(options.host, options.port)
    kubeconfig.check_writable(options.kubeconfig)
    if options.state is not None:
        process.lock_state(options.state)   # held, deliberately, until the process exits
    logging.basicConfig(level=logging.INFO if options.verbose else logging.WARNING,
                        stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return asyncio.run(_run(options))


def _refuse_to_share(options: ServeOptions, *, home: KitHome) -> None:
    """A second simulator must not write the daemon's state file or kubeconfig."""
    found = process.running(home)
    if found is None:
        return
    pid, record = found
    state = Path(record.state) if record else home.state
    config = Path(record.kubeconfig) if record else home.kubeconfig
    if options.state == state or _same_file(options.kubeconfig, config):
        raise already_running(pid, record)


def _same_file(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


async def _run(options: ServeOptions) -> int:
    from kitlib.sim.cluster import SimCluster, SimConfig    # slow: only once we will serve

    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stopping.set)
    try:
        config = SimConfig(host=options.host, port=options.port, state=options.state,
                           nodes=options.nodes, seed=options.seed, profile=options.profile)
    except ValueError as exc:
        raise KitError(str(exc), code=EXIT_USAGE) from None
    try:
        cluster = SimCluster(config)
    except (OSError, sqlite3.Error) as exc:
        raise KitError(f"cannot open the state file {options.state}: {exc}; "
                       "choose another with --state, or use --ephemeral") from None
    try:
        try:
            await cluster.start()
        except OSError as exc:
            raise ports.bind_error(options.host, options.port, exc) from None
        try:
            await loop.run_in_executor(None, partial(
                api.wait_ready, cluster.url, token=cluster.token,
                ca_pem=cluster.certificates.ca_pem, timeout=READY_TIMEOUT))
        except api.ApiError as exc:
            raise KitError(f"the simulator started but its API at {cluster.url} "
                           f"does not answer: {exc}") from None
        log.info("API answering at %s", cluster.url)
        if not stopping.is_set():
            _publish(cluster, options)
        await stopping.wait()
        log.info("stopping")
    finally:
        try:
            await cluster.stop()
        except Exception:  # stopping must not hide why we stop
            log.exception("error while stopping the simulator")
        if options.daemon_file is not None:
            record = process.DaemonRecord.load(options.daemon_file)
            if record is not None and record.pid == os.getpid():
                options.daemon_file.unlink(missing_ok=True)
    return EXIT_OK


def _publish(cluster: SimCluster, options: ServeOptions) -> None:
    """Write the kubeconfig (and the daemon record), then say where the API is."""
    kubeconfig.merge_into(options.kubeconfig, cluster.kubeconfig())
    if options.daemon_file is not None:
        process.DaemonRecord(
            pid=os.getpid(), url=cluster.url, host=options.host, port=cluster.port,
            kubeconfig=str(options.kubeconfig),
            state=str(options.state) if options.state else "",
            nodes=options.nodes, seed=options.seed, profile=options.profile,
            started_at=time.time()).save(options.daemon_file)
    hint = "'kit down' stops it" if options.daemon_file else "Ctrl-C stops it"
    say(usage_line(cluster.url, options.kubeconfig, stop_hint=hint))
