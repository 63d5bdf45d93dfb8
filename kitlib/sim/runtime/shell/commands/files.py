"""Reading files: cat, head, tail (with -f on the simulated clock), wc."""

from __future__ import annotations

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError, parse_flags
from kitlib.sim.runtime.shell.commands.registry import command
from kitlib.sim.runtime.shell.streams import BytesReader, Reader


async def pump(inv: Invocation, reader: Reader) -> None:
    """Copy ``reader`` to stdout chunk by chunk (stdin, /dev/zero, pipes)."""
    if isinstance(reader, BytesReader):
        await inv.write(await reader.read())
        return
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            return
        if reader.isatty:
            inv.process.rested()
        await inv.write(chunk)
        await inv.step(1 + len(chunk) // 4096)


@command("cat")
async def cat(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "nbuvetAsE", long={"number": "n"})
    status = 0
    number = bool(flags.get("n") or flags.get("b"))
    line_no = 0
    for path in paths or ["-"]:
        try:
            reader = inv.open(path)
        except FsError as e:
            if e.errno_name == "EISDIR":
                await inv.error(f"{path}: Is a directory" if inv.gnu
                                else "read error: Is a directory")
            else:
                await inv.cant_open(path, e)
            status = 1
            continue
        if not number:
            await pump(inv, reader)
            continue
        while True:
            line = await reader.readline()
            if not line:
                break
            if flags.get("b") and line == b"\n":
                await inv.write(line)
                continue
            line_no += 1
            await inv.write(f"{line_no:>6}\t".encode() + line)
    return status


def _count(text: str, default: int) -> tuple[int, bool]:
    """A -n/-c value: (count, from_start) where ``+N`` means "from line N"."""
    if text.startswith("+"):
        return int(text[1:] or "0"), True
    value = int(text.lstrip("-")) if text.lstrip("-").isdigit() else None
    if value is None:
        raise UsageError(f"invalid number '{text}'")
    return value, False


def _legacy_count(args: list[str]) -> list[str]:
    """``head -5`` means ``head -n 5``."""
    return [("-n" + a[1:]) if len(a) > 1 and a[0] == "-" and a[1:].isdigit() else a
            for a in args]


@command("head")
async def head(inv: Invocation) -> int:
    inv.argv = [inv.argv[0]] + _legacy_count(inv.args)
    flags, paths = parse_flags(inv, "n:c:qv", long={"lines=": "n", "bytes=": "c"})
    lines_text = flags.get("n") if isinstance(flags.get("n"), str) else "10"
    assert isinstance(lines_text, str)
    byte_count = flags.get("c")
    status = 0
    many = len(paths) > 1
    for k, path in enumerate(paths or ["-"]):
        try:
            reader = inv.open(path)
        except FsError as e:
            await _cannot_open(inv, path, e)
            status = 1
            continue
        if many:
            await inv.write(("\n" if k else "") + f"==> {path} <==\n")
        if isinstance(byte_count, str):
            want = int(byte_count.lstrip("-") or "0")
            got = bytearray()
            while len(got) < want:
                chunk = await reader.read(want - len(got))
                if not chunk:
                    break
                got += chunk
            await inv.write(bytes(got))
            continue
        if lines_text.startswith("-"):                 # GNU: all but the last N lines
            data = await reader.read()
            lines = data.splitlines(keepends=True)
            n = int(lines_text[1:] or "0")
            await inv.write(b"".join(lines[:max(len(lines) - n, 0)]))
            continue
        want = int(lines_text) if lines_text.isdigit() else 10
        for _ in range(want):
            line = await reader.readline()
            if not line:
                break
            if reader.isatty:
                inv.process.rested()
            await inv.write(line)
    return status


async def _cannot_open(inv: Invocation, path: str, error: FsError) -> None:
    if inv.gnu:
        await inv.error(f"cannot open '{path}' for reading: {inv.strerror(error)}"
                        if error.errno_name != "EISDIR" else
                        f"error reading '{path}': Is a directory")
    else:
        await inv.error(f"can't open '{path}': {inv.strerror(error)}")


@command("tail")
async def tail(inv: Invocation) -> int:
    inv.argv = [inv.argv[0]] + _legacy_count(inv.args)
    flags, paths = parse_flags(inv, "n:c:fFqvs:", long={"lines=": "n", "bytes=": "c",
                                                        "follow": "f", "retry": "F"})
    lines_text = flags.get("n") if isinstance(flags.get("n"), str) else "10"
    assert isinstance(lines_text, str)
    count, from_start = _count(lines_text, 10)
    follow = bool(flags.get("f") or flags.get("F"))
    retry = bool(flags.get("F"))
    status = 0
    many = len(paths) > 1
    sizes: dict[str, int] = {}
    for k, path in enumerate(paths or ["-"]):
        try:
            data = await inv.read_input(path)
        except FsError as e:
            if not retry:
                await _cannot_open(inv, path, e)
                status = 1
            elif inv.gnu:
                await inv.error(f"cannot open '{path}' for reading: {inv.strerror(e)}")
            sizes[path] = 0
            continue
        if many:
            await inv.write(("\n" if k else "") + f"==> {path} <==\n")
        if isinstance(flags.get("c"), str):
            n, start = _count(str(flags["c"]), 0)
            await inv.write(data[n - 1:] if start else data[-n:] if n else b"")
        else:
            lines = data.splitlines(keepends=True)
            chosen = lines[count - 1:] if from_start and count else lines if from_start \
                else lines[-count:] if count else []
            await inv.write(b"".join(chosen))
        sizes[path] = len(data)
    if not follow or not paths:
        return status
    while True:                                      # tail -f: poll once a simulated second
        await inv.process.sleep(1.0)
        await inv.step()
        for path in paths:
            try:
                data = inv.fs.read(inv.path(path))
            except FsError:
                continue
            seen = sizes.get(path, 0)
            if len(data) < seen:
                if inv.gnu:
                    await inv.error(f"{path}: file truncated")
                seen = 0
            if len(data) > seen:
                if many:
                    await inv.write(f"\n==> {path} <==\n")
                await inv.write(data[seen:])
            sizes[path] = len(data)


@command("wc")
async def wc(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "lwcmL", long={"lines": "l", "words": "w", "bytes": "c",
                                                   "chars": "m"})
    chosen = [f for f in "lwmcL" if flags.get(f)] or ["l", "w", "c"]
    rows: list[tuple[list[int], str]] = []
    status = 0
    totals = [0] * len(chosen)
    sized_files = True
    for path in paths or ["-"]:
        try:
            data = await inv.read_input(path)
        except FsError as e:
            if inv.gnu:
                await inv.error(f"{path}: {inv.strerror(e)}")
            else:
                await inv.cant_open(path, e)
            status = 1
            continue
        if path == "-":
            sized_files = False
        text = inv.decode(data)
        values = {"l": data.count(b"\n"), "w": len(data.split()), "c": len(data),
                  "m": len(text), "L": max((len(x) for x in text.split("\n")), default=0)}
        counts = [values[f] for f in chosen]
        totals = [a + b for a, b in zip(totals, counts)]
        rows.append((counts, "" if path == "-" else path))
    if len(rows) > 1:
        rows.append((totals, "total"))
    if inv.gnu:
        if len(chosen) == 1 and len(rows) == 1:
            width = 1
        elif sized_files:
            width = len(str(max(max(totals, default=0), 0)))
        else:
            width = 7
    else:
        width = 1 if len(chosen) == 1 and len(rows) == 1 else 9
    out = []
    for counts, name in rows:
        line = " ".join(str(c).rjust(width) for c in counts)
        out.append(line + (" " + name if name else "") + "\n")
    await inv.write("".join(out))
    return status
