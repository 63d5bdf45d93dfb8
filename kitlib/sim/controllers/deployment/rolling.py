"""The RollingUpdate strategy: new pods up, old pods down, within maxSurge/maxUnavailable.

Each sync takes one step: grow the new ReplicaSet as far as ``maxSurge`` allows (the
total may exceed ``spec.replicas`` by that many), else shrink old ReplicaSets as far as
``maxUnavailable`` allows (available pods never drop below ``spec.replicas`` minus that),
first by dropping old pods that are not available anyway.  ReplicaSet status changes
bring the next sync, until every pod is new and available (pkg/controller/deployment/
rolling.go).
"""

from __future__ import annotations

from typing import Sequence

from kitlib.sim.controllers.deployment import progress, status
from kitlib.sim.controllers.deployment import replicas as counts
from kitlib.sim.controllers.deployment.sync import RS, Rollout


async def rollout_rolling(r: Rollout) -> None:
    new_rs, old = await r.replica_sets(create=True)
    assert new_rs is not None
    all_rss = [*old, new_rs]
    if await reconcile_new_replica_set(r, all_rss, new_rs):
        await status.sync_rollout_status(r, all_rss, new_rs)
        return
    if await reconcile_old_replica_sets(r, all_rss, counts.active(old), new_rs):
        await status.sync_rollout_status(r, all_rss, new_rs)
        return
    if progress.deployment_complete(r.d, r.status):
        await r.cleanup(old)
    await status.sync_rollout_status(r, all_rss, new_rs)


async def reconcile_new_replica_set(r: Rollout, all_rss: Sequence[RS], new_rs: RS) -> bool:
    """Grow (or, above ``spec.replicas``, shrink) the new ReplicaSet; True if it changed."""
    size = counts.spec_replicas(new_rs)
    if size == r.desired:
        return False
    if size > r.desired:
        return (await r.scale_and_record(new_rs, r.desired))[0]
    wanted = counts.new_rs_new_replicas(r.d, all_rss, new_rs)
    return (await r.scale_and_record(new_rs, wanted))[0]


async def reconcile_old_replica_sets(r: Rollout, all_rss: Sequence[RS], old: list[RS],
                                     new_rs: RS) -> bool:
    """Shrink old ReplicaSets as far as availability allows; True if any shrank."""
    if counts.replica_count(old) == 0:
        return False
    min_available = r.desired - counts.max_unavailable(r.d)
    new_unavailable = counts.spec_replicas(new_rs) - counts.status_of(new_rs,
                                                                      "availableReplicas")
    max_scaled_down = counts.replica_count(all_rss) - min_available - new_unavailable
    if max_scaled_down <= 0:
        return False
    old, cleaned = await cleanup_unhealthy_replicas(r, old, max_scaled_down)
    scaled = await scale_down_old_replica_sets(r, [*old, new_rs], old)
    return cleaned + scaled > 0


async def cleanup_unhealthy_replicas(r: Rollout, old: list[RS],
                                     limit: int) -> tuple[list[RS], int]:
    """Drop old pods that are not available anyway (they hold no traffic), oldest first."""
    old = counts.by_creation(old)
    total = 0
    for i, rs in enumerate(old):
        if total >= limit:
            break
        size = counts.spec_replicas(rs)
        available = counts.status_of(rs, "availableReplicas")
        if size == 0 or size == available:
            continue
        count = min(limit - total, size - available)
        _, old[i] = await r.scale_and_record(rs, size - count)
        total += count
    return old, total


async def scale_down_old_replica_sets(r: Rollout, all_rss: Sequence[RS],
                                      old: Sequence[RS]) -> int:
    """Remove available old pods down to the availability floor, oldest first."""
    min_available = r.desired - counts.max_unavailable(r.d)
    available = counts.available_count(all_rss)
    if available <= min_available:
        return 0
    to_remove = available - min_available
    total = 0
    for rs in counts.by_creation(old):
        if total >= to_remove:
            break
        size = counts.spec_replicas(rs)
        if size == 0:
            continue
        count = min(size, to_remove - total)
        await r.scale_and_record(rs, size - count)
        total += count
    return total
