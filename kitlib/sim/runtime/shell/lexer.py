"""Tokens of shell input: operators, newlines and structured words.

Shell tokenising depends on context (a ``$(...)`` holds a whole script, a here-document's
body starts at the next newline), so the lexer reads the source with a cursor, and the
parser hands it back to a nested parser for each command substitution.  Runs of ordinary
characters are taken with one fixed regular expression each, so megabyte inputs lex in
linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from kitlib.sim.runtime.shell.errors import ShellSyntaxError
from kitlib.sim.runtime.shell.nodes import (ArithSub, CommandSub, HereDoc, Lit, Node, Param,
                                            Part, Tilde, Word)

_BLANKS = " \t"
_META = " \t\n;&|<>()"
_SPECIAL_PARAMS = "@*#?-$!0123456789"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(r"[0-9]+")
_ANSI = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
         "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_TILDE = re.compile(r"~([A-Za-z0-9_.-]*)(?=/|$|[\s;&|<>()])")
_HEX = re.compile(r"[0-9A-Fa-f]{1,2}")
_OCTAL = re.compile(r"[0-7]{0,2}")
_RUNS: dict[str, re.Pattern[str]] = {}


def _run_of(stops: str) -> re.Pattern[str]:
    """A pattern for a run of characters that are none of ``stops``."""
    pattern = _RUNS.get(stops)
    if pattern is None:
        pattern = _RUNS[stops] = re.compile("[^" + re.escape(stops) + "]+")
    return pattern


@dataclass(slots=True)
class Token:
    kind: str                       # word | op | newline | eof
    text: str
    line: int
    pos: int
    word: Word | None = None
    fd: int | None = None           # the IO number before a redirection operator
    heredoc: HereDoc | None = None


# A nested parser: (source, position, line, ends at ")") -> (body, end position, line).
SubParser = Callable[[str, int, int, bool], tuple[Node, int, int]]


class Lexer:
    def __init__(self, src: str, pos: int = 0, *, line: int = 1, shell: str = "ash",
                 final: bool = True, subparser: SubParser | None = None) -> None:
        self.src = src
        self.pos = pos
        self.line = line
        self.shell = shell
        self.final = final              # no more input will come: EOF ends here-documents
        self.subparser = subparser
        self.pending: list[HereDoc] = []
        ops = [";;", "&&", "||", "<<-", "<<", ">>", "<&", ">&", "<>", ">|",
               ";", "&", "|", "(", ")", "<", ">"]
        if shell != "dash":
            ops = ["&>>", "&>", "<<<"] + ops
        if shell == "bash":
            ops = ["|&", ";&"] + ops
        self.ops = sorted(ops, key=len, reverse=True)

    # --- errors ---------------------------------------------------------------------

    def error(self, kind: str, *, token: str = "", expecting: str = "",
              incomplete: bool = False, at: int | None = None) -> ShellSyntaxError:
        at = self.pos if at is None else at
        start = self.src.rfind("\n", 0, at) + 1
        end = self.src.find("\n", at)
        text = self.src[start:end if end >= 0 else len(self.src)]
        return ShellSyntaxError(kind, token=token, expecting=expecting, line=self.line,
                                incomplete=incomplete, source_line=text)

    # --- tokens -----------------------------------------------------------------------

    def next_token(self) -> Token:
        src = self.src
        n = len(src)
        while True:
            while self.pos < n and src[self.pos] in _BLANKS:
                self.pos += 1
            if src.startswith("\\\n", self.pos):
                self.pos += 2
                self.line += 1
                continue
            if self.pos < n and src[self.pos] == "#":
                end = src.find("\n", self.pos)
                self.pos = n if end < 0 else end
            break
        start = self.pos
        if self.pos >= n:
            if self.pending:
                self._read_heredocs()
            return Token("eof", "", self.line, start)
        c = src[self.pos]
        if c == "\n":
            line = self.line
            self.pos += 1
            self.line += 1
            if self.pending:
                self._read_heredocs()
            return Token("newline", "\n", line, start)
        if c.isdigit():
            m = _DIGITS.match(src, self.pos)
            assert m is not None
            if m.end() < n and src[m.end()] in "<>":
                self.pos = m.end()
                token = self._operator()
                token.fd = int(m.group())
                token.pos = start
                return token
        if c in ";&|<>()":
            return self._operator()
        line = self.line
        word = self.read_word()
        return Token("word", src[start:self.pos], line, start, word=word)

    def _operator(self) -> Token:
        for op in self.ops:
            if self.src.startswith(op, self.pos):
                token = Token("op", op, self.line, self.pos)
                self.pos += len(op)
                if op in ("<<", "<<-"):
                    token.heredoc = self._heredoc_start(strip=op == "<<-")
                return token
        raise AssertionError("not an operator")    # pragma: no cover

    # --- here-documents ----------------------------------------------------------------

    def _heredoc_start(self, *, strip: bool) -> HereDoc:
        while self.pos < len(self.src) and self.src[self.pos] in _BLANKS:
            self.pos += 1
        if self.pos >= len(self.src) or self.src[self.pos] in _META:
            bad = self.src[self.pos] if self.pos < len(self.src) else ""
            if bad in ("", "\n"):
                raise self.error("token", token="newline" if bad else "end of file")
            raise self.error("token", token=bad)
        start = self.pos
        word = self.read_word()
        raw = self.src[start:self.pos]
        quoted = any(ch in raw for ch in "'\"\\")
        delimiter = "".join(p.text if isinstance(p, Lit) else "$" + p.name if
                            isinstance(p, Param) else "" for p in word.parts)
        doc = HereDoc(delimiter, strip, quoted)
        self.pending.append(doc)
        return doc

    def _read_heredocs(self) -> None:
        src = self.src
        for doc in self.pending:
            lines: list[str] = []
            while True:
                if self.pos >= len(src):
                    if not self.final:
                        raise self.error("eof", expecting=doc.delimiter, incomplete=True)
                    break
                end = src.find("\n", self.pos)
                text = src[self.pos:end if end >= 0 else len(src)]
                self.pos = len(src) if end < 0 else end + 1
                self.line += 1
                if doc.strip_tabs:
                    text = text.lstrip("\t")
                if text == doc.delimiter:
                    break
                lines.append(text + "\n")
            body = "".join(lines)
            if doc.quoted:
                doc.body = Word([Lit(body, True)])
            else:
                inner = Lexer(body, shell=self.shell, subparser=self.subparser)
                doc.body = Word(inner.read_parts(stops="", quoted=True, heredoc=True))
        self.pending = []

    # --- words --------------------------------------------------------------------------

    def read_word(self) -> Word:
        parts: list[Part] = []
        if self.src.startswith("~", self.pos):
            m = _TILDE.match(self.src, self.pos)
            if m:
                parts.append(Tilde(m.group(1)))
                self.pos = m.end()
        parts.extend(self.read_parts(stops=_META, quoted=False))
        if not parts:
            raise self.error("token", token=self.src[self.pos:self.pos + 1] or "end of file")
        return Word(parts)

    def read_parts(self, *, stops: str, quoted: bool, heredoc: bool = False,
                   in_brace: bool = False) -> list[Part]:
        """Parts up to (not including) one of ``stops`` or the end of the source.

        ``quoted``: inside double quotes or a here-document (only ``$``, backquotes and
        some backslashes are special there).  ``in_brace``: the argument of ``${...}``,
        where quotes still work but blanks are ordinary.
        """
        src = self.src
        n = len(src)
        parts: list[Part] = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                parts.append(Lit("".join(buf), quoted))
                buf.clear()

        specials = "\\$`" if quoted else "\\$`'\""
        run = _run_of(stops + specials + "\n")
        while self.pos < n:
            m = run.match(src, self.pos)
            if m:
                buf.append(m.group())
                self.pos = m.end()
                continue
            c = src[self.pos]
            if c == "\n" and "\n" not in stops:
                buf.append(c)
                self.pos += 1
                self.line += 1
                continue
            if c in stops:
                break
            if c == "\\":
                nxt = src[self.pos + 1:self.pos + 2]
                if nxt == "\n":
                    self.pos += 2
                    self.line += 1
                    continue
                if nxt == "":
                    buf.append("\\")
                    self.pos += 1
                    continue
                if quoted and nxt not in "$`\\\"" + ("}" if in_brace else ""):
                    buf.append("\\")
                    self.pos += 1
                    continue
                if heredoc and nxt == '"':
                    buf.append("\\")
                    self.pos += 1
                    continue
                flush()
                parts.append(Lit(nxt, True))
                self.pos += 2
                continue
            if c == "'":
                end = src.find("'", self.pos + 1)
                if end < 0:
                    raise self.error("quote", token="'", incomplete=True)
                flush()
                text = src[self.pos + 1:end]
                self.line += text.count("\n")
                parts.append(Lit(text, True))
                self.pos = end + 1
                continue
            if c == '"':
                flush()
                self.pos += 1
                inner = self.read_parts(stops='"', quoted=True)
                if self.pos >= n:
                    raise self.error("quote", token='"', incomplete=True)
                self.pos += 1
                parts.extend(inner if inner else [Lit("", True)])
                continue
            if c == "`":
                flush()
                parts.append(self._backquote(quoted))
                continue
            # c == "$"
            part = self._dollar(quoted)
            if part is None:
                buf.append("$")
                continue
            flush()
            if isinstance(part, list):
                parts.extend(part)
            else:
                parts.append(part)
        flush()
        return parts

    # --- $ ------------------------------------------------------------------------------

    def _dollar(self, quoted: bool) -> Part | list[Part] | None:
        src = self.src
        self.pos += 1                                   # past "$"
        c = src[self.pos:self.pos + 1]
        if c == "(":
            if src.startswith("((", self.pos) and self._is_arith(self.pos + 2):
                return self._arith(quoted)
            return self._command_sub(quoted)
        if c == "{":
            return self._brace(quoted)
        if c == "'" and not quoted and self.shell != "dash":
            return [Lit(self._ansi_c(), True)]
        if c and c in _SPECIAL_PARAMS:
            self.pos += 1
            return Param(c, quoted=quoted)
        m = _NAME.match(src, self.pos)
        if m:
            self.pos = m.end()
            return Param(m.group(), quoted=quoted)
        return None

    def _is_arith(self, pos: int) -> bool:
        depth = 0
        src = self.src
        while pos < len(src):
            c = src[pos]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    return src.startswith("))", pos)
                depth -= 1
            pos += 1
        return True                 # unfinished: _arith reports what is missing

    def _arith(self, quoted: bool) -> ArithSub:
        start = self.pos + 2
        depth = 0
        pos = start
        src = self.src
        while pos < len(src):
            c = src[pos]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            pos += 1
        if not src.startswith("))", pos):
            raise self.error("eof", expecting="))", incomplete=True)
        inner = Lexer(src[start:pos], shell=self.shell, subparser=self.subparser)
        expr = Word(inner.read_parts(stops="", quoted=True, heredoc=True))
        self.line += src.count("\n", start, pos)
        self.pos = pos + 2
        return ArithSub(expr, quoted)

    def _command_sub(self, quoted: bool) -> CommandSub:
        assert self.subparser is not None, "a lexer for $(...) needs a parser"
        body, end, line = self.subparser(self.src, self.pos + 1, self.line, True)
        self.pos = end
        self.line = line
        return CommandSub(body, quoted)

    def _backquote(self, quoted: bool) -> CommandSub:
        src = self.src
        pos = self.pos + 1
        out: list[str] = []
        while True:
            if pos >= len(src):
                raise self.error("quote", token="`", incomplete=True)
            c = src[pos]
            if c == "`":
                break
            escapable = "$`\\" + ('"' if quoted else "")
            if c == "\\" and pos + 1 < len(src) and src[pos + 1] in escapable:
                out.append(src[pos + 1])
                pos += 2
                continue
            out.append(c)
            pos += 1
        text = "".join(out)
        assert self.subparser is not None
        body, _, _ = self.subparser(text, 0, self.line, False)
        self.line += src.count("\n", self.pos, pos)
        self.pos = pos + 1
        return CommandSub(body, quoted)

    def _ansi_c(self) -> str:
        src = self.src
        pos = self.pos + 1
        out: list[str] = []
        while True:
            if pos >= len(src):
                raise self.error("quote", token="'", incomplete=True)
            c = src[pos]
            if c == "'":
                break
            if c == "\\" and pos + 1 < len(src):
                e = src[pos + 1]
                pos += 2
                if e in _ANSI:
                    out.append(_ANSI[e])
                elif e == "x":
                    m = _HEX.match(src, pos)
                    if m:
                        out.append(chr(int(m.group(), 16)))
                        pos = m.end()
                    else:
                        out.append("\\x")
                elif e in "01234567":
                    m = _OCTAL.match(src, pos)
                    assert m is not None
                    out.append(chr(int(e + m.group(), 8) & 0xFF))
                    pos = m.end()
                else:
                    out.append("\\" + e)
                continue
            out.append(c)
            pos += 1
        self.line += src.count("\n", self.pos, pos)
        self.pos = pos + 1
        return "".join(out)

    def _brace(self, quoted: bool) -> Param:
        src = self.src
        start = self.pos - 1                             # at "$"
        self.pos += 1                                    # past "{"
        op = ""
        if src.startswith("#", self.pos) and not src.startswith("#}", self.pos):
            self.pos += 1
            op = "len"
        elif src.startswith("!", self.pos) and self.shell == "bash" and \
                _NAME.match(src, self.pos + 1):
            self.pos += 1
            op = "indirect"
        m = _NAME.match(src, self.pos) or _DIGITS.match(src, self.pos)
        if m:
            name = m.group()
            self.pos = m.end()
        elif self.pos < len(src) and src[self.pos] in _SPECIAL_PARAMS:
            name = src[self.pos]
            self.pos += 1
        else:
            return self._bad_subst(start, quoted)
        if src.startswith("}", self.pos):
            self.pos += 1
            return Param(name, op=op, quoted=quoted)
        if op:
            return self._bad_subst(start, quoted)
        for candidate in (":-", ":=", ":?", ":+", "-", "=", "?", "+", "##", "#", "%%", "%"):
            if src.startswith(candidate, self.pos):
                self.pos += len(candidate)
                arg = self._brace_arg("}", quoted)
                self.pos += 1
                return Param(name, op=candidate, arg=arg, quoted=quoted)
        if self.shell != "dash":
            for candidate in ("//", "/#", "/%", "/"):
                if src.startswith(candidate, self.pos):
                    self.pos += len(candidate)
                    pattern = self._brace_arg("/}", quoted)
                    replacement = None
                    if src.startswith("/", self.pos):
                        self.pos += 1
                        replacement = self._brace_arg("}", quoted)
                    self.pos += 1
                    return Param(name, op=candidate, arg=pattern, arg2=replacement,
                                 quoted=quoted)
            if src.startswith(":", self.pos):
                self.pos += 1
                offset = self._brace_arg(":}", quoted)
                length = None
                if src.startswith(":", self.pos):
                    self.pos += 1
                    length = self._brace_arg("}", quoted)
                self.pos += 1
                return Param(name, op="substr", arg=offset, arg2=length, quoted=quoted)
        if self.shell == "bash":
            for candidate in ("^^", ",,", "^", ","):
                if src.startswith(candidate, self.pos):
                    self.pos += len(candidate)
                    arg = self._brace_arg("}", quoted)
                    self.pos += 1
                    return Param(name, op=candidate, arg=arg, quoted=quoted)
        return self._bad_subst(start, quoted)

    def _brace_arg(self, stops: str, quoted: bool) -> Word:
        parts = self.read_parts(stops=stops, quoted=quoted, in_brace=True)
        if self.pos >= len(self.src):
            raise self.error("eof", expecting="}", incomplete=True)
        return Word(parts)

    def _bad_subst(self, start: int, quoted: bool) -> Param:
        end = self.src.find("}", self.pos)
        if end < 0:
            raise self.error("eof", expecting="}", incomplete=True)
        self.pos = end + 1
        return Param(self.src[start:end + 1], op="bad", quoted=quoted)
