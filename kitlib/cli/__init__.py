"""The ``kit`` command: the simulated cluster from a terminal.

``kit serve`` runs it in the foreground; ``kit up`` / ``down`` / ``status`` / ``reset``
manage one in the background, with its files in the kit home (``~/.kit``, or ``$KIT_HOME``);
``kit clock`` / ``node`` / ``fail`` steer a running one (see ``kitlib.cli.control``).
Parsing stays light: the simulator itself is imported only by the command that serves it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from kitlib.cli import control
from kitlib.cli.console import EXIT_USAGE, KitError, report
from kitlib.cli.home import KIT_HOME_ENV, KitHome, kit_home

#: kitlib.sim.cluster.PROFILES, repeated so that parsing does not import the simulator
#: (a test checks the two agree).
PROFILES = ("fast", "realistic")
DEFAULT_PORT = 6443

_EPILOG = f"""\
files: everything lives in the kit home, ~/.kit (or ${KIT_HOME_ENV}): state.db (the
cluster's objects), kubeconfig (context "kit"), kit.pid, daemon.json, kit.log, locks.

exit codes: 0 success; 1 failure; 2 bad arguments; 3 the simulator is not running
('kit status', 'kit clock', 'kit node', 'kit fail').
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (argparse prints the usage too)."""

    def error(self, message: str) -> NoReturn:
        report(KitError(f"{message}; see '{self.prog} --help'"))
        sys.exit(EXIT_USAGE)


class _Version(argparse.Action):
    """``--version``, reading the installed version only when asked (it is slow to import)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object
                 ) -> NoReturn:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("kitlib")
        except PackageNotFoundError:
            found = "unknown"
        print(f"kitlib {found}")
        parser.exit()


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _port(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be between 0 and 65535, not {value}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _cluster_options(parser: argparse.ArgumentParser, *, home: KitHome) -> None:
    """The options ``serve`` and ``up`` share."""
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help="the port to listen on; 0 picks a free one (default: %(default)s)")
    parser.add_argument("--kubeconfig", type=Path, metavar="FILE",
                        help="the kubeconfig to write once the API answers (context \"kit\"; "
                             "an existing file, such as ~/.kube/config, is merged into as kind "
                             f"does; default: {home.kubeconfig})")
    parser.add_argument("--nodes", type=_positive, default=3,
                        help="how many nodes the cluster has (default: %(default)s)")
    parser.add_argument("--seed", type=_integer,
                        help="seed the simulation's randomness, for repeatable runs")
    parser.add_argument("--profile", choices=PROFILES, default="fast",
                        help="fast: things happen at once; realistic: with real-world delays "
                             "(default: %(default)s)")


def build_parser(*, home: KitHome) -> argparse.ArgumentParser:
    parser = _Parser(prog="kit", description="The Kubernetes Learning Kit's simulated cluster.",
                     epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show kitlib's version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     parser_class=_Parser)

    serve = commands.add_parser(
        "serve", help="run the simulator in the foreground until Ctrl-C",
        description="Run the simulator in the foreground until Ctrl-C or SIGTERM. The "
                    "kubeconfig is written once the API answers, so its appearance means "
                    "the cluster is ready.")
    _cluster_options(serve, home=home)
    where = serve.add_mutually_exclusive_group()
    where.add_argument("--state", type=Path, metavar="FILE",
                       help=f"the SQLite file the cluster is kept in (default: {home.state})")
    where.add_argument("--ephemeral", action="store_true",
                       help="keep the cluster in memory only: it is gone when serve stops")
    serve.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    serve.add_argument("--daemon-file", type=Path, help=argparse.SUPPRESS)  # used by `kit up`

    up = commands.add_parser(
        "up", help="start the simulator in the background",
        description="Start the simulator in the background, with the kit home's state file "
                    "and kubeconfig; return once its API answers.")
    _cluster_options(up, home=home)
    up.add_argument("--timeout", type=float, default=30.0,
                    help="seconds to wait for the API (default: %(default)s)")

    down = commands.add_parser("down", help="stop the background simulator",
                               description="Stop the background simulator (SIGTERM, then "
                                           "SIGKILL after --timeout seconds).")
    down.add_argument("--timeout", type=float, default=10.0,
                      help="seconds to wait before killing it (default: %(default)s)")

    status = commands.add_parser(
        "status", help="show the background simulator",
        description="Show the background simulator: API URL, kubeconfig, nodes, object "
                    "counts, uptime. Exit code 3 if it is not running, 1 if it does not "
                    "answer.")
    status.add_argument("--json", action="store_true", help="print the status as JSON")

    reset = commands.add_parser(
        "reset", help="replace the cluster with a fresh one",
        description="Delete the cluster's state; if the simulator was running, start it "
                    "again with the same options (the kubeconfig is rewritten).")
    reset.add_argument("--timeout", type=float, default=10.0,
                       help="seconds to wait for the old simulator to stop "
                            "(default: %(default)s)")
    control.add_commands(commands, home=home)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    home = kit_home()
    args = build_parser(home=home).parse_args(argv)
    try:
        return _dispatch(args, home=home)
    except KitError as error:
        report(error)
        return error.code
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, *, home: KitHome) -> int:
    if args.command in control.COMMANDS:
        return control.run(args, home=home)
    # Absolute paths: the background simulator and later commands may run elsewhere.
    given = getattr(args, "kubeconfig", None)
    config = given.expanduser().absolute() if given else home.kubeconfig
    if args.command == "serve":
        from kitlib.cli import serve

        state = None if args.ephemeral else (
            args.state.expanduser().absolute() if args.state else home.state)
        if state == home.state or config == home.kubeconfig:
            home.ensure()
        return serve.serve(serve.ServeOptions(
            host=args.host, port=args.port, kubeconfig=config, state=state, nodes=args.nodes,
            seed=args.seed, profile=args.profile, daemon_file=args.daemon_file,
            verbose=args.verbose), home=home)
    from kitlib.cli import daemon

    if args.command == "up":
        return daemon.up(daemon.UpOptions(
            host=args.host, port=args.port, kubeconfig=config, nodes=args.nodes,
            seed=args.seed, profile=args.profile, timeout=args.timeout), home=home)
    if args.command == "down":
        return daemon.down(home=home, timeout=args.timeout)
    if args.command == "status":
        return daemon.status(home=home, as_json=args.json)
    return daemon.reset(home=home, timeout=args.timeout)
