"""How much memory the simulator holds, and how much CPU it burns while idle.

Two scenarios, the two memory targets of the simulator:

    .venv/bin/python -m bench.memory_probe serve  [--pods 10000]
        ``kit serve`` (3 nodes) in a process of its own, pods created through the API in
        namespace "bench" (most stay Pending: 110 fit on a node); its RSS empty, at a tenth
        of the pods and at all of them, then its CPU while nothing happens.
    .venv/bin/python -m bench.memory_probe steady [--nodes 100] [--pods 10000]
        a cluster of 100 nodes in this process (fast profile, persistence on), a Deployment
        of 10,000 replicas until all are Ready; its peak RSS, then the RSS and the CPU of
        this process while it idles.

``--inspect N`` (either scenario) adds where the memory is: the N largest allocation sites
(tracemalloc, by file and line; slow) and the N most numerous object types
(gc.get_objects).  ``serve --inspect`` runs the cluster in this process instead of ``kit
serve`` (the clients stay processes of their own), so it can look inside.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

from bench import load, procs

JSON = dict[str, Any]


def namespace(server: procs.Server, name: str) -> None:
    import requests

    response = requests.post(f"{server.url}/api/v1/namespaces", json={"metadata": {"name": name}},
                             headers={"Authorization": f"Bearer {server.token}"},
                             verify=str(server.ca_file), timeout=30)
    assert response.status_code in (201, 409), response.text


def pod_bodies(start: int, stop: int) -> list[bytes]:
    """The pods bench/main.py creates."""
    return [json.dumps(load.pod(f"pod-{i}", labels={"app": f"bench-{i % 1000}",
                                                     "tier": "web"})).encode()
            for i in range(start, stop)]


def census(server: procs.Server) -> JSON:
    """How many pods (scheduled or not) and events there are."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.token}"
    session.verify = str(server.ca_file)
    session.trust_env = False

    def count(path: str, **params: str) -> int:
        body = session.get(server.url + path, params={"limit": "1", **params},
                           timeout=60).json()
        return len(body["items"]) + int(body["metadata"].get("remainingItemCount", 0))

    return {"pods": count("/api/v1/pods"),
            "scheduled": count("/api/v1/pods", fieldSelector="spec.nodeName!="),
            "events": count("/api/v1/events")}


def rss_mb(pid: int | None = None) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


def cpu_seconds(pid: int | None = None) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def idle_cpu_percent(pid: int | None, seconds: float) -> float:
    """The CPU used over ``seconds`` of wall time, in percent of one core (for another
    process: measured from here; for this one: the caller must yield to its loop)."""
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0)


def inspect(top: int) -> None:
    """The largest allocation sites and the most numerous object types, printed."""
    gc.collect()
    if tracemalloc.is_tracing():
        snapshot = tracemalloc.take_snapshot().filter_traces([
            tracemalloc.Filter(False, tracemalloc.__file__)])
        stats = snapshot.statistics("lineno")
        total = sum(s.size for s in stats)
        print(f"\ntracemalloc: {total / 2**20:.1f} MB traced; largest sites:")
        for stat in stats[:top]:
            frame = stat.traceback[0]
            print(f"  {stat.size / 2**20:7.2f} MB {stat.count:8d}  "
                  f"{_short(frame.filename)}:{frame.lineno}")
        by_file = Counter[str]()
        for stat in stats:
            by_file[_short(stat.traceback[0].filename)] += stat.size
        print("by file:")
        for name, size in by_file.most_common(top):
            print(f"  {size / 2**20:7.2f} MB  {name}")
    counts = Counter(type(o).__name__ for o in gc.get_objects())
    print(f"\ngc objects: {sum(counts.values())}; most numerous types:")
    for name, count in counts.most_common(top):
        print(f"  {count:9d}  {name}")
    tasks = [t for t in asyncio.all_tasks(_loop)] if _loop is not None else []
    names = Counter(_task_kind(t) for t in tasks)
    print(f"\nasyncio tasks: {len(tasks)}: {dict(names.most_common(top))}")


_loop: asyncio.AbstractEventLoop | None = None


def _task_kind(task: asyncio.Task[Any]) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", type(coro).__name__)


def _short(filename: str) -> str:
    for marker in ("/kitlib/", "/site-packages/", "/lib/python3"):
        if marker in filename:
            return filename[filename.index(marker) + 1:]
    return filename


# --- scenario 1: kit serve with pods stored ---------------------------------------------

