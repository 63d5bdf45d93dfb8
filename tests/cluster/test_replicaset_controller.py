"""ReplicaSets, with the documentation's own examples: frontend.yaml and pod-rs.yaml.

A ReplicaSet owns the pods it creates (``frontend-xxxxx``), adopts matching orphans, lets go
of pods whose labels stop matching, and reports what it counts in its status.
"""

from __future__ import annotations

import re
import subprocess
import time
from typing import Any, Callable

from kubernetes import client

from tests.conftest import example

FRONTEND_POD = re.compile(r"^frontend-[bcdfghjklmnpqrstvwxz2456789]{5}$")


def wait_for(predicate: Callable[[], Any], *, timeout: float = 15.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def kubectl(sim: Any, kubectl_path: str, *args: str) -> str:
    result = subprocess.run([kubectl_path, "--kubeconfig", str(sim.kubeconfig_path), *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def live_pods(core: client.CoreV1Api, namespace: str, selector: str = "") -> list[Any]:
    pods = core.list_namespaced_pod(namespace, label_selector=selector).items
    return [p for p in pods if p.metadata.deletion_timestamp is None]


def settle_on(core: client.CoreV1Api, namespace: str, count: int, selector: str) -> list[Any]:
    return wait_for(lambda: (lambda pods: pods if len(pods) == count else None)(
        live_pods(core, namespace, selector)), what=f"{count} pods")


def rs_events(core: client.CoreV1Api, namespace: str, name: str, reason: str) -> list[Any]:
    return [e for e in core.list_namespaced_event(namespace).items
            if e.involved_object.kind == "ReplicaSet" and e.involved_object.name == name
            and e.reason == reason]


def replicaset(name: str, *, replicas: int, labels: dict[str, str],
               selector: dict[str, str] | None = None, **spec: Any) -> dict[str, Any]:
    template_spec = {"containers": [{"name": "web", "image": "nginx:1.25"}]}
    template_spec.update(spec.pop("pod", {}))
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": selector or labels},
                     "template": {"metadata": {"labels": labels}, "spec": template_spec},
                     **spec}}


def test_frontend_example_creates_three_owned_pods(api_client: Any, namespace: str, sim: Any,
                                                   kubectl_path: str) -> None:
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f",
            str(example("controllers/frontend.yaml")))
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    rs = apps.read_namespaced_replica_set("frontend", namespace)
    pods = settle_on(core, namespace, 3, "tier=frontend")
    for pod in pods:
        assert FRONTEND_POD.match(pod.metadata.name)
        [ref] = pod.metadata.owner_references
        assert (ref.api_version, ref.kind, ref.name, ref.uid, ref.controller,
                ref.block_owner_deletion) == ("apps/v1", "ReplicaSet", "frontend",
                                              rs.metadata.uid, True, True)
    wait_for(lambda: apps.read_namespaced_replica_set("frontend", namespace).status.replicas
             == 3, what="status.replicas")
    table = kubectl(sim, kubectl_path, "-n", namespace, "get", "rs", "frontend")
    assert re.search(r"^frontend\s+3\s+3\s+\d+\s", table, re.M), table
    events = wait_for(lambda: (lambda e: e if len(e) == 3 else None)(
        rs_events(core, namespace, "frontend", "SuccessfulCreate")), what="3 events")
    assert {e.source.component for e in events} == {"replicaset-controller"}
    assert sorted(e.message for e in events) == sorted(
        f"Created pod: {p.metadata.name}" for p in pods)


def test_frontend_example_becomes_ready(api_client: Any, namespace: str, sim: Any,
                                        kubectl_path: str) -> None:
    """Needs the scheduler and the kubelets: DESIRED/CURRENT/READY 3/3/3."""
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f",
            str(example("controllers/frontend.yaml")))
    apps = client.AppsV1Api(api_client)
    status = wait_for(lambda: (lambda s: s if s.ready_replicas == 3 else None)(
        apps.read_namespaced_replica_set("frontend", namespace).status),
        timeout=20, what="3 ready")
    assert status.available_replicas == 3 and status.fully_labeled_replicas == 3
    table = kubectl(sim, kubectl_path, "-n", namespace, "get", "rs", "frontend")
    assert re.search(r"^frontend\s+3\s+3\s+3\s", table, re.M), table


