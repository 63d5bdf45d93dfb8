"""Builtins about the shell's process: wait, jobs, umask, ulimit, getopts."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from kitlib.sim.runtime.shell.builtins.registry import out, regular
from kitlib.sim.runtime.shell.streams import Sink

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell


@regular("wait")
async def wait(shell: Shell, argv: list[str]) -> int:
    """Wait for background jobs; a trapped signal interrupts it (status 128+n), as in
    the ``sleep 600 & wait`` pattern that lets a container's shell react to SIGTERM."""
    jobs = shell.process.jobs
    wanted = [int(a) for a in argv[1:] if a.isdigit()]
    tasks = [jobs[p] for p in wanted if p in jobs] if wanted else list(jobs.values())
    if wanted and not tasks:
        return 127
    status = 0
    for task in tasks:
        if not task.done():
            signalled = asyncio.ensure_future(shell.process.signalled.wait())
            done, _ = await asyncio.wait({task, signalled}, return_when=asyncio.FIRST_COMPLETED)
            signalled.cancel()
            if task not in done:
                shell.process.signalled.clear()
                shell.process.rested()
                return 143
        shell.process.rested()
        status = task.result() if not task.cancelled() else 143
    if not wanted:
        for pid in [p for p, t in jobs.items() if t.done()]:
            jobs.pop(pid)
    return status


@regular("time")
async def time_(shell: Shell, argv: list[str]) -> int:
    """bash's ``time``: how long a command took on the simulated clock."""
    if shell.flavour.shell != "bash":
        if "time" not in shell.flavour.commands:
            shell.report(shell.flavour.not_found("time"))
            return 127
        return await shell.exec_external(argv, shell.environ(), shell.fds)
    clock = shell.process.clock
    started = clock.time()
    status = await shell.execute(argv[1:], [], shell.fds) if len(argv) > 1 else 0
    minutes, seconds = divmod(clock.time() - started, 60)
    sink = shell.fds.get(2)
    if isinstance(sink, Sink):
        sink.write(f"\nreal\t{int(minutes)}m{seconds:.3f}s\nuser\t0m0.000s\n"
                   "sys\t0m0.000s\n".encode())
    return status


@regular("jobs")
async def jobs_(shell: Shell, argv: list[str]) -> int:
    for n, (pid, task) in enumerate(sorted(shell.process.jobs.items()), 1):
        state = "Done" if task.done() else "Running"
        out(shell, f"[{n}]  {state:<24}{pid}\n")
    return 0


@regular("umask")
async def umask(shell: Shell, argv: list[str]) -> int:
    if len(argv) > 1:
        shell.umask = argv[1]
        return 0
    out(shell, shell.umask + "\n")
    return 0


@regular("ulimit")
async def ulimit(shell: Shell, argv: list[str]) -> int:
    out(shell, "unlimited\n")
    return 0


@regular("getopts")
async def getopts(shell: Shell, argv: list[str]) -> int:
    if len(argv) < 3:
        shell.report("getopts: usage: getopts optstring name [arg ...]")
        return 2
    spec, name = argv[1], argv[2]
    args = argv[3:] if len(argv) > 3 else shell.positional
    silent = spec.startswith(":")
    index = int(shell.get("OPTIND") or "1")
    where, offset = shell.getopts_offset
    if where != index:
        offset = 1                          # OPTIND moved (or was reset): a fresh word
    if index > len(args) or not args[index - 1].startswith("-") or args[index - 1] in ("-", "--"):
        if index <= len(args) and args[index - 1] == "--":
            shell.assign("OPTIND", str(index + 1))
        shell.assign(name, "?")
        return 1
    arg = args[index - 1]
    letter = arg[offset]
    offset += 1
    if offset >= len(arg):
        index += 1
        offset = 1
    pos = spec.find(letter)
    shell.vars.pop("OPTARG", None)
    if pos < 0 or letter == ":":
        if silent:
            shell.assign("OPTARG", letter)
        else:
            shell.report(f"illegal option -- {letter}")
        shell.assign(name, "?")
    elif spec[pos + 1:pos + 2] == ":":
        if offset > 1:
            shell.assign("OPTARG", arg[offset:])
            index += 1
            offset = 1
        elif index <= len(args):
            shell.assign("OPTARG", args[index - 1])
            index += 1
        else:
            if silent:
                shell.assign("OPTARG", letter)
                shell.assign(name, ":")
            else:
                shell.report(f"option requires an argument -- {letter}")
                shell.assign(name, "?")
            shell.assign("OPTIND", str(index))
            return 0
        shell.assign(name, letter)
    else:
        shell.assign(name, letter)
    shell.assign("OPTIND", str(index))
    shell.getopts_offset = (index, offset)
    return 0
