"""The EndpointSlice plan: which slices to create, rewrite and delete."""

from __future__ import annotations

import copy
from typing import Any

from kitlib.sim.controllers.endpointslicereconciler import plan
from kitlib.sim.controllers.servicepods import PodFacts

UID = "svc-uid"


def pod(n: int, *, ready: bool = True, terminating: bool = False, node: str = "node-a",
        ports: tuple[tuple[str, str, int], ...] = ()) -> PodFacts:
    return PodFacts(namespace="ns", name=f"p{n:03d}", uid=f"uid-{n}", rv=1,
                    ips=(f"10.0.{n // 250}.{n % 250 + 1}",), node=node, ready=ready,
                    terminating=terminating, terminal=False, hostname="", subdomain="",
                    named_ports=ports, ready_since="")


def service(**spec: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"clusterIP": "10.96.0.10", "ipFamilies": ["IPv4"],
                            "selector": {"app": "web"},
                            "ports": [{"name": "http", "port": 80, "targetPort": "http",
                                       "protocol": "TCP"}]}
    base.update(spec)
    return {"metadata": {"name": "web", "namespace": "ns", "uid": UID,
                         "labels": {"team": "blue"}}, "spec": base}


def zones(name: str) -> tuple[bool, str]:
    return (name != "gone", "zone-1" if name == "node-z" else "")


HTTP = (("http", "TCP", 8080),)


def stored(slices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's new slices as the API would hand them back: named, lists as written."""
    out = []
    for i, slice_ in enumerate(slices):
        copied = copy.deepcopy(slice_)
        copied["metadata"].setdefault("name", f"web-{i:05d}")
        out.append(copied)
    return out


def test_new_service_gets_one_slice() -> None:
    todo = plan(service(), [pod(1, ports=HTTP), pod(2, ready=False, ports=HTTP)], [],
                node_zone=zones)
    assert not todo.update and not todo.delete and not todo.retry
    [made] = todo.create
    assert made["metadata"] == {
        "generateName": "web-", "namespace": "ns",
        "labels": {"team": "blue", "kubernetes.io/service-name": "web",
                   "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
        "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "web", "uid": UID,
                             "controller": True, "blockOwnerDeletion": True}]}
    assert made["addressType"] == "IPv4"
    assert made["ports"] == [{"name": "http", "protocol": "TCP", "port": 8080}]
    assert made["endpoints"][1] == {
        "addresses": ["10.0.0.3"],
        "conditions": {"ready": False, "serving": False, "terminating": False},
        "targetRef": {"kind": "Pod", "namespace": "ns", "name": "p002", "uid": "uid-2"},
        "nodeName": "node-a"}


def test_terminating_pods_stay_with_their_conditions() -> None:
    [made] = plan(service(), [pod(1, terminating=True, ports=HTTP)], [],
                  node_zone=zones).create
    assert made["endpoints"][0]["conditions"] == {"ready": False, "serving": True,
                                                  "terminating": True}
    [made] = plan(service(publishNotReadyAddresses=True),
                  [pod(1, terminating=True, ready=False, ports=HTTP)], [],
                  node_zone=zones).create
    assert made["endpoints"][0]["conditions"]["ready"] is True


def test_no_pods_means_one_placeholder_kept_as_is() -> None:
    [placeholder] = plan(service(), [], [], node_zone=zones).create
    assert placeholder["endpoints"] == [] and placeholder["ports"] == []
    existing = stored([placeholder])
    existing[0]["endpoints"] = existing[0]["ports"] = None      # as the API stores them
    again = plan(service(), [], existing, node_zone=zones)
    assert not again.create and not again.update and not again.delete


def test_placeholder_is_rewritten_when_pods_come() -> None:
    existing = stored(plan(service(), [], [], node_zone=zones).create)
    todo = plan(service(), [pod(1, ports=HTTP)], existing, node_zone=zones)
    assert not todo.create and not todo.delete
    [rewritten] = todo.update
    assert rewritten["metadata"]["name"] == existing[0]["metadata"]["name"]
    assert len(rewritten["endpoints"]) == 1


