"""Request latency through the official ``kubernetes`` client, and watch delivery delay.

Every call is timed twice over: as users make it (typed: the client builds V1Pod models
from the answer) and raw (``_preload_content=False``: the bytes only), since the client's
own model-building is often the larger part.  The floor is the hello server's endpoint
through the same client (``ApiClient.call_api``), same TLS, same connection pool.
"""

from __future__ import annotations

import json
import math
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
        # Nearest rank: the smallest value with at least p of the samples at or below it.
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered) - 1e-9) - 1))]

    return {"p50": rank(0.50) * 1000, "p99": rank(0.99) * 1000, "n": len(ordered)}


def api_client(url: str, token: str | None, ca_file: str) -> Any:
    from kubernetes import client

    config = client.Configuration()
    config.host = url
    if token:
        config.api_key = {"authorization": f"Bearer {token}"}
    config.ssl_ca_cert = ca_file
    return client.ApiClient(config)


def interleaved(calls: dict[str, tuple[Callable[[], Any], int]], *, chunk: int = 50,
                settle: int = 3) -> dict[str, list[float]]:
    """Time each call ``n`` times in runs of ``chunk``, taking turns, so that whatever else
    the machine does meanwhile falls on every figure alike; the first ``settle`` calls of
    each run are not counted (the server process waking up after another's turn)."""
    out: dict[str, list[float]] = {name: [] for name in calls}
    while any(len(out[name]) < n for name, (_, n) in calls.items()):
        for name, (call, n) in calls.items():
            todo = min(max(1, chunk * n // max(m for _, m in calls.values())),
                       n - len(out[name]))
            if todo <= 0:
                continue
            for _ in range(settle):
                call()
            for _ in range(todo):
                started = time.perf_counter()
                call()
                out[name].append(time.perf_counter() - started)
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

    # The typed floors: the same pod JSON, from the hello server, made into a V1Pod.
    stored = raw(core.read_namespaced_pod(pod_name, namespace, _preload_content=False))
    floor_api.call_api("/pod", "PUT", body=json.loads(stored),
                       header_params={"Content-Type": "application/json"},
                       _preload_content=False, _return_http_data_only=True).data

    def hello_get_pod() -> Any:
        return floor_api.call_api("/pod", "GET", response_type="V1Pod",
                                  _return_http_data_only=True)

    def hello_post_pod() -> Any:
        return floor_api.call_api("/pod", "POST", body=pod("x", labels={}),
                                  header_params={"Content-Type": "application/json"},
                                  response_type="V1Pod", _return_http_data_only=True)

    lists = max(50, n // 4)
    results = interleaved({
        "floor: hello GET (raw)": (hello_get, n),
        "floor: hello POST (raw)": (hello_post, n),
        "floor: hello GET of a pod (typed)": (hello_get_pod, n),
        "floor: hello POST, a pod back (typed)": (hello_post_pod, n),
        "GET pod (typed)": (lambda: core.read_namespaced_pod(pod_name, namespace), n),
        "GET pod (raw)": (lambda: raw(core.read_namespaced_pod(
            pod_name, namespace, _preload_content=False)), n),
        "CREATE pod (typed)": (create(True), n),
        "CREATE pod (raw)": (create(False), n),
        "LIST by label selector (typed)": (lambda: core.list_namespaced_pod(
            namespace, label_selector="app=bench-7"), lists),
        "LIST by label selector (raw)": (lambda: raw(core.list_namespaced_pod(
            namespace, label_selector="app=bench-7", _preload_content=False)), lists),
    })
    listed = core.list_namespaced_pod(namespace, label_selector="app=bench-7")
    api.close()
    floor_api.close()
    out = {name: percentiles(samples) for name, samples in results.items()}
    out["LIST by label selector (typed)"]["matched"] = len(listed.items)
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
