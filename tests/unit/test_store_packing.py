"""Cold records are packed (deflate with a shared dictionary) and read back unchanged."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from kitlib.sim.machinery import labels
from kitlib.sim.machinery.labels import LabelSelector
from kitlib.sim.store.packing import Codec, Packer
from kitlib.sim.store.records import make_record
from kitlib.sim.store.store import Store


def pod(name: str, ip: str = "", **labels: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": dict(labels),
                         "uid": f"uid-{name}"},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]},
            "status": {"phase": "Running", "podIP": ip}}


def test_a_packed_record_reads_back_byte_for_byte() -> None:
    record = make_record(pod("a", "10.0.0.1", app="web"), rv=7, fields={})
    raw = record.raw
    codec = Codec(make_record(pod("b"), rv=1, fields={}).raw)
    record.pack_with(codec)
    assert record.packed and record.size == len(raw)
    assert record.raw == raw
    assert record.object() == orjson.loads(raw)
    assert record.labels == {"app": "web"} and record.rv == 7


def test_records_are_immutable() -> None:
    record = make_record(pod("a"), rv=1, fields={})
    with pytest.raises(AttributeError):
        record.rv = 2       # type: ignore[misc]


def test_the_store_packs_what_went_cold_and_serves_it_unchanged() -> None:
    store = Store(hot=3)
    made = [store.create("pods", pod(f"p{i}", f"10.0.0.{i}", app="web"), fields={})
            for i in range(10)]
    raws = {r.name: r.raw for r in made}
    assert [r.packed for r in made] == [True] * 7 + [False] * 3
    for record in store.list("pods"):
        assert record.raw == raws[record.name]
    assert [r.name for r in store.select("pods", None, _selector("app=web"))] == \
        sorted(raws)


def test_replaced_versions_out_of_the_window_are_not_packed() -> None:
    store = Store(hot=1, window=1)
    first = store.create("pods", pod("a"), fields={})
    second = store.update("pods", pod("a", "10.0.0.9"), prev=first, fields={})
    store.create("pods", pod("b"), fields={})
    assert not first.packed                 # replaced, and its event left the window
    assert second.packed and store.get("pods", "default", "a") is second


def test_packing_happens_between_loop_turns() -> None:
    async def scenario() -> list[bool]:
        store = Store(hot=2)
        store.bind(asyncio.get_running_loop())
        made = [store.create("pods", pod(f"p{i}"), fields={}) for i in range(6)]
        before = [r.packed for r in made]
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return before + [r.packed for r in made]

    result = asyncio.run(scenario())
    assert result[:6] == [False] * 6
    assert result[6:] == [True] * 4 + [False] * 2


def test_a_dictionary_is_made_afresh_after_refresh_records(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setattr("kitlib.sim.store.packing.REFRESH", 2)
    packer = Packer(hot=0)
    records = [make_record(pod(f"p{i}"), rv=i + 1, fields={}) for i in range(5)]
    raws = [r.raw for r in records]
    for record in records:
        packer.add("pods", record)
    packer.pack(lambda _res, _rec: True)
    codecs = {id(r._codec) for r in records}      # noqa: SLF001 - the point of the test
    assert len(codecs) == 3
    assert [r.raw for r in records] == raws


def _selector(text: str) -> LabelSelector:
    return labels.parse(text)
