"""Decoding request bodies as the apiserver's serializers do, strictly.

A kube-apiserver turns a body into an object in two steps that clients can tell apart by
their error messages: YAML is first converted to JSON (``error converting YAML to JSON:
yaml: line 3: ...``, duplicate keys as ``line 10: key "x" already set in map``), then JSON
is decoded by Go's ``encoding/json`` fork (``couldn't get version/kind; json parse error:
invalid character ...``, duplicate fields as ``duplicate field "spec.paused"``).  Python's
parsers find the same faults; this module words them the way Go does.  The field checks
against the schema (unknown fields, wrong JSON types) live in ``decode_fields``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson
import yaml

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.schema.decode_fields import (  # noqa: F401  (re-exported API)
    prune_unknown_fields, strict_problems, type_errors, unknown_fields,
)
from kitlib.sim.schema.types import Schema

JSON_TYPES = frozenset({"application/json", "application/merge-patch+json",
                        "application/strategic-merge-patch+json",
                        "application/json-patch+json"})
YAML_TYPES = frozenset({"application/yaml", "application/apply-patch+yaml"})

# What FindKind unmarshals the body into, as Go prints the type in its errors.
_TYPE_META_STRUCT = ('struct { APIVersion string "json:\\"apiVersion,omitempty\\""; '
                     'Kind string "json:\\"kind,omitempty\\"" }')


class MalformedBody(BadRequest):
    """A body that is not JSON or YAML; ``problem`` is the decoder's own words."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_yaml(content_type: str) -> bool:
    return media_type(content_type) in YAML_TYPES


def parse_body(body: bytes, *, content_type: str,
               check_duplicates: bool = True) -> tuple[Any, list[str]]:
    """Parse a JSON or YAML body; return the data and its duplicate-field problems.

    Raises ``MalformedBody`` (a ``BadRequest``) with the real server's wording when the
    body is not well-formed.  With ``check_duplicates=False`` (fieldValidation=Ignore)
    JSON is parsed by the faster orjson.
    """
    if is_yaml(content_type):
        data, problems = parse_yaml(body)
        return data, problems
    data, duplicates = parse_json(body, check_duplicates=check_duplicates)
    return data, [f'duplicate field "{path}"' for path in duplicate_paths(data, duplicates)]


@dataclass
class Decoded:
    """A body decoded for one kind: its data and what strict decoding found."""

    data: Any
    strict: list[str]          # unknown and duplicate fields, in the server's order
    type_errors: list[str]     # fatal; the server reports the first


def decode_object(body: bytes, *, content_type: str, schema: Schema,
                  type_name: str) -> Decoded:
    """Parse and check a body against ``type_name`` the way a create/update does.

    JSON: unknown and duplicate fields interleaved in document order.  YAML: go-yaml's
    duplicate-key lines first, then unknown fields in sorted-key order (the server decodes
    the JSON that the YAML became, whose keys Go sorted).
    """
    if is_yaml(content_type):
        data, strict = parse_yaml(body)
        strict += strict_problems(data, schema=schema, type_name=type_name, sorted_keys=True)
        return Decoded(data, strict, type_errors(data, schema=schema, type_name=type_name,
                                                 sorted_keys=True))
    data, duplicates = parse_json(body)
    return Decoded(data, strict_problems(data, schema=schema, type_name=type_name,
                                         duplicates=duplicates),
                   type_errors(data, schema=schema, type_name=type_name))


def summarize(body: bytes, limit: int = 30) -> str:
    """How the server quotes a body it could not use (apiserver's summarizeData)."""
    if not body:
        return "<empty>"
    if body[:1] == b"{":
        text = body[:limit].decode("utf-8", errors="replace")
        return text + " ..." if len(body) > limit else text
    return body[:limit].hex() + (" ..." if len(body) > limit else "")


def unrecognized(*, kind: str, problem: str, body: bytes) -> BadRequest:
    """The error for a body whose kind could not even be read (transformDecodeError)."""
    return BadRequest(f"the object provided is unrecognized (must be of type {kind}): "
                      f"{problem} ({summarize(body)})")


# --- JSON -------------------------------------------------------------------------------

