"""Quantities are stored in canonical form, as resource.Quantity serialises them."""

from __future__ import annotations

import pytest

from kitlib.sim.machinery.quantity import (FORMAT_ERROR, SUFFIX_ERROR, QuantityError, canonical,
                                           parse_quantity)


@pytest.mark.parametrize(("raw", "expected"), [
    ("500m", "500m"), ("1000m", "1"), ("1500m", "1500m"), ("0.5", "500m"), ("1.5", "1500m"),
    ("0.1", "100m"), ("1", "1"), ("1e3", "1e3"), ("129e6", "129e6"), ("10k", "10k"),
    ("1Gi", "1Gi"), ("1.5Gi", "1536Mi"), ("1024Mi", "1Gi"), ("0.5Ki", "512"), ("100Ki", "100Ki"),
    ("128974848", "128974848"), ("129M", "129M"), ("0", "0"), ("0m", "0"), ("-1", "-1"),
    ("100u", "100u"), ("1n", "1n"), ("0.0000000001", "1n"), (".5", "500m"), ("  2  ", "2"),
    (2, "2"), (0.5, "500m"), ("1E", "1E"), ("5e-3", "5e-3"),
])
def test_canonical_form(raw: object, expected: str) -> None:
    assert canonical(raw) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("abc", FORMAT_ERROR), ("1Gb", FORMAT_ERROR), ("", FORMAT_ERROR), ("1..2", FORMAT_ERROR),
    ("1 Gi", FORMAT_ERROR), ("1e", SUFFIX_ERROR), (True, FORMAT_ERROR), ([], FORMAT_ERROR),
])
def test_malformed_quantities(raw: object, message: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(raw)
    assert str(caught.value) == message


def test_format_error_is_the_real_text() -> None:
    assert FORMAT_ERROR == ("quantities must match the regular expression "
                            "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


def test_comparisons_are_semantic() -> None:
    assert parse_quantity("1") == parse_quantity("1000m")
    assert parse_quantity("1Gi") > parse_quantity("1G")
    assert parse_quantity("250m") < parse_quantity("0.3")


def test_round_up_to_milli_as_resource_lists_are() -> None:
    assert str(parse_quantity("100u").round_up(-3)) == "1m"
    assert str(parse_quantity("1.0001").round_up(-3)) == "1001m"
    assert str(parse_quantity("2").round_up(-3)) == "2"


def test_milli_and_integer_values_round_up() -> None:
    assert parse_quantity("1.5").milli_value() == 1500
    assert parse_quantity("1n").milli_value() == 1
    assert parse_quantity("1.2").value_int() == 2