def test_pods_applied_before_the_replicaset_are_adopted(api_client: Any, namespace: str,
                                                        sim: Any, kubectl_path: str) -> None:
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f", str(example("pods/pod-rs.yaml")))
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f",
            str(example("controllers/frontend.yaml")))
    core, apps = client.CoreV1Api(api_client), client.AppsV1Api(api_client)
    uid = apps.read_namespaced_replica_set("frontend", namespace).metadata.uid
    pods = settle_on(core, namespace, 3, "tier=frontend")
    names = {p.metadata.name for p in pods}
    [created] = names - {"pod1", "pod2"}
    assert {"pod1", "pod2"} < names and FRONTEND_POD.match(created)
    for name in ("pod1", "pod2"):
        refs = wait_for(lambda n=name: core.read_namespaced_pod(n, namespace)
                        .metadata.owner_references, what=f"{name} adopted")
        assert [(r.kind, r.name, r.uid, r.controller) for r in refs] == \
            [("ReplicaSet", "frontend", uid, True)]
    time.sleep(0.3)
    assert len(rs_events(core, namespace, "frontend", "SuccessfulCreate")) == 1
    assert len(live_pods(core, namespace, "tier=frontend")) == 3


def test_pods_applied_after_the_replicaset_are_adopted_and_deleted(
        api_client: Any, namespace: str, sim: Any, kubectl_path: str) -> None:
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f",
            str(example("controllers/frontend.yaml")))
    core = client.CoreV1Api(api_client)
    settle_on(core, namespace, 3, "tier=frontend")
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f", str(example("pods/pod-rs.yaml")))
    deleted = wait_for(lambda: (lambda e: e if len(e) == 2 else None)(
        rs_events(core, namespace, "frontend", "SuccessfulDelete")), what="2 deletions")
    assert all(re.fullmatch(r"Deleted pod: (pod[12]|frontend-\w{5})", e.message)
               for e in deleted)
    pods = settle_on(core, namespace, 3, "tier=frontend")
    assert all(p.metadata.owner_references[0].name == "frontend" for p in pods)


def test_pods_applied_after_ready_replicas_are_the_ones_deleted(
        api_client: Any, namespace: str, sim: Any, kubectl_path: str) -> None:
    """Needs the kubelets: new Pending pods go before Running ones (the docs' example)."""
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f",
            str(example("controllers/frontend.yaml")))
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    wait_for(lambda: apps.read_namespaced_replica_set("frontend", namespace).status
             .ready_replicas == 3, timeout=20, what="3 ready")
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f", str(example("pods/pod-rs.yaml")))
    deleted = wait_for(lambda: (lambda e: e if len(e) == 2 else None)(
        rs_events(core, namespace, "frontend", "SuccessfulDelete")), what="2 deletions")
    assert sorted(e.message for e in deleted) == ["Deleted pod: pod1", "Deleted pod: pod2"]
    pods = settle_on(core, namespace, 3, "tier=frontend")
    assert all(FRONTEND_POD.match(p.metadata.name) for p in pods)


def test_a_pod_relabelled_out_is_released_and_replaced(api_client: Any, namespace: str,
                                                        sim: Any, kubectl_path: str) -> None:
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    apps.create_namespaced_replica_set(namespace, replicaset("web", replicas=2,
                                                             labels={"app": "web"}))
    victim = settle_on(core, namespace, 2, "app=web")[0].metadata.name
    kubectl(sim, kubectl_path, "-n", namespace, "label", "pod", victim, "app=debug",
            "--overwrite")
    pods = settle_on(core, namespace, 2, "app=web")
    assert victim not in {p.metadata.name for p in pods}
    released = wait_for(lambda: (lambda p: p if p.metadata.owner_references is None else None)(
        core.read_namespaced_pod(victim, namespace)), what="the release")
    assert released.metadata.deletion_timestamp is None


