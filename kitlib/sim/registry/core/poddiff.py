"""The diff a real server appends to "pod updates may not change fields other than ...".

kube-apiserver renders ``cmp.Diff(oldSpec, newSpec)`` of its internal ``core.PodSpec``:
Go field names in Go order, ``-``/``+`` lines for what changed, two fields of context
around each change and ``... // N identical fields`` for the rest.  This module rebuilds
that view from the wire form (field tables for the types learners change; other structs
fall back to their JSON keys) so the message reads like the real one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kitlib.sim.machinery.quantity import QuantityError, parse_quantity
from kitlib.sim.machinery.validation import go_quote
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]

# Field tables: (json key, Go name, kind).  Kinds: s i b (scalars), *s *i *b (pointers),
# ms (map[string]string), ls (slice of strings), rl (ResourceList), ios (IntOrString),
# T / *T / []T (struct types below), g (a struct we have no table for), =T (embedded).
_TYPES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "PodSpec": (
        ("volumes", "Volumes", "[]Volume"), ("initContainers", "InitContainers", "[]Container"),
        ("containers", "Containers", "[]Container"),
        ("ephemeralContainers", "EphemeralContainers", "[]g"),
        ("restartPolicy", "RestartPolicy", "s"),
        ("terminationGracePeriodSeconds", "TerminationGracePeriodSeconds", "*i"),
        ("activeDeadlineSeconds", "ActiveDeadlineSeconds", "*i"), ("dnsPolicy", "DNSPolicy", "s"),
        ("nodeSelector", "NodeSelector", "ms"), ("serviceAccountName", "ServiceAccountName", "s"),
        ("automountServiceAccountToken", "AutomountServiceAccountToken", "*b"),
        ("nodeName", "NodeName", "s"), ("securityContext", "SecurityContext", "*PodSecurityContext"),
        ("imagePullSecrets", "ImagePullSecrets", "[]LocalObjectReference"),
        ("hostname", "Hostname", "s"), ("subdomain", "Subdomain", "s"),
        ("setHostnameAsFQDN", "SetHostnameAsFQDN", "*b"), ("affinity", "Affinity", "*g"),
        ("schedulerName", "SchedulerName", "s"), ("tolerations", "Tolerations", "[]Toleration"),
        ("hostAliases", "HostAliases", "[]g"), ("priorityClassName", "PriorityClassName", "s"),
        ("priority", "Priority", "*i"), ("preemptionPolicy", "PreemptionPolicy", "*s"),
        ("dnsConfig", "DNSConfig", "*g"), ("readinessGates", "ReadinessGates", "[]g"),
        ("runtimeClassName", "RuntimeClassName", "*s"), ("overhead", "Overhead", "rl"),
        ("enableServiceLinks", "EnableServiceLinks", "*b"),
        ("topologySpreadConstraints", "TopologySpreadConstraints", "[]g"), ("os", "OS", "*g"),
        ("schedulingGates", "SchedulingGates", "[]g"),
        ("resourceClaims", "ResourceClaims", "[]g"), ("resources", "Resources", "*ResourceRequirements")),
    "Container": (
        ("name", "Name", "s"), ("image", "Image", "s"), ("command", "Command", "ls"),
        ("args", "Args", "ls"), ("workingDir", "WorkingDir", "s"),
        ("ports", "Ports", "[]ContainerPort"), ("envFrom", "EnvFrom", "[]g"),
        ("env", "Env", "[]EnvVar"), ("resources", "Resources", "ResourceRequirements"),
        ("resizePolicy", "ResizePolicy", "[]g"), ("restartPolicy", "RestartPolicy", "*s"),
        ("volumeMounts", "VolumeMounts", "[]VolumeMount"),
        ("volumeDevices", "VolumeDevices", "[]g"), ("livenessProbe", "LivenessProbe", "*Probe"),
        ("readinessProbe", "ReadinessProbe", "*Probe"), ("startupProbe", "StartupProbe", "*Probe"),
        ("lifecycle", "Lifecycle", "*g"), ("terminationMessagePath", "TerminationMessagePath", "s"),
        ("terminationMessagePolicy", "TerminationMessagePolicy", "s"),
        ("imagePullPolicy", "ImagePullPolicy", "s"), ("securityContext", "SecurityContext", "*g"),
        ("stdin", "Stdin", "b"), ("stdinOnce", "StdinOnce", "b"), ("tty", "TTY", "b")),
    "ContainerPort": (("name", "Name", "s"), ("hostPort", "HostPort", "i"),
                      ("containerPort", "ContainerPort", "i"), ("protocol", "Protocol", "s"),
                      ("hostIP", "HostIP", "s")),
    "EnvVar": (("name", "Name", "s"), ("value", "Value", "s"), ("valueFrom", "ValueFrom", "*g")),
    "VolumeMount": (("name", "Name", "s"), ("readOnly", "ReadOnly", "b"),
                    ("recursiveReadOnly", "RecursiveReadOnly", "*s"),
                    ("mountPath", "MountPath", "s"), ("subPath", "SubPath", "s"),
                    ("mountPropagation", "MountPropagation", "*s"),
                    ("subPathExpr", "SubPathExpr", "s")),
    "ResourceRequirements": (("limits", "Limits", "rl"), ("requests", "Requests", "rl"),
                             ("claims", "Claims", "[]g")),
    "Volume": (("name", "Name", "s"), ("", "VolumeSource", "=VolumeSource")),
    "VolumeSource": tuple((key, key[0].upper() + key[1:], "*g") for key in (
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
        "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "quobyte", "flexVolume",
        "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap",
        "vsphereVolume", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume",
        "scaleIO", "storageos", "csi", "ephemeral", "image")),
    "Probe": (("", "ProbeHandler", "=ProbeHandler"),
              ("initialDelaySeconds", "InitialDelaySeconds", "i"),
              ("timeoutSeconds", "TimeoutSeconds", "i"), ("periodSeconds", "PeriodSeconds", "i"),
              ("successThreshold", "SuccessThreshold", "i"),
              ("failureThreshold", "FailureThreshold", "i"),
              ("terminationGracePeriodSeconds", "TerminationGracePeriodSeconds", "*i")),
    "ProbeHandler": (("exec", "Exec", "*g"), ("httpGet", "HTTPGet", "*g"),
                     ("tcpSocket", "TCPSocket", "*g"), ("grpc", "GRPC", "*g")),
    "Toleration": (("key", "Key", "s"), ("operator", "Operator", "s"), ("value", "Value", "s"),
                   ("effect", "Effect", "s"), ("tolerationSeconds", "TolerationSeconds", "*i")),
    "LocalObjectReference": (("name", "Name", "s"),),
    "PodSecurityContext": (
        ("hostNetwork", "HostNetwork", "b"), ("hostPID", "HostPID", "b"),
        ("hostIPC", "HostIPC", "b"), ("shareProcessNamespace", "ShareProcessNamespace", "*b"),
        ("hostUsers", "HostUsers", "*b"), ("seLinuxOptions", "SELinuxOptions", "*g"),
        ("windowsOptions", "WindowsOptions", "*g"), ("runAsUser", "RunAsUser", "*i"),
        ("runAsGroup", "RunAsGroup", "*i"), ("runAsNonRoot", "RunAsNonRoot", "*b"),
        ("supplementalGroups", "SupplementalGroups", "li"),
        ("supplementalGroupsPolicy", "SupplementalGroupsPolicy", "*s"),
        ("fsGroup", "FSGroup", "*i"), ("fsGroupChangePolicy", "FSGroupChangePolicy", "*s"),
        ("sysctls", "Sysctls", "[]g"), ("seccompProfile", "SeccompProfile", "*g"),
        ("appArmorProfile", "AppArmorProfile", "*g"),
        ("seLinuxChangePolicy", "SELinuxChangePolicy", "*s")),
}
_ZERO = {"s": '""', "i": "0", "b": "false"}


@dataclass
class Node:
    """A Go value: kind "leaf", "ptr", "struct", "slice" or "map"."""

    kind: str
    type: str = ""                        # Go type, e.g. "core.Container", "[]string"
    text: str = ""                        # leaves: the literal
    items: list[tuple[str, Node]] = field(default_factory=list)

    def is_zero(self) -> bool:
        if self.kind == "leaf":
            return self.text in ('""', "0", "false", "nil")
        return self.kind == "struct" and all(v.is_zero() for _, v in self.items)

    def key(self) -> str:
        return self.text + "|".join(f"{k}={v.key()}" for k, v in self.items) + self.kind


def _leaf(kind: str, value: Any) -> Node:
    if value is None:
        return Node("leaf", text=_ZERO.get(kind, "nil"))
    if isinstance(value, bool):
        return Node("leaf", text="true" if value else "false")
    if isinstance(value, (int, float)):
        return Node("leaf", text=str(value))
    return Node("leaf", text=go_quote(str(value)))


_ACRONYMS = {"apiVersion": "APIVersion", "uid": "UID", "ip": "IP", "hostIP": "HostIP",
             "podIP": "PodIP", "fsType": "FSType", "httpGet": "HTTPGet", "tcpSocket": "TCPSocket",
             "grpc": "GRPC", "url": "URL", "pdID": "PdID", "iqn": "IQN"}


def _go_name(key: str) -> str:
    return _ACRONYMS.get(key) or key[:1].upper() + key[1:]


def _generic(value: Any) -> Node:
    """A struct without a table: its JSON keys as fields."""
    if isinstance(value, Mapping):
        return Node("struct", "", items=[(_go_name(k), _generic(v))
                                         for k, v in sorted(value.items())])
    if isinstance(value, list):
        return Node("slice", "", items=[("", _generic(v)) for v in value])
    return _leaf("", value)


def build(kind: str, value: Any) -> Node:
    """The Go view of a wire value of the given kind."""
    if kind.startswith("*"):
        inner = kind[1:]
        if value is None:
            return Node("leaf", text="nil")
        if inner in ("s", "i", "b"):
            return Node("ptr", items=[("", _leaf(inner, value))])
        return Node("ptr", f"*core.{inner}" if inner != "g" else "", items=[("", build(inner, value))])
    if kind in ("s", "i", "b"):
        return _leaf(kind, value)
    if kind in ("ls", "li"):
        if not isinstance(value, list) or not value:
            return Node("leaf", text="nil")
        return Node("slice", "[]string" if kind == "ls" else "[]int64",
                    items=[("", _leaf("s" if kind == "ls" else "i", v)) for v in value])
    if kind in ("ms", "rl"):
        if not isinstance(value, Mapping) or not value:
            return Node("leaf", text="nil")
        prefix = "s" if kind == "rl" else ""
        return Node("map", "map[string]string" if kind == "ms" else "core.ResourceList",
                    items=[(prefix + go_quote(str(k)), _quantity(v) if kind == "rl" else _leaf("s", v))
                           for k, v in sorted(value.items())])
    if kind.startswith("[]"):
        if not isinstance(value, list) or not value:
            return Node("leaf", text="nil")
        inner = kind[2:]
        return Node("slice", f"[]core.{inner}" if inner != "g" else "",
                    items=[("", build(inner, v)) for v in value])
    if kind == "g":
        return _generic(value)
    table = _TYPES[kind]
    value = value if isinstance(value, Mapping) else {}
    items = []
    for key, go_name, sub in table:
        items.append((go_name, build(sub[1:], value) if sub.startswith("=") else
                      build(sub, value.get(key))))
    return Node("struct", f"core.{kind}", items=items)


def _quantity(value: Any) -> Node:
    """resource.Quantity's unexported innards, as cmp shows them."""
    try:
        quantity = parse_quantity(value)
    except QuantityError:
        return _leaf("s", value)
    milli = quantity.value * 1000
    scale, number = (-3, milli.numerator) if milli.denominator == 1 and milli.numerator % 1000 \
        else (0, quantity.value_int())
    amount = Node("struct", "", items=[("value", _leaf("i", number)), ("scale", _leaf("i", scale))])
    return Node("struct", "", items=[("i", amount), ("s", _leaf("s", str(quantity))),
                                     ("Format", _leaf("s", quantity.format))])


