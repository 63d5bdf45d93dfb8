"""Requests per second through the API server's service proxy, against the hello floor.

``GET /api/v1/namespaces/NS/services/whoami:80/proxy/`` goes through authentication, the
Service's Endpoints (one ready address picked per request), the kubelet's connector and
the simulated pod network to a ``traefik/whoami`` program, and back.  The load comes from
client processes of their own (aiohttp, keep-alive, a fixed number of requests in flight),
as ``load.creates`` does for creates; the floor is the same clients GETting ``/hello``.
Every answer is checked (status, and whoami's ``Hostname:`` line, counted per pod, so the
table shows the load was spread over the endpoints).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import ssl
import time
from typing import Any

from bench import load, workloads
from bench.procs import Server


async def _gets(target: load.Target, path: str, count: int, concurrency: int,
                start: Any) -> dict[str, Any]:
    import aiohttp

    headers = {"Authorization": f"Bearer {target.token}"} if target.token else {}
    connector = aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=target.ca_file),
                                     limit=concurrency)
    statuses: dict[int, int] = {}
    backends: dict[str, int] = {}
    remaining = iter(range(count))

    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        async def worker() -> None:
            for _ in remaining:
                async with session.get(target.url + path) as response:
                    body = await response.read()
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    for line in body.split(b"\n", 2)[:2]:
                        if line.startswith(b"Hostname: "):
                            host = line[10:].strip().decode()
                            backends[host] = backends.get(host, 0) + 1

        # Every client process starts together, or the rate would count their start-up.
        await asyncio.get_running_loop().run_in_executor(None, start.wait)
        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.monotonic() - started
    return {"statuses": statuses, "backends": backends, "started": started,
            "elapsed": elapsed}


def _run_gets(target: load.Target, path: str, count: int, concurrency: int, start: Any,
              out: Any) -> None:
    out.put(asyncio.run(_gets(target, path, count, concurrency, start)))


def gets(target: load.Target, path: str, *, requests: int, concurrency: int,
         processes: int = 2) -> dict[str, Any]:
    """``requests`` GETs of ``path`` from ``processes`` client processes, ``concurrency``
    in flight in each; the combined rate of 200 answers."""
    ctx = multiprocessing.get_context("spawn")
    out, start = ctx.Queue(), ctx.Barrier(processes)
    workers = [ctx.Process(target=_run_gets, args=(target, path, requests // processes,
                                                   concurrency, start, out))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(30)
    statuses: dict[int, int] = {}
    backends: dict[str, int] = {}
    for result in results:
        for code, n in result["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
        for host, n in result["backends"].items():
            backends[host] = backends.get(host, 0) + n
    begin = min(r["started"] for r in results)
    end = max(r["started"] + r["elapsed"] for r in results)
    ok = statuses.get(200, 0)
    return {"statuses": statuses, "ok": ok, "elapsed": end - begin,
            "per_second": ok / (end - begin), "backends": len(backends),
            "per_backend": sorted(backends.values()),
            "concurrency": concurrency * processes}


def service_proxy(sim: Server, hello: Server, *, requests: int, concurrency: int,
                  namespace: str = "bench-proxy", endpoints: int = 10) -> dict[str, Any]:
    """Through the service proxy to ``endpoints`` whoami pods, then the hello floor."""
    workloads.whoami_service(sim, namespace=namespace, name="whoami", replicas=endpoints)
    path = f"/api/v1/namespaces/{namespace}/services/whoami:80/proxy/"
    sim_target = load.Target(sim.url, sim.token, str(sim.ca_file))
    hello_target = load.Target(hello.url, "", str(hello.ca_file))
    # A short warm-up of each, so neither pays for its first connections in the figure.
    gets(sim_target, path, requests=min(200, requests), concurrency=concurrency)
    gets(hello_target, "/hello", requests=min(200, requests), concurrency=concurrency)
    return {"endpoints": endpoints, "path": path,
            "hello": gets(hello_target, "/hello", requests=requests, concurrency=concurrency),
            "sim": gets(sim_target, path, requests=requests, concurrency=concurrency)}
