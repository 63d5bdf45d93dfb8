"""Container logs: lines with times, partial lines, tail/since/limit, rotation, follow."""

from __future__ import annotations

import asyncio

from kitlib.sim.runtime.logs import ContainerLog, rfc3339_nano


class Now:
    def __init__(self) -> None:
        self.value = 1_700_000_000.0

    def __call__(self) -> float:
        return self.value


async def collect(log: ContainerLog, **options: object) -> bytes:
    return b"".join([chunk async for chunk in log.read(**options)])  # type: ignore[arg-type]


def test_lines_streams_and_filters() -> None:
    now = Now()
    log = ContainerLog(now=now)
    log.writer("stdout").write(b"one\ntw")
    log.writer("stderr").write(b"oops\n")
    now.value += 10
    log.writer("stdout").write(b"o\nthree\n")
    assert asyncio.run(collect(log)) == b"one\noops\ntwo\nthree\n"
    assert asyncio.run(collect(log, tail=2)) == b"two\nthree\n"
    assert asyncio.run(collect(log, since=now.value)) == b"two\nthree\n"
    assert asyncio.run(collect(log, limit_bytes=6)) == b"one\noo"
    stamped = asyncio.run(collect(log, tail=1, timestamps=True))
    assert stamped == b"2023-11-14T22:13:30.000000000Z three\n"


def test_an_unfinished_line_is_kept_at_the_end() -> None:
    log = ContainerLog(now=Now())
    log.writer("stdout").write(b"no newline")
    assert asyncio.run(collect(log)) == b""
    log.close()
    assert asyncio.run(collect(log)) == b"no newline"


def test_rotation_starts_a_fresh_file() -> None:
    log = ContainerLog(now=Now(), max_size=200)
    for index in range(10):
        log.writer("stdout").write(f"line {index}\n".encode())
    text = asyncio.run(collect(log))
    assert log.rotations >= 1 and text.endswith(b"line 9\n") and b"line 0\n" not in text


def test_follow_waits_for_more_until_the_container_ends() -> None:
    async def main() -> bytes:
        log = ContainerLog(now=Now())
        log.writer("stdout").write(b"a\n")
        reader = asyncio.ensure_future(collect(log, follow=True))
        await asyncio.sleep(0)
        log.writer("stdout").write(b"b\n")
        await asyncio.sleep(0)
        assert not reader.done()
        log.close()
        return await reader
    assert asyncio.run(main()) == b"a\nb\n"


def test_timestamps_are_fixed_width() -> None:
    assert rfc3339_nano(1_700_000_000.5) == "2023-11-14T22:13:20.500000000Z"
