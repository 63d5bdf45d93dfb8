"""The Recreate strategy: every old pod gone before any new one starts.

Old ReplicaSets are scaled to 0; the controller then waits until no pod of theirs is
left (terminating ones included: it follows pod deletions for this), and only then
creates, or scales up, the new ReplicaSet (pkg/controller/deployment/recreate.go).
"""

from __future__ import annotations

from typing import Sequence

from kitlib.sim.controllers.deployment import progress, status
from kitlib.sim.controllers.deployment import replicas as counts
from kitlib.sim.controllers.deployment.hashing import POD_TEMPLATE_HASH
from kitlib.sim.controllers.deployment.ownership import controller_ref
from kitlib.sim.controllers.deployment.sync import RS, Rollout


async def rollout_recreate(r: Rollout) -> None:
    new_rs, old = await r.replica_sets(create=False)
    all_rss: list[RS | None] = [*old, new_rs]
    if await scale_down_old_replica_sets(r, counts.active(old)):
        await status.sync_rollout_status(r, all_rss, new_rs)
        return
    if old_pods_running(r, new_rs, old):
        await status.sync_rollout_status(r, all_rss, new_rs)
        return
    if new_rs is None:
        new_rs, old = await r.replica_sets(create=True)
        all_rss = [*old, new_rs]
    if new_rs is not None:
        await r.scale_and_record(new_rs, r.desired)
    if progress.deployment_complete(r.d, r.status):
        await r.cleanup(old)
    await status.sync_rollout_status(r, all_rss, new_rs)


async def scale_down_old_replica_sets(r: Rollout, old: Sequence[RS]) -> bool:
    scaled = False
    for rs in old:
        if counts.spec_replicas(rs) == 0:
            continue
        if (await r.scale_and_record(rs, 0))[0]:
            scaled = True
    return scaled


def old_pods_running(r: Rollout, new_rs: RS | None, old: Sequence[RS]) -> bool:
    """Any pod of an old ReplicaSet that has not finished (terminating ones count)."""
    if counts.actual_count(old) > 0:
        return True
    old_uids = {counts.uid_of(rs) for rs in old} - {counts.uid_of(new_rs)}
    if not old_uids:
        return False
    new_hash = ((new_rs or {}).get("metadata", {}).get("labels") or {}).get(POD_TEMPLATE_HASH)
    for record in r.ctl.pods.list(r.namespace, r.selector):
        if new_hash is not None and record.labels.get(POD_TEMPLATE_HASH) == new_hash:
            continue                    # the new ReplicaSet's pod: no need to parse it
        pod = record.object()
        if (controller_ref(pod) or {}).get("uid") not in old_uids:
            continue
        if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
            return True
    return False
