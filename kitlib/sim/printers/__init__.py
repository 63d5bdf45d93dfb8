"""Server-side printing: the Tables kube-apiserver renders for ``kubectl get``.

kubectl does not format resources itself: it asks the server for a ``meta.k8s.io/v1``
Table and prints the columns and cells it is given.  So ``kubectl get pods`` on the
simulator shows READY, STATUS and RESTARTS exactly as a real cluster would only if these
printers reproduce Kubernetes' own (``pkg/printers/internalversion/printers.go``).

The API server calls :func:`to_table`; each module here models one family of kinds, and
kinds without a printer get the generic NAME / CREATED AT table, as on a real server.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.machinery.errors import BadRequest, invalid
from kitlib.sim.printers import cluster, events, nodes, pods, quota, services, workloads
from kitlib.sim.printers.default import DEFAULT
from kitlib.sim.printers.table import Column, Printer, Row, build_table

JSON = dict[str, Any]

__all__ = ["Column", "INCLUDE_OBJECT_VALUES", "Printer", "Row", "printer_for", "to_table"]

#: The values ``?includeObject=`` accepts ("" means the default, Metadata).
INCLUDE_OBJECT_VALUES = ("None", "Metadata", "Object", "")

# (API group, resource) -> printer.  Every version of a group/resource prints alike.
PRINTERS: dict[tuple[str, str], Printer] = {
    ("", "pods"): pods.PODS,
    ("", "replicationcontrollers"): workloads.REPLICATION_CONTROLLERS,
    ("apps", "deployments"): workloads.DEPLOYMENTS,
    ("apps", "replicasets"): workloads.REPLICA_SETS,
    ("autoscaling", "scale"): workloads.SCALES,
    ("", "services"): services.SERVICES,
    ("", "endpoints"): services.ENDPOINTS,
    ("discovery.k8s.io", "endpointslices"): services.ENDPOINT_SLICES,
    ("", "nodes"): nodes.NODES,
    ("", "events"): events.CORE_EVENTS,
    ("events.k8s.io", "events"): events.EVENTS_V1_EVENTS,
    ("", "namespaces"): cluster.NAMESPACES,
    ("", "configmaps"): cluster.CONFIG_MAPS,
    ("", "secrets"): cluster.SECRETS,
    ("", "serviceaccounts"): cluster.SERVICE_ACCOUNTS,
    ("coordination.k8s.io", "leases"): cluster.LEASES,
    ("", "resourcequotas"): quota.RESOURCE_QUOTAS,
    ("", "limitranges"): quota.LIMIT_RANGES,
    ("apiextensions.k8s.io", "customresourcedefinitions"): quota.CUSTOM_RESOURCE_DEFINITIONS,
}


def printer_for(*, group: str, resource: str) -> Printer:
    """The printer the server uses for ``resource`` in ``group`` (the default one if none)."""
    return PRINTERS.get((group, resource), DEFAULT)


def to_table(*, group: str, resource: str, objects: list[JSON], now: datetime,
             resource_version: str, continue_token: str = "",
             include_object: str = "Metadata", remaining_item_count: int | None = None,
             no_headers: bool = False) -> JSON:
    """The ``meta.k8s.io/v1`` Table for ``objects`` of one resource, as the server sends it.

    ``objects`` is one object for a GET, the items for a LIST, one event's object for a
    WATCH.  ``resource_version`` and ``continue_token`` fill the Table's ListMeta (for a
    GET, pass the object's own resourceVersion).  ``include_object`` is the
    ``?includeObject=`` value: ``"None"`` (``object: null``), ``"Metadata"`` (the default,
    also for ``""``: a PartialObjectMetadata) or ``"Object"`` (the object itself); anything
    else is the server's 400 BadRequest.  ``no_headers`` leaves out
    the column definitions, as the server does for every watch event after the first.
    ``now`` is the simulator's clock, used for every AGE-like cell.
    """
    if include_object not in INCLUDE_OBJECT_VALUES:
        problem = invalid("includeObject", include_object,
                          "must be 'Metadata', 'Object', 'None', or empty")
        raise BadRequest(f"Unable to convert to Table as requested: {problem}")
    return build_table(printer_for(group=group, resource=resource), objects, now=now,
                       resource_version=resource_version, continue_token=continue_token,
                       remaining_item_count=remaining_item_count,
                       include_object=include_object, no_headers=no_headers)
