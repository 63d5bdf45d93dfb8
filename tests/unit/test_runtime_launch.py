"""What a command line runs: PATH lookup, simulated executables, scripts, runc's errors."""

from __future__ import annotations

import pytest

from kitlib.sim.runtime.catalogue import default_catalogue
from kitlib.sim.runtime.fs.memory import ContainerFS
from kitlib.sim.runtime.fs.nodes import Layer, Tree
from kitlib.sim.runtime.images import ImageFiles
from kitlib.sim.runtime.launch import ExecError, Launcher, container_argv
from kitlib.sim.runtime.programs import PROGRAMS

CATALOGUE = default_catalogue()
FILES = ImageFiles(CATALOGUE)


def launcher(repository: str) -> tuple[Launcher, ContainerFS]:
    info = CATALOGUE.images[repository]
    root = FILES.root(info, "latest")
    fs = ContainerFS(Tree(root.root, layer=Layer("c")), now=lambda: 0.0)
    return Launcher(info=info, root=root, programs=PROGRAMS, system={}), fs


def test_command_and_args_replace_entrypoint_and_cmd() -> None:
    nginx = CATALOGUE.images["docker.io/library/nginx"]
    assert container_argv(nginx, (), ()) == ["/docker-entrypoint.sh", "nginx", "-g",
                                             "daemon off;"]
    assert container_argv(nginx, (), ("nginx-debug",)) == ["/docker-entrypoint.sh",
                                                           "nginx-debug"]
    assert container_argv(nginx, ("sh",), ()) == ["sh"]
    assert container_argv(nginx, ("sh", "-c"), ("exit 3",)) == ["sh", "-c", "exit 3"]


def test_lookup_through_path_and_runc_messages() -> None:
    run, fs = launcher("docker.io/library/busybox")
    assert run.lookup(fs, "sh", path="/bin") == "/bin/sh"
    with pytest.raises(ExecError) as missing:
        run.lookup(fs, "curl", path="/usr/local/bin:/usr/bin:/bin")
    assert missing.value.detail == 'exec: "curl": executable file not found in $PATH'
    with pytest.raises(ExecError) as absent:
        run.lookup(fs, "/opt/app", path="/bin")
    assert absent.value.detail == 'exec: "/opt/app": stat /opt/app: no such file or directory'
    fs.write("/tmp/data", b"x")
    with pytest.raises(ExecError) as plain:
        run.lookup(fs, "/tmp/data", path="/bin")
    assert plain.value.detail == 'exec: "/tmp/data": permission denied'


def test_what_a_file_runs() -> None:
    run, fs = launcher("docker.io/library/nginx")
    program, argv = run.open(fs, "/docker-entrypoint.sh", ["/docker-entrypoint.sh", "nginx"])
    assert program.__qualname__.startswith("nginx_entrypoint")
    fs.write("/docker-entrypoint.sh", b"#!/bin/sh\nexec nginx\n")     # changed: a script now
    program, argv = run.open(fs, "/docker-entrypoint.sh", ["/docker-entrypoint.sh", "x"])
    assert argv == ["/bin/sh", "/docker-entrypoint.sh", "x"]
    assert program.__qualname__.startswith("dash")
    fs.write("/tmp/blob", b"\x00\x01")
    with pytest.raises(ExecError) as blob:
        run.open(fs, "/tmp/blob", ["/tmp/blob"])
    assert blob.value.detail == 'exec: "/tmp/blob": exec format error'


def test_scratch_images_hold_only_their_program() -> None:
    run, fs = launcher("docker.io/traefik/whoami")
    assert run.lookup(fs, "/whoami", path="") == "/whoami"
    with pytest.raises(ExecError):
        run.lookup(fs, "sh", path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
