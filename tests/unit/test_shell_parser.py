"""The shell's pure parts: lexer and parser, arithmetic, patterns, regular expressions."""

from __future__ import annotations

import pytest

from kitlib.sim.runtime.shell import pattern
from kitlib.sim.runtime.shell.arith import ArithError, evaluate
from kitlib.sim.runtime.shell.errors import ShellSyntaxError
from kitlib.sim.runtime.shell.nodes import (AndOr, Case, CommandSub, For, FunctionDef, If, Lit,
                                            Loop, Param, Pipeline, Sequence, Simple, Subshell)
from kitlib.sim.runtime.shell.parser import Parser, parse
from kitlib.sim.runtime.shell.regex import Regex, RegexError


def test_simple_command_with_assignments_and_redirects() -> None:
    (node,) = parse("A=1 B='x y' cmd arg >out 2>&1 <in")
    assert isinstance(node, Simple)
    assert [(a.name, a.value.parts) for a in node.assigns] == \
        [("A", [Lit("1")]), ("B", [Lit("x y", True)])]
    assert [w.literal() for w in node.words] == ["cmd", "arg"]
    assert [(r.op, r.fd) for r in node.redirects] == [(">", None), (">&", 2), ("<", None)]


def test_lists_pipelines_and_and_or() -> None:
    (node,) = parse("a | b && ! c || d; e &")
    assert isinstance(node, Sequence)
    first, background = node.items[0]
    assert isinstance(first, AndOr) and not background
    assert isinstance(first.first, Pipeline) and len(first.first.commands) == 2
    assert [op for op, _ in first.rest] == ["&&", "||"]
    assert isinstance(first.rest[0][1], Pipeline) and first.rest[0][1].negate
    assert node.items[1][1] is True


def test_compound_commands() -> None:
    nodes = parse("if a; then b; elif c; then d; else e; fi\n"
                  "while a; do b; done\nuntil a; do b; done\n"
                  "for x in 1 2; do :; done\nfor y; do :; done\n"
                  "case $v in a|b) x;; (c) y;; esac\n"
                  "f() { echo; }\n(sub)")
    kinds = [type(n) for n in nodes]
    assert kinds == [If, Loop, Loop, For, For, Case, FunctionDef, Subshell]
    assert len(nodes[0].clauses) == 2 and nodes[0].orelse is not None
    assert nodes[2].until
    assert nodes[4].items is None
    assert [len(i.patterns) for i in nodes[5].items] == [2, 1]


def test_keywords_only_in_command_position() -> None:
    (node,) = parse("echo if then fi done")
    assert [w.literal() for w in node.words] == ["echo", "if", "then", "fi", "done"]


def test_words_keep_their_quoting() -> None:
    (node,) = parse("echo \"a $x\" 'b $y' c\\ d $(e) `f` ${g:-h}")
    words = node.words[1:]
    assert words[0].parts == [Lit("a ", True), Param("x", quoted=True)]
    assert words[1].parts == [Lit("b $y", True)]
    assert words[2].parts == [Lit("c"), Lit(" ", True), Lit("d")]
    assert isinstance(words[3].parts[0], CommandSub)
    assert isinstance(words[4].parts[0], CommandSub)
    assert words[5].parts[0].op == ":-"


def test_command_substitution_holds_a_whole_script() -> None:
    (node,) = parse("echo $(case x in x) echo ')';; esac; echo done)")
    assert isinstance(node.words[1].parts[0].body, Sequence)


def test_heredocs_read_their_bodies_after_the_line() -> None:
    nodes = parse("cat <<A <<-'B'; echo after\nbody $x\nA\n\tliteral $y\n\tB\necho next")
    first = nodes[0].items[0][0]
    a, b = first.redirects
    assert a.heredoc.body.parts[1] == Param("x", quoted=True)
    assert b.heredoc.body.parts == [Lit("literal $y\n", True)]
    assert nodes[1].words[0].literal() == "echo"


def test_a_heredoc_left_open_inside_a_substitution_ends_empty() -> None:
    # Found by test_shell_fuzz: its body was never read, and running it failed.
    (node,) = parse("echo $(cat <<a)x")
    (inner,) = node.words[1].parts[0].body.redirects
    assert inner.heredoc.body.parts == [Lit("", True)]


@pytest.mark.parametrize("text", ["if true; then", "echo 'open", "echo \"open", "a |",
                                  "a &&", "cat <<EOF\nbody", "echo $(echo", "f() {",
                                  "case x in"])
def test_incomplete_input_asks_for_more(text: str) -> None:
    with pytest.raises(ShellSyntaxError) as caught:
        Parser(text, final=False).parse_all()
    assert caught.value.incomplete


@pytest.mark.parametrize("text,token", [("fi", "fi"), ("echo a; done", "done"),
                                        ("a && ;", ";"), ("( )", ")"), ("echo >\n", "newline")])
def test_unexpected_tokens(text: str, token: str) -> None:
    with pytest.raises(ShellSyntaxError) as caught:
        parse(text)
    assert (caught.value.kind, caught.value.token) == ("token", token)
    assert not caught.value.incomplete


