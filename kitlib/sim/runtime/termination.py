"""SIGTERM as a simulated process waits for it, and waiting for it without running.

Most containers of a big cluster do nothing for hours: nginx started, printed its lines,
and waits for SIGTERM.  As a suspended coroutine that wait holds the whole call chain
(the process task, the entrypoint script, ``exec``, nginx's own frame with its locals)
and an asyncio task: kilobytes per container.  A program that only has something to do
once it is told to stop can instead *park*: ``until_terminated(ctx, then)`` in the
container's main process returns at once, its coroutines end, and the process task calls
``then`` when SIGTERM arrives, exactly when the waiting program would have gone on.
Elsewhere (a program a shell started, which has its own ``terminated`` event) it simply
waits.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import TYPE_CHECKING, Awaitable, Callable, Union

if TYPE_CHECKING:
    from kitlib.sim.runtime.process import ProcessContext

Then = Callable[[], Union[int, Awaitable[int]]]
Waiter = Union["asyncio.Future[bool]", Callable[[], None]]


class Termination:
    """``asyncio.Event``'s ``wait``, ``is_set``, ``set`` and ``clear``, with no queue of
    waiters until someone waits, and ``when_set`` callbacks for parked processes."""

    __slots__ = ("_set", "_waiters", "parkable")

    def __init__(self) -> None:
        self._set = False
        # One waiter as itself (a parked process's), more in a list.
        self._waiters: list[Waiter] | Waiter | None = None
        #: Set by the process task that runs the context: it resumes parked programs.
        self.parkable = False

    def is_set(self) -> bool:
        return self._set

    def set(self) -> None:
        if self._set:
            return
        self._set = True
        waiters, self._waiters = self._waiters, None
        if waiters is None:
            return
        for waiter in waiters if isinstance(waiters, list) else [waiters]:
            if isinstance(waiter, asyncio.Future):
                if not waiter.done():
                    waiter.set_result(True)
            else:
                waiter()

    def clear(self) -> None:
        self._set = False

    async def wait(self) -> bool:
        if self._set:
            return True
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._add(future)
        try:
            return await future
        finally:
            if self._waiters is future:
                self._waiters = None
            elif isinstance(self._waiters, list) and future in self._waiters:
                self._waiters.remove(future)

    def when_set(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when the signal comes (now, if it came)."""
        if self._set:
            callback()
        else:
            self._add(callback)

    def _add(self, waiter: Waiter) -> None:
        if self._waiters is None:
            self._waiters = waiter
        elif isinstance(self._waiters, list):
            self._waiters.append(waiter)
        else:
            self._waiters = [self._waiters, waiter]


class Parked:
    """What a parked program returns: ``then`` is what it does once told to stop."""

    __slots__ = ("then",)

    def __init__(self, then: Then) -> None:
        self.then = then

    async def resume(self) -> int:
        result = self.then()
        if inspect.isawaitable(result):
            return await result
        return result


async def until_terminated(ctx: ProcessContext, then: Then) -> int:
    """Wait for SIGTERM, then exit with what ``then()`` returns (parked, where the
    process task can resume it; its caller must hand the result on as its own)."""
    terminated = ctx.terminated
    if isinstance(terminated, Termination) and terminated.parkable:
        return Parked(then)                 # type: ignore[return-value]
    await terminated.wait()
    return await Parked(then).resume()
