"""RESULTS.md sections for the whole cluster: reconcile, scale, steady, and kwok beside us.

Each figure sits beside a baseline measured in the same run and the same process
(``bench/cluster_scale.py``), with its target's verdict.  A section that did not run
(``bench/run --only``) is left out.
"""

from __future__ import annotations

from typing import Any

from bench import kwok, targets


def _x(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "n/a"


def render(r: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if "reconcile" in r:
        lines += reconcile(r["reconcile"])
    if "scale" in r:
        lines += scale(r["scale"])
    if "steady" in r:
        lines += steady(r["steady"])
    if "kwok" in r:
        lines += comparison(r)
    return lines


def reconcile(v: dict[str, Any]) -> list[str]:
    hop50, hop99 = v["hop_p50_ms"], v["hop_p99_ms"]
    limit = targets.RECONCILE_P99_MS
    verdict = targets.met(targets.judged(v["p99_ms"] < limit,
                                         v["rounds"] >= targets.RECONCILE_ROUNDS))
    return [
        "## Reconciliation: a deleted pod replaced", "",
        f"A Deployment of {v['replicas']} replicas on {v['nodes']} nodes (fast profile); "
        f"{v['rounds']} times, one Ready pod is deleted through the in-process client and "
        "the clock runs until a pod never seen before is Ready (a store watcher sees its "
        "Ready condition). Baseline: the floor of any reaction in the simulator, one create "
        "through the same client until a store watcher holds its ADDED event, measured "
        f"{v['rounds']} times in the same cluster just before. A replacement needs a chain "
        "of such hops (the ReplicaSet controller sees the deletion and creates a pod, the "
        "scheduler binds it, the kubelet walks it through its lifecycle stages, writing its "
        f"status): each round made {v['writes_per_round']} writes in all (events, "
        "ReplicaSet and Deployment status included).", "",
        "| | p50 | p99 | max | p50 × floor | p99 × floor | target |",
        "|---|---|---|---|---|---|---|",
        f"| baseline: one write → watch event | {hop50:.2f} ms | {hop99:.2f} ms | | 1.00× | "
        "1.00× | |",
        f"| deleted → replacement pod created | {v['created_p50_ms']:.2f} ms | "
        f"{v['created_p99_ms']:.2f} ms | | {_x(v['created_p50_ms'], hop50)} | "
        f"{_x(v['created_p99_ms'], hop99)} | |",
        f"| deleted → replacement bound to a node | {v['bound_p50_ms']:.2f} ms | "
        f"{v['bound_p99_ms']:.2f} ms | | {_x(v['bound_p50_ms'], hop50)} | "
        f"{_x(v['bound_p99_ms'], hop99)} | |",
        f"| **deleted → replacement Ready** | {v['p50_ms']:.2f} ms | {v['p99_ms']:.2f} ms | "
        f"{v['max_ms']:.2f} ms | {_x(v['p50_ms'], hop50)} | {_x(v['p99_ms'], hop99)} | "
        f"p99 < {limit:g} ms: {verdict} |", ""]


def scale(v: dict[str, Any]) -> list[str]:
    floor = v["floor"]
    replicas = v["runs"][0]["replicas"] if v["runs"] else floor["count"]
    floor_s = floor["count"] / floor["creates_per_second"]
    limit = targets.SCALE_SECONDS
    lines = [
        f"## Scale: a Deployment from 0 to {replicas:,} replicas", "",
        "One Deployment (nginx, no resource requests) is scaled from 0 to N replicas and "
        "the clock runs until its status says every replica is updated, Ready and "
        "available (fast profile). The first node is the control plane, tainted NoSchedule "
        "as kind's is, so N nodes have N − 1 workers of 110 pods each. Baseline: the same "
        "number of bare pods created one after the other through the registry in a cluster "
        "of its own (no scheduler picks them up, no kubelet runs them): what having the "
        "pods at all costs before any controller, scheduler or kubelet works.", "",
        "| | nodes | seconds | pods Ready per second | × baseline time | CPU seconds | "
        "writes (per pod) | RSS after | target |", "|---|---|---|---|---|---|---|---|---|",
        f"| baseline: {floor['count']:,} bare pod creates | 1 | {floor_s:.2f} | "
        f"{floor['creates_per_second']:,.0f} (created) | 1.00× | | {floor['count']:,} (1) "
        f"| | |"]
    for run in v["runs"]:
        verdict = targets.met(targets.judged(run["seconds"] < limit,
                                             run["replicas"] >= targets.SCALE_REPLICAS))
        lines.append(
            f"| 0 → {run['replicas']:,} replicas, all Ready | {run['nodes']} | "
            f"{run['seconds']:.2f} | {run['replicas'] / run['seconds']:,.0f} | "
            f"{_x(run['seconds'], floor_s)} | {run['cpu_seconds']:.1f} | "
            f"{run['writes']:,} ({run['writes'] / run['replicas']:.1f}) | "
            f"{run['rss_mb']:.0f} MB | < {limit:g} s: {verdict} |")
    return lines + [""]


def steady(v: dict[str, Any]) -> list[str]:
    cpu_limit, rss_limit = targets.STEADY_IDLE_CPU_PERCENT, targets.STEADY_RSS_MB
    full = v["pods"] >= targets.STEADY_PODS and v["nodes"] >= targets.STEADY_NODES
    return [
        f"## Held steady: {v['pods']:,} pods on {v['nodes']} nodes", "",
        f"Deployments of up to 1,000 replicas ({max(1, v['pods'] // 1000)} of them) fill "
        "the cluster (fast profile); "
        f"{v['pods']:,} pods were Ready after {v['fill_seconds']:.1f} s. After "
        f"{v['settle_seconds']:g} s of rest and a full garbage collection, the process's "
        f"CPU time (user + system) is read over {v['idle_seconds']:g} s of wall time in "
        "which nobody asks anything: % of one core. Baseline: the same process with the "
        f"same {v['nodes']} nodes before any pod was created, read over "
        f"{v['empty_idle_seconds']:g} s. What runs while idle: node heartbeats (Lease "
        "renewals, node status), the components' periodic resyncs, the runtime's clock.",
        "",
        "| | idle CPU, % of one core | writes per second | RSS | CPU × baseline | "
        "RSS × baseline | target |", "|---|---|---|---|---|---|---|",
        f"| baseline: {v['nodes']} nodes, no pods | {v['empty_idle_cpu_percent']:.2f}% | "
        f"{v['empty_idle_writes_per_second']:.1f} | {v['empty_rss_mb']:.0f} MB | 1.00× | "
        "1.00× | |",
        f"| **{v['pods']:,} pods Ready** | {v['idle_cpu_percent']:.2f}% | "
        f"{v['idle_writes_per_second']:.1f} | {v['idle_rss_mb']:.0f} MB | "
        f"{_x(v['idle_cpu_percent'], v['empty_idle_cpu_percent'])} | "
        f"{_x(v['idle_rss_mb'], v['empty_rss_mb'])} | CPU < {cpu_limit:g}%: "
        f"{targets.met(targets.judged(v['idle_cpu_percent'] < cpu_limit, full))}; RSS < "
        f"{rss_limit:g} MB: {targets.met(targets.judged(v['idle_rss_mb'] < rss_limit, full))} "
        "|", "",
        f"Held meanwhile: {_objects(v['objects'])}; {v['stored_json_mb']:.0f} MB of stored "
        f"JSON, {v['window_events']:,} events in the watch windows, "
        f"{v['gc_objects']:,} objects tracked by the garbage collector (a full collection "
        f"took {v['gc_full_collection_ms']:,} ms); peak RSS right after the fill "
        f"{v['rss_after_fill_mb']:.0f} MB.", ""]


def _objects(counts: dict[str, int]) -> str:
    keep = ("pods", "events", "nodes", "leases.coordination.k8s.io", "replicasets.apps")
    return ", ".join(f"{counts[k]:,} {k.split('.')[0]}" for k in keep if k in counts)


def comparison(r: dict[str, Any]) -> list[str]:
    """kwok's published figures beside ours from this run (where the run measured them)."""
    rate, nodes, pods = kwok.CREATE_RATE, kwok.MAINTAINED_NODES, kwok.MAINTAINED_PODS
    ours_rate, ours_size = "not measured in this run (section scale)", \
        "not measured in this run (section steady)"
    if "scale" in r and r["scale"]["runs"]:
        ours_rate = "; ".join(
            f"{run['replicas'] / run['seconds']:,.0f} pods per second on {run['nodes']} "
            f"nodes" for run in r["scale"]["runs"])
        ours_rate += (f" (a Deployment scaled 0 → {r['scale']['runs'][0]['replicas']:,}, "
                      "created, bound, started and Ready)")
    if "steady" in r:
        s = r["steady"]
        ours_size = (f"{s['nodes']} nodes and {s['pods']:,} pods held at "
                     f"{s['idle_cpu_percent']:.2f}% of one core and {s['idle_rss_mb']:.0f} MB "
                     f"RSS (filled in {s['fill_seconds']:.0f} s: "
                     f"{s['pods'] / s['fill_seconds']:,.0f} pods per second); larger sizes "
                     "not measured")
    return [
        "## Beside kwok's published figures", "",
        f"Source: {kwok.SOURCE}; the same text: {kwok.SOURCE_MIRROR}. These are kwok's own "
        "claims, not measured here and on hardware the page does not name; kwok fakes the "
        "kubelet in front of a real kube-apiserver, etcd, scheduler and controller "
        "manager, whereas this simulator is all of them, and the containers, in one Python "
        "process. The columns are not a like-for-like race.", "",
        "| figure | kwok (published) | this simulator (this run) |", "|---|---|---|",
        f"| {rate.what} | {rate.value:g} {rate.unit} | {ours_rate} |",
        f"| {nodes.what} | {nodes.value:,.0f} {nodes.unit} and {pods.value:,.0f} "
        f"{pods.unit} | {ours_size} |", ""]
