"""A pod's rules about *other pods*: pod (anti-)affinity terms and topology spread constraints.

Both name other pods by a label selector (plus ``matchLabelKeys``: keys whose values are
copied from the pod's own labels, as the scheduler merges them in 1.32) and group nodes
into topology domains by a node label (``kubernetes.io/hostname``,
``topology.kubernetes.io/zone``...).  They are parsed once per pod, like the rest of
``PodInfo``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from kitlib.sim.machinery.errors import StatusError
from kitlib.sim.machinery.labels import NOTHING, LabelSelector, Requirement, from_label_selector

JSON = dict[str, Any]
#: A namespace's labels, by name (namespaceSelector needs them).
NamespaceLabels = Callable[[str], Mapping[str, str]]


def _selector(raw: Any, *, labels: Mapping[str, str], match_keys: Any = None,
              mismatch_keys: Any = None) -> LabelSelector:
    """metav1.LabelSelectorAsSelector, with matchLabelKeys / mismatchLabelKeys merged in."""
    try:
        selector = from_label_selector(raw if isinstance(raw, dict) else None)
    except StatusError:
        return NOTHING
    if selector.nothing:
        return selector
    extra = [Requirement(k, "in", (labels[k],)) for k in match_keys or [] if k in labels]
    extra += [Requirement(k, "notin", (labels[k],)) for k in mismatch_keys or [] if k in labels]
    return LabelSelector(selector.requirements + tuple(extra)) if extra else selector


@dataclass(frozen=True, slots=True)
class AffinityTerm:
    """framework.AffinityTerm: which pods, in which namespaces, grouped by which node label."""

    selector: LabelSelector
    namespaces: frozenset[str]
    namespace_selector: LabelSelector      # NOTHING when the term has none
    topology_key: str

    def matches(self, namespace: str, labels: Mapping[str, str],
                namespace_labels: NamespaceLabels) -> bool:
        if namespace in self.namespaces or (
                not self.namespace_selector.nothing
                and self.namespace_selector.matches(namespace_labels(namespace))):
            return self.selector.matches(labels)
        return False


def _term(raw: Any, namespace: str, labels: Mapping[str, str]) -> AffinityTerm | None:
    if not isinstance(raw, dict):
        return None
    names = raw.get("namespaces") or []
    ns_selector_raw = raw.get("namespaceSelector")
    namespaces = frozenset(str(n) for n in names) if names or ns_selector_raw is not None \
        else frozenset({namespace})
    try:
        ns_selector = from_label_selector(ns_selector_raw) if isinstance(ns_selector_raw, dict) \
            else NOTHING
    except StatusError:
        ns_selector = NOTHING
    return AffinityTerm(_selector(raw.get("labelSelector"), labels=labels,
                                  match_keys=raw.get("matchLabelKeys"),
                                  mismatch_keys=raw.get("mismatchLabelKeys")),
                        namespaces, ns_selector, str(raw.get("topologyKey") or ""))


@dataclass(frozen=True, slots=True)
class PodTerms:
    """The inter-pod affinity terms of one pod (empty tuples when it has none)."""

    affinity: tuple[AffinityTerm, ...] = ()
    anti_affinity: tuple[AffinityTerm, ...] = ()
    preferred_affinity: tuple[tuple[int, AffinityTerm], ...] = ()
    preferred_anti_affinity: tuple[tuple[int, AffinityTerm], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.affinity or self.anti_affinity or self.preferred_affinity
                    or self.preferred_anti_affinity)


#: The terms of a pod without any (shared: PodTerms is immutable).
NO_TERMS = PodTerms()


def pod_terms(spec: JSON, namespace: str, labels: Mapping[str, str]) -> PodTerms:
    affinity = spec.get("affinity") if isinstance(spec.get("affinity"), dict) else {}

    def required(kind: str) -> tuple[AffinityTerm, ...]:
        section = affinity.get(kind) if isinstance(affinity.get(kind), dict) else {}
        raw = section.get("requiredDuringSchedulingIgnoredDuringExecution") or []
        return tuple(t for t in (_term(r, namespace, labels) for r in raw) if t is not None)

    def preferred(kind: str) -> tuple[tuple[int, AffinityTerm], ...]:
        section = affinity.get(kind) if isinstance(affinity.get(kind), dict) else {}
        out = []
        for item in section.get("preferredDuringSchedulingIgnoredDuringExecution") or []:
            if not isinstance(item, dict) or not isinstance(item.get("weight"), int):
                continue
            term = _term(item.get("podAffinityTerm"), namespace, labels)
            if term is not None:
                out.append((item["weight"], term))
        return tuple(out)

    if not affinity:
        return NO_TERMS
    return PodTerms(required("podAffinity"), required("podAntiAffinity"),
                    preferred("podAffinity"), preferred("podAntiAffinity"))


@dataclass(frozen=True, slots=True)
class SpreadConstraint:
    """One topologySpreadConstraints entry."""

    max_skew: int
    topology_key: str
    hard: bool                    # whenUnsatisfiable: DoNotSchedule
    selector: LabelSelector
    min_domains: int
    honor_affinity: bool          # nodeAffinityPolicy (default Honor)
    honor_taints: bool            # nodeTaintsPolicy (default Ignore)


def spread_constraints(spec: JSON, labels: Mapping[str, str]) -> tuple[SpreadConstraint, ...]:
    out = []
    for raw in spec.get("topologySpreadConstraints") or []:
        if not isinstance(raw, dict):
            continue
        skew, domains = raw.get("maxSkew"), raw.get("minDomains")
        out.append(SpreadConstraint(
            max_skew=skew if isinstance(skew, int) else 1,
            topology_key=str(raw.get("topologyKey") or ""),
            hard=raw.get("whenUnsatisfiable") == "DoNotSchedule",
            selector=_selector(raw.get("labelSelector"), labels=labels,
                               match_keys=raw.get("matchLabelKeys")),
            min_domains=domains if isinstance(domains, int) else 1,
            honor_affinity=raw.get("nodeAffinityPolicy", "Honor") != "Ignore",
            honor_taints=raw.get("nodeTaintsPolicy") == "Honor"))
    return tuple(out)
