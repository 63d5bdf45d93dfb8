"""What the provisional runtime predicts a container's process does, from its command."""

from __future__ import annotations

import pytest

from kitlib.sim.runtime.catalogue import default_catalogue
from kitlib.sim.runtime.commands import FOREVER, plan_process
from kitlib.sim.runtime.reference import parse_reference


def image(name: str):  # type: ignore[no-untyped-def]
    return default_catalogue().find(parse_reference(name))


@pytest.mark.parametrize(("command", "args", "runs_for", "code"), [
    ((), (), 0.0, 0),                                            # busybox: sh, no terminal
    (("sleep", "30"), (), 30.0, 0),
    (("sleep", "1h"), (), 3600.0, 0),
    (("sleep", "infinity"), (), FOREVER, 0),
    (("sh", "-c", "exit 3"), (), 0.0, 3),
    (("sh", "-c"), ("echo hi; sleep 5; exit 2",), 5.0, 2),
    (("/bin/sh", "-c", "false && exit 4 || exit 5"), (), 0.0, 5),
    (("sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"), (), 630.0, 0),
    (("sh", "-c", "while true; do sleep 1; done"), (), FOREVER, 0),
    (("sh", "-c", "if [ -f x ]; then exit 1; fi"), (), FOREVER, 0),
    (("sh", "-c", "sleep 100 & exit 0"), (), 0.0, 0),
    (("tail", "-f", "/dev/null"), (), FOREVER, 0),
    (("false",), (), 0.0, 1),
    (("my-own-server",), (), FOREVER, 0),
])
def test_busybox_commands(command: tuple[str, ...], args: tuple[str, ...],
                          runs_for: float | None, code: int) -> None:
    plan = plan_process(command=command, args=args, image=image("busybox"))
    assert (plan.runs_for, plan.exit_code) == (runs_for, code)


def test_servers_run_until_stopped_and_stop_as_their_image_says() -> None:
    nginx = plan_process(command=(), args=(), image=image("nginx"))
    assert (nginx.runs_for, nginx.on_sigterm) == (FOREVER, "graceful")
    assert plan_process(command=(), args=("nginx", "-g", "daemon off;"),
                        image=image("nginx")).runs_for is FOREVER


def test_pid_one_shells_ignore_sigterm_unless_they_trap_it() -> None:
    assert plan_process(command=("sleep", "3600"), args=(), image=image("busybox")).on_sigterm \
        == "ignore"
    trapped = plan_process(command=("sh", "-c", "trap 'exit 0' TERM; sleep 3600"), args=(),
                           image=image("busybox"))
    assert trapped.on_sigterm == "graceful"


def test_an_interactive_shell_waits() -> None:
    assert plan_process(command=(), args=(), image=image("busybox"),
                        interactive=True).runs_for is FOREVER


def test_scratch_images_have_no_shell() -> None:
    plan = plan_process(command=("sh", "-c", "echo hi"), args=(), image=image("traefik/whoami"))
    assert plan.exit_code == 128
    assert plan.start_error.endswith('exec: "sh": executable file not found in $PATH: unknown')


def test_unknown_images_are_not_judged() -> None:
    assert plan_process(command=(), args=(), image=None).runs_for is FOREVER
    assert plan_process(command=("sh", "-c", "exit 7"), args=(), image=None).exit_code == 7
