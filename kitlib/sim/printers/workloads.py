"""``kubectl get deployments | replicasets | replicationcontrollers``.

Deployments show ``READY`` as ``ready/desired`` with UP-TO-DATE and AVAILABLE counts;
ReplicaSets and ReplicationControllers show DESIRED CURRENT READY.  All three add
CONTAINERS, IMAGES and SELECTOR in wide output.  The column descriptions are written for
the kit.
Counts are JSON integers even where the column says ``string`` (as on the wire).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.printers.humanize import parse_time, since
from kitlib.sim.printers.selectors import (SelectorError, format_label_selector, format_labels,
                                           selector_string)
from kitlib.sim.printers.table import (AGE, CONTAINERS_DOC, IMAGES_DOC, NAME, Column, Printer,
                                       Row, creation_of, layout_containers, name_of)

JSON = dict[str, Any]

_SELECTOR_INFO = ("https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"
                  "#label-selectors")

DEPLOYMENT_COLUMNS = (
    NAME,
    Column("Ready", description="How many of the deployment's pods are ready, out of how many "
                                "replicas it asks for."),
    Column("Up-to-date", description="How many of the deployment's pods already run its current "
                                     "pod template."),
    Column("Available", description="How many of the deployment's pods have stayed ready for "
                                    "at least minReadySeconds."),
    AGE,
    Column("Containers", priority=1, description=CONTAINERS_DOC),
    Column("Images", priority=1, description=IMAGES_DOC),
    Column("Selector", priority=1, description="The labels that pick out the deployment's "
                                               "pods. See " + _SELECTOR_INFO),
)

REPLICA_SET_COLUMNS = (
    NAME,
    Column("Desired", type="integer", description=(
        "How many pods the ReplicaSet is asked to run (spec.replicas, 1 if unset).")),
    Column("Current", type="integer", description=(
        "How many pods the ReplicaSet last counted as its own.")),
    Column("Ready", type="integer", description=(
        "How many of the ReplicaSet's pods are ready.")),
    AGE,
    Column("Containers", priority=1, description=CONTAINERS_DOC),
    Column("Images", priority=1, description=IMAGES_DOC),
    Column("Selector", priority=1, description=(
        "The labels that pick out the ReplicaSet's pods. See " + _SELECTOR_INFO)),
)

REPLICATION_CONTROLLER_COLUMNS = (
    NAME,
    Column("Desired", type="integer", description=(
        "How many pods the ReplicationController is asked to run (spec.replicas, 1 if unset).")),
    Column("Current", type="integer", description=(
        "How many pods the ReplicationController last counted as its own.")),
    Column("Ready", type="integer", description=(
        "How many of the ReplicationController's pods are ready.")),
    AGE,
    Column("Containers", priority=1, description=CONTAINERS_DOC),
    Column("Images", priority=1, description=IMAGES_DOC),
    Column("Selector", priority=1, description=(
        "The labels that pick out the ReplicationController's pods. See " + _SELECTOR_INFO)),
)


def _desired(spec: JSON) -> int:
    # Defaulting sets spec.replicas to 1; a stored object always has it.
    replicas = spec.get("replicas")
    return 1 if replicas is None else int(replicas)


def _template_containers(spec: JSON) -> list[JSON]:
    template = spec.get("template") or {}
    return (template.get("spec") or {}).get("containers") or []


def print_deployment(obj: JSON, now: datetime) -> Row:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    try:
        selector = selector_string(spec.get("selector"))
    except SelectorError:
        selector = "<invalid>"
    names, images = layout_containers(_template_containers(spec))
    return Row([name_of(obj), f"{status.get('readyReplicas') or 0}/{_desired(spec)}",
                int(status.get("updatedReplicas") or 0), int(status.get("availableReplicas") or 0),
                since(parse_time(creation_of(obj)), now=now), names, images, selector])


def _replica_cells(obj: JSON, now: datetime) -> list[Any]:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    return [name_of(obj), _desired(spec), int(status.get("replicas") or 0),
            int(status.get("readyReplicas") or 0), since(parse_time(creation_of(obj)), now=now),
            *layout_containers(_template_containers(spec))]


def print_replica_set(obj: JSON, now: datetime) -> Row:
    selector = format_label_selector((obj.get("spec") or {}).get("selector"))
    return Row([*_replica_cells(obj, now), selector])


def print_replication_controller(obj: JSON, now: datetime) -> Row:
    selector = format_labels((obj.get("spec") or {}).get("selector"))
    return Row([*_replica_cells(obj, now), selector])


DEPLOYMENTS = Printer(DEPLOYMENT_COLUMNS, print_deployment)
REPLICA_SETS = Printer(REPLICA_SET_COLUMNS, print_replica_set)
REPLICATION_CONTROLLERS = Printer(REPLICATION_CONTROLLER_COLUMNS, print_replication_controller)

# ``kubectl get deploy x --subresource=scale``: the autoscaling/v1 Scale of a workload.
SCALE_COLUMNS = (
    NAME,
    Column("Desired", type="integer", description="How many replicas the workload asks for."),
    Column("Available", type="integer", description="How many replicas it has now."),
    AGE,
)


def print_scale(obj: JSON, now: datetime) -> Row:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    return Row([name_of(obj), spec.get("replicas", 0), status.get("replicas", 0),
                since(parse_time(creation_of(obj)), now=now)])


SCALES = Printer(SCALE_COLUMNS, print_scale)
