"""Small tools scripts lean on: test and ``[``, expr, xargs, and the checksums."""

from __future__ import annotations

import hashlib

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.commands.base import Invocation
from kitlib.sim.runtime.shell.commands.registry import command
from kitlib.sim.runtime.shell.commands.testexpr import Expression, Files, TestError, message
from kitlib.sim.runtime.shell.redirects import is_device
from kitlib.sim.runtime.shell.regex import Regex, RegexError


@command("test", "[")
async def test(inv: Invocation) -> int:
    args = list(inv.args)
    shell = inv.shell
    try:
        if inv.name == "[":
            if not args or args[-1] != "]":
                raise TestError("missing")
            args = args[:-1]
        files = Files(inv.fs, inv.path, is_device, lambda fd: _isatty(inv, fd))
        return 0 if Expression(args, files).evaluate() else 1
    except TestError as e:
        text = message(e.kind, e.token, shell=inv.flavour.shell, gnu=inv.gnu and not inv.builtin)
        if inv.builtin and inv.flavour.shell == "ash":
            shell.report(text)
        elif inv.builtin:
            shell.report(f"{inv.name}: {text}")
        else:
            await inv.error(text)
        return 2


def _isatty(inv: Invocation, fd: int) -> bool:
    stream = {0: inv.stdin, 1: inv.stdout, 2: inv.stderr}.get(fd)
    return bool(stream is not None and stream.isatty)


# --- expr -----------------------------------------------------------------------------


class _ExprError(Exception):
    pass


def _int(value: str) -> int:
    text = value.strip()
    if not text.lstrip("-").isdigit():
        raise _ExprError("non-integer argument")
    return int(text)


class _Expr:
    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.i = 0

    def peek(self) -> str | None:
        return self.args[self.i] if self.i < len(self.args) else None

    def take(self) -> str:
        if self.i >= len(self.args):
            raise _ExprError("syntax error")
        self.i += 1
        return self.args[self.i - 1]

    def run(self) -> str:
        value = self.or_()
        if self.i < len(self.args):
            raise _ExprError("syntax error")
        return value

    def or_(self) -> str:
        left = self.and_()
        while self.peek() == "|":
            self.take()
            right = self.and_()
            left = left if left not in ("", "0") else (right if right not in ("", "0") else "0")
        return left

    def and_(self) -> str:
        left = self.compare()
        while self.peek() == "&":
            self.take()
            right = self.compare()
            left = left if left not in ("", "0") and right not in ("", "0") else "0"
        return left

    def compare(self) -> str:
        left = self.sum()
        while self.peek() in ("=", "==", "!=", "<", "<=", ">", ">="):
            op = self.take()
            right = self.sum()
            try:
                a: int | str = _int(left)
                b: int | str = _int(right)
            except _ExprError:
                a, b = left, right
            result = _compare(op, a, b)
            left = "1" if result else "0"
        return left

    def sum(self) -> str:
        left = self.product()
        while self.peek() in ("+", "-"):
            op = self.take()
            right = self.product()
            left = str(_int(left) + _int(right) if op == "+" else _int(left) - _int(right))
        return left

    def product(self) -> str:
        left = self.match()
        while self.peek() in ("*", "/", "%"):
            op = self.take()
            a, b = _int(left), _int(self.match())
            if op != "*" and b == 0:
                raise _ExprError("division by zero")
            if op == "*":
                left = str(a * b)
            else:
                q = abs(a) // abs(b) * (1 if (a < 0) == (b < 0) else -1)
                left = str(q if op == "/" else a - b * q)
        return left

    def match(self) -> str:
        left = self.primary()
        while self.peek() == ":":
            self.take()
            left = _regex_match(left, self.primary())
        return left

    def primary(self) -> str:
        token = self.take()
        if token == "(":
            value = self.or_()
            if self.take() != ")":
                raise _ExprError("syntax error")
            return value
        if token == "length":
            return str(len(self.take()))
        if token == "substr":
            text, pos, length = self.take(), _int(self.take()), _int(self.take())
            return text[pos - 1:pos - 1 + length] if pos > 0 and length > 0 else ""
        if token == "index":
            text, chars = self.take(), self.take()
            return str(next((i + 1 for i, c in enumerate(text) if c in chars), 0))
        if token == "match":
            return _regex_match(self.take(), self.take())
        if token == "+":
            return self.take()
        return token


def _compare(op: str, a: int | str, b: int | str) -> bool:
    if type(a) is not type(b):
        a, b = str(a), str(b)
    if op in ("=", "=="):
        return a == b
    if op == "!=":
        return a != b
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]     # type: ignore[operator]


