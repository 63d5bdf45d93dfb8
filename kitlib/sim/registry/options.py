"""The options every write carries, whoever makes it (an HTTP client or a component)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(kw_only=True)
class WriteOptions:
    dry_run: bool = False
    field_manager: str = ""
    #: Where the write came from, for managedFields: "" (main resource), "status", "scale".
    subresource: str = ""
    #: Warnings for the client (the Warning header), e.g. unknown fields under Warn.
    warnings: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class DeleteOptions:
    dry_run: bool = False
    grace_period_seconds: int | None = None
    propagation_policy: str | None = None      # Orphan, Background, Foreground
    precondition_uid: str | None = None
    precondition_rv: str | None = None

    @classmethod
    def from_body(cls, body: dict | None, *, query: dict[str, str]) -> DeleteOptions:
        """DeleteOptions from a request body and/or query string (the query wins)."""
        body = body or {}
        pre = body.get("preconditions") or {}
        grace = query.get("gracePeriodSeconds", body.get("gracePeriodSeconds"))
        policy = query.get("propagationPolicy", body.get("propagationPolicy"))
        orphan = query.get("orphanDependents", body.get("orphanDependents"))
        if policy is None and orphan is not None:
            policy = "Orphan" if str(orphan).lower() == "true" else "Background"
        dry = query.get("dryRun") or body.get("dryRun")
        return cls(
            dry_run=bool(dry) and ("All" in dry if isinstance(dry, list) else dry == "All"),
            grace_period_seconds=None if grace is None else int(grace),
            propagation_policy=policy,
            precondition_uid=pre.get("uid"),
            precondition_rv=pre.get("resourceVersion"),
        )
