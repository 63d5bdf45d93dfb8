"""The pods bound to each node: the ``spec.nodeName`` index of the real controllers.

When a node stops answering, the node lifecycle and taint eviction controllers act on the
pods bound to it, and only those; a scan of 10,000 pods per node would be far too slow.
The index is kept from the pod watch using the store's parsed ``spec.nodeName`` field, so
no pod is parsed to maintain it.
"""

from __future__ import annotations

from kitlib.sim.component import Context
from kitlib.sim.store.records import Record

NODE_FIELD = "spec.nodeName"


class PodsByNode:
    def __init__(self, ctx: Context) -> None:
        self._informer = ctx.informers("pods")
        self._pods: dict[str, set[tuple[str, str]]] = {}
        self._informer.add_handler(self._changed)

    def _changed(self, kind: str, record: Record, prev: Record | None) -> None:
        key = (record.namespace, record.name)
        old = prev.fields.get(NODE_FIELD, "") if prev is not None else ""
        new = "" if kind == "DELETED" else record.fields.get(NODE_FIELD, "")
        if kind == "DELETED":
            old = old or record.fields.get(NODE_FIELD, "")
        if old and old != new:
            bound = self._pods.get(old)
            if bound is not None:
                bound.discard(key)
                if not bound:
                    del self._pods[old]
        if new:
            self._pods.setdefault(new, set()).add(key)

    def records(self, node: str) -> list[Record]:
        """The current records of the pods bound to ``node`` (read from the store)."""
        found = []
        for namespace, name in sorted(self._pods.get(node, ())):
            record = self._informer.get(namespace, name)
            if record is not None and record.fields.get(NODE_FIELD) == node:
                found.append(record)
        return found
