"""Which pods stand behind which Service: the index the endpoint controllers share.

A Service finds its pods by their labels, so every pod change may move a pod into or out
of some Service.  The real endpoint controllers list a Service's pods from their informer
cache on every sync; here the membership of each selector-bearing Service is kept as a
set of pod names, updated from the pod and service watches (a pod event only checks the
few Services of its namespace), and each pod's endpoint-relevant facts are parsed once
per pod version.  A sync of a Service in front of 1,000 pods then costs a pass over its
1,000 members, never a scan or a re-parse of every pod in the namespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from kitlib.sim.component import Context
from kitlib.sim.store.records import Record

JSON = dict[str, Any]
#: Called with a Service key ("namespace/name") and whether a pod change caused it.
Enqueue = Callable[[str, bool], None]


@dataclass(frozen=True, slots=True)
class PodFacts:
    """What the endpoint controllers need to know about one version of a pod."""

    namespace: str
    name: str
    uid: str
    rv: int
    ips: tuple[str, ...]
    node: str
    ready: bool
    #: metadata.deletionTimestamp is set: the pod is going away.
    terminating: bool
    #: phase Succeeded or Failed: its containers have all stopped for good.
    terminal: bool
    hostname: str
    subdomain: str
    #: (port name, protocol) -> containerPort, for targetPorts given by name.
    named_ports: tuple[tuple[str, str, int], ...]
    #: The Ready condition's lastTransitionTime ("" without one): the trigger time.
    ready_since: str

    def view(self) -> tuple[Any, ...]:
        """Everything but the resourceVersion: a change here may change endpoints."""
        return (self.ips, self.node, self.ready, self.terminating, self.terminal,
                self.hostname, self.subdomain)


def pod_facts(record: Record) -> PodFacts:
    obj = record.object()
    meta, spec, status = obj["metadata"], obj.get("spec") or {}, obj.get("status") or {}
    ips = tuple(entry["ip"] for entry in status.get("podIPs") or []
                if isinstance(entry, dict) and entry.get("ip"))
    if not ips and status.get("podIP"):
        ips = (status["podIP"],)
    ready, ready_since = False, ""
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            ready = condition.get("status") == "True"
            ready_since = condition.get("lastTransitionTime") or ""
            break
    named: list[tuple[str, str, int]] = []
    containers = list(spec.get("containers") or [])
    # Sidecars (init containers that keep running) serve ports too.
    containers += [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    for container in containers:
        for port in container.get("ports") or []:
            if port.get("name"):
                named.append((port["name"], port.get("protocol") or "TCP",
                              int(port.get("containerPort") or 0)))
    return PodFacts(namespace=record.namespace, name=record.name, uid=meta.get("uid", ""),
                    rv=record.rv, ips=ips, node=spec.get("nodeName") or "", ready=ready,
                    terminating=bool(meta.get("deletionTimestamp")),
                    terminal=status.get("phase") in ("Succeeded", "Failed"),
                    hostname=spec.get("hostname") or "", subdomain=spec.get("subdomain") or "",
                    named_ports=tuple(named), ready_since=ready_since)


def should_be_in_endpoints(pod: PodFacts, *, include_terminating: bool) -> bool:
    """ShouldPodBeInEndpoints: not finished, has an IP, and (maybe) not terminating."""
    if pod.terminal or not pod.ips:
        return False
    return include_terminating or not pod.terminating


def find_port(pod: PodFacts, service_port: Mapping[str, Any]) -> int | None:
    """The pod's port behind a Service port: a number as is, a name looked up by name and
    protocol in the pod's containers (FindPort); None when the pod has no such port."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    protocol = service_port.get("protocol") or "TCP"
    for name, proto, number in pod.named_ports:
        if name == target and proto == protocol:
            return number
    return None


def selector_of(service: JSON) -> dict[str, str]:
    """A Service's selector; empty (no selector at all) means "no pods of mine"."""
    selector = (service.get("spec") or {}).get("selector")
    return dict(selector) if isinstance(selector, dict) else {}


def _selects(selector: Mapping[str, str], labels: Mapping[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


class ServicePods:
    """The pods each selector-bearing Service selects, kept current from the watches."""

    def __init__(self, ctx: Context, *, enqueue: Enqueue) -> None:
        self._pods = ctx.informers("pods")
        self._enqueue = enqueue
        self._selectors: dict[str, dict[str, dict[str, str]]] = {}   # ns -> svc -> selector
        self._members: dict[str, set[str]] = {}                        # "ns/svc" -> pods
        self._facts: dict[tuple[str, str], PodFacts] = {}
        ctx.informers("services").add_handler(self._service_changed)
        self._pods.add_handler(self._pod_changed)

    # --- reads --------------------------------------------------------------------------

    def members(self, namespace: str, name: str) -> list[PodFacts]:
        """The current facts of the pods the Service selects, by pod name."""
        selector = self._selectors.get(namespace, {}).get(name)
        if not selector:
            return []
        found = []
        for pod in sorted(self._members.get(f"{namespace}/{name}", ())):
            record = self._pods.get(namespace, pod)
            if record is None or not _selects(selector, record.labels):
                continue        # the watch will tell us soon; the store is the truth now
            found.append(self.facts(record))
        return found

    def count(self, key: str) -> int:
        return len(self._members.get(key, ()))

    def facts(self, record: Record) -> PodFacts:
        key = (record.namespace, record.name)
        known = self._facts.get(key)
        if known is None or known.rv != record.rv:
            known = self._facts[key] = pod_facts(record)
        return known

    # --- the watches ----------------------------------------------------------------------

    def _matching(self, namespace: str, labels: Mapping[str, str]) -> set[str]:
        return {f"{namespace}/{name}" for name, selector in
                self._selectors.get(namespace, {}).items() if _selects(selector, labels)}

    def _service_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        ns, name = record.namespace, record.name
        key = f"{ns}/{name}"
        known = self._selectors.setdefault(ns, {})
        selector = {} if kind == "DELETED" else selector_of(record.object())
        if selector != known.get(name):
            if selector:
                known[name] = selector
                self._members[key] = {r.name for r in self._pods.list(ns)
                                      if _selects(selector, r.labels)}
            else:
                known.pop(name, None)
                self._members.pop(key, None)
        self._enqueue(key, False)

    def _pod_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        ns, name = record.namespace, record.name
        if not self._selectors.get(ns):
            self._facts.pop((ns, name), None)
            return
        if kind == "DELETED":
            new, old = set(), self._matching(ns, record.labels)
        else:
            new = self._matching(ns, record.labels)
            old = self._matching(ns, prev.labels) if prev is not None else set()
        for key in old - new:
            self._members.get(key, set()).discard(name)
        for key in new - old:
            self._members.setdefault(key, set()).add(name)
        if not new:
            self._facts.pop((ns, name), None)
            targets = old
        elif kind == "ADDED" or prev is None:
            targets = new
        else:
            before = self._facts.get((ns, name))
            after = self.facts(record)
            changed = before is None or before.view() != after.view()
            # Only the labels changed: just the Services it joined or left need a look.
            targets = new | old if changed else new ^ old
        for key in sorted(targets):
            self._enqueue(key, True)
