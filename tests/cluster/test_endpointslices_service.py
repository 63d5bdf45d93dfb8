"""EndpointSlices: the same addresses as Endpoints, 100 to a slice, with conditions.

The EndpointSlice controller writes ``<service>-<5 random>`` slices owned by the Service,
labelled with its name and ``managed-by: endpointslice-controller.k8s.io``; terminating
pods stay listed with ``terminating: true``.  Pods are played by hand on a lab node.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from kubernetes import client

from tests.cluster.netlab import (addresses, endpoints_of, kubectl, make_node, run_pod,
                                  slices_of, wait_for)

NODE = "lab-slices"
SLICE_NAME = re.compile(r"^web-[bcdfghjklmnpqrstvwxz2456789]{5}$")


@pytest.fixture(scope="module")
def core(api_client: Any, sim: Any) -> client.CoreV1Api:
    api = client.CoreV1Api(api_client)
    make_node(api, sim, NODE, zone="lab-zone-a")
    return api


def service(core: client.CoreV1Api, namespace: str, **spec: Any) -> dict[str, Any]:
    body = {"metadata": {"name": "web", "labels": {"team": "blue"}},
            "spec": {"selector": {"app": "web"},
                     "ports": [{"name": "http", "port": 80, "targetPort": 8080}], **spec}}
    return core.api_client.sanitize_for_serialization(
        core.create_namespaced_service(namespace, body))


def endpoints_by_ip(api: Any, namespace: str) -> dict[str, dict[str, Any]]:
    return {e["addresses"][0]: e for s in slices_of(api, namespace, "web")
            for e in s.get("endpoints") or []}


def test_slice_lists_pods_with_conditions(core: client.CoreV1Api, api_client: Any, sim: Any,
                                          namespace: str) -> None:
    svc = service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"}, ready=False)
    wait_for(lambda: len(endpoints_by_ip(api_client, namespace)) == 2, what="2 endpoints")
    [found] = slices_of(api_client, namespace, "web")
    meta = found["metadata"]
    assert SLICE_NAME.match(meta["name"]) and meta["generateName"] == "web-"
    assert meta["labels"] == {"team": "blue", "kubernetes.io/service-name": "web",
                              "endpointslice.kubernetes.io/managed-by":
                                  "endpointslice-controller.k8s.io"}
    assert meta["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "web",
                                        "uid": svc["metadata"]["uid"], "controller": True,
                                        "blockOwnerDeletion": True}]
    assert "endpoints.kubernetes.io/last-change-trigger-time" in meta["annotations"]
    assert found["addressType"] == "IPv4"
    assert found["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]
    pod = core.read_namespaced_pod("web-a", namespace)
    by_ip = endpoints_by_ip(api_client, namespace)
    assert by_ip[a] == {"addresses": [a],
                        "conditions": {"ready": True, "serving": True, "terminating": False},
                        "nodeName": NODE, "zone": "lab-zone-a",
                        "targetRef": {"kind": "Pod", "namespace": namespace, "name": "web-a",
                                      "uid": pod.metadata.uid}}
    assert by_ip[b]["conditions"] == {"ready": False, "serving": False, "terminating": False}
    # The same addresses as the Endpoints.
    ep = wait_for(lambda: endpoints_of(core, namespace, "web"), what="endpoints")
    assert sorted(by_ip) == sorted(addresses(ep) + addresses(ep, "notReadyAddresses"))


def test_terminating_pods_stay_listed_as_terminating(core: client.CoreV1Api, api_client: Any,
                                                      sim: Any, namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"}, ready=False)
    wait_for(lambda: len(endpoints_by_ip(api_client, namespace)) == 2, what="endpoints")
    for name in ("web-a", "web-b"):
        core.delete_namespaced_pod(name, namespace)       # stays Terminating: no kubelet
    wait_for(lambda: {ip: e["conditions"] for ip, e in endpoints_by_ip(api_client,
                                                                       namespace).items()} ==
             {a: {"ready": False, "serving": True, "terminating": True},
              b: {"ready": False, "serving": False, "terminating": True}}, what="terminating")
    assert endpoints_of(core, namespace, "web").get("subsets") is None  # type: ignore[union-attr]


def test_service_without_pods_gets_a_placeholder_slice(core: client.CoreV1Api, api_client: Any,
                                                       sim: Any, namespace: str,
                                                       kubectl_path: str) -> None:
    service(core, namespace)
    [found] = wait_for(lambda: slices_of(api_client, namespace, "web"), what="placeholder")
    assert found["endpoints"] is None and found["ports"] is None
    table = kubectl(sim, kubectl_path, "get", "endpointslices", "-n", namespace)
    assert table.splitlines()[0].split() == ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]
    assert table.splitlines()[1].split()[1:4] == ["IPv4", "<unset>", "<unset>"]
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    wait_for(lambda: a in endpoints_by_ip(api_client, namespace), what="endpoint")
    [after] = slices_of(api_client, namespace, "web")
    assert after["metadata"]["name"] == found["metadata"]["name"]   # rewritten, not replaced


def test_at_most_100_endpoints_per_slice(core: client.CoreV1Api, api_client: Any, sim: Any,
                                         namespace: str) -> None:
    service(core, namespace)
    ips = [run_pod(core, sim, namespace, f"web-{i:03d}", NODE, {"app": "web"})
           for i in range(130)]
    wait_for(lambda: len(endpoints_by_ip(api_client, namespace)) == 130, timeout=60,
             what="130 endpoints")
    sizes = [len(s["endpoints"]) for s in slices_of(api_client, namespace, "web")]
    # Two slices, neither over 100 (how they split depends on how the pods arrived).
    assert len(sizes) == 2 and max(sizes) <= 100 and sum(sizes) == 130
    ep = wait_for(lambda: (e := endpoints_of(core, namespace, "web")) and
                  len(addresses(e)) == 130 and e, what="130 addresses")
    assert addresses(ep) == sorted(ips)


def test_deleted_slice_is_recreated(core: client.CoreV1Api, api_client: Any, sim: Any,
                                    namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    wait_for(lambda: a in endpoints_by_ip(api_client, namespace), what="endpoint")
    [first] = slices_of(api_client, namespace, "web")
    client.DiscoveryV1Api(api_client).delete_namespaced_endpoint_slice(
        first["metadata"]["name"], namespace)
    [again] = wait_for(lambda: [s for s in slices_of(api_client, namespace, "web")
                                if s["metadata"]["name"] != first["metadata"]["name"]],
                       what="a new slice")
    assert [e["addresses"] for e in again["endpoints"]] == [[a]]


def test_kubectl_get_endpointslices(core: client.CoreV1Api, api_client: Any, sim: Any,
                                    namespace: str, kubectl_path: str) -> None:
    service(core, namespace)
    ips = sorted(run_pod(core, sim, namespace, f"web-{i}", NODE, {"app": "web"})
                 for i in range(4))
    wait_for(lambda: len(endpoints_by_ip(api_client, namespace)) == 4, what="4 endpoints")
    table = kubectl(sim, kubectl_path, "get", "endpointslices", "-n", namespace,
                    "-l", "kubernetes.io/service-name=web")
    row = table.splitlines()[1].split()
    assert SLICE_NAME.match(row[0]) and row[1:3] == ["IPv4", "8080"]
    assert row[3].split(",") == ips[:3] and row[4:7] == ["+", "1", "more..."]


def test_slices_go_with_their_service(core: client.CoreV1Api, api_client: Any, sim: Any,
                                      namespace: str) -> None:
    if not any(type(c).__name__ == "GarbageCollector" for c in sim.cluster.components):
        pytest.skip("slices are removed by the garbage collector, which is not running")
    service(core, namespace)
    run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    wait_for(lambda: endpoints_by_ip(api_client, namespace), what="endpoint")
    core.delete_namespaced_service("web", namespace)
    wait_for(lambda: not slices_of(api_client, namespace, "web"), what="slices collected")