def _regex_match(text: str, pattern: str) -> str:
    try:
        regex = Regex(pattern, extended=False)
    except RegexError as e:
        raise _ExprError(str(e)) from None
    found = regex.search(text)
    if found is None or found[0] is None or found[0][0] != 0:
        return "" if regex.groups else "0"
    if regex.groups:
        span = found[1]
        return text[span[0]:span[1]] if span else ""
    return str(found[0][1])


@command("expr")
async def expr(inv: Invocation) -> int:
    try:
        value = _Expr(inv.args).run()
    except _ExprError as e:
        await inv.error(str(e))
        return 2
    await inv.write(value + "\n")
    return 1 if value in ("", "0") else 0


# --- xargs ----------------------------------------------------------------------------


def _xargs_words(text: str) -> list[str]:
    words: list[str] = []
    current: list[str] = []
    quote = ""
    started = False
    for c in text:
        if quote:
            if c == quote:
                quote = ""
            else:
                current.append(c)
        elif c in "'\"":
            quote = c
            started = True
        elif c.isspace():
            if started or current:
                words.append("".join(current))
                current = []
                started = False
        else:
            current.append(c)
    if started or current:
        words.append("".join(current))
    return words


@command("xargs")
async def xargs(inv: Invocation) -> int:
    args = inv.args
    per_call: int | None = None
    replace: str | None = None
    nul = False
    no_run_empty = False
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag == "-n" and args:
            per_call = int(args.pop(0))
        elif flag.startswith("-n") and flag[2:].isdigit():
            per_call = int(flag[2:])
        elif flag == "-I" and args:
            replace = args.pop(0)
        elif flag.startswith("-I") and len(flag) > 2:
            replace = flag[2:]
        elif flag == "-0":
            nul = True
        elif flag in ("-r", "--no-run-if-empty"):
            no_run_empty = True
        elif flag == "--":
            break
    base = args or ["echo"]
    text = inv.decode(await inv.read_input())
    if replace is not None:
        items = [line for line in text.split("\n") if line]
        calls = [[a.replace(replace, item) for a in base] for item in items]
    else:
        items = [w for w in text.split("\0") if w] if nul else _xargs_words(text)
        if not items and (no_run_empty or not inv.gnu and False):
            return 0
        size = per_call or max(len(items), 1)
        calls = [base + items[i:i + size] for i in range(0, max(len(items), 1), size)]
        if not items:
            calls = [] if no_run_empty else [list(base)]
    status = 0
    fds = {0: inv.stdin, 1: inv.stdout, 2: inv.stderr}
    for argv in calls:
        await inv.step()
        result = await inv.shell.exec_external(argv, dict(inv.env), fds)
        if result == 127:
            return 127
        if result:
            status = 123
    return status


# --- checksums ------------------------------------------------------------------------


@command("md5sum", "sha1sum", "sha256sum", "sha512sum")
async def checksum(inv: Invocation) -> int:
    algorithm = inv.name.removesuffix("sum")
    status = 0
    paths = [a for a in inv.args if not a.startswith("-") or a == "-"] or ["-"]
    for path in paths:
        try:
            data = await inv.read_input(path)
        except FsError as e:
            await inv.cant_open(path, e) if not inv.gnu else \
                await inv.error(f"{path}: {inv.strerror(e)}")
            status = 1
            continue
        digest = hashlib.new(algorithm, data).hexdigest()
        await inv.write(f"{digest}  {path}\n")
    return status


@command("cksum")
async def cksum(inv: Invocation) -> int:
    paths = inv.args or ["-"]
    for path in paths:
        try:
            data = await inv.read_input(path)
        except FsError as e:
            return await inv.cant_open(path, e)
        crc = _posix_cksum(data)
        await inv.write(f"{crc} {len(data)}" + (f" {path}" if path != "-" else "") + "\n")
    return 0


def _posix_cksum(data: bytes) -> int:
    crc = 0
    table = _CRC_TABLE
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ table[((crc >> 24) ^ byte) & 0xFF]
    length = len(data)
    while length:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ table[((crc >> 24) ^ (length & 0xFF)) & 0xFF]
        length >>= 8
    return (~crc) & 0xFFFFFFFF


def _crc_table() -> list[int]:
    table = []
    for i in range(256):
        c = i << 24
        for _ in range(8):
            c = ((c << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if c & 0x80000000 else (c << 1) & 0xFFFFFFFF
        table.append(c)
    return table


_CRC_TABLE = _crc_table()
