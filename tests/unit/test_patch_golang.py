"""Go's rendering of decoded JSON values, as patch error messages quote them."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.machinery.patch.golang import go_float, go_string_verb, go_type, go_value


@pytest.mark.parametrize("value, text", [
    (None, "<nil>"), (True, "true"), (False, "false"), ("nginx:1.16", "nginx:1.16"),
    (80, "80"), (-3, "-3"), (1.5, "1.5"), (2.0, "2"),
    ({"name": "x", "image": "y", "$patch": "delete"}, "map[$patch:delete image:y name:x]"),
    ({"a": {"b": [1, "c", None]}}, "map[a:map[b:[1 c <nil>]]]"),
    ([], "[]"), ({}, "map[]"),
])
def test_percent_v(value: Any, text: str) -> None:
    assert go_value(value) == text


@pytest.mark.parametrize("value, text", [
    (100000.0, "100000"), (1000000.0, "1e+06"), (1234567.0, "1.234567e+06"),
    (0.0001, "0.0001"), (0.00001, "1e-05"), (-2.5e-7, "-2.5e-07"), (0.0, "0"),
    (123.456, "123.456"), (1e21, "1e+21"),
])
def test_floats_use_the_shortest_form(value: float, text: str) -> None:
    assert go_float(value) == text


@pytest.mark.parametrize("value, text", [
    ("delete", "delete"), (1, "%!s(int64=1)"), (1.5, "%!s(float64=1.5)"),
    (True, "%!s(bool=true)"), (None, "%!s(<nil>)"),
])
def test_percent_s(value: Any, text: str) -> None:
    assert go_string_verb(value) == text


@pytest.mark.parametrize("value, text", [
    ({}, "map[string]interface {}"), ([], "[]interface {}"), ("", "string"),
    (1, "int64"), (1.0, "float64"), (True, "bool"), (None, "%!s(<nil>)"),
])
def test_type_names(value: Any, text: str) -> None:
    assert go_type(value) == text
