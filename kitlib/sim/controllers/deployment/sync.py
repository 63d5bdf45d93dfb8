"""One sync of one Deployment: its ReplicaSets found, made, resized and pruned.

``Rollout`` holds a Deployment and the ReplicaSets it owns for the length of one sync and
makes the writes every step needs, as pkg/controller/deployment/sync.go does: getting or
creating the new ReplicaSet (named after its pod-template-hash, numbered with the next
revision), resizing a ReplicaSet (with the ``ScalingReplicaSet`` event ``kubectl
describe`` shows), deleting old ReplicaSets beyond ``revisionHistoryLimit``, and writing
the Deployment's status.  The strategies (``rolling``, ``recreate``), ``scaling`` and
``status`` drive it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Sequence

from kitlib.sim.controllers.deployment import history, progress
from kitlib.sim.controllers.deployment import replicas as counts
from kitlib.sim.controllers.deployment.hashing import (POD_TEMPLATE_HASH, pod_template_hash,
                                                       templates_equal)
from kitlib.sim.controllers.deployment.ownership import controller_ref, owner_reference
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.labels import LabelSelector

if TYPE_CHECKING:
    from kitlib.sim.controllers.deployment.controller import DeploymentController

JSON = dict[str, Any]
RS = JSON
REPLICA_SETS = "replicasets.apps"
DEPLOYMENTS = "deployments.apps"


def editable(rs: RS) -> RS:
    """A copy of ``rs`` whose metadata, annotations and spec may be changed.

    ReplicaSets come from the shared index's parsed copies and are never edited in
    place; a shallow copy of the parts a sync changes is all a write needs.
    """
    meta = dict(rs.get("metadata") or {})
    meta["annotations"] = dict(meta.get("annotations") or {})
    return {**rs, "metadata": meta, "spec": dict(rs.get("spec") or {})}


def _volatile_free(obj: JSON) -> JSON:
    meta = {k: v for k, v in obj.get("metadata", {}).items()
            if k not in ("resourceVersion", "managedFields")}
    return {**{k: v for k, v in obj.items() if k != "status"}, "metadata": meta}


class Rollout:
    """A Deployment being synced, the ReplicaSets it owns, and the writes it makes."""

    def __init__(self, ctl: DeploymentController, deployment: JSON, replica_sets: list[RS], *,
                 selector: LabelSelector) -> None:
        self.ctl = ctl
        self.d = deployment
        self.rss = replica_sets
        self.selector = selector
        meta = deployment["metadata"]
        self.namespace, self.name = meta["namespace"], meta["name"]
        self.key = f"{self.namespace}/{self.name}"

    # --- small reads ---------------------------------------------------------------------

    def now(self) -> str:
        return self.ctl.ctx.clock.timestamp()

    @property
    def status(self) -> JSON:
        if not isinstance(self.d.get("status"), dict):
            self.d["status"] = {}
        return self.d["status"]

    @property
    def desired(self) -> int:
        return counts.spec_replicas(self.d)

    @property
    def max_replicas(self) -> int:
        return self.desired + counts.max_surge(self.d)

    # --- writes --------------------------------------------------------------------------

    async def write_status(self, status: JSON | None = None) -> None:
        """Write the Deployment's status (and annotations) through ``/status``."""
        if status is not None:
            self.d["status"] = progress.ordered(status)
        self.d = await self.ctl.client.update(DEPLOYMENTS, self.d, subresource="status")

    def _remember(self, rs: RS) -> RS:
        uid = counts.uid_of(rs)
        self.rss = [rs if counts.uid_of(r) == uid else r for r in self.rss]
        if all(counts.uid_of(r) != uid for r in self.rss):
            self.rss.append(rs)
        return rs

    async def update_replica_set(self, read: RS, changed: RS) -> RS:
        """Write ``changed`` (a modified copy of ``read``); a status-only change made by
        the ReplicaSet controller meanwhile is not a reason to give up."""
        for _ in range(5):
            try:
                return self._remember(await self.ctl.client.update(REPLICA_SETS, changed))
            except errors.Conflict:
                fresh = self.ctl.client.get(REPLICA_SETS, namespace=self.namespace,
                                            name=read["metadata"]["name"])
                if fresh is None or _volatile_free(fresh) != _volatile_free(read):
                    raise
                changed["metadata"]["resourceVersion"] = fresh["metadata"]["resourceVersion"]
        raise errors.Conflict(resource="replicasets", group="apps",
                              name=read["metadata"]["name"], detail=errors.STALE_OBJECT)

    async def event(self, reason: str, message: str, *, type: str = "Normal") -> None:
        await self.ctl.recorder.event(self.d, type=type, reason=reason, message=message)

    # --- the new ReplicaSet and the old ones ---------------------------------------------

    async def replica_sets(self, *, create: bool) -> tuple[RS | None, list[RS]]:
        """``getAllReplicaSetsAndSyncRevision``: (the new ReplicaSet or None, all old ones).

        The new one's annotations (revision, copied annotations) and the Deployment's
        revision are brought up to date; with ``create`` a missing one is created.
        """
        existing = counts.find_new_replica_set(self.d, self.rss)
        old = counts.old_replica_sets(self.rss, existing)
        new_revision = history.max_revision(old) + 1
        if existing is not None:
            return await self._sync_new_replica_set(existing, new_revision), old
        if not create:
            return None, old
        return await self._create_new_replica_set(old, new_revision), old

    async def _sync_new_replica_set(self, existing: RS, new_revision: int) -> RS:
        changed = editable(existing)
        annotated = history.set_new_replica_set_annotations(
            self.d, changed, new_revision, exists=True, desired=self.desired,
            maximum=self.max_replicas)
        min_ready = int(self.d["spec"].get("minReadySeconds") or 0)
        if annotated or int(changed["spec"].get("minReadySeconds") or 0) != min_ready:
            if min_ready:
                changed["spec"]["minReadySeconds"] = min_ready
            else:
                changed["spec"].pop("minReadySeconds", None)
            return await self.update_replica_set(existing, changed)
        needs_update = history.set_deployment_revision(
            self.d, changed["metadata"]["annotations"].get(history.REVISION, ""))
        if progress.has_progress_deadline(self.d) \
                and progress.get_condition(self.status, progress.PROGRESSING) is None:
            name = changed["metadata"]["name"]
            progress.set_condition(self.status, progress.condition(
                progress.PROGRESSING, "True", progress.FOUND_NEW_RS,
                f'Found new replica set "{name}"', now=self.now()))
            needs_update = True
        if needs_update:
            await self.write_status()
        return changed

    def _new_replica_set_object(self) -> RS:
        spec = self.d["spec"]
        pod_hash = pod_template_hash(spec.get("template") or {},
                                     self.status.get("collisionCount"))
        template = copy.deepcopy(spec.get("template") or {})
        labels = {**((template.get("metadata") or {}).get("labels") or {}),
                  POD_TEMPLATE_HASH: pod_hash}
        template.setdefault("metadata", {})["labels"] = labels
        selector = copy.deepcopy(spec.get("selector") or {})
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}),
                                   POD_TEMPLATE_HASH: pod_hash}
        rs_spec: JSON = {"replicas": 0, "selector": selector, "template": template}
        if spec.get("minReadySeconds"):
            rs_spec["minReadySeconds"] = spec["minReadySeconds"]
        return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": f"{self.name}-{pod_hash}", "namespace": self.namespace,
                             "labels": dict(labels),
                             "ownerReferences": [owner_reference(self.d)]},
                "spec": rs_spec}

    async def _create_new_replica_set(self, old: list[RS], new_revision: int) -> RS | None:
        new = self._new_replica_set_object()
        name = new["metadata"]["name"]
        size = counts.new_rs_new_replicas(self.d, [*old, new], new)
        new["spec"]["replicas"] = size
        history.set_new_replica_set_annotations(self.d, new, new_revision, exists=False,
                                                desired=self.desired, maximum=self.max_replicas)
        already_exists = False
        try:
            created = await self.ctl.client.create(REPLICA_SETS, new, namespace=self.namespace)
        except errors.AlreadyExists:
            created = await self._existing_or_collision(name)
            already_exists = True
        except errors.Forbidden:
            raise               # the namespace is being deleted: nothing to roll out
        except errors.StatusError as exc:
            message = f'Failed to create new replica set "{name}": {exc.message}'
            if progress.has_progress_deadline(self.d):
                progress.set_condition(self.status, progress.condition(
                    progress.PROGRESSING, "False", progress.FAILED_RS_CREATE, message,
                    now=self.now()))
                await self.write_status()
            await self.event(progress.FAILED_RS_CREATE, message, type="Warning")
            raise
        self._remember(created)
        if not already_exists and size > 0:
            await self.event("ScalingReplicaSet", f"Scaled up replica set {name} from 0 to {size}")
        needs_update = history.set_deployment_revision(self.d, str(new_revision))
        if not already_exists and progress.has_progress_deadline(self.d):
            progress.set_condition(self.status, progress.condition(
                progress.PROGRESSING, "True", progress.NEW_RS_CREATED,
                f'Created new replica set "{name}"', now=self.now()))
            needs_update = True
        if needs_update:
            await self.write_status()
        return created

    async def _existing_or_collision(self, name: str) -> RS:
        """The name is taken: ours already (a stale cache), or a hash collision."""
        rs = self.ctl.client.get(REPLICA_SETS, namespace=self.namespace, name=name)
        ref = controller_ref(rs) if rs is not None else None
        if rs is not None and ref is not None and ref.get("uid") == counts.uid_of(self.d) \
                and templates_equal(self.d["spec"].get("template"),
                                    rs["spec"].get("template")):
            return rs
        self.status["collisionCount"] = int(self.status.get("collisionCount") or 0) + 1
        await self.write_status()
        raise errors.Conflict(resource="replicasets", group="apps", name=name,
                              detail="hash collision; retrying with a new collisionCount")

    # --- scaling -------------------------------------------------------------------------

    async def scale_replica_set(self, rs: RS, size: int, operation: str) -> tuple[bool, RS]:
        """Resize ``rs`` (and note the Deployment's size on it); True if its size changed."""
        resized = counts.spec_replicas(rs) != size
        if not resized and not history.replicas_annotations_need_update(
                rs, self.desired, self.max_replicas):
            return False, rs
        before = counts.spec_replicas(rs)
        changed = editable(rs)
        changed["spec"]["replicas"] = size
        history.set_replicas_annotations(changed, self.desired, self.max_replicas)
        written = await self.update_replica_set(rs, changed)
        if resized:
            await self.event("ScalingReplicaSet", f"Scaled {operation} replica set "
                                                  f"{written['metadata']['name']} from {before} "
                                                  f"to {size}")
        return resized, written

    async def scale_and_record(self, rs: RS, size: int) -> tuple[bool, RS]:
        if counts.spec_replicas(rs) == size:
            return False, rs
        operation = "up" if counts.spec_replicas(rs) < size else "down"
        return await self.scale_replica_set(rs, size, operation)

    # --- clean-up ------------------------------------------------------------------------

    async def cleanup(self, old: Sequence[RS]) -> None:
        """Delete the oldest idle ReplicaSets beyond ``revisionHistoryLimit``."""
        limit = self.d["spec"].get("revisionHistoryLimit")
        if limit is None:
            return
        alive = [rs for rs in old if not rs["metadata"].get("deletionTimestamp")]
        surplus = len(alive) - int(limit)
        if surplus <= 0:
            return
        alive.sort(key=lambda rs: (history.revision(rs), rs["metadata"].get(
            "creationTimestamp") or "", rs["metadata"]["name"]))
        for rs in alive[:surplus]:
            if counts.status_of(rs, "replicas") or counts.spec_replicas(rs) \
                    or rs["metadata"].get("generation", 0) > counts.status_of(
                        rs, "observedGeneration"):
                continue        # still has (or may still have) pods
            await self.ctl.client.delete(REPLICA_SETS, namespace=self.namespace,
                                         name=rs["metadata"]["name"])
