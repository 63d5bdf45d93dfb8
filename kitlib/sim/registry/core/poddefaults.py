"""Defaults for pod specs, as pkg/apis/core/v1/defaults.go fills them in after decoding.

Shared by Pods and by every kind with a pod template (ReplicationControllers, ReplicaSets,
Deployments).  A few defaults apply to Pods only (requests copied from limits,
``enableServiceLinks``), exactly as the real server keeps them out of templates, so that
``kubectl get deploy -o yaml`` and ``kubectl get pod -o yaml`` show what they show on a
real cluster.  Resource quantities are rewritten to their canonical form here too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from kitlib.sim.machinery.quantity import Quantity, parse_quantity

JSON = dict[str, Any]

_DOMAIN = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_PATH = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_IMAGE = re.compile(
    rf"(?P<name>(?:{_DOMAIN}(?:\.{_DOMAIN})*(?::[0-9]+)?/)?{_PATH}(?:/{_PATH})*)"
    r"(?::(?P<tag>[\w][\w.-]{0,127}))?"
    r"(?:@(?P<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?")

_HANDLER_KEYS = ("livenessProbe", "readinessProbe", "startupProbe")


def image_tag(image: str) -> str:
    """The tag parsers.ParseImageName finds: "latest" when none is given, "" if unparsable."""
    match = _IMAGE.fullmatch(image)
    if not match or len(match.group("name")) > 255:
        return ""
    if match.group("tag"):
        return match.group("tag")
    return "" if match.group("digest") else "latest"


def pull_policy_for(image: str) -> str:
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


def canonical_resource_list(resources: Any) -> None:
    """SetDefaults_ResourceList: canonical quantities, rounded up to milli units.

    Raises QuantityError for a value that is not a quantity (a decoding error upstream).
    """
    if not isinstance(resources, dict):
        return
    for key, raw in resources.items():
        resources[key] = _milli_canonical(raw) if type(raw) in _TEXTS else \
            str(parse_quantity(raw).round_up(-3))


_TEXTS = (str, int, float)


@lru_cache(maxsize=4096, typed=True)     # typed: True must not be taken for 1
def _milli_canonical(raw: str | int | float) -> str:
    """A request's or limit's canonical text: every pod repeats the same few."""
    return str(parse_quantity(raw).round_up(-3))


def _dict(parent: JSON, key: str) -> JSON | None:
    value = parent.get(key)
    return value if isinstance(value, dict) else None


def _list(parent: JSON, key: str) -> list[Any]:
    value = parent.get(key)
    return value if isinstance(value, list) else []


def default_http_get(action: JSON | None) -> None:
    if action is not None:
        action.setdefault("path", "/")
        if not action.get("path"):
            action["path"] = "/"
        if not action.get("scheme"):
            action["scheme"] = "HTTP"


def _default_handler(handler: JSON | None) -> None:
    if handler is None:
        return
    default_http_get(_dict(handler, "httpGet"))
    grpc = _dict(handler, "grpc")
    if grpc is not None and grpc.get("service") is None:
        grpc["service"] = ""


def default_probe(probe: JSON | None) -> None:
    if probe is None:
        return
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                       ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    _default_handler(probe)


def _default_field_refs(holder: JSON | None) -> None:
    """ObjectFieldSelector.apiVersion is "v1"; a ResourceFieldSelector's divisor prints "0"."""
    if holder is None:
        return
    field_ref = _dict(holder, "fieldRef")
    if field_ref is not None and not field_ref.get("apiVersion"):
        field_ref["apiVersion"] = "v1"
    resource_ref = _dict(holder, "resourceFieldRef")
    if resource_ref is not None:
        resource_ref["divisor"] = str(parse_quantity(resource_ref.get("divisor") or "0"))


def default_container(container: Any) -> None:
    """SetDefaults_Container and the defaults of everything nested in a container."""
    if not isinstance(container, dict):
        return
    if not container.get("imagePullPolicy"):
        image = container.get("image")
        container["imagePullPolicy"] = pull_policy_for(image if isinstance(image, str) else "")
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = "/dev/termination-log"
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    for port in _list(container, "ports"):
        if isinstance(port, dict) and not port.get("protocol"):
            port["protocol"] = "TCP"
    # ResourceRequirements is a struct, never omitted: it prints as "resources: {}".
    resources = container.get("resources")
    if not isinstance(resources, dict):
        resources = container["resources"] = {}
    canonical_resource_list(resources.get("limits"))
    canonical_resource_list(resources.get("requests"))
    for key in _HANDLER_KEYS:
        default_probe(_dict(container, key))
    lifecycle = _dict(container, "lifecycle")
    if lifecycle is not None:
        _default_handler(_dict(lifecycle, "postStart"))
        _default_handler(_dict(lifecycle, "preStop"))
    for env in _list(container, "env"):
        if isinstance(env, dict):
            _default_field_refs(_dict(env, "valueFrom"))


