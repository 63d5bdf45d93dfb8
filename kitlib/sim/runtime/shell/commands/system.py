"""The process and its machine: date, sleep, hostname, env, printenv, id, whoami, uname,
ps, kill, true, false, pwd, timeout, sync, clear, which.

Time is the simulator's clock (``sleep 10`` waits ten simulated seconds, and ``kit clock
advance`` moves it), the machine is the pod (its hostname, its IP), and everyone is root.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError, parse_flags
from kitlib.sim.runtime.shell.commands.registry import command

_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def strftime(moment: datetime, fmt: str) -> str:
    """C's strftime for the directives ``date`` users write (UTC only)."""
    table = {
        "a": _DAYS[moment.weekday()][:3], "A": _DAYS[moment.weekday()],
        "b": _MONTHS[moment.month - 1][:3], "h": _MONTHS[moment.month - 1][:3],
        "B": _MONTHS[moment.month - 1], "C": f"{moment.year // 100:02d}",
        "d": f"{moment.day:02d}", "e": f"{moment.day:>2}", "H": f"{moment.hour:02d}",
        "I": f"{(moment.hour % 12) or 12:02d}", "j": f"{moment.timetuple().tm_yday:03d}",
        "k": f"{moment.hour:>2}", "l": f"{(moment.hour % 12) or 12:>2}",
        "m": f"{moment.month:02d}", "M": f"{moment.minute:02d}", "n": "\n", "t": "\t",
        "N": f"{moment.microsecond * 1000:09d}", "p": "AM" if moment.hour < 12 else "PM",
        "P": "am" if moment.hour < 12 else "pm", "s": str(int(moment.timestamp())),
        "S": f"{moment.second:02d}", "u": str(moment.isoweekday()),
        "w": str(moment.isoweekday() % 7), "y": f"{moment.year % 100:02d}",
        "Y": str(moment.year), "z": "+0000", "Z": "UTC", "%": "%",
        "G": str(moment.isocalendar()[0]), "V": f"{moment.isocalendar()[1]:02d}",
    }
    table["D"] = f"{table['m']}/{table['d']}/{table['y']}"
    table["F"] = f"{table['Y']}-{table['m']}-{table['d']}"
    table["T"] = f"{table['H']}:{table['M']}:{table['S']}"
    table["R"] = f"{table['H']}:{table['M']}"
    table["r"] = f"{table['I']}:{table['M']}:{table['S']} {table['p']}"
    table["c"] = f"{table['a']} {table['b']} {table['e']} {table['T']} {table['Y']}"
    table["x"] = table["D"]
    table["X"] = table["T"]
    out: list[str] = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            nxt = fmt[i + 1]
            if nxt == ":" and fmt[i + 2:i + 3] == "z":
                out.append("+00:00")
                i += 3
                continue
            if nxt in "-_0" and i + 2 < len(fmt) and fmt[i + 2] in table:
                value = table[fmt[i + 2]]
                out.append(value.lstrip("0 ") or "0" if nxt == "-" else value)
                i += 3
                continue
            if nxt in table:
                out.append(table[nxt])
                i += 2
                continue
        out.append(c)
        i += 1
    return "".join(out)


@command("date")
async def date(inv: Invocation) -> int:
    flags, operands = parse_flags(inv, "uRId:r:s:", long={"utc": "u", "rfc-2822": "R",
                                                        "date=": "d", "iso-8601": "I"})
    moment = inv.process.clock.now()
    when = flags.get("d")
    if isinstance(when, str):
        parsed = _parse_date(when, moment)
        if parsed is None:
            await inv.error(f"invalid date '{when}'" if inv.gnu else f"invalid date '{when}'")
            return 1
        moment = parsed
    fmt = next((op[1:] for op in operands if op.startswith("+")), None)
    if fmt is None:
        if flags.get("R"):
            fmt = "%a, %d %b %Y %H:%M:%S +0000"
        elif flags.get("I"):
            fmt = "%Y-%m-%d"
        else:
            fmt = "%a %b %e %H:%M:%S %Z %Y"
    await inv.write(strftime(moment, fmt) + "\n")
    return 0


def _parse_date(text: str, now: datetime) -> datetime | None:
    text = text.strip()
    if text.startswith("@") and text[1:].lstrip("-").isdigit():
        return datetime.fromtimestamp(int(text[1:]), timezone.utc)
    if text in ("now", "today"):
        return now
    if text == "yesterday":
        return now - timedelta(days=1)
    if text == "tomorrow":
        return now + timedelta(days=1)
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.rstrip("Z"), fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None