class _Duplicates(dict[int, list[str]]):
    """id(object) -> its keys that appeared more than once (objects stay alive)."""


def parse_json(body: bytes, *, check_duplicates: bool = True) -> tuple[Any, _Duplicates]:
    duplicates = _Duplicates()
    if not check_duplicates:
        try:
            return _require_object(orjson.loads(body)), duplicates
        except orjson.JSONDecodeError:
            pass            # reparse below for Go's wording of the fault

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            dupes = duplicates.setdefault(id(obj), [])
            for key, _ in pairs:
                if key in seen and key not in dupes:
                    dupes.append(key)
                seen.add(key)
        return obj

    text = body.decode("utf-8", errors="replace")
    try:
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise MalformedBody("couldn't get version/kind; json parse error: "
                            + go_json_error(exc.msg, text, exc.pos)) from None
    except _GoError as exc:
        raise MalformedBody(f"couldn't get version/kind; json parse error: {exc}") from None
    except RecursionError:
        raise MalformedBody("couldn't get version/kind; json parse error: exceeded max "
                            "depth") from None
    if "\\ud" in text.lower():        # an escaped surrogate may be a lone one
        data = _replace_surrogates(data)
    return _require_object(data), duplicates


def _replace_surrogates(value: Any) -> Any:
    """Lone UTF-16 surrogates (JSON "\\ud800") become U+FFFD, as Go's decoder makes them."""
    if isinstance(value, str):
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


class _GoError(ValueError):
    pass


def _no_constants(name: str) -> Any:
    # Python accepts NaN and Infinity; Go's decoder does not.
    char = "I" if name.startswith("-") else name[0]
    where = "in numeric literal" if name.startswith("-") else "looking for beginning of value"
    raise _GoError(f"invalid character {quote_char(char)} {where}")


def _require_object(data: Any) -> Any:
    if not isinstance(data, dict):
        kind = ("array" if isinstance(data, list) else "string" if isinstance(data, str)
                else "bool" if isinstance(data, bool) else "number"
                if isinstance(data, (int, float)) else "")
        if kind:
            raise MalformedBody(f"couldn't get version/kind; json parse error: json: cannot "
                                f"unmarshal {kind} into Go value of type {_TYPE_META_STRUCT}")
    return data


def quote_char(c: str) -> str:
    """Go's quoteChar: how encoding/json names the character it stumbled on."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    if c.isprintable():
        return f"'{c}'"
    special = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
    if c in special:
        return f"'{special[c]}'"
    code = ord(c)
    return f"'\\x{code:02x}'" if code < 0x80 else f"'\\u{code:04x}'"


def go_json_error(msg: str, text: str, pos: int) -> str:
    """Word a Python JSONDecodeError as Go's encoding/json would."""
    if pos >= len(text) or msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    c = text[pos]
    if msg.startswith("Expecting value"):
        for literal in ("true", "false", "null"):
            if c == literal[0]:
                return _literal_error(text, pos, literal)
        if c == "-":
            nxt = text[pos + 1: pos + 2]
            return ("unexpected end of JSON input" if not nxt
                    else f"invalid character {quote_char(nxt)} in numeric literal")
        return f"invalid character {quote_char(c)} looking for beginning of value"
    if msg.startswith("Expecting property name"):
        return f"invalid character {quote_char(c)} looking for beginning of object key string"
    if msg.startswith("Expecting ':'"):
        return f"invalid character {quote_char(c)} after object key"
    if msg.startswith("Expecting ','"):
        where = "object key:value pair" if _innermost(text, pos) == "{" else "array element"
        return f"invalid character {quote_char(c)} after {where}"
    if msg.startswith("Extra data"):
        return f"invalid character {quote_char(c)} after top-level value"
    if msg.startswith("Invalid control character"):
        return f"invalid character {quote_char(c)} in string literal"
    if msg.startswith("Invalid \\"):
        bad = text[pos + 1: pos + 2] if c == "\\" else c
        return f"invalid character {quote_char(bad or c)} in string escape code"
    return msg


