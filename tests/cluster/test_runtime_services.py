"""Service traffic between simulated containers: a client pod asks a Service, and the
answers come from the pods behind it (whoami says which), through the cluster's network.

The fleet is given the cluster network here (``Fleet.attach_network``), as the assembly
gives it when it builds the fleet with ``network=``.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from kubernetes import client

from kitlib.sim.network.api import HttpRequest
from tests.cluster.kubelet_lab import container, in_loop, is_ready, make_pod, wait_for
from tests.cluster.runtime_lab import install_stub_shell, run, runtime_of


@pytest.fixture(scope="module", autouse=True)
def network(sim: Any) -> Iterator[None]:
    fabric = getattr(sim.cluster, "fabric", None)
    if fabric is None:
        pytest.skip("this cluster has no network fabric")
    in_loop(sim, sim.cluster.fleet.attach_network, fabric)
    stubbed = install_stub_shell()
    yield
    if stubbed:
        from kitlib.sim.runtime.programs.shells import use_shell
        use_shell(None)


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


def ask(sim: Any, namespace: str, pod: str, host: str, port: int, path: str = "/") -> Any:
    """One HTTP request from inside ``pod``'s network namespace, as curl there sends it."""
    runtime = runtime_of(sim, namespace, pod)
    net = runtime._pods[runtime.sandbox_of(namespace, pod)].net
    request = HttpRequest("GET", path, headers=(("User-Agent", "curl/8.5.0"), ("Accept", "*/*")))
    return run(sim, lambda: net.http(host, port, request))


def test_a_service_spreads_requests_over_its_pods(core: client.CoreV1Api, sim: Any,
                                                  namespace: str) -> None:
    names = [f"whoami-{index}" for index in range(3)]
    for name in names:
        core.create_namespaced_pod(namespace, {
            "metadata": {"name": name, "labels": {"app": "whoami"}},
            "spec": {"containers": [{"name": "whoami", "image": "traefik/whoami",
                                     "ports": [{"containerPort": 80}]}]}})
    make_pod(core, namespace, "client", [container("curl", "busybox",
                                                   command=["sleep", "3600"])])
    service = core.create_namespaced_service(namespace, {
        "metadata": {"name": "whoami"},
        "spec": {"selector": {"app": "whoami"}, "ports": [{"port": 80, "targetPort": 80}]}})
    for name in [*names, "client"]:
        wait_for(lambda name=name: is_ready(core, namespace, name), what=f"{name} Ready")
    client_ip = core.read_namespaced_pod("client", namespace).status.pod_ip

    def answered() -> set[str]:
        seen = set()
        for _ in range(30):
            answer = ask(sim, namespace, "client", service.spec.cluster_ip, 80)
            if answer.status != 200:
                return set()
            text = answer.body.decode()
            assert f"\nRemoteAddr: {client_ip}:" in text
            seen.add(text.splitlines()[0].removeprefix("Hostname: "))
        return seen
    assert wait_for(answered, what="answers from the pods") == set(names)
    by_name = ask(sim, namespace, "client", "whoami", 80)          # cluster DNS, search domains
    assert by_name.status == 200 and by_name.body.startswith(b"Hostname: whoami-")


def test_nginx_behind_a_service_serves_its_welcome_page(core: client.CoreV1Api, sim: Any,
                                                        namespace: str) -> None:
    core.create_namespaced_pod(namespace, {
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}})
    make_pod(core, namespace, "client", [container("curl", "busybox",
                                                   command=["sleep", "3600"])])
    core.create_namespaced_service(namespace, {
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 8080, "targetPort": 80}]}})
    for name in ("web", "client"):
        wait_for(lambda name=name: is_ready(core, namespace, name), what=f"{name} Ready")
    page = wait_for(lambda: (lambda a: a if a.status == 200 else None)(
        ask(sim, namespace, "client", "web", 8080)), what="the welcome page")
    assert b"<title>Welcome to nginx!</title>" in page.body
    assert ("Server", "nginx/1.25.5") in page.headers
    missing = ask(sim, namespace, "client", "web", 8080, "/missing")
    assert missing.status == 404 and b"<center>nginx/1.25.5</center>" in missing.body
