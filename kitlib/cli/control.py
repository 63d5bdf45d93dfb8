"""``kit clock``, ``kit node``, ``kit fail``: the simulator's own controls, from a terminal.

What a real cluster lacks and a lesson needs: time that can be slowed, paused and stepped,
and failures on demand (a node's kubelet, a container, an image registry).  Each command is
one request to the running simulator's ``/kit/v1`` API (see ``target`` for which simulator)
and prints one line of what happened; only the parsers are built at start-up, the client is
imported when a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kitlib.cli.console import EXIT_OK, EXIT_USAGE, KitError, console, say
from kitlib.cli.home import KitHome

COMMANDS = ("clock", "node", "fail")

_CLOCK = """\
Show the simulated clock, or change it. Everything in the simulator runs on this clock:
slow it down to narrate a rollout, pause it to look around, or advance it to skip a wait
(a 50s node timeout, a 300s eviction, a probe's 35s wait).

  kit clock                  show the simulated time and speed
  kit clock pause            stop simulated time (the API still answers)
  kit clock resume           let it run again
  kit clock speed 0.25       run at a quarter of real speed (10: ten times as fast)
  kit clock advance 30s      jump ahead; Go-style durations: 30s, 5m, 1h30m, 250ms

Once the simulated clock is ahead of your computer's, 'kubectl get' still shows ages
from the cluster's clock, but 'kubectl describe' works them out on your computer, so the
newest events show an age of <invalid> until real time catches up.
"""
_NODE = """\
List the nodes and their kubelets, or make a node fail and recover.

  kit node                   the nodes, with the state of each kubelet
  kit node stop NODE         the node fails: its kubelet stops, as when the machine
                             loses power or network. No more heartbeats: after 50s the
                             node is NotReady, 5m later its pods are evicted and
                             replaced elsewhere. Its containers keep running, unseen.
  kit node start NODE        the node recovers: its kubelet reports Ready at once
"""
_FAIL = """\
Make things go wrong on purpose (to make a node fail, see 'kit node stop').

  kit fail container POD --crash [--exit-code N]   the process exits (default code 1)
  kit fail container POD --oom                     the OOM killer ends it (137, OOMKilled)
  kit fail container POD --hang | --unhang         it ignores SIGTERM (or not any more)
  kit fail image IMAGE [--message TEXT]            pulls of IMAGE fail on every node
  kit fail image IMAGE --clear                     they work again (no IMAGE: every image)
"""


def add_commands(commands: Any, *, home: KitHome) -> None:
    """The ``clock``, ``node`` and ``fail`` parsers, on ``kit``'s sub-command action."""
    raw = argparse.RawDescriptionHelpFormatter
    clock = commands.add_parser("clock", help="show, pause, resume, speed up or step the "
                                "simulated clock", description=_CLOCK, formatter_class=raw)
    _where(clock, home=home)
    steps = clock.add_subparsers(dest="action", metavar="ACTION")
    _where(steps.add_parser("pause", help="stop simulated time"), home=home)
    _where(steps.add_parser("resume", help="let simulated time run again"), home=home)
    speed = steps.add_parser("speed", help="run simulated time FACTOR times as fast as real")
    speed.add_argument("factor", type=_factor, metavar="FACTOR",
                       help="simulated seconds per real second (0.25: four times slower)")
    _where(speed, home=home)
    advance = steps.add_parser("advance", help="jump ahead; every timer due fires, in order")
    advance.add_argument("by", metavar="DURATION", help="how far: 30s, 5m, 1h30m, 250ms")
    _where(advance, home=home)

    node = commands.add_parser("node", help="list the nodes; make one fail (stop its "
                               "kubelet) and recover", description=_NODE, formatter_class=raw)
    _where(node, home=home)
    verbs = node.add_subparsers(dest="action", metavar="ACTION")
    _where(verbs.add_parser("list", help="the nodes and their kubelets (the default)"),
           home=home)
    for verb, text in (("stop", "stop the node's kubelet: the node fails"),
                       ("start", "start the node's kubelet again: the node recovers")):
        parser = verbs.add_parser(verb, help=text, description=_NODE, formatter_class=raw)
        parser.add_argument("node", metavar="NODE", help="e.g. kit-worker2 (see 'kit node')")
        _where(parser, home=home)

    fail = commands.add_parser("fail", help="crash a container, make image pulls fail",
                               description=_FAIL, formatter_class=raw)
    what = fail.add_subparsers(dest="target", metavar="WHAT", required=True)
    box = what.add_parser("container", help="crash, OOM-kill or hang a running container",
                          description=_FAIL, formatter_class=raw)
    box.add_argument("pod", metavar="POD", help="the pod's name")
    box.add_argument("-c", "--container", help="the container (default: the pod's first, "
                     "or the one its kubectl.kubernetes.io/default-container annotation names)")
    box.add_argument("-n", "--namespace", help="the pod's namespace (default: the "
                     "kubeconfig context's, usually default)")
    how = box.add_mutually_exclusive_group(required=True)
    how.add_argument("--crash", dest="how", action="store_const", const="crash",
                     help="the container's process exits now (its kubelet restarts it as "
                          "the pod's restartPolicy says)")
    how.add_argument("--oom", dest="how", action="store_const", const="oom",
                     help="the OOM killer ends it: exit code 137, reason OOMKilled")
    how.add_argument("--hang", dest="how", action="store_const", const="hang",
                     help="it ignores SIGTERM: stopping it takes the whole grace period")
    how.add_argument("--unhang", dest="how", action="store_const", const="unhang",
                     help="it stops on SIGTERM again")
    box.add_argument("--exit-code", type=_exit_code, metavar="N",
                     help="with --crash: the exit code, 0 to 255 (default: 1)")
    _where(box, home=home)
    image = what.add_parser("image", help="make pulls of an image fail on every node",
                            description=_FAIL, formatter_class=raw)
    image.add_argument("image", nargs="?", metavar="IMAGE",
                       help="e.g. nginx:1.99 (a tag: that tag; none: every tag)")
    undo = image.add_mutually_exclusive_group()
    undo.add_argument("--message", metavar="TEXT",
                      help="what the failed pulls report (default: the registry's answer "
                           "for a repository that does not exist)")
    undo.add_argument("--clear", action="store_true",
                      help="let pulls of IMAGE (no IMAGE: of every image) work again")
    _where(image, home=home)


def _where(parser: argparse.ArgumentParser, *, home: KitHome) -> None:
    # SUPPRESS: a parent's value is not overwritten by a sub-command's default.
    parser.add_argument("--kubeconfig", type=Path, metavar="FILE", default=argparse.SUPPRESS,
                        help="the kubeconfig whose context \"kit\" names the simulator "
                             f"(default: the running simulator's, or {home.kubeconfig})")


def _factor(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}; "
                                         "'kit clock pause' stops time")
    return value


