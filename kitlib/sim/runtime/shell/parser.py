"""The shell grammar (POSIX, with the bash and busybox extensions learners meet).

``Parser.next_command`` returns one complete command at a time (everything up to a
newline), because shells parse and run a script line by line: ``echo a`` on line 1 runs
even when line 2 has a syntax error.  Nesting is bounded (``MAX_DEPTH``) so that no input,
however deep, exhausts Python's stack.
"""

from __future__ import annotations

import re

from kitlib.sim.runtime.shell.errors import ShellSyntaxError
from kitlib.sim.runtime.shell.lexer import Lexer, Token
from kitlib.sim.runtime.shell.nodes import (AndOr, ArithCommand, Assign, Case, CaseItem,
                                            CondCommand, For, FunctionDef, Group, If, Lit,
                                            Loop, Node, Part, Pipeline, Redirect, Sequence,
                                            Simple, Subshell, Tilde, Word)

MAX_DEPTH = 40
_TERMINATORS = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}", "in"})
_REDIRECTS = frozenset({"<", ">", ">>", ">|", "<>", "<&", ">&", "<<", "<<-", "<<<",
                        "&>", "&>>"})
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\+?)=")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Parser:
    def __init__(self, src: str, *, pos: int = 0, line: int = 1, shell: str = "ash",
                 final: bool = True, depth: int = 0) -> None:
        self.shell = shell
        self.final = final
        self.depth = depth
        self.lexer = Lexer(src, pos, line=line, shell=shell, final=final,
                           subparser=self._subparse)
        self._tok: Token | None = None

    # --- tokens -----------------------------------------------------------------------

    def peek(self) -> Token:
        if self._tok is None:
            self._tok = self.lexer.next_token()
        return self._tok

    def take(self) -> Token:
        tok = self.peek()
        self._tok = None
        return tok

    def _keyword(self, tok: Token) -> str | None:
        return tok.word.literal() if tok.kind == "word" and tok.word else None

    def _is(self, tok: Token, text: str) -> bool:
        if tok.kind == "op":
            return tok.text == text
        return self._keyword(tok) == text

    def unexpected(self, tok: Token, expecting: str = "") -> ShellSyntaxError:
        if tok.kind == "eof":
            return ShellSyntaxError("eof", expecting=expecting, line=tok.line,
                                    incomplete=True,
                                    source_line=self._line_text(tok.pos))
        text = "newline" if tok.kind == "newline" else tok.text
        return ShellSyntaxError("token", token=text, line=tok.line,
                                source_line=self._line_text(tok.pos))

    def _line_text(self, pos: int) -> str:
        src = self.lexer.src
        start = src.rfind("\n", 0, max(pos - 1, 0) if pos >= len(src) else pos) + 1
        end = src.find("\n", start)
        return src[start:end if end >= 0 else len(src)]

    def expect(self, text: str) -> Token:
        tok = self.peek()
        if not self._is(tok, text):
            raise self.unexpected(tok, text)
        return self.take()

    def skip_newlines(self) -> None:
        while self.peek().kind == "newline":
            self.take()

    # --- entry points -----------------------------------------------------------------

    def next_command(self) -> Node | None:
        """The next complete command, or None at the end of the input."""
        self.skip_newlines()
        if self.peek().kind == "eof":
            return None
        node = self.parse_list(top=True)
        tok = self.peek()
        if node is None or tok.kind not in ("newline", "eof"):
            raise self.unexpected(tok)
        return node

    def parse_all(self) -> list[Node]:
        out: list[Node] = []
        while (node := self.next_command()) is not None:
            out.append(node)
        return out

    def _subparse(self, src: str, pos: int, line: int, paren: bool) -> tuple[Node, int, int]:
        """The body of ``$(...)`` (ending at ``)``) or of backquotes (the whole text)."""
        if self.depth >= MAX_DEPTH:
            raise ShellSyntaxError("depth", line=line)
        nested = Parser(src, pos=pos, line=line, shell=self.shell, final=self.final,
                        depth=self.depth + 1)
        body = nested.parse_list(top=False)
        tok = nested.peek()
        if paren:
            if not nested._is(tok, ")"):
                raise nested.unexpected(tok, ")")
            nested.take()
        elif tok.kind != "eof":
            raise nested.unexpected(tok)
        # A here-document opened inside the substitution whose lines never came ends
        # empty, as a shell ends one at end of file.
        for doc in nested.lexer.pending:
            doc.body = Word([Lit("", True)])
        nested.lexer.pending = []
        return body or Sequence([]), nested.lexer.pos, nested.lexer.line

    # --- lists ------------------------------------------------------------------------

    def _starts_command(self, tok: Token) -> bool:
        if tok.kind == "word":
            return self._keyword(tok) not in _TERMINATORS
        return tok.kind == "op" and (tok.text == "(" or tok.text in _REDIRECTS)

    def parse_list(self, *, top: bool) -> Node | None:
        items: list[tuple[Node, bool]] = []
        while True:
            if not top:
                self.skip_newlines()
            if not self._starts_command(self.peek()):
                break
            node = self.parse_and_or()
            tok = self.peek()
            if tok.kind == "op" and tok.text in (";", "&"):
                self.take()
                items.append((node, tok.text == "&"))
                continue
            items.append((node, False))
            if tok.kind == "newline" and not top:
                continue
            break
        if not items:
            return None
        if len(items) == 1 and not items[0][1]:
            return items[0][0]
        return Sequence(items)

    def _body(self, closer: str) -> Node:
        node = self.parse_list(top=False)
        if node is None:
            raise self.unexpected(self.peek(), closer)
        return node

    def parse_and_or(self) -> Node:
        first = self.parse_pipeline()
        rest: list[tuple[str, Node]] = []
        while (tok := self.peek()).kind == "op" and tok.text in ("&&", "||"):
            self.take()
            self.skip_newlines()
            rest.append((tok.text, self.parse_pipeline()))
        return AndOr(first, rest) if rest else first

    def parse_pipeline(self) -> Node:
        negate = False
        line = self.peek().line
        while self._keyword(self.peek()) == "!":
            self.take()
            negate = not negate
        commands = [self.parse_command()]
        while (tok := self.peek()).kind == "op" and tok.text in ("|", "|&"):
            self.take()
            if tok.text == "|&":
                _redirects_of(commands[-1]).append(Redirect(">&", 2, Word([Lit("1")])))
            self.skip_newlines()
            commands.append(self.parse_command())
        if len(commands) == 1 and not negate:
            return commands[0]
        return Pipeline(commands, negate, line)

    # --- commands ---------------------------------------------------------------------

    def parse_command(self) -> Node:
        if self.depth >= MAX_DEPTH:
            raise ShellSyntaxError("depth", line=self.peek().line)
        self.depth += 1
        try:
            return self._command()
        finally:
            self.depth -= 1

    def _command(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text == "(":
            if self.shell == "bash" and self.lexer.src.startswith("((", tok.pos):
                self._tok = None
                self.lexer.pos = tok.pos
                return ArithCommand(self.lexer._arith(False).expr, self._redirects())
            self.take()
            body = self._body(")")
            self.expect(")")
            return Subshell(body, self._redirects())
        keyword = self._keyword(tok)
        if keyword == "if":
            return self._if()
        if keyword in ("while", "until"):
            self.take()
            cond = self._body("do")
            self.expect("do")
            body = self._body("done")
            self.expect("done")
            return Loop(cond, body, keyword == "until", self._redirects())
        if keyword == "for":
            return self._for()
        if keyword == "case":
            return self._case()
        if keyword == "{":
            self.take()
            body = self._body("}")
            self.expect("}")
            return Group(body, self._redirects())
        if keyword == "[[" and self.shell != "dash":
            return self._cond()
        if keyword == "function" and self.shell != "dash":
            self.take()
            name = self.take()
            if name.kind != "word":
                raise self.unexpected(name)
            if self._is(self.peek(), "("):
                self.take()
                self.expect(")")
            return self._function(name.text, name)
        return self._simple()

    def _redirects(self) -> list[Redirect]:
        out: list[Redirect] = []
        while (tok := self.peek()).kind == "op" and tok.text in _REDIRECTS:
            out.append(self._redirect())
        return out

    def _redirect(self) -> Redirect:
        tok = self.take()
        if tok.heredoc is not None:
            return Redirect(tok.text, tok.fd, heredoc=tok.heredoc)
        target = self.peek()
        if target.kind == "eof" and self.shell == "bash" and self.final:
            raise ShellSyntaxError("token", token="newline", line=target.line,
                                   source_line=self._line_text(target.pos))
        if target.kind != "word":
            raise self.unexpected(target)
        self.take()
        return Redirect(tok.text, tok.fd, target.word)

    def _simple(self) -> Node:
        assigns: list[Assign] = []
        words: list[Word] = []
        redirects: list[Redirect] = []
        line = self.peek().line
        while True:
            tok = self.peek()
            if tok.kind == "op" and tok.text in _REDIRECTS:
                redirects.append(self._redirect())
                continue
            if tok.kind != "word":
                break
            assert tok.word is not None
            if not words:
                assign = _assignment(tok.word)
                if assign is not None:
                    self.take()
                    assigns.append(assign)
                    continue
            self.take()
            words.append(tok.word)
            if len(words) == 1 and not assigns and not redirects and \
                    self._is(self.peek(), "("):
                self.take()
                self.expect(")")
                return self._function(tok.text, tok)
        if not (assigns or words or redirects):
            raise self.unexpected(self.peek())
        return Simple(assigns, words, redirects, line)

    def _function(self, name: str, tok: Token) -> Node:
        if not _NAME.match(name) and self.shell != "bash":
            raise self.unexpected(tok)
        self.skip_newlines()
        body_tok = self.peek()
        body = self.parse_command()
        if isinstance(body, Simple):
            raise self.unexpected(body_tok)
        return FunctionDef(name, body)

    def _if(self) -> Node:
        self.take()
        clauses: list[tuple[Node, Node]] = []
        orelse: Node | None = None
        while True:
            cond = self._body("then")
            self.expect("then")
            clauses.append((cond, self._body("fi")))
            keyword = self._keyword(self.peek())
            if keyword == "elif":
                self.take()
                continue
            if keyword == "else":
                self.take()
                orelse = self._body("fi")
            self.expect("fi")
            return If(clauses, orelse, self._redirects())

    def _for(self) -> Node:
        self.take()
        name = self.take()
        if name.kind != "word" or not _NAME.match(name.text):
            raise self.unexpected(name)
        items: list[Word] | None = None
        self.skip_newlines()
        if self._keyword(self.peek()) == "in":
            self.take()
            items = []
            while (tok := self.peek()).kind == "word":
                assert tok.word is not None
                items.append(tok.word)
                self.take()
            tok = self.peek()
            if not (tok.kind == "newline" or self._is(tok, ";")):
                raise self.unexpected(tok, "do")
            self.take()
        elif self._is(self.peek(), ";"):
            self.take()
        self.skip_newlines()
        self.expect("do")
        body = self._body("done")
        self.expect("done")
        return For(name.text, items, body, self._redirects())

    def _case(self) -> Node:
        self.take()
        subject = self.take()
        if subject.kind != "word" or subject.word is None:
            raise self.unexpected(subject)
        self.skip_newlines()
        self.expect("in")
        items: list[CaseItem] = []
        while True:
            self.skip_newlines()
            tok = self.peek()
            if self._keyword(tok) == "esac":
                self.take()
                return Case(subject.word, items, self._redirects())
            if self._is(tok, "("):
                self.take()
            patterns: list[Word] = []
            while True:
                tok = self.take()
                if tok.kind != "word" or tok.word is None:
                    raise self.unexpected(tok, "esac")
                patterns.append(tok.word)
                if self._is(self.peek(), "|"):
                    self.take()
                    continue
                break
            self.expect(")")
            body = self.parse_list(top=False)
            self.skip_newlines()
            tok = self.peek()
            if self._is(tok, ";;") or self._is(tok, ";&"):
                self.take()
                items.append(CaseItem(patterns, body, tok.text == ";&"))
                continue
            items.append(CaseItem(patterns, body))
            if self._keyword(tok) != "esac":
                raise self.unexpected(tok, "esac")

    def _cond(self) -> Node:
        self.take()
        words: list[Word] = []
        while True:
            tok = self.take()
            if tok.kind == "eof":
                raise self.unexpected(tok, "]]")
            if tok.kind == "newline":
                raise self.unexpected(tok)
            if tok.kind == "word" and self._keyword(tok) == "]]":
                return CondCommand(words, self._redirects())
            words.append(tok.word if tok.word is not None else Word([Lit(tok.text)]))


def _assignment(word: Word) -> Assign | None:
    first = word.parts[0]
    if not isinstance(first, Lit) or first.quoted:
        return None
    m = _ASSIGNMENT.match(first.text)
    if not m:
        return None
    rest = first.text[m.end():]
    parts: list[Part] = [Lit(rest)] if rest else []
    if rest.startswith("~") and (len(rest) == 1 or rest[1] == "/"):
        parts = [Tilde("")] + ([Lit(rest[1:])] if len(rest) > 1 else [])
    parts += word.parts[1:]
    return Assign(m.group(1), Word(parts or [Lit("", True)]), append=bool(m.group(2)))


def _redirects_of(node: Node) -> list[Redirect]:
    redirects = getattr(node, "redirects", None)
    return redirects if isinstance(redirects, list) else []


def parse(src: str, *, shell: str = "ash") -> list[Node]:
    """Every command of ``src`` (raises ShellSyntaxError)."""
    return Parser(src, shell=shell).parse_all()
