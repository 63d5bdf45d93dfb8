"""A process's stdout and stderr reach ``kubectl exec`` in the order it wrote them.

Each stream has its own reader (one WebSocket channel each); without turns, a reader that
was busy sending lets the other overtake it, and an error line shows up before the output
that came first."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from kitlib.sim.kubelet.runtimeio import RuntimeSession
from kitlib.sim.runtime.streams import Pipe, WriteOrder


async def _relay(session: RuntimeSession) -> list[tuple[str, bytes]]:
    """Two pumps, each slow to send, as execsession's are (a send awaits the socket)."""
    sent: list[tuple[str, bytes]] = []

    async def pump(name: str, read: object) -> None:
        while data := await read():                     # type: ignore[operator]
            sent.append((name, data))
            await asyncio.sleep(0.001)

    await asyncio.gather(pump("out", session.read_stdout), pump("err", session.read_stderr))
    return sent


def _writes(out: Pipe, err: Pipe) -> None:
    out.write(b"index.html\n")
    out.write(b"127.0.0.1\tlocalhost\n")
    err.write(b"sh: 1: nosuch: not found\n")
    out.write(b"end\n")
    err.write(b"ls: cannot access '/nope'\n")
    out.close()
    err.close()


def test_streams_take_turns_as_the_process_wrote() -> None:
    async def scenario() -> list[tuple[str, bytes]]:
        order = WriteOrder()
        out, err = Pipe(order=order), Pipe(order=order)
        session = RuntimeSession(SimpleNamespace(stdout=out, stderr=err), stdout=True,
                                 stderr=True)
        relay = asyncio.ensure_future(_relay(session))
        await asyncio.sleep(0)
        _writes(out, err)
        return await relay

    assert asyncio.run(scenario()) == [
        ("out", b"index.html\n127.0.0.1\tlocalhost\n"),
        ("err", b"sh: 1: nosuch: not found\n"),
        ("out", b"end\n"),
        ("err", b"ls: cannot access '/nope'\n")]


def test_one_stream_alone_needs_no_turns() -> None:
    async def scenario() -> bytes:
        order = WriteOrder()
        out, err = Pipe(order=order), Pipe(order=order)
        session = RuntimeSession(SimpleNamespace(stdout=out, stderr=err), stdout=True,
                                 stderr=False)
        _writes(out, err)                   # stderr is never read: stdout must not wait
        chunks = []
        while data := await session.read_stdout():
            chunks.append(data)
        return b"".join(chunks)

    assert asyncio.run(scenario()) == b"index.html\n127.0.0.1\tlocalhost\nend\n"
