"""POSIX regular expressions (basic and extended) for grep, sed, expr and ``[[ =~ ]]``.

Python's ``re`` backtracks, and a learner's ``grep -E '(a*)*b'`` could then stall the
whole simulator.  This engine compiles a pattern to a small program and runs it as a
Pike VM: every position of the text is visited once per instruction, so matching is
linear in the text whatever the pattern.  Matches are leftmost-longest, as POSIX says.
Back-references are not supported (they are not regular).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kitlib.sim.runtime.shell.pattern import _CLASSES

MAX_PROGRAM = 20_000


class RegexError(Exception):
    """A pattern that does not compile; the message is GNU regcomp's wording."""


@dataclass(slots=True)
class Set:
    negate: bool = False
    chars: set[str] = field(default_factory=set)
    ranges: list[tuple[str, str]] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)

    def has(self, c: str, icase: bool) -> bool:
        hit = self._has(c) or (icase and (self._has(c.lower()) or self._has(c.upper())))
        return hit != self.negate

    def _has(self, c: str) -> bool:
        return c in self.chars or any(lo <= c <= hi for lo, hi in self.ranges) or \
            any(_CLASSES[name](c) for name in self.classes)


# --- syntax tree ----------------------------------------------------------------------
# ("char", c) ("any",) ("set", Set) ("cat", [..]) ("alt", [..]) ("group", n, node)
# ("repeat", node, min, max|None) ("assert", kind) ("empty",)

Tree = tuple


