"""The store's compact per-record objects behave as the plain ones they replace.

A record's selectable fields are one tuple whose keys live in a class per kind, holding
the record's own name and namespace first; leases on events are columns per resource.
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery.fields import parse as parse_fields
from kitlib.sim.store.expiry import COMPACT_AFTER, Expiry, Lease
from kitlib.sim.store.packing import Codec
from kitlib.sim.store.records import Fields, make_record, with_rv

EVENT_FIELDS = {"involvedObject.kind": "Pod", "involvedObject.name": "web-1",
                "involvedObject.uid": "u1", "reason": "Started", "type": "Normal"}


def event(name: str, namespace: str = "default") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": namespace}, "reason": "Started"}


def test_fields_are_a_mapping_with_the_records_name_and_namespace() -> None:
    record = make_record(event("web-1.abc"), rv=7, fields=dict(EVENT_FIELDS))
    fields = record.fields
    assert (record.name, record.namespace) == ("web-1.abc", "default")
    assert dict(fields) == {"metadata.name": "web-1.abc", "metadata.namespace": "default",
                            **EVENT_FIELDS}
    assert fields["reason"] == "Started" and fields.get("nope", "-") == "-"
    assert "involvedObject.uid" in fields and "nope" not in fields and len(fields) == 7
    assert list(fields) == list(fields.keys()) and list(fields.values())[0] == "web-1.abc"
    assert fields == dict(fields) and fields != {**dict(fields), "reason": "Killing"}
    assert isinstance(fields, Fields)


def test_field_selectors_match_metadata_and_the_kinds_fields() -> None:
    record = make_record(event("web-1.abc", "team"), rv=7, fields=dict(EVENT_FIELDS))
    for text, expected in (("metadata.name=web-1.abc", True),
                           ("metadata.namespace=team,involvedObject.name=web-1", True),
                           ("involvedObject.uid=u2", False),
                           ("metadata.name!=web-1.abc", False), ("type!=Warning", True)):
        selector = parse_fields(text, supported=tuple(EVENT_FIELDS))
        assert selector.matches(record.fields) is expected, text


def test_a_kind_without_fields_and_one_naming_metadata_fields() -> None:
    plain = make_record(event("a", ""), rv=1, fields={})
    assert dict(plain.fields) == {"metadata.name": "a", "metadata.namespace": ""}
    odd = make_record(event("b"), rv=2, fields={"metadata.name": "b", "spec.x": "1"})
    assert dict(odd.fields) == {"metadata.name": "b", "metadata.namespace": "default",
                                "spec.x": "1"}
    assert odd.name == "b" and odd.fields["spec.x"] == "1"


def test_kinds_with_other_keys_do_not_compare_equal() -> None:
    one = make_record(event("a"), rv=1, fields={"x": "1"}).fields
    other = make_record(event("a"), rv=1, fields={"y": "1"}).fields
    assert one != other and one == make_record(event("a"), rv=2, fields={"x": "1"}).fields


def test_a_deleted_version_keeps_name_namespace_and_fields() -> None:
    record = make_record(event("e"), rv=3, fields=dict(EVENT_FIELDS))
    final = with_rv(record, 9)
    assert final.fields is record.fields and (final.name, final.rv) == ("e", 9)
    assert final.object()["metadata"]["resourceVersion"] == "9"
    assert final.size == len(final.raw)


def test_expiry_keeps_deadline_order_across_resources_and_late_grants() -> None:
    book = Expiry()
    book.grant(Lease(10.0, 1, "events", "default", "a"))
    book.grant(Lease(30.0, 2, "events", "default", "c"))
    book.grant(Lease(20.0, 3, "events", "ns", "b"))          # out of order: put in place
    book.grant(Lease(15.0, 4, "other", "", "x"))
    assert book.next_deadline() == 10.0 and len(book) == 4
    assert [(lease.resource, lease.namespace, lease.name, lease.rv)
            for lease in book.due(25.0)] == [("events", "default", "a", 1),
                                             ("other", "", "x", 4), ("events", "ns", "b", 3)]
    assert book.next_deadline() == 30.0 and len(book) == 1


def test_expiry_leases_on_record_fields_and_compaction() -> None:
    book = Expiry()
    records = [make_record(event(f"e{i}"), rv=i + 1, fields={}) for i in range(COMPACT_AFTER * 3)]
    for i, record in enumerate(records):
        book.grant_key("events", record.fields, record.rv, deadline=float(i))
    due = [lease.name for lease in book.due(float(COMPACT_AFTER * 2))]
    assert due == [f"e{i}" for i in range(COMPACT_AFTER * 2 + 1)]
    assert len(book) == COMPACT_AFTER - 1 and book.next_deadline() == COMPACT_AFTER * 2 + 1
    rest = list(book.due(1e9))
    assert rest[-1] == Lease(float(len(records) - 1), len(records), "events", "default",
                             f"e{len(records) - 1}")
    assert len(book) == 0 and book.next_deadline() is None


def test_an_unframed_codec_packs_smaller_and_primes_again_after_resting() -> None:
    samples = [make_record(event(f"web-{i}.abc"), rv=i, fields={}).raw for i in range(8)]
    framed, unframed = Codec(b"".join(samples[:4])), Codec(b"".join(samples[:4]), framed=False)
    for raw in samples[4:]:
        small = unframed.pack(raw)
        assert len(small) == len(framed.pack(raw)) - 10 and unframed.unpack(small) == raw
        unframed.rest()                 # the primed compressor goes; the next pack primes
    assert unframed.used == 4
    packed = unframed.pack(samples[5])
    unframed.retire()                   # a retired codec still unpacks
    assert unframed.unpack(packed) == samples[5]
