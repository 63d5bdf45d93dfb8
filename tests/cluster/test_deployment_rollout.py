"""The documentation's Deployment examples, end to end, as a learner drives them.

Everything runs for real here: the deployment controller makes ReplicaSets, the
ReplicaSet controller makes pods, the scheduler places them and the kubelets start them.
The checks are what kubectl shows on a kind cluster: ``rollout status`` succeeding, the
ReplicaSet named ``<deployment>-<pod-template-hash>``, its pods labelled with the hash,
``rollout history`` / ``undo`` / ``scale``, and the ScalingReplicaSet events.
"""

from __future__ import annotations

import re
import subprocess
import time
from typing import Any, Callable

import pytest
from kubernetes import client

from tests.conftest import example

JSON = dict[str, Any]
HASH = r"[4-9bcdf]{6,10}"


def wait_for(predicate: Callable[[], Any], *, timeout: float = 60.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Learner:
    """kubectl in one namespace, and plain-JSON reads through the official client."""

    def __init__(self, sim: Any, api_client: Any, namespace: str, kubectl_path: str) -> None:
        self.sim, self.api, self.namespace, self.path = sim, api_client, namespace, kubectl_path
        self.apps = client.AppsV1Api(api_client)
        self.core = client.CoreV1Api(api_client)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([self.path, "--kubeconfig", str(self.sim.kubeconfig_path),
                               "-n", self.namespace, *args],
                              capture_output=True, text=True, timeout=120)

    def kubectl(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def apply(self, relative: str) -> str:
        return self.kubectl("apply", "-f", str(example(relative)))

    def rollout_status(self, name: str) -> str:
        """The verdict of ``kubectl rollout status`` (its last line; "Waiting for ..."
        lines may come first)."""
        out = self.kubectl("rollout", "status", f"deployment/{name}", "--timeout=60s")
        return out.splitlines()[-1]

    def deployment(self, name: str) -> JSON:
        return self.api.sanitize_for_serialization(
            self.apps.read_namespaced_deployment(name, self.namespace))

    def replica_sets(self) -> list[JSON]:
        items = self.apps.list_namespaced_replica_set(self.namespace).items
        return sorted((self.api.sanitize_for_serialization(rs) for rs in items),
                      key=lambda rs: int(revision(rs)))

    def pods(self) -> list[JSON]:
        items = self.core.list_namespaced_pod(self.namespace).items
        return [self.api.sanitize_for_serialization(p) for p in items
                if not p.metadata.deletion_timestamp]

    def events(self, name: str) -> list[str]:
        found = self.core.list_namespaced_event(
            self.namespace, field_selector=f"involvedObject.name={name}").items
        found.sort(key=lambda e: (e.first_timestamp, e.metadata.name))
        return [e.message for e in found
                if e.source and e.source.component == "deployment-controller"]


@pytest.fixture
def learner(sim: Any, api_client: Any, namespace: str, kubectl_path: str) -> Learner:
    return Learner(sim, api_client, namespace, kubectl_path)


def revision(obj: JSON) -> str:
    return (obj["metadata"].get("annotations") or {}).get("deployment.kubernetes.io/revision",
                                                           "0")


def image_of(obj: JSON) -> str:
    return obj["spec"]["template"]["spec"]["containers"][0]["image"]


def condition(deployment: JSON, kind: str) -> JSON:
    return next((c for c in (deployment.get("status") or {}).get("conditions") or []
                 if c["type"] == kind), {})


def test_nginx_deployment_example(learner: Learner) -> None:
    assert learner.apply("controllers/nginx-deployment.yaml") == \
        "deployment.apps/nginx-deployment created\n"
    assert learner.rollout_status("nginx-deployment") == \
        'deployment "nginx-deployment" successfully rolled out'
    (rs,) = learner.replica_sets()
    name = rs["metadata"]["name"]
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert re.fullmatch(f"nginx-deployment-{HASH}", name) and name.endswith(pod_hash)
    assert rs["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": "nginx",
                                                     "pod-template-hash": pod_hash}
    assert rs["metadata"]["annotations"] == {"deployment.kubernetes.io/desired-replicas": "3",
                                             "deployment.kubernetes.io/max-replicas": "4",
                                             "deployment.kubernetes.io/revision": "1"}
    owner = rs["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"]) == (
        "Deployment", "nginx-deployment", True)
    pods = learner.pods()
    assert len(pods) == 3
    assert {p["metadata"]["labels"]["pod-template-hash"] for p in pods} == {pod_hash}
    assert all(re.fullmatch(f"{name}-[a-z0-9]{{5}}", p["metadata"]["name"]) for p in pods)
    d = learner.deployment("nginx-deployment")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert condition(d, "Progressing")["reason"] == "NewReplicaSetAvailable"
    assert condition(d, "Progressing")["message"] == \
        f'ReplicaSet "{name}" has successfully progressed.'
    assert (condition(d, "Available")["reason"], condition(d, "Available")["message"]) == (
        "MinimumReplicasAvailable", "Deployment has minimum availability.")
    assert learner.events("nginx-deployment") == [f"Scaled up replica set {name} from 0 to 3"]
    table = learner.kubectl("get", "deployment", "nginx-deployment")
    assert re.search(r"^nginx-deployment\s+3/3\s+3\s+3\s+", table, re.MULTILINE)

    # kubectl set image -> a second ReplicaSet, the first scaled to 0; history has two.
    learner.kubectl("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1")
    learner.rollout_status("nginx-deployment")
    first, second = learner.replica_sets()
    assert (first["spec"]["replicas"], second["spec"]["replicas"]) == (0, 3)
    assert (revision(first), revision(second), image_of(second)) == ("1", "2", "nginx:1.16.1")
    history = learner.kubectl("rollout", "history", "deployment/nginx-deployment")
    assert history.splitlines()[1:] == ["REVISION  CHANGE-CAUSE", "1         <none>",
                                        "2         <none>", ""]

    # kubectl rollout undo -> the first template back, as revision 3.
    assert learner.kubectl("rollout", "undo", "deployment/nginx-deployment") == \
        "deployment.apps/nginx-deployment rolled back\n"
    learner.rollout_status("nginx-deployment")
    rss = {rs["metadata"]["name"]: rs for rs in learner.replica_sets()}
    assert revision(rss[name]) == "3" and rss[name]["spec"]["replicas"] == 3
    assert image_of(learner.deployment("nginx-deployment")) == "nginx:1.14.2"
    history = learner.kubectl("rollout", "history", "deployment/nginx-deployment")
    assert [line.split()[0] for line in history.splitlines()[2:] if line] == ["2", "3"]

    # kubectl scale -> 5 pods of the same ReplicaSet.
    learner.kubectl("scale", "deployment/nginx-deployment", "--replicas=5")
    learner.rollout_status("nginx-deployment")
    assert {rs["metadata"]["name"]: rs["spec"]["replicas"] for rs in learner.replica_sets()} \
        == {name: 5, second["metadata"]["name"]: 0}
    # Past ten ScalingReplicaSet events, client-go's aggregator prefixes the message with
    # "(combined from similar events): ", as on a real cluster.
    assert learner.events("nginx-deployment")[-1].endswith(
        f"Scaled up replica set {name} from 3 to 5")


def test_application_deployment_update_and_scale(learner: Learner) -> None:
    learner.apply("application/deployment.yaml")
    learner.rollout_status("nginx-deployment")
    assert [(image_of(rs), rs["spec"]["replicas"]) for rs in learner.replica_sets()] == \
        [("nginx:1.14.2", 2)]
    assert len(learner.pods()) == 2
    assert learner.apply("application/deployment-update.yaml") == \
        "deployment.apps/nginx-deployment configured\n"
    learner.rollout_status("nginx-deployment")
    old, new = learner.replica_sets()
    assert (image_of(old), old["spec"]["replicas"]) == ("nginx:1.14.2", 0)
    assert (image_of(new), new["spec"]["replicas"]) == ("nginx:1.16.1", 2)
    learner.apply("application/deployment-scale.yaml")
    learner.rollout_status("nginx-deployment")
    pods = wait_for(lambda: len(found := learner.pods()) == 4 and found, what="4 pods")
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.16.1"}
    d = learner.deployment("nginx-deployment")
    assert (d["status"]["replicas"], d["status"]["readyReplicas"]) == (4, 4)


def test_simple_deployment_defaults_and_min_ready_seconds(learner: Learner) -> None:
    learner.apply("application/simple_deployment.yaml")
    d = learner.deployment("nginx-deployment")
    assert d["spec"]["replicas"] == 1 and d["spec"]["minReadySeconds"] == 5
    (rs,) = wait_for(learner.replica_sets, what="the ReplicaSet")
    assert rs["spec"]["minReadySeconds"] == 5
    # Ready pods count as available only after 5 s: step the simulated clock on.
    wait_for(lambda: learner.deployment("nginx-deployment")["status"].get("readyReplicas"),
             what="a ready pod")
    learner.sim.call(_advance(learner.sim, 6))
    assert learner.rollout_status("nginx-deployment") == \
        'deployment "nginx-deployment" successfully rolled out'
    assert learner.deployment("nginx-deployment")["status"]["availableReplicas"] == 1


async def _advance(sim: Any, seconds: float) -> None:
    sim.cluster.clock.advance(seconds)


def test_pause_and_resume_with_kubectl(learner: Learner) -> None:
    learner.apply("controllers/nginx-deployment.yaml")
    learner.rollout_status("nginx-deployment")
    assert learner.kubectl("rollout", "pause", "deployment/nginx-deployment") == \
        "deployment.apps/nginx-deployment paused\n"
    learner.kubectl("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1")
    paused = wait_for(lambda: condition(d := learner.deployment("nginx-deployment"),
                                        "Progressing").get("reason") == "DeploymentPaused"
                      and d["status"].get("observedGeneration") == d["metadata"]["generation"]
                      and d, what="the paused condition")
    assert condition(paused, "Progressing")["message"] == "Deployment is paused"
    assert len(learner.replica_sets()) == 1
    assert learner.kubectl("rollout", "resume", "deployment/nginx-deployment") == \
        "deployment.apps/nginx-deployment resumed\n"
    learner.rollout_status("nginx-deployment")
    assert [image_of(rs) for rs in learner.replica_sets()] == ["nginx:1.14.2", "nginx:1.16.1"]


def test_restart_makes_a_new_replica_set(learner: Learner) -> None:
    learner.apply("controllers/nginx-deployment.yaml")
    learner.rollout_status("nginx-deployment")
    assert learner.kubectl("rollout", "restart", "deployment/nginx-deployment") == \
        "deployment.apps/nginx-deployment restarted\n"
    learner.rollout_status("nginx-deployment")
    old, new = learner.replica_sets()
    assert (old["spec"]["replicas"], new["spec"]["replicas"]) == (0, 3)
    assert "kubectl.kubernetes.io/restartedAt" in new["spec"]["template"]["metadata"][
        "annotations"]
    assert len(learner.pods()) == 3
