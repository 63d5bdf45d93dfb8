"""Containers' filesystems: in memory, per container, with the pod's shared volumes."""

from kitlib.sim.runtime.fs.api import STRERROR, FileSystem, FsError, Stat

__all__ = ["FileSystem", "FsError", "Stat", "STRERROR"]
