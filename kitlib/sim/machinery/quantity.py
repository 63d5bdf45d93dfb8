"""Resource quantities ("500m", "1Gi", "0.5", "1e3") parsed and printed as the API server does.

A real server never stores the text a client sent: it decodes a ``resource.Quantity`` and
serialises it back in canonical form, so ``cpu: 1000m`` comes back as ``"1"`` and
``memory: 1.5Gi`` as ``"1536Mi"``.  Learners see these rewritten values in ``kubectl get -o
yaml``; this module reproduces the parse rules (k8s.io/apimachinery/pkg/api/resource), the
rounding to nano units, and the canonical printing of each of the three formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

#: Go's ErrFormatWrong: the text learners see for a malformed quantity.
FORMAT_ERROR = ("quantities must match the regular expression "
                "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
SUFFIX_ERROR = "unable to parse quantity's suffix"

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12,
                     "P": 15, "E": 18}
_DECIMAL_BY_EXPONENT = {exp: suffix for suffix, exp in _DECIMAL_SUFFIXES.items()}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_BINARY_BY_EXPONENT = {exp: suffix for suffix, exp in _BINARY_SUFFIXES.items()}
_SUFFIX_CHARS = frozenset("eEinumkKMGTP")
_DIGITS = frozenset("0123456789")
_NANO = Fraction(1, 10**9)


class QuantityError(ValueError):
    """A string that is not a quantity; ``str()`` is the message Go's parser gives."""


@dataclass(frozen=True)
class Quantity:
    """An exact amount plus the format it prints in (the suffix family it was written with)."""

    value: Fraction
    format: str = DECIMAL_SI

    def __str__(self) -> str:
        return _printed(self.value, self.format)

    def __lt__(self, other: Quantity) -> bool:
        return self.value < other.value

    def __le__(self, other: Quantity) -> bool:
        return self.value <= other.value

    def __gt__(self, other: Quantity) -> bool:
        return self.value > other.value

    def __ge__(self, other: Quantity) -> bool:
        return self.value >= other.value

    def __eq__(self, other: object) -> bool:
        # Semantic equality, as Quantity.Cmp: "1" equals "1000m".
        return isinstance(other, Quantity) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.value + other.value, self.format)

    def is_zero(self) -> bool:
        return self.value == 0

    def sign(self) -> int:
        return (self.value > 0) - (self.value < 0)

    def value_int(self) -> int:
        """Quantity.Value(): the amount rounded up to an integer."""
        return -((-self.value.numerator) // self.value.denominator)

    def milli_value(self) -> int:
        """Quantity.MilliValue(): the amount in thousandths, rounded up."""
        scaled = self.value * 1000
        return -((-scaled.numerator) // scaled.denominator)

    def round_up(self, scale: int) -> Quantity:
        """Quantity.RoundUp(scale): round away from zero to a multiple of 10**scale."""
        unit = _power_of_ten(scale)
        steps = abs(self.value) / unit
        if steps.denominator == 1:
            return self
        whole = steps.numerator // steps.denominator + 1
        return Quantity(whole * unit * (1 if self.value > 0 else -1), self.format)


def parse_quantity(raw: Any) -> Quantity:
    """Parse a quantity as it arrives in JSON: a string, or a bare number."""
    if isinstance(raw, bool) or raw is None:
        raise QuantityError(FORMAT_ERROR)
    if isinstance(raw, int):
        text = str(raw)
    elif isinstance(raw, float):
        text = repr(raw)
    elif isinstance(raw, str):
        text = raw.strip()
    else:
        raise QuantityError(FORMAT_ERROR)
    return _parse_text(text)


# Every pod's requests and limits are parsed several times (defaulting, validation, QoS,
# scheduling) and there are few distinct texts: the parse is remembered.  A Quantity is
# immutable, so sharing one is safe; texts that fail are not remembered (lru_cache keeps
# no exceptions).
@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Quantity:
    if not text:
        raise QuantityError(FORMAT_ERROR)
    positive, num, denom, suffix = _split(text)
    if suffix in _DECIMAL_SUFFIXES:
        base, exponent, fmt = 10, _DECIMAL_SUFFIXES[suffix], DECIMAL_SI
    elif suffix in _BINARY_SUFFIXES:
        base, exponent, fmt = 2, _BINARY_SUFFIXES[suffix], BINARY_SI
    elif len(suffix) > 1 and suffix[0] in "eE" and _is_int(suffix[1:]):
        base, exponent, fmt = 10, int(suffix[1:]), DECIMAL_EXPONENT
    else:
        raise QuantityError(SUFFIX_ERROR)
    amount = Fraction(int(num + denom), 10 ** len(denom)) * Fraction(base) ** exponent
    # Anything finer than a nano unit is rounded up, away from zero.
    steps = amount / _NANO
    if steps.denominator != 1:
        amount = (steps.numerator // steps.denominator + 1) * _NANO
    if fmt == BINARY_SI and amount < 0:
        fmt = DECIMAL_SI
    return Quantity(amount if positive else -amount, fmt)


def canonical(raw: Any) -> str:
    """The string the server stores for ``raw``: ``"1000m"`` -> ``"1"``."""
    return str(parse_quantity(raw))


def _is_int(text: str) -> bool:
    body = text[1:] if text[:1] in "+-" else text
    return bool(body) and all(c in _DIGITS for c in body)


def _split(text: str) -> tuple[bool, str, str, str]:
    """Go's parseQuantityString: sign, integer digits, fraction digits, suffix."""
    pos, end = 0, len(text)
    positive = True
    if text[0] in "+-":
        positive = text[0] == "+"
        pos = 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "", ""
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num = text[start:pos] or "0"
    denom = ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos != end:
        raise QuantityError(FORMAT_ERROR)
    return positive, num, denom, text[suffix_start:]


@lru_cache(maxsize=64)
def _power_of_ten(scale: int) -> Fraction:
    return Fraction(10) ** scale


@lru_cache(maxsize=4096)
def _printed(value: Fraction, fmt: str) -> str:
    """``_canonical``, remembered: the same few amounts are printed over and over."""
    return _canonical(value, fmt)


def _remove_factors(value: int, base: int) -> tuple[int, int]:
    times = 0
    magnitude = abs(value)
    while magnitude >= base and magnitude % base == 0:
        magnitude //= base
        times += 1
    return (magnitude if value >= 0 else -magnitude), times


def _canonical(value: Fraction, fmt: str) -> str:
    if value == 0:
        return "0"
    if fmt == BINARY_SI and (-1024 < value < 1024 or value.denominator != 1):
        fmt = DECIMAL_SI  # too small, or fractional: binary suffixes would round
    if fmt == BINARY_SI:
        mantissa, times = _remove_factors(value.numerator, 1024)
        return f"{mantissa}{_BINARY_BY_EXPONENT.get(times * 10, '')}"
    # Decimal: an integer mantissa times 10**exponent, exponent a multiple of 3.
    nanos = value / _NANO
    mantissa, times = _remove_factors(nanos.numerator // nanos.denominator, 10)
    exponent = times - 9
    shift = exponent % 3
    mantissa *= 10 ** shift
    exponent -= shift
    if fmt == DECIMAL_EXPONENT or exponent not in _DECIMAL_BY_EXPONENT:
        return f"{mantissa}e{exponent}" if exponent else str(mantissa)
    return f"{mantissa}{_DECIMAL_BY_EXPONENT[exponent]}"
