"""Protobuf bodies built field by field: each Go JSON rule the decoder must reproduce.

The bodies are encoded with the same message classes the decoder uses, addressed by the
field numbers of the Kubernetes types (looked up by JSON name, so the tests read as the
objects they build).
"""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.schema.protobuf import MAGIC, decode_protobuf
from kitlib.sim.schema.protobuf_fields import field_table
from kitlib.sim.schema.protobuf_messages import message_classes

CORE = "k8s.io.api.core.v1"
META = "k8s.io.apimachinery.pkg.apis.meta.v1"


def new(message: str) -> Any:
    return message_classes()[message]()


def attr(message: str, json_name: str) -> str:
    """The generated attribute of the field ``json_name`` of ``message``."""
    for spec in field_table().messages[message].fields:
        if spec.json_name == json_name:
            return spec.attr
    raise KeyError(f"{message} has no field {json_name}")


def sub(msg: Any, message: str, json_name: str) -> Any:
    return getattr(msg, attr(message, json_name))


def put(msg: Any, message: str, json_name: str, value: Any) -> None:
    setattr(msg, attr(message, json_name), value.encode() if isinstance(value, str) else value)


def body(api_version: str, kind: str, msg: Any) -> bytes:
    envelope = new(field_table().envelope)
    envelope.f1.f1 = api_version.encode()
    envelope.f1.f2 = kind.encode()
    envelope.f2 = msg.SerializeToString()
    return MAGIC + envelope.SerializeToString()


def decode(api_version: str, kind: str, msg: Any) -> dict[str, Any]:
    return decode_protobuf(body(api_version, kind, msg),
                           into=(api_version, kind))[2]


def test_metadata_zero_values_times_and_pointers() -> None:
    pod = new(f"{CORE}.Pod")
    meta = sub(pod, f"{CORE}.Pod", "metadata")
    put(meta, f"{META}.ObjectMeta", "name", "p")
    put(meta, f"{META}.ObjectMeta", "namespace", "")          # on the wire, omitempty
    put(meta, f"{META}.ObjectMeta", "generation", 0)          # on the wire, omitempty
    put(meta, f"{META}.ObjectMeta", "deletionGracePeriodSeconds", 0)   # *int64: kept
    created = sub(meta, f"{META}.ObjectMeta", "creationTimestamp")
    created.f1, created.f2 = 1700000000, 999_999_999          # Time drops nanoseconds
    sub(meta, f"{META}.ObjectMeta", "deletionTimestamp").SetInParent()  # *Time to zero
    assert decode("v1", "Pod", pod)["metadata"] == {
        "name": "p", "creationTimestamp": "2023-11-14T22:13:20Z",
        "deletionTimestamp": None, "deletionGracePeriodSeconds": 0}


def test_zero_time_prints_null() -> None:
    ns = new(f"{CORE}.Namespace")
    meta = sub(ns, f"{CORE}.Namespace", "metadata")
    sub(meta, f"{META}.ObjectMeta", "creationTimestamp").f1 = -62135596800
    assert decode("v1", "Namespace", ns)["metadata"] == {"creationTimestamp": None}


def test_micro_time_keeps_microseconds() -> None:
    event = new("k8s.io.api.events.v1.Event")
    when = sub(event, "k8s.io.api.events.v1.Event", "eventTime")
    when.f1, when.f2 = 1700000000, 123_456_789
    obj = decode("events.k8s.io/v1", "Event", event)
    assert obj["eventTime"] == "2023-11-14T22:13:20.123456Z"
    # Structs print even when empty (a zero Time as null); empty strings and nil pointers
    # with omitempty do not.
    assert obj["regarding"] == {} and obj["deprecatedFirstTimestamp"] is None
    assert "reportingController" not in obj and "series" not in obj


def test_nil_slices_and_pointers_without_omitempty_print_null() -> None:
    dep = new("k8s.io.api.apps.v1.Deployment")
    obj = decode("apps/v1", "Deployment", dep)
    # selector is *LabelSelector and containers []Container, both without omitempty.
    assert obj["spec"]["selector"] is None
    assert obj["spec"]["template"]["spec"]["containers"] is None
    assert obj["spec"]["strategy"] == {} and obj["status"] == {}


