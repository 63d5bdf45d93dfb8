"""The in-memory container filesystem: copy-on-write over a shared image, mounts, errors."""

from __future__ import annotations

import pytest

from kitlib.sim.runtime.catalogue import default_catalogue
from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.fs.memory import ContainerFS, Mount
from kitlib.sim.runtime.fs.nodes import Dir, File, Layer, Tree
from kitlib.sim.runtime.images import ImageFiles, program_in


def image_fs(repository: str = "docker.io/library/nginx", tag: str = "1.25") -> ContainerFS:
    catalogue = default_catalogue()
    root = ImageFiles(catalogue).root(catalogue.images[repository], tag)
    return ContainerFS(Tree(root.root, layer=Layer("c", limit=1024)), now=lambda: 5.0)


def volume(name: str = "v", *, read_only: bool = False, limit: int = 0) -> Tree:
    layer = Layer(name, read_only=read_only, limit=limit)
    return Tree(Dir(mode=0o777, layer=layer), layer=layer)


def errno(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(FsError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.errno_name


def test_writes_copy_up_and_leave_the_image_alone() -> None:
    one, two = image_fs(), image_fs()
    one.write("/usr/share/nginx/html/index.html", b"mine\n")
    one.remove("/etc/os-release")
    assert one.read("/usr/share/nginx/html/index.html") == b"mine\n"
    assert two.read("/usr/share/nginx/html/index.html").startswith(b"<!DOCTYPE html>")
    assert two.exists("/etc/os-release") and not one.exists("/etc/os-release")


def test_symlinks_resolve_inside_the_container() -> None:
    fs = image_fs()                     # debian: /bin -> usr/bin, /var/run -> /run
    assert fs.realpath("/bin/sh") == "/usr/bin/dash"
    assert program_in(fs.read("/bin/sh")) == "dash"
    assert fs.stat("/bin", follow=False).kind == "symlink"
    assert fs.realpath("/../../etc/../etc/hostname") == "/etc/hostname"
    fs.symlink("/loop", "/loop")
    assert errno(fs.read, "/loop") == "ELOOP"
    assert fs.stat("/var/log/nginx/access.log", follow=False).target == "/dev/stdout"
    assert fs.stat("/dev/stdout", follow=False).target == "/proc/self/fd/1"


def test_errors_carry_errno_names() -> None:
    fs = image_fs()
    assert errno(fs.read, "/nope") == "ENOENT"
    assert errno(fs.read, "/etc") == "EISDIR"
    assert errno(fs.listdir, "/etc/os-release") == "ENOTDIR"
    assert errno(fs.mkdir, "/etc") == "EEXIST"
    assert errno(fs.remove, "/etc") == "ENOTEMPTY"
    assert errno(fs.write, "/no/such/dir/file", b"x") == "ENOENT"
    assert str(FsError("ENOENT", "/nope")) == "/nope: No such file or directory"


def test_dev_null_swallows_writes() -> None:
    fs = image_fs()
    fs.write("/dev/null", b"gone")
    assert fs.read("/dev/null") == b""


def test_an_empty_dir_is_shared_between_containers() -> None:
    shared = volume()
    writer, reader = image_fs(), image_fs()
    for fs, where in ((writer, "/pod-data"), (reader, "/usr/share/nginx/html")):
        fs.add_mount(Mount(fs.canonical(where), shared))
    writer.write("/pod-data/index.html", b"Hello from the debian container\n")
    assert reader.read("/usr/share/nginx/html/index.html") == \
        b"Hello from the debian container\n"
    assert reader.listdir("/usr/share/nginx/html") == ["index.html"]  # the image's are hidden
    assert "pod-data" in writer.listdir("/")


def test_read_only_mounts_and_sub_paths() -> None:
    config = volume(read_only=True)
    assert isinstance(config.root, Dir)
    config.root.entries["app.conf"] = File(b"port=1\n", layer=config.layer)
    fs = image_fs()
    fs.add_mount(Mount(fs.canonical("/etc/app"), config))
    assert fs.read("/etc/app/app.conf") == b"port=1\n"
    assert errno(fs.write, "/etc/app/app.conf", b"x") == "EROFS"
    assert not fs.writable("/etc/app/x") and fs.writable("/tmp/x")
    data = volume()
    fs.add_mount(Mount(fs.canonical("/data"), data, sub=("mysql",), read_only=False))
    assert isinstance(data.root, Dir)
    data.root.entries["mysql"] = Dir(layer=data.layer)
    fs.write("/data/db", b"1")
    assert isinstance(data.root.entries["mysql"], Dir)
    assert set(data.root.entries["mysql"].entries) == {"db"}
    assert errno(fs.remove, "/data") == "EBUSY"
    assert errno(fs.rename, "/data/db", "/tmp/db") == "EXDEV"


def test_a_file_mount_is_one_file_for_everyone() -> None:
    layer = Layer("etc-hosts")
    hosts = Tree(File(b"127.0.0.1\tlocalhost\n", layer=layer), layer=layer)
    one, two = image_fs(), image_fs()
    for fs in (one, two):
        fs.add_mount(Mount(fs.canonical("/etc/hosts"), hosts))
    one.write("/etc/hosts", b"10.0.0.1\tdb\n", append=True)
    assert two.read("/etc/hosts") == b"127.0.0.1\tlocalhost\n10.0.0.1\tdb\n"


def test_space_is_limited_per_layer() -> None:
    fs = image_fs()                                     # the container's layer: 1 KiB
    fs.write("/tmp/a", b"x" * 1000)
    assert errno(fs.write, "/tmp/b", b"x" * 100) == "ENOSPC"
    fs.remove("/tmp/a")
    fs.write("/tmp/b", b"x" * 100)
    small = volume(limit=10)
    fs.add_mount(Mount(fs.canonical("/cache"), small))
    assert errno(fs.write, "/cache/f", b"x" * 11) == "ENOSPC"


def test_rename_chmod_and_stat() -> None:
    fs = image_fs()
    fs.mkdir("/tmp/a/b", parents=True)
    fs.write("/tmp/a/b/f", b"data")
    fs.rename("/tmp/a", "/tmp/z")
    assert fs.read("/tmp/z/b/f") == b"data"
    assert errno(fs.rename, "/tmp/z", "/tmp/z/b/inside") == "EINVAL"
    fs.chmod("/tmp/z/b/f", 0o755)
    stat = fs.stat("/tmp/z/b/f")
    assert (stat.kind, stat.size, stat.mode, stat.mtime) == ("file", 4, 0o755, 5.0)
    assert fs.stat("/tmp").mode == 0o1777
