"""``kubectl exec -it POD -- sh``: prompts, the terminal's echo and line editing, Ctrl-C
and Ctrl-D, and ``kubectl exec -i POD -- sh < script`` without a terminal."""

from __future__ import annotations

from kitlib.sim.runtime.shell import DEBIAN, debian
from tests.unit.shellkit import run_session

BASH = debian(shell="bash")


def test_busybox_session_transcript() -> None:
    result = run_session([b"echo hi\r", b"cd /tmp\r", b"nosuch\r", b"exit 3\r"])
    assert result.stdout == ("/ # echo hi\r\nhi\r\n"
                             "/ # cd /tmp\r\n"
                             "/tmp # nosuch\r\nsh: nosuch: not found\r\n"
                             "/tmp # exit 3\r\n")
    assert result.stderr == ""                       # one terminal: everything on stdout
    assert result.status == 3


def test_bash_session_in_a_debian_pod() -> None:
    result = run_session([b"pwd\r", b"cd /root\r", b"exit\r"], argv=["bash"], flavour=BASH,
                         hostname="nginx-7c5ddbdf54-x8kqz")
    assert result.stdout == ("root@nginx-7c5ddbdf54-x8kqz:/# pwd\r\n/\r\n"
                             "root@nginx-7c5ddbdf54-x8kqz:/# cd /root\r\n"
                             "root@nginx-7c5ddbdf54-x8kqz:~# exit\r\nexit\r\n")
    assert result.status == 0


def test_dash_counts_lines_in_its_messages() -> None:
    result = run_session([b"nosuch\r", b"nosuch\r"], flavour=DEBIAN)
    assert result.stdout == ("# nosuch\r\nsh: 1: nosuch: not found\r\n"
                             "# nosuch\r\nsh: 2: nosuch: not found\r\n# \r\n")


def test_line_editing_and_crlf_from_the_client() -> None:
    result = run_session([b"ech\x7f\x7fcho ok\r\n", b"exit\r"])
    assert result.stdout == "/ # ech\b \b\b \bcho ok\r\nok\r\n/ # exit\r\n"


def test_continuation_lines_get_ps2() -> None:
    result = run_session([b"for i in 1 2\r", b"do echo $i\r", b"done\r", b"exit\r"])
    assert result.stdout == ("/ # for i in 1 2\r\n> do echo $i\r\n> done\r\n1\r\n2\r\n"
                             "/ # exit\r\n")


def test_ctrl_c_interrupts_a_running_command() -> None:
    result = run_session([b"sleep 1000\r", b"\x03", b"echo $?\r", b"exit\r"],
                         virtual_time=False)
    assert result.stdout == "/ # sleep 1000\r\n^C\r\n/ # echo $?\r\n130\r\n/ # exit\r\n"


def test_ctrl_c_at_the_prompt_discards_the_line() -> None:
    result = run_session([b"echo never", b"\x03", b"exit 0\r"])
    assert result.stdout == "/ # echo never^C\r\n/ # exit 0\r\n"


def test_ctrl_d_ends_cat_then_the_shell() -> None:
    result = run_session([b"cat\r", b"typed\r", b"\x04", b"\x04"], flavour=BASH,
                         argv=["bash"], hostname="web")
    assert result.stdout == ("root@web:/# cat\r\ntyped\r\ntyped\r\n"
                             "root@web:/# exit\r\n")
    assert result.status == 0


def test_stdin_script_without_a_terminal_has_no_prompt() -> None:
    result = run_session([b"echo one\n", b"read line\n", b"consumed by read\n",
                          b"echo \"got: $line\"\n"], tty=False)
    assert result.stdout == "one\ngot: consumed by read\n"
    assert result.stderr == ""


def test_sh_minus_i_without_a_terminal_prompts_on_stderr() -> None:
    result = run_session([b"echo hi\n"], argv=["sh", "-i"], tty=False)
    assert result.stdout == "hi\n"
    assert result.stderr == "/ # / # \n"


def test_a_syntax_error_does_not_end_the_session() -> None:
    result = run_session([b"fi\r", b"echo still here\r", b"exit\r"])
    assert "sh: syntax error: unexpected \"fi\"\r\n" in result.stdout
    assert "still here\r\n" in result.stdout


def test_runaway_command_is_stopped_and_the_prompt_returns() -> None:
    result = run_session([b"while :; do :; done\r", b"echo alive\r", b"exit\r"])
    assert "step limit exceeded" in result.stdout
    assert result.stdout.endswith("alive\r\n/ # exit\r\n")


def test_exec_it_of_a_plain_command_uses_the_terminal() -> None:
    result = run_session([b"hello\r", b"\x04"], argv=["cat"], command=True)
    assert result.stdout == "hello\r\nhello\r\n"
    assert result.status == 0


def test_ctrl_c_reaches_only_the_innermost_shell() -> None:
    result = run_session([b"sh\r", b"sleep 1000\r", b"\x03", b"echo inner $?\r", b"exit\r",
                          b"echo outer $?\r", b"exit\r"], virtual_time=False)
    assert result.stdout == ("/ # sh\r\n/ # sleep 1000\r\n^C\r\n/ # echo inner $?\r\n"
                             "inner 130\r\n/ # exit\r\n/ # echo outer $?\r\nouter 0\r\n"
                             "/ # exit\r\n")


def test_ctrl_c_stops_a_script_on_a_terminal() -> None:
    result = run_session([b"\x03"], argv=["sh", "-c", "sleep 1000"], virtual_time=False)
    assert result.status == 130