def test_inline_structs_quantities_and_int_or_string() -> None:
    pod = new(f"{CORE}.Pod")
    spec = sub(pod, f"{CORE}.Pod", "spec")
    volume = sub(spec, f"{CORE}.PodSpec", "volumes").add()
    put(volume, f"{CORE}.Volume", "name", "scratch")
    source = volume.f2                                         # inline VolumeSource
    empty_dir = sub(source, f"{CORE}.VolumeSource", "emptyDir")
    put(empty_dir, f"{CORE}.EmptyDirVolumeSource", "medium", "Memory")
    sub(empty_dir, f"{CORE}.EmptyDirVolumeSource", "sizeLimit").f1 = b"1Gi"
    container = sub(spec, f"{CORE}.PodSpec", "containers").add()
    put(container, f"{CORE}.Container", "name", "c")
    port = sub(container, f"{CORE}.Container", "ports").add()
    put(port, f"{CORE}.ContainerPort", "containerPort", 80)
    put(port, f"{CORE}.ContainerPort", "hostPort", 0)
    probe = sub(container, f"{CORE}.Container", "readinessProbe")
    get = sub(probe.f1, f"{CORE}.ProbeHandler", "httpGet")     # inline ProbeHandler
    target = sub(get, f"{CORE}.HTTPGetAction", "port")
    target.f1, target.f3 = 1, b"http"
    limits = sub(sub(container, f"{CORE}.Container", "resources"),
                 f"{CORE}.ResourceRequirements", "limits")
    entry = limits.add()
    entry.f1, entry.f2.f1 = b"cpu", b"500m"
    obj = decode("v1", "Pod", pod)
    assert obj["spec"]["volumes"] == [
        {"name": "scratch", "emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}}]
    (got,) = obj["spec"]["containers"]
    assert got["ports"] == [{"containerPort": 80}]
    assert got["readinessProbe"] == {"httpGet": {"port": "http"}}
    assert got["resources"] == {"limits": {"cpu": "500m"}}


def test_int_or_string_int_and_the_zero_value() -> None:
    svc = new(f"{CORE}.Service")
    spec = sub(svc, f"{CORE}.Service", "spec")
    first = sub(spec, f"{CORE}.ServiceSpec", "ports").add()
    target = sub(first, f"{CORE}.ServicePort", "targetPort")
    target.f1, target.f2 = 0, 8080
    sub(spec, f"{CORE}.ServiceSpec", "ports").add()            # no targetPort at all
    ports = decode("v1", "Service", svc)["spec"]["ports"]
    assert ports == [{"port": 0, "targetPort": 8080}, {"port": 0, "targetPort": 0}]


def test_malformed_quantity_is_refused_as_go_refuses_it() -> None:
    pod = new(f"{CORE}.Pod")
    container = sub(sub(pod, f"{CORE}.Pod", "spec"), f"{CORE}.PodSpec", "containers").add()
    entry = sub(sub(container, f"{CORE}.Container", "resources"),
                f"{CORE}.ResourceRequirements", "requests").add()
    entry.f1, entry.f2.f1 = b"cpu", b"lots"
    with pytest.raises(BadRequest) as err:
        decode("v1", "Pod", pod)
    assert err.value.message.startswith(
        'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular '
        "expression")


def test_maps_bytes_and_strings_that_are_not_utf8() -> None:
    secret = new(f"{CORE}.Secret")
    data = sub(secret, f"{CORE}.Secret", "data")
    for key, value in ((b"k", b"old"), (b"k", b"\x00\xff"), (b"nil", None)):
        entry = data.add()
        entry.f1 = key
        if value is not None:
            entry.f2 = value
    put(sub(secret, f"{CORE}.Secret", "metadata"), f"{META}.ObjectMeta", "name", "")
    sub(secret, f"{CORE}.Secret", "metadata").f1 = b"bad\xffname"
    obj = decode("v1", "Secret", secret)
    assert obj["data"] == {"k": "AP8=", "nil": None}          # the later entry wins
    assert obj["metadata"]["name"] == "bad\ufffdname"


def test_managed_fields_hold_their_json() -> None:
    cm = new(f"{CORE}.ConfigMap")
    meta = sub(cm, f"{CORE}.ConfigMap", "metadata")
    entry = sub(meta, f"{META}.ObjectMeta", "managedFields").add()
    put(entry, f"{META}.ManagedFieldsEntry", "manager", "kubectl")
    put(entry, f"{META}.ManagedFieldsEntry", "operation", "Update")
    sub(entry, f"{META}.ManagedFieldsEntry", "fieldsV1").f1 = b'{"f:data":{".":{}}}'
    (got,) = decode("v1", "ConfigMap", cm)["metadata"]["managedFields"]
    assert got == {"manager": "kubectl", "operation": "Update", "fieldsV1": {"f:data": {".": {}}}}


def test_unknown_fields_are_skipped_as_go_skips_them() -> None:
    ns = new(f"{CORE}.Namespace")
    put(sub(ns, f"{CORE}.Namespace", "metadata"), f"{META}.ObjectMeta", "name", "x")
    raw = ns.SerializeToString() + bytes([0xF8, 0x3E, 0x01])   # field 999, varint 1
    envelope = new(field_table().envelope)
    envelope.f1.f1, envelope.f1.f2, envelope.f2 = b"v1", b"Namespace", raw
    _, _, obj = decode_protobuf(MAGIC + envelope.SerializeToString())
    assert obj["metadata"]["name"] == "x"


def test_subresource_kinds() -> None:
    eviction = new("k8s.io.api.policy.v1.Eviction")
    put(sub(eviction, "k8s.io.api.policy.v1.Eviction", "metadata"), f"{META}.ObjectMeta",
        "name", "p")
    options = sub(eviction, "k8s.io.api.policy.v1.Eviction", "deleteOptions")
    put(options, f"{META}.DeleteOptions", "gracePeriodSeconds", 0)
    put(sub(options, f"{META}.DeleteOptions", "preconditions"), f"{META}.Preconditions",
        "uid", "u-1")
    assert decode("policy/v1", "Eviction", eviction) == {
        "kind": "Eviction", "apiVersion": "policy/v1",
        "metadata": {"name": "p", "creationTimestamp": None},
        "deleteOptions": {"gracePeriodSeconds": 0, "preconditions": {"uid": "u-1"}}}
    scale = new("k8s.io.api.autoscaling.v1.Scale")
    put(sub(scale, "k8s.io.api.autoscaling.v1.Scale", "spec"),
        "k8s.io.api.autoscaling.v1.ScaleSpec", "replicas", 3)
    assert decode("autoscaling/v1", "Scale", scale)["spec"] == {"replicas": 3}
    binding = new(f"{CORE}.Binding")
    put(sub(binding, f"{CORE}.Binding", "target"), f"{CORE}.ObjectReference", "name", "n1")
    assert decode("v1", "Binding", binding)["target"] == {"name": "n1"}


def test_named_slices_print_as_lists() -> None:
    review = new("k8s.io.api.authentication.v1.SelfSubjectReview")
    user = sub(sub(review, "k8s.io.api.authentication.v1.SelfSubjectReview", "status"),
               "k8s.io.api.authentication.v1.SelfSubjectReviewStatus", "userInfo")
    extra = sub(user, "k8s.io.api.authentication.v1.UserInfo", "extra")
    full = extra.add()
    full.f1 = b"scopes"
    full.f2.f1.extend([b"a", b"b"])
    extra.add().f1 = b"none"
    obj = decode("authentication.k8s.io/v1", "SelfSubjectReview", review)
    assert obj["status"]["userInfo"]["extra"] == {"scopes": ["a", "b"], "none": None}
