"""Events: what happened to an object, written by the components that saw it.

core/v1 Events get only the "legacy" checks (namespaces agree, required fields of
new-style events); their names are not validated at all, hence ``validates_object_meta``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from kitlib.sim.machinery.errors import FieldError, invalid, required
from kitlib.sim.machinery.validation import is_dns1123_subdomain, is_qualified_name
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]


def legacy_validate_event(event: JSON) -> list[FieldError]:
    """legacyValidateEvent, on the core/v1 field names."""
    errs: list[FieldError] = []
    namespace = str(d(event.get("metadata")).get("namespace") or "")
    involved = event.get("involvedObject") if isinstance(event.get("involvedObject"), dict) else {}
    involved_ns = str(involved.get("namespace") or "")
    if not event.get("eventTime"):
        if not involved_ns:
            if namespace not in ("", "default"):
                errs.append(invalid("involvedObject.namespace", involved_ns,
                                    "does not match event.namespace"))
        elif namespace != involved_ns:
            errs.append(invalid("involvedObject.namespace", involved_ns,
                                "does not match event.namespace"))
    else:
        if not involved_ns and namespace not in ("default", "kube-system"):
            errs.append(invalid("involvedObject.namespace", involved_ns,
                                "does not match event.namespace"))
        controller = str(event.get("reportingComponent") or "")
        if not controller:
            errs.append(required("reportingController"))
        errs += [invalid("reportingController", controller, msg)
                 for msg in is_qualified_name(controller)]
        for key, wire, limit in (("reportingInstance", "reportingInstance", 128),
                                 ("action", "action", 128), ("reason", "reason", 128)):
            value = str(event.get(wire) or "")
            if not value:
                errs.append(required(key))
            if len(value) > limit:
                errs.append(invalid(key, "", f"can have at most {limit} characters"))
        if len(str(event.get("message") or "")) > 1024:
            errs.append(invalid("message", "", "can have at most 1024 characters"))
    errs += [invalid("namespace", namespace, msg) for msg in is_dns1123_subdomain(namespace)]
    return errs


class EventStrategy(Strategy):
    allow_create_on_update = True
    validates_object_meta: ClassVar[bool] = False
    selectable_fields = ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                         "involvedObject.uid", "involvedObject.apiVersion",
                         "involvedObject.resourceVersion", "involvedObject.fieldPath",
                         "reason", "reportingComponent", "source", "type")

    def validate(self, obj: JSON) -> list[FieldError]:
        return legacy_validate_event(obj)

    def field_values(self, obj: JSON) -> dict[str, str]:
        involved = d(obj.get("involvedObject"))
        values = {f"involvedObject.{key}": str(involved.get(key, ""))
                  for key in ("kind", "namespace", "name", "uid", "apiVersion",
                              "resourceVersion", "fieldPath")}
        values["reason"] = obj.get("reason", "")
        values["reportingComponent"] = obj.get("reportingComponent", "")
        values["source"] = d(obj.get("source")).get("component", "")
        values["type"] = obj.get("type", "")
        return values
