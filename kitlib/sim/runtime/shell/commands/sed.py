"""sed: the commands one-liners use (s, p, d, q, =, y, a, i, c) with line, ``$`` and
regular-expression addresses, ranges and ``!``, and ``-n``, ``-e``, ``-E``, ``-i``."""

from __future__ import annotations

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError
from kitlib.sim.runtime.shell.commands.registry import command
from kitlib.sim.runtime.shell.regex import Regex, RegexError

Span = tuple[int, int]


class SedError(Exception):
    pass


class _Command:
    def __init__(self) -> None:
        self.addr1: object = None
        self.addr2: object = None
        self.negate = False
        self.name = ""
        self.regex: Regex | None = None
        self.replacement = ""
        self.global_ = False
        self.nth = 1
        self.print_ = False
        self.text = ""
        self.table: dict[str, str] = {}
        self.active = False


def _delimited(script: str, i: int, delim: str) -> tuple[str, int]:
    out: list[str] = []
    while i < len(script):
        c = script[i]
        if c == "\\" and i + 1 < len(script):
            nxt = script[i + 1]
            out.append(nxt if nxt == delim else "\\" + nxt)
            i += 2
            continue
        if c == delim:
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise SedError("unterminated `s' command")


def _address(script: str, i: int, extended: bool) -> tuple[object, int]:
    if i < len(script) and script[i].isdigit():
        j = i
        while j < len(script) and script[j].isdigit():
            j += 1
        return int(script[i:j]), j
    if i < len(script) and script[i] == "$":
        return "$", i + 1
    if i < len(script) and script[i] in "/\\":
        delim = "/"
        if script[i] == "\\":
            delim = script[i + 1]
            i += 1
        text, j = _delimited(script, i + 1, delim)
        return Regex(text, extended=extended), j
    return None, i


def parse_sed(script: str, *, extended: bool) -> list[_Command]:
    commands: list[_Command] = []
    i = 0
    n = len(script)
    while i < n:
        while i < n and script[i] in " \t\n;":
            i += 1
        if i >= n:
            break
        cmd = _Command()
        cmd.addr1, i = _address(script, i, extended)
        if cmd.addr1 is not None and i < n and script[i] == ",":
            cmd.addr2, i = _address(script, i + 1, extended)
        while i < n and script[i] in " \t":
            i += 1
        if i < n and script[i] == "!":
            cmd.negate = True
            i += 1
        if i >= n:
            raise SedError("missing command")
        cmd.name = script[i]
        i += 1
        if cmd.name == "s":
            delim = script[i]
            pattern, i = _delimited(script, i + 1, delim)
            cmd.replacement, i = _delimited(script, i, delim)
            icase = False
            while i < n and script[i] not in ";\n}":
                flag = script[i]
                if flag == "g":
                    cmd.global_ = True
                elif flag == "p":
                    cmd.print_ = True
                elif flag in "iI":
                    icase = True
                elif flag.isdigit():
                    cmd.nth = int(flag)
                elif flag not in " \t":
                    raise SedError("unknown option to `s'")
                i += 1
            cmd.regex = Regex(pattern, extended=extended, icase=icase)
        elif cmd.name == "y":
            delim = script[i]
            source, i = _delimited(script, i + 1, delim)
            target, i = _delimited(script, i, delim)
            if len(source) != len(target):
                raise SedError("strings for `y' command are different lengths")
            cmd.table = dict(zip(source, target))
        elif cmd.name in "aic":
            while i < n and script[i] in " \t":
                i += 1
            if script.startswith("\\\n", i):
                i += 2
            elif script.startswith("\\", i):
                i += 1
            end = script.find("\n", i)
            end = n if end < 0 else end
            cmd.text = script[i:end]
            i = end
        elif cmd.name in "pdqPD=nN":
            pass
        else:
            raise SedError(f"unknown command: `{cmd.name}'")
        commands.append(cmd)
    return commands


def _matches(addr: object, number: int, line: str, last: bool) -> bool:
    if isinstance(addr, int):
        return number == addr
    if addr == "$":
        return last
    if isinstance(addr, Regex):
        return addr.search(line) is not None
    return True


def _selected(cmd: _Command, number: int, line: str, last: bool) -> bool:
    if cmd.addr1 is None:
        hit = True
    elif cmd.addr2 is None:
        hit = _matches(cmd.addr1, number, line, last)
    elif cmd.active:
        hit = True
        end = cmd.addr2
        if (isinstance(end, int) and number >= end) or end == "$" and last or \
                (isinstance(end, Regex) and end.search(line) is not None):
            cmd.active = False
    elif _matches(cmd.addr1, number, line, last):
        hit = True
        cmd.active = not (isinstance(cmd.addr2, int) and cmd.addr2 <= number)
    else:
        hit = False
    return hit != cmd.negate


