"""Bytes each running pod costs the simulator, by file and by line: the tool for memory work.

RSS answers "is it under the target" but is too coarse and noisy to say what a change gained;
tracemalloc's bytes are exact and the same from run to run.  This runs a cluster in this
process (fast profile, persistence on), takes a snapshot, brings a Deployment of ``--pods``
nginx replicas to Ready, lets it settle, and prints what the pods added, divided by their
number: the total, the files and the lines that hold the most.

    .venv/bin/python -m bench.memory_growth [--pods 2000] [--nodes 20] [--top 40]
    .venv/bin/python -m bench.memory_growth --holders records.py:59 [--pods 600]
        (the call chains that allocated what those lines hold)

Everything allocated while the pods came up and still alive afterwards counts, fixed-size
caches included, so use a few thousand pods to see what grows with them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

from bench.cluster_scale import deployment, deployment_ready


def short(filename: str) -> str:
    for marker in ("/kitlib/", "/site-packages/", "/lib/python3"):
        if marker in filename:
            return filename[filename.index(marker) + 1:]
    return filename


async def measure(args: argparse.Namespace) -> None:
    from kitlib.sim.cluster import SimCluster, SimConfig

    state = Path(tempfile.mkdtemp(prefix="kit-growth-")) / "state.db"
    cluster = SimCluster(SimConfig(seed=1, nodes=args.nodes, state=state, profile="fast"))
    await cluster.start()
    try:
        await cluster.informers.wait_synced()
        client = cluster.context.client("bench")
        await client.create("namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                           "metadata": {"name": "bench"}})
        await asyncio.sleep(1.0)
        gc.collect()
        tracemalloc.start(12 if args.holders else 1)
        ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
        before = tracemalloc.take_snapshot().filter_traces(ignore)
        await client.create("deployments.apps", deployment("big", args.pods, {"app": "big"}),
                            namespace="bench")
        while not deployment_ready(cluster, "bench", "big", args.pods):
            await asyncio.sleep(0.3)
        await asyncio.sleep(args.settle)
        gc.collect()
        after = tracemalloc.take_snapshot().filter_traces(ignore)
        tracemalloc.stop()
        if args.holders:
            holders(after, args.holders.split(","), pods=args.pods)
        else:
            report(before, after, pods=args.pods, top=args.top)
    finally:
        await cluster.stop()


def report(before: Any, after: Any, *, pods: int, top: int) -> None:
    by_file = after.compare_to(before, "filename")
    total = sum(stat.size_diff for stat in by_file)
    print(f"per pod: {total / pods:,.0f} B ({pods:,} pods; {len(gc.get_objects()):,} "
          "objects the collector tracks)")
    print("by file:")
    for stat in by_file[:top]:
        print(f"  {stat.size_diff / pods:7.0f} B/pod  {short(stat.traceback[0].filename)}")
    print("by line:")
    for stat in after.compare_to(before, "lineno")[:top]:
        frame = stat.traceback[0]
        print(f"  {stat.size_diff / pods:7.0f} B/pod {stat.count_diff / pods:5.1f} blocks/pod"
              f"  {short(frame.filename)}:{frame.lineno}")


def holders(after: Any, targets: list[str], *, pods: int) -> None:
    for target in targets:
        name, _, line = target.rpartition(":")
        size, count = Counter[str](), Counter[str]()
        for trace in after.traces:
            frames = list(trace.traceback)[::-1]        # the newest frame first
            if frames[0].filename.endswith(name) and frames[0].lineno == int(line):
                chain = " < ".join(f"{short(f.filename)}:{f.lineno}" for f in frames[1:6])
                size[chain] += trace.size
                count[chain] += 1
        print(f"=== {target}")
        for chain, total in size.most_common(8):
            print(f"  {total / pods:7.0f} B/pod {count[chain]:7d}  {chain}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pods", type=int, default=2000)
    parser.add_argument("--nodes", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--settle", type=float, default=3.0,
                        help="seconds between all Ready and the snapshot")
    parser.add_argument("--holders", default="", metavar="FILE:LINE[,FILE:LINE]")
    asyncio.run(measure(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
