"""What the API server knows about one kind: its names, and its strategy.

A *strategy* is Kubernetes' name (pkg/registry/.../strategy.go) for the per-kind rules
around a write: what is defaulted, what is validated, what an update of the main resource
or of its status may change, and which fields a field selector can match.  The generic
request handling in ``apiserver`` stays the same for every kind and calls these hooks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Protocol

from kitlib.sim.machinery.errors import FieldError
from kitlib.sim.machinery.validation import name_is_dns_subdomain

JSON = dict[str, Any]


class Presenter(Protocol):
    """Converts between a view's shape and the stored shape of the same objects."""

    def to_view(self, stored: JSON) -> JSON: ...

    def from_view(self, shown: JSON) -> JSON: ...


class Transaction(Protocol):
    """What a write took from shared pools (ClusterIPs, NodePorts): kept or given back."""

    def commit(self) -> None: ...

    def revert(self) -> None: ...


class Strategy:
    """Default behaviour of a kind; each kind's module overrides what differs."""

    #: Kinds whose ``metadata.generation`` counts spec changes (deployments, ...).
    has_generation: ClassVar[bool] = False
    #: Kinds with a ``status`` subresource ignore status on the main resource and vice versa.
    has_status: ClassVar[bool] = False
    #: PUT without metadata.resourceVersion is allowed (true for almost every kind).
    allow_unconditional_update: ClassVar[bool] = True
    #: PUT of an object that does not exist creates it (endpoints, events, leases, ...).
    allow_create_on_update: ClassVar[bool] = False
    #: Field selectors this kind supports besides metadata.name and metadata.namespace.
    selectable_fields: ClassVar[tuple[str, ...]] = ()
    #: The kind's name rule (DNS-1123 subdomain for most; labels for Services, Namespaces).
    name_fn: ClassVar[Callable[..., list[str]]] = staticmethod(name_is_dns_subdomain)
    #: False for kinds whose metadata the server does not validate (core/v1 Events).
    validates_object_meta: ClassVar[bool] = True
    #: What a DELETE without propagationPolicy does to dependents (DefaultGarbageCollectionPolicy).
    default_propagation_policy: ClassVar[str] = "Background"

    def begin_create(self, obj: JSON) -> Transaction | None:
        """Take what a new object needs from shared pools (after defaulting)."""
        return None

    def begin_update(self, new: JSON, old: JSON) -> Transaction | None:
        return None

    def deleted(self, obj: JSON) -> None:
        """The object is gone for good: give back what it held."""

    def restored(self, obj: JSON) -> None:
        """The object was read back from disk at start-up: mark what it holds as taken."""

    def default(self, obj: JSON) -> None:
        """Fill in defaults, as the server's defaulting functions do after decoding."""

    def prepare_for_create(self, obj: JSON) -> None:
        """Reset what a client may not set on create (status, for most kinds)."""
        if self.has_status:
            obj.pop("status", None)

    def validate(self, obj: JSON) -> list[FieldError]:
        """Errors in a new object, beyond object metadata (checked by the caller)."""
        return []

    def prepare_for_update(self, new: JSON, old: JSON) -> None:
        """Keep what an update of the main resource may not change (status, usually)."""
        if self.has_status:
            if "status" in old:
                new["status"] = old["status"]
            else:
                new.pop("status", None)

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        """Errors in an update: the new object's own, plus immutable fields changed."""
        return self.validate(new)

    def prepare_for_status_update(self, new: JSON, old: JSON) -> None:
        """A status update keeps everything but status (and metadata it may touch)."""
        for key, value in old.items():
            if key not in ("status", "metadata"):
                new[key] = value
        for key in list(new):
            if key not in old and key not in ("status", "metadata", "kind", "apiVersion"):
                del new[key]

    def validate_status_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return []

    def grace_period(self, obj: JSON, requested: int | None) -> int:
        """Seconds a deletion waits (pods: for their containers to stop); 0 deletes at once."""
        return 0

    def prepare_for_delete(self, obj: JSON) -> None:
        """Changes made when a deletion is pending (a namespace turns Terminating)."""

    def deletion_pending(self, obj: JSON) -> bool:
        """Whether something besides metadata.finalizers holds a deletion back
        (a namespace's spec.finalizers)."""
        return False

    def spec_changed(self, new: JSON, old: JSON) -> bool:
        """Whether ``metadata.generation`` should be bumped by this update."""
        return new.get("spec") != old.get("spec")

    def field_values(self, obj: JSON) -> dict[str, str]:
        """The values of ``selectable_fields`` for field selectors (strings, as on the wire)."""
        return {}

    def summary(self, obj: JSON) -> str:
        """A short description for logs: not part of the API."""
        meta = obj.get("metadata", {})
        return f'{meta.get("namespace", "")}/{meta.get("name", "")}'


@dataclass(frozen=True, kw_only=True)
class ResourceType:
    """One resource as discovery, routing and storage know it."""

    group: str                      # "" for the core group
    version: str
    kind: str
    plural: str
    singular: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()          # "status", "scale", "binding", ...
    verbs: tuple[str, ...] = ("create", "delete", "deletecollection", "get", "list",
                              "patch", "update", "watch")
    # Strategies hold per-cluster state (allocators): two clusters' catalogues of the same
    # resources compare equal all the same.
    strategy: Strategy = field(default_factory=Strategy, compare=False)
    # Where the kind's defaulting and validation errors are reported: Go's "Pod", "Deployment".
    list_kind: str = ""
    #: For a view of another resource's objects (events.k8s.io Events are core Events): that
    #: resource's key, and the presenter converting between the two shapes.
    storage: str = ""
    presenter: Presenter | None = field(default=None, compare=False)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def key(self) -> str:
        """The registry's name for this resource: ``pods``, ``deployments.apps``."""
        return self.group_resource

    @property
    def store_key(self) -> str:
        """Where its objects are stored (another resource's key for a view)."""
        return self.storage or self.group_resource

    def list_kind_name(self) -> str:
        return self.list_kind or f"{self.kind}List"
