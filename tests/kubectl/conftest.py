"""Driving the real kubectl binary against the module's simulated cluster.

The simulator's promise is that kubectl cannot tell it from a kube-apiserver v1.32, so
these tests run the binary learners run and read what they would read.  Every test here
is marked ``kubectl`` (``pytest -m "not kubectl"`` leaves them out) and skips, with a
message saying why, when no kubectl is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pytest

if TYPE_CHECKING:
    from kitlib.sim.cluster import ThreadedCluster

HERE = Path(__file__).resolve().parent
#: Each request's deadline: generous for a loaded machine, short enough to fail a hang.
REQUEST_TIMEOUT = "20s"
#: Environment variables that would point kubectl somewhere else or change its output.
_SCRUBBED = ("KUBECONFIG", "KUBECTL_EXTERNAL_DIFF", "KUBE_EDITOR", "EDITOR",
             "KUBECTL_EXPLAIN_OPENAPIV3", "KUBECTL_INTERACTIVE_DELETE", "KUBECACHEDIR")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.kubectl)


@dataclass
class Kubectl:
    """One kubectl binary bound to one cluster: ``kubectl("get", "pods", namespace=ns)``."""

    binary: str
    kubeconfig: Path
    cache_dir: Path

    def command(self, *args: str, namespace: str | None = None,
                request_timeout: str | None = REQUEST_TIMEOUT) -> list[str]:
        command = [self.binary, f"--cache-dir={self.cache_dir}"]
        if request_timeout and not any(a.startswith("--request-timeout") for a in args):
            command.append(f"--request-timeout={request_timeout}")
        if namespace is not None:
            command += ["--namespace", namespace]
        return command + list(args)

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env["KUBECONFIG"] = str(self.kubeconfig)
        env.update(extra or {})
        return env

    def __call__(self, *args: str, namespace: str | None = None, input: str | None = None,
                 env: dict[str, str] | None = None, timeout: float = 60.0,
                 request_timeout: str | None = REQUEST_TIMEOUT, cwd: Path | None = None,
                 ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args, namespace=namespace, request_timeout=request_timeout),
            input=input, capture_output=True, text=True, timeout=timeout,
            env=self.environment(env), cwd=cwd, check=False)

    def ok(self, *args: str, **options: object) -> str:
        """Run, insist on success with nothing on stderr, and return stdout."""
        done = self(*args, **options)  # type: ignore[arg-type]
        assert done.returncode == 0, f"kubectl {' '.join(args)}: {done.stderr}"
        assert done.stderr == "", done.stderr
        return done.stdout

    def fails(self, *args: str, code: int = 1, **options: object) -> str:
        """Run, insist on failure with exit ``code``, and return stderr."""
        done = self(*args, **options)  # type: ignore[arg-type]
        assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
        return done.stderr

    def popen(self, *args: str, namespace: str | None = None,
              request_timeout: str | None = REQUEST_TIMEOUT) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*args, namespace=namespace, request_timeout=request_timeout),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=self.environment())


@pytest.fixture(scope="module")
def kubectl_for(sim: ThreadedCluster, tmp_path_factory: pytest.TempPathFactory,
                ) -> Callable[[str], Kubectl]:
    """Make a ``Kubectl`` for any binary (other versions), bound to the module's cluster."""
    caches = tmp_path_factory.mktemp("kubectl-cache")

    def make(binary: str) -> Kubectl:
        # A cache of our own: discovery cached for another cluster on a reused port lies.
        cache = caches / Path(binary).name
        cache.mkdir(exist_ok=True)
        return Kubectl(binary=binary, kubeconfig=sim.kubeconfig_path,  # type: ignore[attr-defined]
                       cache_dir=cache)

    return make


@pytest.fixture(scope="module")
def kubectl(kubectl_path: str, request: pytest.FixtureRequest) -> Kubectl:
    """The installed kubectl (``$KUBECTL`` or the one on PATH) against the module's cluster."""
    if shutil.which(kubectl_path) is None:
        pytest.skip(f"kubectl is not installed: {kubectl_path!r} is not an executable")
    # Only now the cluster: a module without kubectl starts none.
    make: Callable[[str], Kubectl] = request.getfixturevalue("kubectl_for")
    return make(kubectl_path)
