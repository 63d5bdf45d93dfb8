"""The container's processes as procps (``ps aux``, ``ps -ef``, ``ps``) shows them.

A debian or ubuntu image has no ``ps`` until ``apt-get install procps``; then ``ps aux``
must show what a real cluster shows: the container's main process as PID 1, under the
title it gives itself (``nginx: master process nginx -g daemon off;`` and its workers,
``redis-server *:6379``), the processes ``kubectl exec`` started, and ``ps`` itself.
The runtime lists a container's processes (``ProcessContext.list_processes``); the
titles, users and sizes are what those programs show on a real node.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError

#: Where nginx's worker processes begin (as its log says: "start worker process 29").
NGINX_FIRST_WORKER = 29
#: (VSZ, RSS) in KiB of the programs a tutorial meets.
_SIZES = {"nginx": (11472, 7620), "nginx-worker": (11936, 2880),
          "redis-server": (139516, 12288), "bash": (4324, 3544), "ps": (8088, 4012),
          "sleep": (2488, 1408), "tcpdump": (13280, 6944)}


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    user: str
    #: The full command line (``ps aux``'s COMMAND), and the program's name (``ps``'s CMD).
    title: str
    comm: str
    tty: str
    stat: str

    @property
    def sizes(self) -> tuple[int, int]:
        key = "nginx-worker" if self.title == "nginx: worker process" else self.comm
        return _SIZES.get(key, (2576, 1536))


def _entries(inv: Invocation) -> list[tuple[int, list[str], bool]]:
    ctx = inv.process.ctx
    if ctx.list_processes is not None:
        return sorted(ctx.list_processes())
    return [(inv.process.pid, list(ctx.argv) or ["sh"], ctx.tty)]


def processes(inv: Invocation) -> list[Proc]:
    """The container's processes, then the calling shell's background jobs."""
    found: list[Proc] = []
    terminals = 0
    for pid, argv, tty in _entries(inv):
        name = (argv[0] if argv else "sh").rsplit("/", 1)[-1]
        terminal = "?"
        if tty:
            terminal, terminals = f"pts/{terminals}", terminals + 1
        if name == "nginx" and pid == 1:
            found.append(Proc(1, 0, "root", "nginx: master process " + " ".join(argv),
                              "nginx", "?", "Ss"))
            found += [Proc(NGINX_FIRST_WORKER + n, 1, "nginx", "nginx: worker process",
                           "nginx", "?", "S") for n in range(inv.flavour.cpus)]
        elif name == "redis-server":
            port = argv[argv.index("--port") + 1] if "--port" in argv[:-1] else "6379"
            found.append(Proc(pid, 0, "redis", f"redis-server *:{port}", name, terminal,
                              "Ssl"))
        else:
            itself = name == inv.name and pid == inv.process.pid
            found.append(Proc(pid, 0, "root", " ".join(argv), name[:15], terminal,
                              ("Rs" if itself else "Ss") + ("+" if tty and itself else "")))
    shell = inv.process.ctx.argv[0].rsplit("/", 1)[-1] if inv.process.ctx.argv else "sh"
    for pid, task in sorted(inv.process.jobs.items()):
        if not task.done():
            found.append(Proc(pid, inv.process.pid, "root", shell, shell, "?", "S"))
    return found


def _itself(inv: Invocation, found: list[Proc]) -> list[Proc]:
    """``ps`` in the list: the exec'd process itself, or a child of the calling shell."""
    if any(p.pid == inv.process.pid and p.comm == inv.name for p in found):
        return found
    tty = "pts/0" if inv.process.ctx.tty else "?"
    title = " ".join([inv.name, *inv.args])
    return [*found, Proc(inv.process.new_pid(), inv.process.pid, "root", title, inv.name,
                         tty, "R+" if tty != "?" else "R")]


async def procps_ps(inv: Invocation) -> int:
    """``ps`` as procps-ng 4 prints it (BSD ``aux``, UNIX ``-ef``, or the default)."""
    bsd = {c for a in inv.args if not a.startswith("-") for c in a}
    unix = {c for a in inv.args if a.startswith("-") for c in a[1:]}
    unknown = (bsd - set("auxwf")) | (unix - set("efAwl"))
    if unknown:
        raise UsageError(f"error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n"
                         " Try 'ps --help <simple|list|output|threads|misc|all>'\n  or "
                         "'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\n"
                         "For more details see ps(1).", status=1)
    found = _itself(inv, processes(inv))
    now = inv.process.clock.now().strftime("%H:%M")
    if "u" in bsd:
        lines = ["USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"]
        shown = found if "a" in bsd or "x" in bsd else [p for p in found if p.tty != "?"]
        lines += [f"{p.user:<8} {p.pid:>7}  0.0  0.0 {p.sizes[0]:>6} {p.sizes[1]:>5} "
                  f"{p.tty:<8} {p.stat:<4} {now:>5}   0:00 {p.title}" for p in shown]
    elif bsd:
        lines = ["    PID TTY      STAT   TIME COMMAND"]
        lines += [f"{p.pid:>7} {p.tty:<8} {p.stat:<6} 0:00 {p.title}" for p in found]
    elif "f" in unix:
        lines = ["UID          PID    PPID  C STIME TTY          TIME CMD"]
        lines += [f"{p.user:<8} {p.pid:>7} {p.ppid:>7}  0 {now:<5} {p.tty:<8} 00:00:00 "
                  f"{p.title}" for p in found if "e" in unix or "A" in unix or p.tty != "?"
                  or p.comm == inv.name]
    else:
        every = "e" in unix or "A" in unix
        mine = found[-1].tty
        lines = ["    PID TTY          TIME CMD"]
        lines += [f"{p.pid:>7} {p.tty:<8} 00:00:00 {p.comm}" for p in found
                  if every or (p.tty == mine and p.user == "root")]
    if inv.stdout.isatty and "w" not in bsd:
        lines = [line[:inv.process.ctx.columns] for line in lines]
    await inv.write("".join(line + "\n" for line in lines))
    return 0
