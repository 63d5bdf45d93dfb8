"""Looking at files: ls, find, stat, du, readlink, realpath, basename, dirname."""

from __future__ import annotations

from datetime import datetime, timezone

from kitlib.sim.runtime.fs.api import FsError, Stat
from kitlib.sim.runtime.shell import pattern
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError, parse_flags
from kitlib.sim.runtime.shell.commands.registry import command

_KIND = {"dir": "d", "symlink": "l", "file": "-"}


def mode_string(st: Stat) -> str:
    bits = "".join(c if st.mode & (1 << (8 - i)) else "-" for i, c in enumerate("rwxrwxrwx"))
    if st.kind == "symlink":
        bits = "rwxrwxrwx"
    return _KIND.get(st.kind, "-") + bits


def _when(inv: Invocation, mtime: float) -> str:
    moment = datetime.fromtimestamp(mtime, timezone.utc)
    now = inv.process.clock.time()
    if abs(now - mtime) < 182 * 86400:
        return moment.strftime("%b ") + f"{moment.day:>2} " + moment.strftime("%H:%M")
    return moment.strftime("%b ") + f"{moment.day:>2}  {moment.year}"


def _human(size: int) -> str:
    value = float(size)
    for unit in ("", "K", "M", "G", "T"):
        if value < 1024 or unit == "T":
            if not unit:
                return str(size)
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
        value /= 1024
    return str(size)


def _long(inv: Invocation, name: str, st: Stat, flags: dict[str, str | bool],
          widths: tuple[int, int]) -> str:
    size = _human(st.size) if flags.get("h") else str(st.size)
    links = 2 if st.kind == "dir" else 1
    tail = f" -> {st.target}" if st.kind == "symlink" else ""
    if inv.gnu:
        return (f"{mode_string(st)} {links:>{widths[0]}} root root {size:>{widths[1]}} "
                f"{_when(inv, st.mtime)} {name}{tail}")
    return (f"{mode_string(st)} {links:>4} root     root     {size:>9} "
            f"{_when(inv, st.mtime)} {name}{tail}")


def _suffix(st: Stat, flags: dict[str, str | bool]) -> str:
    if not (flags.get("F") or flags.get("p")):
        return ""
    if st.kind == "dir":
        return "/"
    if flags.get("F") and st.kind == "symlink":
        return "@"
    if flags.get("F") and st.mode & 0o111:
        return "*"
    return ""


