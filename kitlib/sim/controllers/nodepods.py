"""The pods bound to each node: the ``spec.nodeName`` index of the real controllers.

When a node stops answering, the node lifecycle and taint eviction controllers act on the
pods bound to it, and only those; a scan of 10,000 pods per node would be far too slow.
The index is kept from the pod watch using the store's parsed ``spec.nodeName`` field, so
no pod is parsed to maintain it.  Both controllers share one index (``PodsByNode.shared``),
and it holds the records' own name strings (node -> namespace -> names), not a key tuple
per pod.
"""

from __future__ import annotations

from kitlib.sim.component import Context
from kitlib.sim.store.records import Record

NODE_FIELD = "spec.nodeName"


class PodsByNode:
    def __init__(self, ctx: Context) -> None:
        self._informer = ctx.informers("pods")
        self._pods: dict[str, dict[str, set[str]]] = {}     # node -> namespace -> names
        self._informer.add_handler(self._changed)

    @classmethod
    def shared(cls, ctx: Context) -> PodsByNode:
        """The one index of the context's pod informer (made on first use)."""
        return ctx.informers("pods").shared("pods-by-node", lambda: cls(ctx))

    def _changed(self, kind: str, record: Record, prev: Record | None) -> None:
        old = prev.fields.get(NODE_FIELD, "") if prev is not None else ""
        new = "" if kind == "DELETED" else record.fields.get(NODE_FIELD, "")
        if kind == "DELETED":
            old = old or record.fields.get(NODE_FIELD, "")
        if old and old != new:
            bound = self._pods.get(old)
            names = bound.get(record.namespace) if bound is not None else None
            if names is not None:
                names.discard(record.name)
                if not names:
                    del bound[record.namespace]     # type: ignore[union-attr]
                    if not bound:
                        del self._pods[old]
        if new:
            self._pods.setdefault(new, {}).setdefault(record.namespace, set()).add(record.name)

    def records(self, node: str) -> list[Record]:
        """The current records of the pods bound to ``node`` (read from the store), by
        namespace and name."""
        found = []
        for namespace, names in sorted(self._pods.get(node, {}).items()):
            for name in sorted(names):
                record = self._informer.get(namespace, name)
                if record is not None and record.fields.get(NODE_FIELD) == node:
                    found.append(record)
        return found

