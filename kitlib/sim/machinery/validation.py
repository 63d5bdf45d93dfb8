"""Generic validation rules, with the messages of k8s.io/apimachinery/pkg/util/validation.

Names, label keys and values, annotations and object metadata are checked the same way
for every kind; the per-kind strategies in ``kitlib.sim.registry`` build on these.  Every
function returns the list of problems (never raises), each message exactly as a real
API server words it, because learners read them in ``kubectl`` output.

Bad values that are not strings or numbers are shown by Go with ``%#v`` (for instance
``map[string]string{"app":"web"}``); ``GoValueError`` carries such a pre-rendered value.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kitlib.sim.machinery.errors import (FieldError, forbidden, invalid, required, too_long)

JSON = dict[str, Any]
NameFn = Callable[[str, bool], list[str]]

FIELD_IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"
EMPTY_ERROR = "must be non-empty"
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE_FMT = "(" + _QUALIFIED_NAME_FMT + ")?"
_CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_PERCENT_FMT = "[0-9]+%"
_HTTP_HEADER_FMT = "[-A-Za-z0-9]+"

_DNS1123_LABEL = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL = re.compile(_DNS1035_LABEL_FMT)
_QUALIFIED_NAME = re.compile(_QUALIFIED_NAME_FMT)
_LABEL_VALUE = re.compile(_LABEL_VALUE_FMT)
_CONFIG_MAP_KEY = re.compile(_CONFIG_MAP_KEY_FMT)
_ENV_VAR_NAME = re.compile(_ENV_VAR_NAME_FMT)
_PERCENT = re.compile(_PERCENT_FMT)
_HTTP_HEADER = re.compile(_HTTP_HEADER_FMT)
_PORT_NAME_CHARS = re.compile("[-a-z0-9]+")


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


_LABEL_MSG = regex_error("a lowercase RFC 1123 label must consist of lower case alphanumeric "
                         "characters or '-', and must start and end with an alphanumeric "
                         "character", _DNS1123_LABEL_FMT, "my-name", "123-abc")
_SUBDOMAIN_MSG = regex_error("a lowercase RFC 1123 subdomain must consist of lower case "
                             "alphanumeric characters, '-' or '.', and must start and end with "
                             "an alphanumeric character", _DNS1123_SUBDOMAIN_FMT, "example.com")
_DNS1035_MSG = regex_error("a DNS-1035 label must consist of lower case alphanumeric characters "
                           "or '-', start with an alphabetic character, and end with an "
                           "alphanumeric character", _DNS1035_LABEL_FMT, "my-name", "abc-123")
_QUALIFIED_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start "
                  "and end with an alphanumeric character")
_QUALIFIED_NAME_MSG = regex_error(_QUALIFIED_MSG, _QUALIFIED_NAME_FMT, "MyName", "my.name",
                                  "123-abc")
_LABEL_VALUE_MSG = regex_error("a valid label must be an empty string or consist of alphanumeric "
                               "characters, '-', '_' or '.', and must start and end with an "
                               "alphanumeric character", _LABEL_VALUE_FMT, "MyValue", "my_value",
                               "12345")
_CONFIG_MAP_KEY_MSG = regex_error("a valid config key must consist of alphanumeric characters, "
                                  "'-', '_' or '.'", _CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME",
                                  "key-name")
_ENV_VAR_MSG = regex_error("a valid environment variable name must consist of alphabetic "
                           "characters, digits, '_', '-', or '.', and must not start with a "
                           "digit", _ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1")
_RELAXED_ENV_VAR_MSG = ("a valid environment variable name must consist only of printable "
                        "ASCII characters other than '='")


def is_dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS1123_LABEL.fullmatch(value):
        if _DNS1123_SUBDOMAIN.fullmatch(value):
            errs.append("must not contain dots")
        else:
            errs.append(_LABEL_MSG)
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        errs.append(_SUBDOMAIN_MSG)
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _DNS1035_LABEL.fullmatch(value):
        errs.append(_DNS1035_MSG)
    return errs


def is_qualified_name(value: str) -> list[str]:
    """A label key: an optional DNS subdomain prefix and '/', then a name of 63 or fewer."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part " + EMPTY_ERROR)
        else:
            errs.extend("prefix part " + msg for msg in is_dns1123_subdomain(prefix))
    else:
        return ["a qualified name " + _QUALIFIED_NAME_MSG + " with an optional DNS subdomain "
                "prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part " + EMPTY_ERROR)
    elif len(name) > 63:
        errs.append("name part " + max_len_error(63))
    if not _QUALIFIED_NAME.fullmatch(name):
        errs.append("name part " + _QUALIFIED_NAME_MSG)
    return errs