def _literal_error(text: str, pos: int, literal: str) -> str:
    for i, expected in enumerate(literal):
        if pos + i >= len(text):
            return "unexpected end of JSON input"
        if text[pos + i] != expected:
            return (f"invalid character {quote_char(text[pos + i])} in literal {literal} "
                    f"(expecting {quote_char(expected)})")
    return f"invalid character {quote_char(text[pos])} looking for beginning of value"


def _innermost(text: str, pos: int) -> str:
    """The bracket enclosing ``pos`` ('{' or '['), skipping string contents."""
    stack: list[str] = []
    in_string = escaped = False
    for ch in text[:pos]:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append(ch)
        elif ch in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else ""


def duplicate_paths(data: Any, duplicates: _Duplicates, path: str = "") -> list[str]:
    """The paths of duplicated fields, in document order (``spec.containers[0].name``)."""
    if not duplicates:
        return []
    out: list[str] = []
    if isinstance(data, dict):
        dupes = duplicates.get(id(data), ())
        for key, value in data.items():
            child = f"{path}.{key}" if path else key
            if key in dupes:
                out.append(child)
            out.extend(duplicate_paths(value, duplicates, child))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(duplicate_paths(value, duplicates, f"{path}[{i}]"))
    return out


# --- YAML -------------------------------------------------------------------------------

class _StrictLoader(yaml.SafeLoader):
    """A safe loader that records duplicate keys and keeps timestamps as strings."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        # Keys become JSON's strings here (1 and true stay distinct, as in go-yaml).
        self.flatten_mapping(node)
        result: dict[str, Any] = {}
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                marker: Any = (type(key), key)
                hash(marker)
            except TypeError:
                marker = id(key_node)
            if marker in seen:
                shown = f'"{key}"' if isinstance(key, str) else _key(key)
                self.duplicates.append(
                    f"line {key_node.start_mark.line + 1}: key {shown} already set in map")
            seen.add(marker)
            result[_key(key)] = self.construct_object(value_node, deep=deep)
        return result


# go-yaml (v2) resolves timestamps only into time.Time; into JSON they stay strings.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_GO_YAML_WORDS = {
    "mapping values are not allowed here": "mapping values are not allowed in this context",
    "expected <block end>, but found '<block mapping start>'": "did not find expected key",
    "expected <block end>, but found '<scalar>'": "did not find expected key",
    "expected <block end>, but found '<block sequence start>'": "did not find expected key",
    "expected <block end>, but found '-'": "did not find expected '-' indicator",
    "expected ',' or ']', but got '<stream end>'": "did not find expected ',' or ']'",
    "expected ',' or '}', but got '<stream end>'": "did not find expected ',' or '}'",
}


def parse_yaml(body: bytes) -> tuple[Any, list[str]]:
    """YAML to JSON-compatible data, with duplicate keys reported as go-yaml does."""
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(body.decode("utf-8", errors="replace"))
        data = loader.get_data() if loader.check_data() else None
    except yaml.MarkedYAMLError as exc:
        raise MalformedBody(f"error converting YAML to JSON: {go_yaml_error(exc)}") from None
    except yaml.YAMLError as exc:
        raise MalformedBody(f"error converting YAML to JSON: yaml: {exc}") from None
    except RecursionError:
        raise MalformedBody("error converting YAML to JSON: yaml: exceeded max depth") \
            from None
    finally:
        if loader is not None:
            loader.dispose()
    return _require_object(_jsonable(data)), loader.duplicates


def go_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "invalid YAML"
    if problem.startswith("found character") and "cannot start any token" in problem:
        problem = "found character that cannot start any token"
    if problem.startswith("found undefined alias"):
        return f"yaml: unknown anchor {problem.split()[-1]} referenced"
    problem = _GO_YAML_WORDS.get(problem, problem)
    mark = exc.problem_mark or exc.context_mark
    return f"yaml: line {mark.line + 1}: {problem}" if mark else f"yaml: {problem}"


def _jsonable(value: Any) -> Any:
    """What YAMLToJSON makes of YAML data: string keys, Go-formatted whole floats."""
    if isinstance(value, dict):
        return {_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)          # Go marshals float64(1) as 1
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)