def test_dash_does_not_know_ampersand_redirections() -> None:
    (ash,) = parse("echo hi &>/dev/null", shell="ash")
    assert ash.redirects[0].op == "&>"
    (dash,) = parse("echo hi &>/dev/null", shell="dash")
    assert isinstance(dash, Sequence) and dash.items[0][1] is True   # "echo hi &" then ">file"


def test_line_numbers() -> None:
    nodes = parse("a\n\nb\nc")
    assert [n.line for n in nodes] == [1, 3, 4]


# --- arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize("expr,value", [
    ("1+2*3", 7), ("(1+2)*3", 9), ("-7/2", -3), ("-7%3", -1), ("2**10", 1024),
    ("1<<62<<1", -9223372036854775808), ("010", 8), ("0x1f", 31), ("16#ff", 255),
    ("3>2 && 2>1", 1), ("0 || 0", 0), ("!5", 0), ("~0", -1), ("1 ? 10 : 20", 10),
    ("x=4, x*x", 16), ("y += 3", 3), ("", 0),
])
def test_arithmetic(expr: str, value: int) -> None:
    variables: dict[str, str] = {}
    assert evaluate(expr, lambda n: variables.get(n, ""),
                    lambda n, v: variables.__setitem__(n, v)) == value


def test_arithmetic_side_effects_and_short_circuit() -> None:
    variables = {"i": "5", "e": "i*2"}
    get, put = (lambda n: variables.get(n, "")), (lambda n, v: variables.__setitem__(n, v))
    assert evaluate("i++ + ++i", get, put) == 12 and variables["i"] == "7"
    assert evaluate("e + 1", get, put) == 15
    assert evaluate("0 && (z = 1)", get, put) == 0 and "z" not in variables


@pytest.mark.parametrize("expr,kind", [("1/0", "divzero"), ("1+", "syntax"), ("(1", "syntax"),
                                       ("2**-1", "exponent"), ("a=", "syntax")])
def test_arithmetic_errors(expr: str, kind: str) -> None:
    with pytest.raises(ArithError) as caught:
        evaluate(expr, lambda n: "", lambda n, v: None)
    assert caught.value.kind == kind


# --- patterns -------------------------------------------------------------------------


@pytest.mark.parametrize("text,pat,hit", [
    ("hello.txt", "*.txt", True), ("hello.txt", "*.py", False), ("a", "?", True),
    ("ab", "?", False), ("b", "[a-c]", True), ("d", "[!a-c]", True), ("*", "\\*", True),
    ("x", "\\*", False), ("x1", "x[[:digit:]]", True), ("]", "[]]", True), ("", "*", True),
    ("abc", "a*b*c", True), ("abd", "a*b*c", False),
])
def test_pattern_match(text: str, pat: str, hit: bool) -> None:
    assert pattern.match(text, pat) is hit


def test_prefix_and_suffix_lengths() -> None:
    assert pattern.prefix_lengths("a/b/c", "*/") == [2, 4]
    assert pattern.suffix_lengths("file.tar.gz", ".*") == [3, 7]
    assert pattern.prefix_lengths("abc", "x*") == []


# --- regular expressions --------------------------------------------------------------


def _match(pat: str, text: str, **options: bool) -> str | None:
    found = Regex(pat, **options).search(text)
    return None if found is None else text[found[0][0]:found[0][1]]


@pytest.mark.parametrize("pat,text,extended,matched", [
    ("hel+o", "say helllo", True, "helllo"), ("a|ab|abc", "xabcd", True, "abc"),
    ("(a|b)+c", "xxababcx", True, "ababc"), ("^foo", "foo bar", True, "foo"),
    ("^bar", "foo bar", True, None), ("bar$", "foo bar", True, "bar"),
    ("[0-9]{2,3}", "a12345", True, "123"), ("\\(ab\\)*c", "ababcd", False, "ababc"),
    ("a\\{2\\}", "caaat", False, "aa"), ("[[:digit:]]+", "abc 123", True, "123"),
    ("x*", "aaa", True, ""), ("a.c", "abc", False, "abc"), ("a\\.c", "abc", False, None),
    ("\\bcat\\b", "concat cat", False, "cat"), ("a+", "a+", False, "a+"),
])
def test_regex(pat: str, text: str, extended: bool, matched: str | None) -> None:
    assert _match(pat, text, extended=extended) == matched


def test_regex_options_and_groups() -> None:
    assert _match("HELLO", "say hello", icase=True) == "hello"
    assert _match("b", "abc", whole_line=True) is None
    found = Regex("([a-z]+)=([0-9]+)", extended=True).search("x key=42")
    assert found == [(2, 8), (2, 5), (6, 8)]


@pytest.mark.parametrize("pat", ["(ab", "[abc", "a\\", "x{2,1}"])
def test_regex_errors(pat: str) -> None:
    with pytest.raises(RegexError):
        Regex(pat, extended=True)


def test_regex_is_linear_on_pathological_patterns() -> None:
    import time
    start = time.perf_counter()
    assert Regex("(a|aa)*b", extended=True).search("a" * 5000) is None
    assert Regex("(a*)*b", extended=True).search("a" * 5000) is None
    assert time.perf_counter() - start < 2