def is_label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(max_len_error(63))
    if not _LABEL_VALUE.fullmatch(value):
        errs.append(_LABEL_VALUE_MSG)
    return errs


def _chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def is_config_map_key(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(max_len_error(253))
    if not _CONFIG_MAP_KEY.fullmatch(value):
        errs.append(_CONFIG_MAP_KEY_MSG)
    return errs + _chdir_prefix(value)


def is_env_var_name(value: str) -> list[str]:
    errs = [] if _ENV_VAR_NAME.fullmatch(value) else [_ENV_VAR_MSG]
    return errs + _chdir_prefix(value)


def is_relaxed_env_var_name(value: str) -> list[str]:
    """The rule of 1.32, where RelaxedEnvironmentVariableValidation is on by default."""
    errs = [] if value else ["environment variable name " + EMPTY_ERROR]
    if any(not (" " <= ch <= "~") or ch == "=" for ch in value):
        errs.append(_RELAXED_ENV_VAR_MSG)
    return errs


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_valid_port_name(port: str) -> list[str]:
    errs = []
    if len(port) > 15:
        errs.append(max_len_error(15))
    if not _PORT_NAME_CHARS.fullmatch(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def is_valid_percent(value: str) -> list[str]:
    if _PERCENT.fullmatch(value):
        return []
    return [regex_error("a valid percent string must be a numeric string followed by an "
                        "ending '%'", _PERCENT_FMT, "1%", "93%")]


def is_http_header_name(value: str) -> list[str]:
    if _HTTP_HEADER.fullmatch(value):
        return []
    return [regex_error("a valid HTTP header must consist of alphanumeric characters or '-'",
                        _HTTP_HEADER_FMT, "X-Header-Name")]


def validate_ip(value: str, path: str) -> list[FieldError]:
    """validation.IsValidIP, as 1.32 words it."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return [invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    return []


# --- name rules (apimachinery/pkg/api/validation/generic.go) -----------------------------

def _mask_trailing_dash(name: str) -> str:
    return name[:-2] + "a" if name.endswith("-") else name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1035_label(_mask_trailing_dash(name) if prefix else name)


# --- Go's %#v rendering of bad values -----------------------------------------------------

_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
               "\v": "\\v", "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """strconv.Quote: Go's double-quoted string literal."""
    out = []
    for ch in text:
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def go_string_map(value: Any, type_name: str = "map[string]string") -> str:
    if not isinstance(value, Mapping):
        return f"{type_name}(nil)"
    items = ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(value.items()))
    return f"{type_name}{{{items}}}"


def go_string_slice(value: Any, type_name: str = "[]string") -> str:
    if not isinstance(value, list):
        return f"{type_name}(nil)"
    return f"{type_name}{{{', '.join(go_quote(str(v)) for v in value)}}}"


@dataclass(frozen=True)
class GoValueError(FieldError):
    """A field error whose bad value is already rendered as Go's ``%#v`` prints it."""

    rendered: str = ""

    def body(self) -> str:
        text = self._BODIES.get(self.type, self.type) + ": " + self.rendered
        if self.type == "FieldValueNotSupported" and self.supported:
            return text + ": supported values: " + ", ".join(f'"{v}"' for v in self.supported)
        return f"{text}: {self.detail}" if self.detail else text


def invalid_go(path: str, rendered: str, detail: str = "") -> FieldError:
    return GoValueError("FieldValueInvalid", path, detail=detail, rendered=rendered)


def not_supported_go(path: str, rendered: str, supported: Iterable[str]) -> FieldError:
    return GoValueError("FieldValueNotSupported", path, supported=tuple(supported),
                        rendered=rendered)


def duplicate_go(path: str, rendered: str) -> FieldError:
    return GoValueError("FieldValueDuplicate", path, rendered=rendered)


# --- labels, annotations, selectors (apis/meta/v1/validation) -----------------------------

def validate_label_name(name: str, path: str) -> list[FieldError]:
    return [invalid(path, name, msg) for msg in is_qualified_name(name)]


def validate_labels(labels: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(labels, Mapping):
        return errs
    for key, value in labels.items():
        errs.extend(validate_label_name(str(key), path))
        errs.extend(invalid(path, value, msg) for msg in is_label_value(str(value)))
    return errs


def validate_annotations(annotations: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(annotations, Mapping):
        return errs
    total = 0
    for key, value in annotations.items():
        # The rule is a qualified name, except that case does not matter.
        errs.extend(invalid(path, key, msg) for msg in is_qualified_name(str(key).lower()))
        total += len(str(key).encode()) + len(str(value).encode())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def validate_label_selector(selector: Any, path: str) -> list[FieldError]:
    """metav1.LabelSelector: matchLabels and matchExpressions."""
    errs: list[FieldError] = []
    if not isinstance(selector, Mapping):
        return errs
    errs.extend(validate_labels(selector.get("matchLabels"), f"{path}.matchLabels"))
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        if not isinstance(expr, Mapping):
            continue
        epath = f"{path}.matchExpressions[{i}]"
        op, values = expr.get("operator", ""), expr.get("values") or []
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{epath}.values",
                                     "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{epath}.values", "may not be specified when `operator` "
                                                         "is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(f"{epath}.operator", op, "not a valid selector operator"))
        errs.extend(validate_label_name(str(expr.get("key", "")), f"{epath}.key"))
        for j, value in enumerate(values):
            errs.extend(invalid(f"{epath}.values[{j}]", value, msg)
                        for msg in is_label_value(str(value)))
    return errs


def selector_matches(selector: Any, labels: Any) -> bool:
    """Whether a LabelSelector (matchLabels + matchExpressions) selects these labels."""
    labels = labels if isinstance(labels, Mapping) else {}
    if not isinstance(selector, Mapping):
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        present = key in labels
        if op == "In" and not (present and labels[key] in values):
            return False
        if op == "NotIn" and present and labels[key] in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def validate_nonnegative(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid(path, value, IS_NEGATIVE)]
    return []


def validate_immutable(new: Any, old: Any, path: str) -> list[FieldError]:
    """ValidateImmutableField for a string or number (Go-rendered values: use invalid_go)."""
    return [] if new == old else [invalid(path, new, FIELD_IMMUTABLE)]


# --- object metadata (apimachinery/pkg/api/validation/objectmeta.go) ----------------------

_STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})


def _validate_owner_references(refs: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(refs, list):
        return errs
    first_controller = ""
    for ref in refs:
        if not isinstance(ref, Mapping):
            continue
        api_version, kind = str(ref.get("apiVersion", "")), str(ref.get("kind", ""))
        if not api_version.rsplit("/", 1)[-1]:
            errs.append(invalid(f"{path}.apiVersion", api_version, "version must not be empty"))
        if not kind:
            errs.append(invalid(f"{path}.kind", kind, "must not be empty"))
        for key in ("name", "uid"):
            if not ref.get(key):
                errs.append(invalid(f"{path}.{key}", str(ref.get(key, "")), "must not be empty"))
        if api_version == "v1" and kind == "Event":
            errs.append(invalid_go(path, _go_owner_reference(ref),
                                   "/v1, Kind=Event is disallowed from being an owner"))
        if ref.get("controller") is True:
            current = f"{kind}/{ref.get('name', '')}"
            if first_controller:
                errs.append(invalid_go(
                    path, "[]v1.OwnerReference{" + ", ".join(
                        _go_owner_reference(r) for r in refs if isinstance(r, Mapping)) + "}",
                    'Only one reference can have Controller set to true. Found "true" in '
                    f"references for {first_controller} and {current}"))
            else:
                first_controller = current
    return errs


def _go_owner_reference(ref: Mapping[str, Any]) -> str:
    def ptr(key: str) -> str:
        return "(*bool)(nil)" if ref.get(key) is None else "(*bool)(0xc000a1b2c3)"
    return (f"v1.OwnerReference{{APIVersion:{go_quote(str(ref.get('apiVersion', '')))}, "
            f"Kind:{go_quote(str(ref.get('kind', '')))}, Name:{go_quote(str(ref.get('name', '')))}, "
            f"UID:{go_quote(str(ref.get('uid', '')))}, Controller:{ptr('controller')}, "
            f"BlockOwnerDeletion:{ptr('blockOwnerDeletion')}}}")


def _validate_finalizers(finalizers: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if not isinstance(finalizers, list):
        return errs
    for finalizer in finalizers:
        errs.extend(invalid(path, finalizer, msg) for msg in is_qualified_name(str(finalizer)))
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errs.append(invalid_go(path, go_string_slice(finalizers),
                               "finalizer orphan and foregroundDeletion cannot be both set"))
    # Kubernetes' own finalizers have no domain; any other must be fully qualified.
    for i, finalizer in enumerate(finalizers):
        if "/" not in str(finalizer) and finalizer not in _STANDARD_FINALIZERS:
            errs.append(invalid(f"{path}[{i}]", finalizer, "name is neither a standard "
                                "finalizer name nor is it fully qualified"))
    return errs


def _validate_meta_common(meta: Mapping[str, Any], path: str) -> list[FieldError]:
    errs = validate_nonnegative(meta.get("generation", 0), f"{path}.generation")
    errs += validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += _validate_owner_references(meta.get("ownerReferences"), f"{path}.ownerReferences")
    errs += _validate_finalizers(meta.get("finalizers"), f"{path}.finalizers")
    return errs


def validate_object_meta(meta: Any, *, namespaced: bool, path: str = "metadata",
                         name_fn: NameFn = name_is_dns_subdomain) -> list[FieldError]:
    """ValidateObjectMeta, run on create after the name was generated from generateName.

    ``name_fn`` is the kind's name rule: DNS-1123 subdomain for most kinds,
    ``name_is_dns1035_label`` for Services, ``name_is_dns_label`` for Namespaces.
    """
    meta = meta if isinstance(meta, Mapping) else {}
    errs: list[FieldError] = []
    generate_name, name = str(meta.get("generateName") or ""), str(meta.get("name") or "")
    if generate_name:
        errs.extend(invalid(f"{path}.generateName", generate_name, msg)
                    for msg in name_fn(generate_name, True))
    if not name:
        errs.append(required(f"{path}.name", "name or generateName is required"))
    else:
        errs.extend(invalid(f"{path}.name", name, msg) for msg in name_fn(name, False))
    namespace = str(meta.get("namespace") or "")
    if namespaced:
        if not namespace:
            errs.append(required(f"{path}.namespace"))
        else:
            errs.extend(invalid(f"{path}.namespace", namespace, msg)
                        for msg in name_is_dns_label(namespace))
    elif namespace:
        errs.append(forbidden(f"{path}.namespace", "not allowed on this type"))
    return errs + _validate_meta_common(meta, path)


def validate_object_meta_update(new_meta: Any, old_meta: Any,
                                path: str = "metadata") -> list[FieldError]:
    """ValidateObjectMetaUpdate: identity fields are immutable, the rest is revalidated.

    The check that an update carries a resourceVersion is left to the caller, which fills
    it in for unconditional updates before validating.
    """
    new = new_meta if isinstance(new_meta, Mapping) else {}
    old = old_meta if isinstance(old_meta, Mapping) else {}
    errs: list[FieldError] = []
    if old.get("deletionTimestamp"):
        extra = sorted(set(new.get("finalizers") or []) - set(old.get("finalizers") or []))
        if extra:
            errs.append(forbidden(f"{path}.finalizers", "no new finalizers can be added if the "
                                  f"object is being deleted, found new finalizers "
                                  f"{go_string_slice(extra)}"))
    new_generation, old_generation = new.get("generation", 0), old.get("generation", 0)
    if isinstance(new_generation, int) and isinstance(old_generation, int) \
            and new_generation < old_generation:
        errs.append(invalid(f"{path}.generation", new_generation, "must not be decremented"))
    for key in ("name", "namespace", "uid"):
        errs += validate_immutable(new.get(key, ""), old.get(key, ""), f"{path}.{key}")
    for key in ("creationTimestamp", "deletionTimestamp"):
        if new.get(key) != old.get(key):
            errs.append(invalid_go(f"{path}.{key}", _go_time(new.get(key)), FIELD_IMMUTABLE))
    if new.get("deletionGracePeriodSeconds") != old.get("deletionGracePeriodSeconds"):
        value = new.get("deletionGracePeriodSeconds")
        errs.append(invalid(f"{path}.deletionGracePeriodSeconds",
                            value if isinstance(value, int) else "null", FIELD_IMMUTABLE))
    return errs + _validate_meta_common(new, path)


def _go_time(value: Any) -> str:
    """metav1.Time prints through time.Time.String()."""
    if not value:
        return "null"
    text = str(value).replace("T", " ").replace("Z", "")
    return f"{text} +0000 UTC"


def go_int_or_string(value: Any) -> str:
    """intstr.IntOrString as %#v prints it."""
    if isinstance(value, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}"
    number = value if isinstance(value, int) else 0
    return f"intstr.IntOrString{{Type:0, IntVal:{number}, StrVal:\"\"}}"


def go_label_selector(selector: Any) -> str:
    """metav1.LabelSelector as %#v prints it (a nil pointer prints as null)."""
    if not isinstance(selector, Mapping):
        return "null"
    exprs = selector.get("matchExpressions")
    if isinstance(exprs, list):
        rendered = ", ".join(
            f"v1.LabelSelectorRequirement{{Key:{go_quote(str(e.get('key', '')))}, "
            f"Operator:{go_quote(str(e.get('operator', '')))}, "
            f"Values:{go_string_slice(e.get('values'))}}}"
            for e in exprs if isinstance(e, Mapping))
        exprs_text = f"[]v1.LabelSelectorRequirement{{{rendered}}}"
    else:
        exprs_text = "[]v1.LabelSelectorRequirement(nil)"
    return (f"v1.LabelSelector{{MatchLabels:{go_string_map(selector.get('matchLabels'))}, "
            f"MatchExpressions:{exprs_text}}}")


def validate_metadata_for(strategy: Any, obj: Any, *, namespaced: bool) -> list[FieldError]:
    """Object metadata checks on create, with the strategy's name rule.

    Strategies may set ``name_fn`` (default: DNS-1123 subdomain) and
    ``validates_object_meta = False`` (core/v1 Events, whose metadata is not validated).
    """
    if not getattr(strategy, "validates_object_meta", True):
        return []
    meta = obj.get("metadata") if isinstance(obj, Mapping) else None
    return validate_object_meta(meta, namespaced=namespaced,
                                name_fn=getattr(strategy, "name_fn", name_is_dns_subdomain))
