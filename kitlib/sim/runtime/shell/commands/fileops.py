"""Changing files: touch, mkdir, rmdir, rm, cp, mv, ln, chmod, chown, mktemp."""

from __future__ import annotations

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError, parse_flags
from kitlib.sim.runtime.shell.commands.registry import command


def _missing(inv: Invocation, usage: str) -> UsageError:
    if inv.gnu:
        return UsageError(f"missing operand\nTry '{inv.name} --help' for more information.")
    return UsageError(f"missing operand\nUsage: {inv.name} {usage}")


@command("touch")
async def touch(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "acmd:r:t:h")
    if not paths:
        raise _missing(inv, "[-c] [-d DATE] [-t DATE] [-r FILE] FILE...")
    status = 0
    for path in paths:
        full = inv.path(path)
        try:
            if inv.fs.exists(full):
                if inv.fs.stat(full).kind == "file":
                    inv.fs.write(full, b"", append=True)
            elif not flags.get("c"):
                inv.fs.write(full, b"")
        except FsError as e:
            await inv.error(f"cannot touch '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"{path}: {inv.strerror(e)}")
            status = 1
    return status


@command("mkdir")
async def mkdir(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "pm:v", long={"parents": "p", "mode=": "m"})
    if not paths:
        raise _missing(inv, "[-m MODE] [-p] DIRECTORY...")
    mode = int(flags["m"], 8) if isinstance(flags.get("m"), str) and str(flags["m"]).isdigit() \
        else 0o755
    status = 0
    for path in paths:
        full = inv.path(path)
        try:
            if flags.get("p") and inv.fs.exists(full) and inv.fs.stat(full).kind == "dir":
                continue
            inv.fs.mkdir(full, parents=bool(flags.get("p")), mode=mode)
            if flags.get("v"):
                await inv.write(f"mkdir: created directory '{path}'\n")
        except FsError as e:
            await inv.error(f"cannot create directory '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"can't create directory '{path}': {inv.strerror(e)}")
            status = 1
    return status


@command("rmdir")
async def rmdir(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "p", long={"parents": "p"})
    if not paths:
        raise _missing(inv, "[-p] DIRECTORY...")
    status = 0
    for path in paths:
        full = inv.path(path)
        try:
            if inv.fs.stat(full).kind != "dir":
                raise FsError("ENOTDIR", full)
            if inv.fs.listdir(full):
                raise FsError("ENOTEMPTY", full)
            inv.fs.remove(full)
        except FsError as e:
            await inv.error(f"failed to remove '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"'{path}': {inv.strerror(e)}")
            status = 1
    return status


@command("rm")
async def rm(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "rRfiIdv", long={"recursive": "r", "force": "f"})
    recursive = bool(flags.get("r") or flags.get("R"))
    force = bool(flags.get("f"))
    if not paths and not force:
        raise _missing(inv, "[-irf] FILE...")
    status = 0
    for path in paths:
        full = inv.path(path)
        if full == "/" and recursive:
            await inv.error("it is dangerous to operate recursively on '/'\n"
                            f"{inv.name}: use --no-preserve-root to override this failsafe"
                            if inv.gnu else "can't remove '/'")
            status = 1
            continue
        try:
            st = inv.fs.stat(full, follow=False)
            if st.kind == "dir" and not recursive:
                if flags.get("d") and not inv.fs.listdir(full):
                    inv.fs.remove(full)
                    continue
                await inv.error(f"cannot remove '{path}': Is a directory" if inv.gnu
                                else f"'{path}' is a directory")
                status = 1
                continue
            inv.fs.remove(full, recursive=recursive)
            if flags.get("v"):
                await inv.write(f"removed '{path}'\n")
        except FsError as e:
            if force and e.errno_name == "ENOENT":
                continue
            await inv.error(f"cannot remove '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"can't remove '{path}': {inv.strerror(e)}")
            status = 1
    return status


def _copy_tree(inv: Invocation, source: str, target: str) -> None:
    st = inv.fs.stat(source)
    if st.kind == "dir":
        if not inv.fs.exists(target):
            inv.fs.mkdir(target, mode=st.mode)
        for name in inv.fs.listdir(source):
            _copy_tree(inv, source.rstrip("/") + "/" + name, target.rstrip("/") + "/" + name)
        return
    inv.fs.write(target, inv.fs.read(source))
    inv.fs.chmod(target, st.mode)


def _into(inv: Invocation, source: str, target: str) -> str:
    """``cp a dir`` copies to ``dir/a``."""
    full = inv.path(target)
    try:
        if inv.fs.stat(full).kind == "dir":
            return full.rstrip("/") + "/" + source.rstrip("/").rsplit("/", 1)[-1]
    except FsError:
        pass
    return full


@command("cp")
async def cp(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "rRafpvnLPdH", long={"recursive": "r", "archive": "a"})
    if len(paths) < 2:
        if inv.gnu and paths:
            raise UsageError(f"missing destination file operand after '{paths[0]}'\n"
                             f"Try '{inv.name} --help' for more information.")
        raise _missing(inv, "[-arPLHpfinlsTu] SOURCE DEST")
    recursive = bool(flags.get("r") or flags.get("R") or flags.get("a"))
    *sources, target = paths
    status = 0
    for source in sources:
        full = inv.path(source)
        try:
            st = inv.fs.stat(full)
        except FsError as e:
            await inv.error(f"cannot stat '{source}': {inv.strerror(e)}" if inv.gnu
                            else f"can't stat '{source}': {inv.strerror(e)}")
            status = 1
            continue
        if st.kind == "dir" and not recursive:
            await inv.error(f"-r not specified; omitting directory '{source}'" if inv.gnu
                            else f"omitting directory '{source}'")
            status = 1
            continue
        destination = _into(inv, source, target) if len(sources) > 1 or \
            inv.fs.exists(inv.path(target)) else inv.path(target)
        try:
            if flags.get("n") and inv.fs.exists(destination):
                continue
            _copy_tree(inv, full, destination)
        except FsError as e:
            await inv.error(f"cannot create regular file '{target}': {inv.strerror(e)}"
                            if inv.gnu else f"can't create '{target}': {inv.strerror(e)}")
            status = 1
    return status


@command("mv")
async def mv(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "fivnT", long={"force": "f"})
    if len(paths) < 2:
        raise _missing(inv, "[-fin] SOURCE DEST")
    *sources, target = paths
    status = 0
    for source in sources:
        full = inv.path(source)
        if not inv.fs.exists(full):
            await inv.error(f"cannot stat '{source}': No such file or directory" if inv.gnu
                            else f"can't stat '{source}': No such file or directory")
            status = 1
            continue
        try:
            inv.fs.rename(full, _into(inv, source, target))
        except FsError as e:
            await inv.error(f"cannot move '{source}' to '{target}': {inv.strerror(e)}"
                            if inv.gnu else f"can't rename '{source}': {inv.strerror(e)}")
            status = 1
    return status


@command("ln")
async def ln(inv: Invocation) -> int:
    flags, paths = parse_flags(inv, "sfnvT", long={"symbolic": "s", "force": "f"})
    if not paths:
        raise _missing(inv, "[-sfnbtv] TARGET... LINK|DIR")
    target = paths[0]
    link = paths[1] if len(paths) > 1 else target.rstrip("/").rsplit("/", 1)[-1]
    full = _into(inv, target, link)
    try:
        if flags.get("f") and inv.fs.exists(full):
            inv.fs.remove(full)
        if flags.get("s"):
            inv.fs.symlink(target, full)
        else:
            inv.fs.write(full, inv.fs.read(inv.path(target)))
    except FsError as e:
        kind = "symbolic link" if flags.get("s") else "hard link"
        await inv.error(f"failed to create {kind} '{link}': {inv.strerror(e)}" if inv.gnu
                        else f"{link}: {inv.strerror(e)}")
        return 1
    return 0


def _mode(spec: str, current: int, is_dir: bool) -> int | None:
    if spec.isdigit() and all(c in "01234567" for c in spec):
        return int(spec, 8)
    mode = current
    for clause in spec.split(","):
        who = ""
        i = 0
        while i < len(clause) and clause[i] in "ugoa":
            who += clause[i]
            i += 1
        if i >= len(clause) or clause[i] not in "+-=":
            return None
        op, perms = clause[i], clause[i + 1:]
        if not all(c in "rwxXst" for c in perms):
            return None
        who = who or "a"
        bits = 0
        for target, shift in (("u", 6), ("g", 3), ("o", 0)):
            if target in who or "a" in who:
                for c, value in (("r", 4), ("w", 2), ("x", 1)):
                    if c in perms or (c == "x" and "X" in perms and (is_dir or current & 0o111)):
                        bits |= value << shift
        if op == "+":
            mode |= bits
        elif op == "-":
            mode &= ~bits
        else:
            mask = sum(7 << s for t, s in (("u", 6), ("g", 3), ("o", 0)) if t in who or "a" in who)
            mode = (mode & ~mask) | bits
    return mode


@command("chmod")
async def chmod(inv: Invocation) -> int:
    args = [a for a in inv.args if a not in ("-R", "-v", "-f", "--")]
    if len(args) < 2:
        raise _missing(inv, "[-Rcvf] MODE[,MODE]... FILE...")
    spec, *paths = args
    status = 0
    for path in paths:
        full = inv.path(path)
        try:
            st = inv.fs.stat(full)
            mode = _mode(spec, st.mode, st.kind == "dir")
            if mode is None:
                raise UsageError(f"invalid mode: '{spec}'" if inv.gnu else f"invalid mode '{spec}'")
            inv.fs.chmod(full, mode)
        except FsError as e:
            await inv.error(f"cannot access '{path}': {inv.strerror(e)}" if inv.gnu
                            else f"{path}: {inv.strerror(e)}")
            status = 1
    return status


@command("chown", "chgrp")
async def chown(inv: Invocation) -> int:
    args = [a for a in inv.args if not a.startswith("-")]
    if len(args) < 2:
        raise _missing(inv, "[-Rh] USER[:[GRP]] FILE...")
    status = 0
    for path in args[1:]:
        if not inv.fs.exists(inv.path(path)):
            await inv.error(f"cannot access '{path}': No such file or directory" if inv.gnu
                            else f"{path}: No such file or directory")
            status = 1
    return status


@command("mktemp")
async def mktemp(inv: Invocation) -> int:
    flags, operands = parse_flags(inv, "dqup:t", long={"directory": "d"})
    template = operands[0] if operands else ("tmp.XXXXXXXXXX" if inv.gnu else "tmp.XXXXXX")
    base = flags.get("p") if isinstance(flags.get("p"), str) else "/tmp"
    assert isinstance(base, str)
    if "/" not in template:
        template = base.rstrip("/") + "/" + template
    rng = inv.process.clock.random
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    stem = template.rstrip("X")
    count = len(template) - len(stem)
    if count < 3:
        raise UsageError(f"too few X's in template '{template}'")
    path = stem + "".join(rng.choice(letters) for _ in range(count))
    try:
        if flags.get("d"):
            inv.fs.mkdir(inv.path(path), mode=0o700)
        else:
            inv.fs.write(inv.path(path), b"")
    except FsError as e:
        await inv.error(f"failed to create file via template '{template}': {inv.strerror(e)}")
        return 1
    await inv.write(path + "\n")
    return 0
