"""Validation of one container, following pkg/apis/core/validation (validateContainerCommon).

Ports, environment, mounts, probes, lifecycle hooks, resources and the security context:
the parts of a manifest learners edit most, so each message and field path is the real one
(including the real server's quirks, such as ``volumeMounts.subPath`` without an index).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import (FieldError, forbidden, invalid, not_supported,
                                         required)
from kitlib.sim.machinery.validation import (inclusive_range_error, invalid_go,
                                             is_config_map_key, is_dns1123_label,
                                             is_http_header_name, is_qualified_name,
                                             is_relaxed_env_var_name, is_valid_port_name,
                                             is_valid_port_num, name_is_dns_subdomain,
                                             validate_nonnegative)
from kitlib.sim.registry.core.resources import validate_resource_requirements

JSON = dict[str, Any]

PORT_PROTOCOLS = ("SCTP", "TCP", "UDP")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_ENV_FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                    "spec.serviceAccountName", "status.hostIP", "status.hostIPs",
                    "status.podIP", "status.podIPs")
_DOWNWARD_LABELS = frozenset(("metadata.annotations", "metadata.labels", "metadata.name",
                              "metadata.namespace", "metadata.uid", "spec.nodeName",
                              "spec.restartPolicy", "spec.serviceAccountName",
                              "spec.schedulerName", "status.phase", "status.hostIP",
                              "status.hostIPs", "status.podIP", "status.podIPs"))
_RESOURCE_FIELDS = ("limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                    "requests.ephemeral-storage", "requests.memory")
_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")


def _d(value: Any) -> Mapping[str, Any]:
    # A dict first: the ABC check is slow, and this runs for every field.
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def _l(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def validate_dns_label(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in is_dns1123_label(value)]


def validate_port_num_or_name(port: Any, path: str) -> list[FieldError]:
    if isinstance(port, str):
        return [invalid(path, port, msg) for msg in is_valid_port_name(port)]
    number = _int(port)
    return [invalid(path, number, msg) for msg in is_valid_port_num(number)]


def split_subscript(field_path: str) -> tuple[str, str] | None:
    """fieldpath.SplitMaybeSubscriptedPath: ``metadata.labels['app']``."""
    if not field_path.endswith("']"):
        return None
    head, sep, tail = field_path.partition("['")
    return (head, tail[:-2]) if sep else None


def validate_object_field_selector(ref: Mapping[str, Any], expressions: tuple[str, ...],
                                   path: str) -> list[FieldError]:
    api_version, field_path = _s(ref.get("apiVersion")), _s(ref.get("fieldPath"))
    if not api_version:
        return [required(f"{path}.apiVersion")]
    if not field_path:
        return [required(f"{path}.fieldPath")]
    problem = ""
    subscripted = split_subscript(field_path)
    if api_version != "v1":
        problem = f"unsupported pod version: {api_version}"
    elif subscripted and subscripted[0] not in ("metadata.annotations", "metadata.labels"):
        problem = f"field label does not support subscript: {field_path}"
    elif not subscripted and field_path not in _DOWNWARD_LABELS and field_path != "spec.host":
        problem = f"field label not supported: {field_path}"
    if problem:
        return [invalid(f"{path}.fieldPath", field_path, f"error converting fieldPath: {problem}")]
    if subscripted:
        head, key = subscripted
        key = key.lower() if head == "metadata.annotations" else key
        return [invalid(path, key, msg) for msg in is_qualified_name(key)]
    internal = "spec.nodeName" if field_path == "spec.host" else field_path
    if internal not in expressions:
        return [not_supported(f"{path}.fieldPath", internal, sorted(expressions))]
    return []


def validate_resource_field_selector(ref: Mapping[str, Any], path: str, *,
                                     volume: bool) -> list[FieldError]:
    resource = _s(ref.get("resource"))
    if volume and not ref.get("containerName"):
        return [required(f"{path}.containerName")]
    if not resource:
        return [required(f"{path}.resource")]
    if resource not in _RESOURCE_FIELDS and not resource.startswith(
            ("requests.hugepages-", "limits.hugepages-")):
        return [not_supported(f"{path}.resource", resource, _RESOURCE_FIELDS)]
    return []


def _validate_key_selector(ref: Mapping[str, Any], path: str) -> list[FieldError]:
    name, key = _s(ref.get("name")), _s(ref.get("key"))
    errs = [invalid(f"{path}.name", name, msg) for msg in name_is_dns_subdomain(name)]
    if not key:
        errs.append(required(f"{path}.key"))
    else:
        errs += [invalid(f"{path}.key", key, msg) for msg in is_config_map_key(key)]
    return errs


def validate_env(env: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, var in enumerate(_l(env)):
        var, ipath = _d(var), f"{path}[{i}]"
        name = _s(var.get("name"))
        if not name:
            errs.append(required(f"{ipath}.name"))
        else:
            errs += [invalid(f"{ipath}.name", name, msg) for msg in is_relaxed_env_var_name(name)]
        value_from = var.get("valueFrom")
        if not isinstance(value_from, Mapping):
            continue
        vpath, sources = f"{ipath}.valueFrom", 0
        if isinstance(value_from.get("fieldRef"), Mapping):
            sources += 1
            errs += validate_object_field_selector(value_from["fieldRef"], _ENV_FIELD_PATHS,
                                                   f"{vpath}.fieldRef")
        if isinstance(value_from.get("resourceFieldRef"), Mapping):
            sources += 1
            errs += validate_resource_field_selector(value_from["resourceFieldRef"],
                                                     f"{vpath}.resourceFieldRef", volume=False)
        for key in ("configMapKeyRef", "secretKeyRef"):
            if isinstance(value_from.get(key), Mapping):
                sources += 1
                errs += _validate_key_selector(value_from[key], f"{vpath}.{key}")
        if sources == 0:
            errs.append(invalid(vpath, "", "must specify one of: `fieldRef`, `resourceFieldRef`,"
                                           " `configMapKeyRef` or `secretKeyRef`"))
        elif var.get("value"):
            errs.append(invalid(vpath, "", "may not be specified when `value` is not empty"))
        elif sources > 1:
            errs.append(invalid(vpath, "", "may not have more than one field specified at a time"))
    return errs


def validate_env_from(env_from: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, source in enumerate(_l(env_from)):
        source, ipath = _d(source), f"{path}[{i}]"
        prefix = _s(source.get("prefix"))
        if prefix:
            errs += [invalid(f"{ipath}.prefix", prefix, msg)
                     for msg in is_relaxed_env_var_name(prefix)]
        count = 0
        for key in ("configMapRef", "secretRef"):
            ref = source.get(key)
            if not isinstance(ref, Mapping):
                continue
            count += 1
            name = _s(ref.get("name"))
            if not name:
                errs.append(required(f"{ipath}.{key}.name"))
            else:
                errs += [invalid(f"{ipath}.{key}.name", name, msg)
                         for msg in name_is_dns_subdomain(name, True)]
        if count == 0:
            errs.append(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def validate_container_ports(ports: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(_l(ports)):
        port, ipath = _d(port), f"{path}[{i}]"
        name = _s(port.get("name"))
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs += [invalid(f"{ipath}.name", name, msg) for msg in msgs]
            elif name in names:
                errs.append(FieldError("FieldValueDuplicate", f"{ipath}.name", name))
            else:
                names.add(name)
        container_port = _int(port.get("containerPort"))
        if container_port == 0:
            errs.append(required(f"{ipath}.containerPort"))
        else:
            errs += [invalid(f"{ipath}.containerPort", container_port, msg)
                     for msg in is_valid_port_num(container_port)]
        host_port = _int(port.get("hostPort"))
        if host_port:
            errs += [invalid(f"{ipath}.hostPort", host_port, msg)
                     for msg in is_valid_port_num(host_port)]
        protocol = _s(port.get("protocol"))
        if not protocol:
            errs.append(required(f"{ipath}.protocol"))
        elif protocol not in PORT_PROTOCOLS:
            errs.append(not_supported(f"{ipath}.protocol", protocol, PORT_PROTOCOLS))
    return errs


def host_port_conflicts(containers: list[Any], path: str, seen: set[str]) -> list[FieldError]:
    """AccumulateUniqueHostPorts: the same protocol/hostIP/hostPort twice is a duplicate."""
    errs: list[FieldError] = []
    for ci, container in enumerate(containers):
        for pi, port in enumerate(_l(_d(container).get("ports"))):
            port = _d(port)
            host_port = _int(port.get("hostPort"))
            if not host_port:
                continue
            key = f"{_s(port.get('protocol'))}/{_s(port.get('hostIP'))}/{host_port}"
            if key in seen:
                errs.append(FieldError("FieldValueDuplicate",
                                       f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errs


def local_descending_path(target: str, path: str) -> list[FieldError]:
    errs = []
    if target.startswith("/"):
        errs.append(invalid(path, target, "must be a relative path"))
    if ".." in target.replace("\\", "/").split("/"):
        errs.append(invalid(path, target, "must not contain '..'"))
    return errs


def validate_volume_mounts(mounts: Any, volumes: Mapping[str, Any], container: Mapping[str, Any],
                           path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    mount_paths: set[str] = set()
    device_names = {_s(_d(d).get("name")) for d in _l(container.get("volumeDevices"))}
    device_paths = {_s(_d(d).get("devicePath")) for d in _l(container.get("volumeDevices"))}
    privileged = _d(container.get("securityContext")).get("privileged") is True
    for i, mount in enumerate(_l(mounts)):
        mount, ipath = _d(mount), f"{path}[{i}]"
        name, mount_path = _s(mount.get("name")), _s(mount.get("mountPath"))
        if not name:
            errs.append(required(f"{ipath}.name"))
        if name not in volumes:
            errs.append(FieldError("FieldValueNotFound", f"{ipath}.name", name))
        if not mount_path:
            errs.append(required(f"{ipath}.mountPath"))
        if mount_path in mount_paths:
            errs.append(invalid(f"{ipath}.mountPath", mount_path, "must be unique"))
        mount_paths.add(mount_path)
        if name in device_names:
            errs.append(invalid(f"{ipath}.name", name, "must not already exist in volumeDevices"))
        if mount_path in device_paths:
            errs.append(invalid(f"{ipath}.mountPath", mount_path,
                                "must not already exist as a path in volumeDevices"))
        sub_path, sub_expr = _s(mount.get("subPath")), _s(mount.get("subPathExpr"))
        if sub_path:
            errs += local_descending_path(sub_path, f"{path}.subPath")
        if sub_expr:
            if sub_path:
                errs.append(invalid(f"{ipath}.subPathExpr", sub_expr,
                                    "subPathExpr and subPath are mutually exclusive"))
            errs += local_descending_path(sub_expr, f"{path}.subPathExpr")
        propagation = mount.get("mountPropagation")
        if propagation is not None:
            options = ("Bidirectional", "HostToContainer", "None")
            if propagation not in options:
                errs.append(not_supported(f"{path}.mountPropagation", propagation, options))
            if propagation == "Bidirectional" and not privileged:
                errs.append(forbidden(f"{path}.mountPropagation", "Bidirectional mount "
                                      "propagation is available only to privileged containers"))
    return errs


def _validate_handler(handler: Mapping[str, Any], grace: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for key in _HANDLERS:
        action = handler.get(key)
        if not isinstance(action, Mapping):
            continue
        if count:
            errs.append(forbidden(f"{path}.{key}", "may not specify more than 1 handler type"))
            continue
        count += 1
        apath = f"{path}.{key}"
        if key == "exec" and not _l(action.get("command")):
            errs.append(required(f"{apath}.command"))
        elif key == "httpGet":
            if not action.get("path"):
                errs.append(required(f"{apath}.path"))
            errs += validate_port_num_or_name(action.get("port"), f"{apath}.port")
            scheme = _s(action.get("scheme"))
            if scheme not in ("HTTP", "HTTPS"):
                errs.append(not_supported(f"{apath}.scheme", scheme, ("HTTP", "HTTPS")))
            for header in _l(action.get("httpHeaders")):
                header_name = _s(_d(header).get("name"))
                errs += [invalid(f"{apath}.httpHeaders", header_name, msg)
                         for msg in is_http_header_name(header_name)]
        elif key in ("tcpSocket", "grpc"):
            errs += validate_port_num_or_name(action.get("port") if key == "tcpSocket"
                                              else _int(action.get("port")), f"{apath}.port")
        elif key == "sleep" and isinstance(grace, int):
            seconds = _int(action.get("seconds"))
            if seconds <= 0 or seconds > grace:
                errs.append(invalid(apath, seconds, "must be greater than 0 and less than "
                                    f"terminationGracePeriodSeconds ({grace}). Enable "
                                    "AllowPodLifecycleSleepActionZeroValue feature gate for "
                                    "zero sleep."))
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def validate_probe(probe: Any, kind: str, grace: Any, path: str) -> list[FieldError]:
    if not isinstance(probe, Mapping):
        return []
    handler = {key: probe.get(key) for key in ("exec", "httpGet", "tcpSocket", "grpc")}
    errs = _validate_handler(handler, grace, path)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold"):
        errs += validate_nonnegative(probe.get(key, 0), f"{path}.{key}")
    probe_grace = probe.get("terminationGracePeriodSeconds")
    if isinstance(probe_grace, int) and probe_grace <= 0:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", probe_grace,
                            "must be greater than 0"))
    if kind in ("livenessProbe", "startupProbe") and probe.get("successThreshold", 1) != 1:
        errs.append(invalid(f"{path}.successThreshold", probe.get("successThreshold"),
                            "must be 1"))
    if kind == "readinessProbe" and probe_grace is not None:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", probe_grace,
                            "must not be set for readinessProbes"))
    return errs


def validate_lifecycle(lifecycle: Any, grace: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("postStart", "preStop"):
        if isinstance(_d(lifecycle).get(key), Mapping):
            errs += _validate_handler(lifecycle[key], grace, f"{path}.{key}")
    return errs


def validate_security_context(context: Any, path: str) -> list[FieldError]:
    context = _d(context)
    errs: list[FieldError] = []
    for key in ("runAsUser", "runAsGroup"):
        value = context.get(key)
        if isinstance(value, int) and not 0 <= value <= 0xFFFFFFFF:
            errs.append(invalid(f"{path}.{key}", value, inclusive_range_error(0, 4294967295)))
    proc_mount = context.get("procMount")
    if proc_mount is not None and proc_mount not in ("Default", "Unmasked"):
        errs.append(not_supported(f"{path}.procMount", proc_mount, ("Default", "Unmasked")))
    errs += validate_seccomp_profile(context.get("seccompProfile"), f"{path}.seccompProfile")
    if context.get("allowPrivilegeEscalation") is False and context.get("privileged") is True:
        errs.append(invalid_go(path, _go_security_context(context), "cannot set "
                               "`allowPrivilegeEscalation` to false and `privileged` to true"))
    return errs


_SC_FIELDS = (("capabilities", "*core.Capabilities"), ("privileged", "*bool"),
              ("seLinuxOptions", "*core.SELinuxOptions"),
              ("windowsOptions", "*core.WindowsSecurityContextOptions"),
              ("runAsUser", "*int64"), ("runAsGroup", "*int64"), ("runAsNonRoot", "*bool"),
              ("readOnlyRootFilesystem", "*bool"), ("allowPrivilegeEscalation", "*bool"),
              ("procMount", "*core.ProcMountType"), ("seccompProfile", "*core.SeccompProfile"),
              ("appArmorProfile", "*core.AppArmorProfile"))


def _go_security_context(context: Mapping[str, Any]) -> str:
    """%#v of a SecurityContext: every field a pointer, shown by address when set."""
    parts = []
    for n, (key, type_name) in enumerate(_SC_FIELDS):
        address = "nil" if context.get(key) is None else f"0xc0004a{0x1c0 + 8 * n:03x}"
        parts.append(f"{key[0].upper()}{key[1:]}:({type_name})({address})")
    parts[2] = parts[2].replace("SeLinuxOptions", "SELinuxOptions")
    return "core.SecurityContext{" + ", ".join(parts) + "}"


