"""The deployment controller: Deployments rolled out through ReplicaSets.

It follows Deployments, the ReplicaSets they own (whose statuses, written by the
ReplicaSet controller, carry the pod counts it needs) and, for Recreate rollouts, pod
deletions.  Each change queues the Deployment concerned; a sync (``sync_deployment``)
claims its ReplicaSets, then either only scales (paused, or ``spec.replicas`` changed) or
takes the next step of its strategy, and writes the status ``kubectl rollout status``
waits on.  It never touches pods: the ReplicaSet controller makes and removes them.
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.controllers.base import Controller, key_of, split_key
from kitlib.sim.controllers.deployment.ownership import (ReplicaSetIndex, claim_replica_sets,
                                                         controller_ref)
from kitlib.sim.controllers.deployment.recreate import rollout_recreate
from kitlib.sim.controllers.deployment.rolling import rollout_rolling
from kitlib.sim.controllers.deployment.scaling import is_scaling_event, sync_scaling
from kitlib.sim.controllers.deployment.status import (check_paused_conditions,
                                                     sync_status_only)
from kitlib.sim.controllers.deployment.sync import Rollout
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.labels import NOTHING, LabelSelector, from_label_selector
from kitlib.sim.store.records import Record

JSON = dict[str, Any]


class DeploymentController(Controller):
    name = "deployment-controller"
    #: kube-controller-manager's --concurrent-deployment-syncs default.
    workers = 5

    def setup(self) -> None:
        self.deployments = self.ctx.informers("deployments.apps")
        self.replica_sets = self.ctx.informers("replicasets.apps")
        self.pods = self.ctx.informers("pods")
        self.index = ReplicaSetIndex()
        # namespace -> deployment -> its selector (to find who adopts an orphan)
        self._selectors: dict[str, dict[str, LabelSelector]] = {}
        # namespace -> Recreate deployments (which wait for old pods to be gone)
        self._recreate: dict[str, set[str]] = {}
        # key -> simulated time of the pending progress-deadline check
        self._checks: dict[str, float] = {}
        self.deployments.add_handler(self._deployment_changed)
        self.replica_sets.add_handler(self._replica_set_changed)
        self.pods.add_handler(self._pod_changed)

    # --- informer handlers (quick: they only queue keys) ---------------------------------

    def _deployment_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind == "DELETED":
            self.forget(record.namespace, record.name)
            return
        self.queue.add(key_of(record))

    def note(self, namespace: str, name: str, *, selector: LabelSelector,
             recreate: bool) -> None:
        """What the handlers need to know of a Deployment (its sync parsed it anyway)."""
        self._selectors.setdefault(namespace, {})[name] = selector
        if recreate:
            self._recreate.setdefault(namespace, set()).add(name)
        else:
            self._recreate.get(namespace, set()).discard(name)

    def forget(self, namespace: str, name: str) -> None:
        self._selectors.get(namespace, {}).pop(name, None)
        self._recreate.get(namespace, set()).discard(name)
        self._checks.pop(f"{namespace}/{name}", None)

    def _replica_set_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind == "MODIFIED" and prev is not None and prev.rv == record.rv:
            return
        was_orphan = self.index.is_orphan(record.namespace, record.name)
        before, after = self.index.observe(kind, record)
        if before is not None and before != after:
            self.queue.add(f"{record.namespace}/{before}")
        if after is not None:
            self.queue.add(f"{record.namespace}/{after}")
            return
        if kind == "DELETED" or not self.index.is_orphan(record.namespace, record.name):
            return
        # An orphan: the Deployments that would adopt it, when it appears or changes labels.
        if kind == "ADDED" or prev is None or prev.labels != record.labels or not was_orphan:
            for name, selector in self._selectors.get(record.namespace, {}).items():
                if selector.matches(record.labels):
                    self.queue.add(f"{record.namespace}/{name}")

    def _pod_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        # Only Recreate rollouts care, and only about pods going away.
        if kind != "DELETED" or not self._recreate.get(record.namespace):
            return
        ref = controller_ref(record.object())
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        owner = self.index.owner(record.namespace, str(ref.get("name", "")))
        if owner is not None and owner in self._recreate[record.namespace]:
            self.queue.add(f"{record.namespace}/{owner}")

    def requeue_after(self, key: str, seconds: float) -> None:
        """Look at ``key`` again in ``seconds`` (simulated), unless a check is due sooner."""
        now = self.ctx.clock.time()
        due = now + seconds
        pending = self._checks.get(key)
        if pending is not None and now < pending <= due:
            return
        self._checks[key] = due
        self.queue.add_after(key, seconds)

    # --- the sync ------------------------------------------------------------------------

    async def sync(self, key: str) -> None:
        namespace, name = split_key(key)
        try:
            await sync_deployment(self, namespace, name)
        except errors.Forbidden:
            return          # the namespace is being deleted: its Deployments go with it
        except errors.NotFound:
            if self.deployments.get(namespace, name) is not None:
                self.queue.add_rate_limited(key)   # a ReplicaSet vanished under us


async def sync_deployment(ctl: DeploymentController, namespace: str, name: str) -> None:
    """``syncDeployment``: one step of one Deployment towards its spec."""
    record = ctl.deployments.get(namespace, name)
    if record is None:
        return
    deployment = record.object()
    spec = deployment.get("spec") or {}
    raw_selector = spec.get("selector")
    if isinstance(raw_selector, dict) and not raw_selector.get("matchLabels") \
            and not raw_selector.get("matchExpressions"):
        await _selecting_all(ctl, deployment)
        return
    try:
        selector = from_label_selector(raw_selector)
    except errors.BadRequest:
        selector = NOTHING
    recreate = (spec.get("strategy") or {}).get("type") == "Recreate"
    ctl.note(namespace, name, selector=selector, recreate=recreate)
    if selector is NOTHING:
        return
    replica_sets = await claim_replica_sets(ctl, deployment, selector)
    r = Rollout(ctl, deployment, replica_sets, selector=selector)
    if deployment["metadata"].get("deletionTimestamp"):
        await sync_status_only(r)
        return
    await check_paused_conditions(r)
    if spec.get("paused") or await is_scaling_event(r):
        await sync_scaling(r)
        return
    if recreate:
        await rollout_recreate(r)
    else:
        await rollout_rolling(r)


async def _selecting_all(ctl: DeploymentController, deployment: JSON) -> None:
    await ctl.recorder.event(deployment, type="Warning", reason="SelectingAll",
                             message="This deployment is selecting all pods. A non-empty "
                                     "selector is required.")
    status = deployment.setdefault("status", {})
    generation = deployment["metadata"].get("generation", 0)
    if status.get("observedGeneration", 0) < generation:
        status["observedGeneration"] = generation
        await ctl.client.update("deployments.apps", deployment, subresource="status")

