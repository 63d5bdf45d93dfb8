"""The conformance table, row by row: the docs' manifests through plain ``kubectl apply -f``.

../shared/conformance/README.md lists, for each of the Kubernetes documentation's example
manifests, what a real cluster shows once a learner applied it.  The modules here apply
each file with kubectl's default flags against a simulated cluster (one per module) and
read the outcome back as the learner reads it: ``kubectl get`` columns, ``describe`` text,
logs, exec output, events.  Rows that take time on a real cluster (probes, back-off, a
log line every 10 s) move the simulated clock on through the simulator's control API
instead of waiting.  Everything skips, saying why, without ../shared or without kubectl.
"""

from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pytest

from tests.conftest import EXAMPLES, example
from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import columns

if TYPE_CHECKING:
    from kitlib.sim.cluster import ThreadedCluster

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.kubectl)


@pytest.fixture(scope="module")
def kubectl(kubectl_path: str, request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Kubectl:
    """kubectl against the module's cluster; skips (before starting one) when the corpus
    or the binary is missing."""
    if not EXAMPLES.is_dir():
        pytest.skip(f"{EXAMPLES} is absent (../shared is not part of a user's clone)")
    if shutil.which(kubectl_path) is None:
        pytest.skip(f"kubectl is not installed: {kubectl_path!r} is not an executable")
    sim: ThreadedCluster = request.getfixturevalue("sim")
    kubeconfig: Path = sim.kubeconfig_path  # type: ignore[attr-defined]
    return Kubectl(binary=kubectl_path, kubeconfig=kubeconfig,
                   cache_dir=tmp_path_factory.mktemp("kubectl-cache"))


def make_namespace(kubectl: Kubectl, name: str) -> str:
    """A namespace for one row (several files reuse the names nginx, nginx-deployment)."""
    assert kubectl.ok("create", "namespace", name) == f"namespace/{name} created\n"
    return name


def apply(kubectl: Kubectl, *relatives: str, namespace: str | None) -> str:
    """``kubectl apply -f FILE [-f FILE]``, default validation; insists on a clean run."""
    args = [arg for relative in relatives for arg in ("-f", str(example(relative)))]
    return kubectl.ok("apply", *args, namespace=namespace)


def wait_for(check: Callable[[], Any], *, timeout: float = 30.0, what: str = "") -> Any:
    """Poll ``check`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(0.1)


def rows(kubectl: Kubectl, *what: str, namespace: str, wide: bool = False) -> list[dict[str, str]]:
    """``kubectl get WHAT`` as one dict per row, keyed by the printed column names."""
    done = kubectl("get", *what, *(["-o", "wide"] if wide else []), namespace=namespace)
    assert done.returncode == 0, f"kubectl get {' '.join(what)}: {done.stderr}"
    if not done.stdout:         # none yet: kubectl says so on stderr
        assert done.stderr.startswith("No resources found"), done.stderr
        return []
    assert done.stderr == "", done.stderr
    return columns(done.stdout)


def row(kubectl: Kubectl, kind: str, name: str, *, namespace: str,
        wide: bool = False) -> dict[str, str]:
    (found,) = rows(kubectl, kind, name, namespace=namespace, wide=wide)
    return found


def jsonpath(kubectl: Kubectl, kind: str, name: str, path: str, *, namespace: str) -> str:
    return kubectl.ok("get", kind, name, "-o", f"jsonpath={path}", namespace=namespace)


def reasons_and_messages(kubectl: Kubectl, name: str, *, namespace: str) -> list[tuple[str, str]]:
    """The object's events as ``kubectl get events`` lists them, oldest first."""
    out = kubectl.ok("get", "events", "--field-selector", f"involvedObject.name={name}",
                     "--sort-by=.metadata.creationTimestamp", "-o",
                     "jsonpath={range .items[*]}{.reason}{'\\t'}{.message}{'\\n'}{end}",
                     namespace=namespace)
    return [tuple(line.split("\t", 1)) for line in out.splitlines()]  # type: ignore[misc]


# --- the simulated clock --------------------------------------------------------------


def advance(sim: ThreadedCluster, seconds: float, *, step: float) -> None:
    """Move the clock on through the control API, ``step`` at a time (a probe's period or
    less, so that each period's probe runs), letting what fell due run between steps."""
    left = seconds
    while left > 1e-9:
        chunk = min(step, left)
        sim.control.advance(chunk)
        left -= chunk
        time.sleep(0.05)


def advance_until(sim: ThreadedCluster, check: Callable[[], Any], *, step: float,
                  limit: float, what: str = "") -> Any:
    """Advance ``step`` by ``step`` until ``check`` holds (at most ``limit`` seconds)."""
    taken = 0.0
    while not (value := check()):
        if taken >= limit:
            raise AssertionError(f"{what or check} not seen within {limit:g} simulated s")
        advance(sim, step, step=step)
        taken += step
    return value


@contextmanager
def paused_clock(sim: ThreadedCluster) -> Iterator[None]:
    """Simulated time stands still (but for ``advance``) inside the block: what must not
    have happened yet cannot have, however slow the machine running the test."""
    sim.control.pause()
    try:
        yield
    finally:
        sim.control.resume()
