"""A sandboxed POSIX shell for simulated containers: it interprets, it never executes.

``sh -c 'while true; do echo hello; sleep 10; done'``, ``kubectl exec -it POD -- sh`` and
``kubectl exec POD -- ls /`` run here, against the container's in-memory FileSystem, the
pod's simulated network and the simulator's clock.  Scripts are parsed into a syntax tree
(``parser``), expanded (``expand``) and walked (``interpreter``); commands come from a
table (``commands/``) whose messages follow the image's userland (busybox or GNU).  A
``Flavour`` says which shell (busybox ash, dash, bash) and which commands an image has.

Nothing escapes: there is no ``open``, ``eval``, ``exec`` or subprocess here, every loop
iteration and command counts against ``Limits.steps``, and every byte written against
``Limits.output``.
"""

from __future__ import annotations

from kitlib.sim.runtime.shell.commands import COMMANDS
from kitlib.sim.runtime.shell.errors import ExecNotFound
from kitlib.sim.runtime.shell.flavour import (ALPINE, BUSYBOX, BUSYBOX_COMMANDS, DEBIAN,
                                              DEBIAN_COMMANDS, UBUNTU, Flavour, debian,
                                              for_shell_name)
from kitlib.sim.runtime.shell.program import (command_program, run_command, run_shell,
                                              shell_program)

__all__ = ["ALPINE", "BUSYBOX", "BUSYBOX_COMMANDS", "COMMANDS", "DEBIAN", "DEBIAN_COMMANDS",
           "ExecNotFound", "Flavour", "UBUNTU", "command_program", "debian", "for_shell_name",
           "run_command", "run_shell", "shell_program"]
