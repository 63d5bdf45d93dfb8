"""The filter plugins and the resources they count, on hand-made pods and nodes."""

from __future__ import annotations

from typing import Any

from kitlib.sim.scheduler.cache import Cache, NodeInfo
from kitlib.sim.scheduler.filters import (node_affinity, node_ports, node_resources_fit,
                                          node_unschedulable, run_filters, taint_toleration)
from kitlib.sim.scheduler.podinfo import pod_info
from kitlib.sim.scheduler.resources import DEFAULT_MEMORY, pod_requests

DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
     "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
     "tolerationSeconds": 300},
]
CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def node(name: str = "n1", *, taints: list[dict[str, Any]] | None = None,
         unschedulable: bool = False, cpu: str = "2", memory: str = "4Gi", pods: str = "110",
         **extra: str) -> NodeInfo:
    info, _ = Cache().set_node({
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
        "spec": {"taints": taints or [], "unschedulable": unschedulable},
        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods, **extra}}})
    return info


def pod(name: str = "p", *, requests: dict[str, str] | None = None,
        tolerations: list[dict[str, Any]] | None = None, ports: list[dict[str, Any]] | None = None,
        **spec: Any) -> Any:
    container: dict[str, Any] = {"name": "c", "image": "nginx"}
    if requests:
        container["resources"] = {"requests": requests}
    if ports:
        container["ports"] = ports
    body = {"containers": [container], "tolerations": DEFAULT_TOLERATIONS + (tolerations or []),
            **spec}
    return pod_info({"metadata": {"name": name, "namespace": "default", "uid": name},
                     "spec": body})


def test_cordoned_node_rejects_unless_tolerated() -> None:
    cordoned = node(unschedulable=True)
    status = node_unschedulable(pod(), cordoned)
    assert status is not None and status.reasons == ("node(s) were unschedulable",)
    assert status.unresolvable
    tolerant = pod(tolerations=[{"key": "node.kubernetes.io/unschedulable",
                                 "operator": "Exists", "effect": "NoSchedule"}])
    assert node_unschedulable(tolerant, cordoned) is None


def test_untolerated_taint_is_named_with_its_value() -> None:
    status = taint_toleration(pod(), node(taints=[CONTROL_PLANE]))
    assert status is not None
    assert status.reasons == ("node(s) had untolerated taint "
                              "{node-role.kubernetes.io/control-plane: }",)
    valued = node(taints=[{"key": "dedicated", "value": "gpu", "effect": "NoExecute"}])
    assert taint_toleration(pod(), valued).reasons == (  # type: ignore[union-attr]
        "node(s) had untolerated taint {dedicated: gpu}",)


def test_prefer_no_schedule_never_filters() -> None:
    soft = node(taints=[{"key": "spot", "effect": "PreferNoSchedule"}])
    assert taint_toleration(pod(), soft) is None


def test_tolerations_equal_exists_and_empty_key() -> None:
    taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    tainted = node(taints=[taint])
    equal = pod(tolerations=[{"key": "dedicated", "operator": "Equal", "value": "gpu",
                              "effect": "NoSchedule"}])
    wrong_value = pod(tolerations=[{"key": "dedicated", "value": "cpu", "effect": "NoSchedule"}])
    exists = pod(tolerations=[{"key": "dedicated", "operator": "Exists"}])
    everything = pod(tolerations=[{"operator": "Exists"}])
    wrong_effect = pod(tolerations=[{"key": "dedicated", "operator": "Exists",
                                     "effect": "NoExecute"}])
    assert taint_toleration(equal, tainted) is None
    assert taint_toleration(exists, tainted) is None
    assert taint_toleration(everything, tainted) is None
    assert taint_toleration(wrong_value, tainted) is not None
    assert taint_toleration(wrong_effect, tainted) is not None


