"""What a container's process will do, judged from its command line, without running it.

The provisional runtime does not execute anything: it reads the command (``sleep 30``,
``sh -c "echo hi; exit 3"``, the image's own server) and predicts the obvious: how long
the process runs, its exit code, and whether it honours SIGTERM.  Whatever it cannot
judge (an unknown program, a ``while`` loop, an ``if``) it honestly treats as "runs until
stopped", the way a real long-running process looks from outside.  The container-runtime
issue replaces this with a sandboxed shell that really interprets the script.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from kitlib.sim.runtime.catalogue import ImageInfo

FOREVER: float | None = None

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
#: Commands that do their work and return 0 at once.
INSTANT = frozenset("""
    echo printf printenv env date hostname cat ls touch mkdir rm rmdir cp mv ln chmod chown
    wget curl nslookup dig host test [ set export unset cd sync head wc tee grep id whoami
    uname pwd mount umount df du free ps basename dirname seq expr stat find sed awk tr cut
    sort uniq xargs true : mktemp readlink realpath nproc cksum md5sum sha256sum base64 tar
    gzip gunzip source . shift local read
""".split())
_SLEEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SLEEP = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_CONTROL = frozenset({"while", "until", "if", "case", "select", "function"})


@dataclass(frozen=True)
class ProcessPlan:
    """The predicted life of a container's main process."""

    runs_for: float | None = FOREVER    # seconds until it exits by itself; None: never
    exit_code: int = 0
    on_sigterm: str = "default"         # graceful (exit 0) | default (143) | ignore
    start_error: str = ""               # runc's message when the executable is missing


def _argv(command: tuple[str, ...], args: tuple[str, ...],
          image: ImageInfo | None) -> tuple[tuple[str, ...], bool]:
    """The process's argv, and whether it is the image's own default process."""
    entrypoint = image.entrypoint if image else ()
    default_cmd = image.cmd if image else ()
    if command:
        argv = command + args
    elif args:
        argv = entrypoint + args
    else:
        argv = entrypoint + default_cmd
    is_default = argv == entrypoint + default_cmd
    if image and image.wrapper and argv[:len(entrypoint)] == entrypoint and \
            len(argv) > len(entrypoint):
        argv = argv[len(entrypoint):]           # docker-entrypoint.sh execs its arguments
    return argv, is_default


def _basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _sleep_seconds(words: list[str]) -> float | None:
    total = 0.0
    for word in words[1:]:
        if word in ("infinity", "inf"):
            return FOREVER
        match = _SLEEP.fullmatch(word)
        if match:
            total += float(match.group(1)) * _SLEEP_UNITS[match.group(2) or "s"]
    return total


def _simple(words: list[str]) -> tuple[float | None, int, bool]:
    """(seconds it takes, exit status, whether it ends the process) of one command."""
    if not words:
        return 0.0, 0, False
    name = _basename(words[0])
    if name == "exec":
        duration, status, _ = _simple(words[1:])
        return duration, status, True
    if name == "exit":
        code = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
        return 0.0, code % 256, True
    if name == "false":
        return 0.0, 1, False
    if name == "sleep":
        return _sleep_seconds(words), 0, False
    if name == "tail" and any(w in ("-f", "-F") or w.startswith("--follow") for w in words):
        return FOREVER, 0, False
    if name == "ping" and "-c" not in words:
        return FOREVER, 0, False
    if name in SHELLS and "-c" in words:
        index = words.index("-c")
        script = words[index + 1] if index + 1 < len(words) else ""
        duration, status = _script(script)
        return duration, status, False
    if name in INSTANT or name in SHELLS:
        return 0.0, 0, False
    return FOREVER, 0, False                    # unknown or a server: runs until stopped


def _statements(script: str) -> list[tuple[str, list[str]]] | None:
    """(connector before it, words) for each simple command; None if it is not judgeable."""
    lexer = shlex.shlex(script.replace("\n", " ; "), posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:
        return None
    out: list[tuple[str, list[str]]] = []
    connector, words = ";", []
    for token in tokens:
        if token in (";", "&&", "||", "&", "|", ";;"):
            if words:
                out.append((connector, words))
            connector, words = token, []
        else:
            words.append(token)
    if words:
        out.append((connector, words))
    return out


def _script(script: str) -> tuple[float | None, int]:
    """Run time and exit status of ``sh -c SCRIPT``, or FOREVER if it cannot be judged."""
    statements = _statements(script)
    if statements is None or any(w and w[0] in _CONTROL for _, w in statements):
        return FOREVER, 0
    if any(w and w[0] == "for" for _, w in statements):
        return FOREVER, 0
    elapsed, status = 0.0, 0
    following = [c for c, _ in statements[1:]] + [";"]
    for (connector, words), after in zip(statements, following):
        if words[0] in ("do", "done", "then", "fi", "trap"):
            continue
        if connector == "&&" and status != 0 or connector == "||" and status == 0:
            continue
        if after == "&":
            continue                            # sent to the background: the shell goes on
        duration, status_now, ends = _simple(words)
        if duration is FOREVER:
            return FOREVER, 0
        elapsed += duration
        status = status_now
        if ends:
            break
    return elapsed, status


def _traps_sigterm(script: str) -> bool:
    return bool(re.search(r"\btrap\b[^;\n]*\b(TERM|SIGTERM|15)\b", script))


def plan_process(*, command: tuple[str, ...], args: tuple[str, ...], image: ImageInfo | None,
                 interactive: bool = False) -> ProcessPlan:
    """Predict what the container's process does.  ``interactive``: stdin or tty is open."""
    argv, is_default = _argv(command, args, image)
    if image and image.executables and argv and argv[0] not in image.executables:
        return ProcessPlan(runs_for=0.0, exit_code=128, start_error=(
            "failed to create containerd task: failed to create shim task: OCI runtime create "
            "failed: runc create failed: unable to start container process: error during "
            f'container init: exec: "{argv[0]}": executable file not found in $PATH: unknown'))
    if image and is_default:
        if image.process == "shell" and not interactive:
            return ProcessPlan(runs_for=0.0, exit_code=0, on_sigterm="ignore")
        return ProcessPlan(runs_for=FOREVER, on_sigterm=image.stop if image.process == "server"
                           else "ignore")
    if not argv:
        return ProcessPlan(runs_for=FOREVER)
    name = _basename(argv[0])
    if name in SHELLS:
        if "-c" not in argv:
            # A shell with nothing to read exits; with a terminal attached it waits.
            return ProcessPlan(runs_for=FOREVER if interactive else 0.0, on_sigterm="ignore")
        script = argv[argv.index("-c") + 1] if argv.index("-c") + 1 < len(argv) else ""
        runs_for, code = _script(script)
        return ProcessPlan(runs_for=runs_for, exit_code=code,
                           on_sigterm="graceful" if _traps_sigterm(script) else "ignore")
    runs_for, code, _ = _simple(list(argv))
    if name == "sleep" or name == "tail":
        return ProcessPlan(runs_for=runs_for, exit_code=code, on_sigterm="ignore")
    if runs_for is FOREVER and image and image.process == "server":
        return ProcessPlan(runs_for=FOREVER, on_sigterm=image.stop)
    return ProcessPlan(runs_for=runs_for, exit_code=code)
