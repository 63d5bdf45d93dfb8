"""The kit home: where the background simulator keeps its state, kubeconfig, pid and log.

``kit up`` and the notebooks beside it must find the same cluster without being told
where it is, so every well-known path is derived here from one directory: ``~/.kit`` or,
when set, ``$KIT_HOME`` (tests point it at a temporary directory).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The environment variable that relocates the kit home.
KIT_HOME_ENV = "KIT_HOME"


@dataclass(frozen=True, kw_only=True)
class KitHome:
    root: Path

    @property
    def state(self) -> Path:
        """The SQLite file that holds the cluster's objects between runs."""
        return self.root / "state.db"

    @property
    def kubeconfig(self) -> Path:
        """The kubeconfig ``kit up`` writes (context ``kit``)."""
        return self.root / "kubeconfig"

    @property
    def pid_file(self) -> Path:
        """The background simulator's process id, written by ``kit up``."""
        return self.root / "kit.pid"

    @property
    def daemon_file(self) -> Path:
        """What the background simulator serves (URL, options, start time), once it answers."""
        return self.root / "daemon.json"

    @property
    def log_file(self) -> Path:
        """The background simulator's output."""
        return self.root / "kit.log"

    def ensure(self) -> None:
        """Create the kit home, private to its user (it holds a token and the cluster)."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    @property
    def lock_file(self) -> Path:
        """Held by ``kit up``, ``down`` and ``reset`` while they work."""
        return self.root / "kit.lock"

    def state_files(self) -> list[Path]:
        """The state file and SQLite's write-ahead log beside it."""
        return [self.state, Path(f"{self.state}-wal"), Path(f"{self.state}-shm")]


def kit_home(*, environ: dict[str, str] | None = None) -> KitHome:
    """The kit home for this process: ``$KIT_HOME`` or ``~/.kit``."""
    env = os.environ if environ is None else environ
    configured = env.get(KIT_HOME_ENV, "").strip()
    root = Path(configured).expanduser() if configured else Path.home() / ".kit"
    return KitHome(root=root.absolute())
