"""Writing a Deployment's status, and looking again before its progress deadline.

``progress`` computes what the status should be; this module compares it with what is
stored and writes it only when it differs (as the real controller's DeepEqual check
does).  An unchanged status of a rollout that is neither complete nor timed out gets a
delayed look at the moment its ``progressDeadlineSeconds`` would run out, on the
simulated clock, so that ``ProgressDeadlineExceeded`` appears without any other event.
"""

from __future__ import annotations

from typing import Sequence

from kitlib.sim.controllers.deployment import progress
from kitlib.sim.controllers.deployment.sync import JSON, RS, Rollout


def _unchanged(r: Rollout, status: JSON) -> bool:
    return progress.ordered(status) == progress.ordered(r.status)


async def sync_status(r: Rollout, all_rss: Sequence[RS | None], new_rs: RS | None) -> None:
    """``syncDeploymentStatus``: the counts and Available, no verdict on progress."""
    status = progress.calculate_status(all_rss, new_rs, r.d, now=r.now())
    if not _unchanged(r, status):
        await r.write_status(status)


async def sync_status_only(r: Rollout) -> None:
    """A Deployment being deleted: report, change nothing."""
    new_rs, old = await r.replica_sets(create=False)
    await sync_status(r, [*old, new_rs], new_rs)


async def sync_rollout_status(r: Rollout, all_rss: Sequence[RS | None],
                              new_rs: RS | None) -> None:
    """``syncRolloutStatus``: counts and conditions; look again before the deadline."""
    status = progress.rollout_status(all_rss, new_rs, r.d, now=r.now(),
                                     now_seconds=r.ctl.ctx.clock.time())
    if _unchanged(r, status):
        _requeue_stuck(r, status)
        return
    await r.write_status(status)


def _requeue_stuck(r: Rollout, status: JSON) -> None:
    current = progress.get_condition(r.status, progress.PROGRESSING)
    if not progress.has_progress_deadline(r.d) or current is None:
        return
    if progress.deployment_complete(r.d, status) or current.get("reason") == progress.TIMED_OUT:
        return
    due = progress.parse_time(current.get("lastUpdateTime")) \
        + r.d["spec"]["progressDeadlineSeconds"]
    r.ctl.requeue_after(r.key, max(due - r.ctl.ctx.clock.time(), 0.0) + 1.0)


async def check_paused_conditions(r: Rollout) -> None:
    """Mark Progressing Unknown while paused (so a pause never counts as stuck)."""
    if not progress.has_progress_deadline(r.d):
        return
    current = progress.get_condition(r.status, progress.PROGRESSING)
    if current is not None and current.get("reason") == progress.TIMED_OUT:
        return
    noted = current is not None and current.get("reason") == progress.PAUSED
    paused = bool(r.d["spec"].get("paused"))
    if paused and not noted:
        reason, message = progress.PAUSED, "Deployment is paused"
    elif not paused and noted:
        reason, message = progress.RESUMED, "Deployment is resumed"
    else:
        return
    progress.set_condition(r.status, progress.condition(
        progress.PROGRESSING, "Unknown", reason, message, now=r.now()))
    await r.write_status()
