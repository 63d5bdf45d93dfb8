"""What Go's ``encoding/json`` prints for a struct that gogo-protobuf decoded.

The API server decodes a protobuf body into a Go struct; everything after that sees the
struct, and the struct as JSON is what this simulator keeps.  Go fills a struct from the wire
in a way JSON never shows directly, so the rules are spelled out here:

- A field absent from the wire is Go's zero value: ``""``, ``0``, ``false``, an empty struct,
  and ``nil`` for pointers, slices and maps.  gogo writes every non-pointer scalar even when
  it is zero, so a field's presence alone says nothing; ``omitempty`` decides.
- ``omitempty`` drops zero scalars, nil pointers and empty slices and maps, never structs
  (``"strategy": {}``, ``"resources": {}`` stay); without it nil prints ``null``.
- Some types print themselves: ``metav1.Time`` (RFC 3339 seconds, ``null`` when zero),
  ``MicroTime`` (microseconds), ``resource.Quantity`` (its string), ``IntOrString`` (a number
  or a string), ``RawExtension`` and ``FieldsV1`` (the JSON they hold), ``[]byte`` (base64).
"""

from __future__ import annotations

import base64
from typing import Any

import orjson

from kitlib.sim.machinery.quantity import QuantityError, parse_quantity
from kitlib.sim.schema.protobuf_fields import (
    FIELDS_V1, INT_OR_STRING, MICRO_TIME, QUANTITY, RAW_EXTENSION, TIME, FieldSpec, FieldTable,
)

JSON = dict[str, Any]
_ABSENT = object()
_ZERO: dict[str, Any] = {"string": "", "int32": 0, "int64": 0, "bool": False, "double": 0}
_ZERO_TIME = -62135596800     # time.Time{}.Unix(): 0001-01-01T00:00:00Z


class BodyProblem(ValueError):
    """A value Go's decoder refuses (a malformed quantity, RawExtension bytes that are not
    JSON); ``str()`` is Go's message."""


