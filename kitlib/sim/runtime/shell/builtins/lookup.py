"""Builtins about where things are: cd, type, command, hash, alias."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.builtins.registry import REGULAR, SPECIAL, out, quote, regular
from kitlib.sim.runtime.shell.commands import SHELL_BUILTINS
from kitlib.sim.runtime.shell.redirects import strerror

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

KEYWORDS = frozenset("if then else elif fi do done case esac while until for in { } ! [[ ]]"
                     .split())


@regular("cd", "chdir")
async def cd(shell: Shell, argv: list[str]) -> int:
    args = [a for a in argv[1:] if a not in ("-L", "-P", "--")]
    target = args[0] if args else shell.get("HOME") or "/"
    echo = False
    if target == "-":
        target = shell.get("OLDPWD") or shell.cwd
        echo = True
    path = shell.abspath(target)
    try:
        st = shell.process.fs.stat(path)
        if st.kind != "dir":
            raise FsError("ENOTDIR", path)
    except FsError as e:
        flavour = shell.flavour.shell
        if flavour == "bash":
            shell.report(f"cd: {target}: {strerror(e)}")
            return 1
        if flavour == "dash":
            shell.report(f"cd: can't cd to {target}")
            return 2
        shell.report(f"cd: can't cd to {target}: {strerror(e)}")
        return 2
    shell.vars["OLDPWD"] = shell.cwd
    shell.cwd = path
    shell.vars["PWD"] = path
    if echo:
        out(shell, path + "\n")
    return 0


def describe(shell: Shell, name: str) -> tuple[str, str] | None:
    """(kind, where) for ``type`` and ``command -v``: keyword, function, special builtin,
    builtin, file (where = its path)."""
    if name in KEYWORDS:
        return "keyword", name
    if name in shell.functions:
        return "function", name
    if name in SPECIAL and not (name == "source" and shell.flavour.shell == "dash"):
        return "special", name
    if name in REGULAR or name in SHELL_BUILTINS:
        return "builtin", name
    kind, target = shell.find_command(name)
    if kind in ("command", "shell"):
        return "file", name if "/" in name else program_path(shell, name)
    if kind == "script":
        return "file", target
    found, program = shell.find_program([name])
    if found == "program":
        resolved = program[1][0] if program[1] else name
        return "file", resolved if resolved.startswith("/") else program_path(shell, name)
    if kind == "unsupported":
        return "file", program_path(shell, name)
    return None


def program_path(shell: Shell, name: str) -> str:
    """Where the image keeps its program ``name``."""
    if shell.flavour.userland == "busybox":
        return "/bin/" + name
    sbin = {"nologin", "ip", "ss"}
    return ("/usr/sbin/" if name in sbin else "/usr/bin/") + name


@regular("type")
async def type_(shell: Shell, argv: list[str]) -> int:
    status = 0
    for name in argv[1:]:
        found = describe(shell, name)
        bash = shell.flavour.shell == "bash"
        if found is None:
            if bash:
                shell.report(f"type: {name}: not found")
            else:
                out(shell, f"{name}: not found\n")
            status = 1
            continue
        kind, where = found
        text = {"keyword": f"{name} is a shell keyword",
                "function": f"{name} is a function" if bash or shell.flavour.shell == "dash"
                else f"{name} is a function",
                "special": f"{name} is a special shell builtin" if not bash
                else f"{name} is a shell builtin",
                "builtin": f"{name} is a shell builtin",
                "file": f"{name} is {where}"}[kind]
        out(shell, text + "\n")
    return status


@regular("command")
async def command(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    verbose = brief = False
    while args and args[0].startswith("-") and args[0] != "-":
        flag = args.pop(0)
        if flag == "--":
            break
        verbose = verbose or "V" in flag
        brief = brief or "v" in flag
    if not args:
        return 0
    if brief or verbose:
        status = 0
        for name in args:
            found = describe(shell, name)
            if found is None:
                if verbose:
                    shell.report(f"command: {name}: not found")
                status = 1
                continue
            kind, where = found
            out(shell, (where if kind == "file" else name) + "\n" if brief else
                f"{name} is {where}\n" if kind == "file" else f"{name} is a shell {kind}\n")
        return status
    saved = shell.functions
    shell.functions = {}
    try:
        return await shell.execute(args, [], shell.fds)
    finally:
        saved.update({k: v for k, v in shell.functions.items()})
        shell.functions = saved


@regular("hash")
async def hash_(shell: Shell, argv: list[str]) -> int:
    return 0


@regular("alias", "unalias")
async def alias(shell: Shell, argv: list[str]) -> int:
    table = shell.aliases
    if argv[0] == "unalias":
        for name in argv[1:]:
            if name == "-a":
                table.clear()
            else:
                table.pop(name, None)
        return 0
    if len(argv) == 1:
        for name, value in sorted(table.items()):
            out(shell, f"alias {name}={quote(value)}\n" if shell.flavour.shell == "bash"
                else f"{name}={quote(value)}\n")
        return 0
    status = 0
    for arg in argv[1:]:
        name, eq, value = arg.partition("=")
        if eq:
            table[name] = value
        elif name in table:
            out(shell, f"{name}={quote(table[name])}\n")
        else:
            shell.report(f"alias: {name}: not found")
            status = 1
    return status
