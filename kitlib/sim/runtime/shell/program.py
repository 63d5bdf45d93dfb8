"""The entry points the runtime calls: a shell (``sh -c``, ``sh script``, ``sh`` on a
terminal) or a single command (``kubectl exec POD -- ls /``), as Programs.

Here too live the process-level behaviours of a container's shell: the options of ``sh``
itself, PID 1 ignoring a SIGTERM it has no trap for (why ``sh -c 'sleep 3600'`` takes the
whole grace period to stop), the EXIT trap, and the message when a script goes past the
simulator's limits.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Coroutine

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.process import LimitExceeded, ProcessContext, Program
from kitlib.sim.runtime.shell.commands import COMMANDS, Invocation, run_invocation
from kitlib.sim.runtime.shell.errors import (ExecNotFound, ExitShell, LoopControl,
                                             ReturnFromFunction)
from kitlib.sim.runtime.shell.flavour import Flavour, for_shell_name
from kitlib.sim.runtime.shell.interpreter import Shell
from kitlib.sim.runtime.shell.proc import Process
from kitlib.sim.runtime.shell.redirects import FdTable, strerror
from kitlib.sim.runtime.shell.session import session
from kitlib.sim.runtime.shell.streams import InputReader, OutputSink, Reader, Sink
from kitlib.sim.runtime.shell.terminal import Terminal

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_FLAGS = "efuxvCabnm"


async def shell_main(process: Process, flavour: Flavour, argv: list[str], *,
                     env: dict[str, str], cwd: str, fds: FdTable,
                     interactive: bool = False) -> int:
    """``sh [options] [-c string [name [args...]] | file [args...]]`` inside ``process``."""
    arg0 = argv[0] if argv else "sh"
    options: set[str] = set()
    command_mode = read_stdin = False
    args = list(argv[1:])
    while args and len(args[0]) > 1 and args[0][0] in "-+" and args[0] not in ("--", "-"):
        arg = args.pop(0)
        if arg.startswith("--"):
            continue                                  # bash's --login, --norc, --posix
        on = arg[0] == "-"
        for letter in arg[1:]:
            if letter == "c":
                command_mode = True
            elif letter == "i":
                interactive = True
            elif letter == "s":
                read_stdin = True
            elif letter == "o" and args:
                name = args.pop(0)
                options.add("pipefail" if name == "pipefail" else
                            {"errexit": "e", "nounset": "u", "xtrace": "x"}.get(name, name))
            elif letter in _FLAGS:
                (options.add if on else options.discard)(letter)
            elif letter != "l":
                _write(fds, _bad_option(flavour, arg0, letter))
                return 2
    if args and args[0] in ("--", "-"):
        args.pop(0)
    variables = _initial_variables(flavour, env, cwd)
    common = {"env": variables, "cwd": cwd, "fds": fds}
    if command_mode:
        if not args:
            _write(fds, _missing_c(flavour, arg0))
            return 2
        shell = Shell(process, flavour, arg0=args[1] if len(args) > 1 else arg0,
                      positional=args[2:], interactive=interactive, where="-c", **common)
        text = args[0]
        return await _top(shell, options, lambda: shell.run_source(text))
    if args and not read_stdin:
        path = args[0]
        try:
            text = process.fs.read(_abspath(cwd, path)).decode("utf-8", "surrogateescape")
        except FsError as e:
            _write(fds, _cannot_open_script(flavour, arg0, path, e))
            return 127 if flavour.shell == "bash" else 2
        shell = Shell(process, flavour, arg0=path, positional=args[1:], script=True,
                      where=path, **common)
        return await _top(shell, options, lambda: shell.run_source(text))
    stdin = fds.get(0)
    interactive = interactive or bool(isinstance(stdin, Reader) and stdin.isatty)
    shell = Shell(process, flavour, arg0=arg0, positional=args, interactive=interactive,
                  where="", **common)
    if interactive:
        shell.vars.setdefault("PS1", flavour.prompt)
    return await _top(shell, options, lambda: session(shell, interactive=interactive))


def _initial_variables(flavour: Flavour, env: dict[str, str], cwd: str) -> dict[str, str]:
    """The environment, and what the shell adds to it (exported): PWD, SHLVL."""
    variables = dict(env)
    variables["PWD"] = cwd
    if flavour.shell in ("ash", "bash"):
        level = variables.get("SHLVL", "0")
        variables["SHLVL"] = str(int(level) + 1 if level.isdigit() else 1)
    return variables


async def _top(shell: Shell, options: set[str], run: Callable[[], Awaitable[int]]) -> int:
    shell.options |= options
    if "PATH" not in shell.vars:
        shell.vars["PATH"] = DEFAULT_PATH
        shell.exported.discard("PATH")
    process = shell.process
    if process.main_shell is None:
        process.main_shell = shell
    try:
        status = await run()
    except ExitShell as e:
        status = e.status
    except (ReturnFromFunction, LoopControl):
        status = shell.last_status
    action = shell.traps.pop("EXIT", "")
    if action:
        shell.last_status = status
        try:
            await shell.run_source(action)
        except ExitShell as e:
            status = e.status
    return status


# --- texts ----------------------------------------------------------------------------


def _write(fds: FdTable, text: str) -> None:
    sink = fds.get(2)
    if isinstance(sink, Sink):
        sink.write(text.encode("utf-8", "surrogateescape"))


def _bad_option(flavour: Flavour, arg0: str, letter: str) -> str:
    if flavour.shell == "bash":
        return f"{arg0}: -{letter}: invalid option\n"
    if flavour.shell == "dash":
        return f"{arg0}: 0: Illegal option -{letter}\n"
    return f"{arg0}: invalid option -- '{letter}'\n"


def _missing_c(flavour: Flavour, arg0: str) -> str:
    if flavour.shell == "bash":
        return f"{arg0}: -c: option requires an argument\n"
    if flavour.shell == "dash":
        return f"{arg0}: 0: -c requires an argument\n"
    return f"{arg0}: -c requires an argument\n"


def _cannot_open_script(flavour: Flavour, arg0: str, path: str, error: FsError) -> str:
    if flavour.shell == "bash":
        return f"{arg0}: {path}: {strerror(error)}\n"
    if flavour.shell == "dash":
        return f"{arg0}: 0: cannot open {path}: No such file\n"
    return f"{arg0}: can't open '{path}': {strerror(error)}\n"


def _abspath(cwd: str, path: str) -> str:
    return path if path.startswith("/") else cwd.rstrip("/") + "/" + path


# --- the runtime's entry points --------------------------------------------------------


def _streams(ctx: ProcessContext) -> tuple[FdTable, Terminal | None]:
    if ctx.tty:                      # one pseudo-terminal: stderr shares stdout, in order
        terminal = Terminal(ctx.stdin, OutputSink(ctx.stdout, tty=True))
        fds: FdTable = {0: terminal.reader, 1: terminal.sink, 2: terminal.sink}
        return fds, terminal
    return {0: InputReader(ctx.stdin), 1: OutputSink(ctx.stdout),
            2: OutputSink(ctx.stderr)}, None


async def _supervise(process: Process, main: Coroutine[object, object, int],
                     fds: FdTable, arg0: str) -> int:
    """Run ``main`` as the process: SIGTERM, limits, the terminal, background jobs."""
    terminal = process.terminal
    if terminal is not None:
        terminal.start()
    task = asyncio.ensure_future(main)
    process.main_task = task
    watcher = asyncio.ensure_future(_watch_sigterm(process, task))

    def interrupt() -> None:             # Ctrl-C, unless an interactive shell takes it
        process.interrupted = True
        task.cancel()
    if terminal is not None:
        terminal.handlers.append(interrupt)
    try:
        try:
            return await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current and current.cancelling():
                raise
            if process.fatal is not None:
                try:
                    _write(fds, f"{arg0.rsplit('/', 1)[-1]}: {process.fatal}\n")
                except LimitExceeded:
                    pass
                return 137
            if process.term_killed:
                return 143
            if process.interrupted:
                return 130
            raise
        except LimitExceeded as e:
            try:
                _write(fds, f"{arg0.rsplit('/', 1)[-1]}: {e}\n")
            except LimitExceeded:
                pass
            return 137
        except RecursionError:         # a backstop: MAX_DEPTH should stop scripts first
            _write(fds, f"{arg0.rsplit('/', 1)[-1]}: nesting too deep: the simulator "
                        "stopped this script\n")
            return 2
    finally:
        watcher.cancel()
        for job in process.jobs.values():
            job.cancel()
        if terminal is not None:
            terminal.stop()


async def _watch_sigterm(process: Process, main: asyncio.Task[int]) -> None:
    await process.ctx.terminated.wait()
    shell = process.main_shell
    action = shell.traps.get("TERM") if shell is not None else None
    if action is None:
        if process.pid == 1:
            return                   # PID 1 ignores the signals it has no handler for
        process.term_killed = True
        main.cancel()
        return
    if action:
        process.signals.append("TERM")
        process.signalled.set()


async def run_shell(ctx: ProcessContext, *, flavour: Flavour | None = None,
                    script: str | None = None, interactive: bool = False,
                    pid: int | None = None) -> int:
    """Run the shell ``ctx.argv`` names (``sh -c ...``, ``sh file``, ``sh``), or ``script``
    when given, in the flavour of the image (by default, guessed from argv[0]).  ``pid``
    (default ``ctx.pid``) 1 makes it ignore a SIGTERM it has no trap for."""
    argv = list(ctx.argv) or ["sh"]
    flavour = flavour or for_shell_name(argv[0])
    if script is not None:
        argv = [argv[0], "-c", script]
    fds, terminal = _streams(ctx)
    process = Process(ctx, pid=ctx.pid if pid is None else pid, terminal=terminal)
    return await _supervise(process, shell_main(process, flavour, argv, env=dict(ctx.env),
                                                cwd=ctx.cwd, fds=fds,
                                                interactive=interactive), fds, argv[0])


async def run_command(ctx: ProcessContext, *, flavour: Flavour | None = None,
                      pid: int | None = None) -> int:
    """Run ``ctx.argv`` as the container runtime execs it (no shell in between unless
    argv[0] is one).  Raises ExecNotFound, with runc's text, for a program the image does
    not have."""
    argv = list(ctx.argv)
    if not argv:
        raise ExecNotFound("exec: no command")
    flavour = flavour or for_shell_name(argv[0])
    fds, terminal = _streams(ctx)
    process = Process(ctx, pid=ctx.pid if pid is None else pid, terminal=terminal)
    shell = Shell(process, flavour, fds=fds, env=dict(ctx.env), cwd=ctx.cwd, arg0=argv[0])
    name = argv[0]
    kind, target = shell.find_command(name)
    if kind == "missing":
        if "/" in name:
            raise ExecNotFound(f'exec: "{name}": stat {name}: no such file or directory')
        raise ExecNotFound(f'exec: "{name}": executable file not found in $PATH')
    if kind == "denied":
        raise ExecNotFound(f'exec: "{name}": permission denied')
    if kind == "shell":
        main = shell_main(process, target, argv, env=dict(ctx.env), cwd=ctx.cwd, fds=fds)
    elif kind == "script":
        main = shell._run_script_file(target, argv, dict(ctx.env), fds)
    elif kind == "unsupported":
        _write(fds, f"{name}: this program is in the image, but the simulator cannot run it\n")
        return 126
    else:
        stdin, stdout, stderr = fds[0], fds[1], fds[2]
        assert isinstance(stdin, Reader) and isinstance(stdout, Sink) and isinstance(stderr, Sink)
        inv = Invocation(argv, shell, stdin, stdout, stderr, dict(ctx.env))
        main = run_invocation(target, inv)
    return await _supervise(process, main, fds, name)


def shell_program(flavour: Flavour, *, pid: int | None = None) -> Program:
    """A Program running the image's shell (argv from the context)."""
    async def program(ctx: ProcessContext) -> int:
        return await run_shell(ctx, flavour=flavour, pid=pid)
    return program


def command_program(flavour: Flavour, *, pid: int | None = None) -> Program:
    """A Program running ``ctx.argv`` as exec does, with the image's commands."""
    async def program(ctx: ProcessContext) -> int:
        return await run_command(ctx, flavour=flavour, pid=pid)
    return program


__all__ = ["COMMANDS", "run_command", "run_shell", "shell_main", "shell_program",
           "command_program"]
