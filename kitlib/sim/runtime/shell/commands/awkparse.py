"""awk's language, parsed into nested tuples: the part of POSIX awk scripts use in
one-liners (patterns and actions, fields, arrays, the usual statements and builtins)."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"""
    (?P<ws>[ \t]+|\\\n|\#[^\n]*)
  | (?P<nl>[\n;]+)
  | (?P<num>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\+\+|--|\+=|-=|\*=|/=|%=|\^=|==|<=|>=|!=|&&|\|\||!~|>>|[-+*/%^!<>=~?:,(){}\[\]$|])
""", re.X)
KEYWORDS = {"BEGIN", "END", "if", "else", "while", "for", "in", "do", "next", "exit", "print",
            "printf", "delete", "break", "continue", "getline", "function", "return"}
BUILTINS = {"length", "substr", "index", "split", "sub", "gsub", "match", "sprintf",
            "tolower", "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand",
            "srand", "system"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "/": "/", "a": "\a",
            "b": "\b", "f": "\f", "v": "\v"}


class AwkError(Exception):
    pass


def unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(_ESCAPES.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def tokenize(src: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(src):
        if src[pos] == "/" and _regex_allowed(tokens):
            end = pos + 1
            while end < len(src) and src[end] != "/":
                end += 2 if src[end] == "\\" else 1
            if end >= len(src):
                raise AwkError("unterminated regexp")
            tokens.append(("re", src[pos + 1:end].replace("\\/", "/")))
            pos = end + 1
            continue
        m = _TOKEN.match(src, pos)
        if not m:
            raise AwkError(f"syntax error at source line 1: unexpected character '{src[pos]}'")
        pos = m.end()
        kind = m.lastgroup or ""
        if kind == "ws":
            continue
        text = m.group()
        if kind == "nl":
            tokens.append(("nl", ";" if ";" in text else "\n"))
        elif kind == "str":
            tokens.append(("str", unescape(text[1:-1])))
        elif kind == "name":
            tokens.append(("kw" if text in KEYWORDS else "fn" if text in BUILTINS else "name",
                           text))
        else:
            tokens.append((kind, text))
    tokens.append(("eof", ""))
    return tokens


def _regex_allowed(tokens: list[tuple[str, str]]) -> bool:
    if not tokens:
        return True
    kind, text = tokens[-1]
    if kind in ("num", "str", "name", "re"):
        return False
    return not (kind == "op" and text in (")", "]", "$", "++", "--"))


class Parser:
    def __init__(self, src: str) -> None:
        self.tokens = tokenize(src)
        self.i = 0

    def peek(self, k: int = 0) -> tuple[str, str]:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        return self.peek()[1] == text and self.peek()[0] in ("op", "kw")

    def expect(self, text: str) -> None:
        if not self.at(text):
            raise AwkError(f"syntax error at source line 1: expected '{text}' near "
                           f"'{self.peek()[1]}'")
        self.i += 1

    def newlines(self) -> None:
        while self.peek()[0] == "nl":
            self.i += 1

    # --- program ----------------------------------------------------------------------

    def program(self) -> list[tuple]:
        items: list[tuple] = []
        self.newlines()
        while self.peek()[0] != "eof":
            if self.at("BEGIN") or self.at("END"):
                kind = self.take()[1]
                self.newlines()
                items.append((kind, None, self.block()))
            elif self.at("function"):
                raise AwkError("user-defined functions are not supported by this awk")
            elif self.at("{"):
                items.append(("main", None, self.block()))
            else:
                pattern = self.expr()
                if self.at(","):
                    self.take()
                    pattern = ("range", pattern, self.expr(), [False])
                body = self.block() if self.at("{") else [("print", [], None)]
                items.append(("main", pattern, body))
            self.newlines()
        return items

    def block(self) -> list[tuple]:
        self.expect("{")
        body = self.statements("}")
        self.expect("}")
        return body

    def statements(self, end: str) -> list[tuple]:
        out: list[tuple] = []
        while True:
            self.newlines()
            if self.at(end) or self.peek()[0] == "eof":
                return out
            out.append(self.statement())

    def simple_end(self) -> None:
        if self.peek()[0] == "nl":
            self.take()
        elif not self.at("}") and self.peek()[0] != "eof":
            raise AwkError(f"syntax error at source line 1: unexpected '{self.peek()[1]}'")

    def statement(self) -> tuple:
        kind, text = self.peek()
        if text == "{" and kind == "op":
            return ("block", self.block())
        if kind == "kw":
            if text == "if":
                self.take()
                self.expect("(")
                cond = self.expr()
                self.expect(")")
                self.newlines()
                then = self.statement()
                self.newlines()
                orelse = None
                if self.at("else"):
                    self.take()
                    self.newlines()
                    orelse = self.statement()
                return ("if", cond, then, orelse)
            if text == "while":
                self.take()
                self.expect("(")
                cond = self.expr()
                self.expect(")")
                self.newlines()
                return ("while", cond, self.statement())
            if text == "do":
                self.take()
                self.newlines()
                body = self.statement()
                self.newlines()
                self.expect("while")
                self.expect("(")
                cond = self.expr()
                self.expect(")")
                return ("do", body, cond)
            if text == "for":
                return self.for_()
            if text in ("next", "break", "continue"):
                self.take()
                self.simple_end()
                return (text,)
            if text == "exit":
                self.take()
                value = None if self.peek()[0] in ("nl", "eof") or self.at("}") else self.expr()
                self.simple_end()
                return ("exit", value)
            if text == "delete":
                self.take()
                name = self.take()[1]
                index = None
                if self.at("["):
                    self.take()
                    index = self.expr_list("]")
                    self.expect("]")
                self.simple_end()
                return ("delete", name, index)
            if text in ("print", "printf"):
                return self.print_()
        value = self.expr()
        self.simple_end()
        return ("expr", value)

    def for_(self) -> tuple:
        self.take()
        self.expect("(")
        if self.peek()[0] == "name" and self.peek(1) == ("kw", "in") and \
                self.peek(2)[0] == "name" and self.peek(3) == ("op", ")"):
            var = self.take()[1]
            self.take()
            array = self.take()[1]
            self.take()
            self.newlines()
            return ("forin", var, array, self.statement())
        init = None if self.peek()[0] == "nl" else self.expr()
        self.expect_semicolon()
        cond = None if self.peek()[0] == "nl" else self.expr()
        self.expect_semicolon()
        step = None if self.at(")") else self.expr()
        self.expect(")")
        self.newlines()
        return ("for", init, cond, step, self.statement())

    def expect_semicolon(self) -> None:
        if self.peek()[0] != "nl":
            raise AwkError("syntax error at source line 1: expected ';'")
        self.take()

    def print_(self) -> tuple:
        name = self.take()[1]
        args: list[tuple] = []
        parens = self.at("(") and self._paren_list_then_end()
        if parens:
            self.take()
            args = self.expr_list(")", no_gt=False)
            self.expect(")")
        elif not (self.peek()[0] in ("nl", "eof") or self.at("}") or self.at(">") or
                  self.at(">>") or self.at("|")):
            args = self.expr_list(None, no_gt=True)
        target = None
        if self.at(">") or self.at(">>"):
            mode = self.take()[1]
            target = (mode, self.concat(no_gt=True))
        self.simple_end()
        return (name, args, target)

    def _paren_list_then_end(self) -> bool:
        depth = 0
        j = self.i
        while j < len(self.tokens):
            kind, text = self.tokens[j]
            if kind == "op" and text in "([":
                depth += 1
            elif kind == "op" and text in ")]":
                depth -= 1
                if depth == 0:
                    nxt = self.tokens[j + 1]
                    return nxt[0] in ("nl", "eof") or nxt[1] in ("}", ">", ">>", "|")
            j += 1
        return False

    def expr_list(self, end: str | None, *, no_gt: bool = False) -> list[tuple]:
        items = [self.expr(no_gt=no_gt)]
        while self.at(","):
            self.take()
            self.newlines()
            items.append(self.expr(no_gt=no_gt))
        return items

    # --- expressions ------------------------------------------------------------------

    def expr(self, *, no_gt: bool = False) -> tuple:
        left = self.ternary(no_gt)
        if self.peek()[0] == "op" and self.peek()[1] in ("=", "+=", "-=", "*=", "/=", "%=", "^="):
            if left[0] not in ("var", "field", "index"):
                raise AwkError("syntax error at source line 1: assignment to a non-variable")
            op = self.take()[1]
            return ("assign", op, left, self.expr(no_gt=no_gt))
        return left

    def ternary(self, no_gt: bool) -> tuple:
        cond = self.binary(0, no_gt)
        if self.at("?"):
            self.take()
            yes = self.expr(no_gt=no_gt)
            self.expect(":")
            return ("cond", cond, yes, self.expr(no_gt=no_gt))
        return cond

    _LEVELS: list[tuple[str, ...]] = [("||",), ("&&",), ("in",), ("~", "!~"),
                                      ("<", "<=", "!=", "==", ">", ">=")]

    def binary(self, level: int, no_gt: bool) -> tuple:
        if level >= len(self._LEVELS):
            return self.concat(no_gt=no_gt)
        left = self.binary(level + 1, no_gt)
        while True:
            kind, text = self.peek()
            if text not in self._LEVELS[level] or kind not in ("op", "kw") or \
                    (no_gt and text == ">"):
                return left
            self.take()
            if text in ("&&", "||"):
                self.newlines()
            if text == "in":
                left = ("in", left, self.take()[1])
                continue
            left = ("bin", text, left, self.binary(level + 1, no_gt))

    def concat(self, *, no_gt: bool = False) -> tuple:
        left = self.additive()
        while True:
            kind, text = self.peek()
            starts = kind in ("num", "str", "name", "fn", "re") or \
                (kind == "op" and text in ("$", "(", "!", "-", "+", "++", "--"))
            if not starts or (kind == "op" and text in ("-", "+")):
                return left
            if kind == "op" and text == "!":
                return left
            left = ("concat", left, self.additive())

    def additive(self) -> tuple:
        left = self.multiplicative()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            left = ("bin", op, left, self.multiplicative())
        return left

    def multiplicative(self) -> tuple:
        left = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/", "%"):
            op = self.take()[1]
            left = ("bin", op, left, self.unary())
        return left

    def unary(self) -> tuple:
        if self.peek()[0] == "op" and self.peek()[1] in ("!", "-", "+"):
            op = self.take()[1]
            return ("unary", op, self.unary())
        return self.power()

    def power(self) -> tuple:
        base = self.postfix()
        if self.at("^"):
            self.take()
            return ("bin", "^", base, self.unary())
        return base

    def postfix(self) -> tuple:
        if self.peek()[0] == "op" and self.peek()[1] in ("++", "--"):
            op = self.take()[1]
            return ("pre", op, self.postfix())
        node = self.primary()
        if node[0] in ("var", "field", "index") and self.peek()[0] == "op" and \
                self.peek()[1] in ("++", "--"):
            return ("post", self.take()[1], node)
        return node

    def primary(self) -> tuple:
        kind, text = self.take()
        if kind == "num":
            return ("num", float(text))
        if kind == "str":
            return ("str", text)
        if kind == "re":
            return ("match_record", text)
        if kind == "op" and text == "$":
            return ("field", self.postfix() if not self.at("(") else self.primary())
        if kind == "op" and text == "(":
            inner = self.expr()
            if self.at(","):
                items = [inner]
                while self.at(","):
                    self.take()
                    items.append(self.expr())
                self.expect(")")
                if not self.at("in"):
                    raise AwkError("syntax error at source line 1")
                self.take()
                return ("in", ("group", items), self.take()[1])
            self.expect(")")
            return ("paren", inner)
        if kind == "fn":
            args: list[tuple] = []
            if self.at("("):
                self.take()
                if not self.at(")"):
                    args = self.expr_list(")")
                self.expect(")")
            return ("call", text, args)
        if kind == "name":
            if self.at("["):
                self.take()
                index = self.expr_list("]")
                self.expect("]")
                return ("index", text, index)
            return ("var", text)
        if kind == "kw" and text == "getline":
            raise AwkError("getline is not supported by this awk")
        raise AwkError(f"syntax error at source line 1: unexpected '{text or 'end of program'}'")
