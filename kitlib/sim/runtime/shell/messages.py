"""The texts of errors the shell itself reports, per shell (ash, dash, bash).

The prefix (``sh: ``, ``sh: 1: ``, ``bash: line 1: ``) is the interpreter's; these are the
words after it, as each shell prints them.
"""

from __future__ import annotations

from kitlib.sim.runtime.shell.arith import ArithError
from kitlib.sim.runtime.shell.errors import ShellSyntaxError


def unset_parameter(shell: str, name: str) -> str:
    return f"{name}: unbound variable" if shell == "bash" else f"{name}: parameter not set"


def null_parameter(shell: str, name: str, message: str, *, colon: bool) -> str:
    if message:
        return f"{name}: {message}"
    if shell == "bash":
        return f"{name}: parameter null or not set"
    return f"{name}: parameter not set" + (" or null" if colon else "")


def bad_substitution(shell: str, text: str) -> str:
    if shell == "bash":
        return f"{text}: bad substitution"
    return "Bad substitution" if shell == "dash" else "syntax error: bad substitution"


def arithmetic(shell: str, error: ArithError) -> str:
    expr = error.expr.strip()
    if shell == "bash":
        if error.kind == "divzero":
            return f"{expr}: division by 0 (error token is \"{error.token}\")"
        if error.kind == "exponent":
            return f"{expr}: exponent less than 0 (error token is \"{error.token}\")"
        if error.kind == "recursion":
            return f"{expr}: expression recursion level exceeded"
        token = error.token or ""
        what = "operand expected" if not token or token in "+-*/%" else "syntax error in expression"
        return f"{expr}: syntax error: {what} (error token is \"{token}\")"
    if shell == "dash":
        if error.kind == "divzero":
            return f"arithmetic expression: division by zero: \"{expr}\""
        return f"arithmetic expression: expecting primary: \"{expr}\""
    if error.kind == "divzero":
        return "divide by zero"
    return "arithmetic syntax error"


def syntax(shell: str, error: ShellSyntaxError, *, arg0: str, where: str,
           script: bool = False) -> list[str]:
    """The lines a syntax error prints (whole lines, with the prefix), per shell.

    ``where`` is the bash-style location (``-c``, a script name, or "" interactively);
    ``script``: ash names the line when it runs a script file.
    """
    line = error.line
    if error.kind == "depth":
        text = "nesting too deep for the simulator"
        if shell == "bash":
            return [f"{arg0}: {where}: line {line}: syntax error: {text}"]
        return [f"{arg0}: {line}: Syntax error: {text}" if shell == "dash"
                else f"{arg0}: syntax error: {text}"]
    if shell == "bash":
        head = f"{arg0}: {where}: line {line}: " if where else f"{arg0}: "
        if error.kind == "quote":
            return [f"{head}unexpected EOF while looking for matching `{error.token}'"]
        if error.kind == "eof":
            return [f"{head}syntax error: unexpected end of file"]
        lines = [f"{head}syntax error near unexpected token `{error.token}'"]
        if error.source_line:
            lines.append(f"{head}`{error.source_line}'")
        return lines
    if shell == "dash":
        head = f"{arg0}: {line}: Syntax error: "
        if error.kind == "quote":
            return [head + "Unterminated quoted string"]
        if error.kind == "eof":
            expecting = f" (expecting \"{error.expecting}\")" if error.expecting else ""
            return [head + "end of file unexpected" + expecting]
        token = error.token if error.token in ("newline", "end of file") else f"\"{error.token}\""
        return [head + f"{token} unexpected"]
    head = f"{arg0}: line {line}: syntax error: " if script else f"{arg0}: syntax error: "
    if error.kind == "quote":
        return [head + "unterminated quoted string"]
    if error.kind == "eof":
        expecting = f" (expecting \"{error.expecting}\")" if error.expecting else ""
        return [head + "unexpected end of file" + expecting]
    token = error.token if error.token in ("newline", "end of file") else f"\"{error.token}\""
    return [head + f"unexpected {token}"]
