"""Older and newer kubectl against the same v1.32 server: the key commands, version by version.

Learners bring whatever kubectl their machine has.  Every installed ``kubectl.1.N`` (the
Google Cloud SDK ships 1.27 to 1.33 side by side) runs version, get, apply and explain.
kubectl 1.27 and 1.28 read the OpenAPI v2 document (as protobuf) for apply's patches and
validation and for explain.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

import pytest

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import assert_table, deployment, manifest, pod

SDK = Path("/usr/lib/google-cloud-sdk/bin")
BINARIES = sorted(SDK.glob("kubectl.1.*"), key=lambda p: int(p.name.rsplit(".", 1)[1]))


def minor(binary: Path) -> int:
    return int(binary.name.rsplit(".", 1)[1])


def versions() -> list[object]:
    if not BINARIES:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"no versioned kubectl binaries in {SDK}"))]
    return [pytest.param(b, id=f"1.{minor(b)}") for b in BINARIES]


@pytest.fixture
def versioned(request: pytest.FixtureRequest,
              kubectl_for: Callable[[str], Kubectl]) -> Kubectl:
    binary: Path = request.param
    return kubectl_for(str(binary))


@pytest.mark.parametrize("versioned", versions(), indirect=True)
def test_version(versioned: Kubectl) -> None:
    n = minor(Path(versioned.binary))
    done = versioned("version", "-o", "json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["clientVersion"]["minor"].rstrip("+") == str(n)
    assert info["serverVersion"]["gitVersion"] == "v1.32.2"
    # kubectl warns about a skew of more than one minor version: it read the server's.
    warning = (f"WARNING: version difference between client (1.{n}) and server (1.32) "
               f"exceeds the supported minor version skew of +/-1\n")
    assert (warning in done.stderr) == (abs(n - 32) > 1), done.stderr


@pytest.mark.parametrize("versioned", versions(), indirect=True)
def test_get(versioned: Kubectl, kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(pod("p", app="p")))
    assert_table(versioned.ok("get", "pods", "--show-labels", namespace=namespace), """
NAME   READY   STATUS    RESTARTS   AGE   LABELS
p      0/1     Pending   0          <age>   app=p
""")
    assert versioned.ok("get", "pod", "p", "-o", "jsonpath={.spec.containers[0].image}",
                        namespace=namespace) == "nginx:1.25"


@pytest.mark.parametrize("versioned", versions(), indirect=True)
def test_apply(versioned: Kubectl, namespace: str) -> None:
    text = manifest(deployment("web"))
    assert versioned.ok("apply", "-f", "-", namespace=namespace, input=text) == \
        "deployment.apps/web created\n"
    assert versioned.ok("apply", "-f", "-", namespace=namespace, input=text) == \
        "deployment.apps/web unchanged\n"


@pytest.mark.parametrize("versioned", versions(), indirect=True)
def test_apply_without_client_validation(versioned: Kubectl, namespace: str) -> None:
    # Without client-side validation the server still validates.
    assert versioned.ok("apply", "--validate=false", "-f", "-", namespace=namespace,
                        input=manifest(pod("v"))) == "pod/v created\n"


@pytest.mark.parametrize("versioned", versions(), indirect=True)
def test_explain(versioned: Kubectl) -> None:
    out = versioned.ok("explain", "pod.spec.restartPolicy")
    assert re.match(r"KIND: +Pod\nVERSION: +v1\n\nFIELD: +restartPolicy <string>\n", out), out
    assert "DESCRIPTION:" in out and "Restart policy for all containers" in out
