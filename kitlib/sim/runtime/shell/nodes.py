"""The shell's syntax tree: what the parser builds and the interpreter walks.

Words keep their structure (which parts were quoted, which are expansions) because the
meaning of ``$x`` and ``"$x"`` differ only after parsing: field splitting and globbing
apply to the unquoted parts alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# --- words ------------------------------------------------------------------------------


@dataclass(slots=True)
class Lit:
    """Literal text; ``quoted`` text is neither split nor globbed."""

    text: str
    quoted: bool = False


@dataclass(slots=True)
class Param:
    """``$name``, ``${name}`` and ``${name OP arg}``."""

    name: str
    op: str = ""                      # "", ":-", "-", ":=", "#", "##", "%", "/", "len", ...
    arg: Word | None = None
    arg2: Word | None = None          # the replacement of ${x/p/r}, the length of ${x:o:l}
    quoted: bool = False


@dataclass(slots=True)
class CommandSub:
    """``$(...)`` and backquotes: the command's output, trailing newlines removed."""

    body: Node
    quoted: bool = False


@dataclass(slots=True)
class ArithSub:
    """``$((...))``: the expression text is expanded first, then evaluated."""

    expr: Word
    quoted: bool = False


@dataclass(slots=True)
class Tilde:
    """A leading ``~`` or ``~user``."""

    user: str = ""


Part = Union[Lit, Param, CommandSub, ArithSub, Tilde]


@dataclass(slots=True)
class Word:
    parts: list[Part]

    def literal(self) -> str | None:
        """The text of a word made of unquoted literal text only (keywords, names)."""
        if len(self.parts) == 1 and isinstance(self.parts[0], Lit) and not self.parts[0].quoted:
            return self.parts[0].text
        return None

    def source(self) -> str:
        """An approximation of the word as written (for messages and ``set -x``)."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, Lit):
                out.append(part.text)
            elif isinstance(part, Param):
                out.append("$" + part.name if not part.op else "${" + part.name + "}")
            elif isinstance(part, Tilde):
                out.append("~" + part.user)
            else:
                out.append("$(...)")
        return "".join(out)


@dataclass(slots=True)
class HereDoc:
    delimiter: str
    strip_tabs: bool
    quoted: bool                      # a quoted delimiter: the body is taken literally
    body: Word | None = None          # filled when the lexer reaches the body


# --- commands ---------------------------------------------------------------------------


@dataclass(slots=True)
class Redirect:
    op: str                           # < > >> >| <> <& >& << <<< &> &>>
    fd: int | None                    # the explicit descriptor (2>), None for the default
    target: Word | None = None
    heredoc: HereDoc | None = None


@dataclass(slots=True)
class Assign:
    name: str
    value: Word
    append: bool = False              # bash's name+=value


@dataclass(slots=True)
class Simple:
    assigns: list[Assign]
    words: list[Word]
    redirects: list[Redirect]
    line: int = 1


@dataclass(slots=True)
class Pipeline:
    commands: list[Node]
    negate: bool = False
    line: int = 1


@dataclass(slots=True)
class AndOr:
    first: Node
    rest: list[tuple[str, Node]]      # ("&&" | "||", pipeline)


@dataclass(slots=True)
class Sequence:
    items: list[tuple[Node, bool]]    # (and-or list, runs in the background)


@dataclass(slots=True)
class Subshell:
    body: Node
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class Group:
    body: Node
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class If:
    clauses: list[tuple[Node, Node]]  # (condition, body), for if and each elif
    orelse: Node | None = None
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class Loop:
    cond: Node
    body: Node
    until: bool = False
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class For:
    var: str
    items: list[Word] | None          # None: "$@"
    body: Node
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class CaseItem:
    patterns: list[Word]
    body: Node | None
    fallthrough: bool = False         # ;& (bash)


@dataclass(slots=True)
class Case:
    word: Word
    items: list[CaseItem]
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class FunctionDef:
    name: str
    body: Node


@dataclass(slots=True)
class ArithCommand:
    """bash's ``(( expr ))``."""

    expr: Word
    redirects: list[Redirect] = field(default_factory=list)


@dataclass(slots=True)
class CondCommand:
    """``[[ ... ]]`` (bash, and busybox ash): its words, tested without splitting."""

    words: list[Word]
    redirects: list[Redirect] = field(default_factory=list)


Node = Union[Simple, Pipeline, AndOr, Sequence, Subshell, Group, If, Loop, For, Case,
             FunctionDef, ArithCommand, CondCommand]
