"""The programs a simulated container can run, one module per family."""

from __future__ import annotations

from kitlib.sim.runtime.shell.commands import (awk, fileops, files, grep,  # noqa: F401
                                               listing, net, netdiag, sed, system, text,
                                               tools)
from kitlib.sim.runtime.shell.commands.base import CommandFn, Invocation, run_invocation
from kitlib.sim.runtime.shell.commands.registry import COMMANDS, SHELL_BUILTINS

__all__ = ["COMMANDS", "SHELL_BUILTINS", "CommandFn", "Invocation", "run_invocation"]
