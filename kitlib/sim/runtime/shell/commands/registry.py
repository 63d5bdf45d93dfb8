"""The command table: every program the simulated images can run, by name."""

from __future__ import annotations

from typing import Callable

from kitlib.sim.runtime.shell.commands.base import CommandFn

COMMANDS: dict[str, CommandFn] = {}

#: Commands every shell runs itself (so they exist even where the image lacks the file).
SHELL_BUILTINS = frozenset({"echo", "printf", "test", "[", "true", "false", "pwd", "kill"})


def command(*names: str) -> Callable[[CommandFn], CommandFn]:
    def register(fn: CommandFn) -> CommandFn:
        for name in names:
            COMMANDS[name] = fn
        return fn
    return register
