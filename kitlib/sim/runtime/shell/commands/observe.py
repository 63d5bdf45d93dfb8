"""tcpdump and lsof: the tools tutorials install to look into a container.

The simulated network carries no packets a capture could see, and processes hold no
real file descriptors, so both say honestly what they can: tcpdump starts listening on
the pod's interface, as the real one does, captures nothing, and prints its counts when
interrupted; lsof lists what every process has (its working directory, root, program
and standard streams), without sockets.
"""

from __future__ import annotations

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.base import Invocation
from kitlib.sim.runtime.shell.commands.procps import processes
from kitlib.sim.runtime.shell.commands.registry import command

_LINK_TYPES = {"any": "LINUX_SLL2 (Linux cooked v2)", "lo": "EN10MB (Ethernet)"}
_ROW = "{:<9} {:>5} {:>5} {:>4} {:>6} {:>6} {:>8} {:>7} {}"
_INTERFACES = ("1.eth0 [Up, Running, Connected]\n"
               "2.any (Pseudo-device that captures on all interfaces) [Up, Running]\n"
               "3.lo [Up, Running, Loopback]\n")


@command("tcpdump")
async def tcpdump(inv: Invocation) -> int:
    args = list(inv.args)
    if "-D" in args or "--list-interfaces" in args:
        await inv.write(_INTERFACES)
        return 0
    interface = "eth0"
    if "-i" in args[:-1]:
        interface = args[args.index("-i") + 1]
    if interface not in ("eth0", "any", "lo"):
        inv.stderr.write(f"tcpdump: {interface}: No such device exists\n(No such device "
                         "exists)\n".encode())
        return 1
    verbose = any(a.startswith("-v") or (a.startswith("-") and "v" in a[1:]) for a in args)
    link = _LINK_TYPES.get(interface, "EN10MB (Ethernet)")
    heading = "" if verbose else "tcpdump: verbose output suppressed, use -v[v]... for full " \
                                 "protocol decode\n"
    inv.stderr.write(f"{heading}listening on {interface}, link-type {link}, snapshot length "
                     "262144 bytes\n".encode())
    await inv.stderr.drain()
    try:
        while True:                               # until Ctrl-C or the process is stopped
            await inv.process.sleep(1e9)
    finally:                                      # what it prints when interrupted
        inv.stderr.write(b"\n0 packets captured\n0 packets received by filter\n"
                         b"0 packets dropped by kernel\n")


def _program_path(inv: Invocation, argv0: str) -> str:
    if "/" in argv0:
        return argv0
    for directory in (inv.env.get("PATH") or "").split(":"):
        candidate = f"{directory.rstrip('/')}/{argv0}"
        try:
            if inv.fs.stat(candidate).kind == "file":
                return candidate
        except FsError:
            continue
    return argv0


@command("lsof")
async def lsof(inv: Invocation) -> int:
    wanted = {int(a) for a in inv.args[inv.args.index("-p") + 1].split(",")
              if a.isdigit()} if "-p" in inv.args[:-1] else None
    if "-i" in inv.args:
        return 1                          # no sockets the simulator could list
    lines = [_ROW.format("COMMAND", "PID", "USER", "FD", "TYPE", "DEVICE", "SIZE/OFF", "NODE",
                         "NAME")]
    cwd = inv.process.ctx.cwd
    for proc in processes(inv):
        if wanted is not None and proc.pid not in wanted:
            continue
        program = _program_path(inv, proc.title.split(" ", 1)[0]) \
            if not proc.title.startswith(("nginx:", "redis-server *")) else \
            {"nginx": "/usr/sbin/nginx"}.get(proc.comm, "/usr/local/bin/redis-server")
        rows = [("cwd", "DIR", "4096", cwd), ("rtd", "DIR", "4096", "/"),
                ("txt", "REG", "0", program), ("0u", "CHR", "0t0", "/dev/null"),
                ("1w", "FIFO", "0t0", "pipe"), ("2w", "FIFO", "0t0", "pipe")]
        for node, (fd, kind, size, name) in enumerate(rows, 1):
            lines.append(_ROW.format(proc.comm[:9], proc.pid, proc.user, fd, kind, "0,52",
                                     size, node, name))
    await inv.write("".join(line + "\n" for line in lines))
    return 0