def compact(node: Node, *, typed: bool = False) -> str:
    if node.kind == "leaf":
        return node.text
    if node.kind == "ptr":
        return "&" + compact(node.items[0][1], typed=typed)
    inner = ", ".join((f"{k}: {compact(v)}" if k else compact(v)) for k, v in node.items
                      if node.kind != "struct" or not v.is_zero())
    return f"{node.type if typed else ''}{{{inner}}}"


def pod_spec_view(spec: Any) -> Node:
    """The internal core.PodSpec: host namespaces live in its security context."""
    spec = dict(spec) if isinstance(spec, Mapping) else {}
    context = dict(d(spec.get("securityContext")))
    for key in ("hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "hostUsers"):
        if key in spec:
            context[key] = spec[key]
    spec["securityContext"] = context if context or "securityContext" in spec else None
    return build("PodSpec", spec)


def _kind_word(node: Node) -> str:
    return {"struct": "fields", "slice": "elements", "map": "entries"}.get(node.kind, "fields")


def diff_lines(old: Node, new: Node, depth: int) -> list[tuple[str, str, str]]:
    """Records (marker, key, value) inside a composite; nested composites expand."""
    records: list[tuple[str, str, str]] = []
    pairs = _pairs(old, new)
    groups: list[list[tuple[str, Node | None, Node | None]]] = []
    for pair in pairs:
        same = pair[1] is not None and pair[2] is not None and pair[1].key() == pair[2].key()
        if groups and (groups[-1][0][1] is not None and groups[-1][0][2] is not None
                       and groups[-1][0][1].key() == groups[-1][0][2].key()) == same and same:
            groups[-1].append(pair)
        else:
            groups.append([pair])
    word = _kind_word(old if old.kind != "leaf" else new)
    for gi, group in enumerate(groups):
        first = group[0]
        if first[1] is not None and first[2] is not None and first[1].key() == first[2].key():
            lo = 0 if gi == 0 else min(2, len(group))
            hi = 0 if gi == len(groups) - 1 else min(2, len(group) - lo)
            if len(group) - lo - hi == 1:
                hi += 1
            for key, value, _ in group[:lo]:
                records.append((" ", key, compact(value)))
            if len(group) > lo + hi:
                records.append(("...", "", f"... // {len(group) - lo - hi} identical {word}"))
            for key, value, _ in group[len(group) - hi:]:
                records.append((" ", key, compact(value)))
            continue
        key, before, after = first
        if (before is not None and after is not None and before.kind == after.kind
                and before.kind in ("struct", "slice", "map", "ptr")):
            opener = (("&" + (before.items[0][1].type or "")) if before.kind == "ptr"
                      else (before.type if depth == 0 or key else ""))
            inner_old = before.items[0][1] if before.kind == "ptr" else before
            inner_new = after.items[0][1] if after.kind == "ptr" else after
            if inner_old.kind in ("struct", "slice", "map") and inner_old.kind == inner_new.kind:
                records.append((" ", key, opener + "{"))
                records += [(m, k, "\t" + v if m != "..." else "\t" + v)
                            for m, k, v in diff_lines(inner_old, inner_new, depth + 1)]
                records.append((" ", "", "}"))
                continue
        if before is not None:
            records.append(("-", key, compact(before, typed=True)))
        if after is not None:
            records.append(("+", key, compact(after, typed=True)))
    return records


def _pairs(old: Node, new: Node) -> list[tuple[str, Node | None, Node | None]]:
    if old.kind == "struct" and new.kind == "struct":
        return [(k, v, w) for (k, v), (_, w) in zip(old.items, new.items)]
    if old.kind == "map" and new.kind == "map":
        keys = sorted({k for k, _ in old.items} | {k for k, _ in new.items})
        left, right = dict(old.items), dict(new.items)
        return [(k, left.get(k), right.get(k)) for k in keys]
    before, after = [v for _, v in old.items], [v for _, v in new.items]
    if len(before) == len(after):
        return [("", v, w) for v, w in zip(before, after)]
    start = 0
    while start < min(len(before), len(after)) and before[start].key() == after[start].key():
        start += 1
    end = 0
    while (end < min(len(before), len(after)) - start
           and before[-1 - end].key() == after[-1 - end].key()):
        end += 1
    pairs = [("", v, v) for v in before[:start]]
    pairs += [("", v, None) for v in before[start:len(before) - end]]
    pairs += [("", None, w) for w in after[start:len(after) - end]]
    return pairs + [("", v, v) for v in after[len(after) - end:]]


def render(old_spec: Any, new_spec: Any) -> str:
    """cmp.Diff(old, new) of two pod specs, as the real message embeds it."""
    records = diff_lines(pod_spec_view(old_spec), pod_spec_view(new_spec), 0)
    lines = ["  core.PodSpec{"]
    width = 0
    for i, (marker, key, value) in enumerate(records):
        tabs = len(value) - len(value.lstrip("\t"))
        text = value.lstrip("\t")
        if marker == "...":
            lines.append("  " + "\t" * (tabs + 1) + text)
            continue
        if key:
            # Align the values of consecutive one-line records at the same depth.
            width = max(len(k) for m, k, v in _run(records, i) if k) if text[-1:] != "{" else 0
            label = f"{key}:" + " " * (max(width - len(key), 0) + 1)
            line = label + (text if text.endswith("{") else text + ",")
        else:
            line = text if text.endswith("{") else text + ","
        prefix = {"-": "- ", "+": "+ "}.get(marker, "  ")
        lines.append(prefix + "\t" * (tabs + 1) + line)
    lines.append("  }")
    return "\n".join(lines) + "\n"


def _run(records: list[tuple[str, str, str]], index: int) -> list[tuple[str, str, str]]:
    def one_line(record: tuple[str, str, str]) -> bool:
        return record[0] != "..." and not record[2].endswith("{") and record[2].strip("\t") != "}"

    depth = len(records[index][2]) - len(records[index][2].lstrip("\t"))

    def same(record: tuple[str, str, str]) -> bool:
        return one_line(record) and len(record[2]) - len(record[2].lstrip("\t")) == depth

    start = index
    while start > 0 and same(records[start - 1]):
        start -= 1
    end = index
    while end + 1 < len(records) and same(records[end + 1]):
        end += 1
    return records[start:end + 1]
