"""The options every write carries, whoever makes it (an HTTP client or a component)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kitlib.sim.machinery.errors import BadRequest, Invalid, not_supported


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
    def from_body(cls, body: Any, *, query: dict[str, str]) -> DeleteOptions:
        """DeleteOptions from a request body and/or query string (the query wins).

        Raises BadRequest for a body of the wrong shape, worded as Go's decoder words it.
        """
        body = body if body is not None else {}
        if not isinstance(body, dict):
            raise _unmarshal(body, "", "v1.DeleteOptions")
        pre = body.get("preconditions") or {}
        if not isinstance(pre, dict):
            raise _unmarshal(pre, "preconditions", "v1.Preconditions")
        for key in ("uid", "resourceVersion"):
            if pre.get(key) is not None and not isinstance(pre[key], str):
                raise _unmarshal(pre[key], f"preconditions.{key}", "string")
        grace = query.get("gracePeriodSeconds", body.get("gracePeriodSeconds"))
        if isinstance(grace, bool) or (grace is not None and not isinstance(grace, (int, str))):
            raise _unmarshal(grace, "gracePeriodSeconds", "int64")
        try:
            grace_seconds = None if grace is None else int(grace)
        except ValueError:
            raise BadRequest(f'strconv.ParseInt: parsing "{grace}": invalid syntax') from None
        policy = query.get("propagationPolicy", body.get("propagationPolicy"))
        if policy is not None and policy not in POLICIES:
            raise Invalid(kind="DeleteOptions", name="", errors=[
                not_supported("propagationPolicy", policy, POLICIES)])
        orphan = query.get("orphanDependents", body.get("orphanDependents"))
        if policy is None and orphan is not None:
            policy = "Orphan" if str(orphan).lower() == "true" else "Background"
        dry = query.get("dryRun") or body.get("dryRun")
        if dry is not None and not isinstance(dry, (str, list)):
            raise _unmarshal(dry, "dryRun", "[]string")
        return cls(
            dry_run=bool(dry) and ("All" in dry if isinstance(dry, list) else dry == "All"),
            grace_period_seconds=grace_seconds,
            propagation_policy=policy,
            precondition_uid=pre.get("uid"),
            precondition_rv=pre.get("resourceVersion"),
        )


POLICIES = ("Foreground", "Background", "Orphan")


def _go_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _unmarshal(value: Any, field_name: str, go_type: str) -> BadRequest:
    where = f"Go struct field DeleteOptions.{field_name}" if field_name else "Go value"
    return BadRequest(f"json: cannot unmarshal {_go_kind(value)} into {where} of type {go_type}")