def test_not_ready_node_is_rejected_by_its_no_schedule_taint() -> None:
    # The default tolerations cover NoExecute only: the lifecycle controller's NoSchedule
    # taint keeps new pods away.
    not_ready = node(taints=[{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"},
                             {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}])
    status = taint_toleration(pod(), not_ready)
    assert status is not None
    assert status.reasons == ("node(s) had untolerated taint {node.kubernetes.io/not-ready: }",)


def test_node_selector_mismatch_reason() -> None:
    status = node_affinity(pod(nodeSelector={"disktype": "ssd"}), node())
    assert status is not None
    assert status.reasons == ("node(s) didn't match Pod's node affinity/selector",)


def test_host_port_conflicts() -> None:
    target = node()
    target.add_pod(pod("web", ports=[{"containerPort": 80, "hostPort": 8080}]))
    clash = pod(ports=[{"containerPort": 80, "hostPort": 8080}])
    status = node_ports(clash, target)
    assert status is not None and not status.unresolvable
    assert status.reasons == ("node(s) didn't have free ports for the requested pod ports",)
    assert node_ports(pod(ports=[{"containerPort": 80, "hostPort": 8080,
                                  "protocol": "UDP"}]), target) is None
    assert node_ports(pod(ports=[{"containerPort": 80, "hostPort": 8081}]), target) is None
    # A specific address clashes with 0.0.0.0 and with itself, not with another address.
    pinned = node()
    pinned.add_pod(pod("a", ports=[{"containerPort": 80, "hostPort": 9000,
                                    "hostIP": "10.0.0.1"}]))
    assert node_ports(pod(ports=[{"containerPort": 80, "hostPort": 9000,
                                  "hostIP": "10.0.0.2"}]), pinned) is None
    assert node_ports(pod(ports=[{"containerPort": 80, "hostPort": 9000,
                                  "hostIP": "10.0.0.1"}]), pinned) is not None
    assert node_ports(pod(ports=[{"containerPort": 80, "hostPort": 9000}]), pinned) is not None


def test_ports_are_freed_when_the_pod_goes() -> None:
    target = node()
    target.add_pod(pod("web", ports=[{"containerPort": 80, "hostPort": 8080}]))
    target.remove_pod(("default", "web"))
    assert node_ports(pod(ports=[{"containerPort": 80, "hostPort": 8080}]), target) is None


def test_insufficient_resources_counts_what_is_already_requested() -> None:
    target = node(cpu="2", memory="4Gi")
    target.add_pod(pod("a", requests={"cpu": "1500m", "memory": "1Gi"}))
    assert node_resources_fit(pod(requests={"cpu": "500m"}), target) is None
    status = node_resources_fit(pod(requests={"cpu": "600m", "memory": "4Gi"}), target)
    assert status is not None and not status.unresolvable
    assert status.reasons == ("Insufficient cpu", "Insufficient memory")


def reasons(status: Any) -> tuple[str, ...]:
    assert status is not None
    return tuple(status.reasons)


def test_too_many_pods_and_extended_resources() -> None:
    full = node(pods="1")
    full.add_pod(pod("a"))
    assert reasons(node_resources_fit(pod(), full)) == ("Too many pods",)
    gpu = node(**{"nvidia.com/gpu": "1"})
    assert node_resources_fit(pod(requests={"nvidia.com/gpu": "1"}), gpu) is None
    assert reasons(node_resources_fit(pod(requests={"nvidia.com/gpu": "2"}), gpu)) == (
        "Insufficient nvidia.com/gpu",)
    assert reasons(node_resources_fit(pod(requests={"example.com/foo": "1"}), node())) == (
        "Insufficient example.com/foo",)


def test_first_failing_plugin_wins() -> None:
    cordoned = node(unschedulable=True, taints=[CONTROL_PLANE], cpu="1")
    status = run_filters(pod(requests={"cpu": "2"}), cordoned)
    assert status is not None and status.plugin == "NodeUnschedulable"
    tainted = node(taints=[CONTROL_PLANE], cpu="1")
    status = run_filters(pod(requests={"cpu": "2"}), tainted)
    assert status is not None and status.plugin == "TaintToleration"


def test_pod_requests_follow_init_and_sidecar_rules() -> None:
    spec = {"containers": [{"name": "a", "resources": {"requests": {"cpu": "100m"}}},
                           {"name": "b", "resources": {"requests": {"cpu": "200m"}}}],
            "initContainers": [{"name": "init", "resources": {"requests": {"cpu": "1"}}}]}
    assert pod_requests(spec).cpu == 1000
    spec["initContainers"] = [
        {"name": "side", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
        {"name": "init", "resources": {"requests": {"cpu": "250m"}}}]
    # Sidecar runs beside the app (300m + 100m), and beside the later init (100m + 250m).
    assert pod_requests(spec).cpu == 400
    spec["overhead"] = {"cpu": "50m"}
    assert pod_requests(spec).cpu == 450


def test_non_zero_requests_default_only_missing_values() -> None:
    spec = {"containers": [{"name": "a"},
                           {"name": "b", "resources": {"requests": {"cpu": "0"}}}]}
    non_zero = pod_requests(spec, non_zero=True)
    assert non_zero.cpu == 100                   # b asked for 0 explicitly
    assert non_zero.memory == 2 * DEFAULT_MEMORY
    assert pod_requests(spec).is_zero()
