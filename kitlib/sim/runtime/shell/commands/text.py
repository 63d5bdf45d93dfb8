"""Text commands: echo, printf, sort, uniq, cut, tr, seq, yes, tac, tee, base64.

``echo`` is the one learners trip over: dash's builtin echo always interprets escapes and
knows only ``-n`` (so ``echo -en '\\n'`` prints ``-en`` and two newlines on debian's sh),
while bash's, busybox's and GNU's want ``-e``.
"""

from __future__ import annotations

import base64 as b64

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError, parse_flags
from kitlib.sim.runtime.shell.commands.printf import backslash_escapes, format_printf
from kitlib.sim.runtime.shell.commands.registry import command


@command("echo")
async def echo(inv: Invocation) -> int:
    args = inv.args
    newline = True
    escapes = False
    if inv.builtin and inv.flavour.shell == "dash":
        if args[:1] == ["-n"]:
            newline = False
            args = args[1:]
        escapes = True
    else:
        while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
            for flag in args[0][1:]:
                if flag == "n":
                    newline = False
                else:
                    escapes = flag == "e"
            args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = backslash_escapes(text, echo=True)
        if stop:
            newline = False
    await inv.write(text + ("\n" if newline else ""))
    return 0


@command("printf")
async def printf(inv: Invocation) -> int:
    args = inv.args
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        raise UsageError("usage: printf format [arg ...]" if not inv.gnu else "missing operand",
                         status=2 if inv.flavour.shell == "bash" else 1)
    text, errors = format_printf(args[0], args[1:], gnu=inv.gnu, shell=inv.flavour.shell)
    await inv.write(text)
    for message in errors:
        await inv.error(message)
    return 1 if errors else 0


async def _lines(inv: Invocation, paths: list[str]) -> list[str] | None:
    """All lines of the files (or stdin), or None after reporting an unreadable file."""
    chunks: list[bytes] = []
    for path in paths or ["-"]:
        try:
            chunks.append(await inv.read_input(path))
        except FsError as e:
            await inv.cant_open(path, e)
            return None
    text = inv.decode(b"".join(c if c.endswith(b"\n") or not c else c + b"\n" for c in chunks))
    return text.split("\n")[:-1] if text else []


def _sort_key(line: str, flags: dict[str, str | bool]):  # type: ignore[no-untyped-def]
    field = line
    key = flags.get("k")
    if isinstance(key, str):
        sep = flags.get("t")
        parts = line.split(sep) if isinstance(sep, str) else line.split()
        start = key.split(",", 1)[0].rstrip("nrb")
        index = int(start) - 1 if start.isdigit() else 0
        field = parts[index] if 0 <= index < len(parts) else ""
        if "n" in key:
            flags = {**flags, "n": True}
    if flags.get("f"):
        field = field.lower()
    if flags.get("n") or flags.get("h"):
        text = field.strip()
        number = ""
        for i, c in enumerate(text):
            if c.isdigit() or c == "." or (c == "-" and i == 0):
                number += c
            else:
                break
        try:
            value = float(number) if number not in ("", "-", ".") else 0.0
        except ValueError:
            value = 0.0
        return (value, line)
    return (field, line) if key else (field,)


