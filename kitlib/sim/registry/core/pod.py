"""Pods: the atomic unit of deployment."""

from __future__ import annotations

import copy
import random
from typing import Any

from kitlib.sim.machinery.errors import FieldError, forbidden, invalid, not_handled, required
from kitlib.sim.machinery.quantity import QuantityError
from kitlib.sim.machinery.validation import inclusive_range_error, invalid_go
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core import poddiff
from kitlib.sim.registry.core.podadmission import (admit_default_tolerations, admit_priority,
                                                   admit_service_account)
from kitlib.sim.registry.core.poddefaults import default_pod, qos_class
from kitlib.sim.registry.core.podspec import (validate_containers_only_for_pod,
                                              validate_pod_spec,
                                              validate_pod_specific_annotations,
                                              validate_tolerations)
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]

UPDATABLE_FIELDS = ("`spec.containers[*].image`", "`spec.initContainers[*].image`",
                    "`spec.activeDeadlineSeconds`",
                    "`spec.tolerations` (only additions to existing tolerations)",
                    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                    "previously negative)")
_MAX_INT32 = 2147483647


def _spec(obj: JSON) -> JSON:
    spec = obj.get("spec")
    return spec if isinstance(spec, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class PodStrategy(Strategy):
    has_status = True
    selectable_fields = ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                         "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                         "status.podIP", "status.podIPs", "status.nominatedNodeName")

    def __init__(self, *, rng: random.Random | None = None,
                 mount_service_account_token: bool = True) -> None:
        # The random source names the kube-api-access-xxxxx token volumes.
        self.rng = rng or random.Random()
        self.mount_service_account_token = mount_service_account_token

    def default(self, obj: JSON) -> None:
        try:
            default_pod(obj)
        except QuantityError as exc:
            raise not_handled(kind="Pod", version="v1", problem=str(exc)) from None

    def prepare_for_create(self, obj: JSON) -> None:
        # Mutating admission (ServiceAccount, DefaultTolerationSeconds, Priority) runs
        # before the strategy on a real server; the result is the same.
        admit_service_account(obj, rng=self.rng, mount_token=self.mount_service_account_token)
        admit_default_tolerations(obj)
        admit_priority(obj)
        spec = _spec(obj)
        status: JSON = {"phase": "Pending", "qosClass": qos_class(spec)}
        if _list(spec.get("schedulingGates")):
            status["conditions"] = [{
                "type": "PodScheduled", "status": "False", "lastProbeTime": None,
                "lastTransitionTime": None, "reason": "SchedulingGated",
                "message": "Scheduling is blocked due to non-empty scheduling gates"}]
        obj["status"] = status

    def validate(self, obj: JSON) -> list[FieldError]:
        errs = self._validate_pod(obj)
        spec = _spec(obj)
        if _list(spec.get("ephemeralContainers")):
            errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
        if spec.get("nodeName") and _list(spec.get("schedulingGates")):
            errs.append(forbidden("spec.nodeName",
                                  "cannot be set until all schedulingGates have been cleared"))
        return errs

    def _validate_pod(self, obj: JSON) -> list[FieldError]:
        """validatePodMetadataAndSpec, without the generic object metadata."""
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        spec = _spec(obj)
        errs = validate_pod_specific_annotations(meta.get("annotations"), spec,
                                                 "metadata.annotations")
        errs += validate_pod_spec(spec, "spec", is_pod=True)
        if not spec.get("serviceAccountName"):
            for vi, volume in enumerate(_list(spec.get("volumes"))):
                projected = volume.get("projected") if isinstance(volume, dict) else None
                for si, source in enumerate(_list((projected or {}).get("sources"))):
                    if isinstance(source, dict) and "serviceAccountToken" in source:
                        errs.append(forbidden(
                            f"spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken",
                            "must not be specified when serviceAccountName is not set"))
        return errs + validate_containers_only_for_pod(spec, "spec")

    def prepare_for_update(self, new: JSON, old: JSON) -> None:
        super().prepare_for_update(new, old)
        admit_default_tolerations(new)
        admit_priority(new, old=old)

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return validate_pod_update(new, old, self._validate_pod(new))

    def validate_status_update(self, new: JSON, old: JSON) -> list[FieldError]:
        errs: list[FieldError] = []
        if _spec(new).get("nodeName") != _spec(old).get("nodeName"):
            errs.append(forbidden("status.nodeName", "may not be changed directly"))
        new_qos = d(new.get("status")).get("qosClass", "")
        if new_qos != d(old.get("status")).get("qosClass", ""):
            errs.append(invalid("status.qosClass", new_qos, "field is immutable"))
        return errs

    def grace_period(self, obj: JSON, requested: int | None) -> int:
        """Pods stop gracefully: the kubelet gets terminationGracePeriodSeconds to kill them.

        A pod no node has taken yet, or one whose containers have all finished, has
        nothing to stop and goes at once (CheckGracefulDelete).
        """
        spec, status = _spec(obj), obj.get("status") or {}
        if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
            return 0
        if requested is not None:
            return max(0, requested)
        grace = spec.get("terminationGracePeriodSeconds", 30)
        return grace if isinstance(grace, int) and grace >= 0 else 30

    def field_values(self, obj: JSON) -> dict[str, str]:
        spec = _spec(obj)
        status = d(obj.get("status"))
        return {
            "spec.nodeName": spec.get("nodeName", ""),
            "spec.restartPolicy": spec.get("restartPolicy", ""),
            "spec.schedulerName": spec.get("schedulerName", ""),
            "spec.serviceAccountName": spec.get("serviceAccountName", ""),
            "spec.hostNetwork": "true" if spec.get("hostNetwork") else "false",
            "status.phase": status.get("phase", ""),
            "status.podIP": status.get("podIP", ""),
            "status.nominatedNodeName": status.get("nominatedNodeName", ""),
        }


def validate_pod_update(new: JSON, old: JSON, errs: list[FieldError]) -> list[FieldError]:
    """ValidatePodUpdate after the new pod's own checks: only a few fields may change."""
    new_spec, old_spec = _spec(new), _spec(old)
    for key in ("containers", "initContainers"):
        new_list, old_list = _list(new_spec.get(key)), _list(old_spec.get(key))
        if len(new_list) != len(old_list):
            errs.append(forbidden(f"spec.{key}", "pod updates may not add or remove containers"))
            return errs
        for i, container in enumerate(new_list):
            image = container.get("image") if isinstance(container, dict) else None
            image = image if isinstance(image, str) else ""
            if not image:
                errs.append(required(f"spec.{key}[{i}].image"))
            if image.strip() != image:
                errs.append(invalid(f"spec.{key}[{i}].image", image,
                                    "must not have leading or trailing whitespace"))
    new_deadline, old_deadline = new_spec.get("activeDeadlineSeconds"), old_spec.get(
        "activeDeadlineSeconds")
    if isinstance(new_deadline, int):
        if not 0 <= new_deadline <= _MAX_INT32:
            errs.append(invalid("spec.activeDeadlineSeconds", new_deadline,
                                inclusive_range_error(0, _MAX_INT32)))
            return errs
        if isinstance(old_deadline, int) and old_deadline < new_deadline:
            errs.append(invalid("spec.activeDeadlineSeconds", new_deadline,
                                "must be less than or equal to previous value"))
            return errs
    elif old_deadline is not None:
        errs.append(invalid_go("spec.activeDeadlineSeconds", "null",
                               "must not update from a positive integer to nil value"))
    errs += _validate_added_tolerations(new_spec.get("tolerations"), old_spec.get("tolerations"))
    old_gates = {g.get("name") for g in _list(old_spec.get("schedulingGates"))
                 if isinstance(g, dict)}
    for i, gate in enumerate(_list(new_spec.get("schedulingGates"))):
        name = gate.get("name") if isinstance(gate, dict) else None
        if name not in old_gates:
            errs.append(forbidden(f"spec.schedulingGates[{i}].name", "only deletion is allowed, "
                                  f"but found new scheduling gate '{name}'"))
    if new_spec == old_spec:
        return errs
    munged = copy.deepcopy(new_spec)
    for key in ("containers", "initContainers"):
        for container, before in zip(_list(munged.get(key)), _list(old_spec.get(key))):
            if isinstance(container, dict) and isinstance(before, dict):
                container["image"] = before.get("image")
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in old_spec:
            munged[key] = copy.deepcopy(old_spec[key])
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and munged.get(
            "terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    # Plain equality first; the Go view also equates omitted and empty values.
    if munged != old_spec and (poddiff.pod_spec_view(munged).key()
                               != poddiff.pod_spec_view(old_spec).key()):
        detail = ("pod updates may not change fields other than " + ",".join(UPDATABLE_FIELDS)
                  + "\n" + poddiff.render(old_spec, munged))
        errs.append(forbidden("spec", detail))
    return errs


def _validate_added_tolerations(new: Any, old: Any) -> list[FieldError]:
    """Existing tolerations may only change their tolerationSeconds; new ones may be added."""
    new_list = [t for t in _list(new) if isinstance(t, dict)]
    for before in _list(old):
        if not isinstance(before, dict):
            continue
        stripped = {k: v for k, v in before.items() if k != "tolerationSeconds"}
        if not any({k: v for k, v in after.items() if k != "tolerationSeconds"} == stripped
                   for after in new_list):
            return [forbidden("spec.tolerations",
                              "existing toleration can not be modified except its "
                              "tolerationSeconds")]
    return validate_tolerations(new, "spec.tolerations")
