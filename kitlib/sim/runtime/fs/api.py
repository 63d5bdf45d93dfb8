"""What a container's filesystem offers: the contract between the runtime and the programs
(the shell, nginx, ...) that run inside a simulated container.

Every path is a path *inside the container*: absolute, resolved within the container's own
tree (``..`` stops at its root, symlinks point inside it).  No operation ever reaches the
host's filesystem: the files live in memory, built from the image's data and the pod's
volumes.  Errors carry the errno name a real program would print
(``cat: can't open '/nope': No such file or directory``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

#: errno names and the text C's strerror gives them, as busybox and coreutils print them.
STRERROR = {
    "ENOENT": "No such file or directory",
    "EEXIST": "File exists",
    "EISDIR": "Is a directory",
    "ENOTDIR": "Not a directory",
    "ENOTEMPTY": "Directory not empty",
    "EACCES": "Permission denied",
    "EROFS": "Read-only file system",
    "ENOSPC": "No space left on device",
    "EINVAL": "Invalid argument",
    "ELOOP": "Symbolic link loop",
    "EBUSY": "Resource busy",
    "EXDEV": "Invalid cross-device link",
    "EPERM": "Operation not permitted",
    "ENOEXEC": "Exec format error",
}


class FsError(OSError):
    """A failed filesystem call: ``errno_name`` (ENOENT, ...) and the path it concerned."""

    def __init__(self, errno_name: str, path: str) -> None:
        super().__init__(f"{path}: {STRERROR.get(errno_name, errno_name)}")
        self.errno_name = errno_name
        self.path = path

    @property
    def strerror_text(self) -> str:
        return STRERROR.get(self.errno_name, self.errno_name)


@dataclass(frozen=True)
class Stat:
    kind: str                 # "file", "dir", "symlink"
    size: int
    mode: int                 # permission bits, e.g. 0o644
    mtime: float              # simulated seconds since the epoch
    target: str = ""          # for symlinks


class FileSystem(Protocol):
    """One container's view: the image's root, its writable layer, and its mounts."""

    def read(self, path: str) -> bytes: ...

    def write(self, path: str, data: bytes, *, append: bool = False) -> None:
        """Create or replace (or append to) a regular file; its directory must exist."""

    def listdir(self, path: str) -> list[str]:
        """Entry names, sorted."""

    def stat(self, path: str, *, follow: bool = True) -> Stat: ...

    def exists(self, path: str) -> bool: ...

    def mkdir(self, path: str, *, parents: bool = False, mode: int = 0o755) -> None: ...

    def remove(self, path: str, *, recursive: bool = False) -> None: ...

    def rename(self, source: str, target: str) -> None: ...

    def symlink(self, target: str, path: str) -> None: ...

    def chmod(self, path: str, mode: int) -> None: ...
