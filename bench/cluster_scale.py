"""Whole-cluster benchmarks: how fast the simulated control plane and nodes work together.

The API-server benchmarks (``bench/run``) time single requests; these time what a learner
notices: a Deployment scaled from 0 to 1,000 replicas until every pod is Ready, a deleted
pod replaced, and a cluster of 100 nodes holding 10,000 pods while nothing happens (its
memory and its idle CPU).  Everything runs in one process and one event loop, as ``kit
serve`` does; the cluster is driven through the in-process client, so no HTTP client
competes with the simulator for the interpreter.

    .venv/bin/python -m bench.cluster_scale ready      [--nodes 11] [--replicas 1000]
    .venv/bin/python -m bench.cluster_scale reconcile  [--nodes 4] [--replicas 50] [--rounds 300]
    .venv/bin/python -m bench.cluster_scale steady     [--nodes 100] [--pods 10000] [--idle 30]
                                                       [--idle-empty 20] [--settle 10]
    .venv/bin/python -m bench.cluster_scale writes     [--count 2000]
    .venv/bin/python -m bench.cluster_scale all        (ready, reconcile, writes; steady with --steady)

``bench/run`` runs these through ``bench/clusters.py`` (sections reconcile, scale, steady),
each in a fresh process, and reads the ``--json`` line.  Each scenario measures its own
baseline in the same process: reconcile the one-hop floor (a create until a store watcher
holds its event), steady the same nodes idle before any pod; scale's baseline is the
``writes`` scenario (as many bare pod creates through the registry).

Options common to all: ``--state FILE`` (SQLite persistence; default: a temporary file, as
``kit serve`` always persists), ``--memory`` (no persistence), ``--profile FILE`` (cProfile
of the measured phase), ``--tracemalloc N`` (the N largest allocation sites at the end),
``--gc-tuned`` (freeze the start-up objects and raise the collector's thresholds, to show
what that would give), ``--json`` (one JSON line of results per scenario, for bench/run).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import math
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import psutil

from kitlib.sim.cluster import SimCluster, SimConfig
from kitlib.sim.store.watch import Watcher
from kitlib.sim.machinery.fields import EVERYTHING as ALL_FIELDS
from kitlib.sim.machinery.labels import EVERYTHING as ALL_LABELS

JSON = dict[str, Any]
PROCESS = psutil.Process()
IMAGE = "nginx:1.25"


# --- helpers --------------------------------------------------------------------------------

def rss_mb() -> float:
    return PROCESS.memory_info().rss / 2**20


def cpu_seconds() -> float:
    times = PROCESS.cpu_times()
    return times.user + times.system


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    # Nearest rank: the smallest value with at least p% of the samples at or below it.
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered) - 1e-9) - 1))
    return ordered[index]


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    if not path:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(path)
        print(f"  profile written to {path} (python -m pstats {path})", file=sys.stderr)


def deployment(name: str, replicas: int, labels: dict[str, str]) -> JSON:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "web", "image": IMAGE}]}}}}


async def start_cluster(args: argparse.Namespace, nodes: int) -> SimCluster:
    state = None
    if not args.memory:
        state = Path(args.state) if args.state else Path(tempfile.mkdtemp()) / "state.db"
        if state.exists():
            state.unlink()
    cluster = SimCluster(SimConfig(seed=1, nodes=nodes, state=state, profile="fast"))
    await cluster.start()
    if args.gc_tuned:
        # What the assembly could do once the cluster is up (see the report): the objects
        # made at start-up (the schema, modules) leave the collector's view, and the
        # youngest generation is collected every 10,000 allocations instead of 700.
        gc.collect()
        gc.freeze()
        gc.set_threshold(10_000, 50, 100)
    await cluster.informers.wait_synced()
    # Wait until every node has registered and is Ready (the scheduler needs them).
    await until(lambda: ready_nodes(cluster) >= nodes, timeout=120)
    return cluster


def ready_nodes(cluster: SimCluster) -> int:
    count = 0
    for record in cluster.store.list("nodes"):
        conditions = (record.object().get("status") or {}).get("conditions") or []
        if any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions):
            count += 1
    return count


async def until(check: Any, *, timeout: float, every: float = 0.01) -> float:
    """Wait for ``check()``; returns the seconds it took."""
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(every)
    return time.perf_counter() - started


async def create_namespace(cluster: SimCluster, name: str) -> None:
    client = cluster.context.client("bench")
    await client.create("namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                       "metadata": {"name": name}})


def deployment_ready(cluster: SimCluster, namespace: str, name: str, replicas: int) -> bool:
    record = cluster.store.get("deployments.apps", namespace, name)
    if record is None:
        return False
    status = record.object().get("status") or {}
    return (status.get("readyReplicas") == replicas
            and status.get("availableReplicas") == replicas
            and status.get("updatedReplicas") == replicas)


async def scale(cluster: SimCluster, namespace: str, name: str, replicas: int) -> None:
    client = cluster.context.client("bench")

    def change(obj: JSON) -> None:
        obj["spec"]["replicas"] = replicas
    await client.mutate("deployments.apps", namespace=namespace, name=name, change=change)


def memory_summary(cluster: SimCluster) -> JSON:
    started = time.perf_counter()
    gc.collect()
    pause = time.perf_counter() - started
    counts = cluster.object_counts()
    raw = sum(len(r.raw) for key in cluster.store.resources() for r in cluster.store.list(key))
    windows = getattr(cluster.store, "_windows", {})
    window_events = sum(len(w) for w in windows.values())
    return {"rss_mb": round(rss_mb(), 1), "objects": counts,
            "stored_json_mb": round(raw / 2**20, 1), "window_events": window_events,
            "gc_objects": len(gc.get_objects()), "gc_full_collection_ms": round(pause * 1000)}


async def watch_hop(cluster: SimCluster, namespace: str, *, samples: int) -> list[float]:
    """The floor of any reaction: one create through the in-process client (as a
    controller writes) until a store watcher holds its ADDED event, in milliseconds.
    A replacement pod needs several such hops in a row (delete seen, pod created, bound,
    each kubelet status write), so the reconcile figures are read against it."""
    client = cluster.context.client("bench")
    watcher = Watcher(resource="configmaps", namespace=namespace, labels=ALL_LABELS,
                      fields=ALL_FIELDS)
    cluster.store.subscribe(watcher, since=None)
    delays: list[float] = []
    try:
        for i in range(samples):
            started = time.perf_counter()
            await client.create("configmaps", {"apiVersion": "v1", "kind": "ConfigMap",
                                               "metadata": {"name": f"hop-{i}"}},
                                namespace=namespace)
            while True:
                event = await watcher.queue.get()
                if event is not None and event.record.name == f"hop-{i}":
                    break
            delays.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.002)
    finally:
        cluster.store.unsubscribe(watcher)
    return delays


async def idle_usage(cluster: SimCluster, seconds: float, *,
                     profile: str | None = None) -> JSON:
    """What the process uses while nobody asks anything: % of one core and writes per
    second over ``seconds``, and the RSS at the end."""
    gc.collect()
    rv0, cpu0, wall0 = cluster.store.rv, cpu_seconds(), time.perf_counter()
    with profiled(profile):
        await asyncio.sleep(seconds)
    wall = time.perf_counter() - wall0
    return {"idle_cpu_percent": round((cpu_seconds() - cpu0) / wall * 100, 2),
            "idle_writes_per_second": round((cluster.store.rv - rv0) / wall, 1),
            "rss_mb": round(rss_mb(), 1)}


# --- scenarios -----------------------------------------------------------------------------

async def scenario_ready(args: argparse.Namespace) -> JSON:
    """0 -> N replicas of one Deployment, until all are Ready, available and updated."""
    cluster = await start_cluster(args, args.nodes)
    try:
        await create_namespace(cluster, "bench")
        client = cluster.context.client("bench")
        await client.create("deployments.apps", deployment("big", 0, {"app": "big"}),
                            namespace="bench")
        await asyncio.sleep(0.2)
        cpu0, rss0, rv0 = cpu_seconds(), rss_mb(), cluster.store.rv
        with profiled(args.profile):
            started = time.perf_counter()
            await scale(cluster, "bench", "big", args.replicas)
            await until(lambda: deployment_ready(cluster, "bench", "big", args.replicas),
                        timeout=300)
            elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu0
        result = {"scenario": "ready", "nodes": args.nodes, "replicas": args.replicas,
                  "seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2),
                  "writes": cluster.store.rv - rv0,
                  "cpu_ms_per_write": round(cpu * 1000 / max(1, cluster.store.rv - rv0), 3),
                  "rss_before_mb": round(rss0, 1), **memory_summary(cluster)}
        return result
    finally:
        await cluster.stop()


async def scenario_reconcile(args: argparse.Namespace) -> JSON:
    """Delete one Ready pod at a time; time until a replacement pod is Ready."""
    cluster = await start_cluster(args, args.nodes)
    try:
        await create_namespace(cluster, "bench")
        client = cluster.context.client("bench")
        await client.create("deployments.apps", deployment("web", args.replicas, {"app": "web"}),
                            namespace="bench")
        await until(lambda: deployment_ready(cluster, "bench", "web", args.replicas),
                    timeout=120)
        known: set[str] = {r.name for r in cluster.store.list("pods", "bench")}
        waiting: dict[str, asyncio.Future[float]] = {}
        phases: dict[str, float] = {}           # the round's new pod: created, bound
        loop = asyncio.get_running_loop()
        watcher = Watcher(resource="pods", namespace="bench", labels=ALL_LABELS,
                          fields=ALL_FIELDS)
        cluster.store.subscribe(watcher, since=None)

        async def follow() -> None:
            # The first Ready pod whose name was never seen resolves the waiting round.
            while True:
                event = await watcher.queue.get()
                if event is None:
                    return
                record = event.record
                if record.name in known or event.type == "DELETED":
                    continue
                phases.setdefault("created", time.perf_counter())
                if record.fields.get("spec.nodeName"):
                    phases.setdefault("bound", time.perf_counter())
                status = record.object().get("status") or {}
                ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                            for c in status.get("conditions") or [])
                if ready:
                    known.add(record.name)
                    future = waiting.pop("next", None)
                    if future is not None and not future.done():
                        future.set_result(time.perf_counter())

        hop = await watch_hop(cluster, "bench", samples=args.rounds)
        rv0 = cluster.store.rv
        follower = loop.create_task(follow())
        latencies: list[float] = []
        created: list[float] = []
        bound: list[float] = []
        with profiled(args.profile):
            for _ in range(args.rounds):
                phases.clear()
                victim = next(r for r in cluster.store.list("pods", "bench")
                              if b'"deletionTimestamp"' not in r.raw)
                future: asyncio.Future[float] = loop.create_future()
                waiting["next"] = future
                started = time.perf_counter()
                await client.delete("pods", namespace="bench", name=victim.name)
                done = await asyncio.wait_for(future, 30)
                latencies.append((done - started) * 1000)
                created.append((phases.get("created", done) - started) * 1000)
                bound.append((phases.get("bound", done) - started) * 1000)
                await asyncio.sleep(0.005)
        follower.cancel()
        cluster.store.unsubscribe(watcher)
        return {"scenario": "reconcile", "nodes": args.nodes, "replicas": args.replicas,
                "rounds": len(latencies),
                "writes_per_round": round((cluster.store.rv - rv0) / len(latencies), 1),
                "hop_p50_ms": round(percentile(hop, 50), 3),
                "hop_p99_ms": round(percentile(hop, 99), 3),
                "p50_ms": round(percentile(latencies, 50), 2),
                "p99_ms": round(percentile(latencies, 99), 2),
                "max_ms": round(max(latencies), 2),
                "mean_ms": round(statistics.fmean(latencies), 2),
                "created_p50_ms": round(percentile(created, 50), 2),
                "bound_p50_ms": round(percentile(bound, 50), 2),
                "created_p99_ms": round(percentile(created, 99), 2),
                "bound_p99_ms": round(percentile(bound, 99), 2)}
    finally:
        await cluster.stop()


async def scenario_steady(args: argparse.Namespace) -> JSON:
    """N pods on M nodes, all Ready; then the memory held and the CPU used while idle."""
    cluster = await start_cluster(args, args.nodes)
    try:
        per = 1000
        deployments = max(1, args.pods // per)
        client = cluster.context.client("bench")
        await create_namespace(cluster, "bench")
        # The baseline: the same nodes, no pods, after the same rest.
        await asyncio.sleep(args.settle)
        empty = await idle_usage(cluster, args.idle_empty)
        print(f"  {args.nodes} nodes, no pods: {empty}", file=sys.stderr)
        started = time.perf_counter()
        for i in range(deployments):
            await client.create("deployments.apps",
                                deployment(f"d{i}", min(per, args.pods), {"app": f"d{i}"}),
                                namespace="bench")
        await until(lambda: all(deployment_ready(cluster, "bench", f"d{i}", min(per, args.pods))
                                for i in range(deployments)), timeout=1800, every=0.5)
        fill = time.perf_counter() - started
        print(f"  {args.pods} pods Ready in {fill:.1f} s; settling {args.settle} s",
              file=sys.stderr)
        peak = rss_mb()
        await asyncio.sleep(args.settle)
        held = await idle_usage(cluster, args.idle, profile=args.profile)
        return {"scenario": "steady", "nodes": args.nodes, "pods": args.pods,
                "fill_seconds": round(fill, 1), "rss_after_fill_mb": round(peak, 1),
                "settle_seconds": args.settle, "idle_seconds": args.idle,
                "empty_idle_seconds": args.idle_empty,
                "empty_idle_cpu_percent": empty["idle_cpu_percent"],
                "empty_idle_writes_per_second": empty["idle_writes_per_second"],
                "empty_rss_mb": empty["rss_mb"],
                "idle_cpu_percent": held["idle_cpu_percent"],
                "idle_writes_per_second": held["idle_writes_per_second"],
                "idle_rss_mb": held["rss_mb"], **memory_summary(cluster)}
    finally:
        await cluster.stop()


async def scenario_writes(args: argparse.Namespace) -> JSON:
    """Registry writes without HTTP: creates, status updates and bindings, per second."""
    cluster = await start_cluster(args, 1)
    try:
        await create_namespace(cluster, "bench")
        pods = cluster.registry["pods"]
        from kitlib.sim.registry.options import WriteOptions
        options = WriteOptions(field_manager="bench")
        creates: list[float] = []
        # Pods aimed at a scheduler nobody runs, so that only this loop writes.
        with profiled(args.profile):
            started = time.perf_counter()
            for i in range(args.count):
                obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"p{i}",
                       "labels": {"app": "w"}},
                       "spec": {"schedulerName": "nobody",
                                "containers": [{"name": "c", "image": IMAGE}]}}
                t0 = time.perf_counter()
                await pods.create(obj, namespace="bench", options=options)
                creates.append((time.perf_counter() - t0) * 1000)
            total = time.perf_counter() - started
            client = cluster.context.client("bench")
            statuses: list[float] = []
            for i in range(args.count):
                t0 = time.perf_counter()

                def change(obj: JSON, i: int = i) -> None:
                    obj["status"]["conditions"] = [{"type": "PodScheduled", "status": "False",
                                                    "reason": "Unschedulable",
                                                    "message": f"try {i}"}]
                await client.mutate("pods", namespace="bench", name=f"p{i}", change=change,
                                    subresource="status")
                statuses.append((time.perf_counter() - t0) * 1000)
        return {"scenario": "writes", "count": args.count,
                "creates_per_second": round(args.count / total),
                "create_p50_ms": round(percentile(creates, 50), 3),
                "create_p99_ms": round(percentile(creates, 99), 3),
                "status_p50_ms": round(percentile(statuses, 50), 3),
                "status_p99_ms": round(percentile(statuses, 99), 3)}
    finally:
        await cluster.stop()


SCENARIOS = {"ready": scenario_ready, "reconcile": scenario_reconcile,
             "steady": scenario_steady, "writes": scenario_writes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    parser.add_argument("--nodes", type=int, default=None)
    parser.add_argument("--replicas", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--idle", type=float, default=30.0,
                        help="steady: seconds of idle CPU measured with every pod Ready")
    parser.add_argument("--idle-empty", type=float, default=20.0,
                        help="steady: seconds of idle CPU measured before any pod (baseline)")
    parser.add_argument("--settle", type=float, default=10.0)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--state", default=None)
    parser.add_argument("--memory", action="store_true", help="no SQLite persistence")
    parser.add_argument("--steady", action="store_true", help="'all' includes steady")
    parser.add_argument("--profile", default=None)
    parser.add_argument("--tracemalloc", type=int, default=0)
    parser.add_argument("--gc-tuned", action="store_true",
                        help="gc.freeze() after start-up and gc thresholds (10000, 50, 100)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    names = [args.scenario] if args.scenario != "all" else \
        ["ready", "reconcile", "writes"] + (["steady"] if args.steady else [])
    defaults = {"ready": (11, 1000), "reconcile": (4, 50), "steady": (100, 0), "writes": (1, 0)}
    if args.tracemalloc:
        tracemalloc.start(4)
    for name in names:
        run = argparse.Namespace(**vars(args))
        run.nodes = args.nodes or defaults[name][0]
        run.replicas = args.replicas or defaults[name][1]
        result = asyncio.run(SCENARIOS[name](run))
        print(json.dumps(result) if args.json else
              "\n".join(f"{k:>24}: {v}" for k, v in result.items()) + "\n", flush=True)
    if args.tracemalloc:
        snapshot = tracemalloc.take_snapshot()
        for stat in snapshot.statistics("lineno")[:args.tracemalloc]:
            print(f"  {stat.size / 2**20:8.1f} MB {stat.count:9d}  {stat.traceback[0]}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
