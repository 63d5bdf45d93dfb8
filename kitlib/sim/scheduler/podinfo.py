"""A pod as the scheduler sees it: parsed once, then compared against every node.

framework.PodInfo: everything the filter and score plugins ask of a pod (its requests,
host ports, tolerations, node constraints, priority, the controller it belongs to) read
out of the JSON a single time per version of the pod, so that a scheduling cycle over a
hundred nodes touches no JSON at all.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from typing import Any

import orjson

from kitlib.sim.scheduler.affinity import (RequiredAffinity, Term, preferred_terms,
                                           required_affinity)
from kitlib.sim.scheduler.podterms import (PodTerms, SpreadConstraint, pod_terms,
                                           spread_constraints)
from kitlib.sim.scheduler.resources import Resource, pod_requests
from kitlib.sim.store.records import Record

JSON = dict[str, Any]

#: The controllers whose pods the default topology spreading (PodTopologySpread's system
#: defaults) keeps apart: those DefaultSelector finds (Services aside).
SPREAD_OWNERS = ("ReplicaSet", "ReplicationController", "StatefulSet")


@dataclass(frozen=True, slots=True)
class Toleration:
    key: str
    operator: str
    value: str
    effect: str

    def tolerates(self, key: str, value: str, effect: str) -> bool:
        """Toleration.ToleratesTaint (tolerationSeconds plays no part in scheduling)."""
        if self.effect and self.effect != effect:
            return False
        if self.key and self.key != key:
            return False
        if self.operator in ("", "Equal"):
            return self.value == value
        return self.operator == "Exists"


def tolerated(tolerations: tuple[Toleration, ...], key: str, value: str, effect: str) -> bool:
    for toleration in tolerations:
        if toleration.tolerates(key, value, effect):
            return True
    return False


#: Toleration lists seen before, shared: nearly every pod carries the same two defaults
#: (not-ready and unreachable), and ten thousand pending pods need not hold ten thousand
#: copies.  Bounded: cleared when full.
_TOLERATIONS: dict[tuple[tuple[str, str, str, str], ...], tuple[Toleration, ...]] = {}
_SHARED_LIMIT = 1024


def _tolerations(spec: JSON) -> tuple[Toleration, ...]:
    fields = tuple((str(t.get("key") or ""), str(t.get("operator") or ""),
                    str(t.get("value") or ""), str(t.get("effect") or ""))
                   for t in spec.get("tolerations") or [] if isinstance(t, dict))
    if not fields:
        return ()
    shared = _TOLERATIONS.get(fields)
    if shared is None:
        if len(_TOLERATIONS) >= _SHARED_LIMIT:
            _TOLERATIONS.clear()
        shared = _TOLERATIONS[fields] = tuple(Toleration(*f) for f in fields)
    return shared


def fingerprint(spec: JSON, labels: Any) -> bytes:
    """A digest of what scheduling reads of a pod (its spec and labels): a pending pod
    keeps these 16 bytes, not a parsed copy, to tell a real change from a status write."""
    data = orjson.dumps([spec, labels], option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(data, digest_size=16).digest()


def _host_ports(spec: JSON) -> tuple[tuple[str, str, int], ...]:
    """(hostIP, protocol, hostPort) of every container port bound on the host."""
    ports = []
    for container in spec.get("containers") or []:
        for port in (container.get("ports") or []) if isinstance(container, dict) else []:
            host_port = port.get("hostPort") if isinstance(port, dict) else None
            if isinstance(host_port, int) and host_port > 0:
                ports.append((str(port.get("hostIP") or "0.0.0.0"),
                              str(port.get("protocol") or "TCP"), host_port))
    return tuple(ports)


def _spread_owner(meta: JSON) -> str:
    for ref in meta.get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("controller") and ref.get("kind") in SPREAD_OWNERS:
            return str(ref.get("uid") or "")
    return ""


@dataclass(slots=True, eq=False)
class PodInfo:
    namespace: str
    name: str
    uid: str
    resource_version: str
    labels: dict[str, str]
    priority: int
    requests: Resource
    non_zero_cpu: int
    non_zero_memory: int
    ports: tuple[tuple[str, str, int], ...]
    tolerations: tuple[Toleration, ...]
    required: RequiredAffinity | None
    preferred: tuple[tuple[int, Term], ...]
    terms: PodTerms              # pod affinity and anti-affinity
    spread: tuple[SpreadConstraint, ...]
    owner: str                   # uid of the ReplicaSet/RC/StatefulSet that spreads it
    terminating: bool
    gated: bool
    preempt_never: bool
    node_name: str
    nominated: str               # status.nominatedNodeName: where it preempted pods
    #: The digest of the scheduling-relevant source (spec and labels), kept for pending
    #: pods only, so that an update can be told from the scheduler's own status writes.
    source: bytes | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.namespace, self.name)

    def reference(self) -> JSON:
        """The ObjectReference events carry (``regarding`` / ``involvedObject``)."""
        return {"kind": "Pod", "namespace": self.namespace, "name": self.name, "uid": self.uid,
                "apiVersion": "v1", "resourceVersion": self.resource_version}


def pod_info(obj: JSON, *, keep_source: bool = False, record: Record | None = None) -> PodInfo:
    """The pod ``obj``; given its ``record`` (the store's version it was parsed from), the
    PodInfo shares the record's name, namespace and labels instead of holding copies
    (never changed here: every PodInfo is read-only but for its resourceVersion)."""
    meta = obj.get("metadata") or {}
    spec = obj.get("spec") or {}
    non_zero = pod_requests(spec, non_zero=True)
    priority = spec.get("priority")
    if record is not None:
        namespace, name, labels = record.namespace, record.name, record.labels
    else:
        namespace, name = str(meta.get("namespace") or ""), str(meta.get("name") or "")
        labels = {str(k): str(v) for k, v in (meta.get("labels") or {}).items()}
    return PodInfo(
        namespace=namespace, name=name,
        # Interned: the kubelet and the controllers keep the same strings.
        uid=sys.intern(str(meta.get("uid") or "")),
        resource_version=str(meta.get("resourceVersion") or ""),
        labels=labels,
        priority=priority if isinstance(priority, int) else 0,
        requests=pod_requests(spec), non_zero_cpu=non_zero.cpu,
        non_zero_memory=non_zero.memory, ports=_host_ports(spec),
        tolerations=_tolerations(spec), required=required_affinity(spec),
        preferred=preferred_terms(spec), terms=pod_terms(spec, namespace, labels),
        spread=spread_constraints(spec, labels), owner=sys.intern(_spread_owner(meta)),
        terminating=bool(meta.get("deletionTimestamp")),
        gated=bool(spec.get("schedulingGates")),
        preempt_never=spec.get("preemptionPolicy") == "Never",
        node_name=sys.intern(str(spec.get("nodeName") or "")),
        nominated=str((obj.get("status") or {}).get("nominatedNodeName") or ""),
        source=fingerprint(spec, meta.get("labels")) if keep_source else None)
