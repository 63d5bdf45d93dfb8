"""kube-scheduler for the simulated cluster: the queue, the plugins, the binding.

``Scheduler`` is the component; the other modules are its parts, each after the part of
kube-scheduler it models (the cache, the scheduling queue, the filter and score plugins,
preemption, and the texts a learner reads in ``kubectl describe pod``).
"""

from __future__ import annotations

from kitlib.sim.scheduler.scheduler import Scheduler

__all__ = ["Scheduler"]