def duration(text: str) -> float | None:
    """``10``, ``1.5``, ``2m``, ``1h``, ``infinity`` in seconds (None when invalid)."""
    if text in ("inf", "infinity"):
        return float("inf")
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    scale = units.get(text[-1:], 1) if text else 1
    body = text[:-1] if text[-1:] in units else text
    try:
        value = float(body)
    except ValueError:
        return None
    return value * scale if value >= 0 else None


@command("sleep")
async def sleep(inv: Invocation) -> int:
    if not inv.args:
        raise UsageError("missing operand\nTry 'sleep --help' for more information."
                         if inv.gnu else "missing operand")
    total = 0.0
    for arg in inv.args:
        seconds = duration(arg)
        if seconds is None:
            raise UsageError(f"invalid time interval '{arg}'\nTry 'sleep --help' for more "
                             "information." if inv.gnu else f"invalid number '{arg}'")
        total += seconds
    while total > 0:
        step = min(total, 1e9)
        await inv.process.sleep(step)
        if total != float("inf"):
            total -= step
    return 0


@command("hostname")
async def hostname(inv: Invocation) -> int:
    flags, _ = parse_flags(inv, "isfdF:", long={"ip-address": "i", "short": "s", "fqdn": "f"})
    if flags.get("i"):
        await inv.write((inv.process.net.ip or "") + "\n")
        return 0
    name = inv.process.hostname
    await inv.write((name.split(".", 1)[0] if flags.get("s") else name) + "\n")
    return 0


@command("env")
async def env(inv: Invocation) -> int:
    args = inv.args
    environment = dict(inv.env)
    while args and args[0].startswith("-") and args[0] != "-":
        flag = args.pop(0)
        if flag in ("-i", "--ignore-environment"):
            environment = {}
        elif flag == "-u" and args:
            environment.pop(args.pop(0), None)
        elif flag == "--":
            break
    while args and "=" in args[0] and not args[0].startswith("="):
        name, _, value = args.pop(0).partition("=")
        environment[name] = value
    if not args:
        await inv.write("".join(f"{k}={v}\n" for k, v in environment.items()))
        return 0
    kind, _ = inv.shell.find_command(args[0])
    if kind == "missing":
        await inv.error(f"'{args[0]}': No such file or directory" if inv.gnu
                        else f"can't execute '{args[0]}': No such file or directory")
        return 127
    fds = {0: inv.stdin, 1: inv.stdout, 2: inv.stderr}
    return await inv.shell.exec_external(args, environment, fds)


@command("printenv")
async def printenv(inv: Invocation) -> int:
    names = [a for a in inv.args if not a.startswith("-")]
    if not names:
        await inv.write("".join(f"{k}={v}\n" for k, v in inv.env.items()))
        return 0
    status = 0
    out = []
    for name in names:
        if name in inv.env:
            out.append(inv.env[name] + "\n")
        else:
            status = 1
    await inv.write("".join(out))
    return status


@command("id")
async def id_(inv: Invocation) -> int:
    flags, _ = parse_flags(inv, "ugGnr")
    if flags.get("u") or flags.get("g") or flags.get("G"):
        await inv.write(("root" if flags.get("n") else "0") + "\n")
        return 0
    groups = {"busybox": "0(root),10(wheel)",
              "alpine": "0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),"
                        "20(dialout),26(tape),27(video)"}.get(inv.flavour.distro, "0(root)")
    await inv.write(f"uid=0(root) gid=0(root) groups={groups}\n")
    return 0


@command("whoami")
async def whoami(inv: Invocation) -> int:
    await inv.write("root\n")
    return 0


@command("uname")
async def uname(inv: Invocation) -> int:
    flags, _ = parse_flags(inv, "asnrvmpio", long={"all": "a"})
    fl = inv.flavour
    values = {"s": "Linux", "n": inv.process.hostname, "r": fl.kernel,
              "v": "#1 SMP PREEMPT_DYNAMIC Mon Jan  1 00:00:00 UTC 2024", "m": "x86_64",
              "p": "unknown", "i": "unknown", "o": "GNU/Linux"}
    if flags.get("a"):
        chosen = "snrvmo"
    else:
        chosen = "".join(f for f in "snrvmpio" if flags.get(f)) or "s"
    await inv.write(" ".join(values[f] for f in chosen) + "\n")
    return 0


@command("ps")
async def ps(inv: Invocation) -> int:
    if inv.gnu:                                  # procps (apt-get install procps)
        from kitlib.sim.runtime.shell.commands.procps import procps_ps
        return await procps_ps(inv)
    process = inv.process
    rows = [(process.pid, " ".join(process.ctx.argv) or "sh")]
    rows += [(pid, "sh") for pid, task in sorted(process.jobs.items()) if not task.done()]
    rows.append((process.new_pid(), "ps " + " ".join(inv.args) if inv.args else "ps"))
    await inv.write("PID   USER     TIME  COMMAND\n" +
                    "".join(f"{pid:>5} root      0:00 {cmd}\n" for pid, cmd in rows))
    return 0


