"""Word expansion: parameters, ``$(...)``, ``$((...))``, field splitting, globbing.

A word expands to *pieces* that remember how they may be treated afterwards: literal text
written unquoted (globbed, never split), quoted text (left alone), and the results of
unquoted expansions (split on IFS, then globbed).  ``"$@"`` adds field breaks.  Globbing
reads directories through the container's FileSystem only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell import braces, messages, pattern
from kitlib.sim.runtime.shell.arith import ArithError, evaluate
from kitlib.sim.runtime.shell.nodes import ArithSub, CommandSub, Lit, Param, Tilde, Word

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

LIT, QUOTED, EXP, BREAK = 0, 1, 2, 3
Piece = tuple[str, int]
_DEFAULT_IFS = " \t\n"


class Expander:
    def __init__(self, shell: Shell) -> None:
        self.shell = shell

    # --- entry points -------------------------------------------------------------------

    async def words(self, words: list[Word]) -> list[str]:
        """Full expansion of a command's words into fields."""
        if self.shell.flavour.shell == "bash":
            words = self.braces(words)
        out: list[str] = []
        for word in words:
            text = word.literal()
            if text is not None and not pattern.has_magic(text):
                out.append(text)
                continue
            pieces = await self.pieces(word)
            out.extend(self.fields(pieces))
        return out

    def braces(self, words: list[Word]) -> list[Word]:
        """bash's brace expansion, on text written unquoted within one word part."""
        out: list[Word] = []
        for word in words:
            out.extend(self._brace_word(word))
            if len(out) > braces.MAX_WORDS:
                raise self.shell.fail("brace expansion: too many words for the simulator")
        return out

    def _brace_word(self, word: Word) -> list[Word]:
        for k, part in enumerate(word.parts):
            if isinstance(part, Lit) and not part.quoted and braces.has_braces(part.text):
                try:
                    choices = braces.expand(part.text)
                except braces.TooManyWords:
                    raise self.shell.fail("brace expansion: too many words for the "
                                          "simulator") from None
                if choices == [part.text]:
                    continue
                out: list[Word] = []
                for choice in choices:
                    rest = Word(word.parts[:k] + [Lit(choice)] + word.parts[k + 1:])
                    out.extend(self._brace_word(rest) if k + 1 < len(word.parts) else [rest])
                return out
        return [word]

    async def word(self, word: Word) -> str:
        """One string, neither split nor globbed (assignments, ``case``, here-documents)."""
        text = word.literal()
        if text is not None:
            return text
        pieces = await self.pieces(word)
        return "".join(" " if kind == BREAK else piece for piece, kind in pieces)

    async def pattern(self, word: Word) -> str:
        """A pattern: text from quotes matches literally, the rest keeps its wildcards."""
        pieces = await self.pieces(word)
        return "".join(pattern.escape(piece) if kind == QUOTED else
                       (" " if kind == BREAK else piece) for piece, kind in pieces)

    # --- pieces -------------------------------------------------------------------------

    async def pieces(self, word: Word) -> list[Piece]:
        out: list[Piece] = []
        for part in word.parts:
            if isinstance(part, Lit):
                out.append((part.text, QUOTED if part.quoted else LIT))
            elif isinstance(part, Param):
                out.extend(await self.param(part))
            elif isinstance(part, CommandSub):
                text = await self.shell.capture(part.body)
                out.append((text, QUOTED if part.quoted else EXP))
            elif isinstance(part, ArithSub):
                out.append((str(await self.arith(part.expr)), QUOTED if part.quoted else EXP))
            elif isinstance(part, Tilde):
                out.append((self.tilde(part.user), QUOTED))
        self.shell.check_size(sum(len(p) for p, _ in out))
        return out

    def tilde(self, user: str) -> str:
        if user == "":
            return self.shell.get("HOME") or "/root"
        return "/root" if user == "root" else "~" + user

    async def arith(self, expr: Word) -> int:
        text = await self.word(expr)
        shell = self.shell

        def put(name: str, value: str) -> None:
            shell.assign(name, value)

        try:
            return evaluate(text, lambda name: shell.get(name) or "", put)
        except ArithError as e:
            raise shell.fail(messages.arithmetic(shell.flavour.shell, e)) from None

    # --- parameters ---------------------------------------------------------------------

    async def param(self, part: Param) -> list[Piece]:
        shell = self.shell
        kind = QUOTED if part.quoted else EXP
        name, op = part.name, part.op
        if op == "bad":
            raise shell.fail(messages.bad_substitution(shell.flavour.shell, name))
        if name in ("@", "*") and op in ("", "len"):
            params = shell.positional
            if op == "len":
                return [(str(len(params)), kind)]
            if part.quoted and name == "*":
                ifs = shell.get("IFS")
                sep = " " if ifs is None else ifs[:1]
                return [(sep.join(params), QUOTED)]
            out: list[Piece] = []
            for i, value in enumerate(params):
                if i:
                    out.append(("", BREAK))
                out.append((value, kind))
            return out
        value = shell.get(name)
        if op == "":
            if value is None:
                shell.check_unset(name)
                return []
            return [(value, kind)]
        if op == "len":
            if value is None:
                shell.check_unset(name)
            return [(str(len(value or "")), kind)]
        if op == "indirect":
            target = shell.get(value or "") if value else None
            return [(target, kind)] if target is not None else []
        if op in (":-", "-", ":=", "=", ":?", "?", ":+", "+"):
            return await self._conditional(part, value, kind)
        if value is None:
            shell.check_unset(name)
            value = ""
        result = await self._transform(part, value)
        return [(result, kind)]

    async def _conditional(self, part: Param, value: str | None, kind: int) -> list[Piece]:
        shell = self.shell
        op = part.op
        missing = value is None or (op.startswith(":") and value == "")
        base = op.lstrip(":")
        if base == "+":
            return await self._arg_pieces(part) if not missing else []
        if not missing:
            return [(value or "", kind)]
        if base == "-":
            return await self._arg_pieces(part)
        if base == "=":
            if not (part.name[0].isalpha() or part.name[0] == "_"):
                raise shell.fail(f"{part.name}: bad variable name" if shell.flavour.shell != "bash"
                                 else f"${part.name}: cannot assign in this way")
            text = await self.word(part.arg) if part.arg else ""
            shell.assign(part.name, text)
            return [(text, kind)]
        message = await self.word(part.arg) if part.arg else ""
        raise shell.fail(messages.null_parameter(shell.flavour.shell, part.name, message,
                                                 colon=op.startswith(":")),
                         status=1 if shell.flavour.shell == "bash" else 2)

    async def _arg_pieces(self, part: Param) -> list[Piece]:
        if part.arg is None:
            return []
        pieces = await self.pieces(part.arg)
        if part.quoted:
            return [(p, QUOTED) if k != BREAK else (p, k) for p, k in pieces]
        return [(p, EXP) if k == LIT else (p, k) for p, k in pieces]

    async def _transform(self, part: Param, value: str) -> str:
        op = part.op
        if op in ("#", "##", "%", "%%"):
            pat = await self.pattern(part.arg) if part.arg else ""
            if op[0] == "#":
                lengths = pattern.prefix_lengths(value, pat)
                if not lengths:
                    return value
                return value[(lengths[-1] if op == "##" else lengths[0]):]
            lengths = pattern.suffix_lengths(value, pat)
            if not lengths:
                return value
            cut = lengths[-1] if op == "%%" else lengths[0]
            return value[:len(value) - cut]
        if op in ("/", "//", "/#", "/%"):
            pat = await self.pattern(part.arg) if part.arg else ""
            replacement = await self.word(part.arg2) if part.arg2 else ""
            return _replace(value, pat, replacement, op)
        if op == "substr":
            offset = await self.arith(part.arg) if part.arg else 0
            if offset < 0:
                offset = max(len(value) + offset, 0)
            if part.arg2 is None:
                return value[offset:]
            length = await self.arith(part.arg2)
            end = offset + length if length >= 0 else len(value) + length
            return value[offset:max(end, offset)]
        if op in ("^^", ",,", "^", ","):
            if op == "^^":
                return value.upper()
            if op == ",,":
                return value.lower()
            return (value[:1].upper() if op == "^" else value[:1].lower()) + value[1:]
        raise self.shell.fail(messages.bad_substitution(self.shell.flavour.shell, part.name))

    # --- fields -------------------------------------------------------------------------

    def fields(self, pieces: list[Piece]) -> list[str]:
        shell = self.shell
        ifs = shell.get("IFS")
        ifs = _DEFAULT_IFS if ifs is None else ifs
        ws = "".join(c for c in ifs if c in " \t\n")
        fields: list[list[Piece]] = []
        current: list[Piece] = []
        started = False
        after_ws_delim = False

        def emit() -> None:
            nonlocal current, started
            fields.append(current)
            current = []
            started = False

        for text, kind in pieces:
            if kind == BREAK:
                if started:
                    emit()
                continue
            if kind != EXP or not ifs:
                if kind == QUOTED or text:
                    current.append((text, kind))
                    started = True
                    after_ws_delim = False
                continue
            buf: list[str] = []
            for c in text:
                if c in ifs:
                    if buf:
                        current.append(("".join(buf), EXP))
                        buf = []
                        started = True
                    if c in ws:
                        if started:
                            emit()
                            after_ws_delim = True
                        continue
                    if started or not after_ws_delim:
                        emit()
                    after_ws_delim = False
                    continue
                buf.append(c)
                after_ws_delim = False
            if buf:
                current.append(("".join(buf), EXP))
                started = True
        if started:
            emit()
        out: list[str] = []
        for field in fields:
            out.extend(self._glob_field(field))
        return out

    def _glob_field(self, field: list[Piece]) -> list[str]:
        plain = "".join(text for text, _ in field)
        if "f" in self.shell.options or not any(
                kind != QUOTED and any(c in text for c in "*?[") for text, kind in field):
            return [plain]
        pat = "".join(pattern.escape(text) if kind == QUOTED else text for text, kind in field)
        if not pattern.has_magic(pat):
            return [plain]
        return glob(self.shell, pat) or [plain]


