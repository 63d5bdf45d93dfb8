"""Deployments, ReplicaSets and ReplicationControllers: defaults, selectors, templates."""

from __future__ import annotations

import copy
from typing import Any

from kitlib.sim.machinery.errors import Invalid
from kitlib.sim.registry.apps.deployment import DeploymentStrategy
from kitlib.sim.registry.apps.replicaset import ReplicaSetStrategy
from kitlib.sim.registry.core.replicationcontroller import ReplicationControllerStrategy


def deployment(selector: Any = None, **spec: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2",
                                                       "ports": [{"containerPort": 80}]}]}},
                 **spec}}
    if selector is not None:
        body["spec"]["selector"] = selector
    return body


def message(kind: str, group: str, errors: list) -> str:
    return Invalid(kind=kind, group=group, name="web", errors=errors).message


def test_deployment_defaults_golden() -> None:
    obj = deployment({"matchLabels": {"app": "web"}})
    strategy = DeploymentStrategy()
    strategy.default(obj)
    strategy.prepare_for_create(obj)
    assert obj["spec"] == {
        "replicas": 1, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {"type": "RollingUpdate",
                     "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
            "spec": {"containers": [{
                "name": "nginx", "image": "nginx:1.14.2", "imagePullPolicy": "IfNotPresent",
                "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File"}],
                "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
                "schedulerName": "default-scheduler", "securityContext": {},
                "terminationGracePeriodSeconds": 30}},
    }
    assert obj["status"] == {} and obj["metadata"]["generation"] == 1
    assert strategy.validate(obj) == []


def test_missing_selector_reports_the_mismatch_too() -> None:
    obj = deployment()
    strategy = DeploymentStrategy()
    strategy.default(obj)
    assert message("Deployment", "apps", strategy.validate(obj)) == (
        'Deployment.apps "web" is invalid: [spec.selector: Required value, '
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
        "`selector` does not match template `labels`]")


def test_empty_selector_and_template_rules() -> None:
    obj = deployment({}, replicas=-1)
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    strategy = DeploymentStrategy()
    strategy.default(obj)
    assert [str(e) for e in strategy.validate(obj)] == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
        "deployment",
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]


def test_rolling_update_parameters() -> None:
    obj = deployment({"matchLabels": {"app": "web"}},
                     strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}})
    strategy = DeploymentStrategy()
    strategy.default(obj)
    assert [str(e) for e in strategy.validate(obj)] == [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, '
        'IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0']


def test_selector_is_immutable() -> None:
    strategy = DeploymentStrategy()
    old = deployment({"matchLabels": {"app": "web"}})
    strategy.default(old)
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "api"}}
    new["spec"]["template"]["metadata"]["labels"] = {"app": "api"}
    assert message("Deployment", "apps", strategy.validate_update(new, old)) == (
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: '
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"api"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable")


def test_switching_to_recreate_keeps_rolling_update() -> None:
    strategy = DeploymentStrategy()
    old = deployment({"matchLabels": {"app": "web"}})
    strategy.default(old)
    new = copy.deepcopy(old)
    new["spec"]["strategy"]["type"] = "Recreate"
    strategy.default(new)
    assert [str(e) for e in strategy.validate_update(new, old)] == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
        "'Recreate'"]


def test_replicaset_defaults_and_status() -> None:
    obj = deployment({"matchLabels": {"app": "web"}})
    obj["kind"] = "ReplicaSet"
    strategy = ReplicaSetStrategy()
    strategy.default(obj)
    strategy.prepare_for_create(obj)
    assert obj["spec"]["replicas"] == 1 and obj["status"] == {"replicas": 0}
    assert "strategy" not in obj["spec"] and strategy.validate(obj) == []
    obj["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    assert [e.field for e in strategy.validate(obj)] == ["spec.template.metadata.labels"]


def test_replication_controller_defaults_selector_from_template() -> None:
    obj = {"metadata": {"name": "nginx", "namespace": "default"},
           "spec": {"template": {"metadata": {"labels": {"app": "nginx"}},
                                 "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}}
    strategy = ReplicationControllerStrategy()
    strategy.default(obj)
    strategy.prepare_for_create(obj)
    assert obj["spec"]["selector"] == {"app": "nginx"}
    assert obj["metadata"]["labels"] == {"app": "nginx"}
    assert obj["spec"]["replicas"] == 1 and obj["status"] == {"replicas": 0}
    assert strategy.validate(obj) == []
    obj["spec"]["template"]["spec"]["activeDeadlineSeconds"] = 10
    assert [str(e) for e in strategy.validate(obj)] == [
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in "
        "ReplicationController is not Supported"]
