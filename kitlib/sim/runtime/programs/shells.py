"""Shells and the commands they implement, handed to the sandboxed shell.

``/bin/busybox`` (and every applet linked to it), bash, dash and the coreutils-like
commands of debian and ubuntu are all the sandboxed shell of ``runtime/shell/``, in the
flavour of the image (busybox ``ash`` and applets; debian's ``dash`` and GNU tools): a
shell parses its own options and reads its script, a command runs by name.  Until that
shell can be imported, a command line is *predicted* instead (``commands.py``: ``sleep
30`` takes thirty simulated seconds, ``exit 3`` exits 3), so pods keep their lifecycle.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from typing import Any, Awaitable, Callable

from kitlib.sim.runtime.commands import plan_process
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import stopped

log = logging.getLogger("kitlib.sim.runtime")
SHELL_NAMES = frozenset({"sh", "ash", "bash", "dash", "zsh"})


@dataclass(frozen=True)
class ShellApi:
    #: ``run_shell(ctx, *, flavour, pid) -> exit code``: the shell ``ctx.argv`` names
    #: (``sh -c ...``, ``sh file``, ``sh`` reading stdin), parsing its own options.
    run_shell: Callable[..., Awaitable[int]]
    #: ``run_command(ctx, *, flavour, pid) -> exit code``: ``ctx.argv`` as one command.
    run_command: Callable[..., Awaitable[int]]
    #: ``flavour(installed, shell) -> flavour``: the image's userland, for the shell.
    flavour: Callable[[Installed, str], Any]


_override: list[ShellApi | None] = [None]
_found: list[ShellApi | None] = []


def use_shell(api: ShellApi | None) -> None:
    """Use this shell instead of ``runtime/shell`` (tests, before that shell exists)."""
    _override[0] = api


def shell_api() -> ShellApi | None:
    if _override[0] is not None:
        return _override[0]
    if not _found:
        _found.append(_sandboxed_shell())
    return _found[0]


def _sandboxed_shell() -> ShellApi | None:
    try:
        from kitlib.sim.runtime.shell import flavour as flavours
        from kitlib.sim.runtime.shell import program
        from kitlib.sim.runtime.shell.commands import COMMANDS
    except Exception as exc:  # not there yet, or not importable: predict instead
        log.info("the sandboxed shell is not available (%s); predicting commands", exc)
        return None
    implemented = frozenset(COMMANDS) | SHELL_NAMES
    bases = {"busybox": flavours.BUSYBOX, "alpine": flavours.ALPINE,
             "debian": flavours.DEBIAN, "ubuntu": flavours.UBUNTU}
    cache: dict[tuple[int, str], Any] = {}

    def flavour(installed: Installed, shell: str) -> Any:
        key = (id(installed.root), shell)
        if key not in cache:
            root = installed.root
            base = bases.get(root.distro.name, flavours.BUSYBOX)
            chosen = replace(base, commands=frozenset(image_commands(installed)) & implemented,
                             kernel=str(installed.system.get("kernel", base.kernel)))
            cache[key] = replace(chosen, shell=shell) if shell else chosen
        return cache[key]
    return ShellApi(run_shell=program.run_shell, run_command=program.run_command,
                    flavour=flavour)


def image_commands(installed: Installed) -> set[str]:
    """The names an image has on its PATH that are the shell's business."""
    distro, info = installed.root.distro, installed.info
    names = set(distro.applets)
    for _directory, listed in (*distro.commands, *(info.commands if info else ())):
        names.update(listed)
    for path, _target in (*distro.programs, *distro.shell_links):
        names.add(path.rsplit("/", 1)[-1])
    for path, program in (info.programs if info else ()):
        if program in ("bash", "dash"):
            names.add(path.rsplit("/", 1)[-1])
    return names


def _interactive(ctx: ProcessContext) -> bool:
    return ctx.tty or not getattr(ctx.stdin, "closed", False)


def predicted(installed: Installed) -> Program:
    """A command line judged, not run (commands.py): its duration, exit code, SIGTERM."""
    async def run(ctx: ProcessContext) -> int:
        plan = plan_process(command=tuple(ctx.argv), args=(), image=installed.info,
                            interactive=_interactive(ctx))
        if plan.runs_for is None:
            return await stopped(ctx, plan.on_sigterm)
        if plan.on_sigterm == "ignore" or plan.runs_for <= 0:
            await ctx.clock.sleep(plan.runs_for)
            return plan.exit_code
        tasks = [asyncio.ensure_future(ctx.clock.sleep(plan.runs_for)),
                 asyncio.ensure_future(ctx.terminated.wait())]
        try:
            done, _pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
        if tasks[0] in done:
            return plan.exit_code
        return await stopped(ctx, plan.on_sigterm)
    return run


async def run_shell(ctx: ProcessContext, installed: Installed, shell: str) -> int:
    api = shell_api()
    if api is None:
        return await predicted(installed)(ctx)
    return await api.run_shell(ctx, flavour=api.flavour(installed, shell), pid=ctx.pid)


async def run_command(ctx: ProcessContext, installed: Installed) -> int:
    api = shell_api()
    if api is None:
        return await predicted(installed)(ctx)
    try:
        return await api.run_command(ctx, flavour=api.flavour(installed, ""), pid=ctx.pid)
    except Exception as exc:
        if type(exc).__name__ != "ExecNotFound":
            raise
        ctx.stderr.write(f"{exc}\n".encode())
        return 127


def busybox(installed: Installed) -> Program:
    """The multi-call binary: what it does depends on the name it was called by."""
    async def run(ctx: ProcessContext) -> int:
        applet = ctx.argv[0].rsplit("/", 1)[-1] if ctx.argv else "busybox"
        if applet == "busybox":
            if len(ctx.argv) < 2:
                ctx.stdout.write(f"BusyBox v{installed.version} multi-call binary.\n".encode())
                return 0
            ctx.argv = ctx.argv[1:]
            applet = ctx.argv[0].rsplit("/", 1)[-1]
        if applet in SHELL_NAMES:
            return await run_shell(ctx, installed, "ash")
        return await run_command(ctx, installed)
    return run


def bash(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        return await run_shell(ctx, installed, "bash")
    return run


def dash(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        return await run_shell(ctx, installed, "dash")
    return run


def command(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        return await run_command(ctx, installed)
    return run