def _exit_code(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value <= 255:
        raise argparse.ArgumentTypeError(f"must be between 0 and 255, not {value}")
    return value


def run(args: argparse.Namespace, *, home: KitHome) -> int:
    """Carry out one control command against the running simulator."""
    from kitlib.cli import target as targets
    from kitlib.sim.remote import ControlError

    _check(args)
    target = targets.locate(home, given=getattr(args, "kubeconfig", None))
    control = target.control()
    try:
        if args.command == "clock":
            say(_clock(control, args))
        elif args.command == "node":
            _node(control, args)
        elif args.target == "container":
            say(_container(control, args, namespace=args.namespace or target.namespace))
        else:
            say(_image(control, args))
    except ControlError as error:
        raise _explain(target.failure(error), error, control=control, args=args,
                       namespace=getattr(args, "namespace", None) or target.namespace)
    return EXIT_OK


def _check(args: argparse.Namespace) -> None:
    """What argparse cannot say: options that only go with others."""
    if args.command != "fail":
        return
    if args.target == "container" and args.exit_code is not None and args.how != "crash":
        _usage("argument --exit-code: only with --crash", "kit fail container")
    if args.target == "image" and not args.image and not args.clear:
        _usage("the following arguments are required: IMAGE (or --clear, for every image)",
               "kit fail image")


def _usage(message: str, prog: str) -> None:
    raise KitError(f"{message}; see '{prog} --help'", code=EXIT_USAGE)


def _clock(control: Any, args: argparse.Namespace) -> str:
    from kitlib.cli import control_text as text

    if args.action == "pause":
        return text.clock_paused(control.pause())
    if args.action == "resume":
        return text.clock_resumed(control.resume())
    if args.action == "speed":
        return text.clock_speed(control.set_speed(args.factor))
    if args.action == "advance":
        return text.clock_advanced(control.advance(args.by), args.by)
    return text.clock_state(control.clock())


def _node(control: Any, args: argparse.Namespace) -> None:
    from kitlib.cli import control_text as text

    if args.action == "stop":
        say(text.kubelet(control.stop_kubelet(args.node)))
    elif args.action == "start":
        say(text.kubelet(control.start_kubelet(args.node)))
    else:
        console().print(text.nodes(control.info()))


def _container(control: Any, args: argparse.Namespace, *, namespace: str) -> str:
    from kitlib.cli import control_text as text

    where = {"namespace": namespace, "container": args.container}
    if args.how == "crash":
        exit_code = 1 if args.exit_code is None else args.exit_code
        return text.container(control.crash_container(args.pod, exit_code=exit_code, **where))
    if args.how == "oom":
        return text.container(control.oom_kill(args.pod, **where))
    return text.container(control.hang_container(args.pod, hang=args.how == "hang", **where))


def _image(control: Any, args: argparse.Namespace) -> str:
    from kitlib.cli import control_text as text

    if args.clear:
        return text.image(control.allow_image_pulls(args.image))
    return text.image(control.fail_image_pulls(args.image, message=args.message or ""))


def _explain(failure: KitError, error: Any, *, control: Any, args: argparse.Namespace,
             namespace: str) -> KitError:
    """A little more than the server says, where a learner would ask next: which nodes
    there are, in which namespace the pod was looked for."""
    kind = error.details.get("kind")
    if error.code != 404 or failure.message != error.message:
        return failure
    if kind == "nodes":
        try:
            names = [n["name"] for n in control.info().get("nodes") or []]
        except Exception:       # the hint is a courtesy: never hide the error for it
            names = []
        if names:
            return KitError(f"{error.message} (the nodes are: {', '.join(names)})")
    if kind == "pods":
        return KitError(f'{error.message} in namespace "{namespace}"')
    return failure
