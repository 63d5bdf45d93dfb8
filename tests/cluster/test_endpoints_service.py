"""A Service is a stable address in front of volatile pods, found by their labels.

The endpoint controller keeps each selector Service's Endpoints in step with its pods:
ready pods under ``addresses``, the others under ``notReadyAddresses``, terminating ones
gone, relabelled ones gone, ports resolved per pod.  These tests play the kubelet on a
lab node (see ``netlab``) and watch the result as a learner would.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from kubernetes import client

from tests.cluster.netlab import (addresses, endpoints_of, kubectl, make_node, parse_time,
                                  run_pod, set_pod_status, wait_for)

NODE = "lab-endpoints"
_names = itertools.count(1)


@pytest.fixture(scope="module")
def core(api_client: Any, sim: Any) -> client.CoreV1Api:
    api = client.CoreV1Api(api_client)
    make_node(api, sim, NODE)
    return api


def service(core: client.CoreV1Api, namespace: str, name: str = "web", *,
            selector: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    body = {"metadata": {"name": name},
            "spec": {"selector": selector if selector is not None else {"app": name},
                     "ports": [{"port": 80, "targetPort": 8080}], **spec}}
    if selector == {}:
        del body["spec"]["selector"]
    return core.api_client.sanitize_for_serialization(
        core.create_namespaced_service(namespace, body))


def ips(core: client.CoreV1Api, namespace: str, name: str = "web") -> tuple[list[str], list[str]]:
    found = endpoints_of(core, namespace, name)
    return addresses(found), addresses(found, "notReadyAddresses")


def settle(core: client.CoreV1Api, namespace: str, ready: list[str], not_ready: list[str],
           name: str = "web") -> dict[str, Any]:
    wait_for(lambda: ips(core, namespace, name) == (sorted(ready), sorted(not_ready)),
             what=f"endpoints ready={ready} notReady={not_ready}")
    found = endpoints_of(core, namespace, name)
    assert found is not None
    return found


def test_endpoints_list_ready_and_not_ready_pods(core: client.CoreV1Api, sim: Any,
                                                  namespace: str) -> None:
    created = service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"})
    c = run_pod(core, sim, namespace, "web-c", NODE, {"app": "web"}, ready=False)
    run_pod(core, sim, namespace, "other", NODE, {"app": "other"})
    found = settle(core, namespace, [a, b], [c])
    assert len(found["subsets"]) == 1
    subset = found["subsets"][0]
    assert subset["ports"] == [{"port": 8080, "protocol": "TCP"}]
    first = subset["addresses"][0]
    pod = core.read_namespaced_pod("web-a" if first["ip"] == a else "web-b", namespace)
    assert first == {"ip": first["ip"], "nodeName": NODE,
                     "targetRef": {"kind": "Pod", "namespace": namespace,
                                   "name": pod.metadata.name, "uid": pod.metadata.uid}}
    meta = found["metadata"]
    assert "labels" not in meta          # the Service has none; 1.32 adds no managed-by label
    assert not meta.get("ownerReferences")
    stamp = meta["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"]
    assert parse_time(stamp) >= parse_time(created["metadata"]["creationTimestamp"])


def test_readiness_moves_an_address_between_lists(core: client.CoreV1Api, sim: Any,
                                                   namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"})
    settle(core, namespace, [a, b], [])
    set_pod_status(core, sim, namespace, "web-b", ready=False)
    settle(core, namespace, [a], [b])
    set_pod_status(core, sim, namespace, "web-b", ready=True)
    settle(core, namespace, [a, b], [])


def test_relabelled_pod_drops_out_and_back(core: client.CoreV1Api, sim: Any,
                                           namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"})
    settle(core, namespace, [a, b], [])
    core.patch_namespaced_pod("web-b", namespace, {"metadata": {"labels": {"app": "debug"}}})
    settle(core, namespace, [a], [])
    core.patch_namespaced_pod("web-b", namespace, {"metadata": {"labels": {"app": "web"}}})
    settle(core, namespace, [a, b], [])


def test_changing_the_selector_changes_the_endpoints(core: client.CoreV1Api, sim: Any,
                                                     namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web", "track": "stable"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web", "track": "canary"})
    settle(core, namespace, [a, b], [])
    core.patch_namespaced_service("web", namespace,
                                  {"spec": {"selector": {"app": "web", "track": "canary"}}})
    settle(core, namespace, [b], [])


def test_terminating_and_deleted_pods_drop_out(core: client.CoreV1Api, sim: Any,
                                               namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"})
    c = run_pod(core, sim, namespace, "web-c", NODE, {"app": "web"})
    settle(core, namespace, [a, b, c], [])
    # No kubelet runs on the lab node: the graceful delete leaves the pod Terminating.
    core.delete_namespaced_pod("web-b", namespace)
    assert core.read_namespaced_pod("web-b", namespace).metadata.deletion_timestamp
    settle(core, namespace, [a, c], [])
    core.delete_namespaced_pod("web-c", namespace, grace_period_seconds=0)
    settle(core, namespace, [a], [])


def test_publish_not_ready_addresses_lists_every_pod_as_ready(core: client.CoreV1Api, sim: Any,
                                                               namespace: str) -> None:
    service(core, namespace, publishNotReadyAddresses=True)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"}, ready=False)
    settle(core, namespace, [a, b], [])


def test_named_target_port_is_resolved_per_pod(core: client.CoreV1Api, sim: Any,
                                               namespace: str) -> None:
    service(core, namespace, ports=[{"name": "web", "port": 80, "targetPort": "http"}])
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"},
                ports=[{"name": "http", "containerPort": 8080}])
    b = run_pod(core, sim, namespace, "web-b", NODE, {"app": "web"},
                ports=[{"name": "http", "containerPort": 9090}])
    run_pod(core, sim, namespace, "web-c", NODE, {"app": "web"},
            ports=[{"name": "admin", "containerPort": 7070}])        # no "http": left out
    settle(core, namespace, [a, b], [])
    found = endpoints_of(core, namespace, "web")
    assert found is not None
    by_port = {s["ports"][0]["port"]: [x["ip"] for x in s["addresses"]]
               for s in found["subsets"]}
    assert by_port == {8080: [a], 9090: [b]}
    assert all(s["ports"][0]["name"] == "web" for s in found["subsets"])


def test_headless_service_endpoints_are_labelled_headless(core: client.CoreV1Api, sim: Any,
                                                          namespace: str) -> None:
    service(core, namespace, clusterIP="None", ports=None)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    found = settle(core, namespace, [a], [])
    assert found["metadata"]["labels"] == {"service.kubernetes.io/headless": ""}
    assert "ports" not in found["subsets"][0]


def test_service_without_selector_keeps_its_own_endpoints(core: client.CoreV1Api, sim: Any,
                                                          namespace: str) -> None:
    service(core, namespace, "external", selector={})
    core.create_namespaced_endpoints(namespace, {
        "metadata": {"name": "external"},
        "subsets": [{"addresses": [{"ip": "192.0.2.10"}], "ports": [{"port": 5432}]}]})
    # A selector Service created after it is served promptly: by then the controller has
    # had every chance to touch the manual object.
    service(core, namespace, "probe")
    b = run_pod(core, sim, namespace, "probe-a", NODE, {"app": "probe"})
    settle(core, namespace, [b], [], name="probe")
    assert ips(core, namespace, "external") == (["192.0.2.10"], [])


def test_endpoints_go_with_their_service(core: client.CoreV1Api, sim: Any,
                                         namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    settle(core, namespace, [a], [])
    core.delete_namespaced_service("web", namespace)
    wait_for(lambda: endpoints_of(core, namespace, "web") is None, what="endpoints deleted")


def test_deleted_endpoints_come_back(core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    service(core, namespace)
    a = run_pod(core, sim, namespace, "web-a", NODE, {"app": "web"})
    settle(core, namespace, [a], [])
    core.delete_namespaced_endpoints("web", namespace)
    settle(core, namespace, [a], [])


def test_kubectl_shows_endpoints(core: client.CoreV1Api, sim: Any, namespace: str,
                                 kubectl_path: str) -> None:
    service(core, namespace)
    found = [run_pod(core, sim, namespace, f"web-{i}", NODE, {"app": "web"}) for i in range(5)]
    settle(core, namespace, found, [])
    first = sorted(found)[:3]
    table = kubectl(sim, kubectl_path, "get", "endpoints", "web", "-n", namespace)
    assert table.splitlines()[0].split() == ["NAME", "ENDPOINTS", "AGE"]
    assert ",".join(f"{ip}:8080" for ip in first) + " + 2 more..." in table
    described = kubectl(sim, kubectl_path, "describe", "service", "web", "-n", namespace)
    line = next(x for x in described.splitlines() if x.startswith("Endpoints:"))
    assert line.split()[1].split(",")[:3] == [f"{ip}:8080" for ip in first]
    assert "TargetPort:" in described and "8080/TCP" in described


def test_service_with_no_pods_shows_none(core: client.CoreV1Api, sim: Any, namespace: str,
                                         kubectl_path: str) -> None:
    service(core, namespace)
    wait_for(lambda: endpoints_of(core, namespace, "web") is not None, what="empty endpoints")
    assert "subsets" not in endpoints_of(core, namespace, "web")  # type: ignore[operator]
    table = kubectl(sim, kubectl_path, "get", "endpoints", "web", "-n", namespace)
    assert table.splitlines()[1].split()[:2] == ["web", "<none>"]
