"""apt-get and apt, the package tools of debian and ubuntu images.

Learners follow the tutorials' ``apt-get update && apt-get install -y procps curl`` in
``nginx`` and ``redis`` pods, and must see what a real cluster shows: the mirrors' Get:
and Hit: lines, the NEW packages, the dpkg steps, the question without ``-y``, and
``E: Unable to locate package procps`` when they skipped ``apt-get update`` (a fresh
image's package lists are empty: ``/var/lib/apt/lists/`` is where update leaves them).
The catalogue and what installing does are ``packaging.py``'s; the mirror is a stand-in
reached at a fixed simulated rate.  As apt does, the progress lines end in ``... Done``
only on a terminal, and ``apt`` warns that its interface is not stable when its output
is not one.
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands import packaging
from kitlib.sim.runtime.shell.commands.base import Invocation
from kitlib.sim.runtime.shell.commands.packaging import Package, apt_size
from kitlib.sim.runtime.shell.commands.registry import command

LISTS = "/var/lib/apt/lists"
STATUS = "/var/lib/dpkg/status"
WARNING = "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n"
_READING = ("Reading package lists", "Building dependency tree", "Reading state information")
_FLAGS = {"-y": "yes", "--yes": "yes", "--assume-yes": "yes", "-q": "quiet", "--quiet": "quiet",
          "-qq": "silent", "--no-install-recommends": "norecommends",
          "--install-recommends": "recommends"}


class _Apt:
    def __init__(self, inv: Invocation, options: set[str]) -> None:
        self.inv = inv
        self.options = options
        self.distro: dict[str, Any] = packaging.catalogue()["apt"]["distros"].get(
            inv.flavour.distro) or packaging.catalogue()["apt"]["distros"]["debian"]
        self.known = packaging.packages("apt", inv.flavour.distro)
        self.tty = inv.stdout.isatty

    async def say(self, text: str) -> None:
        if "silent" not in self.options:
            await self.inv.write(text + "\n")

    async def fail(self, text: str) -> int:
        self.inv.stderr.write(f"E: {text}\n".encode())
        return 100

    async def reading(self, steps: tuple[str, ...] = _READING) -> None:
        for step in steps:
            await self.say(step + ("... Done" if self.tty else "..."))

    def updated(self) -> bool:
        try:
            return any(name.endswith("_Packages") for name in self.inv.fs.listdir(LISTS))
        except FsError:
            return False

    def present(self) -> set[str]:
        return packaging.present(self.inv.fs, self.known,
                                 packaging.recorded(self.inv.fs, STATUS, "Package: "))

    async def sleep(self, size: int) -> None:
        await self.inv.process.sleep(packaging.seconds(size))

    # --- update -----------------------------------------------------------------------

    async def update(self) -> int:
        fs = self.inv.fs
        fetched = self.updated()
        total = 0
        for number, index in enumerate(self.distro["indexes"], 1):
            name, size = str(index["name"]), int(index["size"])
            if fetched:
                if name.endswith("InRelease"):
                    await self.say(f"Hit:{number} {name}")
                continue
            await self.sleep(size)
            total += size
            await self.say(f"Get:{number} {name} [{apt_size(size)}]")
            fs.mkdir(LISTS + "/partial", parents=True)
            fs.write(f"{LISTS}/{_list_file(name)}", f"{name}\n".encode())
        if total:
            await self.say(f"Fetched {apt_size(total)} in {int(packaging.seconds(total))}s "
                           f"({apt_size(packaging.MIRROR_RATE)}/s)")
        await self.reading(_READING[:1])
        if self.inv.name == "apt":
            await self.reading(_READING[1:])
            await self.say("All packages are up to date.")
        return 0

    # --- install ----------------------------------------------------------------------

    async def install(self, names: list[str]) -> int:
        await self.reading()
        have = self.present()
        updated = self.updated()
        missing = [n for n in names if n not in have and (not updated or n not in self.known)]
        if missing:
            for name in missing:
                await self.fail(f"Unable to locate package {name}")
            return 100
        wanted = [n for n in dict.fromkeys(names) if n not in have]
        todo = packaging.plan(wanted, self.known, have,
                              recommends="norecommends" not in self.options)
        for name in dict.fromkeys(names):
            if name in have and name in self.known:
                await self.say(f"{name} is already the newest version "
                               f"({self.known[name].version}).")
        extra = sorted(p.name for p in todo if p.name not in wanted)
        if extra:
            await self.say("The following additional packages will be installed:")
            await self.say(_columns(extra))
        if todo:
            await self.say("The following NEW packages will be installed:")
            await self.say(_columns(sorted(p.name for p in todo)))
        await self.say(f"0 upgraded, {len(todo)} newly installed, 0 to remove and "
                       "0 not upgraded.")
        if not todo:
            return 0
        size = sum(p.size for p in todo)
        await self.say(f"Need to get {apt_size(size)} of archives.")
        await self.say(f"After this operation, {apt_size(size * 3)} of additional disk "
                       "space will be used.")
        if extra and not await self.confirm():
            return 1
        for number, package in enumerate(todo, 1):
            await self.sleep(package.size)
            pool = self.distro["pools"].get(package.pool) or self.distro["pools"]["main"]
            await self.say(f"Get:{number} {pool} amd64 {package.name} {package.arch} "
                           f"{package.version} [{apt_size(package.size)}]")
        self.inv.stderr.write(b"debconf: delaying package configuration, since apt-utils "
                              b"is not installed\n")
        await self.say(f"Fetched {apt_size(size)} in {int(packaging.seconds(size))}s "
                       f"({apt_size(packaging.MIRROR_RATE)}/s)")
        await self.unpack(todo)
        return 0

    async def confirm(self) -> bool:
        if "yes" in self.options:
            return True
        await self.inv.write("Do you want to continue? [Y/n] ")
        answer = (await self.inv.stdin.readline()).decode("utf-8", "replace")
        if answer and answer.strip().lower() in ("", "y", "yes"):
            return True
        await self.inv.write("Abort.\n")
        return False

    async def unpack(self, todo: list[Package]) -> None:
        fs = self.inv.fs
        width = len(str(len(todo) - 1))
        database = int(self.distro["database"]) + 10 * len(
            packaging.recorded(fs, STATUS, "Package: "))
        for number, package in enumerate(todo):
            await self.say(f"Selecting previously unselected package {_dpkg_name(package)}.")
            if number == 0:
                await self.say(f"(Reading database ... {database} files and directories "
                               "currently installed.)")
            prefix = f"{number:0{width}d}-" if len(todo) > 1 else ""
            archive = f"{package.name}_{package.version.replace(':', '%3a')}_{package.arch}.deb"
            await self.say(f"Preparing to unpack .../{prefix}{archive} ...")
            await self.say(f"Unpacking {_dpkg_name(package)} ({package.version}) ...")
            packaging.install(fs, package)
            packaging.record(fs, STATUS, f"Package: {package.name}\nStatus: install ok "
                                         f"installed\nArchitecture: {package.arch}\n"
                                         f"Version: {package.version}\n\n")
        for package in todo:
            await self.say(f"Setting up {_dpkg_name(package)} ({package.version}) ...")
        if any(p.name.startswith("lib") for p in todo):
            await self.say(f"Processing triggers for libc-bin ({self.distro['libc']}) ...")

    # --- remove -----------------------------------------------------------------------

    async def remove(self, names: list[str]) -> int:
        await self.reading()
        recorded = packaging.recorded(self.inv.fs, STATUS, "Package: ")
        have = self.present()
        unknown = [n for n in names if n not in have and n not in self.known]
        if unknown:
            return await self.fail(f"Unable to locate package {unknown[0]}")
        going = [self.known[n] for n in dict.fromkeys(names) if n in recorded]
        for name in names:
            if name not in have:
                await self.say(f"Package '{name}' is not installed, so not removed")
        if going:
            await self.say("The following packages will be REMOVED:")
            await self.say(_columns(sorted(p.name for p in going)))
        await self.say(f"0 upgraded, 0 newly installed, {len(going)} to remove and "
                       "0 not upgraded.")
        if not going:
            return 0
        await self.say(f"After this operation, {apt_size(sum(p.size for p in going) * 3)} "
                       "disk space will be freed.")
        if not await self.confirm():
            return 1
        await self.say(f"(Reading database ... {self.distro['database']} files and "
                       "directories currently installed.)")
        for package in going:
            await self.say(f"Removing {package.name} ({package.version}) ...")
            packaging.uninstall(self.inv.fs, package)
            packaging.forget(self.inv.fs, STATUS, "Package: ", package.name)
        return 0


def _list_file(index: str) -> str:
    """Where apt keeps an index: ``deb.debian.org_debian_dists_bookworm_InRelease``."""
    url, _, rest = index.partition(" ")
    words = rest.split()
    suite = words[0].replace("/", "_")
    kind = words[-1] if len(words) > 1 else ""
    arch = f"_binary-{words[1]}" if len(words) > 2 else ""
    return f"{url.split('://', 1)[-1].replace('/', '_')}_dists_{suite}{arch}_{kind}"


def _dpkg_name(package: Package) -> str:
    """Multi-arch libraries are named with their architecture (``libproc2-0:amd64``)."""
    return f"{package.name}:amd64" if package.name.startswith("lib") and \
        package.arch != "all" else package.name


def _columns(names: list[str], width: int = 80) -> str:
    lines, line = [], " "
    for name in names:
        if len(line) + 1 + len(name) >= width and line.strip():
            lines.append(line)
            line = " "
        line += " " + name
    lines.append(line)
    return "\n".join(lines)


@command("apt-get", "apt")
async def apt_get(inv: Invocation) -> int:
    options: set[str] = set()
    words: list[str] = []
    args = list(inv.args)
    while args:
        arg = args.pop(0)
        if arg in ("-o", "-c", "-t", "--option", "--target-release") and args:
            args.pop(0)
        elif arg in _FLAGS:
            options.add(_FLAGS[arg])
        elif arg.startswith("--") or arg in ("-f", "-m", "-s", "-d", "-V"):
            continue                     # --fix-broken, --no-install-suggests, ...: no effect
        elif arg.startswith("-") and len(arg) > 1:
            bad = next((c for c in arg[1:] if c not in "yqfmsdV"), "")
            if bad:
                inv.stderr.write(f"E: Command line option '{bad}' [from {arg}] is not "
                                 "known.\n".encode())
                return 100
            options.update(_FLAGS.get(f"-{c}", "") for c in arg[1:])
        else:
            words.append(arg)
    if inv.name == "apt" and not inv.stdout.isatty:
        inv.stderr.write(WARNING.encode())
    apt = _Apt(inv, options)
    if not words:
        await inv.write(f"apt {apt.distro['apt']} (amd64)\nUsage: {inv.name} [options] "
                        "command\n\nMost used commands:\n  update - Retrieve new lists of "
                        "packages\n  install - Install new packages (pkg is libc6 not "
                        "libc6.deb)\n  remove - Remove packages\n")
        return 1
    operation, names = words[0], [w.split("=", 1)[0] for w in words[1:]]
    if operation == "update":
        return await apt.update()
    if operation in ("install", "reinstall"):
        return await apt.install(names)
    if operation in ("remove", "purge", "autoremove"):
        return await apt.remove(names)
    if operation in ("upgrade", "dist-upgrade", "full-upgrade"):
        await apt.reading()
        await apt.say("Calculating upgrade" + ("... Done" if apt.tty else "..."))
        await apt.say("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")
        return 0
    if operation in ("clean", "autoclean", "check"):
        return 0
    return await apt.fail(f"Invalid operation {operation}")