@command("kill")
async def kill(inv: Invocation) -> int:
    from kitlib.sim.runtime.shell.builtins.registry import SIGNAL_NUMBERS, SIGNALS

    args = inv.args
    signal = "TERM"
    if args[:1] == ["-l"]:
        await inv.write(" ".join(name for _, name in sorted(
            (int(n), s) for n, s in SIGNALS.items() if n != "0")) + "\n")
        return 0
    if args and args[0] == "-s" and len(args) > 1:
        signal, args = args[1].upper().removeprefix("SIG"), args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        spec = args[0][1:].upper().removeprefix("SIG")
        signal = SIGNALS.get(spec, spec)
        args = args[1:]
    if signal not in SIGNAL_NUMBERS:
        await inv.error("invalid signal specification" if inv.flavour.shell == "bash"
                        else f"bad signal name '{signal}'")
        return 1
    status = 0
    process = inv.process
    for target in args:
        if target.startswith("%"):
            target = _job_pid(inv, target) or target
        if not target.lstrip("-").isdigit():
            await inv.error(f"{target}: arguments must be process or job IDs"
                            if inv.flavour.shell == "bash" else f"invalid number '{target}'")
            status = 1
            continue
        pid = int(target)
        task = process.jobs.get(pid)
        if task is not None:
            if signal not in ("CHLD",):
                task.cancel()
            continue
        send = process.ctx.send_signal
        if send is not None and pid != process.pid and send(pid, signal):
            continue                                 # another process of the container
        if pid == 1 or pid == process.pid:
            continue                                 # PID 1 ignores what it does not handle
        status = 1
        if inv.flavour.shell == "bash":
            inv.shell.report(f"kill: ({pid}) - No such process")
        elif inv.flavour.shell == "dash":
            inv.shell.report("kill: No such process")
        else:
            await inv.error(f"can't kill pid {pid}: No such process")
    return status


def _job_pid(inv: Invocation, spec: str) -> str | None:
    """``%1``, ``%%``, ``%+``: a background job's process ID."""
    pids = sorted(inv.process.jobs)
    if spec in ("%%", "%+", "%") and pids:
        return str(pids[-1])
    number = spec[1:]
    if number.isdigit() and 1 <= int(number) <= len(pids):
        return str(pids[int(number) - 1])
    return None


@command("time")
async def time_(inv: Invocation) -> int:
    """busybox's time applet (bash's ``time`` keyword is a builtin of its own)."""
    clock = inv.process.clock
    started = clock.time()
    status = 0
    if inv.args:
        fds = {0: inv.stdin, 1: inv.stdout, 2: inv.stderr}
        status = await inv.shell.exec_external(inv.args, dict(inv.env), fds)
    elapsed = clock.time() - started
    minutes, seconds = divmod(elapsed, 60)
    inv.stderr.write(f"real\t{int(minutes)}m {seconds:.2f}s\nuser\t0m 0.00s\n"
                     "sys\t0m 0.00s\n".encode())
    return status


@command("true")
async def true(inv: Invocation) -> int:
    return 0


@command("false")
async def false(inv: Invocation) -> int:
    return 1


@command("pwd")
async def pwd(inv: Invocation) -> int:
    await inv.write(inv.cwd + "\n")
    return 0


@command("sync")
async def sync(inv: Invocation) -> int:
    return 0


@command("clear")
async def clear(inv: Invocation) -> int:
    await inv.write("\x1b[H\x1b[2J\x1b[3J")
    return 0


@command("which")
async def which(inv: Invocation) -> int:
    from kitlib.sim.runtime.shell.builtins.lookup import describe

    status = 0
    for name in inv.args:
        if name.startswith("-"):
            continue
        found = describe(inv.shell, name)
        if found is not None and found[0] == "file":
            await inv.write(found[1] + "\n")
        else:
            status = 1
    return status


@command("timeout")
async def timeout(inv: Invocation) -> int:
    args = inv.args
    while args and args[0].startswith("-"):
        args = args[2:] if args[0] in ("-s", "-k", "--signal") else args[1:]
    if len(args) < 2:
        raise UsageError("missing operand")
    seconds = duration(args[0])
    if seconds is None:
        raise UsageError(f"invalid time interval '{args[0]}'")
    fds = {0: inv.stdin, 1: inv.stdout, 2: inv.stderr}
    task = asyncio.ensure_future(inv.shell.exec_external(args[1:], dict(inv.env), fds))
    timer = asyncio.ensure_future(inv.process.sleep(seconds))
    try:
        done, _ = await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
    if task in done:
        return task.result()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return 124
