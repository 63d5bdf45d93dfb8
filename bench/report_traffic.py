"""RESULTS.md sections for traffic to pods: the service proxy and exec, against the floor.

Both are measured against a ``kit serve`` of their own (3 nodes, fast profile,
persistence on) and the hello server, in the same run; no target was set for either, so
the tables give the figures and their ratio to the floor only.
"""

from __future__ import annotations

from typing import Any

from bench.report import codes


def render(r: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if "proxy" in r:
        lines += proxy(r["proxy"])
    if "exec" in r:
        lines += exec_(r["exec"])
    return lines


def proxy(v: dict[str, Any]) -> list[str]:
    sim, hello = v["sim"], v["hello"]
    spread = sim["per_backend"]
    return [
        "## Service proxy throughput", "",
        f"`GET {v['path']}`: through the API server's service proxy (authentication, the "
        f"Service's Endpoints, the kubelet's connector, the simulated pod network) to a "
        f"Service with {v['endpoints']} ready endpoints (a Deployment of `traefik/whoami`), "
        f"from 2 client processes with {sim['concurrency']} requests in flight in all "
        "(aiohttp, keep-alive HTTPS), after a short warm-up. Baseline: the same clients "
        "GETting the hello server's `/hello`.", "",
        "| | requests | answers | seconds | requests per second | × baseline | "
        "endpoints that answered |", "|---|---|---|---|---|---|---|",
        f"| baseline: hello GET | {sum(hello['statuses'].values()):,} | "
        f"{codes(hello['statuses'])} | {hello['elapsed']:.2f} | {hello['per_second']:,.0f} | "
        "1.00× | |",
        f"| service proxy → whoami | {sum(sim['statuses'].values()):,} | "
        f"{codes(sim['statuses'])} | {sim['elapsed']:.2f} | {sim['per_second']:,.0f} | "
        f"{sim['per_second'] / hello['per_second']:.2f}× | {sim['backends']} of "
        f"{v['endpoints']} (answers each: {min(spread) if spread else 0}–"
        f"{max(spread) if spread else 0}) |", ""]


def exec_(v: dict[str, Any]) -> list[str]:
    rows = {k: x for k, x in v.items() if isinstance(x, dict) and "p50" in x}
    floor = next(x for k, x in rows.items() if k.startswith("floor"))
    wrong = v.get("wrong_output", {})
    lines = [
        "## exec round trip", "",
        "`echo hi` in a running busybox pod, each sample on a new WebSocket (as kubectl "
        "and the official client open one per exec): from opening the connection to the "
        "exit status on channel 3, the output checked, the connection closed. Calls take "
        "turns in runs of 25 (the first 2 of a run not counted). Baseline: the same "
        "WebSocket client opening the hello server's `/ws` echo route, one message there "
        f"and back, closed. Wrong outputs while timing: {sum(wrong.values())}.", "",
        "| | n | p50 | p99 | p50 × baseline | p99 × baseline |", "|---|---|---|---|---|---|"]
    for name, x in rows.items():
        label = f"baseline: {name[len('floor: '):]}" if x is floor else name
        lines.append(f"| {label} | {x['n']} | {x['p50']:.2f} ms | {x['p99']:.2f} ms | "
                     f"{x['p50'] / floor['p50']:.2f}× | {x['p99'] / floor['p99']:.2f}× |")
    return lines + [""]