class _Parser:
    def __init__(self, pattern: str, extended: bool) -> None:
        self.p = pattern
        self.i = 0
        self.ere = extended
        self.groups = 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.p[j] if j < len(self.p) else ""

    def parse(self) -> Tree:
        tree = self.alternation(0)
        if self.i < len(self.p):
            raise RegexError("Unmatched ) or \\)")
        return tree

    def _at_alt(self) -> bool:
        if self.ere:
            return self.peek() == "|"
        return self.p.startswith("\\|", self.i)

    def _at_close(self) -> bool:
        if self.ere:
            return self.peek() == ")"
        return self.p.startswith("\\)", self.i)

    def alternation(self, depth: int) -> Tree:
        branches = [self.concat(depth)]
        while self._at_alt():
            self.i += 1 if self.ere else 2
            branches.append(self.concat(depth))
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def concat(self, depth: int) -> Tree:
        items: list[Tree] = []
        start = self.i
        while self.i < len(self.p) and not self._at_alt() and not (depth and self._at_close()):
            if self._at_close() and not depth:
                if self.ere:
                    items.append(("char", ")"))
                    self.i += 1
                    continue
                raise RegexError("Unmatched ) or \\)")
            atom = self.atom(depth, at_start=self.i == start)
            items.append(self.quantified(atom))
        return ("cat", items) if len(items) != 1 else items[0]

    def quantified(self, atom: Tree) -> Tree:
        while True:
            c = self.peek()
            if c == "*":
                self.i += 1
                atom = ("repeat", atom, 0, None)
            elif self.ere and c and c in "+?":
                self.i += 1
                atom = ("repeat", atom, 1 if c == "+" else 0, None if c == "+" else 1)
            elif not self.ere and self.p.startswith(("\\+", "\\?"), self.i):
                c = self.p[self.i + 1]
                self.i += 2
                atom = ("repeat", atom, 1 if c == "+" else 0, None if c == "+" else 1)
            elif (self.ere and c == "{" and self._interval_follows(self.i + 1)) or \
                    (not self.ere and self.p.startswith("\\{", self.i)):
                self.i += 1 if self.ere else 2
                lo, hi = self.interval()
                atom = ("repeat", atom, lo, hi)
            else:
                return atom

    def _interval_follows(self, j: int) -> bool:
        end = self.p.find("}", j)
        return end > j and all(ch.isdigit() or ch == "," for ch in self.p[j:end])

    def interval(self) -> tuple[int, int | None]:
        close = "}" if self.ere else "\\}"
        end = self.p.find(close, self.i)
        if end < 0:
            raise RegexError("Unmatched \\{")
        body = self.p[self.i:end]
        self.i = end + len(close)
        lo_text, comma, hi_text = body.partition(",")
        if not lo_text.isdigit() and not (comma and lo_text == ""):
            raise RegexError("Invalid content of \\{\\}")
        lo = int(lo_text or "0")
        hi: int | None = lo if not comma else (int(hi_text) if hi_text else None)
        if hi_text and not hi_text.isdigit() or (hi is not None and hi < lo) or lo > 255 \
                or (hi or 0) > 255:
            raise RegexError("Invalid content of \\{\\}")
        return lo, hi

    def atom(self, depth: int, *, at_start: bool) -> Tree:
        c = self.peek()
        if c == "^" and (self.ere or at_start):
            self.i += 1
            return ("assert", "bol")
        if c == "$" and (self.ere or self._at_end_of_branch(self.i + 1)):
            self.i += 1
            return ("assert", "eol")
        if c == "*" and at_start:
            self.i += 1
            return ("char", "*")
        if self.ere and c and c in "*+?" and at_start:
            raise RegexError("Invalid preceding regular expression")
        if c == ".":
            self.i += 1
            return ("any",)
        if c == "[":
            return ("set", self.bracket())
        if self.ere and c == "(":
            self.i += 1
            return self.group(depth)
        if c == "\\":
            return self.escape(depth)
        self.i += 1
        return ("char", c)

    def _at_end_of_branch(self, j: int) -> bool:
        return j >= len(self.p) or self.p.startswith(("\\)", "\\|"), j)

    def group(self, depth: int) -> Tree:
        self.groups += 1
        n = self.groups
        inner = self.alternation(depth + 1)
        if not self._at_close():
            raise RegexError("Unmatched ( or \\(")
        self.i += 1 if self.ere else 2
        return ("group", n, inner)

    def escape(self, depth: int) -> Tree:
        nxt = self.peek(1)
        if not nxt:
            raise RegexError("Trailing backslash")
        self.i += 2
        if not self.ere and nxt == "(":
            return self.group(depth)
        if nxt.isdigit() and nxt != "0":
            raise RegexError("Invalid back reference")
        words = {"w": (False, ["alnum"], {"_"}), "W": (True, ["alnum"], {"_"}),
                 "s": (False, ["space"], set()), "S": (True, ["space"], set())}
        if nxt in words:
            negate, classes, chars = words[nxt]
            return ("set", Set(negate, set(chars), [], list(classes)))
        asserts = {"b": "word", "B": "nonword", "<": "wstart", ">": "wend",
                   "`": "bot", "'": "eot"}
        if nxt in asserts:
            return ("assert", asserts[nxt])
        return ("char", {"n": "\n", "t": "\t"}.get(nxt, nxt))

    def bracket(self) -> Set:
        out = Set()
        self.i += 1
        if self.peek() == "^":
            out.negate = True
            self.i += 1
        first = True
        while True:
            c = self.peek()
            if not c:
                raise RegexError("Unmatched [, [^, [:, [., or [=")
            if c == "]" and not first:
                self.i += 1
                return out
            first = False
            if self.p.startswith("[:", self.i):
                end = self.p.find(":]", self.i + 2)
                name = self.p[self.i + 2:end] if end > 0 else ""
                if name not in _CLASSES:
                    raise RegexError("Invalid character class name")
                out.classes.append(name)
                self.i = end + 2
                continue
            if self.p.startswith(("[.", "[="), self.i):
                end = self.p.find(self.p[self.i + 1] + "]", self.i + 2)
                if end < 0:
                    raise RegexError("Unmatched [, [^, [:, [., or [=")
                out.chars.update(self.p[self.i + 2:end])
                self.i = end + 2
                continue
            self.i += 1
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                hi = self.peek(1)
                self.i += 2
                if hi < c:
                    raise RegexError("Invalid range end")
                out.ranges.append((c, hi))
                continue
            out.chars.add(c)


# --- program --------------------------------------------------------------------------
# Instructions: ("char", c) ("any",) ("set", Set) ("split", a, b) ("jmp", a) ("save", n)
# ("assert", kind) ("match",)


class _Compiler:
    def __init__(self) -> None:
        self.prog: list[list] = []

    def emit(self, *ins: object) -> int:
        if len(self.prog) >= MAX_PROGRAM:
            raise RegexError("Regular expression too big")
        self.prog.append(list(ins))
        return len(self.prog) - 1

    def compile(self, t: Tree) -> None:
        kind = t[0]
        if kind in ("char", "any", "set", "assert"):
            self.emit(*t)
        elif kind == "cat":
            for item in t[1]:
                self.compile(item)
        elif kind == "alt":
            jumps: list[int] = []
            branches = t[1]
            for k, branch in enumerate(branches):
                if k < len(branches) - 1:
                    split = self.emit("split", 0, 0)
                    self.prog[split][1] = len(self.prog)
                    self.compile(branch)
                    jumps.append(self.emit("jmp", 0))
                    self.prog[split][2] = len(self.prog)
                else:
                    self.compile(branch)
            for j in jumps:
                self.prog[j][1] = len(self.prog)
        elif kind == "group":
            self.emit("save", 2 * t[1])
            self.compile(t[2])
            self.emit("save", 2 * t[1] + 1)
        elif kind == "repeat":
            node, lo, hi = t[1], t[2], t[3]
            for _ in range(lo):
                self.compile(node)
            if hi is None:
                split = self.emit("split", 0, 0)
                self.prog[split][1] = len(self.prog)
                self.compile(node)
                self.emit("jmp", split)
                self.prog[split][2] = len(self.prog)
            else:
                splits = []
                for _ in range(hi - lo):
                    split = self.emit("split", 0, 0)
                    self.prog[split][1] = len(self.prog)
                    splits.append(split)
                    self.compile(node)
                for split in splits:
                    self.prog[split][2] = len(self.prog)


