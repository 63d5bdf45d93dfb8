"""Running the whole-cluster scenarios of ``bench/cluster_scale.py`` for ``bench/run``.

Each scenario runs in a fresh Python process (``python -m bench.cluster_scale NAME
--json``), so its CPU time, its RSS and its garbage are its own and nothing of an earlier
section is left in its heap; it prints one JSON line, which is its result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def scenario(name: str, *, timeout: float = 1800.0, **options: Any) -> dict[str, Any]:
    """Run one scenario with ``--option value`` for each keyword; its JSON result."""
    argv = [sys.executable, "-m", "bench.cluster_scale", name, "--json"]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                          timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(argv[1:])} exited with {done.returncode}: "
                           f"{done.stdout[-1000:]}")
    return json.loads(lines[-1])


def scale(*, nodes: str, replicas: int) -> dict[str, Any]:
    """0 -> ``replicas`` on each node count of ``nodes`` ("11,100"), and the baseline: as
    many bare pod creates through the registry."""
    runs = []
    for count in [int(n) for n in nodes.split(",") if n.strip()]:
        print(f"scale: 0 -> {replicas:,} replicas on {count} nodes ...", flush=True)
        runs.append(scenario("ready", nodes=count, replicas=replicas))
    print(f"scale baseline: {replicas:,} bare pod creates ...", flush=True)
    floor = scenario("writes", count=replicas)
    return {"runs": runs, "floor": floor}
