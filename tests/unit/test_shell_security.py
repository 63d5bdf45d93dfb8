"""Nothing a script does reaches the host, and no script can stall the simulator: every
file is the container's, every loop is counted, every byte of output is bounded."""

from __future__ import annotations

import ast
import time
from pathlib import Path

from kitlib.sim.runtime.process import Limits
from kitlib.sim.runtime.shell import BUSYBOX, DEBIAN, debian
from kitlib.sim.runtime.shell.parser import parse
from tests.unit.shellkit import MemoryFS, run

PACKAGE = Path(__file__).resolve().parents[2] / "kitlib" / "sim" / "runtime" / "shell"
FORBIDDEN_MODULES = {"os", "subprocess", "socket", "shutil", "pathlib", "sys", "io",
                     "importlib", "ctypes", "pickle", "marshal", "multiprocessing",
                     "threading", "signal", "pty", "tempfile", "glob", "fnmatch", "builtins"}
FORBIDDEN_CALLS = {"open", "eval", "exec", "compile", "__import__", "getattr_static",
                   "breakpoint", "input"}


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_package_imports_nothing_that_touches_the_host() -> None:
    for path in _sources():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "").split(".")[0]]
            else:
                continue
            assert not set(names) & FORBIDDEN_MODULES, (path.name, names)


def test_the_package_never_calls_open_eval_or_exec() -> None:
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in FORBIDDEN_CALLS, (path.name, node.func.id,
                                                             node.lineno)


def test_etc_passwd_is_the_containers_own() -> None:
    empty = run("cat /etc/passwd")
    assert (empty.stdout, empty.status) == ("", 1)
    assert empty.stderr == "cat: can't open '/etc/passwd': No such file or directory\n"
    own = run("cat /etc/passwd", files={"/etc/passwd": "root:x:0:0:root:/root:/bin/sh\n"})
    assert own.stdout == "root:x:0:0:root:/root:/bin/sh\n"


def test_dot_dot_stays_inside_the_virtual_root() -> None:
    files = {"/etc/hostname": "pod\n"}
    result = run("cd ../../..; pwd; cd /tmp/../../../..; pwd; cat ../../../../etc/hostname; "
                 "ls ../../.. | head -3", files=files)
    assert result.stdout == "/\n/\npod\nbin\ndev\netc\n"


def test_command_substitution_is_interpreted_not_executed() -> None:
    fs = MemoryFS({"/data/keep": "x"})
    result = run("echo $(python3 -c 'import os; os.system(\"id\")'); echo `uname -s`; "
                 "x=$(rm -rf /data); ls /data", fs=fs)
    assert result.stdout == "\nLinux\n"
    assert result.stderr == ("sh: python3: not found\n"
                             "ls: /data: No such file or directory\n")
    assert not fs.exists("/data")                  # the container's file, and only it


def test_rm_rf_slash_is_refused_like_coreutils() -> None:
    fs = MemoryFS({"/data/keep": "x"})
    result = run("rm -rf /", fs=fs, flavour=DEBIAN)
    assert result.status == 1
    assert "dangerous to operate recursively on '/'" in result.stderr
    assert fs.exists("/data/keep")


def test_a_busy_loop_hits_the_step_limit() -> None:
    result = run("while true; do :; done; echo never", limits=Limits(steps=5000))
    assert result.status == 137
    assert result.stdout == ""
    assert result.stderr == ("sh: step limit exceeded (5000 steps): the simulator stopped "
                             "this script\n")


def test_a_loop_that_sleeps_runs_on_and_on() -> None:
    result = run("while true; do echo tick; sleep 1; done", limits=Limits(steps=50),
                 kill_after=100)
    assert result.stdout.count("tick") == 101      # far more steps than the limit
    assert result.status == 137                    # killed by the test, not the limit


def test_output_limit_ends_a_flood() -> None:
    result = run("yes hello", limits=Limits(output=10_000))
    assert result.status == 137
    assert len(result.stdout) <= 10_000


def test_command_substitution_of_a_flood_is_bounded() -> None:
    result = run("x=$(yes); echo never", limits=Limits(output=100_000))
    assert result.status == 137
    assert "output limit exceeded" in result.stderr


def test_doubling_a_variable_is_bounded() -> None:
    result = run("x=ab; while true; do x=$x$x; done", limits=Limits(output=1_000_000))
    assert result.status == 137
    assert "longer than 1000000 bytes" in result.stderr


def test_yes_into_head_ends_with_a_broken_pipe() -> None:
    start = time.perf_counter()
    result = run("yes | head -3; echo $?")
    assert result.stdout == "y\ny\ny\n0\n"
    assert time.perf_counter() - start < 1


def test_a_builtin_loop_into_head_dies_of_sigpipe() -> None:
    result = run("while true; do echo y; done | head -2; echo end")
    assert result.stdout == "y\ny\nend\n"


def test_a_one_megabyte_string_parses_and_runs_quickly() -> None:
    big = "x" * 1_000_000
    start = time.perf_counter()
    nodes = parse(f"echo \"{big}\" '{big}' {big} | wc -c")
    assert len(nodes) == 1
    result = run(f"echo \"{big}\" | wc -c")
    assert result.stdout == "1000001\n"
    assert time.perf_counter() - start < 5


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    result = run("(" * 5000 + "echo deep" + ")" * 5000)
    assert result.status == 2
    assert "nesting too deep" in result.stderr


def test_recursion_is_stopped() -> None:
    functions = run("f() { f; }; f; echo after")
    assert functions.status == 2
    assert "functions nested deeper than" in functions.stderr
    evals = run("x='eval \"$x\"'; eval \"$x\"")
    assert evals.status == 2
    assert "nested deeper than" in evals.stderr
    shells = run("export x='sh -c \"$x\"'; sh -c \"$x\"")
    assert shells.status == 2


def test_a_fork_bomb_is_contained() -> None:
    start = time.perf_counter()
    result = run(":(){ :|:& };:; sleep 10; echo survived", flavour=debian(shell="bash"))
    assert result.stdout == "survived\n"
    assert time.perf_counter() - start < 10


def test_arithmetic_wraps_at_64_bits_instead_of_growing() -> None:
    result = run("echo $((2**4000)) $((9223372036854775807 + 1))", flavour=BUSYBOX)
    assert result.stdout == "0 -9223372036854775808\n"


def test_catastrophic_regexes_run_in_linear_time() -> None:
    start = time.perf_counter()
    result = run("printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\n' | grep -E '(a*)*b'; echo $?")
    assert result.stdout == "1\n"
    assert time.perf_counter() - start < 2


def test_devices_are_the_shells_own() -> None:
    result = run("echo gone > /dev/null; head -c 4 /dev/zero | wc -c; "
                 "echo out > /dev/stdout; echo err > /dev/stderr")
    assert result.stdout == "4\nout\n"
    assert result.stderr == "err\n"