@command("sort")
async def sort(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "nrufk:t:hbo:s", long={"numeric-sort": "n",
                                                            "reverse": "r", "unique": "u"})
    lines = await _lines(inv, paths)
    if lines is None:
        return 2
    await inv.step(1 + len(lines) // 1000)
    ordered = sorted(lines, key=lambda line: _sort_key(line, flags), reverse=bool(flags.get("r")))
    if flags.get("u"):
        seen: set[object] = set()
        unique: list[str] = []
        for line in ordered:
            k = _sort_key(line, flags)[0]
            if k not in seen:
                seen.add(k)
                unique.append(line)
        ordered = unique
    text = "".join(line + "\n" for line in ordered)
    output = flags.get("o")
    if isinstance(output, str):
        inv.fs.write(inv.path(output), text.encode("utf-8", "surrogateescape"))
        return 0
    await inv.write(text)
    return 0


@command("uniq")
async def uniq(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "cdui", long={"count": "c"})
    lines = await _lines(inv, paths[:1])
    if lines is None:
        return 1
    groups: list[tuple[str, int]] = []
    for line in lines:
        same = groups and (groups[-1][0].lower() == line.lower() if flags.get("i")
                           else groups[-1][0] == line)
        if same:
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((line, 1))
    out: list[str] = []
    for line, count in groups:
        if flags.get("d") and count < 2 or flags.get("u") and count > 1:
            continue
        out.append(f"{count:>7} {line}\n" if flags.get("c") else line + "\n")
    await inv.write("".join(out))
    return 0


def _ranges(spec: str) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = []
    for part in spec.split(","):
        lo, dash, hi = part.partition("-")
        if not (lo or hi) or not (lo.isdigit() or not lo) or not (hi.isdigit() or not hi):
            raise UsageError("invalid field range" if not part.isdigit() else "")
        start = int(lo) if lo else 1
        if start < 1:
            raise UsageError("fields are numbered from 1")
        out.append((start, (int(hi) if hi else None) if dash else start))
    return out


@command("cut")
async def cut(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "d:f:c:b:s", long={"delimiter=": "d", "fields=": "f"})
    spec = flags.get("f") or flags.get("c") or flags.get("b")
    if not isinstance(spec, str):
        raise UsageError("you must specify a list of bytes, characters, or fields"
                         if inv.gnu else "expected a list of bytes, characters, or fields")
    ranges = _ranges(spec)
    lines = await _lines(inv, paths)
    if lines is None:
        return 1
    delim = flags.get("d") if isinstance(flags.get("d"), str) else "\t"
    assert isinstance(delim, str)
    out: list[str] = []
    for line in lines:
        if "f" in flags:
            if delim not in line:
                if not flags.get("s"):
                    out.append(line + "\n")
                continue
            parts = line.split(delim)
            chosen = [p for i, p in enumerate(parts, 1)
                      if any(lo <= i and (hi is None or i <= hi) for lo, hi in ranges)]
            out.append(delim.join(chosen) + "\n")
        else:
            chosen_chars = (ch for i, ch in enumerate(line, 1)
                            if any(lo <= i and (hi is None or i <= hi) for lo, hi in ranges))
            out.append("".join(chosen_chars) + "\n")
    await inv.write("".join(out))
    return 0


_TR_CLASSES = {"[:lower:]": "abcdefghijklmnopqrstuvwxyz", "[:upper:]": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               "[:digit:]": "0123456789", "[:space:]": " \t\n\r\f\v", "[:blank:]": " \t",
               "[:alpha:]": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
               "[:alnum:]": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
               "[:punct:]": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}


def _tr_set(spec: str) -> str:
    spec, _ = backslash_escapes(spec, echo=False)
    out: list[str] = []
    i = 0
    while i < len(spec):
        for name, chars in _TR_CLASSES.items():
            if spec.startswith(name, i):
                out.append(chars)
                i += len(name)
                break
        else:
            if i + 2 < len(spec) and spec[i + 1] == "-":
                lo, hi = ord(spec[i]), ord(spec[i + 2])
                out.append("".join(chr(c) for c in range(lo, min(hi, lo + 65536) + 1)))
                i += 3
            else:
                out.append(spec[i])
                i += 1
    return "".join(out)


@command("tr")
async def tr(inv: Invocation) -> int:
    flags, sets = parse_flags(inv, "dsc", long={"delete": "d", "squeeze-repeats": "s"})
    if not sets or (len(sets) < 2 and not flags.get("d") and not flags.get("s")):
        raise UsageError("missing operand" if inv.gnu else "")
    data = inv.decode(await inv.read_input())
    first = _tr_set(sets[0])
    complement = bool(flags.get("c"))

    def in_first(c: str) -> bool:
        return (c in first) != complement

    if flags.get("d"):
        data = "".join(c for c in data if not in_first(c))
        squeeze = _tr_set(sets[1]) if len(sets) > 1 and flags.get("s") else ""
    elif len(sets) > 1:
        second = _tr_set(sets[1])
        if second:
            second = second + second[-1] * max(0, len(first) - len(second))
            table = {ord(a): b for a, b in zip(first, second)}
            data = data.translate(table) if not complement else \
                "".join(second[-1] if in_first(c) else c for c in data)
        squeeze = second if flags.get("s") else ""
    else:
        squeeze = first
    if flags.get("s") and squeeze:
        out: list[str] = []
        for c in data:
            if out and out[-1] == c and c in squeeze:
                continue
            out.append(c)
        data = "".join(out)
    await inv.write(data)
    return 0


@command("seq")
async def seq(inv: Invocation) -> int:
    args = inv.args
    separator = "\n"
    width = False
    while args and (args[0] in ("-s", "-w") or (args[0].startswith("-s") and len(args[0]) > 2)):
        if args[0] == "-w":
            width = True
            args = args[1:]
        elif args[0] == "-s":
            separator, args = args[1], args[2:]
        else:
            separator, args = args[0][2:], args[1:]
    try:
        numbers = [float(a) if "." in a else int(a) for a in args]
    except ValueError:
        bad = next(a for a in args if not a.replace(".", "", 1).lstrip("-").isdigit())
        raise UsageError(f"invalid floating point argument: '{bad}'" if inv.gnu
                         else f"invalid number '{bad}'") from None
    if not 1 <= len(numbers) <= 3:
        raise UsageError("missing operand" if not numbers else f"extra operand '{args[3]}'")
    first, step, last = (1, 1, numbers[0]) if len(numbers) == 1 else \
        (numbers[0], 1, numbers[1]) if len(numbers) == 2 else tuple(numbers)
    if step == 0:
        raise UsageError("invalid Zero increment value: '0'")
    decimals = max((len(a.split(".", 1)[1]) for a in args if "." in a), default=0)
    pad = max(len(str(int(abs(n)))) for n in (first, last)) if width else 0
    value = first
    batch: list[str] = []
    count = 0
    while (step > 0 and value <= last) or (step < 0 and value >= last):
        text = f"{value:.{decimals}f}" if decimals else str(int(value))
        batch.append(text.zfill(pad) if pad else text)
        count += 1
        if len(batch) >= 1000:
            await inv.write(separator.join(batch) + separator)
            await inv.step()
            batch = []
        value += step
    if batch:
        await inv.write(separator.join(batch) + ("\n" if separator != "\n" else separator))
    elif count and separator != "\n":
        await inv.write("\n")
    return 0


@command("yes")
async def yes(inv: Invocation) -> int:
    line = (" ".join(inv.args) if inv.args else "y") + "\n"
    block = line * max(1, 4096 // len(line))
    while True:
        await inv.write(block)
        await inv.step()


@command("tac")
async def tac(inv: Invocation) -> int:
    lines = await _lines(inv, inv.args)
    if lines is None:
        return 1
    await inv.write("".join(line + "\n" for line in reversed(lines)))
    return 0


@command("tee")
async def tee(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "ai", long={"append": "a"})
    sinks = []
    status = 0
    for path in paths:
        try:
            full = inv.path(path)
            if not flags.get("a"):
                inv.fs.write(full, b"")
            sinks.append(full)
        except FsError as e:
            await inv.error(f"{path}: {inv.strerror(e)}" if inv.gnu else
                            f"can't open '{path}': {inv.strerror(e)}")
            status = 1
    while True:
        chunk = await inv.stdin.read(65536)
        if not chunk:
            return status
        inv.process.rested()
        for full in sinks:
            inv.fs.write(full, chunk, append=True)
        await inv.write(chunk)


@command("base64")
async def base64(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "dw:i", long={"decode": "d", "wrap=": "w"})
    try:
        data = await inv.read_input(paths[0] if paths else "-")
    except FsError as e:
        return await inv.cant_open(paths[0], e)
    if flags.get("d"):
        try:
            await inv.write(b64.b64decode(b"".join(data.split()), validate=False))
        except ValueError:
            await inv.error("invalid input")
            return 1
        return 0
    text = b64.b64encode(data).decode("ascii")
    wrap = int(flags["w"]) if isinstance(flags.get("w"), str) else 76
    if wrap:
        text = "\n".join(text[i:i + wrap] for i in range(0, len(text), wrap))
    await inv.write(text + "\n" if text else "")
    return 0
