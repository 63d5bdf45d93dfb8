"""ConfigMaps: configuration as key-value data."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from kitlib.sim.machinery.errors import FieldError, forbidden, invalid, too_long
from kitlib.sim.machinery.validation import is_config_map_key
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]

#: core.MaxSecretSize: the limit on the data of a ConfigMap or a Secret.
MAX_DATA_SIZE = 1024 * 1024


def validate_data_keys(data: Any, path: str) -> tuple[list[FieldError], int]:
    """Each key a valid config key; returns the errors and the total size of the values."""
    errs: list[FieldError] = []
    size = 0
    for key, value in (data.items() if isinstance(data, dict) else ()):
        errs += [invalid(f"{path}[{key}]", key, msg) for msg in is_config_map_key(str(key))]
        size += len(str(value).encode())
    return errs, size


def validate_immutable_data(new: JSON, old: JSON, keys: tuple[str, ...]) -> list[FieldError]:
    """An object created with ``immutable: true`` keeps its data and the flag forever."""
    if old.get("immutable") is not True:
        return []
    errs: list[FieldError] = []
    if new.get("immutable") is not True:
        errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
    for key in keys:
        if d(new.get(key)) != d(old.get(key)):
            errs.append(forbidden(key, "field is immutable when `immutable` is set"))
    return errs


def binary_size(value: Any) -> int:
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value))


class ConfigMapStrategy(Strategy):

    def validate(self, obj: JSON) -> list[FieldError]:
        errs, size = validate_data_keys(obj.get("data"), "data")
        binary = obj.get("binaryData") if isinstance(obj.get("binaryData"), dict) else {}
        for key in d(obj.get("data")):
            if key in binary:
                errs.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        binary_errs, _ = validate_data_keys(binary, "binaryData")
        errs += binary_errs
        size += sum(binary_size(v) for v in binary.values())
        if size > MAX_DATA_SIZE:
            errs.append(too_long("", MAX_DATA_SIZE))
        return errs

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return validate_immutable_data(new, old, ("data", "binaryData")) + self.validate(new)
