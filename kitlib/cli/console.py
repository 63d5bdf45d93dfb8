"""Terminal output for ``kit``: one place that decides colour, and the one-line error.

Every failure a user can cause (a busy port, a second daemon, a bad argument) ends as a
single ``kit: ...`` line on stderr and a non-zero exit code, never a traceback; it is red
on a terminal and plain text otherwise, so scripts and tests can compare strings.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

# rich is imported when something is printed, not when ``kit`` starts: ``kit serve``
# prints nothing before its API answers, and importing rich costs tens of milliseconds.

#: Exit codes.  3 for "not running" follows the LSB convention for ``status`` commands.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_NOT_RUNNING = 3


class KitError(Exception):
    """A failure to report as one line, with the exit code to leave with."""

    def __init__(self, message: str, *, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def console(*, stderr: bool = False, file: TextIO | None = None) -> Console:
    """A rich console that colours only a terminal and never wraps a line it is given."""
    from rich.console import Console

    stream = file if file is not None else (sys.stderr if stderr else sys.stdout)
    out = Console(file=stream, highlight=False, soft_wrap=True)
    if not out.is_terminal:
        out.width = 200         # a file or a pipe has no width: never fold a path in two
    return out


def say(message: str, *, file: TextIO | None = None) -> None:
    """One plain line on stdout (flushed: a parent process may be waiting for it)."""
    from rich.text import Text

    console(file=file).print(Text(message))
    (file or sys.stdout).flush()


def report(error: KitError, *, file: TextIO | None = None) -> None:
    """The one-line error, red on a terminal."""
    from rich.text import Text

    console(stderr=True, file=file).print(Text(f"kit: {error.message}", style="red"))
    (file or sys.stderr).flush()
