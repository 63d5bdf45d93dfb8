"""The shell's own commands: those that change the shell itself (cd, exit, set, export,
read, trap, ...).  Special builtins (POSIX's list) keep their variable assignments and
stop a non-interactive shell when they fail; regular ones are found after functions.
"""

from __future__ import annotations

from kitlib.sim.runtime.shell.builtins import control, input, lookup, jobs, variables  # noqa: F401
from kitlib.sim.runtime.shell.builtins.registry import REGULAR, SPECIAL

__all__ = ["REGULAR", "SPECIAL"]
