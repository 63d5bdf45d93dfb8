"""Service traffic in a running cluster: a stable address in front of pods that come and go.

The pods here either are played by hand on a lab node (their IPs and readiness written
through the status subresource, as in the other Service tests) or are run by the kubelets;
the test gives each a small HTTP server on its pod network that answers with the pod's
name, as whoami would.  Requests go from a client pod network through the cluster's
fabric, so kube-proxy's rules see exactly what the controllers wrote.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest
from kubernetes import client

from kitlib.sim.network import HttpRequest, HttpResponse, NetError
from tests.cluster.netlab import make_node, run_pod, set_pod_status, wait_for

NODE = "lab-net"
GET = HttpRequest(method="GET", target="/")
_clients = itertools.count(2)


@pytest.fixture(scope="module")
def core(api_client: Any, sim: Any) -> client.CoreV1Api:
    api = client.CoreV1Api(api_client)
    make_node(api, sim, NODE)
    return api


def in_loop(sim: Any, function: Any, *args: Any, **kwargs: Any) -> Any:
    async def call() -> Any:
        return function(*args, **kwargs)
    return sim.call(call())


def serve(sim: Any, namespace: str, pod: str, ip: str, *, port: int = 8080) -> None:
    """An HTTP server in the pod's network that answers with the pod's name."""
    async def answer(request: HttpRequest) -> HttpResponse:
        return HttpResponse(status=200, body=f"{pod} saw {request.client_ip}".encode())

    def attach() -> None:
        fabric = sim.cluster.fabric
        net = fabric.network_of(namespace, pod) or fabric.pod_network(
            namespace=namespace, pod=pod, ip=ip)
        net.listen(port, http=answer, owner=f"{namespace}/{pod}/test")
    in_loop(sim, attach)


def client_net(sim: Any, namespace: str) -> Any:
    ip = f"10.244.200.{next(_clients)}"
    return in_loop(sim, lambda: sim.cluster.fabric.pod_network(
        namespace=namespace, pod=f"client-{ip.rsplit('.', 1)[1]}", ip=ip, node_ip="172.18.0.3"))


def ask(sim: Any, net: Any, host: str, port: int = 80, times: int = 1) -> list[str]:
    async def go() -> list[str]:
        return [(await net.http(host, port, GET)).served_by for _ in range(times)]
    return sim.call(go())


def answers(sim: Any, net: Any, host: str, port: int = 80, times: int = 1) -> set[str]:
    """Who answered (for waiting: a refused connection is just no answer yet)."""
    try:
        return set(ask(sim, net, host, port, times))
    except NetError:
        return set()


def ready_backends(sim: Any, namespace: str, service: str) -> int:
    """How many ready endpoints kube-proxy has for the Service."""
    table = sim.cluster.fabric.services
    return in_loop(sim, lambda: sum(b.ready for b in table.endpoints(namespace,
                                                                      service).endpoints))


def fails(sim: Any, net: Any, host: str, port: int = 80, timeout: float = 1.0) -> NetError:
    async def go() -> NetError:
        try:
            await net.http(host, port, GET, timeout=timeout)
        except NetError as exc:
            return exc
        raise AssertionError(f"{host}:{port} answered")
    return sim.call(go())


def web_service(core: client.CoreV1Api, namespace: str, name: str = "web",
                **spec: Any) -> Any:
    body = {"metadata": {"name": name},
            "spec": {"selector": {"app": name},
                     "ports": [{"name": "http", "port": 80, "targetPort": 8080}], **spec}}
    return core.create_namespaced_service(namespace, body)


def lab_pods(core: client.CoreV1Api, sim: Any, namespace: str, app: str,
             count: int) -> dict[str, str]:
    pods = {}
    for i in range(count):
        name = f"{app}-{i}"
        pods[name] = run_pod(core, sim, namespace, name, NODE, {"app": app})
        serve(sim, namespace, name, pods[name])
    return pods


def test_clusterip_spreads_over_ready_pods_and_drops_unready_ones(
        core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    web_service(core, namespace)
    lab_pods(core, sim, namespace, "web", 3)
    net = client_net(sim, namespace)
    wait_for(lambda: len(answers(sim, net, "web", times=30)) == 3, what="3 pods answering")
    seen = Counter(ask(sim, net, "web", times=30))
    assert set(seen) == {"web-0", "web-1", "web-2"}, seen
    # The same through every DNS form and the ClusterIP itself.
    ip = core.read_namespaced_service("web", namespace).spec.cluster_ip
    for host in ("web", f"web.{namespace}", f"web.{namespace}.svc.cluster.local", ip):
        assert ask(sim, net, host)[0] in seen
    # A pod whose readiness fails leaves the rotation; it comes back when ready again.
    set_pod_status(core, sim, namespace, "web-1", ready=False)
    wait_for(lambda: "web-1" not in ask(sim, net, "web", times=30), what="web-1 out")
    assert set(ask(sim, net, "web", times=30)) == {"web-0", "web-2"}
    set_pod_status(core, sim, namespace, "web-1", ready=True)
    wait_for(lambda: "web-1" in ask(sim, net, "web", times=30), what="web-1 back")


def test_service_without_endpoints_refuses(core: client.CoreV1Api, sim: Any,
                                           namespace: str) -> None:
    svc = web_service(core, namespace, "lonely")
    net = client_net(sim, namespace)
    error = fails(sim, net, "lonely")
    assert error.kind == "refused"
    assert error.message == f"dial tcp {svc.spec.cluster_ip}:80: connect: connection refused"
    # A pod that is running but not ready does not help.
    ip = run_pod(core, sim, namespace, "lonely-0", NODE, {"app": "lonely"}, ready=False)
    serve(sim, namespace, "lonely-0", ip)
    assert fails(sim, net, "lonely").kind == "refused"
    set_pod_status(core, sim, namespace, "lonely-0", ready=True)
    wait_for(lambda: answers(sim, net, "lonely") == {"lonely-0"}, what="lonely-0")


def test_session_affinity_client_ip_sticks(core: client.CoreV1Api, sim: Any,
                                           namespace: str) -> None:
    web_service(core, namespace, "sticky", sessionAffinity="ClientIP")
    lab_pods(core, sim, namespace, "sticky", 3)
    wait_for(lambda: ready_backends(sim, namespace, "sticky") == 3, what="3 endpoints")
    chosen = set()
    for _ in range(5):
        net = client_net(sim, namespace)
        got = set(ask(sim, net, "sticky", times=15))
        assert len(got) == 1, got
        chosen |= got
    assert len(chosen) > 1                  # different clients land on different pods


def _endpoints(core: client.CoreV1Api, namespace: str, name: str) -> list[str]:
    try:
        ep = core.read_namespaced_endpoints(name, namespace)
    except client.ApiException:
        return []
    return [a.ip for s in ep.subsets or [] for a in s.addresses or []]


def test_node_port_on_every_node(core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    svc = web_service(core, namespace, "np", type="NodePort")
    node_port = svc.spec.ports[0].node_port
    assert 30000 <= node_port <= 32767
    lab_pods(core, sim, namespace, "np", 1)
    net = client_net(sim, namespace)
    wait_for(lambda: answers(sim, net, "np") == {"np-0"}, what="np-0")
    node_ips = [a.address for n in core.list_node().items if n.metadata.name != NODE
                for a in n.status.addresses if a.type == "InternalIP"]
    assert sorted(node_ips) == ["172.18.0.2", "172.18.0.3", "172.18.0.4"]
    outside = in_loop(sim, sim.cluster.fabric.outside)
    for ip in node_ips:
        assert ask(sim, net, ip, node_port) == ["np-0"]
        assert ask(sim, outside, ip, node_port) == ["np-0"]
    assert fails(sim, net, "172.18.0.3", 30000 if node_port != 30000 else 30001).kind == \
        "refused"


def test_scaled_down_replica_disappears(api_client: Any, core: client.CoreV1Api, sim: Any,
                                        namespace: str) -> None:
    apps = client.AppsV1Api(api_client)
    labels = {"app": "scale"}
    apps.create_namespaced_deployment(namespace, {
        "metadata": {"name": "scale"},
        "spec": {"replicas": 3, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "main",
                                                       "image": "busybox:1.36",
                                                       "command": ["sleep", "3600"]}]}}}})
    web_service(core, namespace, "scale")

    def running() -> dict[str, str]:
        pods = core.list_namespaced_pod(namespace, label_selector="app=scale").items
        return {p.metadata.name: p.status.pod_ip for p in pods
                if p.status.pod_ip and not p.metadata.deletion_timestamp and any(
                    c.type == "Ready" and c.status == "True" for c in p.status.conditions or [])}
    pods = wait_for(lambda: (found := running()) and len(found) == 3 and found, timeout=30,
                    what="3 running replicas")
    for name, ip in pods.items():
        serve(sim, namespace, name, ip)
    net = client_net(sim, namespace)
    wait_for(lambda: answers(sim, net, "scale", times=30) == set(pods), what="3 answering")
    apps.patch_namespaced_deployment_scale("scale", namespace, {"spec": {"replicas": 2}})
    remaining = wait_for(lambda: (found := running()) and len(found) == 2 and found,
                         timeout=30, what="2 replicas")
    wait_for(lambda: answers(sim, net, "scale", times=30) == set(remaining),
             what="only the 2 remaining replicas answering")
    [gone] = set(pods) - set(remaining)
    assert gone not in ask(sim, net, "scale", times=30)


def test_api_server_proxy_reaches_pods_and_services(core: client.CoreV1Api, sim: Any,
                                                    namespace: str) -> None:
    web_service(core, namespace, "viaapi")
    pods = lab_pods(core, sim, namespace, "viaapi", 2)
    wait_for(lambda: len(_endpoints(core, namespace, "viaapi")) == 2, what="endpoints")
    fabric = sim.cluster.fabric

    async def through_service(port: Any) -> str:
        return (await fabric.http_to_service(namespace, "viaapi", port, GET)).served_by
    seen = {sim.call(through_service("http")) for _ in range(20)}
    assert seen == set(pods)
    answer = sim.call(fabric.http_to_pod(namespace, "viaapi-0", 8080, GET))
    assert answer.body == b"viaapi-0 saw 172.18.0.2"
    from kitlib.sim.machinery.errors import StatusError
    with pytest.raises(StatusError) as err:
        sim.call(through_service(None))
    assert err.value.code == 503
    assert err.value.message == 'no endpoints available for service "viaapi"'