def scenario_serve(args: argparse.Namespace) -> JSON:
    folder = Path(tempfile.mkdtemp(prefix="kit-memory-"))
    if args.inspect:
        return _serve_inspected(args, folder)
    server, _, _ = procs.start_kit_serve(folder, state=folder / "state.db",
                                         log=folder / "serve.log")
    try:
        return _fill(args, server, server.pid)
    finally:
        server.stop()


def _fill(args: argparse.Namespace, server: procs.Server, pid: int | None) -> JSON:
    target = load.Target(server.url, server.token, str(server.ca_file))
    namespace(server, "bench")
    time.sleep(2)
    result: JSON = {"scenario": "serve", "empty_mb": round(rss_mb(pid), 1)}
    small = args.pods // 10
    load.creates(target, "/api/v1/namespaces/bench/pods", pod_bodies(0, small))
    time.sleep(1)
    result[f"rss_{small}_mb"] = round(rss_mb(pid), 1)
    load.creates(target, "/api/v1/namespaces/bench/pods", pod_bodies(small, args.pods))
    time.sleep(3)
    result[f"rss_{args.pods}_mb"] = round(rss_mb(pid), 1)
    result["census"] = census(server)
    result["idle_cpu_percent"] = round(idle_cpu_percent(pid, args.idle), 2)
    result["rss_after_idle_mb"] = round(rss_mb(pid), 1)
    return result


def _serve_inspected(args: argparse.Namespace, folder: Path) -> JSON:
    from kitlib.sim.cluster import SimConfig, ThreadedCluster

    global _loop
    tracemalloc.start()
    threaded = ThreadedCluster(SimConfig(state=folder / "state.db", nodes=3)).start()
    _loop = threaded.loop
    try:
        ca_file = folder / "ca.crt"
        ca_file.write_bytes(threaded.ca_pem)
        server = procs.Server(None, threaded.cluster.port, threaded.url,  # type: ignore
                              ca_file, threaded.token)
        result = _fill(args, server, None)
        threaded.call(_inspect_in_loop(args.inspect), timeout=600)
        return result
    finally:
        threaded.stop()


async def _inspect_in_loop(top: int) -> None:
    inspect(top)


# --- scenario 2: 100 nodes, 10,000 pods Running -----------------------------------------

async def _steady(args: argparse.Namespace) -> JSON:
    from bench.cluster_scale import deployment, deployment_ready
    from kitlib.sim.cluster import SimCluster, SimConfig

    global _loop
    _loop = asyncio.get_running_loop()
    if args.inspect:
        tracemalloc.start()
    state = Path(tempfile.mkdtemp(prefix="kit-memory-")) / "state.db"
    cluster = SimCluster(SimConfig(seed=1, nodes=args.nodes, state=state, profile="fast"))
    await cluster.start()
    peak = 0.0
    try:
        await cluster.informers.wait_synced()
        client = cluster.context.client("bench")
        await client.create("namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                           "metadata": {"name": "bench"}})
        result: JSON = {"scenario": "steady", "nodes": args.nodes, "pods": args.pods,
                        "empty_mb": round(rss_mb(), 1)}
        started = time.perf_counter()
        await client.create("deployments.apps", deployment("big", args.pods, {"app": "big"}),
                            namespace="bench")
        while not deployment_ready(cluster, "bench", "big", args.pods):
            peak = max(peak, rss_mb())
            if time.perf_counter() - started > args.timeout:
                raise TimeoutError(f"not Ready after {args.timeout} s")
            await asyncio.sleep(0.5)
        result["fill_seconds"] = round(time.perf_counter() - started, 1)
        result["peak_rss_mb"] = round(max(peak, rss_mb()), 1)
        await asyncio.sleep(args.settle)
        result["rss_settled_mb"] = round(rss_mb(), 1)
        rv0, cpu0, wall0 = cluster.store.rv, cpu_seconds(), time.perf_counter()
        await asyncio.sleep(args.idle)
        wall = time.perf_counter() - wall0
        result["idle_cpu_percent"] = round(100 * (cpu_seconds() - cpu0) / wall, 2)
        result["idle_writes_per_second"] = round((cluster.store.rv - rv0) / wall, 1)
        result["rss_after_idle_mb"] = round(rss_mb(), 1)
        result["objects"] = cluster.object_counts()
        if args.inspect:
            inspect(args.inspect)
        return result
    finally:
        await cluster.stop()


def scenario_steady(args: argparse.Namespace) -> JSON:
    return asyncio.run(_steady(args))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["serve", "steady"])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=100, help="steady only")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measured")
    parser.add_argument("--settle", type=float, default=10.0, help="steady: seconds before")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--inspect", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    run = scenario_serve if args.scenario == "serve" else scenario_steady
    result = run(args)
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
