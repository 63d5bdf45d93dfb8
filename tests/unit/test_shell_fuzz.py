"""Whatever text arrives, the shell answers with an exit status: no input makes the
interpreter itself fail, hang or escape its limits."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitlib.sim.runtime.process import Limits
from kitlib.sim.runtime.shell import BUSYBOX, DEBIAN, Flavour, debian
from tests.unit.shellkit import run

PIECES = list("abx019 \t\n;&|<>()$`'\"\\{}[]*?~#=!%+-/:,.") + [
    "echo ", "if ", "then ", "fi", "for ", " in ", "do ", "done", "while ", "case ", "esac",
    "$(", "${", "$((", "))", "<<", "EOF\n", "cat ", "read ", "x=", "f()", "&&", "||", "2>&1",
    "[[ ", " ]]", "sed ", "grep ", "awk ", "printf ", "%s", "eval ", "exit ", "trap ",
    "set -e;", "sleep 1;", "wait", "shift", "export ", "cd ", "{1..3}", "seq 5|"]
FLAVOURS = [BUSYBOX, DEBIAN, debian(shell="bash")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.sampled_from(FLAVOURS))
def test_any_script_ends_with_a_status(pieces: list[str], flavour: Flavour) -> None:
    result = run("".join(pieces), flavour=flavour, limits=Limits(steps=2000, output=50_000),
                 kill_after=100)
    assert 0 <= result.status <= 255
    assert len(result.stdout) + len(result.stderr) <= 50_000
