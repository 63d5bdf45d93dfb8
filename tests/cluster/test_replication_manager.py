"""ReplicationControllers, as the course's first demo uses them: keep 3 pods running.

Delete a pod and a replacement appears; relabel one out of the selector ("quarantine") and a
replacement appears while the relabelled pod lives on, owned by nobody.
"""

from __future__ import annotations

import re
import subprocess
import time
from typing import Any, Callable

import pytest
from kubernetes import client

from tests.conftest import example

POD_NAME = re.compile(r"^nginx-[bcdfghjklmnpqrstvwxz2456789]{5}$")


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


def rc_manifest(name: str = "nginx", *, replicas: int = 3) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"app": name},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}


def live_pods(core: client.CoreV1Api, namespace: str, selector: str = "") -> list[Any]:
    pods = core.list_namespaced_pod(namespace, label_selector=selector).items
    return [p for p in pods if p.metadata.deletion_timestamp is None]


def pods_of(core: client.CoreV1Api, namespace: str, count: int, selector: str = "app=nginx"
            ) -> list[Any]:
    return wait_for(lambda: (lambda pods: pods if len(pods) == count else None)(
        live_pods(core, namespace, selector)), what=f"{count} pods")


def controller_events(core: client.CoreV1Api, namespace: str, name: str) -> list[Any]:
    return [e for e in core.list_namespaced_event(namespace).items
            if e.involved_object.name == name and e.involved_object.kind ==
            "ReplicationController"]


def test_scaling_from_one_to_three_creates_two_pods(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    rc = core.create_namespaced_replication_controller(namespace, rc_manifest(replicas=1))
    first = pods_of(core, namespace, 1)
    core.patch_namespaced_replication_controller("nginx", namespace, {"spec": {"replicas": 3}})
    pods = pods_of(core, namespace, 3)
    assert first[0].metadata.name in {p.metadata.name for p in pods}
    for pod in pods:
        assert POD_NAME.match(pod.metadata.name), pod.metadata.name
        assert pod.metadata.generate_name == "nginx-"
        [ref] = pod.metadata.owner_references
        assert (ref.api_version, ref.kind, ref.name, ref.uid) == \
            ("v1", "ReplicationController", "nginx", rc.metadata.uid)
        assert ref.controller is True and ref.block_owner_deletion is True
        assert pod.metadata.labels == {"app": "nginx"}
    events = wait_for(lambda: (lambda e: e if len(e) == 3 else None)(
        controller_events(core, namespace, "nginx")), what="3 events")
    assert sorted(e.message for e in events) == sorted(
        f"Created pod: {p.metadata.name}" for p in pods)
    assert {(e.type, e.reason, e.source.component) for e in events} == \
        {("Normal", "SuccessfulCreate", "replication-controller")}
    status = wait_for(lambda: (lambda rc: rc.status if rc.status.replicas == 3
                               and rc.status.observed_generation == 2 else None)(
        core.read_namespaced_replication_controller("nginx", namespace)), what="status")
    assert status.fully_labeled_replicas == 3


def test_a_deleted_pod_is_replaced(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_replication_controller(namespace, rc_manifest())
    before = pods_of(core, namespace, 3)
    gone = before[0].metadata.name
    core.delete_namespaced_pod(gone, namespace, grace_period_seconds=0)
    after = wait_for(lambda: (lambda pods: pods if len(pods) == 3 and gone not in
                              {p.metadata.name for p in pods} else None)(
        live_pods(core, namespace, "app=nginx")), what="a replacement")
    new = {p.metadata.name for p in after} - {p.metadata.name for p in before}
    assert len(new) == 1 and POD_NAME.match(new.pop())


def test_quarantine_a_pod_by_relabelling_it(api_client: Any, namespace: str, sim: Any,
                                            kubectl_path: str) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_replication_controller(namespace, rc_manifest())
    victim = pods_of(core, namespace, 3)[0].metadata.name
    kubectl(sim, kubectl_path, "-n", namespace, "label", "pod", victim, "app=debug",
            "--overwrite")
    pods = pods_of(core, namespace, 3)
    assert victim not in {p.metadata.name for p in pods}
    quarantined = wait_for(lambda: (lambda p: p if not p.metadata.owner_references else None)(
        core.read_namespaced_pod(victim, namespace)), what="the release")
    assert quarantined.metadata.labels == {"app": "debug"}
    assert quarantined.metadata.deletion_timestamp is None
    for pod in pods:
        assert pod.metadata.owner_references[0].name == "nginx"
    time.sleep(0.3)     # nothing else happens: still 3 + the quarantined one
    assert len(live_pods(core, namespace)) == 4


def test_a_relabelled_pod_put_back_is_adopted_and_the_surplus_deleted(
        api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_replication_controller(namespace, rc_manifest())
    victim = pods_of(core, namespace, 3)[0].metadata.name
    core.patch_namespaced_pod(victim, namespace, {"metadata": {"labels": {"app": "debug"}}})
    pods_of(core, namespace, 3)
    wait_for(lambda: len(live_pods(core, namespace)) == 4, what="a replacement")
    core.patch_namespaced_pod(victim, namespace, {"metadata": {"labels": {"app": "nginx"}}})
    pods_of(core, namespace, 3)     # adopted, then one of the four deleted
    events = wait_for(lambda: [e for e in controller_events(core, namespace, "nginx")
                               if e.reason == "SuccessfulDelete"], what="a deletion event")
    assert re.fullmatch(r"Deleted pod: nginx-\w{5}", events[0].message)


def test_replication_example_and_describe(api_client: Any, namespace: str, sim: Any,
                                          kubectl_path: str) -> None:
    manifest = example("controllers/replication.yaml")
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f", str(manifest))
    core = client.CoreV1Api(api_client)
    pods = pods_of(core, namespace, 3)
    assert all(POD_NAME.match(p.metadata.name) for p in pods)    # the template's name is unused
    described = kubectl(sim, kubectl_path, "-n", namespace, "describe", "rc", "nginx")
    assert re.search(r"Replicas:\s+3 current / 3 desired", described), described
    assert "Created pod: nginx-" in described


def test_replication_example_pods_run(api_client: Any, namespace: str, sim: Any,
                                      kubectl_path: str) -> None:
    """Needs the scheduler and the kubelets: pods go Running and Ready."""
    manifest = example("controllers/replication.yaml")
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f", str(manifest))
    core = client.CoreV1Api(api_client)
    status = wait_for(lambda: (lambda rc: rc.status if rc.status.ready_replicas == 3 else None)(
        core.read_namespaced_replication_controller("nginx", namespace)),
        timeout=20, what="3 ready replicas")
    assert status.available_replicas == 3
    described = kubectl(sim, kubectl_path, "-n", namespace, "describe", "rc", "nginx")
    assert "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed" in described, described


@pytest.mark.slow
def test_a_thousand_replicas(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_replication_controller(namespace, rc_manifest(replicas=1000))
    status = wait_for(lambda: (lambda rc: rc.status if rc.status.replicas == 1000 else None)(
        core.read_namespaced_replication_controller("nginx", namespace)),
        timeout=60, what="1000 replicas")
    assert status.fully_labeled_replicas == 1000
    assert len(live_pods(core, namespace, "app=nginx")) == 1000
    core.patch_namespaced_replication_controller("nginx", namespace, {"spec": {"replicas": 10}})
    wait_for(lambda: len(live_pods(core, namespace, "app=nginx")) == 10, timeout=60,
             what="10 left")
