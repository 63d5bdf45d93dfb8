"""The targets the simulator is held to, in one place, and the run's verdict on each.

The section tables say ``met`` or **missed** beside their figures; this module gathers
the same verdicts into the summary at the top of RESULTS.md, so a missed target cannot
hide at the bottom of a long report.  A target whose section did not run is left out.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple


class Target(NamedTuple):
    section: str
    what: str
    limit: str
    measure: Callable[[dict[str, Any]], list[tuple[str, float, bool | None]]]


RECONCILE_P99_MS = 50.0
SCALE_SECONDS = 5.0
STEADY_IDLE_CPU_PERCENT = 5.0
STEADY_RSS_MB = 300.0
GET_P99_MS, CREATE_P99_MS = 5.0, 10.0
CREATES_PER_SECOND = 1000.0
API_RSS_MB = 200.0


#: The sizes the targets were set for; a smaller run (``--quick``) is shown, not judged.
SCALE_REPLICAS, STEADY_PODS, STEADY_NODES, RECONCILE_ROUNDS = 1000, 10_000, 100, 200


def met(ok: bool | None) -> str:
    if ok is None:
        return "not judged (smaller than the target's size)"
    return "met" if ok else "**missed**"


def judged(ok: bool, full_size: bool) -> bool | None:
    return ok if full_size else None


def _latency(r: dict[str, Any]) -> list[tuple[str, float, bool | None]]:
    out: list[tuple[str, float, bool | None]] = []
    for name, v in r["latency"].items():
        if name.startswith("GET pod"):
            out.append((f"{name} p99, ms", v["p99"], v["p99"] < GET_P99_MS))
        elif name.startswith("CREATE pod"):
            out.append((f"{name} p99, ms", v["p99"], v["p99"] < CREATE_P99_MS))
    return out


def _scale(r: dict[str, Any]) -> list[tuple[str, float, bool | None]]:
    return [(f"{run['replicas']:,} replicas on {run['nodes']} nodes, s", run["seconds"],
             judged(run["seconds"] < SCALE_SECONDS, run["replicas"] >= SCALE_REPLICAS))
            for run in r["scale"]["runs"]]


def _steady(r: dict[str, Any]) -> list[tuple[str, float, bool | None]]:
    s = r["steady"]
    label = f"{s['pods']:,} pods on {s['nodes']} nodes"
    full = s["pods"] >= STEADY_PODS and s["nodes"] >= STEADY_NODES
    return [(f"{label}: idle CPU, % of one core", s["idle_cpu_percent"],
             judged(s["idle_cpu_percent"] < STEADY_IDLE_CPU_PERCENT, full)),
            (f"{label}: RSS, MB", s["idle_rss_mb"],
             judged(s["idle_rss_mb"] < STEADY_RSS_MB, full))]


TARGETS = [
    Target("api", "request latency", f"GET p99 < {GET_P99_MS:g} ms, CREATE p99 < "
           f"{CREATE_P99_MS:g} ms", _latency),
    Target("api", "create throughput", f">= {CREATES_PER_SECOND:,.0f}/s",
           lambda r: [("creates per second, the scheduler reacting",
                       r["throughput"]["sim"]["per_second"],
                       r["throughput"]["sim"]["per_second"] >= CREATES_PER_SECOND)] + ([
                      ("creates per second, API server alone",
                       r["throughput"]["alone"]["per_second"],
                       r["throughput"]["alone"]["per_second"] >= CREATES_PER_SECOND)]
                      if "alone" in r["throughput"] else [])),
    Target("api", "memory with the API benchmark's pods", f"< {API_RSS_MB:g} MB",
           lambda r: [(f"RSS with {r['settings']['pods']:,} pods, MB",
                       r["memory"][str(r["settings"]["pods"])],
                       r["memory"][str(r["settings"]["pods"])] < API_RSS_MB)]),
    Target("reconcile", "deleted pod → replacement Ready", f"p99 < {RECONCILE_P99_MS:g} ms",
           lambda r: [(f"p99 of {r['reconcile']['rounds']}, ms", r["reconcile"]["p99_ms"],
                       judged(r["reconcile"]["p99_ms"] < RECONCILE_P99_MS,
                              r["reconcile"]["rounds"] >= RECONCILE_ROUNDS))]),
    Target("scale", "Deployment 0 → N replicas, all Ready", f"< {SCALE_SECONDS:g} s",
           _scale),
    Target("steady", "pods held steady", f"idle CPU < {STEADY_IDLE_CPU_PERCENT:g}%, RSS < "
           f"{STEADY_RSS_MB:g} MB", _steady),
]


def summary(r: dict[str, Any]) -> list[str]:
    """The ``## Targets`` table: every target of the sections this run measured."""
    rows = []
    for target in TARGETS:
        key = {"api": "latency"}.get(target.section, target.section)
        if key not in r:
            continue
        for label, value, ok in target.measure(r):
            rows.append(f"| {target.section} | {target.what}: {label} | {value:,.2f} | "
                        f"{target.limit} | {met(ok)} |")
    if not rows:
        return []
    return ["## Targets", "",
            "Every target of the sections measured in this run; the figures and their "
            "baselines are in the sections below.", "",
            "| section | figure | measured | target | verdict |", "|---|---|---|---|---|",
            *rows, ""]