def _word(c: str) -> bool:
    return c.isalnum() or c == "_"


class Regex:
    def __init__(self, pattern: str, *, extended: bool = False, icase: bool = False,
                 whole_line: bool = False) -> None:
        parser = _Parser(pattern, extended)
        tree = parser.parse()
        if whole_line:
            tree = ("cat", [("assert", "bol"), ("group", 0, tree), ("assert", "eol")])
        self.groups = parser.groups
        compiler = _Compiler()
        compiler.emit("save", 0)
        compiler.compile(tree)
        compiler.emit("save", 1)
        compiler.emit("match")
        self.prog = [tuple(ins) for ins in compiler.prog]
        self.icase = icase

    def search(self, text: str, start: int = 0) -> list[tuple[int, int] | None] | None:
        """The leftmost-longest match at or after ``start``: the spans of the whole match
        and of each group (None for groups that took no part), or None."""
        prog = self.prog
        icase = self.icase
        folded = text.lower() if icase else text
        n = len(text)
        best: list[int] | None = None
        clist: list[tuple[int, list[int]]] = []

        def add(lst: list[tuple[int, list[int]]], seen: set[int], pc: int, caps: list[int],
                pos: int) -> None:
            stack = [(pc, caps)]
            while stack:
                pc, caps = stack.pop()
                if pc in seen:
                    continue
                seen.add(pc)
                ins = prog[pc]
                op = ins[0]
                if op == "jmp":
                    stack.append((ins[1], caps))
                elif op == "split":
                    stack.append((ins[2], caps))
                    stack.append((ins[1], caps))
                elif op == "save":
                    new = caps[:]
                    slot = ins[1]
                    while len(new) <= slot:
                        new.append(-1)
                    new[slot] = pos
                    stack.append((pc + 1, new))
                elif op == "assert":
                    if _assert(ins[1], text, pos, n):
                        stack.append((pc + 1, caps))
                else:
                    lst.append((pc, caps))

        pos = start
        seen: set[int] = set()
        while True:
            if best is None:
                add(clist, seen, 0, [], pos)
            if not clist:
                if best is not None or pos >= n:
                    break
                pos += 1
                seen = set()
                continue
            nlist: list[tuple[int, list[int]]] = []
            nseen: set[int] = set()
            c = folded[pos] if pos < n else ""
            for pc, caps in clist:
                ins = prog[pc]
                op = ins[0]
                if op == "match":
                    if best is None or caps[0] < best[0] or \
                            (caps[0] == best[0] and caps[1] > best[1]):
                        best = caps
                    continue
                if best is not None and caps[0] > best[0]:
                    continue
                if not c:
                    continue
                if (op == "char" and (ins[1] == c or (icase and ins[1].lower() == c))) or \
                        op == "any" or (op == "set" and ins[1].has(text[pos], icase)):
                    add(nlist, nseen, pc + 1, caps, pos + 1)
            if pos >= n and not nlist:
                break
            clist, seen = nlist, nseen
            pos += 1
            if pos > n:
                break
        if best is None:
            return None
        spans: list[tuple[int, int] | None] = []
        for g in range(self.groups + 1):
            a = best[2 * g] if 2 * g < len(best) else -1
            b = best[2 * g + 1] if 2 * g + 1 < len(best) else -1
            spans.append((a, b) if a >= 0 and b >= 0 else None)
        return spans


def _assert(kind: str, text: str, pos: int, n: int) -> bool:
    before = text[pos - 1] if pos > 0 else ""
    after = text[pos] if pos < n else ""
    if kind == "bol":
        return pos == 0 or before == "\n"
    if kind == "eol":
        return pos == n or after == "\n"
    if kind == "bot":
        return pos == 0
    if kind == "eot":
        return pos == n
    wb, wa = bool(before) and _word(before), bool(after) and _word(after)
    if kind == "word":
        return wb != wa
    if kind == "nonword":
        return wb == wa
    if kind == "wstart":
        return wa and not wb
    return wb and not wa                                  # wend
