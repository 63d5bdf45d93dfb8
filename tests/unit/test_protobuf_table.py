"""The field-number table covers what the server serves, and decoding stays fast."""

from __future__ import annotations

import datetime
import time

from hypothesis import given
from hypothesis import strategies as st

from kitlib.sim.registry.catalog import RESOURCES
from kitlib.sim.schema.protobuf import decode_protobuf
from kitlib.sim.schema.protobuf_fields import field_table
from kitlib.sim.schema.protobuf_json import civil_from_days, format_rfc3339
from tests.unit.test_protobuf_kubectl import SNAPSHOTS


def test_every_served_kind_and_subresource_body_has_a_message() -> None:
    table = field_table()
    for res in RESOURCES:
        if {"create", "update", "patch"} & set(res.verbs):      # a body to decode
            assert table.kind_message(res.api_version, res.kind), res.kind
    for api_version, kind in (("v1", "Binding"), ("autoscaling/v1", "Scale"),
                              ("policy/v1", "Eviction"), ("v1", "DeleteOptions"),
                              ("apps/v1", "DeleteOptions"), ("meta.k8s.io/v1", "DeleteOptions"),
                              ("authentication.k8s.io/v1", "TokenRequest")):
        assert table.kind_message(api_version, kind), (api_version, kind)
    assert table.kind_message("apps/v1", "Pod") is None


def test_every_reference_resolves_and_numbers_are_unique() -> None:
    table = field_table()
    for name, message in table.messages.items():
        numbers = [f.number for f in message.fields]
        assert len(numbers) == len(set(numbers)), name
        named = [f.json_name for f in message.fields if f.json_name]
        assert len(named) == len(set(named)), name
        for spec in message.fields:
            assert spec.shape in ("one", "list", "map")
            if spec.type == "message":
                assert spec.ref in table.messages, (name, spec.ref)
            assert not (spec.inline and spec.ptr), name


def test_known_field_numbers() -> None:
    # Spot checks against generated.proto (apps/v1, core/v1, runtime).
    spec = {f.json_name: f.number for f in
            field_table().messages["k8s.io.api.apps.v1.DeploymentSpec"].fields}
    assert spec == {"replicas": 1, "selector": 2, "template": 3, "strategy": 4,
                    "minReadySeconds": 5, "revisionHistoryLimit": 6, "paused": 7,
                    "progressDeadlineSeconds": 9}
    secret = {f.json_name: (f.number, f.shape, f.type) for f in
              field_table().messages["k8s.io.api.core.v1.Secret"].fields}
    assert secret["data"] == (2, "map", "bytes") and secret["stringData"] == (4, "map", "string")
    assert field_table().envelope == "k8s.io.apimachinery.pkg.runtime.Unknown"


@given(st.integers(min_value=-719_162, max_value=2_932_896))   # Python's years 1..9999
def test_civil_dates_match_the_gregorian_calendar(days: int) -> None:
    expected = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
    assert civil_from_days(days) == (expected.year, expected.month, expected.day)


def test_rfc3339_outside_python_dates() -> None:
    assert format_rfc3339(0) == "1970-01-01T00:00:00Z"
    assert format_rfc3339(253402300800) == "10000-01-01T00:00:00Z"
    assert format_rfc3339(-62135596801) == "0000-12-31T23:59:59Z"
    assert format_rfc3339(-62198755200) == "-0001-01-01T00:00:00Z"
    assert format_rfc3339(86399, micros=7) == "1970-01-01T23:59:59.000007Z"


def test_a_typical_pod_decodes_in_well_under_a_millisecond() -> None:
    hex_body = SNAPSHOTS["debug dp --copy-to=dpc --image=busybox -- true"][0]
    body = bytes.fromhex(hex_body)
    decode_protobuf(body)                     # builds the descriptors once
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        decode_protobuf(body, into=("v1", "Pod"))
    per_call = (time.perf_counter() - start) / runs
    assert per_call < 0.002, f"{per_call * 1e6:.0f}us per pod"
