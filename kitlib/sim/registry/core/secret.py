"""Secrets: like ConfigMaps, for data that should stay private.

``stringData`` is a write-only convenience: the server merges it into ``data`` (base64)
and never returns it.  ``data`` values must be base64, or the request is a 400 at decode.
"""

from __future__ import annotations

import base64
import json
import string
from typing import Any

from kitlib.sim.machinery.errors import FieldError, invalid, not_handled, required, too_long
from kitlib.sim.machinery.validation import validate_immutable
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.configmap import (MAX_DATA_SIZE, validate_data_keys,
                                                validate_immutable_data)
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]

_BASE64 = frozenset(string.ascii_letters + string.digits + "+/")


def base64_error(text: str) -> int | None:
    """The offset Go's decoder reports as "illegal base64 data at input byte N", or None."""
    clean = text.replace("\r", "").replace("\n", "")
    for i, ch in enumerate(clean):
        if ch == "=":
            rest = clean[i:]
            if len(clean) % 4 or len(rest) > 2 or rest.strip("=") or i % 4 < 2:
                return i
            return None
        if ch not in _BASE64:
            return i
    if len(clean) % 4:
        return len(clean) - len(clean) % 4  # Go points at the incomplete last quantum
    return None


def _decoded(secret: JSON) -> dict[str, bytes]:
    data = secret.get("data") if isinstance(secret.get("data"), dict) else {}
    return {k: base64.b64decode(str(v)) for k, v in data.items()}


class SecretStrategy(Strategy):
    selectable_fields = ("type",)

    def default(self, obj: JSON) -> None:
        if not obj.get("type"):
            obj["type"] = "Opaque"
        data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
        for key, value in data.items():
            offset = base64_error(str(value))
            if offset is not None:
                raise not_handled(kind="Secret", version="v1",
                                  problem=f"illegal base64 data at input byte {offset}")
            data[key] = str(value).replace("\r", "").replace("\n", "")
        string_data = obj.pop("stringData", None)
        if isinstance(string_data, dict):
            for key, value in string_data.items():
                data[key] = base64.b64encode(str(value).encode()).decode()
        if data:
            obj["data"] = data

    def validate(self, obj: JSON) -> list[FieldError]:
        errs, _ = validate_data_keys(obj.get("data"), "data")
        decoded = _decoded(obj)
        if sum(len(v) for v in decoded.values()) > MAX_DATA_SIZE:
            errs.append(too_long("data", MAX_DATA_SIZE))
        kind = obj.get("type") or ""
        annotations = d(d(obj.get("metadata")).get("annotations"))
        if kind == "kubernetes.io/service-account-token":
            if not annotations.get("kubernetes.io/service-account.name"):
                errs.append(required(
                    "metadata.annotations[kubernetes.io/service-account.name]"))
        elif kind in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
            key = ".dockercfg" if kind == "kubernetes.io/dockercfg" else ".dockerconfigjson"
            if key not in decoded:
                errs.append(required(f"data[{key}]"))
            else:
                try:
                    parsed = json.loads(decoded[key])
                    problem = "" if isinstance(parsed, dict) else (
                        "json: cannot unmarshal array into Go value of type map[string]interface {}")
                except ValueError as exc:
                    problem = f"invalid character at offset {exc.pos if hasattr(exc, 'pos') else 0}"
                if problem:
                    errs.append(invalid(f"data[{key}]", "<secret contents redacted>", problem))
        elif kind == "kubernetes.io/basic-auth":
            if "username" not in decoded and "password" not in decoded:
                errs += [required("data[username]"), required("data[password]")]
        elif kind == "kubernetes.io/ssh-auth":
            if not decoded.get("ssh-privatekey"):
                errs.append(required("data[ssh-privatekey]"))
        elif kind == "kubernetes.io/tls":
            errs += [required(f"data[{key}]") for key in ("tls.crt", "tls.key")
                     if key not in decoded]
        return errs

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        errs = validate_immutable(new.get("type", ""), old.get("type", ""), "type")
        return errs + validate_immutable_data(new, old, ("data",)) + self.validate(new)

    def field_values(self, obj: JSON) -> dict[str, str]:
        return {"type": obj.get("type", "")}
