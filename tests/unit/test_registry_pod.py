"""Pods: defaults, admission, validation and the rules of pod updates."""

from __future__ import annotations

import copy
import random
import time
from typing import Any

import pytest

from kitlib.sim.machinery.errors import Forbidden, Invalid, StatusError
from kitlib.sim.registry.core import poddiff
from kitlib.sim.registry.core.pod import PodStrategy
from kitlib.sim.registry.core.poddefaults import image_tag, qos_class


def create(pod: dict[str, Any], strategy: PodStrategy | None = None) -> dict[str, Any]:
    strategy = strategy or PodStrategy(rng=random.Random(1))
    strategy.default(pod)
    strategy.prepare_for_create(pod)
    return pod


def message(errors: list, name: str = "x") -> str:
    return Invalid(kind="Pod", name=name, errors=errors).message


def simple_pod(**container: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "nginx", "namespace": "default"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2",
                                     "ports": [{"containerPort": 80}], **container}]}}


def test_defaulted_pod_is_what_kubectl_get_shows() -> None:
    token = "kube-api-access-" + "x"
    pod = create(simple_pod())
    volume = pod["spec"]["volumes"][0]["name"]
    assert volume.startswith("kube-api-access-") and len(volume) == len(token) + 4
    assert pod["spec"] == {
        "containers": [{
            "name": "nginx", "image": "nginx:1.14.2", "imagePullPolicy": "IfNotPresent",
            "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "volumeMounts": [{"name": volume, "readOnly": True,
                              "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]}],
        "dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "preemptionPolicy":
            "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always",
        "schedulerName": "default-scheduler", "securityContext": {},
        "serviceAccount": "default", "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
             "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
             "operator": "Exists", "tolerationSeconds": 300}],
        "volumes": [{"name": volume, "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt",
                                                                  "path": "ca.crt"}]}},
            {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}]}}],
    }
    assert pod["status"] == {"phase": "Pending", "qosClass": "BestEffort"}


def test_token_volume_name_comes_from_the_seeded_source() -> None:
    first = create(simple_pod(), PodStrategy(rng=random.Random(42)))
    second = create(simple_pod(), PodStrategy(rng=random.Random(42)))
    assert first["spec"]["volumes"] == second["spec"]["volumes"]


def test_no_token_when_automount_is_off() -> None:
    pod = simple_pod()
    pod["spec"]["automountServiceAccountToken"] = False
    create(pod)
    assert "volumes" not in pod["spec"] and "volumeMounts" not in pod["spec"]["containers"][0]