def test_slices_hold_at_most_100_endpoints() -> None:
    todo = plan(service(), [pod(n, ports=HTTP) for n in range(250)], [], node_zone=zones)
    assert [len(s["endpoints"]) for s in todo.create] == [100, 100, 50]


def test_only_the_slice_that_changed_is_rewritten() -> None:
    pods = [pod(n, ports=HTTP) for n in range(150)]
    existing = stored(plan(service(), pods, [], node_zone=zones).create)
    pods[120] = pod(120, ready=False, ports=HTTP)
    todo = plan(service(), pods, existing, node_zone=zones)
    assert not todo.create and not todo.delete
    [changed] = todo.update
    assert changed["metadata"]["name"] == existing[1]["metadata"]["name"]
    assert sum(not e["conditions"]["ready"] for e in changed["endpoints"]) == 1


def test_new_endpoints_fill_an_unchanged_slice_with_room() -> None:
    existing = stored(plan(service(), [pod(n, ports=HTTP) for n in range(130)], [],
                           node_zone=zones).create)
    todo = plan(service(), [pod(n, ports=HTTP) for n in range(135)], existing,
                node_zone=zones)
    assert not todo.create
    [filled] = todo.update
    assert filled["metadata"]["name"] == existing[1]["metadata"]["name"]
    assert len(filled["endpoints"]) == 35


def test_removed_pods_empty_slices_are_deleted_or_reused() -> None:
    existing = stored(plan(service(), [pod(n, ports=HTTP) for n in range(150)], [],
                           node_zone=zones).create)
    todo = plan(service(), [pod(n, ports=HTTP) for n in range(100)], existing,
                node_zone=zones)
    assert [s["metadata"]["name"] for s in todo.delete] == [existing[1]["metadata"]["name"]]
    assert not todo.create and not todo.update


def test_pods_resolving_ports_differently_get_separate_slices() -> None:
    pods = [pod(1, ports=HTTP), pod(2, ports=(("http", "TCP", 9090),)), pod(3)]
    todo = plan(service(), pods, [], node_zone=zones)
    assert sorted(([p["port"] for p in s["ports"]], [e["targetRef"]["name"]
                                                     for e in s["endpoints"]])
                  for s in todo.create) == [
        ([], ["p003"]),               # no "http" port: listed, without ports
        ([8080], ["p001"]),
        ([9090], ["p002"])]


def test_pods_on_missing_nodes_wait_unless_published_anyway() -> None:
    todo = plan(service(), [pod(1, node="gone", ports=HTTP)], [], node_zone=zones)
    assert todo.retry and todo.create[0]["endpoints"] == []
    todo = plan(service(publishNotReadyAddresses=True), [pod(1, node="gone", ports=HTTP)], [],
                node_zone=zones)
    assert len(todo.create[0]["endpoints"]) == 1


def test_zone_comes_from_the_node() -> None:
    [made] = plan(service(), [pod(1, node="node-z", ports=HTTP)], [], node_zone=zones).create
    assert made["endpoints"][0]["zone"] == "zone-1"


def test_service_label_change_rewrites_slices_and_foreign_slices_go() -> None:
    existing = stored(plan(service(), [pod(1, ports=HTTP)], [], node_zone=zones).create)
    relabelled = service()
    relabelled["metadata"]["labels"] = {"team": "red"}
    [rewritten] = plan(relabelled, [pod(1, ports=HTTP)], existing, node_zone=zones).update
    assert rewritten["metadata"]["labels"]["team"] == "red"
    foreign = copy.deepcopy(existing)
    foreign[0]["metadata"]["ownerReferences"][0]["uid"] = "old-service"
    todo = plan(service(), [pod(1, ports=HTTP)], foreign, node_zone=zones)
    assert [s["metadata"]["name"] for s in todo.delete] == [foreign[0]["metadata"]["name"]]
    assert len(todo.create) == 1


def test_headless_service_is_labelled() -> None:
    [made] = plan(service(clusterIP="None"), [pod(1, ports=HTTP)], [], node_zone=zones).create
    assert made["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