def _substitute(cmd: _Command, line: str) -> tuple[str, bool]:
    assert cmd.regex is not None
    out: list[str] = []
    pos = 0
    count = 0
    changed = False
    while pos <= len(line):
        found = cmd.regex.search(line, pos)
        if found is None or found[0] is None:
            break
        a, b = found[0]
        count += 1
        if count >= cmd.nth:
            out.append(line[pos:a])
            out.append(_replacement(cmd.replacement, line, found))
            changed = True
        else:
            out.append(line[pos:b])
        if b == a:
            if a < len(line):
                out.append(line[a])
            pos = a + 1
        else:
            pos = b
        if changed and not cmd.global_:
            break
    if not changed:
        return line, False
    out.append(line[pos:])
    return "".join(out), True


def _replacement(template: str, line: str, found: list[Span | None]) -> str:
    out: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c == "&":
            span = found[0]
            out.append(line[span[0]:span[1]] if span else "")
        elif c == "\\" and i + 1 < len(template):
            nxt = template[i + 1]
            i += 1
            if nxt.isdigit():
                k = int(nxt)
                span = found[k] if k < len(found) else None
                out.append(line[span[0]:span[1]] if span else "")
            else:
                out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
        else:
            out.append(c)
        i += 1
    return "".join(out)


def run_sed(commands: list[_Command], text: str, *, quiet: bool) -> str:
    lines = text.split("\n")
    trailing = lines and lines[-1] == ""
    if trailing:
        lines.pop()
    out: list[str] = []
    for index, original in enumerate(lines):
        number = index + 1
        last = index == len(lines) - 1
        line = original
        deleted = False
        appended: list[str] = []
        quit_now = False
        for cmd in commands:
            if not _selected(cmd, number, line, last):
                continue
            if cmd.name == "s":
                line, changed = _substitute(cmd, line)
                if changed and cmd.print_:
                    out.append(line + "\n")
            elif cmd.name == "p":
                out.append(line + "\n")
            elif cmd.name == "d":
                deleted = True
                break
            elif cmd.name == "q":
                quit_now = True
                break
            elif cmd.name == "=":
                out.append(f"{number}\n")
            elif cmd.name == "y":
                line = "".join(cmd.table.get(c, c) for c in line)
            elif cmd.name == "a":
                appended.append(cmd.text + "\n")
            elif cmd.name == "i":
                out.append(cmd.text + "\n")
            elif cmd.name == "c":
                out.append(cmd.text + "\n")
                deleted = True
                break
        if not deleted and not quiet:
            out.append(line + "\n")
        out.extend(appended)
        if quit_now:
            break
    result = "".join(out)
    if not trailing and result.endswith("\n") and text and not text.endswith("\n"):
        result = result[:-1]
    return result


@command("sed")
async def sed(inv: Invocation) -> int:
    args = inv.args
    scripts: list[str] = []
    quiet = extended = in_place = False
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-e" and i < len(args):
            scripts.append(args[i])
            i += 1
        elif arg in ("-n", "--quiet", "--silent"):
            quiet = True
        elif arg in ("-E", "-r", "--regexp-extended"):
            extended = True
        elif arg.startswith("-i") or arg == "--in-place":
            in_place = True
        elif arg.startswith("-") and len(arg) > 1 and set(arg[1:]) <= set("nEri"):
            quiet = quiet or "n" in arg
            extended = extended or "E" in arg or "r" in arg
            in_place = in_place or "i" in arg
        elif not scripts and not paths:
            scripts.append(arg)
        else:
            paths.append(arg)
    if not scripts:
        raise UsageError("usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...")
    try:
        commands = parse_sed("\n".join(scripts), extended=extended)
    except (SedError, RegexError) as e:
        await inv.error(f"-e expression #1, char 0: {e}" if inv.gnu else str(e))
        return 1
    status = 0
    if in_place:
        for path in paths:
            try:
                data = inv.fs.read(inv.path(path))
                result = run_sed(commands, inv.decode(data), quiet=quiet)
                inv.fs.write(inv.path(path), result.encode("utf-8", "surrogateescape"))
            except FsError as e:
                await inv.error(f"can't read {path}: {inv.strerror(e)}" if inv.gnu
                                else f"can't open '{path}': {inv.strerror(e)}")
                status = 2 if inv.gnu else 1
        return status
    chunks: list[bytes] = []
    for path in paths or ["-"]:
        try:
            chunks.append(await inv.read_input(path))
        except FsError as e:
            await inv.error(f"can't read {path}: {inv.strerror(e)}" if inv.gnu
                            else f"can't open '{path}': {inv.strerror(e)}")
            status = 2 if inv.gnu else 1
    await inv.write(run_sed(commands, inv.decode(b"".join(chunks)), quiet=quiet))
    return status