@pytest.mark.parametrize(("image", "policy"), [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.25", "IfNotPresent"),
    ("registry.k8s.io:5000/pause:3.9", "IfNotPresent"), ("localhost:5000/app", "Always"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"), ("NGINX", "IfNotPresent"),
])
def test_pull_policy_follows_the_tag(image: str, policy: str) -> None:
    pod = create(simple_pod(image=image))
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == policy
    assert image_tag("busybox") == "latest"


def test_probes_volumes_and_quantities_are_defaulted() -> None:
    pod = simple_pod(livenessProbe={"httpGet": {"port": 80}},
                     readinessProbe={"grpc": {"port": 9000}},
                     resources={"limits": {"cpu": "1000m", "memory": "1.5Gi"}},
                     env=[{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}])
    pod["spec"]["volumes"] = [{"name": "scratch"}, {"name": "cfg", "configMap": {"name": "c"}},
                              {"name": "host", "hostPath": {"path": "/data"}}]
    container = create(pod)["spec"]["containers"][0]
    assert container["livenessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
                                          "timeoutSeconds": 1, "periodSeconds": 10,
                                          "successThreshold": 1, "failureThreshold": 3}
    assert container["readinessProbe"]["grpc"] == {"port": 9000, "service": ""}
    assert container["resources"] == {"limits": {"cpu": "1", "memory": "1536Mi"},
                                      "requests": {"cpu": "1", "memory": "1536Mi"}}
    assert container["env"][0]["valueFrom"]["fieldRef"]["apiVersion"] == "v1"
    volumes = pod["spec"]["volumes"]
    assert volumes[0] == {"name": "scratch", "emptyDir": {}}
    assert volumes[1]["configMap"]["defaultMode"] == 420
    assert volumes[2]["hostPath"]["type"] == ""
    assert pod["status"]["qosClass"] == "Guaranteed"


@pytest.mark.parametrize(("resources", "qos"), [
    ({}, "BestEffort"),
    ({"requests": {"cpu": "100m"}}, "Burstable"),
    ({"limits": {"cpu": "1", "memory": "1Gi"}}, "Guaranteed"),
    ({"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}, "Burstable"),
])
def test_qos_class(resources: dict[str, Any], qos: str) -> None:
    pod = simple_pod(resources=resources)
    PodStrategy().default(pod)
    assert qos_class(pod["spec"]) == qos


def test_a_bad_quantity_is_a_decoding_error() -> None:
    with pytest.raises(StatusError) as caught:
        PodStrategy().default(simple_pod(resources={"limits": {"cpu": "lots"}}))
    assert caught.value.code == 400
    assert caught.value.message == (
        'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular '
        "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


def test_container_errors_in_go_order() -> None:
    pod = {"metadata": {"name": "x", "namespace": "d"}, "spec": {
        "restartPolicy": "Sometimes",
        "containers": [{"name": "Web", "ports": [{"containerPort": 70000, "protocol": "tcp"}],
                        "env": [{"name": "A=B"}],
                        "volumeMounts": [{"name": "data", "mountPath": "/d"}],
                        "resources": {"limits": {"cpu": "1"}, "requests": {"cpu": "2"}}}]}}
    strategy = PodStrategy()
    strategy.default(pod)
    assert [str(e) for e in strategy.validate(pod)] == [
        'spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist '
        "of lower case alphanumeric characters or '-', and must start and end with an "
        "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[0].image: Required value",
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and "
        "65535, inclusive",
        'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: '
        '"SCTP", "TCP", "UDP"',
        'spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name '
        "must consist only of printable ASCII characters other than '='",
        'spec.containers[0].volumeMounts[0].name: Not found: "data"',
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal '
        "to cpu limit of 1",
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"OnFailure", "Never"',
    ]


def test_single_error_message_shape() -> None:
    pod = simple_pod()
    del pod["spec"]["containers"][0]["image"]
    strategy = PodStrategy()
    strategy.default(pod)
    assert message(strategy.validate(pod), "nginx") == \
        'Pod "nginx" is invalid: spec.containers[0].image: Required value'


def test_duplicates_and_missing_containers() -> None:
    pod = {"metadata": {"name": "x"}, "spec": {"containers": [], "volumes": [
        {"name": "a", "emptyDir": {}}, {"name": "a", "emptyDir": {}, "hostPath": {"path": "/"}}]}}
    strategy = PodStrategy()
    strategy.default(pod)
    assert [str(e) for e in strategy.validate(pod)] == [
        "spec.volumes[1].hostPath: Forbidden: may not specify more than 1 volume type",
        'spec.volumes[1].name: Duplicate value: "a"',
        "spec.containers: Required value",
    ]


def test_probe_and_env_source_errors() -> None:
    pod = simple_pod(livenessProbe={"exec": {}, "successThreshold": 2},
                     env=[{"name": "A", "valueFrom": {}},
                          {"name": "B", "valueFrom": {"configMapKeyRef": {"key": "k"}}}])
    strategy = PodStrategy()
    strategy.default(pod)
    assert [str(e) for e in strategy.validate(pod)] == [
        'spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: '
        "`fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        'spec.containers[0].env[1].valueFrom.configMapKeyRef.name: Invalid value: "": a '
        "lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
        "[a-z0-9])?)*')",
        "spec.containers[0].livenessProbe.exec.command: Required value",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
    ]


def test_toleration_and_host_port_rules() -> None:
    pod = simple_pod(ports=[{"containerPort": 80, "hostPort": 8080}])
    pod["spec"]["containers"].append({"name": "b", "image": "b",
                                      "ports": [{"containerPort": 81, "hostPort": 8080}]})
    pod["spec"]["tolerations"] = [{"operator": "Equal", "value": "x"},
                                  {"key": "k", "tolerationSeconds": 5, "effect": "NoSchedule"}]
    strategy = PodStrategy()
    strategy.default(pod)
    assert [str(e) for e in strategy.validate(pod)] == [
        'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when '
        '`key` is empty, which means "match all values and all keys"',
        'spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' '
        "when `tolerationSeconds` is set",
    ]


def test_unknown_priority_class_is_forbidden() -> None:
    pod = simple_pod()
    pod["spec"]["priorityClassName"] = "gold"
    with pytest.raises(Forbidden) as caught:
        create(pod)
    assert caught.value.message == 'pods "nginx" is forbidden: no PriorityClass with name gold ' \
                                   "was found"


def update(old: dict[str, Any], new: dict[str, Any]) -> list:
    strategy = PodStrategy()
    strategy.default(new)
    strategy.prepare_for_update(new, old)
    return strategy.validate_update(new, old)


def test_image_change_is_allowed() -> None:
    old = create(simple_pod())
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.16.1"
    assert update(old, new) == []


def test_other_changes_are_forbidden_with_a_diff() -> None:
    old = create(simple_pod())
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["ports"][0]["containerPort"] = 8080
    errs = update(old, new)
    assert len(errs) == 1 and errs[0].field == "spec"
    text = message(errs, "nginx")
    assert text.startswith(
        'Pod "nginx" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)\n  core.PodSpec{\n")
    assert "- \t\t\t\t\tContainerPort: 80,\n+ \t\t\t\t\tContainerPort: 8080,\n" in text
    assert "  \t... // 29 identical fields\n  }\n" in text


def test_diff_shows_context_and_elision() -> None:
    old = {"containers": [{"name": "a", "image": "a"}], "restartPolicy": "Always"}
    new = {"containers": [{"name": "a", "image": "a"}], "restartPolicy": "Never"}
    assert poddiff.render(old, new) == (
        "  core.PodSpec{\n"
        "  \t... // 2 identical fields\n"
        # cmp aligns every run of one-line records, changed or not.
        "  \tContainers:                    {{Name: \"a\", Image: \"a\"}},\n"
        "  \tEphemeralContainers:           nil,\n"
        "- \tRestartPolicy:                 \"Always\",\n"
        "+ \tRestartPolicy:                 \"Never\",\n"
        "  \tTerminationGracePeriodSeconds: nil,\n"
        "  \tActiveDeadlineSeconds:         nil,\n"
        "  \t... // 27 identical fields\n"
        "  }\n")


def test_adding_a_container_is_forbidden() -> None:
    old = create(simple_pod())
    new = copy.deepcopy(old)
    new["spec"]["containers"].append({"name": "b", "image": "b"})
    assert [str(e) for e in update(old, new)] == [
        "spec.containers: Forbidden: pod updates may not add or remove containers"]


def test_tolerations_may_only_be_added() -> None:
    pod = simple_pod()
    pod["spec"]["tolerations"] = [{"key": "gpu", "operator": "Equal", "value": "a",
                                   "effect": "NoSchedule"}]
    old = create(pod)
    new = copy.deepcopy(old)
    new["spec"]["tolerations"].append({"key": "a", "operator": "Exists"})
    assert update(old, new) == []
    new = copy.deepcopy(old)
    new["spec"]["tolerations"][0]["value"] = "b"
    assert [str(e) for e in update(old, new)][0] == (
        "spec.tolerations: Forbidden: existing toleration can not be modified except its "
        "tolerationSeconds")


def test_active_deadline_may_only_shrink() -> None:
    old = create(simple_pod())
    old["spec"]["activeDeadlineSeconds"] = 30
    new = copy.deepcopy(old)
    new["spec"]["activeDeadlineSeconds"] = 60
    assert [str(e) for e in update(old, new)] == [
        "spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous "
        "value"]


def test_validation_is_fast() -> None:
    strategy = PodStrategy(rng=random.Random(0))
    pod = create(simple_pod(env=[{"name": f"V{i}", "value": "x"} for i in range(10)],
                            livenessProbe={"httpGet": {"port": 80}},
                            resources={"requests": {"cpu": "100m", "memory": "64Mi"}}), strategy)
    strategy.validate(pod)
    started = time.perf_counter()
    for _ in range(200):
        strategy.validate(pod)
    assert (time.perf_counter() - started) / 200 < 0.001
