"""Request latency through the official ``kubernetes`` client, and watch delivery delay.

Every call is timed twice over: as users make it (typed: the client builds V1Pod models
from the answer) and raw (``_preload_content=False``: the bytes only), since the client's
own model-building is often the larger part.  The floor is the hello server's endpoint
through the same client (``ApiClient.call_api``), same TLS, same connection pool.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any, Callable

from bench.load import pod


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 and p99 (nearest rank), in milliseconds."""
    ordered = sorted(samples)
    if not ordered:
        return {"p50": float("nan"), "p99": float("nan"), "n": 0}

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered) + 0.5)) - 1))]

    return {"p50": rank(0.50) * 1000, "p99": rank(0.99) * 1000, "n": len(ordered)}


def api_client(url: str, token: str | None, ca_file: str) -> Any:
    from kubernetes import client

    config = client.Configuration()
    config.host = url
    if token:
        config.api_key = {"authorization": f"Bearer {token}"}
    config.ssl_ca_cert = ca_file
    return client.ApiClient(config)


def timed(call: Callable[[], Any], *, n: int, warmup: int = 20) -> list[float]:
    for _ in range(warmup):
        call()
    out = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def request_latencies(sim: Any, hello: Any, *, namespace: str, pod_name: str,
                      n: int) -> dict[str, dict[str, float]]:
    """p50/p99 of GET, CREATE, LIST-with-selector (typed and raw) and the hello floor."""
    from kubernetes import client

    api = api_client(sim.url, sim.token, str(sim.ca_file))
    floor_api = api_client(hello.url, None, str(hello.ca_file))
    core = client.CoreV1Api(api)
    counter = iter(range(10 ** 9))

    def raw(response: Any) -> bytes:
        return response.data

    def hello_get() -> Any:
        return raw(floor_api.call_api("/hello", "GET", _preload_content=False,
                                      _return_http_data_only=True))

    def hello_post() -> Any:
        return raw(floor_api.call_api("/hello", "POST", body=pod("x", labels={}),
                                      header_params={"Content-Type": "application/json"},
                                      _preload_content=False, _return_http_data_only=True))

    def create(typed: bool) -> Callable[[], Any]:
        def call() -> Any:
            body = pod(f"lat-{next(counter)}", labels={"bench": "latency"})
            if typed:
                return core.create_namespaced_pod(namespace, body)
            return raw(core.create_namespaced_pod(namespace, body, _preload_content=False))
        return call

    results = {
        "floor: hello GET (raw)": timed(hello_get, n=n),
        "floor: hello POST (raw)": timed(hello_post, n=n),
        "GET pod (typed)": timed(lambda: core.read_namespaced_pod(pod_name, namespace), n=n),
        "GET pod (raw)": timed(lambda: raw(core.read_namespaced_pod(
            pod_name, namespace, _preload_content=False)), n=n),
        "CREATE pod (typed)": timed(create(True), n=n),
        "CREATE pod (raw)": timed(create(False), n=n),
        "LIST 10 of 10,000 by label (typed)": timed(lambda: core.list_namespaced_pod(
            namespace, label_selector="app=bench-7"), n=max(50, n // 4)),
        "LIST 10 of 10,000 by label (raw)": timed(lambda: raw(core.list_namespaced_pod(
            namespace, label_selector="app=bench-7", _preload_content=False)),
            n=max(50, n // 4)),
    }
    listed = core.list_namespaced_pod(namespace, label_selector="app=bench-7")
    api.close()
    floor_api.close()
    out = {name: percentiles(samples) for name, samples in results.items()}
    out["LIST 10 of 10,000 by label (typed)"]["matched"] = len(listed.items)
    return out


# --- watch delivery delay ----------------------------------------------------------------------

def _watch_process(url: str, token: str | None, ca_file: str, path: str, mode: str,
                   expected: int, ready: Any, out: Any) -> None:
    from kubernetes import client, watch
    from kubernetes.watch.watch import iter_resp_lines

    api = api_client(url, token, ca_file)
    received: dict[str, float] = {}
    if mode == "typed":
        core = client.CoreV1Api(api)
        namespace = path.split("/")[4]
        stream = watch.Watch().stream(core.list_namespaced_pod, namespace,
                                      label_selector=f"bench=watch-{mode}",
                                      timeout_seconds=120,
                                      _request_timeout=130)
        ready.set()
        for event in stream:
            received.setdefault(event["object"].metadata.name, time.monotonic())
            if len(received) >= expected:
                break
    else:
        import json

        response = api.call_api(path, "GET", query_params=[
                                    ("watch", "true"), ("labelSelector", f"bench=watch-{mode}")],
                                auth_settings=["BearerToken"], _preload_content=False,
                                _return_http_data_only=True, _request_timeout=130)
        ready.set()
        for line in iter_resp_lines(response):
            event = json.loads(line)
            name = (event.get("object") or {}).get("metadata", {}).get("name") \
                or event.get("name")
            received.setdefault(name, time.monotonic())
            if len(received) >= expected:
                break
        response.release_conn()
    out.put(received)


def watch_delays(target: Any, *, path: str, write: Callable[[str, str], None], mode: str,
                 events: int, pause: float = 0.004) -> dict[str, Any]:
    """Write ``events`` objects one at a time (``write(name, label)``, labelled
    ``bench=watch-<mode>``); per event, the delivery time after the write's answer."""
    ctx = multiprocessing.get_context("spawn")
    ready, out = ctx.Event(), ctx.Queue()
    watcher = ctx.Process(target=_watch_process, args=(
        target.url, target.token or None, str(target.ca_file), path, mode, events, ready, out))
    watcher.start()
    if not ready.wait(60):
        raise RuntimeError("the watcher did not start")
    time.sleep(0.5)                     # let the watch be established on the server
    sent: dict[str, tuple[float, float]] = {}
    for i in range(events):
        name = f"w-{mode}-{i}"
        before = time.monotonic()
        write(name, f"watch-{mode}")
        sent[name] = (before, time.monotonic())
        time.sleep(pause)
    received = out.get(timeout=120)
    watcher.join(30)
    after_ack = [received[n] - ack for n, (_, ack) in sent.items() if n in received]
    after_send = [received[n] - before for n, (before, _) in sent.items() if n in received]
    return {"after_ack": percentiles(after_ack), "after_send": percentiles(after_send),
            "missed": len(sent) - len(after_ack),
            "before_ack": sum(1 for d in after_ack if d < 0)}
