"""Running a command once its words are expanded: special builtins, functions, regular
builtins, the shell's builtin commands (echo, test, ...), then the image's programs and
script files found on $PATH, with the messages each shell prints when that fails."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.images import COMMAND, program_in
from kitlib.sim.runtime.shell.commands import COMMANDS, SHELL_BUILTINS, Invocation, run_invocation
from kitlib.sim.runtime.shell.errors import BrokenPipe, ReturnFromFunction, ShellError
from kitlib.sim.runtime.shell.flavour import Flavour
from kitlib.sim.runtime.shell.nodes import Node
from kitlib.sim.runtime.shell.redirects import FdTable
from kitlib.sim.runtime.shell.streams import BytesReader, Reader, Sink

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.proc import Process

#: Shell functions may call each other this deep (real shells go deeper; Python's stack is
#: the limit here).
MAX_FUNCTION_DEPTH = 30
#: Directories whose programs are the image's own (their files need not exist in the FS).
BIN_DIRS = frozenset({"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin",
                      "/usr/local/sbin"})

Builtin = Callable[[Any, list[str]], Awaitable[int]]


class Execution:
    """The command-running half of Shell (a mixin: the state lives in Shell)."""

    process: Process
    flavour: Flavour
    fds: FdTable
    vars: dict[str, str]
    exported: set[str]
    functions: dict[str, Node]
    positional: list[str]
    locals: list[dict[str, tuple[str | None, bool]]]
    function_depth: int
    cwd: str
    traps: dict[str, str]
    last_status: int

    if TYPE_CHECKING:
        def get(self, name: str) -> str | None: ...
        def assign(self, name: str, value: str, *, export: bool = False) -> None: ...
        def environ(self) -> dict[str, str]: ...
        def abspath(self, path: str) -> str: ...
        def report(self, message: str) -> None: ...
        def fail(self, message: str, *, status: int | None = None,
                 fatal: bool = True) -> ShellError: ...
        async def run(self, node: Node) -> int: ...
        async def run_source(self, text: str, *, line: int = 1) -> int: ...

    async def execute(self, argv: list[str], assigns: list[tuple[str, str]],
                      fds: FdTable) -> int:
        from kitlib.sim.runtime.shell.builtins import REGULAR, SPECIAL

        name = argv[0]
        special = SPECIAL.get(name)
        if special is not None and self.flavour.shell == "bash" and name in self.functions:
            special = None                     # bash (not in POSIX mode) prefers functions
        if special is not None:
            if name == "exec" and len(argv) == 1:
                for n, v in assigns:
                    self.assign(n, v)
                self.fds = fds
                return 0
            for n, v in assigns:
                self.assign(n, v)
            return await self._builtin(special, argv, fds)
        body = self.functions.get(name)
        if body is not None:
            return await self._temporarily(
                assigns, lambda: self.call_function(name, body, argv, fds))
        regular = REGULAR.get(name)
        if regular is not None:
            return await self._temporarily(assigns, lambda: self._builtin(regular, argv, fds))
        if name in SHELL_BUILTINS:
            env = self.environ()
            env.update(assigns)
            return await self._invoke(COMMANDS[name], argv, fds, env, builtin=True)
        env = self.environ()
        env.update(assigns)
        return await self.exec_external(argv, env, fds)

    async def _builtin(self, builtin: Builtin, argv: list[str], fds: FdTable) -> int:
        saved = self.fds
        self.fds = fds
        try:
            return await builtin(self, argv)
        finally:
            if self.fds is fds:
                self.fds = saved

    async def _temporarily(self, assigns: list[tuple[str, str]],
                           run: Callable[[], Awaitable[int]]) -> int:
        if not assigns:
            return await run()
        saved = [(n, self.vars.get(n), n in self.exported) for n, _ in assigns]
        for n, v in assigns:
            self.assign(n, v, export=True)
        try:
            return await run()
        finally:
            for n, old, was_exported in saved:
                if old is None:
                    self.vars.pop(n, None)
                else:
                    self.vars[n] = old
                if not was_exported:
                    self.exported.discard(n)

    async def call_function(self, name: str, body: Node, argv: list[str], fds: FdTable) -> int:
        if self.function_depth >= MAX_FUNCTION_DEPTH:
            raise self.fail(f"{name}: functions nested deeper than {MAX_FUNCTION_DEPTH} "
                            "levels: the simulator stopped this script")
        saved_positional, saved_fds = self.positional, self.fds
        self.positional = argv[1:]
        self.fds = fds
        self.function_depth += 1
        self.locals.append({})
        try:
            return await self.run(body)
        except ReturnFromFunction as e:
            return e.status
        finally:
            frame = self.locals.pop()
            for n, (old, was_exported) in frame.items():
                if old is None:
                    self.vars.pop(n, None)
                else:
                    self.vars[n] = old
                if was_exported:
                    self.exported.add(n)
                else:
                    self.exported.discard(n)
            self.function_depth -= 1
            self.positional = saved_positional
            if self.fds is fds:
                self.fds = saved_fds

    def find_command(self, name: str) -> tuple[str, Any]:
        """How ``name`` runs: ("command", fn), ("shell", flavour), ("script", path),
        ("denied", reason) or ("missing", None)."""
        flavour = self.flavour
        if "/" not in name:
            if name in flavour.commands:
                shell = flavour.as_shell(name)
                if shell is not None:
                    return "shell", shell
                if name in COMMANDS:
                    return "command", COMMANDS[name]
            for directory in (self.get("PATH") or "").split(":"):
                path = self.abspath((directory or ".") + "/" + name)
                found = self._file_command(path)
                if found[0] != "missing":
                    return found
            return "missing", None
        path = self.abspath(name)
        found = self._file_command(path)
        if found[0] == "missing":
            directory, _, base = path.rpartition("/")
            if (directory or "/") in BIN_DIRS:
                return self.find_command(base) if base else found
        return found

    def _file_command(self, path: str) -> tuple[str, Any]:
        fs = self.process.fs
        try:
            st = fs.stat(path)
        except FsError:
            return "missing", None
        if st.kind == "dir":
            bash = self.flavour.shell == "bash"
            return "denied", "Is a directory" if bash else "Permission denied"
        try:
            head = fs.read(path)[:256]
        except FsError:
            return "missing", None
        directory, _, base = path.rpartition("/")
        if not head.startswith(b"#!") and (directory or "/") in BIN_DIRS:
            if base in self.flavour.commands:
                return self.find_command(base)      # the image's own program file
            if base in COMMANDS and program_in(head) == COMMAND:
                return "command", COMMANDS[base]    # installed later (apt-get, apk add)
            return "unsupported", base
        if head.startswith(b"\x7fELF"):
            return "unsupported", base
        if not st.mode & 0o111:
            return "denied", "Permission denied"
        return "script", path

    def find_program(self, argv: list[str]) -> tuple[str, Any]:
        """Ask the runtime (``ctx.find_program``, as execve would) for what the shell does
        not run itself: ("program", (program, argv)), ("denied", why), ("script", path)
        for a text file without ``#!`` (the shell runs those), or ("missing", None)."""
        finder = self.process.ctx.find_program
        if finder is None:
            return "missing", None
        try:
            program, resolved = finder(list(argv), self.process.ctx)
        except FsError as e:
            if e.errno_name == "EACCES":
                return "denied", "Permission denied"
            if e.errno_name == "ENOEXEC":
                return "script", e.path
            return "missing", None
        return "program", (program, resolved)

    async def _run_program(self, program: Any, argv: list[str], env: dict[str, str],
                           fds: FdTable) -> int:
        stdin, stdout, stderr = fds.get(0), fds.get(1), fds.get(2)
        ctx = replace(self.process.ctx, argv=list(argv), env=dict(env), cwd=self.cwd,
                      stdin=stdin if isinstance(stdin, Reader) else BytesReader(b""),
                      stdout=stdout if isinstance(stdout, Sink) else _CLOSED,
                      stderr=stderr if isinstance(stderr, Sink) else _CLOSED,
                      tty=False,                   # the shell's terminal already echoes
                      pid=self.process.new_pid(), terminated=asyncio.Event())
        try:
            return await program(ctx)
        except BrokenPipe:
            return 141

    async def exec_external(self, argv: list[str], env: dict[str, str], fds: FdTable) -> int:
        name = argv[0]
        kind, target = self.find_command(name)
        if kind not in ("command", "shell") and self.process.ctx.find_program is not None:
            kind, target = self.find_program(argv)     # the image's programs and scripts
        if kind == "program":
            return await self._run_program(target[0], target[1], env, fds)
        if kind == "command":
            return await self._invoke(target, argv, fds, env)
        if kind == "shell":
            from kitlib.sim.runtime.shell.program import shell_main
            return await shell_main(self.process, target, argv, env=env, cwd=self.cwd, fds=fds)
        if kind == "script":
            return await self._run_script_file(target, argv, env, fds)
        saved = self.fds
        self.fds = fds
        try:
            if kind == "denied":
                self.report(f"{name}: {target}")
                return 126
            if kind == "unsupported":
                self.report(f"{name}: this program is in the image, but the simulator "
                            "cannot run it")
                return 126
            self.report(self.flavour.not_found(name))
            return 127
        finally:
            self.fds = saved

    async def _run_script_file(self, path: str, argv: list[str], env: dict[str, str],
                               fds: FdTable) -> int:
        from kitlib.sim.runtime.shell.program import shell_main

        head = self.process.fs.read(path)[:256].split(b"\n", 1)[0]
        flavour: Flavour | None = self.flavour
        if head.startswith(b"#!"):
            words = head[2:].decode("utf-8", "replace").split()
            interpreter = words[0].rsplit("/", 1)[-1] if words else "sh"
            if interpreter == "env" and len(words) > 1:
                interpreter = words[1]
            flavour = self.flavour.as_shell(interpreter)
            if flavour is None:
                saved = self.fds
                self.fds = fds
                try:
                    self.report(self.flavour.not_found(argv[0]))
                finally:
                    self.fds = saved
                return 127
        assert flavour is not None
        return await shell_main(self.process, flavour, ["sh", *argv], env=env, cwd=self.cwd,
                                fds=fds)

    async def _invoke(self, fn: Any, argv: list[str], fds: FdTable, env: dict[str, str], *,
                      builtin: bool = False) -> int:
        stdin = fds.get(0)
        stdout = fds.get(1)
        stderr = fds.get(2)
        inv = Invocation(argv, self, stdin if isinstance(stdin, Reader) else BytesReader(b""),
                         stdout if isinstance(stdout, Sink) else _CLOSED,
                         stderr if isinstance(stderr, Sink) else _CLOSED, env, builtin)
        return await run_invocation(fn, inv, builtin=builtin)

    # --- traps ------------------------------------------------------------------------

    async def run_traps(self) -> None:
        while self.process.signals:
            signal = self.process.signals.pop(0)
            action = self.traps.get(signal)
            if action:
                status = self.last_status
                await self.run_source(action)
                self.last_status = status


class _ClosedSink(Sink):
    def write(self, data: bytes) -> None:
        pass


_CLOSED = _ClosedSink()
