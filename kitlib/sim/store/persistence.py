"""SQLite persistence: every acknowledged write is in the file before the response leaves.

Writes are grouped: all the writes made in one turn of the event loop go into one
transaction (a group commit), and their callers are answered only after it commits.  In WAL
mode with ``synchronous=NORMAL`` a committed transaction survives the process being killed
(``kill -9``); it is not fsynced on every commit, so a power cut may lose the last moments.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    resource  TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    rv        INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (resource, namespace, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Write:
    resource: str
    namespace: str
    name: str
    rv: int
    data: bytes | None        # None deletes the row


class Persistence:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        try:
            os.chmod(self.path, 0o600)
        except OSError:
            pass

    def load(self) -> tuple[int, Iterator[tuple[str, bytes]]]:
        """The last resourceVersion and every stored (resource, object JSON)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='rv'").fetchone()
        rv = int(row[0]) if row else 0
        rows = self.db.execute("SELECT resource, data FROM objects ORDER BY rv")
        return rv, ((resource, bytes(data)) for resource, data in rows)

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def commit(self, writes: list[Write], rv: int) -> None:
        """Apply ``writes`` and the new resourceVersion in one transaction."""
        cur = self.db.cursor()
        cur.execute("BEGIN")
        try:
            upserts = [(w.resource, w.namespace, w.name, w.rv, w.data)
                       for w in writes if w.data is not None]
            if upserts:
                cur.executemany("INSERT OR REPLACE INTO objects(resource, namespace, name, rv, data)"
                                " VALUES (?, ?, ?, ?, ?)", upserts)
            deletes = [(w.resource, w.namespace, w.name) for w in writes if w.data is None]
            if deletes:
                cur.executemany("DELETE FROM objects WHERE resource=? AND namespace=? AND name=?",
                                deletes)
            cur.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('rv', ?)", (str(rv),))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def wipe(self) -> None:
        self.db.execute("DELETE FROM objects")
        self.db.execute("DELETE FROM meta")

    def close(self) -> None:
        self.db.close()
