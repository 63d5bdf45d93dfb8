"""Every benchmark, in one run, each figure beside a baseline measured in the same run.

Run it as ``bench/run``.  The simulator under test is ``kit serve`` (persistence on: a
state file in a temporary folder), in a process of its own; the baseline is a minimal
aiohttp HTTPS server (``bench/hello_server.py``) started and driven the same way.  The
whole-cluster sections run ``bench/cluster_scale.py`` in a process of its own, with their
baselines measured in that process.  The results go to ``bench/RESULTS.md``.

Sections (``--only a,b`` runs a subset, in this order): startup; api (create throughput,
request latency, watch delay, fan-out, memory, restart with every pod); reconcile (a
deleted pod replaced); scale (a Deployment 0 -> 1,000 replicas); steady (100 nodes and
10,000 pods held idle); proxy (service proxy throughput); exec (``echo hi`` round trips);
kwok (kwok's published figures beside ours).  ``--quick`` shrinks every size.
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

from bench import apiserver, clusters, exec_latency, kwok, procs, proxy_load, report

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


def run(args: argparse.Namespace, sections: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "settings": vars(args),
                               "sections": sections, "argv": sys.argv[1:], "failures": {}}
    folder = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    tls = hello_certificates(folder)
    t0 = time.monotonic()

    def attempt(section: str, measure: Any) -> None:
        # A section that fails is reported as failed; the others still run.
        try:
            measure()
        except Exception as error:          # noqa: BLE001 - reported, not hidden
            print(f"  {section} FAILED: {error!r}", flush=True)
            results["failures"][section] = repr(error)[:2000]

    if "startup" in sections:
        print("start-up ...", flush=True)
        attempt("startup", lambda: results.update(
            startup=startup(folder, tls, runs=args.startup_runs)))
    if "api" in sections:
        attempt("api", lambda: results.update(apiserver.measure(folder, tls, args)))
    if "reconcile" in sections:
        print("reconcile ...", flush=True)
        attempt("reconcile", lambda: results.update(reconcile=clusters.scenario(
            "reconcile", nodes=args.reconcile_nodes, replicas=args.reconcile_replicas,
            rounds=args.reconcile_rounds)))
    if "scale" in sections:
        attempt("scale", lambda: results.update(scale=clusters.scale(
            nodes=args.scale_nodes, replicas=args.scale_replicas)))
    if "steady" in sections:
        print(f"steady: {args.steady_pods:,} pods on {args.steady_nodes} nodes ...", flush=True)
        attempt("steady", lambda: results.update(steady=clusters.scenario(
            "steady", nodes=args.steady_nodes, pods=args.steady_pods, idle=args.steady_idle,
            idle_empty=args.steady_idle_empty, settle=args.steady_settle)))
    if "proxy" in sections or "exec" in sections:
        attempt("proxy/exec", lambda: results.update(traffic(folder, tls, args, sections)))
    if "kwok" in sections:
        results["kwok"] = {"source": kwok.SOURCE}
    results["elapsed"] = time.monotonic() - t0
    results["machine"]["load average at end (1, 5, 15 min)"] = _load()
    results["folder"] = str(folder)
    return results


def traffic(folder: Path, tls: tuple[Path, Path, Path], args: argparse.Namespace,
            sections: list[str]) -> dict[str, Any]:
    """Service proxy and exec, against a ``kit serve`` of their own and the hello server."""
    results: dict[str, Any] = {}
    hello, _ = procs.start_hello(folder, cert=tls[0], key=tls[1], ca=tls[2])
    sim, _, _ = procs.start_kit_serve(folder, state=folder / "traffic.db",
                                      log=folder / "serve-traffic.log")
    try:
        if "proxy" in sections:
            print("service proxy ...", flush=True)
            results["proxy"] = proxy_load.service_proxy(
                sim, hello, requests=args.proxy_requests, concurrency=args.proxy_concurrency)
        if "exec" in sections:
            print("exec ...", flush=True)
            results["exec"] = exec_latency.exec_round_trips(sim, hello,
                                                            samples=args.exec_samples)
    finally:
        sim.stop()
        hello.stop()
    return results


SECTIONS = ("startup", "api", "reconcile", "scale", "steady", "proxy", "exec", "kwok")
QUICK = {"pods": 2000, "samples": 200, "startup_runs": 2, "restart_runs": 1,
         "fanout_events": 100, "watch_events": 100, "watchers": 20,
         "reconcile_rounds": 50, "scale_replicas": 300, "scale_nodes": "4,11",
         "steady_nodes": 11, "steady_pods": 1000, "steady_idle": 5.0, "steady_idle_empty": 5.0,
         "steady_settle": 2.0, "proxy_requests": 2000, "exec_samples": 50}


def sections_of(text: str | None) -> list[str]:
    """``--only`` as a list in the run's order; every section when not given."""
    if not text:
        return list(SECTIONS)
    asked = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in asked if name not in SECTIONS]
    if unknown or not asked:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown) or '(none)'}: choose from "
            f"{', '.join(SECTIONS)}")
    return [name for name in SECTIONS if name in asked]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", metavar="SECTION[,SECTION]",
                   help=f"run only these sections (of: {', '.join(SECTIONS)})")
    p.add_argument("--quick", action="store_true", help="small sizes, to try the harness")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    api = p.add_argument_group("api (the API server under load)")
    api.add_argument("--pods", type=int, default=10_000)
    api.add_argument("--samples", type=int, default=1000, help="requests per latency figure")
    api.add_argument("--concurrency", type=int, default=32, help="per client process")
    api.add_argument("--watchers", type=int, default=100)
    api.add_argument("--fanout-events", type=int, default=300)
    api.add_argument("--watch-events", type=int, default=300)
    api.add_argument("--startup-runs", type=int, default=5)
    api.add_argument("--restart-runs", type=int, default=3)
    cluster = p.add_argument_group("reconcile, scale, steady (the whole cluster)")
    cluster.add_argument("--reconcile-rounds", type=int, default=300,
                         help="pods deleted one at a time")
    cluster.add_argument("--reconcile-nodes", type=int, default=4)
    cluster.add_argument("--reconcile-replicas", type=int, default=50)
    cluster.add_argument("--scale-replicas", type=int, default=1000)
    cluster.add_argument("--scale-nodes", default="11,100",
                         help="node counts to scale on, comma-separated")
    cluster.add_argument("--steady-nodes", type=int, default=100)
    cluster.add_argument("--steady-pods", type=int, default=10_000)
    cluster.add_argument("--steady-idle", type=float, default=30.0,
                         help="seconds of idle CPU measured with every pod Ready")
    cluster.add_argument("--steady-idle-empty", type=float, default=20.0,
                         help="seconds of idle CPU measured before any pod (the baseline)")
    cluster.add_argument("--steady-settle", type=float, default=10.0)
    traffic_ = p.add_argument_group("proxy, exec (traffic to pods)")
    traffic_.add_argument("--proxy-requests", type=int, default=8000)
    traffic_.add_argument("--proxy-concurrency", type=int, default=16,
                          help="in flight per client process (2 processes)")
    traffic_.add_argument("--exec-samples", type=int, default=300)
    return p


def main() -> None:
    args = parser().parse_args()
    try:
        sections = sections_of(args.only)
    except argparse.ArgumentTypeError as error:
        parser().error(str(error))
    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    quick, out = args.quick, args.out
    del args.quick, args.out, args.only
    results = run(args, sections)
    results["quick"] = quick
    (out.parent / "results.json").write_text(json.dumps(results, indent=1, default=str))
    out.write_text(report.render(results, quick=quick))
    print(f"wrote {out} in {results['elapsed']:.0f} s", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
