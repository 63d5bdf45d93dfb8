"""Deployment rollouts step by step, with the test playing the kubelet.

The Deployment's pods run on a "lab" node that no kubelet serves (``spec.nodeName`` in the
template, so no scheduling is involved): the test reports them Running and Ready itself,
or holds back images it wants stuck, and completes the deletions the ReplicaSet
controller starts.  That makes every step of a rollout observable and deterministic:
maxSurge/maxUnavailable bounds, the ScalingReplicaSet events in order, proportional
scaling (the documentation's own example), Recreate ordering, pause and resume, the
progress deadline on the simulated clock, revision history, rollback and adoption.
"""

from __future__ import annotations

import itertools
import subprocess
from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from tests.cluster.netlab import (LAB_TAINT, advance, make_lease, make_node, renew,
                                  set_pod_status, wait_for)

JSON = dict[str, Any]
NODE = "lab-deployments"
STUCK = "kit.invalid/never-ready:1"     # the lab kubelet never reports this one Ready
_names = itertools.count(1)


@pytest.fixture(scope="module")
def lab(api_client: Any, sim: Any) -> str:
    core = client.CoreV1Api(api_client)
    make_node(core, sim, NODE)
    make_lease(api_client, sim, NODE)
    return NODE


class LabKubelet:
    """Plays the kubelet of the lab node for one namespace, one step per ``tick``."""

    def __init__(self, api_client: Any, sim: Any, namespace: str) -> None:
        self.core = client.CoreV1Api(api_client)
        self.sim = sim
        self.namespace = namespace
        self.api = api_client

    def pods(self) -> list[JSON]:
        items = self.core.list_namespaced_pod(self.namespace).items
        return [self.api.sanitize_for_serialization(p) for p in items]

    def tick(self) -> None:
        renew(self.sim, [NODE])
        for pod in self.pods():
            name = pod["metadata"]["name"]
            if pod["metadata"].get("deletionTimestamp"):
                try:
                    self.core.delete_namespaced_pod(name, self.namespace,
                                                    grace_period_seconds=0)
                except ApiException as exc:
                    assert exc.status == 404
                continue
            if (pod.get("status") or {}).get("phase") != "Running":
                image = pod["spec"]["containers"][0]["image"]
                try:
                    set_pod_status(self.core, self.sim, self.namespace, name,
                                   ready=image != STUCK)
                except ApiException as exc:
                    assert exc.status in (404, 409)


@pytest.fixture
def kubelet(api_client: Any, sim: Any, namespace: str, lab: str) -> LabKubelet:
    return LabKubelet(api_client, sim, namespace)


def manifest(name: str, *, replicas: int = 3, image: str = "nginx:1.14.2",
             strategy: JSON | None = None, **spec: Any) -> JSON:
    labels = {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "strategy": strategy or {"type": "RollingUpdate"}, **spec,
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "nodeName": NODE,
                         "tolerations": [{"key": LAB_TAINT["key"], "operator": "Exists"}],
                         "containers": [{"name": "web", "image": image}]}}}}


