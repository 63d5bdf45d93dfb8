"""Where the server's time goes: ``kit serve`` under cProfile while a workload runs.

    .venv/bin/python -m bench.profile_server creates --pods 5000
    .venv/bin/python -m bench.profile_server list --pods 10000
    .venv/bin/python -m bench.profile_server restore --pods 10000

Not part of ``bench/run`` (profiling slows the server down several times); it prints the
functions with the most time of their own and the most time below them.
"""

from __future__ import annotations

import argparse
import json
import pstats
import tempfile
import time
from pathlib import Path

from bench import load, procs
from bench.apiserver import namespace, pod_bodies


def serve_profiled(folder: Path, state: Path, out: Path) -> procs.Server:
    server, _, _ = procs.start_kit_serve(
        folder, state=state, log=folder / "serve.log",
        argv_prefix=[procs.PYTHON, "-m", "cProfile", "-o", str(out), "-m", "kitlib.cli"])
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["creates", "list", "restore", "idle"])
    parser.add_argument("--pods", type=int, default=5000)
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kit-profile-"))
    state, out = folder / "state.db", folder / "serve.prof"
    if args.workload in ("list", "restore"):
        # Fill the state file without the profiler, then profile what is asked.
        server, _, _ = procs.start_kit_serve(folder, state=state, log=folder / "serve.log")
        namespace(server, "bench")
        load.creates(load.Target(server.url, server.token, str(server.ca_file)),
                     "/api/v1/namespaces/bench/pods", pod_bodies(0, args.pods))
        time.sleep(3)
        server.stop()
    started = time.monotonic()
    server = serve_profiled(folder, state, out)
    print(f"profiled server answering after {time.monotonic() - started:.2f}s", flush=True)
    try:
        run_workload(args.workload, server, pods=args.pods)
    finally:
        time.sleep(2)
        server.stop()
    stats = pstats.Stats(str(out))
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


def run_workload(workload: str, server: procs.Server, *, pods: int) -> None:
    target = load.Target(server.url, server.token, str(server.ca_file))
    if workload == "creates":
        namespace(server, "bench")
        result = load.creates(target, "/api/v1/namespaces/bench/pods", pod_bodies(0, pods))
        print(json.dumps({k: v for k, v in result.items() if k != "statuses"}), flush=True)
    elif workload == "list":
        import requests

        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {server.token}"
        session.verify = str(server.ca_file)
        for _ in range(200):
            session.get(f"{server.url}/api/v1/namespaces/bench/pods",
                        params={"labelSelector": "app=bench-7"}, timeout=30).raise_for_status()
    elif workload == "idle":
        time.sleep(30)


if __name__ == "__main__":
    main()
