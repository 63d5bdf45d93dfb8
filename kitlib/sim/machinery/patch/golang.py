"""How Go prints decoded JSON, for the error messages the patch engines quote.

The real patch code builds many of its messages with ``fmt.Errorf("...%v...", value)`` on
values decoded into ``interface{}``: maps come out as ``map[k:v k2:v2]`` with sorted keys,
lists as ``[a b]``, null as ``<nil>``.  kubectl prints those messages verbatim
("map: map[image:nginx] does not contain declared merge key: name"), so the simulated
server renders values the same way.  Integers are Go ``int64`` and fractions ``float64``,
as k8s.io/apimachinery's JSON decoding leaves them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any


def go_value(value: Any) -> str:
    """``fmt.Sprintf("%v", value)`` for a decoded JSON value."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_value(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    return str(value)


def go_string_verb(value: Any) -> str:
    """``fmt.Sprintf("%s", value)``: fine for strings, ``%!s(int64=1)`` for the rest."""
    if isinstance(value, str):
        return value
    if value is None:
        return "%!s(<nil>)"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_string_verb(value[k])}"
                                 for k in sorted(value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(go_string_verb(v) for v in value) + "]"
    return f"%!s({go_type(value)}={go_value(value)})"


def go_type(value: Any) -> str:
    """``reflect.TypeOf(value)`` as ``%s`` prints it."""
    if value is None:
        return "%!s(<nil>)"      # a nil reflect.Type
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    return type(value).__name__


def go_json_kind(value: Any) -> str:
    """The word encoding/json uses for a value it cannot unmarshal ("array", "number")."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "null"


def go_float(value: float) -> str:
    """``%v`` of a float64: the shortest digits, exponent form outside [1e-4, 1e6)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + int(exponent)          # position of the decimal point
    prefix = "-" if sign else ""
    exp10 = point - 1
    if exp10 < -4 or exp10 >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}"
    if point <= 0:
        return f"{prefix}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return prefix + digits + "0" * (point - len(digits))
    return f"{prefix}{digits[:point]}.{digits[point:]}"
