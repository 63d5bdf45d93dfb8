"""Namespaces: the folders objects live in."""

from __future__ import annotations

from typing import Any, ClassVar

from kitlib.sim.machinery.errors import FieldError, invalid
from kitlib.sim.machinery.validation import is_qualified_name, name_is_dns_label
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.jsonish import d, l

JSON = dict[str, Any]

_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


class NamespaceStrategy(Strategy):
    has_status = True
    selectable_fields = ("status.phase",)
    name_fn: ClassVar = staticmethod(name_is_dns_label)

    def default(self, obj: JSON) -> None:
        # Every namespace carries its own name as a label (SetDefaults_Namespace).
        meta = obj.setdefault("metadata", {})
        if meta.get("name"):
            labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
            labels["kubernetes.io/metadata.name"] = meta["name"]
            meta["labels"] = labels

    def prepare_for_create(self, obj: JSON) -> None:
        obj["status"] = {"phase": "Active"}
        self.default(obj)  # after generateName, the label follows the final name
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        finalizers = spec.get("finalizers") if isinstance(spec.get("finalizers"), list) else []
        if "kubernetes" not in finalizers:
            finalizers = [*finalizers, "kubernetes"]
        spec["finalizers"] = finalizers
        obj["spec"] = spec

    def validate(self, obj: JSON) -> list[FieldError]:
        errs: list[FieldError] = []
        for finalizer in l(d(obj.get("spec")).get("finalizers")):
            value = str(finalizer)
            errs += [invalid("spec.finalizers", value, msg) for msg in is_qualified_name(value)]
            if "/" not in value and value not in _STANDARD_FINALIZERS:
                errs.append(invalid("spec.finalizers", value, "name is neither a standard "
                                    "finalizer name nor is it fully qualified"))
        return errs

    def prepare_for_update(self, new: JSON, old: JSON) -> None:
        super().prepare_for_update(new, old)
        # Only the finalize subresource changes spec.finalizers.
        new["spec"] = dict(d(new.get("spec")))
        if "finalizers" in d(old.get("spec")):
            new["spec"]["finalizers"] = old["spec"]["finalizers"]
        else:
            new["spec"].pop("finalizers", None)

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return []

    def validate_status_update(self, new: JSON, old: JSON) -> list[FieldError]:
        phase = d(new.get("status")).get("phase", "")
        deleting = bool(d(new.get("metadata")).get("deletionTimestamp"))
        if not deleting and phase != "Active":
            return [invalid("status.Phase", phase, "may only be 'Active' if `deletionTimestamp` "
                                                   "is empty")]
        if deleting and phase != "Terminating":
            return [invalid("status.Phase", phase, "may only be 'Terminating' if "
                                                   "`deletionTimestamp` is not empty")]
        return []

    def field_values(self, obj: JSON) -> dict[str, str]:
        return {"status.phase": d(obj.get("status")).get("phase", "")}

    def deletion_pending(self, obj: JSON) -> bool:
        # The namespace controller empties the namespace, then clears spec.finalizers.
        return bool(l(d(obj.get("spec")).get("finalizers")))

    def prepare_for_delete(self, obj: JSON) -> None:
        obj.setdefault("status", {})["phase"] = "Terminating"