class JsonWriter:
    """Turns decoded messages into the dicts Go's ``encoding/json`` would give."""

    def __init__(self, table: FieldTable) -> None:
        self.table = table
        self._special = {TIME: self._time, MICRO_TIME: self._micro_time,
                         QUANTITY: self._quantity, INT_OR_STRING: self._int_or_string,
                         RAW_EXTENSION: self._raw, FIELDS_V1: self._raw}

    def message(self, msg: Any, name: str) -> Any:
        """The JSON value of one decoded message of table type ``name``."""
        special = self._special.get(name)
        if special is not None:
            return special(msg)
        fields = self.table.messages[name].fields
        if fields and fields[0].unwrap:                   # a named slice: nil prints null
            items = getattr(msg, fields[0].attr)
            return [self._item(item, fields[0]) for item in items] if items else None
        present = {fd.number: value for fd, value in msg.ListFields()}
        out: JSON = {}
        for spec in fields:
            if spec.skip:
                continue
            value = present.get(spec.number, _ABSENT)
            if spec.shape == "one" and spec.type == "message":
                if value is _ABSENT:
                    if spec.ptr:
                        self._nil(out, spec)
                        continue
                    value = getattr(msg, spec.attr)       # the empty default message
                converted = self.message(value, spec.ref)
                if spec.inline:
                    out.update(converted)
                else:
                    out[spec.json_name] = converted
            elif spec.shape == "one":
                self._scalar(out, spec, value)
            elif value is _ABSENT:                        # nil slice or map
                self._nil(out, spec)
            elif spec.shape == "list":
                out[spec.json_name] = [self._item(item, spec) for item in value]
            else:
                out[spec.json_name] = {_text(e.f1): self._entry_value(e, spec) for e in value}
        return out

    # --- plain fields -----------------------------------------------------------------

    @staticmethod
    def _nil(out: JSON, spec: FieldSpec) -> None:
        if not spec.omitempty:
            out[spec.json_name] = None

    def _scalar(self, out: JSON, spec: FieldSpec, value: Any) -> None:
        if value is _ABSENT:
            if spec.ptr or spec.type == "bytes":         # nil pointer, nil []byte
                self._nil(out, spec)
                return
            value = _ZERO[spec.type]
        else:
            value = _convert(value, spec.type)
        if spec.omitempty and not spec.ptr and not value:
            return
        out[spec.json_name] = value

    def _item(self, item: Any, spec: FieldSpec) -> Any:
        if spec.type == "message":
            return self.message(item, spec.ref)
        return _convert(item, spec.type)

    def _entry_value(self, entry: Any, spec: FieldSpec) -> Any:
        if spec.type == "message":
            return self.message(entry.f2, spec.ref)
        if not entry.HasField("f2"):
            return None if spec.type == "bytes" else _ZERO[spec.type]
        return _convert(entry.f2, spec.type)

    # --- types with their own JSON ----------------------------------------------------

    @staticmethod
    def _time(msg: Any) -> str | None:
        if not msg.ListFields():                          # Time.Unmarshal of no bytes
            return None
        if msg.f1 == _ZERO_TIME:
            return None
        return format_rfc3339(msg.f1)                     # nanoseconds are dropped

    @staticmethod
    def _micro_time(msg: Any) -> str | None:
        if not msg.ListFields():
            return None
        seconds, nanos = divmod(msg.f1 * 1_000_000_000 + msg.f2, 1_000_000_000)
        if seconds == _ZERO_TIME and nanos == 0:
            return None
        return format_rfc3339(seconds, micros=nanos // 1000)

    @staticmethod
    def _quantity(msg: Any) -> str:
        if not msg.HasField("f1"):
            return "0"                                    # the zero Quantity
        text = _text(msg.f1)
        try:
            parse_quantity(text)
        except QuantityError as err:
            raise BodyProblem(str(err)) from None
        return text

    @staticmethod
    def _int_or_string(msg: Any) -> int | str:
        return _text(msg.f3) if msg.f1 == 1 else msg.f2

    @staticmethod
    def _raw(msg: Any) -> Any:
        if not msg.HasField("f1"):
            return None
        try:
            return orjson.loads(msg.f1)
        except orjson.JSONDecodeError as err:
            raise BodyProblem(f"invalid JSON in an embedded object: {err}") from None


def _text(value: bytes) -> str:
    # encoding/json writes U+FFFD for bytes that are not UTF-8.
    return value.decode("utf-8", "replace")


def _convert(value: Any, type_: str) -> Any:
    if type_ == "string":
        return _text(value)
    if type_ == "bytes":
        return base64.b64encode(value).decode("ascii")
    if type_ == "double" and value.is_integer() and abs(value) < 1e21:
        return int(value)                                 # Go prints 1.0 as 1
    return value


# --- RFC 3339 for every int64 second, as Go's time.Format does ----------------------------

def format_rfc3339(seconds: int, *, micros: int | None = None) -> str:
    """``2006-01-02T15:04:05Z`` (or ``.000000Z`` with ``micros``) in UTC."""
    days, rest = divmod(seconds, 86400)
    year, month, day = civil_from_days(days)
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    sign = "-" if year < 0 else ""
    text = (f"{sign}{abs(year):04d}-{month:02d}-{day:02d}T"
            f"{hour:02d}:{minute:02d}:{second:02d}")
    if micros is not None:
        text += f".{micros:06d}"
    return text + "Z"


def civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of the proleptic Gregorian day ``days`` after 1970-01-01."""
    days += 719468                                        # count from 0000-03-01
    era, day_of_era = divmod(days, 146097)                # 400-year cycles
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524
                   - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153            # 0 = March
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = month_index + 3 if month_index < 10 else month_index - 9
    year = year_of_era + era * 400 + (1 if month <= 2 else 0)
    return year, month, day
