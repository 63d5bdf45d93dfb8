"""Builtins that manage variables and options: export, readonly, unset, set, local,
declare, let."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitlib.sim.runtime.shell import arith, messages
from kitlib.sim.runtime.shell.builtins.registry import is_name, out, quote, regular, special

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

# --- variables ------------------------------------------------------------------------


@special("export", "readonly")
async def export(shell: Shell, argv: list[str]) -> int:
    command = argv[0]
    names = [a for a in argv[1:] if a not in ("-p", "-n", "--")]
    if not names:
        chosen = shell.exported if command == "export" else shell.readonly
        for name in sorted(chosen):
            value = shell.vars.get(name)
            if shell.flavour.shell == "bash":
                flag = "-x" if command == "export" else "-r"
                shown = "" if value is None else '="' + value.replace("\\", "\\\\").replace(
                    '"', '\\"').replace("$", "\\$") + '"'
                out(shell, f"declare {flag} {name}{shown}\n")
            else:
                shown = "" if value is None else "=" + quote(value)
                out(shell, f"{command} {name}{shown}\n")
        return 0
    status = 0
    for arg in names:
        name, eq, value = arg.partition("=")
        if not is_name(name):
            if shell.flavour.shell == "bash":
                shell.report(f"{command}: `{arg}': not a valid identifier")
                status = 1
                continue
            raise shell.fail(f"{command}: {name}: bad variable name", status=2)
        if eq:
            shell.assign(name, value)
        if command == "export":
            shell.exported.add(name)
        else:
            shell.readonly.add(name)
    return status


@special("unset")
async def unset(shell: Shell, argv: list[str]) -> int:
    functions = "-f" in argv[1:]
    for name in argv[1:]:
        if name in ("-f", "-v"):
            continue
        if functions:
            shell.functions.pop(name, None)
            continue
        if not is_name(name):
            if shell.flavour.shell == "bash":
                shell.report(f"unset: `{name}': not a valid identifier")
                return 1
            raise shell.fail(f"unset: {name}: bad variable name", status=2)
        if name not in shell.vars and name in shell.functions:
            shell.functions.pop(name)
        shell.unset(name)
    return 0


_OPTION_NAMES = {"errexit": "e", "noglob": "f", "nounset": "u", "xtrace": "x", "verbose": "v",
                 "noclobber": "C", "allexport": "a", "noexec": "n", "notify": "b",
                 "pipefail": "pipefail", "monitor": "m"}


@special("set")
async def set_(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if not args:
        for name in sorted(shell.vars):
            out(shell, f"{name}={quote(shell.vars[name])}\n")
        return 0
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            shell.positional = args[i + 1:]
            return 0
        if arg in ("-o", "+o"):
            if i + 1 >= len(args):
                for long, letter in sorted(_OPTION_NAMES.items()):
                    state = "on" if letter in shell.options else "off"
                    out(shell, f"{long:<15} {state}\n" if shell.flavour.shell == "bash"
                        else f"{long:<16}{state}\n")
                return 0
            letter = _OPTION_NAMES.get(args[i + 1])
            if letter is None:
                raise shell.fail(f"set: {args[i + 1]}: invalid option name" if
                                 shell.flavour.shell == "bash" else
                                 f"set: Illegal option -o {args[i + 1]}", status=2)
            (shell.options.add if arg == "-o" else shell.options.discard)(letter)
            i += 2
            continue
        if arg[:1] in ("-", "+") and len(arg) > 1:
            on = arg[0] == "-"
            for letter in arg[1:]:
                if letter not in "efuxvCabnm":
                    raise shell.fail(f"set: -{letter}: invalid option" if
                                     shell.flavour.shell == "bash" else
                                     f"set: Illegal option -{letter}", status=2)
                (shell.options.add if on else shell.options.discard)(letter)
            i += 1
            continue
        shell.positional = args[i:]
        return 0
    return 0


@regular("local")
async def local(shell: Shell, argv: list[str]) -> int:
    if not shell.locals:
        if shell.flavour.shell == "bash":
            shell.report("local: can only be used in a function")
            return 1
        raise shell.fail("local: not in a function", status=2)
    frame = shell.locals[-1]
    for arg in argv[1:]:
        if arg.startswith("-"):
            continue
        name, eq, value = arg.partition("=")
        if name not in frame:
            frame[name] = (shell.vars.get(name), name in shell.exported)
        if eq:
            shell.assign(name, value)
        elif name not in shell.vars and shell.flavour.shell != "bash":
            pass
    return 0


@regular("declare", "typeset")
async def declare(shell: Shell, argv: list[str]) -> int:
    if shell.flavour.shell != "bash":
        shell.report(shell.flavour.not_found(argv[0]))
        return 127
    flags = "".join(a[1:] for a in argv[1:] if a.startswith("-"))
    names = [a for a in argv[1:] if not a.startswith("-")]
    if not names or "p" in flags:
        return await export(shell, ["export"])
    for arg in names:
        name, eq, value = arg.partition("=")
        if shell.locals and name not in shell.locals[-1]:
            shell.locals[-1][name] = (shell.vars.get(name), name in shell.exported)
        if eq:
            if "i" in flags:
                value = str(await _arith(shell, value))
            shell.assign(name, value)
        if "x" in flags:
            shell.exported.add(name)
        if "r" in flags:
            shell.readonly.add(name)
    return 0


async def _arith(shell: Shell, text: str) -> int:
    try:
        return arith.evaluate(text, lambda n: shell.get(n) or "",
                              lambda n, v: shell.assign(n, v))
    except arith.ArithError as e:
        raise shell.fail(messages.arithmetic(shell.flavour.shell, e), status=1) from None


@regular("let")
async def let(shell: Shell, argv: list[str]) -> int:
    if shell.flavour.shell == "dash":
        shell.report(shell.flavour.not_found("let"))
        return 127
    value = 0
    for expr in argv[1:]:
        value = await _arith(shell, expr)
    return 0 if value else 1


