"""A container's environment, assembled as the kubelet assembles it before creating it.

``envFrom`` and ``env`` (with ConfigMap, Secret, downward-API and resource references),
``$(VAR)`` expansion, and the Docker-link style variables of the namespace's Services
(``KUBERNETES_SERVICE_HOST`` and friends).  A reference to a missing ConfigMap, Secret or
key fails exactly as on a real node: the container waits in CreateContainerConfigError
with the kubelet's message, until the object appears.
"""

from __future__ import annotations

import base64
import re
from typing import Any, Callable

from kitlib.sim.machinery.quantity import QuantityError, parse_quantity

JSON = dict[str, Any]
#: Reads an object (resource, namespace, name) -> the object or None.
Getter = Callable[[str, str, str], JSON | None]
_REFERENCE = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_FIELD_INDEX = re.compile(r"metadata\.(labels|annotations)\['(.+)'\]")


class EnvError(Exception):
    """The container cannot be configured; ``str()`` is the kubelet's message."""


def expand(text: str, env: dict[str, str]) -> str:
    """$(VAR) -> its value if defined; $$ -> $; anything else stays as written."""
    def sub(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        return env.get(name, match.group(0))
    return _REFERENCE.sub(sub, text)


def service_env(services: list[JSON]) -> dict[str, str]:
    """The variables the kubelet defines for each Service with a ClusterIP."""
    out: dict[str, str] = {}
    for service in services:
        spec = service.get("spec") or {}
        ip = spec.get("clusterIP")
        ports = spec.get("ports") or []
        if not ip or ip == "None" or not ports:
            continue
        name = service["metadata"]["name"].upper().replace("-", "_")
        out[f"{name}_SERVICE_HOST"] = ip
        out[f"{name}_SERVICE_PORT"] = str(ports[0].get("port"))
        for port in ports:
            if port.get("name"):
                label = port["name"].upper().replace("-", "_")
                out[f"{name}_SERVICE_PORT_{label}"] = str(port.get("port"))
        first = ports[0]
        proto = (first.get("protocol") or "TCP").lower()
        out[f"{name}_PORT"] = f"{proto}://{ip}:{first.get('port')}"
        for port in ports:
            proto = (port.get("protocol") or "TCP")
            prefix = f"{name}_PORT_{port.get('port')}_{proto.upper()}"
            out[prefix] = f"{proto.lower()}://{ip}:{port.get('port')}"
            out[f"{prefix}_PROTO"] = proto.lower()
            out[f"{prefix}_PORT"] = str(port.get("port"))
            out[f"{prefix}_ADDR"] = ip
    return out


def _field(pod: JSON, path: str, *, node_ip: str, pod_ip: str) -> str:
    meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
    match = _FIELD_INDEX.fullmatch(path)
    if match:
        return str((meta.get(match.group(1)) or {}).get(match.group(2), ""))
    values = {"metadata.name": meta.get("name", ""),
              "metadata.namespace": meta.get("namespace", ""),
              "metadata.uid": meta.get("uid", ""), "spec.nodeName": spec.get("nodeName", ""),
              "spec.serviceAccountName": spec.get("serviceAccountName", ""),
              "status.hostIP": node_ip, "status.hostIPs": node_ip,
              "status.podIP": pod_ip, "status.podIPs": pod_ip}
    return str(values.get(path, ""))


def _resource(container: JSON, ref: JSON, allocatable: dict[str, str]) -> str:
    """limits.cpu, requests.memory, ...: the container's value (a limit not set reads as
    the node's allocatable), divided by the divisor and rounded up."""
    kind, _, name = ref.get("resource", "").partition(".")
    resources = container.get("resources") or {}
    value = (resources.get(kind) or {}).get(name)
    if value is None:
        value = allocatable.get(name, "0") if kind == "limits" else "0"
    try:
        quotient = parse_quantity(value).value / (parse_quantity(ref.get("divisor") or "1")
                                                  .value or 1)
    except (QuantityError, ValueError):
        return "0"
    return str(-(-quotient.numerator // quotient.denominator))


def _key(obj: JSON | None, kind: str, namespace: str, name: str, key: str,
         optional: bool) -> str | None:
    if obj is None:
        if optional:
            return None
        raise EnvError(f'{kind.lower()} "{name}" not found')
    data = dict(obj.get("data") or {})
    if kind == "Secret":
        data = {k: base64.b64decode(v).decode("utf-8", "replace") for k, v in data.items()}
    elif obj.get("binaryData"):
        data.update({k: base64.b64decode(v).decode("utf-8", "replace")
                     for k, v in obj["binaryData"].items()})
    if key not in data:
        if optional:
            return None
        raise EnvError(f"couldn't find key {key} in {kind} {namespace}/{name}")
    return data[key]


def container_env(pod: JSON, container: JSON, *, get: Getter, services: list[JSON],
                  node_ip: str, pod_ip: str, allocatable: dict[str, str]) -> dict[str, str]:
    """makeEnvironmentVariables: the container's variables, or EnvError."""
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        prefix = source.get("prefix", "")
        for key, kind, resource in (("configMapRef", "ConfigMap", "configmaps"),
                                    ("secretRef", "Secret", "secrets")):
            ref = source.get(key)
            if ref is None:
                continue
            obj = get(resource, namespace, ref.get("name", ""))
            if obj is None:
                if ref.get("optional"):
                    continue
                raise EnvError(f'{kind.lower()} "{ref.get("name", "")}" not found')
            for name in (obj.get("data") or {}):
                value = _key(obj, kind, namespace, ref.get("name", ""), name, True)
                if value is not None:
                    env[prefix + name] = value
    links = service_env(services)
    for item in container.get("env") or []:
        name, source = item.get("name", ""), item.get("valueFrom")
        if source is None:
            env[name] = expand(item.get("value", ""), {**links, **env})
            continue
        value: str | None
        if "fieldRef" in source:
            value = _field(pod, source["fieldRef"].get("fieldPath", ""), node_ip=node_ip,
                           pod_ip=pod_ip)
        elif "resourceFieldRef" in source:
            value = _resource(container, source["resourceFieldRef"], allocatable)
        elif "configMapKeyRef" in source or "secretKeyRef" in source:
            kind, ref = (("ConfigMap", source["configMapKeyRef"]) if "configMapKeyRef" in source
                         else ("Secret", source["secretKeyRef"]))
            obj = get("configmaps" if kind == "ConfigMap" else "secrets", namespace,
                      ref.get("name", ""))
            value = _key(obj, kind, namespace, ref.get("name", ""), ref.get("key", ""),
                         bool(ref.get("optional")))
        else:
            value = ""
        if value is not None:
            env[name] = value
    for name, value in links.items():
        env.setdefault(name, value)
    return env
