"""Load generators: concurrent creates and many watchers, in processes of their own.

They use aiohttp's client (one connection per concurrent request, keep-alive), so that
two client processes can keep a one-process server busy on a small machine.  Each runs in
a ``spawn``-ed process and returns plain numbers and names through a queue.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import ssl
import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    url: str
    token: str
    ca_file: str


def pod(name: str, *, labels: dict[str, str]) -> dict[str, Any]:
    """A pod as ``kubectl run`` with a few more labels and the usual fields would make it."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels,
                         "annotations": {"bench.kit/owner": "bench"}},
            "spec": {"containers": [{
                "name": "web", "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "env": [{"name": "MODE", "value": "bench"}],
                "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                              "limits": {"cpu": "500m", "memory": "128Mi"}}}]}}


def _ssl(target: Target) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=target.ca_file)


async def _creates(target: Target, path: str, bodies: list[bytes], concurrency: int
                   ) -> dict[str, Any]:
    import aiohttp

    headers = {"Authorization": f"Bearer {target.token}", "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(ssl=_ssl(target), limit=concurrency)
    statuses: dict[int, int] = {}
    acked: list[tuple[str, float]] = []
    work = iter(enumerate(bodies))

    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        async def worker() -> None:
            for _, body in work:
                async with session.post(target.url + path, data=body) as response:
                    data = await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    if response.status == 201 and data.startswith(b"{"):
                        acked.append((json.loads(data).get("metadata", {}).get("name", ""),
                                      time.monotonic()))

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    return {"statuses": statuses, "elapsed": elapsed, "started": started,
            "acked": len(acked)}


def _run_creates(target: Target, path: str, bodies: list[bytes], concurrency: int,
                 out: Any) -> None:
    out.put(asyncio.run(_creates(target, path, bodies, concurrency)))


def creates(target: Target, path: str, bodies: list[bytes], *, concurrency: int = 32,
            processes: int = 2) -> dict[str, Any]:
    """POST every body to ``path`` from ``processes`` client processes; the combined rate."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    shares = [bodies[i::processes] for i in range(processes)]
    workers = [ctx.Process(target=_run_creates, args=(target, path, share, concurrency, out))
               for share in shares]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(30)
    statuses: dict[int, int] = {}
    for result in results:
        for code, count in result["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    # The wall time from the first client's start to the last client's end.
    begin = min(r["started"] for r in results)
    end = max(r["started"] + r["elapsed"] for r in results)
    ok = statuses.get(201, 0)
    return {"statuses": statuses, "elapsed": end - begin, "ok": ok,
            "per_second": ok / (end - begin)}


# --- watchers ----------------------------------------------------------------------------------

async def _watchers(target: Target, path: str, count: int, expected: int, timeout: float,
                    ready: Any) -> dict[str, Any]:
    import aiohttp

    headers = {"Authorization": f"Bearer {target.token}"}
    connector = aiohttp.TCPConnector(ssl=_ssl(target), limit=count + 4)
    seen: list[set[str]] = [set() for _ in range(count)]
    last: list[float] = [0.0] * count
    first: list[float] = [0.0] * count
    opened = 0

    async with aiohttp.ClientSession(connector=connector, headers=headers,
                                     timeout=aiohttp.ClientTimeout(total=None)) as session:
        async def watch(i: int) -> None:
            nonlocal opened
            async with session.get(target.url + path) as response:
                assert response.status == 200, await response.text()
                opened += 1
                if opened == count:
                    ready.set()
                async for line in response.content:
                    event = json.loads(line)
                    name = event.get("object", {}).get("metadata", {}).get("name") \
                        or event.get("name", "")
                    if event.get("type") in ("ADDED", "MESSAGE") and name.startswith("fan-"):
                        if not first[i]:
                            first[i] = time.monotonic()
                        seen[i].add(name)
                        last[i] = time.monotonic()
                        if len(seen[i]) >= expected:
                            return

        tasks = [asyncio.create_task(watch(i)) for i in range(count)]
        done, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        errors = [repr(t.exception()) for t in done if t.exception() is not None]
    return {"received": [len(s) for s in seen], "first": min(f for f in first if f) if any(
        first) else 0.0, "last": max(last), "errors": errors[:3]}


def _run_watchers(target: Target, path: str, count: int, expected: int, timeout: float,
                  ready: Any, out: Any) -> None:
    out.put(asyncio.run(_watchers(target, path, count, expected, timeout, ready)))


class Watchers:
    """``count`` watchers of ``path`` over ``processes`` processes, started and awaited."""

    def __init__(self, target: Target, path: str, *, count: int, expected: int,
                 processes: int = 2, timeout: float = 120.0) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.out = ctx.Queue()
        self.ready = [ctx.Event() for _ in range(processes)]
        per = [count // processes + (1 if i < count % processes else 0)
               for i in range(processes)]
        self.workers = [ctx.Process(target=_run_watchers,
                                    args=(target, path, n, expected, timeout, ev, self.out))
                        for n, ev in zip(per, self.ready)]
        for worker in self.workers:
            worker.start()

    def wait_ready(self, timeout: float = 60.0) -> None:
        for event in self.ready:
            if not event.wait(timeout):
                raise RuntimeError("watchers did not all connect")

    def results(self) -> dict[str, Any]:
        results = [self.out.get(timeout=300) for _ in self.workers]
        for worker in self.workers:
            worker.join(30)
        return {"received": [n for r in results for n in r["received"]],
                "last": max(r["last"] for r in results),
                "errors": [e for r in results for e in r["errors"]]}
