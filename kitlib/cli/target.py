"""Which simulator a control command (``kit clock``, ``kit node``, ``kit fail``) steers.

The one a kubeconfig's ``kit`` context points at: the file given with ``--kubeconfig``, else
the background simulator's (``kit up``), else the kit home's, which a foreground ``kit
serve`` writes too.  The server, token and CA are read from that context as kubectl would,
and what goes wrong on the way (no kubeconfig, nothing answering, a stale token) ends as
one line that says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kitlib.cli import kubeconfig, process
from kitlib.cli.console import EXIT_NOT_RUNNING, KitError
from kitlib.cli.home import KitHome

if TYPE_CHECKING:
    from kitlib.sim.remote import ControlError, SimulatorControl

CONTEXT = "kit"
NOT_RUNNING = "the simulator is not running; start it with 'kit up'"
#: What the API server says about a path it does not serve (a cluster with no /kit/v1).
NO_SUCH_PATH = "the server could not find the requested resource"


@dataclass(frozen=True, kw_only=True)
class Target:
    kubeconfig: Path
    url: str
    token: str
    ca_pem: bytes | None
    namespace: str              # the context's namespace: the default for pod names

    def control(self) -> SimulatorControl:
        from kitlib.sim.remote import SimulatorControl

        try:
            return SimulatorControl.connect(self.url, token=self.token, ca_pem=self.ca_pem)
        except ValueError as exc:       # an unusable URL or CA certificate
            raise KitError(f"the kubeconfig {self.kubeconfig} is unusable: {exc}") from None

    def failure(self, error: ControlError) -> KitError:
        """The one line for a refusal, or for a simulator that does not answer."""
        from kitlib.sim.remote import Unreachable

        if isinstance(error, Unreachable):
            if "certificate" in error.message:
                return KitError(f"{self.url}: {error.message}; is {self.kubeconfig} "
                                "out of date? 'kit up' rewrites it")
            return KitError(f"the simulator is not running (nothing answers at {self.url}: "
                            f"{error.message}); start it with 'kit up'",
                            code=EXIT_NOT_RUNNING)
        if error.code == 401:
            return KitError(f"the server at {self.url} does not accept the token in "
                            f"{self.kubeconfig}: it belongs to another run of the simulator; "
                            "'kit up' rewrites it")
        if error.code == 404 and error.message == NO_SUCH_PATH:
            return KitError(f"the server at {self.url} is not a kit simulator "
                            "(it has no /kit/v1 controls)")
        return KitError(error.message)


def locate(home: KitHome, *, given: Path | None) -> Target:
    """The simulator to steer: see the module's docstring for the order of the search."""
    if given is not None:
        path = given.expanduser().absolute()
        if not path.exists():
            raise KitError(f"no kubeconfig at {path}")
    else:
        found = process.running(home)
        record = found[1] if found is not None else None
        path = Path(record.kubeconfig) if record is not None else home.kubeconfig
        if not path.exists():
            raise KitError(NOT_RUNNING, code=EXIT_NOT_RUNNING)
    creds = kubeconfig.credentials(path, context=CONTEXT)
    return Target(kubeconfig=path, url=creds.server, token=creds.token, ca_pem=creds.ca_pem,
                  namespace=_namespace(path))


def _namespace(path: Path) -> str:
    for entry in kubeconfig.read(path).get("contexts") or []:
        if isinstance(entry, dict) and entry.get("name") == CONTEXT:
            return str((entry.get("context") or {}).get("namespace") or "default")
    return "default"
