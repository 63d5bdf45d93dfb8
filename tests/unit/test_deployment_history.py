"""Revision annotations: numbering, history on rollback, and what is copied."""

from __future__ import annotations

from typing import Any

from kitlib.sim.controllers.deployment import history as h

JSON = dict[str, Any]


def deployment(**annotations: str) -> JSON:
    return {"metadata": {"name": "web", "annotations": dict(annotations)}}


def rs(**annotations: str) -> JSON:
    return {"metadata": {"name": "web-1", "annotations": dict(annotations)}}


def test_a_new_replica_set_gets_the_revision_sizes_and_change_cause() -> None:
    d = deployment(**{h.CHANGE_CAUSE: "kubectl set image", h.LAST_APPLIED: "{}",
                      h.REVISION: "4"})
    new = {"metadata": {"name": "web-2"}}
    assert h.set_new_replica_set_annotations(d, new, 5, exists=False, desired=3, maximum=4)
    assert new["metadata"]["annotations"] == {
        h.CHANGE_CAUSE: "kubectl set image", h.REVISION: "5", h.DESIRED_REPLICAS: "3",
        h.MAX_REPLICAS: "4"}


def test_rollback_renumbers_and_remembers_old_revisions() -> None:
    old = rs(**{h.REVISION: "1"})
    assert h.set_new_replica_set_annotations(deployment(), old, 3, exists=True, desired=3,
                                             maximum=4)
    assert old["metadata"]["annotations"][h.REVISION] == "3"
    assert old["metadata"]["annotations"][h.REVISION_HISTORY] == "1"
    old["metadata"]["annotations"][h.REVISION] = "3"
    h.set_new_replica_set_annotations(deployment(), old, 5, exists=True, desired=3, maximum=4)
    assert old["metadata"]["annotations"][h.REVISION_HISTORY] == "1,3"
    # Existing ReplicaSets keep their size annotations (scaling updates those).
    assert h.DESIRED_REPLICAS not in old["metadata"]["annotations"]


def test_nothing_changes_when_up_to_date() -> None:
    current = rs(**{h.REVISION: "2"})
    assert not h.set_new_replica_set_annotations(deployment(), current, 2, exists=True,
                                                 desired=1, maximum=2)
    assert not h.set_new_replica_set_annotations(deployment(), rs(**{h.REVISION: "x"}), 2,
                                                 exists=True, desired=1, maximum=2)


def test_history_is_bounded() -> None:
    long = ",".join(str(n) for n in range(1, 600))
    current = rs(**{h.REVISION: "600", h.REVISION_HISTORY: long})
    h.set_new_replica_set_annotations(deployment(), current, 601, exists=True, desired=1,
                                      maximum=2)
    kept = current["metadata"]["annotations"][h.REVISION_HISTORY]
    assert len(kept) <= h.MAX_HISTORY_CHARS and kept.endswith(",599,600")
    assert not kept.startswith("1,")


def test_revisions() -> None:
    assert h.revision(rs(**{h.REVISION: "7"})) == 7
    assert h.revision(rs()) == 0 and h.revision(None) == 0
    assert h.max_revision([rs(**{h.REVISION: "2"}), None, rs(**{h.REVISION: "9"})]) == 9
    d = deployment()
    assert h.set_deployment_revision(d, "3") and not h.set_deployment_revision(d, "3")
    assert h.replicas_annotations_need_update(rs(), 1, 2)
    fresh = rs()
    h.set_replicas_annotations(fresh, 1, 2)
    assert not h.replicas_annotations_need_update(fresh, 1, 2)
    assert h.desired_replicas_annotation(fresh) == 1 and h.max_replicas_annotation(fresh) == 2
