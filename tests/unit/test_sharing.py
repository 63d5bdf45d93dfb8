"""One copy of what many pods hold alike (kitlib/sim/machinery/sharing.py)."""

from __future__ import annotations

from kitlib.sim.machinery.sharing import ShareTable, intern


def test_equal_strings_become_one_object_and_other_values_pass_through() -> None:
    a, b = "".join(["kit-", "worker"]), "".join(["kit-w", "orker"])
    assert a is not b
    assert intern(a) is intern(b)
    value = ("not", "a", "string")
    assert intern(value) is value
    half = "x" * 100
    assert intern(half + half, longest=128) is not intern(half + half, longest=128)
    assert intern(half + "y", longest=128) is intern(half + "y", longest=128)


def test_a_share_table_makes_each_value_once_and_forgets_all_when_full() -> None:
    made: list[str] = []
    table: ShareTable[str, list[str]] = ShareTable(limit=2)

    def make(key: str) -> list[str]:
        made.append(key)
        return [key]

    first = table.get("a", lambda: make("a"))
    assert table.get("a", lambda: make("a")) is first
    table.get("b", lambda: make("b"))
    assert len(table) == 2
    table.get("c", lambda: make("c"))            # full: a fresh table holding "c"
    assert len(table) == 1
    assert table.get("a", lambda: make("a")) is not first
    assert made == ["a", "b", "c", "a"]
