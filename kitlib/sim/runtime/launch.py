"""What a command line runs, found the way execve and runc find it.

The first word is looked up through ``$PATH`` in the container's own filesystem (or taken
as a path when it has a slash); the file found decides what runs: a simulated executable
names its program, a script names its interpreter (``#!/bin/sh``), a script the image
ships stands for one of its programs while nobody changed it (nginx's
``/docker-entrypoint.sh``).  When nothing is found the error is runc's, word for word:
``exec: "foo": executable file not found in $PATH``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from kitlib.sim.runtime.catalogue import ImageInfo
from kitlib.sim.runtime.fs.api import FileSystem, FsError
from kitlib.sim.runtime.images import ImageRoot, program_in
from kitlib.sim.runtime.process import ProcessContext, Program

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MAX_INTERPRETERS = 4


class ExecError(FsError):
    """A command that cannot run; ``detail`` is runc's text (``exec: "x": ...``)."""

    def __init__(self, errno_name: str, path: str, detail: str) -> None:
        super().__init__(errno_name, path)
        self.detail = detail


def container_argv(info: ImageInfo | None, command: Sequence[str],
                   args: Sequence[str]) -> list[str]:
    """The process a container runs: ``command`` replaces the image's entrypoint (and
    drops its cmd), ``args`` replace the cmd."""
    if command:
        return [*command, *args]
    entrypoint = list(info.entrypoint) if info else []
    return entrypoint + (list(args) if args else list(info.cmd) if info else [])


@dataclass
class Installed:
    """What a program knows of the image it was installed from."""

    info: ImageInfo | None
    root: ImageRoot
    launcher: Launcher
    system: dict[str, object]

    @property
    def version(self) -> str:
        return self.root.version


ProgramFactory = Callable[[Installed], Program]


class Launcher:
    """Finds and makes the programs of one image's containers."""

    def __init__(self, *, info: ImageInfo | None, root: ImageRoot,
                 programs: dict[str, ProgramFactory], system: dict[str, object]) -> None:
        self.installed = Installed(info=info, root=root, launcher=self, system=system)
        self.programs = programs
        #: Programs made so far, by name: a program keeps its state in its run, not in
        #: the function, so every container of the image runs the same one.
        self._made: dict[str, Program] = {}
        #: ``find`` as one bound method, shared by every process context of the image.
        self.finder = self.find

    def lookup(self, fs: FileSystem, name: str, *, path: str, cwd: str = "/") -> str:
        """The file ``name`` means: a path, or the first executable of that name in PATH."""
        if not name:
            raise ExecError("ENOENT", name, 'exec: "": executable file not found in $PATH')
        if "/" in name:
            where = name if name.startswith("/") else f"{cwd.rstrip('/')}/{name}"
            try:
                stat = fs.stat(where)
            except FsError:
                raise ExecError("ENOENT", where, f'exec: "{name}": stat {name}: '
                                "no such file or directory") from None
            if stat.kind != "file" or not stat.mode & 0o111:
                raise ExecError("EACCES", where, f'exec: "{name}": permission denied')
            return where
        for directory in (path or DEFAULT_PATH).split(":"):
            candidate = f"{(directory or cwd).rstrip('/')}/{name}"
            try:
                stat = fs.stat(candidate)
            except FsError:
                continue
            if stat.kind == "file" and stat.mode & 0o111:
                return candidate
        raise ExecError("ENOENT", name, f'exec: "{name}": executable file not found in $PATH')

    def find(self, argv: list[str], ctx: ProcessContext) -> tuple[Program, list[str]]:
        """The ProgramFinder of ``ProcessContext.find_program``."""
        path = self.lookup(ctx.fs, argv[0] if argv else "",
                           path=ctx.env.get("PATH", DEFAULT_PATH), cwd=ctx.cwd)
        return self.open(ctx.fs, path, list(argv))

    def open(self, fs: FileSystem, path: str, argv: list[str],
             depth: int = 0) -> tuple[Program, list[str]]:
        data = fs.read(path)
        real = getattr(fs, "realpath", lambda p: p)(path)
        script = self.installed.root.scripts.get(real)
        if script is not None and data == script[1]:
            return self.make(script[0]), argv
        name = program_in(data)
        if name is not None:
            return self.make(name), argv
        if data.startswith(b"#!") and depth < MAX_INTERPRETERS:
            line = data[2:].split(b"\n", 1)[0].decode("utf-8", "replace").strip()
            interpreter, _, option = line.partition(" ")
            if not interpreter.startswith("/"):
                raise ExecError("ENOENT", path, f'exec: "{argv[0]}": no such file or directory')
            try:
                stat = fs.stat(interpreter)
            except FsError:
                raise ExecError("ENOENT", interpreter,
                                f'exec: "{argv[0]}": no such file or directory') from None
            if stat.kind != "file":
                raise ExecError("EACCES", interpreter, f'exec: "{argv[0]}": permission denied')
            new_argv = [interpreter, *([option.strip()] if option.strip() else []), path,
                        *argv[1:]]
            return self.open(fs, interpreter, new_argv, depth + 1)
        raise ExecError("ENOEXEC", path, f'exec: "{argv[0]}": exec format error')

    def make(self, name: str) -> Program:
        program = self._made.get(name)
        if program is None:
            factory = self.programs.get(name) or self.programs["predicted"]
            program = self._made[name] = factory(self.installed)
        return program
