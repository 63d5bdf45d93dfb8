"""Which shell, and which userland, a container's ``sh`` is.

Learners compare what they see with real clusters, and real images differ visibly:
busybox and alpine run busybox ``ash`` with busybox applets (``sh: foo: not found``,
``cat: can't open 'x': No such file or directory``); debian and ubuntu run ``dash`` as
``sh`` and ``bash`` as ``bash``, with GNU coreutils (``sh: 1: foo: not found``,
``bash: line 1: foo: command not found``, ``cat: x: No such file or directory``).  A
``Flavour`` names both, lists the commands the image has, and words the shell's own
messages.  The runtime picks one per image (``BUSYBOX``, ``DEBIAN``, ``debian(...)``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: Commands every flavour's command table implements (see ``commands/``).
_COMMON = frozenset("""
    [ basename cat chmod chown chgrp cp cut date dirname echo env expr false find grep egrep
    fgrep head hostname id kill ln ls md5sum mkdir mktemp mv printenv printf pwd readlink
    realpath rm rmdir sed seq sha1sum sha256sum sha512sum sleep sort stat tail tee test
    timeout touch tr true uname uniq wc whoami xargs yes sync awk base64 which clear du tac
    cksum
""".split())

#: What busybox (and alpine's busybox) offers on top: its network applets and ps.
BUSYBOX_COMMANDS = _COMMON | frozenset("sh ash wget nslookup nc ping ps hostname time".split())

#: What a debian or ubuntu base image has: coreutils, grep, sed, findutils, mawk, bash, apt.
DEBIAN_COMMANDS = _COMMON | frozenset("sh dash bash apt apt-get".split())

#: PS1 as each shell shows it to root (busybox's default, dash's, debian's .bashrc).
_PROMPTS = {"ash": "\\w \\$ ", "dash": "# ", "bash": "\\u@\\h:\\w\\$ "}


@dataclass(frozen=True)
class Flavour:
    #: ash (busybox), dash (debian's /bin/sh) or bash.
    shell: str = "ash"
    #: busybox or gnu: how commands word their errors and print their output.
    userland: str = "busybox"
    #: The commands the image has (names on $PATH).
    commands: frozenset[str] = BUSYBOX_COMMANDS
    #: Which shell each shell command name starts: ``{"sh": "dash", "bash": "bash"}``.
    shells: tuple[tuple[str, str], ...] = (("sh", "ash"), ("ash", "ash"))
    #: The operating system, as ``uname -a`` and /etc/os-release tell it.
    distro: str = "busybox"
    #: busybox 1.28 and older print nslookup as ``Address 1: IP NAME``.
    legacy_nslookup: bool = False
    #: The machine's kernel, as ``uname -r`` prints it.
    kernel: str = "6.8.0-1-generic"
    #: The node's CPUs (images.yaml ``system.cpus``): how many workers nginx starts.
    cpus: int = 8

    # --- variations -----------------------------------------------------------------

    def as_shell(self, name: str) -> Flavour | None:
        """The flavour of the shell that command ``name`` starts, or None if ``name`` is
        not a shell of this image."""
        for command, kind in self.shells:
            if command == name and command in self.commands:
                return replace(self, shell=kind)
        return None

    def with_commands(self, *names: str) -> Flavour:
        return replace(self, commands=self.commands | frozenset(names))

    def without_commands(self, *names: str) -> Flavour:
        return replace(self, commands=self.commands - frozenset(names))

    @property
    def gnu(self) -> bool:
        return self.userland == "gnu"

    @property
    def prompt(self) -> str:
        return _PROMPTS.get(self.shell, "# ")

    # --- the shell's own messages ----------------------------------------------------

    def prefix(self, arg0: str, *, line: int, interactive: bool, script: bool) -> str:
        """What a shell puts before its own error messages."""
        if self.shell == "dash":
            return f"{arg0}: {line}: "
        if self.shell == "bash":
            return f"{arg0}: " if interactive else f"{arg0}: line {line}: "
        return f"{arg0}: line {line}: " if script else f"{arg0}: "

    def not_found(self, name: str) -> str:
        if self.shell == "bash":
            return f"{name}: No such file or directory" if "/" in name \
                else f"{name}: command not found"
        return f"{name}: not found"

    def cannot_create(self, path: str, errno_name: str, text: str) -> str:
        """A failed ``> file`` redirection."""
        if self.shell == "bash":
            return f"{path}: {text}"
        missing = errno_name in ("ENOENT", "ENOTDIR")
        if self.shell == "dash":
            return f"cannot create {path}: " + ("Directory nonexistent" if missing else text)
        return f"can't create {path}: " + ("nonexistent directory" if missing else text)

    def cannot_open(self, path: str, errno_name: str, text: str) -> str:
        """A failed ``< file`` redirection."""
        if self.shell == "bash":
            return f"{path}: {text}"
        missing = errno_name in ("ENOENT", "ENOTDIR")
        if self.shell == "dash":
            return f"cannot open {path}: " + ("No such file" if missing else text)
        return f"can't open {path}: " + ("no such file" if missing else text)

    @property
    def redirect_status(self) -> int:
        return 1 if self.shell == "bash" else 2


BUSYBOX = Flavour()
ALPINE = Flavour(distro="alpine", commands=BUSYBOX_COMMANDS | {"apk"})
DEBIAN = Flavour(shell="dash", userland="gnu", commands=DEBIAN_COMMANDS,
                 shells=(("sh", "dash"), ("dash", "dash"), ("bash", "bash")),
                 distro="debian")
UBUNTU = replace(DEBIAN, distro="ubuntu")


def debian(*, shell: str = "dash", extra: tuple[str, ...] = (), distro: str = "debian") -> Flavour:
    """A debian-based image's flavour (``shell="bash"`` for its ``bash``), with ``extra``
    commands its image adds (nginx's and curl images' ``curl``, redis's ``redis-cli``)."""
    return replace(DEBIAN, shell=shell, distro=distro).with_commands(*extra)


def for_shell_name(name: str) -> Flavour:
    """A sensible flavour when only the program's name is known."""
    base = name.rsplit("/", 1)[-1]
    if base == "bash":
        return replace(DEBIAN, shell="bash")
    if base == "dash":
        return DEBIAN
    return BUSYBOX
