"""Validation of a PodSpec and a PodTemplateSpec (ValidatePodSpec, ValidatePodTemplateSpec).

Used by Pods and by every controller with a pod template.  The checks run in the order Go
runs them, so that a manifest with several mistakes lists them in the same order as a real
server's 422 message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import (FieldError, forbidden, invalid, not_supported,
                                         required)
from kitlib.sim.machinery.validation import (go_string_slice, inclusive_range_error,
                                             invalid_go, is_dns1123_label,
                                             is_dns1123_subdomain, is_label_value,
                                             name_is_dns_subdomain,
                                             validate_annotations, validate_ip,
                                             validate_label_name, validate_label_selector,
                                             validate_labels)
from kitlib.sim.registry.core.containers import (host_port_conflicts,
                                                 validate_container_common,
                                                 validate_container_only_for_pod,
                                                 validate_dns_label, validate_lifecycle,
                                                 validate_probe, validate_seccomp_profile)
from kitlib.sim.registry.core.volumes import validate_volumes

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_MAX_INT32 = 2147483647


def _d(value: Any) -> Mapping[str, Any]:
    # A dict first: the ABC check is slow, and this runs for every field.
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def _l(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _s(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _name_errors(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in name_is_dns_subdomain(value)]


def _validate_containers(containers: list[Any], volumes: Mapping[str, Any], grace: Any,
                         path: str) -> list[FieldError]:
    if not containers:
        return [required(path)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        ipath = f"{path}[{i}]"
        errs += validate_container_common(container, volumes, ipath)
        container = _d(container)
        name = _s(container.get("name"))
        if name in names:
            errs.append(FieldError("FieldValueDuplicate", f"{ipath}.name", name))
        names.add(name)
        if isinstance(container.get("lifecycle"), Mapping):
            errs += validate_lifecycle(container["lifecycle"], grace, f"{ipath}.lifecycle")
        for probe in _PROBES:
            errs += validate_probe(container.get(probe), probe, grace, f"{ipath}.{probe}")
        if container.get("restartPolicy") is not None:
            errs.append(forbidden(f"{ipath}.restartPolicy", "may not be set for non-init "
                                                            "containers"))
    return errs + host_port_conflicts(containers, path, set())


def _validate_init_containers(inits: list[Any], regular: list[Any], volumes: Mapping[str, Any],
                              grace: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names = {_s(_d(c).get("name")) for c in regular}
    for i, container in enumerate(inits):
        ipath = f"{path}[{i}]"
        errs += validate_container_common(container, volumes, ipath)
        container = _d(container)
        policy = container.get("restartPolicy")
        if policy is not None and policy != "Always":
            errs.append(not_supported(f"{ipath}.restartPolicy", policy, ("Always",)))
        name = _s(container.get("name"))
        if name in names:
            errs.append(FieldError("FieldValueDuplicate", f"{ipath}.name", name))
        elif name:
            names.add(name)
        errs += host_port_conflicts([container], path, set())
        if policy == "Always":
            if isinstance(container.get("lifecycle"), Mapping):
                errs += validate_lifecycle(container["lifecycle"], grace, f"{ipath}.lifecycle")
            for probe in _PROBES:
                errs += validate_probe(container.get(probe), probe, grace, f"{ipath}.{probe}")
        else:
            for key in ("lifecycle", *_PROBES):
                if container.get(key) is not None:
                    errs.append(forbidden(f"{ipath}.{key}", "may not be set for init "
                                                            "containers without restartPolicy=Always"))
    return errs


def validate_tolerations(tolerations: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, toleration in enumerate(_l(tolerations)):
        toleration, ipath = _d(toleration), f"{path}[{i}]"
        key, operator = _s(toleration.get("key")), _s(toleration.get("operator"))
        value, effect = _s(toleration.get("value")), _s(toleration.get("effect"))
        if key:
            errs += validate_label_name(key, f"{ipath}.key")
        if not key and operator != "Exists":
            errs.append(invalid(f"{ipath}.operator", operator, "operator must be Exists when "
                                "`key` is empty, which means \"match all values and all keys\""))
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid(f"{ipath}.effect", effect,
                                "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if operator in ("Equal", ""):
            msgs = is_label_value(value)
            if msgs:
                errs.append(invalid(f"{ipath}.operator", value, ";".join(msgs)))
        elif operator == "Exists":
            if value:
                errs.append(invalid(f"{ipath}.operator", value,
                                    "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(f"{ipath}.operator", operator, ("Equal", "Exists")))
        if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
            errs.append(not_supported(f"{ipath}.effect", effect,
                                      ("NoSchedule", "PreferNoSchedule", "NoExecute")))
    return errs


def _validate_node_selector_terms(terms: Any, path: str) -> list[FieldError]:
    if not _l(terms):
        return [required(path, "must have at least one node selector term")]
    errs: list[FieldError] = []
    for i, term in enumerate(terms):
        for j, req in enumerate(_l(_d(term).get("matchExpressions"))):
            req, rpath = _d(req), f"{path}[{i}].matchExpressions[{j}]"
            operator, values = _s(req.get("operator")), _l(req.get("values"))
            if operator in ("In", "NotIn") and not values:
                errs.append(required(f"{rpath}.values", "must be specified when `operator` is "
                                                        "'In' or 'NotIn'"))
            elif operator in ("Exists", "DoesNotExist") and values:
                errs.append(forbidden(f"{rpath}.values", "may not be specified when `operator`"
                                                         " is 'Exists' or 'DoesNotExist'"))
            elif operator in ("Gt", "Lt") and len(values) != 1:
                errs.append(required(f"{rpath}.values", "must be specified single value when "
                                                        "`operator` is 'Lt' or 'Gt'"))
            elif operator not in ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"):
                errs.append(invalid(f"{rpath}.operator", operator,
                                    "not a valid selector operator"))
            errs += validate_label_name(_s(req.get("key")), f"{rpath}.key")
    return errs


def _validate_affinity(affinity: Any, path: str) -> list[FieldError]:
    affinity = _d(affinity)
    errs: list[FieldError] = []
    node = _d(affinity.get("nodeAffinity"))
    hard = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(hard, Mapping):
        npath = f"{path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        errs += _validate_node_selector_terms(hard.get("nodeSelectorTerms"),
                                              f"{npath}.nodeSelectorTerms")
    for kind in ("podAffinity", "podAntiAffinity"):
        rules = _d(affinity.get(kind))
        hpath = f"{path}.{kind}.requiredDuringSchedulingIgnoredDuringExecution"
        for i, term in enumerate(_l(rules.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            errs += _validate_pod_affinity_term(_d(term), f"{hpath}[{i}]")
        spath = f"{path}.{kind}.preferredDuringSchedulingIgnoredDuringExecution"
        for i, weighted in enumerate(_l(rules.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            weight = _d(weighted).get("weight", 0)
            if isinstance(weight, int) and not 1 <= weight <= 100:
                errs.append(invalid(f"{spath}[{i}].weight", weight, "must be in the range 1-100"))
            errs += _validate_pod_affinity_term(_d(_d(weighted).get("podAffinityTerm")),
                                                f"{spath}[{i}].podAffinityTerm")
    return errs


def _validate_pod_affinity_term(term: Mapping[str, Any], path: str) -> list[FieldError]:
    errs = validate_label_selector(term.get("labelSelector"), f"{path}.labelSelector")
    errs += validate_label_selector(term.get("namespaceSelector"), f"{path}.namespaceSelector")
    for namespace in _l(term.get("namespaces")):
        errs += [invalid(f"{path}.namespace", namespace, msg)
                 for msg in is_dns1123_label(str(namespace))]
    if not _s(term.get("topologyKey")):
        errs.append(required(f"{path}.topologyKey", "can not be empty"))
    else:
        errs += validate_label_name(term["topologyKey"], f"{path}.topologyKey")
    return errs


def _validate_dns_config(config: Any, policy: str, path: str) -> list[FieldError]:
    if policy == "None":
        if not isinstance(config, Mapping):
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not _l(config.get("nameservers")):
            return [required(f"{path}.nameservers", "must provide at least one DNS nameserver "
                                                    "when `dnsPolicy` is None")]
    if not isinstance(config, Mapping):
        return []
    errs: list[FieldError] = []
    nameservers = _l(config.get("nameservers"))
    if len(nameservers) > 3:
        errs.append(invalid_go(f"{path}.nameservers", go_string_slice(nameservers),
                               "must not have more than 3 nameservers"))
    for i, server in enumerate(nameservers):
        errs += validate_ip(str(server), f"{path}.nameservers[{i}]")
    for i, search in enumerate(_l(config.get("searches"))):
        search = str(search).removesuffix(".")
        errs += [invalid(f"{path}.searches[{i}]", search, msg)
                 for msg in is_dns1123_subdomain(search)]
    for i, option in enumerate(_l(config.get("options"))):
        if not _d(option).get("name"):
            errs.append(required(f"{path}.options[{i}]", "must not be empty"))
    return errs


def _validate_pod_security_context(context: Any, path: str) -> list[FieldError]:
    context = _d(context)
    errs: list[FieldError] = []
    for key in ("fsGroup", "runAsUser", "runAsGroup"):
        value = context.get(key)
        if isinstance(value, int) and not 0 <= value <= 0xFFFFFFFF:
            errs.append(invalid(f"{path}.{key}", value, inclusive_range_error(0, 4294967295)))
    for i, gid in enumerate(_l(context.get("supplementalGroups"))):
        if isinstance(gid, int) and not 0 <= gid <= 0xFFFFFFFF:
            errs.append(invalid(f"{path}.supplementalGroups[{i}]", gid,
                                inclusive_range_error(0, 4294967295)))
    policy = context.get("fsGroupChangePolicy")
    if policy is not None and policy not in ("Always", "OnRootMismatch"):
        errs.append(not_supported(f"{path}.fsGroupChangePolicy", policy,
                                  ("Always", "OnRootMismatch")))
    errs += validate_seccomp_profile(context.get("seccompProfile"), f"{path}.seccompProfile")
    return errs


def validate_pod_spec(spec: Any, path: str = "spec", *, is_pod: bool) -> list[FieldError]:
    """ValidatePodSpec: everything but the rules that depend on the kind holding the spec."""
    spec = _d(spec)
    errs: list[FieldError] = []
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    volumes, volume_errs = validate_volumes(spec.get("volumes"), f"{path}.volumes")
    errs += volume_errs
    containers, inits = _l(spec.get("containers")), _l(spec.get("initContainers"))
    errs += _validate_containers(containers, volumes, grace, f"{path}.containers")
    errs += _validate_init_containers(inits, containers, volumes, grace,
                                      f"{path}.initContainers")
    if spec.get("hostNetwork") is True:
        for i, container in enumerate(containers):
            for j, port in enumerate(_l(_d(container).get("ports"))):
                port = _d(port)
                host, container_port = port.get("hostPort", 0), port.get("containerPort", 0)
                if (is_pod or host) and host != container_port:
                    errs.append(invalid(f"{path}.containers[{i}].ports[{j}].hostPort", host,
                                        "must match `containerPort` when `hostNetwork` is true"))
    restart = _s(spec.get("restartPolicy"))
    if not restart:
        errs.append(required(f"{path}.restartPolicy"))
    elif restart not in ("Always", "OnFailure", "Never"):
        errs.append(not_supported(f"{path}.restartPolicy", restart,
                                  ("Always", "OnFailure", "Never")))
    dns_policy = _s(spec.get("dnsPolicy"))
    dns_policies = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
    if not dns_policy:
        errs.append(required(f"{path}.dnsPolicy"))
    elif dns_policy not in dns_policies:
        errs.append(not_supported(f"{path}.dnsPolicy", dns_policy, dns_policies))
    errs += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    errs += _validate_pod_security_context(spec.get("securityContext"), f"{path}.securityContext")
    errs += _validate_affinity(spec.get("affinity"), f"{path}.affinity")
    errs += _validate_dns_config(spec.get("dnsConfig"), dns_policy, f"{path}.dnsConfig")
    for i, gate in enumerate(_l(spec.get("readinessGates"))):
        errs += validate_label_name(_s(_d(gate).get("conditionType")),
                                    f"{path}.readinessGates[{i}].conditionType")
    seen_gates: set[str] = set()
    for i, gate in enumerate(_l(spec.get("schedulingGates"))):
        name = _s(_d(gate).get("name"))
        errs += validate_label_name(name, f"{path}.schedulingGates[{i}]")
        if name in seen_gates:
            errs.append(FieldError("FieldValueDuplicate", f"{path}.schedulingGates[{i}]", name))
        seen_gates.add(name)
    errs += _validate_topology_spread(spec.get("topologySpreadConstraints"),
                                      f"{path}.topologySpreadConstraints")
    for key in ("serviceAccountName", "nodeName"):
        if _s(spec.get(key)):
            errs += _name_errors(spec[key], f"{path}.{key}")
    deadline = spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int) and not 1 <= deadline <= _MAX_INT32:
        errs.append(invalid(f"{path}.activeDeadlineSeconds", deadline,
                            inclusive_range_error(1, _MAX_INT32)))
    for key in ("hostname", "subdomain"):
        if _s(spec.get(key)):
            errs += validate_dns_label(spec[key], f"{path}.{key}")
    errs += validate_tolerations(spec.get("tolerations"), f"{path}.tolerations")
    for i, alias in enumerate(_l(spec.get("hostAliases"))):
        alias = _d(alias)
        errs += validate_ip(_s(alias.get("ip")), f"{path}.hostAliases[{i}].ip")
        for j, hostname in enumerate(_l(alias.get("hostnames"))):
            errs += [invalid(f"{path}.hostAliases[{i}].hostnames[{j}]", hostname, msg)
                     for msg in is_dns1123_subdomain(str(hostname))]
    for key in ("priorityClassName", "runtimeClassName"):
        if _s(spec.get(key)):
            errs += _name_errors(spec[key], f"{path}.{key}")
    preemption = spec.get("preemptionPolicy")
    if preemption is not None and preemption not in ("PreemptLowerPriority", "Never"):
        errs.append(not_supported(f"{path}.preemptionPolicy", preemption,
                                  ("PreemptLowerPriority", "Never")))
    os_field = spec.get("os")
    if isinstance(os_field, Mapping):
        os_name = _s(os_field.get("name"))
        if not os_name:
            errs.append(required(f"{path}.os.name", "cannot be empty"))
        elif os_name not in ("linux", "windows"):
            errs.append(not_supported(f"{path}.os", os_name, ("linux", "windows")))
    return errs


def _validate_topology_spread(constraints: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    items = _l(constraints)
    for i, constraint in enumerate(items):
        constraint, ipath = _d(constraint), f"{path}[{i}]"
        skew = constraint.get("maxSkew", 0)
        if isinstance(skew, int) and skew <= 0:
            errs.append(invalid(f"{ipath}.maxSkew", skew, "must be greater than zero"))
        if not _s(constraint.get("topologyKey")):
            errs.append(required(f"{ipath}.topologyKey", "can not be empty"))
        action = _s(constraint.get("whenUnsatisfiable"))
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(not_supported(f"{ipath}.whenUnsatisfiable", action,
                                      ("DoNotSchedule", "ScheduleAnyway")))
        for other in items[i + 1:]:
            other = _d(other)
            if (other.get("topologyKey") == constraint.get("topologyKey")
                    and other.get("whenUnsatisfiable") == action):
                errs.append(FieldError("FieldValueDuplicate",
                                       f"{ipath}.{{topologyKey, whenUnsatisfiable}}",
                                       f"{{{constraint.get('topologyKey', '')}, {action}}}"))
                break
        errs += validate_label_selector(constraint.get("labelSelector"),
                                        f"{ipath}.labelSelector")
    return errs


def validate_pod_specific_annotations(annotations: Any, spec: Any,
                                      path: str) -> list[FieldError]:
    annotations, spec = _d(annotations), _d(spec)
    errs: list[FieldError] = []
    if "kubernetes.io/config.mirror" in annotations and not _s(spec.get("nodeName")):
        errs.append(invalid(f"{path}[kubernetes.io/config.mirror]",
                            annotations["kubernetes.io/config.mirror"],
                            "must set spec.nodeName if mirror pod annotation is set"))
    cost = annotations.get("controller.kubernetes.io/pod-deletion-cost")
    if cost is not None:
        text = str(cost)
        try:
            ok = text.strip() == text and -2**31 <= int(text) < 2**31
        except ValueError:
            ok = False
        if not ok:
            errs.append(invalid(f"{path}[controller.kubernetes.io/pod-deletion-cost]", text,
                                "must be a 32bit integer"))
    prefix = "container.apparmor.security.beta.kubernetes.io/"
    names = {_s(_d(c).get("name")) for key in ("containers", "initContainers",
                                              "ephemeralContainers")
             for c in _l(spec.get(key))}
    for key, value in annotations.items():
        if not str(key).startswith(prefix):
            continue
        container = str(key)[len(prefix):]
        if container not in names:
            errs.append(invalid(f"{path}[{key}]", container, "container not found"))
        profile = str(value)
        if profile not in ("", "runtime/default", "unconfined") \
                and not profile.startswith("localhost/"):
            errs.append(invalid(f"{path}[{key}]", profile,
                                f"invalid AppArmor profile name: \"{profile}\""))
    return errs


def validate_pod_template_spec(template: Any, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpec: the template's labels, annotations and spec."""
    template = _d(template)
    meta, spec = _d(template.get("metadata")), template.get("spec")
    errs = validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += validate_pod_specific_annotations(meta.get("annotations"), spec,
                                              f"{path}.annotations")
    errs += validate_pod_spec(spec, f"{path}.spec", is_pod=False)
    if _l(_d(spec).get("ephemeralContainers")):
        errs.append(forbidden(f"{path}.spec.ephemeralContainers",
                              "ephemeral containers not allowed in pod template"))
    return errs


def validate_controller_template(template: Any, path: str, *, owner: str) -> list[FieldError]:
    """A ReplicaSet's or ReplicationController's template: it must restart forever."""
    errs = validate_pod_template_spec(template, path)
    spec = _d(_d(template).get("spec"))
    restart = _s(spec.get("restartPolicy"))
    if restart != "Always":
        errs.append(not_supported(f"{path}.spec.restartPolicy", restart, ("Always",)))
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden(f"{path}.spec.activeDeadlineSeconds",
                              f"activeDeadlineSeconds in {owner} is not Supported"))
    return errs


def validate_containers_only_for_pod(spec: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in ("containers", "initContainers"):
        for i, container in enumerate(_l(_d(spec).get(key))):
            errs += validate_container_only_for_pod(container, f"{path}.{key}[{i}]")
    return errs