def test_status_counts_fully_labeled_replicas_and_observes_generation(
        api_client: Any, namespace: str) -> None:
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    core.create_namespaced_pod(namespace, {
        "metadata": {"name": "stray", "labels": {"app": "shop"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}})
    apps.create_namespaced_replica_set(namespace, replicaset(
        "shop", replicas=2, labels={"app": "shop", "tier": "web"}, selector={"app": "shop"}))
    status = wait_for(lambda: (lambda s: s if s.replicas == 2 else None)(
        apps.read_namespaced_replica_set("shop", namespace).status), what="2 replicas")
    assert status.fully_labeled_replicas == 1       # the adopted stray lacks tier=web
    assert status.observed_generation == 1
    apps.patch_namespaced_replica_set("shop", namespace, {"spec": {"replicas": 4}})
    status = wait_for(lambda: (lambda s: s if s.replicas == 4 else None)(
        apps.read_namespaced_replica_set("shop", namespace).status), what="4 replicas")
    assert status.observed_generation == 2 and status.fully_labeled_replicas == 3
    assert status.ready_replicas is None or status.ready_replicas <= 4


def test_failed_creates_set_the_replica_failure_condition(api_client: Any,
                                                          namespace: str) -> None:
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    apps.create_namespaced_replica_set(namespace, replicaset(
        "bad", replicas=2, labels={"app": "bad"}, pod={"priorityClassName": "nope"}))
    failure = wait_for(lambda: [c for c in apps.read_namespaced_replica_set("bad", namespace)
                                .status.conditions or [] if c.type == "ReplicaFailure"],
                       what="the ReplicaFailure condition")[0]
    assert (failure.status, failure.reason) == ("True", "FailedCreate")
    assert re.fullmatch(r'pods "bad-\w*" is forbidden: no PriorityClass with name nope was '
                        r'found', failure.message), failure.message
    event = wait_for(lambda: rs_events(core, namespace, "bad", "FailedCreate"),
                     what="a FailedCreate event")[0]
    assert event.type == "Warning" and event.message == f"Error creating: {failure.message}"
    assert live_pods(core, namespace, "app=bad") == []
    apps.patch_namespaced_replica_set("bad", namespace, {
        "spec": {"template": {"spec": {"priorityClassName": None}}}})
    settle_on(core, namespace, 2, "app=bad")
    wait_for(lambda: not apps.read_namespaced_replica_set("bad", namespace).status.conditions,
             what="the condition removed")


def test_min_ready_seconds_delays_availability(api_client: Any, namespace: str) -> None:
    """Needs the kubelets: pods ready for minReadySeconds count as available."""
    apps = client.AppsV1Api(api_client)
    apps.create_namespaced_replica_set(namespace, replicaset(
        "slow", replicas=2, labels={"app": "slow"}, minReadySeconds=1))
    status = wait_for(lambda: (lambda s: s if s.available_replicas == 2 else None)(
        apps.read_namespaced_replica_set("slow", namespace).status),
        timeout=20, what="2 available")
    assert status.ready_replicas == 2


def test_scaling_down_deletes_the_surplus(api_client: Any, namespace: str) -> None:
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    apps.create_namespaced_replica_set(namespace, replicaset("many", replicas=40,
                                                             labels={"app": "many"}))
    settle_on(core, namespace, 40, "app=many")
    apps.patch_namespaced_replica_set_scale("many", namespace, {"spec": {"replicas": 5}})
    settle_on(core, namespace, 5, "app=many")
    wait_for(lambda: apps.read_namespaced_replica_set("many", namespace).status.replicas == 5,
             what="status.replicas 5")
    # No event count is asserted: 40 creations used up the spam filter's burst of 25 events
    # for this ReplicaSet, so (as on a real cluster) the deletions are not all reported.
