"""The programs a simulated container can run, one module per family."""

from __future__ import annotations

from kitlib.sim.runtime.shell.commands import (apk, apt, awk, fileops, files,  # noqa: F401
                                               grep, listing, net, netdiag, observe, sed,
                                               system, text, tools)
from kitlib.sim.runtime.shell.commands.base import CommandFn, Invocation, run_invocation
from kitlib.sim.runtime.shell.commands.registry import COMMANDS, SHELL_BUILTINS

__all__ = ["COMMANDS", "SHELL_BUILTINS", "CommandFn", "Invocation", "run_invocation"]
