"""Cascading deletion: background, foreground and orphan, as kubectl and the client ask.

Deleting an owner takes its dependents with it (background, kubectl's default), waits for
them first (foreground: the owner shows ``deletionTimestamp`` and the ``foregroundDeletion``
finalizer meanwhile), or leaves them without an owner (orphan).  Objects whose owners are
all gone, or were replaced by namesakes with another UID, are collected.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from typing import Any, Callable

from kubernetes import client
from kubernetes.client.rest import ApiException

from tests.conftest import example

HOLD = "example.com/hold"


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


def exists(read: Callable[[], Any]) -> bool:
    try:
        read()
        return True
    except ApiException as exc:
        assert exc.status == 404, exc
        return False


def owner_ref(obj: Any, *, block: bool = True) -> dict[str, Any]:
    return {"apiVersion": obj.api_version, "kind": obj.kind, "name": obj.metadata.name,
            "uid": obj.metadata.uid, "blockOwnerDeletion": block}


def config_map(name: str, *owners: dict[str, Any], finalizers: tuple[str, ...] = ()
               ) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "ownerReferences": list(owners)}
    if finalizers:
        meta["finalizers"] = list(finalizers)
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": "v"}}


def frontend(sim: Any, kubectl_path: str, api_client: Any, namespace: str) -> list[Any]:
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f",
            str(example("controllers/frontend.yaml")))
    core = client.CoreV1Api(api_client)
    return wait_for(lambda: (lambda p: p if len(p) == 3 else None)(
        core.list_namespaced_pod(namespace, label_selector="tier=frontend").items),
        what="3 pods")


def test_kubectl_delete_cascades_in_the_background(api_client: Any, namespace: str, sim: Any,
                                                   kubectl_path: str) -> None:
    frontend(sim, kubectl_path, api_client, namespace)
    kubectl(sim, kubectl_path, "-n", namespace, "delete", "rs", "frontend")
    core = client.CoreV1Api(api_client)
    wait_for(lambda: not core.list_namespaced_pod(namespace).items, what="the pods collected")


def test_kubectl_delete_cascade_orphan_leaves_the_pods(api_client: Any, namespace: str,
                                                       sim: Any, kubectl_path: str) -> None:
    pods = frontend(sim, kubectl_path, api_client, namespace)
    kubectl(sim, kubectl_path, "-n", namespace, "delete", "rs", "frontend", "--cascade=orphan")
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    assert not exists(lambda: apps.read_namespaced_replica_set("frontend", namespace))
    time.sleep(0.3)
    left = core.list_namespaced_pod(namespace, label_selector="tier=frontend").items
    assert {p.metadata.name for p in left} == {p.metadata.name for p in pods}
    assert all(p.metadata.owner_references is None and p.metadata.deletion_timestamp is None
               for p in left)
    # A new ReplicaSet with the same selector adopts them instead of creating more.
    kubectl(sim, kubectl_path, "-n", namespace, "apply", "-f",
            str(example("controllers/frontend.yaml")))
    uid = apps.read_namespaced_replica_set("frontend", namespace).metadata.uid
    wait_for(lambda: all(p.metadata.owner_references and p.metadata.owner_references[0].uid
                         == uid for p in core.list_namespaced_pod(namespace).items),
             what="adoption")
    assert len(core.list_namespaced_pod(namespace).items) == 3


def test_orphan_policy_from_the_client(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_replication_controller(namespace, {
        "metadata": {"name": "rc"},
        "spec": {"replicas": 2, "selector": {"app": "rc"},
                 "template": {"metadata": {"labels": {"app": "rc"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    wait_for(lambda: len(core.list_namespaced_pod(namespace).items) == 2, what="2 pods")
    core.delete_namespaced_replication_controller(
        "rc", namespace, body=client.V1DeleteOptions(propagation_policy="Orphan"))
    wait_for(lambda: not exists(lambda: core.read_namespaced_replication_controller(
        "rc", namespace)), what="the controller gone")
    pods = core.list_namespaced_pod(namespace).items
    assert len(pods) == 2 and all(p.metadata.owner_references is None for p in pods)


def test_foreground_deletion_waits_for_blocking_dependents(api_client: Any, namespace: str,
                                                           sim: Any, kubectl_path: str) -> None:
    frontend(sim, kubectl_path, api_client, namespace)
    apps, core = client.AppsV1Api(api_client), client.CoreV1Api(api_client)
    rs = apps.read_namespaced_replica_set("frontend", namespace)
    rs.api_version, rs.kind = "apps/v1", "ReplicaSet"
    core.create_namespaced_config_map(namespace, config_map("held", owner_ref(rs),
                                                            finalizers=(HOLD,)))
    apps.delete_namespaced_replica_set("frontend", namespace,
                                       body=client.V1DeleteOptions(propagation_policy="Foreground"))
    wait_for(lambda: not core.list_namespaced_pod(namespace).items, what="the pods collected")
    held = wait_for(lambda: (lambda cm: cm if cm.metadata.deletion_timestamp else None)(
        core.read_namespaced_config_map("held", namespace)), what="the dependent deleted")
    assert held.metadata.finalizers == [HOLD]
    waiting = apps.read_namespaced_replica_set("frontend", namespace)
    assert waiting.metadata.deletion_timestamp is not None
    assert waiting.metadata.finalizers == ["foregroundDeletion"]
    core.patch_namespaced_config_map("held", namespace, {"metadata": {"finalizers": None}})
    wait_for(lambda: not exists(lambda: apps.read_namespaced_replica_set("frontend", namespace)),
             what="the owner gone")


def test_kubectl_delete_cascade_foreground(api_client: Any, namespace: str, sim: Any,
                                           kubectl_path: str) -> None:
    frontend(sim, kubectl_path, api_client, namespace)
    kubectl(sim, kubectl_path, "-n", namespace, "delete", "rs", "frontend",
            "--cascade=foreground", "--timeout=30s")
    core = client.CoreV1Api(api_client)
    wait_for(lambda: not core.list_namespaced_pod(namespace).items, what="no pods")


def test_non_blocking_dependents_do_not_hold_the_owner(api_client: Any,
                                                       namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    parent = core.create_namespaced_config_map(namespace, config_map("parent"))
    parent.api_version, parent.kind = "v1", "ConfigMap"
    core.create_namespaced_config_map(namespace, config_map(
        "child", owner_ref(parent, block=False), finalizers=(HOLD,)))
    core.delete_namespaced_config_map("parent", namespace,
                                      body=client.V1DeleteOptions(propagation_policy="Foreground"))
    wait_for(lambda: not exists(lambda: core.read_namespaced_config_map("parent", namespace)),
             what="the owner gone")
    child = core.read_namespaced_config_map("child", namespace)
    assert child.metadata.deletion_timestamp is not None
    core.patch_namespaced_config_map("child", namespace, {"metadata": {"finalizers": None}})
    wait_for(lambda: not exists(lambda: core.read_namespaced_config_map("child", namespace)),
             what="the child gone")


def test_dependents_of_absent_or_replaced_owners_are_collected(api_client: Any,
                                                               namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    ghost = {"apiVersion": "v1", "kind": "ConfigMap", "name": "ghost", "uid": str(uuid.uuid4())}
    core.create_namespaced_config_map(namespace, config_map("haunted", ghost))
    core.create_namespaced_config_map(namespace, config_map("namesake"))
    impostor = {**ghost, "name": "namesake"}     # the name exists, with another UID
    core.create_namespaced_config_map(namespace, config_map("fooled", impostor))
    for name in ("haunted", "fooled"):
        wait_for(lambda n=name: not exists(lambda: core.read_namespaced_config_map(
            n, namespace)), what=f"{name} collected")
    assert exists(lambda: core.read_namespaced_config_map("namesake", namespace))


def test_a_dependent_with_a_remaining_owner_only_loses_the_reference(
        api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    first = core.create_namespaced_config_map(namespace, config_map("first"))
    second = core.create_namespaced_config_map(namespace, config_map("second"))
    for owner in (first, second):
        owner.api_version, owner.kind = "v1", "ConfigMap"
    core.create_namespaced_config_map(namespace, config_map(
        "shared", owner_ref(first), owner_ref(second)))
    core.delete_namespaced_config_map("first", namespace)
    shared = wait_for(lambda: (lambda cm: cm if len(cm.metadata.owner_references) == 1 else None)(
        core.read_namespaced_config_map("shared", namespace)), what="the reference dropped")
    assert shared.metadata.deletion_timestamp is None
    assert shared.metadata.owner_references[0].name == "second"
    # Once the last owner goes, in the foreground, so does the dependent.
    core.delete_namespaced_config_map("second", namespace,
                                      body=client.V1DeleteOptions(propagation_policy="Foreground"))
    wait_for(lambda: not exists(lambda: core.read_namespaced_config_map("shared", namespace)),
             what="shared collected once both owners are gone")


def test_a_cluster_scoped_owner(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    name = f"gc-owner-{namespace}"
    node = core.create_node({"metadata": {"name": name}})
    node.api_version, node.kind = "v1", "Node"
    core.create_namespaced_config_map(namespace, config_map("on-node", owner_ref(node)))
    time.sleep(0.2)
    assert exists(lambda: core.read_namespaced_config_map("on-node", namespace))
    core.delete_node(name)
    wait_for(lambda: not exists(lambda: core.read_namespaced_config_map("on-node", namespace)),
             what="collected")
