"""Rendering one run's results as bench/RESULTS.md: every figure beside its baseline."""

from __future__ import annotations

from typing import Any


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _x(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "n/a"


def codes(statuses: dict[Any, int]) -> str:
    """HTTP status counts as ``201: 9,000`` (the keys are strings after a JSON round trip)."""
    return ", ".join(f"{code}: {count:,}" for code, count in sorted(
        statuses.items(), key=lambda item: str(item[0])))


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(r: dict[str, Any], *, quick: bool | None = None) -> str:
    """The whole RESULTS.md: the sections this run measured, in their usual order."""
    from bench import report_cluster, report_traffic

    lines = _header(r, quick=r.get("quick", False) if quick is None else quick)
    if "startup" in r:
        lines += _startup(r)
    if "latency" in r:
        lines += _api(r)
    lines += report_cluster.render(r)
    lines += report_traffic.render(r)
    return "\n".join(lines) + "\n"


def _header(r: dict[str, Any], *, quick: bool) -> list[str]:
    from bench import targets

    lines = ["# kitlib simulator benchmarks", ""]
    if quick:
        lines += ["**A --quick run (small sizes): not the reference figures.**", ""]
    lines += ["Written by `bench/run` (`bench/main.py`); every figure comes from the same run "
              "as its baseline. The simulator is `kit serve` with persistence on (a SQLite "
              "state file), in its own process; the baseline is `bench/hello_server.py`, a "
              "minimal aiohttp HTTPS server (same TLS: an ECDSA P-256 certificate from the "
              "simulator's generator), started and driven the same way. Clients run in other "
              "processes, so client and server do not share a GIL (but they share the "
              "machine's cores: a load average well above the core count means other work "
              "was running and the figures are pessimistic). The whole-cluster sections "
              "(reconcile, scale, steady) run the same `SimCluster` as `kit serve` (fast "
              "profile, persistence on) inside a process of their own "
              "(`python -m bench.cluster_scale`), driven through the in-process client, so no "
              "HTTP client competes with the simulator for its interpreter; their baselines "
              "are measured in that same process.", "", "## Machine", "",
              "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in r["machine"].items()]
    lines += ["", f"Whole run: {r['elapsed']:.0f} s "
              f"(`{' '.join(['bench/run', *r.get('argv', [])])}`). Sections measured: "
              f"{', '.join(r.get('sections', []))}. Settings: "
              + ", ".join(f"{k}={v}" for k, v in r["settings"].items()) + ".", ""]
    failed = r.get("failures") or {}
    if failed:
        lines += ["## Failures", "", "These sections failed and have no figures below:", "",
                  *[f"- **{name}**: `{error}`" for name, error in failed.items()], ""]
    return lines + targets.summary(r)


def _startup(r: dict[str, Any]) -> list[str]:
    pods = r["settings"]["pods"]
    lines: list[str] = []
    s = r["startup"]
    base = s["hello"]["median"]
    n = len(s["hello"]["runs"])
    lines += ["## Start-up", "",
              f"Process start to the first answered request (any HTTP answer), median of {n} "
              "runs; baseline: the hello server started the same way.", "",
              "| | median | × baseline |", "|---|---|---|",
              f"| baseline: hello server | {_ms(base)} | 1.00× |"]
    rows = [("`kit serve`, new state file: first answer", s["serve_fresh"]["median"]),
            ("`kit serve`, new state file: kubeconfig written (usable)",
             s["serve_fresh_ready"]["median"]),
            ("`kit serve`, existing state (fresh cluster): first answer",
             s["serve_restart"]["median"]),
            ("`kit serve`, existing state: kubeconfig written",
             s["serve_restart_ready"]["median"]),
            ("`kit up` (returns once the API answers)", s["up"]["median"])]
    if "restart" in r:      # measured by the api section, after loading its pods
        rows += [(f"`kit serve` restoring {pods:,}+ pods: first answer",
                  r["restart"]["median"]),
                 (f"`kit serve` restoring {pods:,}+ pods: kubeconfig written",
                  r["restart"]["median_ready"])]
    lines += [f"| {name} | {_ms(v)} | {_x(v, base)} |" for name, v in rows]
    return lines + [""]


def _api(r: dict[str, Any]) -> list[str]:
    pods = r["settings"]["pods"]
    small = pods // 10
    lines: list[str] = []

    lat = r["latency"]
    floors = {("GET", False): lat["floor: hello GET (raw)"],
              ("POST", False): lat["floor: hello POST (raw)"],
              ("GET", True): lat.get("floor: hello GET of a pod (typed)",
                                     lat["floor: hello GET (raw)"]),
              ("POST", True): lat.get("floor: hello POST, a pod back (typed)",
                                      lat["floor: hello POST (raw)"])}
    lines += [f"## Latency through the official client, with {pods:,} pods stored", "",
              f"Sequential calls through `kubernetes` {r['machine']['kubernetes client']} "
              "(one keep-alive connection per server), the calls taking turns in runs of 50 "
              "(the first 3 of a run not counted), so that other work on the machine falls "
              "on every figure alike. *typed*: as users call it (the client builds "
              "V1Pod models); *raw*: `_preload_content=False` (bytes only: the server, TLS and "
              "HTTP). Floor: the hello server through the same client (`ApiClient.call_api`): "
              "for raw calls a small JSON answer (GET for reads, POST of the same pod body for "
              "creates); for typed calls the stored pod's own JSON, made into a V1Pod by the "
              "client, so that the ratio shows the server's part only.",
              "", "| call | n | p50 | p99 | p50 × floor | p99 × floor | target |",
              "|---|---|---|---|---|---|---|"]
    for name, v in lat.items():
        floor = floors[("POST" if "POST" in name or "CREATE" in name else "GET",
                        "typed" in name)]
        target = ""
        if name.startswith("GET pod"):
            target = f"p99 < 5 ms: {_met(v['p99'] < 5)}"
        elif name.startswith("CREATE pod"):
            target = f"p99 < 10 ms: {_met(v['p99'] < 10)}"
        elif "typed" in name and "LIST" in name:
            target = f"matched {v.get('matched')} of the {pods:,}+ pods"
        lines.append(f"| {name} | {v['n']} | {v['p50']:.2f} ms | {v['p99']:.2f} ms | "
                     f"{v['p50'] / floor['p50']:.2f}× | {v['p99'] / floor['p99']:.2f}× | "
                     f"{target} |")

    wd = r["watch_delay"]
    wfloor = wd["floor: hello (raw stream)"]
    lines += ["", "## Watch delivery delay", "",
              "A watcher in its own process; the writer creates one object at a time "
              "(through the official client, raw) and notes when the server's answer "
              "arrived (the ack); the delay is from the ack to the watcher holding the event "
              "(negative: the event came first, which is allowed: both leave after the same "
              "commit). Floor: the hello server's /publish → /watch.", "",
              "| watcher | events | missed | p50 after ack | p99 after ack | p50 after send | "
              "p99 after send | p99 after send × floor |", "|---|---|---|---|---|---|---|---|"]
    for name, v in wd.items():
        a, b = v["after_ack"], v["after_send"]
        lines.append(f"| {name} | {a['n']} | {v['missed']} | {a['p50']:.2f} ms | "
                     f"{a['p99']:.2f} ms | {b['p50']:.2f} ms | {b['p99']:.2f} ms | "
                     f"{b['p99'] / wfloor['after_send']['p99']:.2f}× |")

    t = r["throughput"]
    sim, floor = t["sim"], t["hello"]
    lines += ["", "## Throughput", "",
              f"Sustained creates: pods {small:,} → {pods:,} (after the first {small:,}), "
              f"from 2 client processes × {r['settings']['concurrency']} concurrent "
              "keep-alive HTTPS connections (aiohttp client); baseline: the same clients "
              "POSTing the same bodies to the hello server.", "",
              "| | requests | answers | seconds | per second | × baseline | target |",
              "|---|---|---|---|---|---|---|",
              f"| baseline: hello POST | {sum(floor['statuses'].values()):,} | "
              f"{codes(floor['statuses'])} | {floor['elapsed']:.1f} | {floor['per_second']:,.0f} | "
              f"1.00× | |",
              f"| creates, persistence on | {sum(sim['statuses'].values()):,} | "
              f"{codes(sim['statuses'])} | {sim['elapsed']:.1f} | {sim['per_second']:,.0f} | "
              f"{_x(sim['per_second'], floor['per_second'])} | 1,000/s: "
              f"{_met(sim['per_second'] >= 1000)} |",
              f"| (first {small:,} creates) | {sum(t['first']['statuses'].values()):,} | "
              f"{codes(t['first']['statuses'])} | {t['first']['elapsed']:.1f} | "
              f"{t['first']['per_second']:,.0f} | "
              f"{_x(t['first']['per_second'], floor['per_second'])} | |"]
    alone = t.get("alone")
    if alone:
        lines += [f"| creates, persistence on, API server alone | "
                  f"{sum(alone['statuses'].values()):,} | {codes(alone['statuses'])} | "
                  f"{alone['elapsed']:.1f} | {alone['per_second']:,.0f} | "
                  f"{_x(alone['per_second'], floor['per_second'])} | 1,000/s: "
                  f"{_met(alone['per_second'] >= 1000)} |",
                  "", "*API server alone*: the same pods naming a scheduler that does not "
                  "run (`spec.schedulerName`), so they stay Pending untouched, as on a real "
                  "cluster: the API server's own cost per create. In the first row the "
                  "scheduler, in the same process (on a real cluster it has its own), "
                  "tries each new pod at once, and every pod that does not fit costs two "
                  "more writes (a FailedScheduling Event and the PodScheduled condition)."]

    c = r.get("census")
    if c:
        lines += ["", f"What the cluster did meanwhile: each pod created cost "
                  f"{c['writes_per_pod']:.1f} writes on average (the scheduler, the kubelets "
                  "and the event recorder write too); after loading there were "
                  f"{c['pods']:,} pods, {c['scheduled']:,} of them scheduled (the nodes are "
                  f"full: the rest stay Pending), and {c['events']:,} Events."]

    f = r["fanout"]
    fs, fh = f["sim"], f["hello"]
    lines += ["", "## Watch fan-out", "",
              f"{fs['watchers']} concurrent watchers (2 client processes) of one collection; "
              f"one writer makes {fs['events']} objects (8 concurrent requests). Delivered "
              "events per second = events received by all watchers ÷ (last delivery − first "
              "write). Baseline: the hello server's /publish → /watch with the same clients.",
              "", "| | delivered | watchers that got every event | seconds | events/s | "
              "× baseline |", "|---|---|---|---|---|---|"]
    for name, v in (("baseline: hello", fh), ("simulator", fs)):
        lines.append(f"| {name} | {v['delivered']:,} of {v['watchers'] * v['events']:,} | "
                     f"{v['complete']} of {v['watchers']} | {v['elapsed']:.2f} | "
                     f"{v['per_second']:,.0f} | {_x(v['per_second'], fh['per_second'])} |")

    m = r["memory"]
    empty = m["empty"]
    lines += ["", "## Memory", "",
              "Resident set size of the `kit serve` process (psutil), after a second's rest; "
              "baseline: the same server, empty (just started).", "",
              "| | RSS | × empty | target |", "|---|---|---|---|",
              f"| baseline: empty simulator | {empty:.0f} MB | 1.00× | |",
              f"| {small:,} pods | {m[str(small)]:.0f} MB | {_x(m[str(small)], empty)} | |",
              f"| {pods:,} pods | {m[str(pods)]:.0f} MB | {_x(m[str(pods)], empty)} | "
              f"< 200 MB: {_met(m[str(pods)] < 200)} |",
              f"| after every benchmark (more pods, configmaps, watches) | "
              f"{m['after everything']:.0f} MB | {_x(m['after everything'], empty)} | |",
              f"| restarted on that state file | {r['restart']['rss']:.0f} MB | "
              f"{_x(r['restart']['rss'], empty)} | |",
              f"| (for scale: the hello server) | {m['hello']:.0f} MB | "
              f"{_x(m['hello'], empty)} | |", ""]
    return lines


def main() -> None:
    """Render again from a results.json (after a change to this module, not to a figure):
    ``python -m bench.report bench/results.json bench/RESULTS.md``."""
    import json
    import sys
    from pathlib import Path

    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.write_text(render(json.loads(source.read_text())))


if __name__ == "__main__":
    main()
