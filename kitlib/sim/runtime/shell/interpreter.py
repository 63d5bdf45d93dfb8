"""The interpreter: a tree-walking shell whose every effect goes through the context.

``Shell`` is one shell's state (variables, functions, options, cwd, open file descriptors)
and runs syntax trees; the ``Process`` it belongs to (proc.py) is what all its subshells
share.  Subshells (``( )``, ``$( )``, pipeline stages, ``&``) are forks: copies of the
state over the same Process.  Running a command once its words are expanded is
execution.py's part.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from typing import Any, Awaitable, Callable

from kitlib.sim.runtime.process import LimitExceeded
from kitlib.sim.runtime.shell import messages, pattern, redirects
from kitlib.sim.runtime.shell.errors import (AbortCommand, BrokenPipe, ExitShell, LoopControl,
                                             ReturnFromFunction, ShellError, ShellSyntaxError)
from kitlib.sim.runtime.shell.execution import Execution
from kitlib.sim.runtime.shell.expand import Expander
from kitlib.sim.runtime.shell.flavour import Flavour
from kitlib.sim.runtime.shell.nodes import (AndOr, ArithCommand, Assign, Case, CondCommand, For,
                                            FunctionDef, Group, If, Loop, Node, Pipeline,
                                            Redirect, Sequence, Simple, Subshell)
from kitlib.sim.runtime.shell.parser import Parser
from kitlib.sim.runtime.shell.proc import Process
from kitlib.sim.runtime.shell.redirects import FdTable
from kitlib.sim.runtime.shell.streams import BytesReader, CaptureSink, Pipe, Sink

#: Commands nest (functions, eval, subshells, $(...), sh -c) this deep in all: real shells
#: go deeper, but here Python's stack is the limit.
MAX_DEPTH = 80
_DEPTH: ContextVar[int] = ContextVar("shell_depth", default=0)


class Shell(Execution):
    def __init__(self, process: Process, flavour: Flavour, *, fds: FdTable,
                 env: dict[str, str] | None = None, cwd: str = "/", arg0: str = "sh",
                 positional: list[str] | None = None, interactive: bool = False,
                 script: bool = False, where: str = "-c") -> None:
        self.process = process
        self.flavour = flavour
        self.fds: FdTable = fds
        self.vars: dict[str, str] = dict(env or {})
        self.exported: set[str] = set(self.vars)
        self.readonly: set[str] = set()
        self.functions: dict[str, Node] = {}
        self.options: set[str] = set()
        self.traps: dict[str, str] = {}
        self.cwd = cwd
        self.arg0 = arg0
        self.positional: list[str] = list(positional or [])
        self.interactive = interactive
        self.script = script
        self.where = where                      # how bash names the input: -c, a file, ""
        self.last_status = 0
        self.last_bg: int | None = None
        self.line = 1
        self.errexit_suppressed = 0
        self.loop_depth = 0
        self.function_depth = 0
        self.locals: list[dict[str, tuple[str | None, bool]]] = []
        self.cmdsub_status: int | None = None
        self.subshell = False
        self.sourcing = 0                       # files being read by "." (return ends them)
        self.aliases: dict[str, str] = {}
        self.umask = "0022"
        self.getopts_offset = (1, 1)            # (OPTIND, position) within a "-abc" word
        self.expander = Expander(self)

    def fork(self) -> Shell:
        child = Shell.__new__(Shell)
        child.__dict__.update(self.__dict__)
        child.vars = dict(self.vars)
        child.exported = set(self.exported)
        child.readonly = set(self.readonly)
        child.functions = dict(self.functions)
        child.options = set(self.options)
        child.traps = {k: v for k, v in self.traps.items() if v == ""}
        child.positional = list(self.positional)
        child.fds = dict(self.fds)
        child.locals = [dict(frame) for frame in self.locals]
        child.aliases = dict(self.aliases)
        child.subshell = True
        child.interactive = False
        child.expander = Expander(child)
        return child

    # --- variables --------------------------------------------------------------------

    def get(self, name: str) -> str | None:
        value = self.vars.get(name)
        if value is not None:
            return value
        if name.isdigit():
            index = int(name)
            if index == 0:
                return self.arg0
            return self.positional[index - 1] if index <= len(self.positional) else None
        if name == "?":
            return str(self.last_status)
        if name == "$":
            return str(self.process.pid)
        if name == "#":
            return str(len(self.positional))
        if name == "-":
            flags = "".join(sorted(o for o in self.options if len(o) == 1))
            return flags + ("i" if self.interactive else "")
        if name == "!":
            return None if self.last_bg is None else str(self.last_bg)
        if name == "RANDOM" and self.flavour.shell != "dash":
            return str(self.process.clock.random.randrange(32768))
        if name == "LINENO":
            return str(self.line)
        if name == "SECONDS" and self.flavour.shell == "bash":
            return str(int(self.process.clock.time() - self.process.started))
        if name == "PPID":
            return "0" if self.process.pid == 1 else "1"
        if name == "BASH_VERSION" and self.flavour.shell == "bash":
            return "5.2.15(1)-release"
        return None

    def assign(self, name: str, value: str, *, export: bool = False) -> None:
        if name in self.readonly:
            raise self.fail(f"{name}: readonly variable" if self.flavour.shell == "bash"
                            else f"{name}: is read only", status=1 if
                            self.flavour.shell == "bash" else 2)
        self.vars[name] = value
        if export or "a" in self.options:
            self.exported.add(name)

    def unset(self, name: str) -> None:
        if name in self.readonly:
            raise self.fail(f"{name}: cannot unset: readonly variable" if
                            self.flavour.shell == "bash" else f"{name}: is read only",
                            status=1 if self.flavour.shell == "bash" else 2)
        self.vars.pop(name, None)
        self.exported.discard(name)

    def environ(self) -> dict[str, str]:
        """The environment a command gets: the exported variables."""
        return {k: v for k, v in self.vars.items() if k in self.exported}

    def check_unset(self, name: str) -> None:
        if "u" in self.options and name not in ("@", "*"):
            raise self.fail(messages.unset_parameter(self.flavour.shell, name),
                            status=1 if self.flavour.shell == "bash" else 2)

    def check_size(self, size: int) -> None:
        if size > self.process.limits.output:
            raise LimitExceeded(f"a word longer than {self.process.limits.output} bytes: "
                                "the simulator stopped this script")

    def abspath(self, path: str) -> str:
        """``path`` made absolute against the cwd, with ``.`` and ``..`` resolved lexically
        (``..`` never climbs above ``/``)."""
        if not path.startswith("/"):
            path = self.cwd.rstrip("/") + "/" + path
        parts: list[str] = []
        for segment in path.split("/"):
            if segment in ("", "."):
                continue
            if segment == "..":
                if parts:
                    parts.pop()
                continue
            parts.append(segment)
        return "/" + "/".join(parts)

    @staticmethod
    def encode(text: str) -> bytes:
        return text.encode("utf-8", "surrogateescape")

    # --- messages ---------------------------------------------------------------------

    def prefix(self) -> str:
        return self.flavour.prefix(self.arg0, line=self.line, interactive=self.interactive,
                                   script=self.script)

    def report(self, message: str) -> None:
        """The shell's own error message, with its prefix, on stderr."""
        sink = self.fds.get(2)
        if isinstance(sink, Sink):
            try:
                sink.write(self.encode(self.prefix() + message + "\n"))
            except BrokenPipe:
                pass

    def fail(self, message: str, *, status: int | None = None, fatal: bool = True) -> ShellError:
        return ShellError(message, status=2 if status is None else status, fatal=fatal)

    def report_syntax(self, error: ShellSyntaxError) -> None:
        sink = self.fds.get(2)
        if not isinstance(sink, Sink):
            return
        for line in messages.syntax(self.flavour.shell, error, arg0=self.arg0,
                                    where=self.where, script=self.script):
            sink.write(self.encode(line + "\n"))

    # --- running text -----------------------------------------------------------------

    async def run_source(self, text: str, *, line: int = 1) -> int:
        """Parse and run ``text`` command by command (``sh -c``, ``eval``, ``.``)."""
        parser = Parser(text, shell=self.flavour.shell, line=line)
        status = 0
        while True:
            try:
                node = parser.next_command()
            except ShellSyntaxError as e:
                self.report_syntax(e)
                self.last_status = 2
                if not self.interactive:
                    raise ExitShell(2) from None
                return 2
            if node is None:
                return status
            status = await self.run(node)

    async def run_subshell(self, node: Node) -> int:
        try:
            return await self.run(node)
        except ExitShell as e:
            return e.status
        except ReturnFromFunction as e:
            return e.status
        except LoopControl:
            return 0

    async def capture(self, node: Node) -> str:
        """``$(...)``: run ``node`` in a subshell and take its output."""
        child = self.fork()
        sink = CaptureSink(self.process.limits.output)
        child.fds[1] = sink
        status = await child.run_subshell(node)
        self.cmdsub_status = status
        self.last_status = status
        return sink.buffer.decode("utf-8", "surrogateescape").rstrip("\n")

    # --- nodes ------------------------------------------------------------------------

    async def run(self, node: Node) -> int:
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        try:
            if depth >= MAX_DEPTH:
                raise self.fail(f"commands nested deeper than {MAX_DEPTH} levels: the "
                                "simulator stopped this script")
            status = await _DISPATCH[type(node)](self, node)
        except ShellError as e:
            self.report(e.message)
            status = e.status
            if e.fatal and not self.interactive:
                raise ExitShell(status) from None
            if e.fatal:
                raise AbortCommand(status) from None
        finally:
            _DEPTH.reset(token)
        self.last_status = status
        if status and "e" in self.options and not self.errexit_suppressed and \
                type(node) in (Simple, Pipeline, Subshell):
            raise ExitShell(status)
        return status

    async def _simple(self, node: Simple) -> int:
        await self.process.step()
        self.line = node.line
        if self.process.signals:
            await self.run_traps()
        self.cmdsub_status = None
        argv = await self.expander.words(node.words) if node.words else []
        if not argv:
            for a in node.assigns:
                self.assign(a.name, await self._assignment(a))
            if node.redirects:                 # "> file" alone still creates the file
                await redirects.apply(self, node.redirects, self.fds)
            return self.cmdsub_status or 0
        assigns = [(a.name, await self._assignment(a)) for a in node.assigns]
        if "x" in self.options:
            self._trace(assigns, argv)
        fds = await redirects.apply(self, node.redirects, self.fds) if node.redirects \
            else self.fds
        return await self.execute(argv, assigns, fds)

    async def _assignment(self, a: Assign) -> str:
        value = await self.expander.word(a.value)
        if a.append:
            value = (self.get(a.name) or "") + value
        return value

    def _trace(self, assigns: list[tuple[str, str]], argv: list[str]) -> None:
        ps4 = self.get("PS4")
        words = [f"{n}={_quote(v)}" for n, v in assigns] + [_quote(a) for a in argv]
        sink = self.fds.get(2)
        if isinstance(sink, Sink):
            sink.write(self.encode(("+ " if ps4 is None else ps4) + " ".join(words) + "\n"))

    async def _pipeline(self, node: Pipeline) -> int:
        if len(node.commands) == 1:
            self.errexit_suppressed += node.negate
            try:
                status = await self.run(node.commands[0])
            finally:
                self.errexit_suppressed -= node.negate
        else:
            status = await self._stages(node.commands)
        return int(status == 0) if node.negate else status

    async def _stages(self, commands: list[Node]) -> int:
        pipes = [Pipe() for _ in commands[1:]]
        last = len(commands) - 1

        async def stage(i: int, command: Node) -> int:
            _DEPTH.set(0)                      # a task of its own: a fresh Python stack
            child = self.fork()
            if i > 0:
                child.fds[0] = pipes[i - 1].reader
            if i < last:
                child.fds[1] = pipes[i].writer
            try:
                return await child.run_subshell(command)
            except BrokenPipe:
                return 141
            finally:
                if i < last:
                    pipes[i].close_writer()
                if i > 0:
                    pipes[i - 1].close_reader()

        self.process.reserve_tasks(len(commands), self)
        tasks = [asyncio.ensure_future(stage(i, c)) for i, c in enumerate(commands)]
        try:
            results = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            self.process.live_tasks -= len(commands)
        if "pipefail" in self.options:
            return next((s for s in reversed(results) if s), 0)
        return results[-1]

    async def _and_or(self, node: AndOr) -> int:
        self.errexit_suppressed += 1
        try:
            status = await self.run(node.first)
        finally:
            self.errexit_suppressed -= 1
        last = len(node.rest) - 1
        for i, (op, command) in enumerate(node.rest):
            if (op == "&&") != (status == 0):
                continue
            quiet = i < last
            self.errexit_suppressed += quiet
            try:
                status = await self.run(command)
            finally:
                self.errexit_suppressed -= quiet
        return status

    async def _sequence(self, node: Sequence) -> int:
        status = 0
        for command, background in node.items:
            if background:
                self.start_background(command)
                status = 0
            else:
                status = await self.run(command)
        return status

    def start_background(self, node: Node) -> int:
        child = self.fork()
        if not self.interactive:
            child.fds[0] = BytesReader(b"")
        pid = self.process.new_pid()
        self.process.reserve_tasks(1, self)
        jobs = self.process.jobs
        if len(jobs) > 64:                     # forget finished jobs nobody waited for
            for old in [p for p, task in jobs.items() if task.done() and p != self.last_bg]:
                del jobs[old]

        async def job() -> int:
            _DEPTH.set(0)
            try:
                return await child.run_subshell(node)
            except LimitExceeded as e:
                self.process.stop(e)           # a runaway job ends the whole process
                return 137
            finally:
                self.process.live_tasks -= 1
        self.process.jobs[pid] = asyncio.ensure_future(job())
        self.last_bg = pid
        if self.interactive:
            self.report_plain(f"[{len(self.process.jobs)}] {pid}")
        return pid

    def report_plain(self, text: str) -> None:
        sink = self.fds.get(2)
        if isinstance(sink, Sink):
            sink.write(self.encode(text + "\n"))

    async def _with_redirects(self, found: list[Redirect],
                              body: Callable[[], Awaitable[int]]) -> int:
        if not found:
            return await body()
        saved = self.fds
        self.fds = await redirects.apply(self, found, saved)
        try:
            return await body()
        finally:
            self.fds = saved

    async def _subshell(self, node: Subshell) -> int:
        child = self.fork()
        if node.redirects:
            child.fds = await redirects.apply(self, node.redirects, self.fds)
        return await child.run_subshell(node.body)

    async def _group(self, node: Group) -> int:
        return await self._with_redirects(node.redirects, lambda: self.run(node.body))

    async def _condition(self, node: Node) -> int:
        self.errexit_suppressed += 1
        try:
            return await self.run(node)
        finally:
            self.errexit_suppressed -= 1

    async def _if(self, node: If) -> int:
        async def body() -> int:
            for cond, then in node.clauses:
                if await self._condition(cond) == 0:
                    return await self.run(then)
            return await self.run(node.orelse) if node.orelse is not None else 0
        return await self._with_redirects(node.redirects, body)

    async def _loop(self, node: Loop) -> int:
        async def body() -> int:
            status = 0
            self.loop_depth += 1
            try:
                while True:
                    await self.process.step()
                    if (await self._condition(node.cond) == 0) == node.until:
                        return status
                    try:
                        status = await self.run(node.body)
                    except LoopControl as e:
                        if e.levels > 1:
                            e.levels -= 1
                            raise
                        status = 0
                        if not e.again:
                            return status
            finally:
                self.loop_depth -= 1
        return await self._with_redirects(node.redirects, body)

    async def _for(self, node: For) -> int:
        async def body() -> int:
            items = list(self.positional) if node.items is None else \
                await self.expander.words(node.items)
            status = 0
            self.loop_depth += 1
            try:
                for value in items:
                    await self.process.step()
                    self.assign(node.var, value)
                    try:
                        status = await self.run(node.body)
                    except LoopControl as e:
                        if e.levels > 1:
                            e.levels -= 1
                            raise
                        status = 0
                        if not e.again:
                            break
            finally:
                self.loop_depth -= 1
            return status
        return await self._with_redirects(node.redirects, body)

    async def _case(self, node: Case) -> int:
        async def body() -> int:
            subject = await self.expander.word(node.word)
            for i, item in enumerate(node.items):
                for word in item.patterns:
                    if pattern.match(subject, await self.expander.pattern(word)):
                        status = await self.run(item.body) if item.body else 0
                        while item.fallthrough and i + 1 < len(node.items):
                            i += 1
                            item = node.items[i]
                            status = await self.run(item.body) if item.body else 0
                        return status
            return 0
        return await self._with_redirects(node.redirects, body)

    async def _function_def(self, node: FunctionDef) -> int:
        self.functions[node.name] = node.body
        return 0

    async def _arith_command(self, node: ArithCommand) -> int:
        async def body() -> int:
            return 0 if await self.expander.arith(node.expr) != 0 else 1
        return await self._with_redirects(node.redirects, body)

    async def _cond_command(self, node: CondCommand) -> int:
        from kitlib.sim.runtime.shell.cond import evaluate_cond

        async def body() -> int:
            await self.process.step()
            return await evaluate_cond(self, node.words)
        return await self._with_redirects(node.redirects, body)

    # --- commands ---------------------------------------------------------------------

def _quote(word: str) -> str:
    if word and all(c.isalnum() or c in "@%+=:,./-_" for c in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


_DISPATCH: dict[type, Callable[[Shell, Any], Awaitable[int]]] = {
    Simple: Shell._simple, Pipeline: Shell._pipeline, AndOr: Shell._and_or,
    Sequence: Shell._sequence, Subshell: Shell._subshell, Group: Shell._group,
    If: Shell._if, Loop: Shell._loop, For: Shell._for, Case: Shell._case,
    FunctionDef: Shell._function_def, ArithCommand: Shell._arith_command,
    CondCommand: Shell._cond_command,
}
