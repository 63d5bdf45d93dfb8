"""apk, the package tool of alpine images (``apk add curl``, ``apk add --no-cache
bind-tools``, ``apk update``).

Unlike apt, apk fetches the repositories' indexes by itself when it has none cached, so
``apk add`` works in a fresh container; ``apk update`` (or an ``apk add`` without
``--no-cache``) leaves them in ``/var/cache/apk/``.  The catalogue and what installing
does are ``packaging.py``'s; the mirror is a stand-in reached at a fixed simulated rate.
"""

from __future__ import annotations

import hashlib
from typing import Any

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands import packaging
from kitlib.sim.runtime.shell.commands.base import Invocation
from kitlib.sim.runtime.shell.commands.registry import command

CACHE = "/var/cache/apk"
INSTALLED = "/lib/apk/db/installed"
#: What fetching one APKINDEX.tar.gz costs.
INDEX_SIZE = 1_500_000


def _config() -> dict[str, Any]:
    config = packaging.catalogue()["apk"]
    assert isinstance(config, dict)
    return config


def _index_urls() -> list[tuple[str, str]]:
    """(repository, its APKINDEX url) for main and community."""
    config = _config()
    return [(f"{config['mirror']}/{config['release']}/{repo}",
             f"{config['mirror']}/{config['release']}/{repo}/x86_64/APKINDEX.tar.gz")
            for repo in config["repositories"]]


def _cache_file(url: str) -> str:
    return f"{CACHE}/APKINDEX.{hashlib.sha1(url.encode()).hexdigest()[:8]}.tar.gz"


async def _fetch(inv: Invocation, *, keep: bool, quiet: bool) -> None:
    """Fetch the indexes unless they are cached (and cache them when ``keep``)."""
    fs = inv.fs
    for _repo, url in _index_urls():
        if keep and fs.exists(_cache_file(url)):
            continue
        if not quiet:
            await inv.write(f"fetch {url}\n")
        await inv.process.sleep(packaging.seconds(INDEX_SIZE))
        if keep:
            fs.mkdir(CACHE, parents=True)
            fs.write(_cache_file(url), f"{url}\n".encode())


def _summary(inv: Invocation) -> str:
    config = _config()
    known = packaging.packages("apk")
    names = packaging.recorded(inv.fs, INSTALLED, "P:")
    count = int(config["base"]["packages"]) + len(names)
    size = int(config["base"]["size"]) + sum(known[n].size * 2 for n in names if n in known)
    return f"OK: {max(1, round(size / 1048576))} MiB in {count} packages\n"


async def _update(inv: Invocation, quiet: bool) -> int:
    config = _config()
    for _repo, url in _index_urls():
        try:
            inv.fs.remove(_cache_file(url))
        except FsError:
            pass
    await _fetch(inv, keep=True, quiet=quiet)
    if not quiet:
        for repo, _url in _index_urls():
            name = repo.rsplit("/", 1)[-1]
            await inv.write(f"{config['repositories'][name]} [{repo}]\n")
        await inv.write(f"OK: {config['available']} distinct packages available\n")
    return 0


async def _add(inv: Invocation, names: list[str], *, keep: bool, quiet: bool) -> int:
    fs = inv.fs
    known = packaging.packages("apk")
    await _fetch(inv, keep=keep, quiet=quiet)
    have = packaging.present(fs, known, packaging.recorded(fs, INSTALLED, "P:"))
    unknown = [n for n in names if n not in known and n not in have]
    if unknown:
        lines = ["ERROR: unable to select packages:"]
        for name in unknown:
            lines += [f"  {name} (no such package):", f"    required by: world[{name}]"]
        inv.stderr.write(("\n".join(lines) + "\n").encode())
        return 1
    todo = packaging.plan(names, known, have)
    triggers: list[str] = []
    for number, package in enumerate(todo, 1):
        await inv.process.sleep(packaging.seconds(package.size))
        if not quiet:
            await inv.write(f"({number}/{len(todo)}) Installing {package.name} "
                            f"({package.version})\n")
        packaging.install(fs, package)
        packaging.record(fs, INSTALLED, f"P:{package.name}\nV:{package.version}\nA:x86_64\n\n")
        if package.executables and _config()["trigger"] not in triggers:
            triggers.insert(0, _config()["trigger"])
        if package.trigger:
            triggers.append(package.trigger)
    if not quiet:
        for trigger in triggers:
            await inv.write(f"Executing {trigger}.trigger\n")
        await inv.write(_summary(inv))
    return 0


async def _delete(inv: Invocation, names: list[str], *, quiet: bool) -> int:
    fs = inv.fs
    known = packaging.packages("apk")
    recorded = packaging.recorded(fs, INSTALLED, "P:")
    going = [known[n] for n in names if n in recorded and n in known]
    for number, package in enumerate(going, 1):
        if not quiet:
            await inv.write(f"({number}/{len(going)}) Purging {package.name} "
                            f"({package.version})\n")
        packaging.uninstall(fs, package)
        packaging.forget(fs, INSTALLED, "P:", package.name)
    if not quiet:
        await inv.write(_summary(inv))
    return 0


@command("apk")
async def apk(inv: Invocation) -> int:
    args = list(inv.args)
    keep, quiet = True, False
    words: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "--no-cache":
            keep = False
        elif arg in ("-q", "--quiet"):
            quiet = True
        elif arg in ("-X", "--repository", "-t", "--virtual", "-p", "--root") and args:
            args.pop(0)
        elif not arg.startswith("-"):
            words.append(arg)
    if not words:
        await inv.write("apk-tools 2.14.4, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] "
                        "COMMAND [<ARGUMENTS>...]\n\nPackage installation and removal:\n"
                        "  add        Add or update constraints to WORLD and commit changes\n"
                        "  del        Remove constraints from WORLD and commit changes\n\n"
                        "Repository maintenance:\n  update     Update repository indexes\n")
        return 1
    operation, names = words[0], words[1:]
    if operation == "update":
        return await _update(inv, quiet)
    if operation == "add":
        if not names:
            return 0
        return await _add(inv, names, keep=keep, quiet=quiet)
    if operation == "del":
        return await _delete(inv, names, quiet=quiet)
    inv.stderr.write(f"apk: applet '{operation}' not found\n".encode())
    return 1
