"""The API-server benchmarks of ``bench/run`` (section api), against one loaded ``kit serve``.

Create throughput (the pods are loaded by the benchmark itself), request latency through
the official client, watch delivery delay, watch fan-out, memory as the pods arrive, and
the restart on the resulting state file: they share one server and its 10,000 pods, so
they run together, in this order, each beside the hello server's figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench import latency, load, procs


def namespace(server: procs.Server, name: str) -> None:
    import requests

    response = requests.post(f"{server.url}/api/v1/namespaces", json={"metadata": {"name": name}},
                             headers={"Authorization": f"Bearer {server.token}"},
                             verify=str(server.ca_file), timeout=30)
    assert response.status_code in (201, 409), response.text


#: A scheduler nobody runs: pods that name it stay Pending and untouched (as on a real
#: cluster), so creating them measures the API server's own work.
NO_SCHEDULER = "bench-no-scheduler"


def pod_bodies(start: int, stop: int, *, scheduler: str = "") -> list[bytes]:
    bodies = []
    for i in range(start, stop):
        pod = load.pod(f"pod-{i}", labels={"app": f"bench-{i % 1000}", "tier": "web"})
        if scheduler:
            pod["spec"]["schedulerName"] = scheduler
        bodies.append(json.dumps(pod).encode())
    return bodies


def census(server: procs.Server) -> dict[str, Any]:
    """The resourceVersion, and how many pods (scheduled or not) and events there are."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.token}"
    session.verify = str(server.ca_file)
    session.trust_env = False       # REQUESTS_CA_BUNDLE would override verify

    def count(path: str, **params: str) -> tuple[int, int]:
        body = session.get(server.url + path, params={"limit": "1", **params},
                           timeout=60).json()
        meta = body["metadata"]
        return len(body["items"]) + int(meta.get("remainingItemCount", 0)), \
            int(meta["resourceVersion"])

    pods, rv = count("/api/v1/pods")
    scheduled, _ = count("/api/v1/pods", fieldSelector="spec.nodeName!=")
    events, _ = count("/api/v1/events")
    return {"rv": rv, "pods": pods, "scheduled": scheduled, "events": events}


def settle(pid: int, seconds: float = 1.0) -> float:
    time.sleep(seconds)
    return procs.rss_mb(pid)


def measure(folder: Path, tls: tuple[Path, Path, Path], args: argparse.Namespace
               ) -> dict[str, Any]:
    """The API-server benchmarks: throughput, latency, watch delay, fan-out, memory and
    the restart with every pod (they share one loaded ``kit serve``)."""
    results: dict[str, Any] = {}
    print("servers ...", flush=True)
    hello, _ = procs.start_hello(folder, cert=tls[0], key=tls[1], ca=tls[2])
    sim, _, _ = procs.start_kit_serve(folder, state=folder / "bench.db",
                                      log=folder / "serve.log")
    sim_target = load.Target(sim.url, sim.token, str(sim.ca_file))
    hello_target = load.Target(hello.url, "", str(hello.ca_file))
    try:
        namespace(sim, "bench")
        rv_before = census(sim)["rv"]
        memory: dict[str, float] = {"empty": settle(sim.pid, 2.0),
                                    "hello": procs.rss_mb(hello.pid)}
        small = args.pods // 10

        print(f"loading {small} pods ...", flush=True)
        first = load.creates(sim_target, "/api/v1/namespaces/bench/pods",
                             pod_bodies(0, small), concurrency=args.concurrency)
        memory[f"{small}"] = settle(sim.pid)

        print(f"loading {args.pods - small} more pods (throughput) ...", flush=True)
        bulk = load.creates(sim_target, "/api/v1/namespaces/bench/pods",
                            pod_bodies(small, args.pods), concurrency=args.concurrency)
        memory[f"{args.pods}"] = settle(sim.pid, 3.0)
        floor = load.creates(hello_target, "/hello", pod_bodies(0, args.pods - small),
                             concurrency=args.concurrency)
        results["throughput"] = {"first": first, "sim": bulk, "hello": floor}
        after = census(sim)
        after["writes_per_pod"] = (after["rv"] - rv_before) / args.pods
        results["census"] = after
        results["memory"] = memory

        print("latency ...", flush=True)
        results["latency"] = latency.request_latencies(
            sim, hello, namespace="bench", pod_name="pod-5", n=args.samples)

        print("watch delay ...", flush=True)
        results["watch_delay"] = watch_delay(sim, hello, events=args.watch_events)

        print("fan-out ...", flush=True)
        results["fanout"] = fanout(sim, hello, sim_target, hello_target,
                                   watchers=args.watchers, events=args.fanout_events)

        print(f"{args.pods - small} creates the scheduler leaves alone ...", flush=True)
        namespace(sim, "alone")
        results["throughput"]["alone"] = load.creates(
            sim_target, "/api/v1/namespaces/alone/pods",
            pod_bodies(0, args.pods - small, scheduler=NO_SCHEDULER),
            concurrency=args.concurrency)
        memory["after everything"] = procs.rss_mb(sim.pid)
    finally:
        sim.stop()
        hello.stop()

    print("restart with every pod ...", flush=True)
    restarts = []
    for _ in range(args.restart_runs):
        server, took, ready = procs.start_kit_serve(folder, state=folder / "bench.db",
                                                    log=folder / "serve.log")
        restarts.append((took, ready, settle(server.pid)))
        server.stop()
    results["restart"] = {
        "median": statistics.median(r[0] for r in restarts),
        "median_ready": statistics.median(r[1] for r in restarts),
        "rss": statistics.median(r[2] for r in restarts),
        "runs": restarts}
    return results


