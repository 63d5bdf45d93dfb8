"""grep, on the shell's own linear-time regular expressions (so no pattern a learner
types can stall the simulator)."""

from __future__ import annotations

from typing import Callable

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError
from kitlib.sim.runtime.shell.commands.registry import command
from kitlib.sim.runtime.shell.regex import Regex, RegexError

Span = tuple[int, int]
Matcher = Callable[[str, int], "Span | None"]


def _matcher(patterns: list[str], *, extended: bool, fixed: bool, icase: bool,
             word: bool, line: bool) -> Matcher:
    """A search function over all ``patterns`` (leftmost match, longest on ties)."""
    searchers: list[Matcher] = []
    for pat in patterns:
        if fixed:
            needle = pat.lower() if icase else pat

            def find(text: str, start: int, needle: str = needle) -> Span | None:
                hay = text.lower() if icase else text
                if line:
                    return (0, len(text)) if hay == needle and start == 0 else None
                at = hay.find(needle, start)
                return (at, at + len(needle)) if at >= 0 else None
            searchers.append(find)
        else:
            regex = Regex(pat, extended=extended, icase=icase, whole_line=line)

            def search(text: str, start: int, regex: Regex = regex) -> Span | None:
                found = regex.search(text, start)
                return found[0] if found else None
            searchers.append(search)

    def best(text: str, start: int) -> Span | None:
        hits = [h for h in (s(text, start) for s in searchers) if h is not None]
        return min(hits, key=lambda h: (h[0], -h[1])) if hits else None

    if not word:
        return best

    def worded(text: str, start: int) -> Span | None:
        pos = start
        while pos <= len(text):
            hit = best(text, pos)
            if hit is None:
                return None
            a, b = hit
            before = text[a - 1] if a > 0 else ""
            after = text[b] if b < len(text) else ""
            if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
                return hit
            pos = a + 1
        return None
    return worded


@command("grep", "egrep", "fgrep")
async def grep(inv: Invocation) -> int:
    args = inv.args
    flags: set[str] = {"E"} if inv.name == "egrep" else {"F"} if inv.name == "fgrep" else set()
    patterns: list[str] = []
    context = {"A": 0, "B": 0}
    paths: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            paths.extend(args[i:])
            break
        if arg.startswith("--"):
            long = {"--ignore-case": "i", "--invert-match": "v", "--count": "c",
                    "--line-number": "n", "--quiet": "q", "--silent": "q", "--recursive": "r",
                    "--extended-regexp": "E", "--fixed-strings": "F", "--only-matching": "o",
                    "--word-regexp": "w", "--line-regexp": "x", "--files-with-matches": "l"}
            if arg in long:
                flags.add(long[arg])
            elif arg.startswith("--regexp="):
                patterns.append(arg.split("=", 1)[1])
            elif not arg.startswith(("--color", "--colour")):
                raise UsageError(f"unrecognized option '{arg}'", status=2)
            continue
        if arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                letter = arg[j]
                if letter in "eABCm":
                    value = arg[j + 1:] or (args[i] if i < len(args) else None)
                    if value is None:
                        raise UsageError(f"option requires an argument -- '{letter}'", status=2)
                    if not arg[j + 1:]:
                        i += 1
                    if letter == "e":
                        patterns.append(value)
                    elif letter == "C":
                        context["A"] = context["B"] = int(value)
                    elif letter in "AB":
                        context[letter] = int(value)
                    break
                if letter not in "ivcnlLqsEFGowxhHrRIaz":
                    raise UsageError(f"invalid option -- '{letter}'", status=2)
                flags.add(letter)
                j += 1
            continue
        if not patterns and "e_seen" not in flags:
            patterns.append(arg)
            flags.add("e_seen")
        else:
            paths.append(arg)
    flags.discard("e_seen")
    if not patterns:
        raise UsageError("usage: grep [OPTION]... PATTERNS [FILE]...", status=2)
    try:
        matcher = _matcher(patterns, extended="E" in flags, fixed="F" in flags,
                           icase="i" in flags, word="w" in flags, line="x" in flags)
    except RegexError as e:
        await inv.error(str(e))
        return 2
    recursive = bool({"r", "R"} & flags)
    targets = _expand_targets(inv, paths or (["."] if recursive else ["-"]), recursive)
    show_names = ("H" in flags or len(targets) > 1 or recursive) and "h" not in flags
    found_any = False
    status = 0
    for path in targets:
        try:
            data = await inv.read_input(path)
        except FsError as e:
            if "s" not in flags:
                await inv.error(f"{path}: {inv.strerror(e)}")
            status = 2
            continue
        name = "(standard input)" if path == "-" else path
        count = await _grep_one(inv, inv.decode(data), matcher, flags, context,
                                name if show_names else None)
        if count:
            found_any = True
            if "q" in flags:
                return 0
    if status == 2 and not ("q" in flags and found_any):
        return 2
    return 0 if found_any else 1


def _expand_targets(inv: Invocation, paths: list[str], recursive: bool) -> list[str]:
    if not recursive:
        return paths
    out: list[str] = []
    for path in paths:
        try:
            st = inv.stat(path)
        except FsError:
            out.append(path)
            continue
        if st.kind != "dir":
            out.append(path)
            continue
        for name in inv.fs.listdir(inv.path(path)):
            out.extend(_expand_targets(inv, [path.rstrip("/") + "/" + name], True))
    return out


async def _grep_one(inv: Invocation, text: str, matcher: Matcher, flags: set[str],
                    context: dict[str, int], name: str | None) -> int:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    invert = "v" in flags
    count = 0
    out: list[str] = []
    last_printed = -1
    after = 0
    prefix = (name + ":") if name else ""
    for number, line in enumerate(lines, 1):
        if number % 500 == 0:
            await inv.step()
        hit = matcher(line, 0) is not None
        if hit == invert:
            if after > 0 and not ({"c", "l", "L", "q", "o"} & flags):
                out.append(_prefixed(name, "-", number, line, flags))
                last_printed = number
                after -= 1
            continue
        count += 1
        if {"c", "l", "L", "q"} & flags:
            continue
        if context["B"]:
            first = max(number - context["B"], last_printed + 1, 1)
            if last_printed >= 0 and first > last_printed + 1:
                out.append("--\n")
            for k in range(first, number):
                out.append(_prefixed(name, "-", k, lines[k - 1], flags))
        elif context["A"] and last_printed >= 0 and number > last_printed + 1:
            out.append("--\n")
        if "o" in flags and not invert:
            pos = 0
            while (span := matcher(line, pos)) is not None:
                a, b = span
                if b > a:
                    out.append(prefix + (f"{number}:" if "n" in flags else "") + line[a:b] + "\n")
                pos = b if b > a else a + 1
                if pos > len(line):
                    break
        else:
            out.append(_prefixed(name, ":", number, line, flags))
        last_printed = number
        after = context["A"]
    if "c" in flags:
        out.append(prefix + str(count) + "\n")
    if "l" in flags and count:
        out.append((name or "(standard input)") + "\n")
    if "L" in flags and not count:
        out.append((name or "(standard input)") + "\n")
    if "q" not in flags:
        await inv.write("".join(out))
    return count


def _prefixed(name: str | None, sep: str, number: int, line: str, flags: set[str]) -> str:
    head = (name + sep) if name else ""
    if "n" in flags:
        head += f"{number}{sep}"
    return head + line + "\n"
