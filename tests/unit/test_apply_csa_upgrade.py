"""``kubectl apply`` (client-side) followed by ``kubectl apply --server-side``.

The server forgives kubectl's conflicts with ``kubectl-client-side-apply`` on fields that
still hold their last-applied value, and keeps the last-applied annotation in step with
what kubectl server-side applies.  Other managers get no such upgrade.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from kitlib.sim.machinery.patch.apply import LAST_APPLIED, ApplyConflict, server_side_apply
from kitlib.sim.machinery.patch.fieldpath import go_json
from kitlib.sim.machinery.patch.managedfields import update_managed_fields

from .test_apply_ssa import config, edit, stored
from .test_managedfields_fieldpath import DEPLOYMENT, SCHEMA
from .test_managedfields_update import T0, T1, T2


def client_side_applied(body: dict) -> dict:
    """The object ``kubectl apply`` creates: the annotation, owned by kubectl-client-side-apply."""
    obj = copy.deepcopy(body)
    obj["metadata"].setdefault("annotations", {})[LAST_APPLIED] = go_json(body) + "\n"
    update_managed_fields(old=None, new=obj, manager="kubectl-client-side-apply",
                          schema=SCHEMA, type_name=DEPLOYMENT, api_version="apps/v1", now=T0)
    return stored(obj)


def ssa(live: dict, body: dict, manager: str = "kubectl", now: str = T1, **kw: Any) -> dict:
    return server_side_apply(live=live, applied=body, manager=manager, force=False,
                             schema=SCHEMA, type_name=DEPLOYMENT, api_version="apps/v1",
                             now=now, **kw)


def managers(obj: dict) -> list[tuple[str, str]]:
    return [(e["manager"], e["operation"]) for e in obj["metadata"]["managedFields"]]


def test_the_same_config_applies_server_side_without_conflicts() -> None:
    live = client_side_applied(config())
    obj = ssa(live, config())
    assert managers(obj) == [("kubectl", "Apply"), ("kubectl-client-side-apply", "Update")]
    assert obj["spec"] == live["spec"]


def test_a_changed_value_still_held_from_client_side_apply_is_taken_over() -> None:
    live = client_side_applied(config())
    obj = ssa(live, config(replicas=3))
    assert obj["spec"]["replicas"] == 3
    csa, mine = obj["metadata"]["managedFields"][1], obj["metadata"]["managedFields"][0]
    assert "f:replicas" not in csa["fieldsV1"]["f:spec"]
    assert "f:replicas" in mine["fieldsV1"]["f:spec"] and mine["time"] == T1
    # the annotation now records what was applied server-side
    assert obj["metadata"]["annotations"][LAST_APPLIED] == go_json(config(replicas=3)) + "\n"
    assert json.loads(obj["metadata"]["annotations"][LAST_APPLIED])["spec"]["replicas"] == 3


def test_a_value_changed_since_by_kubectl_edit_is_a_real_conflict() -> None:
    live = client_side_applied(config())
    scaled = edit(live, lambda o: o["spec"].update(replicas=5), "kubectl-edit", T1)
    with pytest.raises(ApplyConflict) as caught:
        ssa(scaled, config(replicas=3), now=T2)
    assert caught.value.message == ('Apply failed with 1 conflict: conflict with "kubectl-edit" '
                                    "using apps/v1: .spec.replicas")


def test_other_managers_conflict_with_client_side_apply() -> None:
    live = client_side_applied(config())
    with pytest.raises(ApplyConflict) as caught:
        ssa(live, config(replicas=3), "my-tool")
    assert caught.value.message == (
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1:'
        " .spec.replicas")
    assert caught.value.details == {"causes": [{
        "reason": "FieldManagerConflict",
        "message": 'conflict with "kubectl-client-side-apply" using apps/v1',
        "field": ".spec.replicas"}]}


def test_only_unforgiven_conflicts_are_reported() -> None:
    live = client_side_applied(config())
    image = edit(live, lambda o: o["spec"]["template"]["spec"]["containers"][0].update(
        image="nginx:1.27"), "kubectl-set", T1)
    body = config(replicas=3)
    body["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.26"
    with pytest.raises(ApplyConflict) as caught:
        ssa(image, body, now=T2)
    assert [c["field"] for c in caught.value.details["causes"]] == [
        '.spec.template.spec.containers[name="nginx"].image']


def test_the_annotation_is_left_alone_for_other_managers_and_without_one() -> None:
    live = client_side_applied(config())
    obj = ssa(live, config(), "my-tool")
    assert obj["metadata"]["annotations"] == live["metadata"]["annotations"]
    fresh = ssa(stored(server_side_apply(
        live=None, applied=config(), manager="kubectl", force=False, schema=SCHEMA,
        type_name=DEPLOYMENT, api_version="apps/v1", now=T0)), config(replicas=3))
    assert "annotations" not in fresh["metadata"]


def test_kubectl_keeps_the_annotation_owned_by_kubectl_last_applied() -> None:
    """kubectl's follow-up apply of the annotation alone changes nothing: an entry, no time."""
    live = stored(ssa(client_side_applied(config()), config(replicas=3)))
    just_annotation = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {
        "name": "web", "namespace": "default",
        "annotations": {LAST_APPLIED: live["metadata"]["annotations"][LAST_APPLIED]}}}
    obj = ssa(live, just_annotation, "kubectl-last-applied", T2)
    assert obj["metadata"]["managedFields"][0] == {
        "manager": "kubectl-last-applied", "operation": "Apply", "apiVersion": "apps/v1",
        "fieldsType": "FieldsV1",
        "fieldsV1": {"f:metadata": {"f:annotations": {f"f:{LAST_APPLIED}": {}}}}}
    assert {k: v for k, v in obj.items() if k != "metadata"} == \
        {k: v for k, v in live.items() if k != "metadata"}
