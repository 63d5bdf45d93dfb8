"""A node that stops renewing its lease: NotReady, tainted, its pods not ready, then evicted.

Each test builds a zone of two lab nodes with leases: ``doomed`` (whose lease nobody
renews) and ``steady`` (whose lease is renewed whenever the simulated clock is moved on,
as its kubelet would), so the zone is never wholly down.  Time is fast-forwarded on the
cluster's clock: 60 s past the 50 s grace period, 5 s for the next monitor pass, 300 s for
the default ``tolerationSeconds``.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator

import pytest
from kubernetes import client

from tests.cluster.netlab import (LAB_TAINT, addresses, advance, advance_until, endpoints_of,
                                  kubectl, make_lease, make_node, post_node_status, renew,
                                  run_pod, slices_of, wait_for)

_zones = itertools.count(1)
UNREACHABLE = "node.kubernetes.io/unreachable"


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


@pytest.fixture
def zone(core: client.CoreV1Api, api_client: Any, sim: Any) -> Iterator[tuple[str, str]]:
    """(doomed, steady): two lab nodes the node controller has seen, in a zone of their own."""
    n = next(_zones)
    doomed, steady = f"doomed-{n}", f"steady-{n}"
    for name in (doomed, steady):
        make_node(core, sim, name, zone=f"lab-zone-{n}")
        make_lease(api_client, sim, name)
    for name in (doomed, steady):                   # the next monitor pass, now
        advance_until(sim, lambda name=name: events(core, "default", name, "RegisteredNode"),
                      renew=[doomed, steady], what=f"the node controller to see {name}")
    [event] = events(core, "default", doomed, "RegisteredNode")
    assert (event.source.component, event.message) == (
        "node-controller", f"Node {doomed} event: Registered Node {doomed} in Controller")
    yield doomed, steady
    for name in (doomed, steady):
        core.delete_node(name)


def events(core: client.CoreV1Api, namespace: str, name: str, reason: str) -> list[Any]:
    return core.list_namespaced_event(
        namespace, field_selector=f"involvedObject.name={name},reason={reason}").items


def condition(core: client.CoreV1Api, node: str, kind: str = "Ready") -> Any:
    status = core.read_node(node).status
    found = (status.conditions if status else None) or []
    return next((c for c in found if c.type == kind), None)


def taints(core: client.CoreV1Api, node: str) -> list[tuple[str, str]]:
    return [(t.key, t.effect) for t in core.read_node(node).spec.taints or []]


def pod_ready(core: client.CoreV1Api, namespace: str, name: str) -> str:
    pod = core.read_namespaced_pod(name, namespace)
    return next(c.status for c in pod.status.conditions if c.type == "Ready")


def go_silent(core: client.CoreV1Api, sim: Any, doomed: str, steady: str) -> None:
    """Let the grace period pass without word from ``doomed``, then one more monitor pass."""
    advance(sim, 60, renew=[steady])
    advance_until(sim, lambda: condition(core, doomed).status == "Unknown", step=1,
                  renew=[steady], what="Ready=Unknown")
    advance_until(sim, lambda: (UNREACHABLE, "NoExecute") in taints(core, doomed),
                  renew=[steady], what="NoExecute taint")


def test_silent_node_turns_unknown_and_its_pods_not_ready(core: client.CoreV1Api, sim: Any,
                                                          namespace: str,
                                                          zone: tuple[str, str],
                                                          kubectl_path: str) -> None:
    doomed, steady = zone
    core.create_namespaced_service(namespace, {"metadata": {"name": "web"}, "spec": {
        "selector": {"app": "web"}, "ports": [{"port": 80}]}})
    lost = run_pod(core, sim, namespace, "web-lost", doomed, {"app": "web"})
    kept = run_pod(core, sim, namespace, "web-kept", steady, {"app": "web"})
    wait_for(lambda: addresses(endpoints_of(core, namespace, "web")) == sorted([lost, kept]),
             what="two ready endpoints")
    advance(sim, 60, renew=[steady])
    advance_until(sim, lambda: condition(core, doomed).status == "Unknown", step=1,
                  renew=[steady], what="Ready=Unknown")
    for kind in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure"):
        found = condition(core, doomed, kind)
        assert (found.status, found.reason, found.message) == (
            "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.")
    assert condition(core, steady).status == "True"
    wait_for(lambda: (UNREACHABLE, "NoSchedule") in taints(core, doomed), what="NoSchedule")
    assert core.read_node(doomed).spec.taints[-1].time_added is not None
    [event] = wait_for(lambda: events(core, "default", doomed, "NodeNotReady"), what="event")
    assert (event.type, event.source.component, event.message) == (
        "Normal", "node-controller", f"Node {doomed} status is now: NodeNotReady")
    # The pods on it are marked not ready, so the Service stops sending them traffic.
    wait_for(lambda: pod_ready(core, namespace, "web-lost") == "False", what="pod not ready")
    [event] = wait_for(lambda: events(core, namespace, "web-lost", "NodeNotReady"),
                       what="pod event")
    assert (event.type, event.message) == ("Warning", "Node is not ready")
    wait_for(lambda: addresses(endpoints_of(core, namespace, "web"), "notReadyAddresses")
             == [lost], what="the lost pod not ready")
    assert addresses(endpoints_of(core, namespace, "web")) == [kept]
    assert pod_ready(core, namespace, "web-kept") == "True"
    advance_until(sim, lambda: (UNREACHABLE, "NoExecute") in taints(core, doomed),
                  renew=[steady], what="NoExecute taint")
    table = kubectl(sim, kubectl_path, "get", "node", doomed, steady)
    assert [line.split()[1] for line in table.splitlines()[1:]] == ["NotReady", "Ready"]
    described = kubectl(sim, kubectl_path, "describe", "node", doomed)
    assert f"{UNREACHABLE}:NoExecute" in described and f"{UNREACHABLE}:NoSchedule" in described


def test_pods_are_evicted_after_their_toleration(core: client.CoreV1Api, api_client: Any,
                                                 sim: Any, namespace: str,
                                                 zone: tuple[str, str]) -> None:
    doomed, steady = zone
    core.create_namespaced_service(namespace, {"metadata": {"name": "web"}, "spec": {
        "selector": {"app": "web"}, "ports": [{"port": 80}]}})
    patient = run_pod(core, sim, namespace, "patient", doomed, {"app": "web"})
    run_pod(core, sim, namespace, "hasty", doomed, {"app": "web"}, tolerations=[
        {"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute",
         "tolerationSeconds": 0}])
    run_pod(core, sim, namespace, "stubborn", doomed, {"app": "web"}, tolerations=[
        {"key": UNREACHABLE, "operator": "Exists", "effect": "NoExecute"}])
    admitted = core.read_namespaced_pod("patient", namespace).spec.tolerations
    assert any(t.key == UNREACHABLE and t.toleration_seconds == 300 for t in admitted)

    def terminating(name: str) -> bool:
        return core.read_namespaced_pod(name, namespace).metadata.deletion_timestamp is not None

    go_silent(core, sim, doomed, steady)
    wait_for(lambda: terminating("hasty"), what="hasty evicted at once")
    [event] = wait_for(lambda: events(core, namespace, "hasty", "TaintManagerEviction"),
                       what="eviction event")
    assert event.message == f"Marking for deletion Pod {namespace}/hasty"
    assert event.source.component == "taint-eviction-controller"
    target = next(c for c in core.read_namespaced_pod("hasty", namespace).status.conditions
                  if c.type == "DisruptionTarget")
    assert (target.status, target.reason, target.message) == (
        "True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
    assert not terminating("patient") and not terminating("stubborn")
    advance(sim, 300, renew=[steady])
    wait_for(lambda: terminating("patient"), what="patient evicted after 300 s")
    assert not terminating("stubborn")
    # Nobody is on the node to finish the deletion: the pod stays, Terminating, and the
    # EndpointSlice says so.
    def conditions() -> dict[str, dict[str, bool]]:
        return {e["targetRef"]["name"]: e["conditions"]
                for s in slices_of(api_client, namespace, "web") for e in s.get("endpoints") or []}

    wait_for(lambda: conditions().get("patient", {}).get("terminating"),
             what="patient listed as terminating")
    assert conditions()["stubborn"] == {"ready": False, "serving": False, "terminating": False}
    assert terminating("patient")
    assert patient not in addresses(endpoints_of(core, namespace, "web"), "notReadyAddresses")


def test_node_that_reports_again_is_ready_and_untainted(core: client.CoreV1Api, sim: Any,
                                                        zone: tuple[str, str]) -> None:
    doomed, steady = zone
    go_silent(core, sim, doomed, steady)
    renew(sim, [doomed])
    post_node_status(core, sim, doomed, ready=True)
    advance_until(sim, lambda: taints(core, doomed) == [(LAB_TAINT["key"], LAB_TAINT["effect"])],
                  renew=[steady, doomed], what="taints removed")
    assert condition(core, doomed).status == "True"


def test_node_reporting_not_ready_gets_not_ready_taints(core: client.CoreV1Api, sim: Any,
                                                       zone: tuple[str, str]) -> None:
    doomed, steady = zone
    post_node_status(core, sim, doomed, ready=False)        # the kubelet says NotReady
    not_ready = "node.kubernetes.io/not-ready"
    wait_for(lambda: (not_ready, "NoSchedule") in taints(core, doomed), what="NoSchedule")
    advance_until(sim, lambda: (not_ready, "NoExecute") in taints(core, doomed),
                  renew=[doomed, steady], what="NoExecute")
    assert (UNREACHABLE, "NoExecute") not in taints(core, doomed)
    post_node_status(core, sim, doomed, ready=True)
    advance_until(sim, lambda: taints(core, doomed) == [(LAB_TAINT["key"], LAB_TAINT["effect"])],
                  renew=[doomed, steady], what="taints removed")


def test_node_that_never_reported_turns_unknown(core: client.CoreV1Api, api_client: Any,
                                                sim: Any, zone: tuple[str, str]) -> None:
    _, steady = zone
    make_node(core, sim, "mute", zone="lab-zone-mute", ready=None)
    try:
        advance_until(sim, lambda: events(core, "default", "mute", "RegisteredNode"),
                      renew=[steady], what="the node controller to see it")
        advance(sim, 61, renew=[steady])
        advance_until(sim, lambda: condition(core, "mute") is not None, step=1,
                      renew=[steady], what="conditions posted")
        for kind in ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure"):
            found = condition(core, "mute", kind)
            assert (found.status, found.reason, found.message) == (
                "Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status.")
        wait_for(lambda: (UNREACHABLE, "NoSchedule") in taints(core, "mute"),
                 what="NoSchedule taint")
    finally:
        core.delete_node("mute")
