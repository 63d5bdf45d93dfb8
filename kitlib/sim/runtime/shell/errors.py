"""The shell's control flow and failures, as exceptions.

A real shell unwinds with longjmp when a script says ``exit``, ``return`` or ``break``, or
when something fails hard (a syntax error, ``set -e``); the interpreter here unwinds with
these exceptions, and each is caught by the construct that real shells stop at.
"""

from __future__ import annotations


class ShellSyntaxError(Exception):
    """A script that does not parse.  ``kind`` says what went wrong, so each flavour can
    word it as its shell does:

    - ``token``: an unexpected token (``token`` holds it, ``"done"``);
    - ``eof``: the input ended inside a construct (``expecting`` names its end, ``"fi"``);
    - ``quote``: an unterminated quote (``token`` holds the quote character);
    - ``subst``: a bad ``${...}`` substitution (``token`` holds its text).

    ``incomplete`` is true when more input could fix it (an interactive shell then asks
    for another line with PS2).
    """

    def __init__(self, kind: str, *, token: str = "", expecting: str = "", line: int = 1,
                 incomplete: bool = False, opener: str = "", opener_line: int = 0,
                 source_line: str = "") -> None:
        super().__init__(f"{kind}: {token or expecting}")
        self.kind = kind
        self.token = token
        self.expecting = expecting
        self.line = line
        self.incomplete = incomplete
        self.opener = opener              # the construct the input ended in (bash: `if')
        self.opener_line = opener_line
        self.source_line = source_line    # the text of the offending line (bash quotes it)


class ExitShell(Exception):
    """``exit``, ``set -e`` or a fatal error: the (sub)shell ends with ``status``."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class ReturnFromFunction(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class LoopControl(Exception):
    """``break N`` or ``continue N``: unwinds ``levels`` enclosing loops."""

    def __init__(self, levels: int, *, again: bool) -> None:
        super().__init__(levels)
        self.levels = levels
        self.again = again                # continue (True) or break (False)


class ShellError(Exception):
    """An error a shell reports and recovers from (a bad substitution at run time, an
    unset variable under ``set -u``): the message is printed, the command fails with
    ``status``, and a non-interactive shell exits when ``fatal``."""

    def __init__(self, message: str, *, status: int = 2, fatal: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.fatal = fatal


class AbortCommand(Exception):
    """An interactive shell's fatal error: the rest of the command line is abandoned
    (the message was printed already) and the prompt comes back."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class BrokenPipe(Exception):
    """A write to a pipe whose reader has gone (the writer dies of SIGPIPE)."""


class Interrupted(Exception):
    """Ctrl-C on the terminal while a command reads from it (SIGINT)."""


class ExecNotFound(Exception):
    """``kubectl exec`` of a program the image does not have: the message is the text
    runc gives, for the runtime to wrap in its CRI error."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
