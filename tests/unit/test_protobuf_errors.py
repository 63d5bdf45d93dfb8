"""Bad protobuf bodies get the apiserver's 400s, worded as the real server words them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.schema.protobuf import MAGIC, decode_protobuf
from kitlib.sim.schema.protobuf_fields import field_table
from kitlib.sim.schema.protobuf_messages import message_classes

DEPLOYMENT = ("apps/v1", "Deployment")


def envelope(api_version: str, kind: str, raw: bytes = b"") -> bytes:
    env = message_classes()[field_table().envelope]()
    env.f1.f1, env.f1.f2, env.f2 = api_version.encode(), kind.encode(), raw
    return MAGIC + env.SerializeToString()


def refused(body: bytes, into: tuple[str, str] | None = DEPLOYMENT) -> BadRequest:
    with pytest.raises(BadRequest) as err:
        decode_protobuf(body, into=into)
    assert err.value.status()["code"] == 400 and err.value.reason == "BadRequest"
    return err.value


def test_faults_before_the_kind_is_known_quote_the_body() -> None:
    assert refused(b"").message == ("the object provided is unrecognized (must be of type "
                                    "Deployment): empty data (<empty>)")
    json_body = b'{"kind":"Deployment","apiVersion":"apps/v1","metadata":{}}'
    assert refused(json_body).message == (
        "the object provided is unrecognized (must be of type Deployment): provided data "
        "does not appear to be a protobuf message, expected prefix [107 56 115 0] "
        '({"kind":"Deployment","apiVersi ...)')
    assert refused(MAGIC).message.endswith(": empty body (6b387300)")
    assert refused(MAGIC + b"\x0a\x05ab").message.startswith(
        "the object provided is unrecognized (must be of type Deployment): unexpected EOF")


def test_kinds_no_scheme_registers() -> None:
    assert refused(envelope("apps/v1", "Widget")).message == (
        'Widget in version "v1" cannot be handled as a Deployment: no kind "Widget" is '
        'registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"')
    assert "no kind \"Deployment\" is registered for version \"apps/v1beta1\"" in \
        refused(envelope("apps/v1beta1", "Deployment")).message


def test_a_truncated_object_is_an_unexpected_eof() -> None:
    assert refused(envelope("apps/v1", "Deployment", b"\x0a\x10\x0a")).message == (
        'Deployment in version "v1" cannot be handled as a Deployment: unexpected EOF')


def test_the_endpoint_fills_a_missing_kind_or_version() -> None:
    assert decode_protobuf(envelope("", ""), into=DEPLOYMENT)[:2] == DEPLOYMENT
    assert decode_protobuf(envelope("apps/", "Deployment"), into=DEPLOYMENT)[:2] == DEPLOYMENT
    # DeleteOptions is registered in every group version, as metav1.AddToGroupVersion does.
    assert decode_protobuf(envelope("", "DeleteOptions"), into=("v1", "DeleteOptions")) == (
        "v1", "DeleteOptions", {"kind": "DeleteOptions", "apiVersion": "v1"})
    assert decode_protobuf(envelope("policy/v1", "DeleteOptions"))[:2] == (
        "policy/v1", "DeleteOptions")


def test_without_an_endpoint_a_missing_kind_is_reported_bare() -> None:
    assert refused(envelope("apps/v1", ""), into=None).message == (
        "Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:\"apps/v1\", Kind:\"\"}'")
    assert refused(envelope("", "Pod"), into=None).message == (
        "Object 'apiVersion' is missing in 'runtime.TypeMeta{APIVersion:\"\", Kind:\"Pod\"}'")
    assert refused(b"{}", into=None).message.startswith("provided data does not appear")


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=200),
       kind=st.sampled_from([("v1", "Pod"), ("apps/v1", "Deployment"), ("v1", "Secret"),
                             ("events.k8s.io/v1", "Event")]))
def test_arbitrary_bytes_decode_or_are_refused_cleanly(raw: bytes,
                                                       kind: tuple[str, str]) -> None:
    for body in (envelope(*kind, raw), MAGIC + raw):
        try:
            api_version, got_kind, obj = decode_protobuf(body, into=kind)
        except BadRequest:
            continue
        assert obj["kind"] == got_kind and obj["apiVersion"] == api_version