def validate_seccomp_profile(profile: Any, path: str) -> list[FieldError]:
    if not isinstance(profile, Mapping):
        return []
    kind = _s(profile.get("type"))
    options = ("Localhost", "RuntimeDefault", "Unconfined")
    if not kind:
        return [required(f"{path}.type", "type is required when seccompProfile is set")]
    if kind not in options:
        return [not_supported(f"{path}.type", kind, options)]
    return []


def validate_container_common(container: Any, volumes: Mapping[str, Any], path: str
                              ) -> list[FieldError]:
    """validateContainerCommon: what regular, init and ephemeral containers share."""
    container = _d(container)
    errs: list[FieldError] = []
    name = _s(container.get("name"))
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs += validate_dns_label(name, f"{path}.name")
    if not _s(container.get("image")):
        errs.append(required(f"{path}.image"))
    policy = _s(container.get("terminationMessagePolicy"))
    if not policy:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif policy not in ("File", "FallbackToLogsOnError"):
        errs.append(not_supported(f"{path}.terminationMessagePolicy", policy,
                                  ("File", "FallbackToLogsOnError")))
    errs += validate_container_ports(container.get("ports"), f"{path}.ports")
    errs += validate_env(container.get("env"), f"{path}.env")
    errs += validate_env_from(container.get("envFrom"), f"{path}.envFrom")
    errs += validate_volume_mounts(container.get("volumeMounts"), volumes, container,
                                   f"{path}.volumeMounts")
    pull = _s(container.get("imagePullPolicy"))
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif pull not in PULL_POLICIES:
        errs.append(not_supported(f"{path}.imagePullPolicy", pull, PULL_POLICIES))
    errs += validate_resource_requirements(container.get("resources"), f"{path}.resources")
    errs += validate_security_context(container.get("securityContext"),
                                      f"{path}.securityContext")
    return errs


def validate_container_only_for_pod(container: Any, path: str) -> list[FieldError]:
    image = _s(_d(container).get("image"))
    if image != image.strip():
        return [invalid(f"{path}.image", image, "must not have leading or trailing whitespace")]
    return []