class Lab:
    """Reads of one namespace's Deployments and ReplicaSets, as plain JSON."""

    def __init__(self, api_client: Any, sim: Any, namespace: str, kubelet: LabKubelet,
                 kubectl_path: str | None = None) -> None:
        self.apps = client.AppsV1Api(api_client)
        self.api = api_client
        self.sim = sim
        self.namespace = namespace
        self.kubelet = kubelet
        self.kubectl_path = kubectl_path

    def create(self, body: JSON) -> None:
        self.apps.create_namespaced_deployment(self.namespace, body)

    def deployment(self, name: str) -> JSON:
        return self.api.sanitize_for_serialization(
            self.apps.read_namespaced_deployment(name, self.namespace))

    def replica_sets(self) -> dict[str, JSON]:
        items = self.apps.list_namespaced_replica_set(self.namespace).items
        return {rs.metadata.name: self.api.sanitize_for_serialization(rs) for rs in items}

    def sizes(self) -> dict[str, int]:
        return {name: rs["spec"]["replicas"] for name, rs in self.replica_sets().items()}

    def patch(self, name: str, body: JSON) -> None:
        self.apps.patch_namespaced_deployment(name, self.namespace, body)

    def set_image(self, name: str, image: str) -> None:
        self.patch(name, {"spec": {"template": {"spec": {"containers": [
            {"name": "web", "image": image}]}}}})

    def complete(self, name: str) -> JSON | None:
        """The Deployment, once its rollout is complete (as ``rollout status`` judges)."""
        self.kubelet.tick()
        d = self.deployment(name)
        status, want = d.get("status") or {}, d["spec"]["replicas"]
        if status.get("observedGeneration", 0) >= d["metadata"]["generation"] \
                and status.get("updatedReplicas", 0) == want \
                and status.get("replicas", 0) == want \
                and status.get("availableReplicas", 0) == want \
                and condition(d, "Progressing").get("reason") == "NewReplicaSetAvailable":
            return d
        return None

    def wait_complete(self, name: str, timeout: float = 30) -> JSON:
        return wait_for(lambda: self.complete(name), timeout=timeout,
                        what=f"deployment {name} rolled out")

    def events(self, name: str) -> list[str]:
        core = client.CoreV1Api(self.api)
        found = core.list_namespaced_event(
            self.namespace, field_selector=f"involvedObject.name={name}").items
        found = [e for e in found if e.source and e.source.component == "deployment-controller"]
        found.sort(key=lambda e: (e.first_timestamp, e.metadata.name))
        return [e.message for e in found for _ in range(e.count or 1)]

    def kubectl(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert self.kubectl_path
        return subprocess.run([self.kubectl_path, "--kubeconfig", str(self.sim.kubeconfig_path),
                               "-n", self.namespace, *args],
                              capture_output=True, text=True, timeout=60)


def condition(deployment: JSON, kind: str) -> JSON:
    for cond in (deployment.get("status") or {}).get("conditions") or []:
        if cond["type"] == kind:
            return cond
    return {}


@pytest.fixture
def lab_ns(api_client: Any, sim: Any, namespace: str, kubelet: LabKubelet) -> Lab:
    return Lab(api_client, sim, namespace, kubelet)


def revision(rs: JSON) -> str:
    return (rs["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision", "")


def test_rolling_update_respects_surge_and_unavailability(lab_ns: Lab) -> None:
    lab_ns.create(manifest("web", replicas=4, strategy={
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}))
    first = lab_ns.wait_complete("web")
    lab_ns.set_image("web", "nginx:1.16.1")

    def step() -> JSON | None:
        sizes = lab_ns.sizes()
        assert sum(sizes.values()) <= 5, sizes           # never above replicas + maxSurge
        ready = [p for p in lab_ns.kubelet.pods() if not p["metadata"].get("deletionTimestamp")
                 and any(c["type"] == "Ready" and c["status"] == "True"
                         for c in (p.get("status") or {}).get("conditions") or [])]
        assert len(ready) >= 4, sizes                    # never below replicas - 0
        return lab_ns.complete("web")

    done = wait_for(step, timeout=30, what="the rolling update")
    rss = lab_ns.replica_sets()
    assert len(rss) == 2
    new = next(rs for rs in rss.values() if rs["spec"]["replicas"] == 4)
    old = next(rs for rs in rss.values() if rs["spec"]["replicas"] == 0)
    assert (revision(old), revision(new)) == ("1", "2")
    assert done["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert condition(first, "Progressing")["message"] == \
        f'ReplicaSet "{old["metadata"]["name"]}" has successfully progressed.'
    o, n = old["metadata"]["name"], new["metadata"]["name"]
    assert lab_ns.events("web") == [
        f"Scaled up replica set {o} from 0 to 4",
        f"Scaled up replica set {n} from 0 to 1", f"Scaled down replica set {o} from 4 to 3",
        f"Scaled up replica set {n} from 1 to 2", f"Scaled down replica set {o} from 3 to 2",
        f"Scaled up replica set {n} from 2 to 3", f"Scaled down replica set {o} from 2 to 1",
        f"Scaled up replica set {n} from 3 to 4", f"Scaled down replica set {o} from 1 to 0"]
    status = done["status"]
    assert {k: status.get(k) for k in ("replicas", "updatedReplicas", "readyReplicas",
                                       "availableReplicas", "unavailableReplicas")} == {
        "replicas": 4, "updatedReplicas": 4, "readyReplicas": 4, "availableReplicas": 4,
        "unavailableReplicas": None}
    assert [c["type"] for c in status["conditions"]] == ["Available", "Progressing"]
    assert condition(done, "Available") | {"lastUpdateTime": 0, "lastTransitionTime": 0} == {
        "type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
        "message": "Deployment has minimum availability.", "lastUpdateTime": 0,
        "lastTransitionTime": 0}
    assert condition(done, "Progressing")["message"] == \
        f'ReplicaSet "{n}" has successfully progressed.'


def test_proportional_scaling_of_a_stuck_rollout(lab_ns: Lab) -> None:
    # The documentation's example: 10 replicas, maxSurge 3, maxUnavailable 2; a rollout to
    # an image that never becomes ready stops at 8 old + 5 new; scaling to 15 then adds
    # 3 to the old ReplicaSet and 2 to the new one.
    lab_ns.create(manifest("web", replicas=10, strategy={
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}}))
    lab_ns.wait_complete("web")
    (old,) = lab_ns.sizes()
    lab_ns.set_image("web", STUCK)

    def stuck() -> dict[str, int] | None:
        lab_ns.kubelet.tick()
        sizes = lab_ns.sizes()
        return sizes if len(sizes) == 2 and sizes[old] == 8 and sum(sizes.values()) == 13 \
            else None

    sizes = wait_for(stuck, timeout=30, what="the rollout to stall at 8 + 5")
    (new,) = set(sizes) - {old}
    assert sizes[new] == 5
    lab_ns.patch("web", {"spec": {"replicas": 15}})
    wait_for(lambda: lab_ns.sizes() == {old: 11, new: 7}, timeout=30,
             what="11 old + 7 new after scaling to 15")
    rss = lab_ns.replica_sets()
    for rs in rss.values():
        assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "15"
        assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "18"


def test_recreate_removes_every_old_pod_before_starting_new_ones(lab_ns: Lab) -> None:
    lab_ns.create(manifest("web", replicas=3, strategy={"type": "Recreate"}))
    lab_ns.wait_complete("web")
    (old,) = lab_ns.sizes()
    lab_ns.set_image("web", "nginx:1.16.1")

    def step() -> JSON | None:
        hashes = {p["metadata"]["labels"]["pod-template-hash"] for p in lab_ns.kubelet.pods()}
        assert len(hashes) <= 1, hashes          # never old and new pods at once
        return lab_ns.complete("web")

    wait_for(step, timeout=30, what="the Recreate rollout")
    sizes = lab_ns.sizes()
    (new,) = set(sizes) - {old}
    assert sizes == {old: 0, new: 3}
    assert lab_ns.events("web") == [f"Scaled up replica set {old} from 0 to 3",
                                    f"Scaled down replica set {old} from 3 to 0",
                                    f"Scaled up replica set {new} from 0 to 3"]


def test_pause_holds_the_rollout_and_resume_continues_it(lab_ns: Lab) -> None:
    lab_ns.create(manifest("web"))
    lab_ns.wait_complete("web")
    lab_ns.patch("web", {"spec": {"paused": True}})
    paused = wait_for(lambda: (d := lab_ns.deployment("web")) and condition(
        d, "Progressing").get("reason") == "DeploymentPaused" and d, what="paused condition")
    assert condition(paused, "Progressing")["status"] == "Unknown"
    assert condition(paused, "Progressing")["message"] == "Deployment is paused"
    lab_ns.set_image("web", "nginx:1.16.1")
    wait_for(lambda: (d := lab_ns.deployment("web"))["status"].get("observedGeneration") ==
             d["metadata"]["generation"], what="the paused change observed")
    assert len(lab_ns.sizes()) == 1                 # no new ReplicaSet while paused
    lab_ns.patch("web", {"spec": {"replicas": 4}})  # scaling still works while paused
    wait_for(lambda: list(lab_ns.sizes().values()) == [4], what="scaled while paused")
    lab_ns.patch("web", {"spec": {"paused": False}})
    done = lab_ns.wait_complete("web")
    assert sorted(lab_ns.sizes().values()) == [0, 4]
    assert done["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16.1"


def test_progress_deadline_on_the_simulated_clock(lab_ns: Lab, kubectl_path: str) -> None:
    lab_ns.kubectl_path = kubectl_path
    lab_ns.create(manifest("web", replicas=1, progressDeadlineSeconds=30))
    lab_ns.wait_complete("web")
    lab_ns.set_image("web", STUCK)

    def waiting() -> bool:
        lab_ns.kubelet.tick()
        d = lab_ns.deployment("web")
        return condition(d, "Progressing").get("reason") in ("ReplicaSetUpdated",
                                                             "NewReplicaSetCreated") \
            and d["status"].get("updatedReplicas") == 1

    wait_for(waiting, what="the stuck rollout to start")
    advance(lab_ns.sim, 31, renew=[NODE])
    stuck = wait_for(lambda: (d := lab_ns.deployment("web")) and condition(
        d, "Progressing").get("reason") == "ProgressDeadlineExceeded" and d,
        timeout=15, what="ProgressDeadlineExceeded")
    new = next(n for n, rs in lab_ns.replica_sets().items() if revision(rs) == "2")
    cond = condition(stuck, "Progressing")
    assert (cond["status"], cond["message"]) == (
        "False", f'ReplicaSet "{new}" has timed out progressing.')
    result = lab_ns.kubectl("rollout", "status", "deployment/web", "--timeout=10s")
    assert result.returncode == 1
    assert result.stderr == 'error: deployment "web" exceeded its progress deadline\n'


def test_revision_history_limit_deletes_the_oldest(lab_ns: Lab) -> None:
    lab_ns.create(manifest("web", replicas=1, revisionHistoryLimit=1))
    for image in ("nginx:1.14.2", "nginx:1.16.1", "nginx:1.25", "nginx:1.27"):
        lab_ns.set_image("web", image)
        lab_ns.wait_complete("web")
    found = wait_for(lambda: len(rss := lab_ns.replica_sets()) == 2 and rss, timeout=15,
                     what="old ReplicaSets beyond the limit deleted")
    assert sorted(revision(rs) for rs in found.values()) == ["3", "4"]


def test_undo_restart_and_change_cause(lab_ns: Lab, kubectl_path: str) -> None:
    lab_ns.kubectl_path = kubectl_path
    lab_ns.create(manifest("web"))
    lab_ns.wait_complete("web")
    assert lab_ns.kubectl("set", "image", "deployment/web", "web=nginx:1.16.1").returncode == 0
    lab_ns.wait_complete("web")
    annotate = lab_ns.kubectl("annotate", "deployment/web",
                              "kubernetes.io/change-cause=image updated to 1.16.1")
    assert annotate.returncode == 0, annotate.stderr
    history = wait_for(lambda: "image updated" in (out := lab_ns.kubectl(
        "rollout", "history", "deployment/web").stdout) and out, what="change-cause")
    assert history.splitlines()[1:] == ["REVISION  CHANGE-CAUSE", "1         <none>",
                                        "2         image updated to 1.16.1", ""]
    undo = lab_ns.kubectl("rollout", "undo", "deployment/web")
    assert (undo.returncode, undo.stdout) == (0, "deployment.apps/web rolled back\n"), \
        undo.stderr
    done = lab_ns.wait_complete("web")
    assert done["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.14.2"
    first = next(rs for rs in lab_ns.replica_sets().values()
                 if rs["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.14.2")
    assert revision(first) == "3"
    assert first["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    assert done["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    restart = lab_ns.kubectl("rollout", "restart", "deployment/web")
    assert restart.returncode == 0, restart.stderr
    done = lab_ns.wait_complete("web")
    assert "kubectl.kubernetes.io/restartedAt" in \
        done["spec"]["template"]["metadata"]["annotations"]
    newest = max(lab_ns.replica_sets().values(), key=lambda rs: int(revision(rs)))
    assert revision(newest) == "4" and newest["spec"]["replicas"] == 3


def test_an_orphaned_replica_set_is_adopted_again(lab_ns: Lab, kubectl_path: str) -> None:
    lab_ns.kubectl_path = kubectl_path
    lab_ns.create(manifest("web"))
    lab_ns.wait_complete("web")
    (name,) = lab_ns.sizes()
    gone = lab_ns.kubectl("delete", "deployment", "web", "--cascade=orphan")
    assert gone.returncode == 0, gone.stderr
    wait_for(lambda: not lab_ns.replica_sets()[name]["metadata"].get("ownerReferences"),
             what="the ReplicaSet orphaned")
    lab_ns.create(manifest("web"))
    uid = lab_ns.deployment("web")["metadata"]["uid"]
    adopted = wait_for(lambda: [r for r in lab_ns.replica_sets()[name]["metadata"].get(
        "ownerReferences") or [] if r["uid"] == uid], what="the ReplicaSet adopted")
    assert adopted[0]["controller"] and adopted[0]["kind"] == "Deployment"
    done = lab_ns.wait_complete("web")
    assert list(lab_ns.sizes()) == [name]           # the same ReplicaSet, no new one
    assert done["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"


def test_a_taken_name_bumps_the_collision_count(lab_ns: Lab) -> None:
    from kitlib.sim.controllers.deployment.hashing import pod_template_hash

    body = manifest("web", replicas=1)
    body["spec"]["paused"] = True                   # paused: no ReplicaSet is made yet
    lab_ns.create(body)
    template = lab_ns.deployment("web")["spec"]["template"]
    taken = f"web-{pod_template_hash(template)}"
    squatter = {"metadata": {"name": taken}, "spec": {
        "replicas": 0, "selector": {"matchLabels": {"squatter": "yes"}},
        "template": {"metadata": {"labels": {"squatter": "yes"}},
                     "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}}
    lab_ns.apps.create_namespaced_replica_set(lab_ns.namespace, squatter)
    lab_ns.patch("web", {"spec": {"paused": False}})
    done = lab_ns.wait_complete("web")
    assert done["status"]["collisionCount"] == 1
    names = set(lab_ns.sizes())
    assert names == {taken, f"web-{pod_template_hash(template, 1)}"}
    assert not lab_ns.replica_sets()[taken]["metadata"].get("ownerReferences")
