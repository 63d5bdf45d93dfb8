"""Opening files for commands and applying ``<``, ``>``, ``2>&1``, here-documents.

The few device files scripts use (/dev/null, /dev/zero, /dev/urandom, /dev/stdout,
/dev/stderr, /dev/tty, /dev/fd/N) are the shell's own streams; every other path is a file
in the container's FileSystem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

from kitlib.sim.runtime.fs.api import STRERROR, FsError
from kitlib.sim.runtime.shell.errors import ShellError
from kitlib.sim.runtime.shell.nodes import Redirect
from kitlib.sim.runtime.shell.streams import (BytesReader, EndlessReader, FileSink, NullSink,
                                              Reader, Sink)

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

Stream = Union[Reader, Sink]
FdTable = dict[int, Stream]
DEVICES = frozenset({"/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/stdin",
                     "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/full"})
_MORE_ERRORS = {"ENXIO": "No such device or address", "EBADF": "Bad file descriptor",
                "ENOEXEC": "Exec format error", "EPERM": "Operation not permitted"}


def strerror(error: FsError | str) -> str:
    name = error if isinstance(error, str) else error.errno_name
    return STRERROR.get(name) or _MORE_ERRORS.get(name, name)


def is_device(path: str) -> bool:
    return path in DEVICES or path.startswith(("/dev/fd/", "/proc/self/fd/"))


def _fd_of(path: str) -> int | None:
    for prefix, fd in (("/dev/stdin", 0), ("/dev/stdout", 1), ("/dev/stderr", 2)):
        if path == prefix:
            return fd
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        if path.startswith(prefix) and path[len(prefix):].isdigit():
            return int(path[len(prefix):])
    return None


def open_read(shell: Shell, path: str, fds: FdTable | None = None) -> Reader:
    """A reader for the absolute ``path`` (raises FsError)."""
    fds = shell.fds if fds is None else fds
    if path in ("/dev/null", "/dev/full"):
        return BytesReader(b"")
    if path == "/dev/zero":
        return EndlessReader(lambda n: bytes(n))
    if path in ("/dev/random", "/dev/urandom"):
        rng = shell.process.clock.random
        return EndlessReader(rng.randbytes)
    if path == "/dev/tty":
        terminal = shell.process.terminal
        if terminal is None:
            raise FsError("ENXIO", path)
        return terminal.reader
    fd = _fd_of(path)
    if fd is not None:
        stream = fds.get(fd)
        if not isinstance(stream, Reader):
            raise FsError("EBADF" if stream is None else "EACCES", path)
        return stream
    return BytesReader(shell.process.fs.read(path))


def open_write(shell: Shell, path: str, *, append: bool, fds: FdTable | None = None) -> Sink:
    """A sink for the absolute ``path``, truncated unless ``append`` (raises FsError)."""
    fds = shell.fds if fds is None else fds
    if path in ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom"):
        return NullSink()
    if path == "/dev/full":
        raise FsError("ENOSPC", path)
    if path == "/dev/tty":
        terminal = shell.process.terminal
        if terminal is None:
            raise FsError("ENXIO", path)
        return terminal.sink
    fd = _fd_of(path)
    if fd is not None:
        stream = fds.get(fd)
        if not isinstance(stream, Sink):
            raise FsError("EBADF", path)
        return stream
    fs = shell.process.fs
    if append:
        fs.write(path, b"", append=True)
    else:
        fs.write(path, b"")
    return FileSink(fs, path)


async def apply(shell: Shell, redirects: list[Redirect], fds: FdTable) -> FdTable:
    """A copy of ``fds`` with ``redirects`` applied (raises ShellError, not fatal)."""
    out = dict(fds)
    for r in redirects:
        op = r.op
        if op in ("<<", "<<-"):
            assert r.heredoc is not None and r.heredoc.body is not None
            text = await shell.expander.word(r.heredoc.body)
            out[0 if r.fd is None else r.fd] = BytesReader(shell.encode(text))
            continue
        assert r.target is not None
        target = await shell.expander.word(r.target)
        if op == "<<<":
            out[0 if r.fd is None else r.fd] = BytesReader(shell.encode(target + "\n"))
            continue
        if op in (">&", "<&"):
            default = 1 if op == ">&" else 0
            fd = default if r.fd is None else r.fd
            if target == "-":
                out.pop(fd, None)
                continue
            if target.isdigit():
                source = out.get(int(target))
                if source is None:
                    raise shell.fail(f"{target}: Bad file descriptor", status=1, fatal=False)
                out[fd] = source
                continue
            if op == "<&" or r.fd is not None or shell.flavour.shell == "dash":
                raise shell.fail(f"{target}: ambiguous redirect" if shell.flavour.shell == "bash"
                                 else f"{target}: Bad file descriptor", status=1, fatal=False)
            op = "&>"                                # >&file: both streams to the file
        path = shell.abspath(target)
        try:
            if op in ("<", "<>"):
                if op == "<>" and not is_device(path) and not shell.process.fs.exists(path):
                    shell.process.fs.write(path, b"")
                out[0 if r.fd is None else r.fd] = open_read(shell, path, out)
            elif op in ("&>", "&>>"):
                sink = open_write(shell, path, append=op == "&>>", fds=out)
                out[1] = out[2] = sink
            else:
                if op == ">" and "C" in shell.options and not is_device(path) and \
                        shell.process.fs.exists(path):
                    raise shell.fail(_noclobber(shell, target), status=1, fatal=False)
                out[1 if r.fd is None else r.fd] = open_write(shell, path, append=op == ">>",
                                                              fds=out)
        except FsError as e:
            flavour = shell.flavour
            if op in ("<", "<>"):
                message = flavour.cannot_open(target, e.errno_name, strerror(e))
            else:
                message = flavour.cannot_create(target, e.errno_name, strerror(e))
            raise shell.fail(message, status=flavour.redirect_status, fatal=False) from None
    return out


def _noclobber(shell: Shell, target: str) -> str:
    if shell.flavour.shell == "bash":
        return f"{target}: cannot overwrite existing file"
    if shell.flavour.shell == "dash":
        return f"cannot create {target}: File exists"
    return f"can't create {target}: File exists"
