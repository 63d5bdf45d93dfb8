"""Generic validators: names, labels, annotations, object metadata, Go-rendered values."""

from __future__ import annotations

from kitlib.sim.machinery.errors import Invalid
from kitlib.sim.machinery.validation import (go_label_selector, go_quote, go_string_map,
                                             is_dns1035_label, is_dns1123_label,
                                             is_dns1123_subdomain, is_qualified_name,
                                             is_relaxed_env_var_name, is_valid_port_name,
                                             name_is_dns_subdomain, selector_matches,
                                             validate_label_selector, validate_object_meta,
                                             validate_object_meta_update)

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
             "characters, '-' or '.', and must start and end with an alphanumeric character "
             "(e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
         "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
         "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")


def test_subdomain_message_is_the_real_one() -> None:
    assert is_dns1123_subdomain("My_App") == [SUBDOMAIN]
    assert is_dns1123_subdomain("my-app.example.com") == []
    assert is_dns1123_subdomain("a" * 254)[0] == "must be no more than 253 characters"


def test_label_with_dots_says_so() -> None:
    assert is_dns1123_label("a.b") == ["must not contain dots"]
    assert is_dns1123_label("Web") == [LABEL]


def test_dns1035_label_rejects_leading_digit() -> None:
    assert is_dns1035_label("1abc")[0].startswith("a DNS-1035 label must consist of")
    assert is_dns1035_label("abc-1") == []


def test_qualified_name_prefix_and_name_parts() -> None:
    assert is_qualified_name("example.com/app") == []
    assert is_qualified_name("/app") == ["prefix part must be non-empty"]
    assert is_qualified_name("Example.com/app")[0].startswith("prefix part a lowercase RFC 1123")
    assert is_qualified_name("a/b/c")[0].startswith("a qualified name must consist of")
    assert is_qualified_name("x" * 64) == ["name part must be no more than 63 characters"]


def test_generate_name_may_end_with_a_dash() -> None:
    assert name_is_dns_subdomain("web-", True) == []
    assert name_is_dns_subdomain("web-", False) == [SUBDOMAIN]


def test_port_names_and_env_names() -> None:
    assert is_valid_port_name("http") == []
    assert is_valid_port_name("8080") == ["must contain at least one letter (a-z)"]
    assert is_relaxed_env_var_name("MY.VAR-1") == []
    assert is_relaxed_env_var_name("A=B") == [
        "a valid environment variable name must consist only of printable ASCII characters "
        "other than '='"]


def test_object_meta_requires_a_name() -> None:
    errs = validate_object_meta({"namespace": "default"}, namespaced=True)
    assert [str(e) for e in errs] == ["metadata.name: Required value: name or generateName is required"]


def test_object_meta_namespace_rules() -> None:
    assert str(validate_object_meta({"name": "x"}, namespaced=True)[0]) == \
        "metadata.namespace: Required value"
    assert str(validate_object_meta({"name": "x", "namespace": "a"}, namespaced=False)[0]) == \
        "metadata.namespace: Forbidden: not allowed on this type"


def test_object_meta_labels_annotations_finalizers() -> None:
    meta = {"name": "x", "namespace": "default", "labels": {"app": "a b"},
            "annotations": {"bad key!": "v"}, "finalizers": ["mine"]}
    messages = [str(e) for e in validate_object_meta(meta, namespaced=True)]
    assert messages[0].startswith('metadata.labels: Invalid value: "a b": a valid label must be')
    assert messages[1].startswith('metadata.annotations: Invalid value: "bad key!": name part')
    assert messages[2] == ('metadata.finalizers[0]: Invalid value: "mine": name is neither a '
                           "standard finalizer name nor is it fully qualified")


def test_annotations_size_limit() -> None:
    meta = {"name": "x", "namespace": "d", "annotations": {"a": "x" * (256 * 1024)}}
    assert str(validate_object_meta(meta, namespaced=True)[-1]) == \
        "metadata.annotations: Too long: may not be more than 262144 bytes"


def test_meta_update_identity_is_immutable() -> None:
    old = {"name": "x", "namespace": "d", "uid": "1", "generation": 3}
    new = {"name": "y", "namespace": "d", "uid": "1", "generation": 2}
    assert [str(e) for e in validate_object_meta_update(new, old)] == [
        "metadata.generation: Invalid value: 2: must not be decremented",
        'metadata.name: Invalid value: "y": field is immutable']


def test_no_new_finalizers_while_deleting() -> None:
    old = {"name": "x", "deletionTimestamp": "2024-01-01T00:00:00Z", "finalizers": ["a/b"]}
    new = dict(old, finalizers=["a/b", "c/d"])
    assert str(validate_object_meta_update(new, old)[0]) == (
        'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being '
        'deleted, found new finalizers []string{"c/d"}')


def test_go_rendering_of_maps_and_selectors() -> None:
    assert go_string_map({"tier": "web", "app": "x"}) == 'map[string]string{"app":"x", "tier":"web"}'
    assert go_string_map(None) == "map[string]string(nil)"
    assert go_label_selector({"matchLabels": {"app": "x"}}) == (
        'v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}")
    assert go_quote('a"b\n') == '"a\\"b\\n"'


def test_selector_matching_with_expressions() -> None:
    selector = {"matchLabels": {"app": "x"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]},
                                     {"key": "canary", "operator": "DoesNotExist"}]}
    assert selector_matches(selector, {"app": "x", "tier": "a"})
    assert not selector_matches(selector, {"app": "x", "tier": "c"})
    assert not selector_matches(selector, {"app": "x", "tier": "a", "canary": "1"})


def test_label_selector_validation_messages() -> None:
    errs = validate_label_selector({"matchExpressions": [{"key": "a", "operator": "In"},
                                                         {"key": "b", "operator": "Near"}]},
                                   "spec.selector")
    assert [str(e) for e in errs] == [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when "
        "`operator` is 'In' or 'NotIn'",
        'spec.selector.matchExpressions[1].operator: Invalid value: "Near": not a valid selector '
        "operator"]


def test_invalid_message_with_several_errors() -> None:
    errs = validate_object_meta({"name": "Bad_Name"}, namespaced=True)
    message = Invalid(kind="Pod", name="Bad_Name", errors=errs).message
    assert message == (f'Pod "Bad_Name" is invalid: [metadata.name: Invalid value: "Bad_Name": '
                       f"{SUBDOMAIN}, metadata.namespace: Required value]")
