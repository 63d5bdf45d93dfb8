"""Resizing a Deployment: one ReplicaSet takes it all, or each takes its share.

A change of ``spec.replicas`` (``kubectl scale``, an autoscaler) is handled before any
rollout step, and also while paused.  With one active ReplicaSet it simply gets the new
size.  In the middle of a rollout the difference is shared between the active
ReplicaSets in proportion to their size (the ``max-replicas`` annotation says what size
each was scaled for), largest first, so that a rollout stuck on a bad image keeps most
pods on the working version (pkg/controller/deployment/sync.go, ``scale``).
"""

from __future__ import annotations

from typing import Sequence

from kitlib.sim.controllers.deployment import history, status
from kitlib.sim.controllers.deployment import replicas as counts
from kitlib.sim.controllers.deployment.sync import RS, Rollout


async def is_scaling_event(r: Rollout) -> bool:
    """Has ``spec.replicas`` changed since the active ReplicaSets were sized?"""
    new_rs, old = await r.replica_sets(create=False)
    for rs in counts.active([*old, new_rs]):
        desired = history.desired_replicas_annotation(rs)
        if desired is not None and desired != r.desired:
            return True
    return False


async def sync_scaling(r: Rollout) -> None:
    """Scale only, no rollout step (a paused Deployment, or a resize)."""
    new_rs, old = await r.replica_sets(create=False)
    await scale(r, new_rs, old)
    if r.d["spec"].get("paused"):
        await r.cleanup(old)
    await status.sync_status(r, [*old, new_rs], new_rs)


async def scale(r: Rollout, new_rs: RS | None, old: Sequence[RS]) -> None:
    target = counts.find_active_or_latest(new_rs, old)
    if target is not None:
        if counts.spec_replicas(target) != r.desired:
            await r.scale_and_record(target, r.desired)
        return
    if counts.is_saturated(r.d, new_rs):
        for rs in counts.active(old):
            await r.scale_and_record(rs, 0)
        return
    if not counts.is_rolling_update(r.d):
        return
    running = counts.active([*old, new_rs])
    allowed = r.max_replicas if r.desired > 0 else 0
    to_add = allowed - counts.replica_count(running)
    operation = ""
    if to_add > 0:
        running, operation = counts.by_size_newer(running), "up"
    elif to_add < 0:
        running, operation = counts.by_size_older(running), "down"
    sizes: dict[str, int] = {}
    added = 0
    for rs in running:
        share = counts.proportion(rs, r.d, to_add, added) if to_add else 0
        sizes[counts.name_of(rs)] = counts.spec_replicas(rs) + share
        added += share
    for i, rs in enumerate(running):
        name = counts.name_of(rs)
        if i == 0 and to_add:
            sizes[name] = max(sizes[name] + to_add - added, 0)    # leftovers to the largest
        # Sizes that stay the same still get the new size annotations.
        await r.scale_replica_set(rs, sizes[name], operation)