def watch_delay(sim: procs.Server, hello: procs.Server, *, events: int) -> dict[str, Any]:
    import requests
    from kubernetes import client

    api = latency.api_client(sim.url, sim.token, str(sim.ca_file))
    core = client.CoreV1Api(api)

    def write_pod(name: str, label: str) -> None:
        core.create_namespaced_pod("bench", load.pod(name, labels={"bench": label}),
                                   _preload_content=False).data

    floor_api = latency.api_client(hello.url, None, str(hello.ca_file))

    def publish(name: str, label: str) -> None:
        floor_api.call_api("/publish", "POST", body={"type": "MESSAGE", "name": name},
                           header_params={"Content-Type": "application/json"},
                           _preload_content=False, _return_http_data_only=True).data

    out = {
        "sim (typed Watch)": latency.watch_delays(
            sim, path="/api/v1/namespaces/bench/pods", write=write_pod, mode="typed",
            events=events),
        "sim (raw stream)": latency.watch_delays(
            sim, path="/api/v1/namespaces/bench/pods", write=write_pod, mode="raw",
            events=events),
        "floor: hello (raw stream)": latency.watch_delays(
            hello, path="/watch", write=publish, mode="raw", events=events),
    }
    api.close()
    floor_api.close()
    del requests
    return out


def fanout(sim: procs.Server, hello: procs.Server, sim_target: load.Target,
           hello_target: load.Target, *, watchers: int, events: int) -> dict[str, Any]:
    namespace(sim, "fanout")
    out = {}
    for name, target, watch_path, path, bodies in (
            ("sim", sim_target, "/api/v1/namespaces/fanout/configmaps?watch=1",
             "/api/v1/namespaces/fanout/configmaps",
             [json.dumps({"metadata": {"name": f"fan-{i}"}, "data": {"i": str(i)}}).encode()
              for i in range(events)]),
            ("hello", hello_target, "/watch", "/publish",
             [json.dumps({"type": "MESSAGE", "name": f"fan-{i}"}).encode()
              for i in range(events)])):
        group = load.Watchers(target, watch_path, count=watchers, expected=events)
        group.wait_ready()
        time.sleep(1.0)
        started = time.monotonic()
        written = load.creates(target, path, bodies, concurrency=8, processes=1)
        got = group.results()
        elapsed = got["last"] - started
        delivered = sum(got["received"])
        out[name] = {"watchers": watchers, "events": events, "delivered": delivered,
                     "complete": sum(1 for n in got["received"] if n >= events),
                     "per_second": delivered / elapsed if elapsed > 0 else 0.0,
                     "elapsed": elapsed, "write_elapsed": written["elapsed"],
                     "writes": written["statuses"], "errors": got["errors"]}
    return out