def _replace(value: str, pat: str, replacement: str, op: str) -> str:
    if op == "/#":
        lengths = pattern.prefix_lengths(value, pat)
        return replacement + value[lengths[-1]:] if lengths else value
    if op == "/%":
        lengths = pattern.suffix_lengths(value, pat)
        return value[:len(value) - lengths[-1]] + replacement if lengths else value
    out: list[str] = []
    i = 0
    while i <= len(value):
        lengths = pattern.prefix_lengths(value[i:], pat) if pat else []
        lengths = [n for n in lengths if n > 0]
        if lengths:
            out.append(replacement)
            i += lengths[-1]
            if op == "/":
                out.append(value[i:])
                return "".join(out)
            continue
        if i < len(value):
            out.append(value[i])
        i += 1
    return "".join(out)


def glob(shell: Shell, pat: str) -> list[str]:
    """Paths in the container's FS that ``pat`` matches, sorted; [] when none do."""
    fs = shell.process.fs
    absolute = pat.startswith("/")
    components = [c for c in pat.split("/") if c]
    candidates = ["/" if absolute else ""]
    for i, component in enumerate(components):
        last = i == len(components) - 1
        nxt: list[str] = []
        for base in candidates:
            directory = shell.abspath(base or ".")
            if not pattern.has_magic(component):
                name = pattern.unescape(component)
                path = _join(base, name)
                if fs.exists(shell.abspath(path)) or name in (".", ".."):
                    nxt.append(path)
                continue
            try:
                names = fs.listdir(directory)
            except FsError:
                continue
            hidden = component.startswith(".") or component.startswith("\\.")
            for name in names:
                if name.startswith(".") and not hidden:
                    continue
                if pattern.match(name, component):
                    path = _join(base, name)
                    if last or _is_dir(shell, path):
                        nxt.append(path)
        candidates = nxt
        if not candidates:
            return []
    if pat.endswith("/"):
        candidates = [c + "/" for c in candidates]
    return sorted(candidates)


def _join(base: str, name: str) -> str:
    if not base:
        return name
    return base + name if base.endswith("/") else base + "/" + name


def _is_dir(shell: Shell, path: str) -> bool:
    try:
        return shell.process.fs.stat(shell.abspath(path)).kind == "dir"
    except FsError:
        return False
