"""Kubeconfig files: written atomically, private, and merged into a user's own like kind does.

The file holds the simulator's bearer token, so it is always mode 0600 and replaced in one
``rename`` (a reader never sees half a file).  When it already holds other clusters (a
user's ``~/.kube/config``), only the entries named like ours are replaced, the rest are
kept in order, and ``current-context`` switches to ours, as ``kind create cluster`` does;
writers take client-go's ``<file>.lock`` so kubectl and kind do not write at the same time.
"""

from __future__ import annotations

import base64
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kitlib.cli.console import KitError

Config = dict[str, Any]
_SECTIONS = (("clusters", "cluster"), ("users", "user"), ("contexts", "context"))
_LOCK_ATTEMPTS = 5          # client-go and kind retry a held lock five times, 100ms apart


def empty() -> Config:
    return {"apiVersion": "v1", "kind": "Config", "preferences": {}, "clusters": [],
            "users": [], "contexts": [], "current-context": ""}


def read(path: Path) -> Config:
    """The kubeconfig at ``path``; an empty one if the file is missing or blank."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty()
    except OSError as exc:
        raise KitError(f"cannot read the kubeconfig {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KitError(f"{path} is not a kubeconfig (invalid YAML: {_first_line(exc)}); "
                       "choose another file with --kubeconfig") from None
    if data is None:
        return empty()
    if not isinstance(data, dict) or any(
            not isinstance(data.get(key) or [], list) for key, _ in _SECTIONS):
        raise KitError(f"{path} is not a kubeconfig; choose another file with --kubeconfig")
    return data


def merge(existing: Config, ours: Config) -> Config:
    """``existing`` with our clusters, users and contexts put in place of same-named ones."""
    merged = dict(existing)
    for section, _ in _SECTIONS:
        entries = list(merged.get(section) or [])
        for entry in ours.get(section) or []:
            names = [e.get("name") if isinstance(e, dict) else None for e in entries]
            if entry["name"] in names:
                entries[names.index(entry["name"])] = entry
            else:
                entries.append(entry)
        merged[section] = entries
    merged["current-context"] = ours["current-context"]
    # Some clients insist on these two, so a file without them gets ours (kind does too).
    merged.setdefault("apiVersion", ours.get("apiVersion", "v1"))
    merged.setdefault("kind", ours.get("kind", "Config"))
    return merged


def check_writable(path: Path) -> None:
    """Fail now, before a cluster is started, if ``path`` cannot be (re)written or merged."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise KitError(f"cannot write the kubeconfig {path}: it is a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KitError(f"cannot write the kubeconfig {path}: {exc.strerror}") from None
    if not os.access(target.parent, os.W_OK | os.X_OK) or (
            target.exists() and not os.access(target, os.W_OK)):
        raise KitError(f"cannot write the kubeconfig {path}: permission denied")
    read(target)


def write(path: Path, config: Config) -> None:
    """Replace ``path`` with ``config`` in one rename, mode 0600, creating parent dirs."""
    target = Path(os.path.realpath(path))      # keep a symlinked ~/.kube/config a symlink
    text = yaml.safe_dump(config, default_flow_style=False, sort_keys=False)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise KitError(f"cannot write the kubeconfig {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            os.fchmod(stream.fileno(), 0o600)
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise KitError(f"cannot write the kubeconfig {path}: {exc.strerror}") from None


def merge_into(path: Path, ours: Config) -> None:
    """Merge ``ours`` into the kubeconfig at ``path`` (created if missing), under its lock."""
    target = Path(os.path.realpath(path))
    lock = Path(f"{target}.lock")
    target.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(_LOCK_ATTEMPTS):
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            break
        except FileExistsError:
            if attempt == _LOCK_ATTEMPTS - 1:
                raise KitError(f"the kubeconfig {path} is locked by another program "
                               f"({lock} exists); remove that file if nothing is writing it"
                               ) from None
            time.sleep(0.1)
        except OSError as exc:
            raise KitError(f"cannot write the kubeconfig {path}: {exc.strerror}") from None
    try:
        write(target, merge(read(target), ours))
    finally:
        lock.unlink(missing_ok=True)


@dataclass(frozen=True, kw_only=True)
class Credentials:
    server: str
    token: str
    ca_pem: bytes | None        # None: the system's CAs (or plain HTTP)


def credentials(path: Path, *, context: str = "kit") -> Credentials:
    """The server, bearer token and CA that ``context`` in the kubeconfig at ``path`` uses."""
    config = read(path)

    def named(section: str, name: object) -> dict[str, Any]:
        for entry in config.get(section) or []:
            if isinstance(entry, dict) and entry.get("name") == name:
                return entry
        raise KitError(f"the kubeconfig {path} has no {section[:-1]} {name!r} "
                       f"(context {context!r}); run 'kit up' again to rewrite it")

    ctx = named("contexts", context).get("context") or {}
    cluster = named("clusters", ctx.get("cluster")).get("cluster") or {}
    token = (named("users", ctx.get("user")).get("user") or {}).get("token")
    if not cluster.get("server") or not token:
        raise KitError(f"the kubeconfig {path} has no server or token for context {context!r}")
    return Credentials(server=str(cluster["server"]), token=str(token),
                       ca_pem=_ca_pem(cluster, path=path))


def _ca_pem(cluster: dict[str, Any], *, path: Path) -> bytes | None:
    """The cluster's CA, inline (``certificate-authority-data``) or in a file."""
    try:
        if cluster.get("certificate-authority-data"):
            return base64.b64decode(cluster["certificate-authority-data"], validate=True)
        if cluster.get("certificate-authority"):
            return (path.parent / str(cluster["certificate-authority"])).read_bytes()
    except (OSError, ValueError) as exc:
        raise KitError(f"the kubeconfig {path} has an unreadable certificate authority: "
                       f"{exc}") from None
    return None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