def _columns(names: list[str], width: int) -> str:
    if not names:
        return ""
    cell = max(len(n) for n in names) + 2
    per_row = max(1, width // cell)
    rows = -(-len(names) // per_row)
    out = []
    for r in range(rows):
        row = [names[c * rows + r] for c in range(per_row) if c * rows + r < len(names)]
        out.append("".join(n.ljust(cell) for n in row[:-1]) + row[-1])
    return "\n".join(out) + "\n"


@command("ls")
async def ls(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "laA1RdhtrSFpi", long={"all": "a", "human-readable": "h"})
    status = 0
    files: list[tuple[str, Stat]] = []
    dirs: list[str] = []
    for path in paths or ["."]:
        try:
            st = inv.stat(path)
        except FsError as e:
            await inv.error(f"cannot access '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"{path}: {inv.strerror(e)}")
            status = 2 if inv.gnu else 1
            continue
        link = inv.stat(path, follow=False)
        if link.kind == "symlink" and flags.get("l") and not path.endswith("/"):
            files.append((path, link))           # -l shows a link named on the command line
        elif st.kind == "dir" and not flags.get("d"):
            dirs.append(path)
        else:
            files.append((path, link))
    chunks: list[str] = []
    if files:
        chunks.append(_render(inv, files, flags))
    queue = sorted(dirs)
    first = True
    while queue:
        path = queue.pop(0)
        entries = _entries(inv, path, flags)
        if entries is None:
            status = 2 if inv.gnu else 1
            continue
        heading = (len(paths) > 1 or files or flags.get("R"))
        text = (f"{path}:\n" if heading else "")
        if flags.get("l"):
            total = sum(-(-st.size // 4096) * 4 for _, st in entries)
            text += f"total {total}\n"
        text += _render(inv, entries, flags)
        chunks.append(("" if first and not files else "\n") + text)
        first = False
        if flags.get("R"):
            queue[0:0] = [path.rstrip("/") + "/" + name for name, st in entries
                          if st.kind == "dir" and name not in (".", "..")]
    await inv.write("".join(chunks))
    return status


def _entries(inv: Invocation, path: str,
             flags: dict[str, str | bool]) -> list[tuple[str, Stat]] | None:
    full = inv.path(path)
    try:
        names = inv.fs.listdir(full)
    except FsError:
        return None
    shown = [n for n in names if flags.get("a") or flags.get("A") or not n.startswith(".")]
    entries: list[tuple[str, Stat]] = []
    if flags.get("a"):
        for special in (".", ".."):
            try:
                entries.append((special, inv.fs.stat(full if special == "." else
                                                     inv.path(path + "/.."))))
            except FsError:
                pass
    for name in shown:
        try:
            entries.append((name, inv.fs.stat(full.rstrip("/") + "/" + name, follow=False)))
        except FsError:
            continue
    return entries


def _render(inv: Invocation, entries: list[tuple[str, Stat]], flags: dict[str, str | bool]) -> str:
    if flags.get("t"):
        entries = sorted(entries, key=lambda e: -e[1].mtime)
    elif flags.get("S"):
        entries = sorted(entries, key=lambda e: -e[1].size)
    if flags.get("r"):
        entries = list(reversed(entries))
    if flags.get("l"):
        sizes = [_human(st.size) if flags.get("h") else str(st.size) for _, st in entries]
        widths = (1, max((len(s) for s in sizes), default=1))
        return "".join(_long(inv, name, st, flags, widths) + "\n" for name, st in entries)
    names = [name + _suffix(st, flags) for name, st in entries]
    if inv.stdout.isatty and not flags.get("1"):
        return _columns(names, inv.process.ctx.columns)
    return "".join(n + "\n" for n in names)


@command("find")
async def find(inv: Invocation) -> int:
    args = inv.args
    roots: list[str] = []
    while args and not args[0].startswith("-") and args[0] not in ("!", "("):
        roots.append(args[0])
        args = args[1:]
    tests: list[tuple[str, str]] = []
    maxdepth = mindepth = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-name", "-iname", "-type", "-path", "-maxdepth", "-mindepth", "-newer"):
            if i + 1 >= len(args):
                raise UsageError(f"missing argument to '{arg}'" if inv.gnu else
                                 f"{arg}: requires an argument")
            value = args[i + 1]
            if arg == "-maxdepth":
                maxdepth = int(value)
            elif arg == "-mindepth":
                mindepth = int(value)
            else:
                tests.append((arg, value))
            i += 2
        elif arg in ("-print", "-xdev", "-follow"):
            i += 1
        elif arg in ("-empty", "-executable"):
            tests.append((arg, ""))
            i += 1
        else:
            raise UsageError(f"unknown predicate '{arg}'" if inv.gnu else f"unrecognized: {arg}")
    status = 0
    for root in roots or ["."]:
        try:
            inv.stat(root)
        except FsError as e:
            await inv.error(f"'{root}': {inv.strerror(e)}" if inv.gnu else
                            f"{root}: {inv.strerror(e)}")
            status = 1
            continue
        stack = [(root, 0)]
        while stack:
            path, depth = stack.pop()
            await inv.step()
            try:
                st = inv.stat(path, follow=False)
            except FsError:
                continue
            if (mindepth is None or depth >= mindepth) and _matches(inv, path, st, tests):
                await inv.write(path + "\n")
            if st.kind == "dir" and (maxdepth is None or depth < maxdepth):
                try:
                    names = inv.fs.listdir(inv.path(path))
                except FsError:
                    continue
                for name in reversed(names):
                    stack.append((path.rstrip("/") + "/" + name if path != "/" else "/" + name,
                                  depth + 1))
    return status


def _matches(inv: Invocation, path: str, st: Stat, tests: list[tuple[str, str]]) -> bool:
    name = path.rstrip("/").rsplit("/", 1)[-1] or path
    for test, value in tests:
        if test == "-name" and not pattern.match(name, value):
            return False
        if test == "-iname" and not pattern.match(name.lower(), value.lower()):
            return False
        if test == "-path" and not pattern.match(path, value):
            return False
        if test == "-type" and _KIND.get(st.kind, "f").replace("-", "f") != value:
            return False
        if test == "-empty" and not (st.size == 0 if st.kind == "file" else
                                     st.kind == "dir" and not inv.fs.listdir(inv.path(path))):
            return False
        if test == "-executable" and not st.mode & 0o111:
            return False
        if test == "-newer":
            try:
                if st.mtime <= inv.stat(value).mtime:
                    return False
            except FsError:
                return False
    return True


@command("stat")
async def stat(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "c:Lf", long={"format=": "c"})
    if not paths:
        raise UsageError("missing operand")
    status = 0
    for path in paths:
        try:
            st = inv.stat(path, follow=bool(flags.get("L")))
        except FsError as e:
            await inv.error(f"cannot statx '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"can't stat '{path}': {inv.strerror(e)}")
            status = 1
            continue
        kind = {"dir": "directory", "symlink": "symbolic link"}.get(
            st.kind, "regular empty file" if st.size == 0 else "regular file")
        fmt = flags.get("c")
        if isinstance(fmt, str):
            table = {"n": path, "s": str(st.size), "a": format(st.mode & 0o7777, "o"),
                     "A": mode_string(st), "F": kind, "Y": str(int(st.mtime)), "U": "root",
                     "G": "root", "u": "0", "g": "0", "%": "%"}
            out = []
            i = 0
            while i < len(fmt):
                if fmt[i] == "%" and i + 1 < len(fmt) and fmt[i + 1] in table:
                    out.append(table[fmt[i + 1]])
                    i += 2
                else:
                    out.append(fmt[i])
                    i += 1
            await inv.write("".join(out) + "\n")
            continue
        moment = datetime.fromtimestamp(st.mtime, timezone.utc)
        when = moment.strftime("%Y-%m-%d %H:%M:%S.000000000 +0000")
        name = f"{path} -> {st.target}" if st.kind == "symlink" else path
        blocks = -(-st.size // 4096) * 8
        await inv.write(
            f"  File: {name}\n"
            f"  Size: {st.size:<10}\tBlocks: {blocks:<10} IO Block: 4096   {kind}\n"
            f"Device: 0,50\tInode: 1          Links: {2 if st.kind == 'dir' else 1}\n"
            f"Access: ({format(st.mode & 0o7777, '04o')}/{mode_string(st)})  "
            f"Uid: (    0/    root)   Gid: (    0/    root)\n"
            f"Access: {when}\nModify: {when}\nChange: {when}\n"
            + (" Birth: -\n" if inv.gnu else ""))
    return status


@command("du")
async def du(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "shacd:k", long={"summarize": "s", "human-readable": "h"})
    status = 0

    def size_of(full: str) -> int:
        st = inv.fs.stat(full, follow=False)
        if st.kind != "dir":
            return -(-st.size // 4096) * 4
        return 4 + sum(size_of(full.rstrip("/") + "/" + n) for n in inv.fs.listdir(full))

    for path in paths or ["."]:
        try:
            total = size_of(inv.path(path))
        except FsError as e:
            await inv.error(f"cannot access '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"{path}: {inv.strerror(e)}")
            status = 1
            continue
        shown = _human(total * 1024) if flags.get("h") else str(total)
        await inv.write(f"{shown}\t{path}\n")
    return status


@command("readlink", "realpath")
async def readlink(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "fenmqsvz", long={"canonicalize": "f"})
    status = 0
    for path in paths:
        full = inv.path(path)
        if inv.name == "realpath" or flags.get("f") or flags.get("e") or flags.get("m"):
            resolved = full
            for _ in range(40):
                try:
                    st = inv.fs.stat(resolved, follow=False)
                except FsError:
                    if inv.name == "realpath" and not inv.gnu or flags.get("e"):
                        status = 1
                    break
                if st.kind != "symlink":
                    break
                target = st.target
                resolved = inv.path(target if target.startswith("/") else
                                    resolved.rsplit("/", 1)[0] + "/" + target)
            await inv.write(resolved + "\n")
            continue
        try:
            st = inv.fs.stat(full, follow=False)
        except FsError:
            status = 1
            continue
        if st.kind != "symlink":
            status = 1
            continue
        await inv.write(st.target + "\n")
    return status


@command("basename")
async def basename(inv: Invocation) -> int:
    args = [a for a in inv.args if a != "--"]
    if not args:
        raise UsageError("missing operand")
    path = args[0].rstrip("/") or "/"
    name = path.rsplit("/", 1)[-1] if path != "/" else "/"
    if len(args) > 1 and name.endswith(args[1]) and name != args[1]:
        name = name[:-len(args[1])]
    await inv.write(name + "\n")
    return 0


@command("dirname")
async def dirname(inv: Invocation) -> int:
    args = [a for a in inv.args if a != "--"]
    if not args:
        raise UsageError("missing operand")
    for arg in args:
        path = arg.rstrip("/")
        if "/" not in path:
            parent = "/" if arg.startswith("/") else "."
        else:
            parent = path.rsplit("/", 1)[0].rstrip("/") or "/"
        await inv.write(parent + "\n")
    return 0
