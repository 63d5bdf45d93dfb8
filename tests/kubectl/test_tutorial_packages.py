"""The "Get a Shell to a Running Container" tutorial end to end: the docs' shell-demo pod
(nginx, debian), ``apt-get update && apt-get install -y procps curl`` inside it, then
``ps aux`` and ``curl http://localhost/``, as a learner types them with kubectl."""

from __future__ import annotations

import pytest

from tests.conftest import example
from tests.kubectl.conftest import Kubectl

NS = "e2e-packages"


@pytest.fixture(scope="module")
def ns(kubectl: Kubectl) -> str:
    manifest = example("application/shell-demo.yaml")
    kubectl.ok("create", "namespace", NS)
    kubectl.ok("apply", "-f", str(manifest), namespace=NS)
    kubectl.ok("wait", "--for=condition=Ready", "pod/shell-demo", "--timeout=60s",
               namespace=NS, timeout=90)
    return NS


def test_shell_demo_installs_tools_and_sees_its_processes(kubectl: Kubectl, ns: str) -> None:
    before = kubectl("exec", "shell-demo", "--", "ps", "aux", namespace=ns)
    assert before.returncode != 0
    assert 'exec: "ps": executable file not found in $PATH' in before.stderr

    early = kubectl("exec", "shell-demo", "--", "apt-get", "install", "-y", "procps",
                    namespace=ns)
    assert early.returncode == 100
    assert early.stderr == ("E: Unable to locate package procps\n"
                            "command terminated with exit code 100\n")

    done = kubectl("exec", "shell-demo", "--", "sh", "-c",
                   "apt-get update && apt-get install -y procps curl", namespace=ns,
                   timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Get:1 http://deb.debian.org/debian bookworm InRelease" in out
    assert "curl is already the newest version" in out         # the nginx image has curl
    assert "The following NEW packages will be installed:" in out
    assert "newly installed, 0 to remove and 0 not upgraded." in out
    assert "Setting up procps (2:4.0.2-3) ..." in out

    ps = kubectl.ok("exec", "shell-demo", "--", "ps", "aux", namespace=ns).splitlines()
    assert ps[0].split() == ["USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT",
                             "START", "TIME", "COMMAND"]
    first = ps[1].split(None, 10)
    assert (first[0], first[1], first[10]) == ("root", "1",
                                               "nginx: master process nginx -g daemon off;")
    assert any(line.startswith("nginx") and line.endswith("nginx: worker process")
               for line in ps)
    assert ps[-1].endswith(" ps aux")

    kubectl.ok("exec", "shell-demo", "--", "sh", "-c",
               "echo 'Hello shell demo' > /usr/share/nginx/html/index.html", namespace=ns)
    page = kubectl.ok("exec", "shell-demo", "--", "curl", "-s", "http://localhost/",
                      namespace=ns)
    assert page == "Hello shell demo\n"


def test_the_tools_are_gone_with_the_container(kubectl: Kubectl, ns: str) -> None:
    kubectl.ok("delete", "pod", "shell-demo", "--wait=true", namespace=ns, timeout=90)
    kubectl.ok("apply", "-f", str(example("application/shell-demo.yaml")), namespace=ns)
    kubectl.ok("wait", "--for=condition=Ready", "pod/shell-demo", "--timeout=60s",
               namespace=ns, timeout=90)
    again = kubectl("exec", "shell-demo", "--", "ps", namespace=ns)
    assert again.returncode != 0
    assert 'exec: "ps": executable file not found in $PATH' in again.stderr
