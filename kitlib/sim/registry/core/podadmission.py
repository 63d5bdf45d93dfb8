"""The mutating admission plugins a kubeadm cluster runs on every new Pod.

They are not defaulting, but their effects are in every ``kubectl get pod -o yaml`` a
learner sees: the ``default`` service account and its ``kube-api-access-xxxxx`` token
volume (ServiceAccount), the two 300-second tolerations (DefaultTolerationSeconds), and
``priority: 0`` with ``preemptionPolicy: PreemptLowerPriority`` (Priority).  Plugins that
need other objects (a named PriorityClass, a ServiceAccount's automount setting) use
the built-in answers a fresh cluster gives.
"""

from __future__ import annotations

import random
from typing import Any

from kitlib.sim.machinery.errors import Forbidden
from kitlib.sim.registry.core.jsonish import d, l

JSON = dict[str, Any]

TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_VOLUME_PREFIX = "kube-api-access-"
#: The alphabet of names.SimpleNameGenerator: no vowels, no look-alike digits.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
#: The system PriorityClasses every cluster has; others would need the store.
SYSTEM_PRIORITIES = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}


def random_suffix(rng: random.Random, length: int = 5) -> str:
    return "".join(rng.choice(NAME_ALPHABET) for _ in range(length))


def _token_volume(name: str) -> JSON:
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt",
                       "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
            "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}}


def admit_service_account(pod: JSON, *, rng: random.Random, mount_token: bool = True) -> None:
    """ServiceAccount admission, on create: the default account and its token volume."""
    spec = pod.setdefault("spec", {})
    annotations = d(d(pod.get("metadata")).get("annotations"))
    if "kubernetes.io/config.mirror" in annotations:
        return
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = "default"
    spec["serviceAccount"] = spec["serviceAccountName"]
    if not mount_token or spec.get("automountServiceAccountToken") is False:
        return
    volumes = spec.get("volumes") if isinstance(spec.get("volumes"), list) else []
    existing = [v.get("name") for v in volumes
                if isinstance(v, dict) and str(v.get("name", "")).startswith(TOKEN_VOLUME_PREFIX)]
    name = existing[0] if existing else TOKEN_VOLUME_PREFIX + random_suffix(rng)
    needed = False
    for key in ("initContainers", "containers"):
        for container in l(spec.get(key)):
            if not isinstance(container, dict):
                continue
            mounts = container.get("volumeMounts")
            mounts = mounts if isinstance(mounts, list) else []
            if any(isinstance(m, dict) and m.get("mountPath") == TOKEN_MOUNT_PATH
                   for m in mounts):
                continue
            container["volumeMounts"] = [*mounts, {"name": name, "readOnly": True,
                                                   "mountPath": TOKEN_MOUNT_PATH}]
            needed = True
    if needed and not existing:
        spec["volumes"] = [*volumes, _token_volume(name)]


def admit_default_tolerations(pod: JSON) -> None:
    """DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for five minutes."""
    spec = pod.setdefault("spec", {})
    tolerations = spec.get("tolerations") if isinstance(spec.get("tolerations"), list) else []
    wanted = {"node.kubernetes.io/not-ready": False, "node.kubernetes.io/unreachable": False}
    for toleration in tolerations:
        if not isinstance(toleration, dict):
            continue
        key, effect = toleration.get("key") or "", toleration.get("effect") or ""
        for taint in wanted:
            if key in (taint, "") and effect in ("NoExecute", ""):
                wanted[taint] = True
    added = [{"key": taint, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
             for taint, tolerated in wanted.items() if not tolerated]
    if added:
        spec["tolerations"] = [*tolerations, *added]


def admit_priority(pod: JSON, *, old: JSON | None = None) -> None:
    """Priority admission: resolve the priority from the class; keep it on updates."""
    spec = pod.setdefault("spec", {})
    if old is not None:
        old_spec = d(old.get("spec"))
        for key in ("priority", "preemptionPolicy"):
            if spec.get(key) is None and old_spec.get(key) is not None:
                spec[key] = old_spec[key]
        return
    class_name = spec.get("priorityClassName") or ""
    name = d(pod.get("metadata")).get("name", "")
    if class_name and class_name not in SYSTEM_PRIORITIES:
        _forbid(name, f"no PriorityClass with name {class_name} was found")
    priority = SYSTEM_PRIORITIES.get(class_name, 0)
    if spec.get("priority") is not None and spec["priority"] != priority:
        _forbid(name, f"the integer value of priority ({spec['priority']}) must not be provided "
                      f"in pod spec; priority admission controller computed {priority} from the "
                      "given PriorityClass name")
    spec["priority"] = priority
    policy = spec.get("preemptionPolicy")
    if policy is not None and policy != "PreemptLowerPriority":
        _forbid(name, f"the string value of PreemptionPolicy ({policy}) must not be provided in "
                      "pod spec; priority admission controller computed PreemptLowerPriority "
                      "from the given PriorityClass name")
    spec["preemptionPolicy"] = "PreemptLowerPriority"


def _forbid(name: str, reason: str) -> None:
    raise Forbidden(f'pods "{name}" is forbidden: {reason}',
                    details={"name": name, "kind": "pods"})
