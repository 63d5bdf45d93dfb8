"""``test`` and ``[``: POSIX's expression language, over the container's files.

Evaluation follows POSIX's rules by argument count (so ``[ "$x" = -n ]`` means what it
says), and parses longer expressions with ``!``, ``-a``, ``-o`` and parentheses.
"""

from __future__ import annotations

from typing import Callable

from kitlib.sim.runtime.fs.api import FileSystem, FsError, Stat

UNARY_FILE = frozenset("-e -f -d -s -r -w -x -L -h -b -c -p -S -g -u -k -O -G -N".split())
UNARY_STRING = frozenset({"-n", "-z"})
INTEGER = frozenset({"-eq", "-ne", "-lt", "-le", "-gt", "-ge"})
BINARY = INTEGER | frozenset({"=", "==", "!=", "<", ">", "-nt", "-ot", "-ef"})


class TestError(Exception):
    """``kind``: number (an operand is no integer), missing (no ``]``), unary, binary,
    argument (a missing argument), extra (too many arguments)."""

    def __init__(self, kind: str, token: str = "") -> None:
        super().__init__(f"{kind}: {token}")
        self.kind = kind
        self.token = token


class Files:
    """What file tests ask about a path (absolute paths, in the container)."""

    def __init__(self, fs: FileSystem, resolve: Callable[[str], str],
                 special: Callable[[str], bool], tty: Callable[[int], bool]) -> None:
        self.fs = fs
        self.resolve = resolve
        self.special = special
        self.tty = tty

    def stat(self, path: str, follow: bool = True) -> Stat | None:
        try:
            return self.fs.stat(self.resolve(path), follow=follow)
        except FsError:
            return None

    def test(self, op: str, path: str) -> bool:
        full = self.resolve(path)
        if self.special(full) and op in ("-e", "-r", "-w", "-c"):
            return True
        if op in ("-L", "-h"):
            st = self.stat(path, follow=False)
            return st is not None and st.kind == "symlink"
        st = self.stat(path)
        if st is None:
            return False
        if op == "-e":
            return True
        if op == "-f":
            return st.kind == "file"
        if op == "-d":
            return st.kind == "dir"
        if op == "-s":
            return st.size > 0
        if op in ("-r", "-w", "-O", "-G"):
            return True                            # everyone is root in these containers
        if op == "-x":
            return bool(st.mode & 0o111) or st.kind == "dir"
        if op == "-u":
            return bool(st.mode & 0o4000)
        if op == "-g":
            return bool(st.mode & 0o2000)
        if op == "-k":
            return bool(st.mode & 0o1000)
        return False                                # -b -c -p -S -N: no such files here


def integer(text: str) -> int:
    stripped = text.strip()
    body = stripped[1:] if stripped[:1] in ("-", "+") else stripped
    if not body.isdigit():
        raise TestError("number", text)
    return int(stripped)


class Expression:
    def __init__(self, args: list[str], files: Files) -> None:
        self.args = args
        self.files = files
        self.i = 0

    def evaluate(self) -> bool:
        n = len(self.args)
        a = self.args
        if n == 0:
            return False
        if n == 1:
            return a[0] != ""
        if n == 2:
            if a[0] == "!":
                return a[1] == ""
            return self.unary(a[0], a[1])
        if n == 3:
            if a[1] in BINARY:
                return self.binary(a[0], a[1], a[2])
            if a[0] == "!":
                return not Expression(a[1:], self.files).evaluate()
            if a[0] == "(" and a[2] == ")":
                return a[1] != ""
            if a[1] in ("-a", "-o"):
                return self._or()
            raise TestError("binary", a[1])
        if n == 4 and a[0] == "!":
            return not Expression(a[1:], self.files).evaluate()
        if n == 4 and a[0] == "(" and a[3] == ")":
            return Expression(a[1:3], self.files).evaluate()
        value = self._or()
        if self.i < n:
            raise TestError("extra", a[self.i])
        return value

    def _take(self) -> str:
        if self.i >= len(self.args):
            raise TestError("argument", self.args[-1] if self.args else "")
        self.i += 1
        return self.args[self.i - 1]

    def _or(self) -> bool:
        value = self._and()
        while self.i < len(self.args) and self.args[self.i] == "-o":
            self.i += 1
            value = self._and() or value
        return value

    def _and(self) -> bool:
        value = self._not()
        while self.i < len(self.args) and self.args[self.i] == "-a":
            self.i += 1
            value = self._not() and value
        return value

    def _not(self) -> bool:
        if self.i < len(self.args) and self.args[self.i] == "!" and self.i + 1 < len(self.args):
            self.i += 1
            return not self._not()
        return self._primary()

    def _primary(self) -> bool:
        token = self._take()
        rest = len(self.args) - self.i
        if token == "(" and rest >= 1:
            value = self._or()
            if self._take() != ")":
                raise TestError("missing_paren", ")")
            return value
        if rest >= 2 and self.args[self.i] in BINARY:
            op = self._take()
            return self.binary(token, op, self._take())
        if token in UNARY_FILE or token in UNARY_STRING or token == "-t":
            if rest >= 1:
                return self.unary(token, self._take())
            return True                              # a lone "-f" is a non-empty string
        return token != ""

    def unary(self, op: str, operand: str) -> bool:
        if op == "-n":
            return operand != ""
        if op == "-z":
            return operand == ""
        if op == "-t":
            return self.files.tty(integer(operand))
        if op in UNARY_FILE:
            return self.files.test(op, operand)
        raise TestError("unary", op)

    def binary(self, left: str, op: str, right: str) -> bool:
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op in INTEGER:
            a, b = integer(left), integer(right)
            return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b,
                    "-gt": a > b, "-ge": a >= b}[op]
        sa, sb = self.files.stat(left), self.files.stat(right)
        if op == "-nt":
            return sa is not None and (sb is None or sa.mtime > sb.mtime)
        if op == "-ot":
            return sb is not None and (sa is None or sa.mtime < sb.mtime)
        return sa is not None and sb is not None and \
            self.files.resolve(left) == self.files.resolve(right)


def message(kind: str, token: str, *, shell: str, gnu: bool) -> str:
    """The error text (after ``[: `` or the shell's prefix)."""
    if kind == "missing":
        return "missing `]'" if shell == "bash" else ("missing ‘]’" if gnu else "missing ]")
    if kind == "number":
        if shell == "bash" or gnu:
            return f"{token}: integer expression expected" if shell == "bash" \
                else f"invalid integer ‘{token}’"
        return f"Illegal number: {token}" if shell == "dash" else f"{token}: bad number"
    if kind == "unary":
        return f"{token}: unary operator expected"
    if kind == "binary":
        return f"{token}: binary operator expected"
    if kind == "extra":
        return "too many arguments" if shell == "bash" else f"{token}: unknown operand"
    if kind == "missing_paren":
        return "`)' expected" if shell == "bash" else "closing paren expected"
    return "argument expected"