def default_volume(volume: Any) -> None:
    """SetDefaults_Volume plus the per-source defaults (file modes, token lifetime)."""
    if not isinstance(volume, dict):
        return
    sources = [key for key in volume if key != "name"]
    if not sources:
        volume["emptyDir"] = {}
    empty_dir = _dict(volume, "emptyDir")
    if empty_dir is not None and empty_dir.get("sizeLimit") is not None:
        empty_dir["sizeLimit"] = str(parse_quantity(empty_dir["sizeLimit"]))
    for key in ("secret", "configMap", "downwardAPI", "projected"):
        source = _dict(volume, key)
        if source is not None and source.get("defaultMode") is None:
            source["defaultMode"] = 420
    for item in _list(_dict(volume, "downwardAPI") or {}, "items"):
        if isinstance(item, dict):
            _default_field_refs(item)
    for source in _list(_dict(volume, "projected") or {}, "sources"):
        if not isinstance(source, dict):
            continue
        token = _dict(source, "serviceAccountToken")
        if token is not None and token.get("expirationSeconds") is None:
            token["expirationSeconds"] = 3600
        for item in _list(_dict(source, "downwardAPI") or {}, "items"):
            if isinstance(item, dict):
                _default_field_refs(item)
    host_path = _dict(volume, "hostPath")
    if host_path is not None and host_path.get("type") is None:
        host_path["type"] = ""
    claim = _dict(_dict(volume, "ephemeral") or {}, "volumeClaimTemplate")
    claim_spec = _dict(claim or {}, "spec")
    if claim_spec is not None:
        claim_spec.setdefault("volumeMode", "Filesystem")
        canonical_resource_list((_dict(claim_spec, "resources") or {}).get("requests"))


def default_pod_spec(spec: Any) -> None:
    """SetDefaults_PodSpec, recursing into containers and volumes as the defaulter does."""
    if not isinstance(spec, dict):
        return
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if not isinstance(spec.get("securityContext"), dict):
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    # serviceAccount is the deprecated alias the server keeps equal to serviceAccountName.
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    else:
        spec.pop("serviceAccount", None)
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for container in _list(spec, key):
            default_container(container)
    for volume in _list(spec, "volumes"):
        default_volume(volume)
    if isinstance(spec.get("overhead"), dict):
        canonical_resource_list(spec["overhead"])


def default_pod_template(template: Any) -> None:
    """A PodTemplateSpec: its ObjectMeta prints a null creationTimestamp on a real server."""
    if not isinstance(template, dict):
        return
    meta = template.get("metadata")
    if not isinstance(meta, dict):
        meta = template["metadata"] = {}
    meta.setdefault("creationTimestamp", None)
    if not isinstance(template.get("spec"), dict):
        template["spec"] = {}
    default_pod_spec(template["spec"])


def default_pod(pod: JSON) -> None:
    """SetDefaults_Pod: the pod spec defaults plus those that apply to Pods only."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        spec = pod["spec"] = {}
    default_pod_spec(spec)
    for key in ("containers", "initContainers"):
        for container in _list(spec, key):
            if not isinstance(container, dict):
                continue
            resources = container["resources"]
            limits = resources.get("limits")
            if isinstance(limits, dict):
                requests = resources.setdefault("requests", {})
                if isinstance(requests, dict):
                    for name, value in limits.items():
                        requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork") is True:
        for key in ("containers", "initContainers"):
            for container in _list(spec, key):
                for port in _list(container, "ports") if isinstance(container, dict) else []:
                    if isinstance(port, dict) and not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort", 0)


def qos_class(spec: Any) -> str:
    """ComputePodQOS: Guaranteed, Burstable or BestEffort from cpu and memory settings."""
    containers = (_list(spec, "containers") + _list(spec, "initContainers")
                  if isinstance(spec, dict) else [])
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    guaranteed = True
    for container in containers:
        resources = container.get("resources") if isinstance(container, dict) else None
        resources = resources if isinstance(resources, dict) else {}
        for source, totals in ((resources.get("requests"), requests),
                               (resources.get("limits"), limits)):
            found = set()
            for name, raw in (source.items() if isinstance(source, dict) else ()):
                if name not in ("cpu", "memory"):
                    continue
                try:
                    amount = parse_quantity(raw)
                except ValueError:
                    continue
                if amount.value > 0:
                    found.add(name)
                    totals[name] = totals[name] + amount if name in totals else amount
            if totals is limits and found != {"cpu", "memory"}:
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(name in limits and limits[name] == value
                          for name, value in requests.items()) \
            and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"
