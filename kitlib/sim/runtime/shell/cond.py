"""``[[ ... ]]`` (bash, and busybox ash): tests without word splitting, with ``&&``,
``||``, pattern matching on the right of ``==`` and regular expressions with ``=~``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitlib.sim.runtime.shell import pattern
from kitlib.sim.runtime.shell.commands.testexpr import (BINARY, UNARY_FILE, UNARY_STRING,
                                                        Expression, Files, TestError, message)
from kitlib.sim.runtime.shell.expand import QUOTED
from kitlib.sim.runtime.shell.nodes import Word
from kitlib.sim.runtime.shell.redirects import is_device
from kitlib.sim.runtime.shell.regex import Regex, RegexError

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

_ERE_SPECIAL = set("\\.[]()*+?{}|^$")


class _Cond:
    def __init__(self, shell: Shell, words: list[Word]) -> None:
        self.shell = shell
        self.words = words
        self.i = 0
        fds = shell.fds
        self.files = Files(shell.process.fs, shell.abspath, is_device,
                           lambda fd: bool(getattr(fds.get(fd), "isatty", False)))

    def op(self, k: int = 0) -> str | None:
        j = self.i + k
        return self.words[j].literal() if j < len(self.words) else None

    async def text(self) -> str:
        word = self.words[self.i]
        self.i += 1
        return await self.shell.expander.word(word)

    async def expr(self, live: bool = True) -> bool:
        value = await self.conj(live)
        while self.op() == "||":
            self.i += 1
            right = await self.conj(live and not value)
            value = value or right
        return value

    async def conj(self, live: bool) -> bool:
        value = await self.negation(live)
        while self.op() == "&&":
            self.i += 1
            right = await self.negation(live and value)
            value = value and right
        return value

    async def negation(self, live: bool) -> bool:
        if self.op() == "!":
            self.i += 1
            return not await self.negation(live)
        return await self.primary(live)

    async def primary(self, live: bool) -> bool:
        if self.i >= len(self.words):
            raise TestError("argument")
        if self.op() == "(":
            self.i += 1
            value = await self.expr(live)
            if self.op() != ")":
                raise TestError("missing_paren", ")")
            self.i += 1
            return value
        first = self.op()
        if first in UNARY_FILE or first in UNARY_STRING or first == "-t":
            if self.i + 1 < len(self.words) and self.op(1) not in ("&&", "||", ")"):
                self.i += 1
                operand = await self.text()
                return Expression([], self.files).unary(first, operand) if live else False
        left = await self.text()
        op = self.op()
        if op in BINARY or op == "=~":
            self.i += 1
            if self.i >= len(self.words):
                raise TestError("argument", op)
            if op in ("==", "=", "!="):
                pat = await self.shell.expander.pattern(self.words[self.i])
                self.i += 1
                hit = pattern.match(left, pat)
                return hit if op != "!=" else not hit
            if op == "=~":
                return self.regex(left, await self._regex_text())
            right = await self.text()
            return Expression([], self.files).binary(left, op, right) if live else False
        return left != ""

    async def _regex_text(self) -> str:
        pieces = await self.shell.expander.pieces(self.words[self.i])
        self.i += 1
        return "".join("".join("\\" + c if c in _ERE_SPECIAL else c for c in text)
                       if kind == QUOTED else text for text, kind in pieces)

    def regex(self, text: str, source: str) -> bool:
        found = Regex(source, extended=True).search(text)
        if found is None:
            self.shell.vars.pop("BASH_REMATCH", None)
            return False
        span = found[0]
        assert span is not None
        self.shell.vars["BASH_REMATCH"] = text[span[0]:span[1]]
        return True


async def evaluate_cond(shell: Shell, words: list[Word]) -> int:
    cond = _Cond(shell, words)
    try:
        value = await cond.expr()
        if cond.i < len(words):
            raise TestError("extra", words[cond.i].source())
    except TestError as e:
        shell.report(message(e.kind, e.token, shell=shell.flavour.shell, gnu=False))
        return 2
    except RegexError:
        return 2
    return 0 if value else 1
