"""Every benchmark, in one run, each figure beside a baseline measured in the same run.

Run it as ``bench/run``.  The simulator under test is ``kit serve`` (persistence on: a
state file in a temporary folder), in a process of its own; the baseline is a minimal
aiohttp HTTPS server (``bench/hello_server.py``) started and driven the same way.  The
results go to ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import latency, load, procs, report

ROOT = Path(__file__).resolve().parent.parent


def machine() -> dict[str, str]:
    import psutil

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "kitlib"],
                           capture_output=True, text=True).stdout.strip()
    import aiohttp
    import kubernetes

    return {
        "CPU": cpu, "cores": str(os.cpu_count()),
        "memory": f"{psutil.virtual_memory().total / 2 ** 30:.1f} GiB",
        "Python": platform.python_version(), "OS": platform.platform(),
        "aiohttp": aiohttp.__version__, "kubernetes client": kubernetes.__version__,
        "kitlib commit": commit + (" (with uncommitted changes in kitlib/)" if dirty else ""),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load average at start (1, 5, 15 min)": _load(),
    }


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def hello_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and serving certificate from the simulator's own generator, for the floor."""
    from kitlib.sim.apiserver.certs import generate

    made = generate()
    cert, key, ca = folder / "hello.crt", folder / "hello.key", folder / "hello-ca.crt"
    cert.write_bytes(made.cert_pem + made.ca_pem)
    key.write_bytes(made.key_pem)
    ca.write_bytes(made.ca_pem)
    return cert, key, ca


def startup(folder: Path, tls: tuple[Path, Path, Path], *, runs: int) -> dict[str, Any]:
    """Process start to first answered request: median of ``runs``."""
    cert, key, ca = tls
    out: dict[str, list[float]] = {"hello": [], "serve_fresh": [], "serve_fresh_ready": [],
                                   "serve_restart": [], "serve_restart_ready": [], "up": []}
    for i in range(runs):
        server, took = procs.start_hello(folder, cert=cert, key=key, ca=ca)
        server.stop()
        out["hello"].append(took)
        state = folder / f"startup-{i}.db"
        for phase in ("fresh", "restart"):
            server, took, ready = procs.start_kit_serve(folder, state=state,
                                                       log=folder / "startup.log")
            server.stop()
            out[f"serve_{phase}"].append(took)
            out[f"serve_{phase}_ready"].append(ready)
        home = folder / f"home-up-{i}"
        home.mkdir()
        out["up"].append(procs.kit_up_down(home))
    return {k: {"median": statistics.median(v), "runs": v} for k, v in out.items()}


def namespace(server: procs.Server, name: str) -> None:
    import requests

    response = requests.post(f"{server.url}/api/v1/namespaces", json={"metadata": {"name": name}},
                             headers={"Authorization": f"Bearer {server.token}"},
                             verify=str(server.ca_file), timeout=30)
    assert response.status_code in (201, 409), response.text


def pod_bodies(start: int, stop: int) -> list[bytes]:
    return [json.dumps(load.pod(f"pod-{i}", labels={"app": f"bench-{i % 1000}",
                                                     "tier": "web"})).encode()
            for i in range(start, stop)]


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


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "settings": vars(args)}
    folder = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    tls = hello_certificates(folder)
    t0 = time.monotonic()

    print("start-up ...", flush=True)
    results["startup"] = startup(folder, tls, runs=args.startup_runs)

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
    results["elapsed"] = time.monotonic() - t0
    results["machine"]["load average at end (1, 5, 15 min)"] = _load()
    results["folder"] = str(folder)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=1000, help="requests per latency figure")
    parser.add_argument("--concurrency", type=int, default=32, help="per client process")
    parser.add_argument("--watchers", type=int, default=100)
    parser.add_argument("--fanout-events", type=int, default=300)
    parser.add_argument("--watch-events", type=int, default=300)
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--restart-runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the harness")
    args = parser.parse_args()
    if args.quick:
        args.pods, args.samples, args.startup_runs, args.restart_runs = 2000, 200, 2, 1
        args.fanout_events, args.watch_events, args.watchers = 100, 100, 20
    quick = args.quick
    del args.quick
    out = args.out
    del args.out
    results = run(args)
    (out.parent / "results.json").write_text(json.dumps(results, indent=1, default=str))
    out.write_text(report.render(results, quick=quick))
    print(f"wrote {out} in {results['elapsed']:.0f} s", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
