"""What ten thousand idle containers share, and what each still sees as its own: the
sandboxes' volumes JSON, plain mounts kept as bare trees, and nginx's parsed site."""

from __future__ import annotations

import asyncio
from typing import Any

from kitlib.sim.clock import Clock
from kitlib.sim.runtime.fs.memory import ContainerFS, Mount
from kitlib.sim.runtime.fs.nodes import Dir, File, Layer, Tree
from kitlib.sim.runtime.simulated import SimulatedRuntime


def token_volume(suffix: str) -> dict[str, Any]:
    return {"name": f"kube-api-access-{suffix}", "projected": {
        "defaultMode": 420, "sources": [{"serviceAccountToken": {
            "expirationSeconds": 3607, "path": "token"}}]}}


def test_replicas_share_their_volumes_json_but_keep_their_own_names() -> None:
    async def main() -> None:
        clock = Clock(seed=1)
        clock.pause()
        runtime = SimulatedRuntime(node="kit-worker", clock=clock)
        try:
            pods = [runtime.run_pod_sandbox(
                namespace="ns", name=f"web-{suffix}", uid=f"uid-{suffix}",
                ip=f"10.244.1.{index + 10}",
                volumes=({"name": "cache", "emptyDir": {}}, token_volume(suffix),
                         {"emptyDir": {}}))
                for index, suffix in enumerate(("abcde", "fghij"))]
            one, two = pods
            assert one.volumes_json is two.volumes_json
            assert [v.get("name") for v in one.volume_specs()] == \
                ["cache", "kube-api-access-abcde", None]
            assert [v.get("name") for v in two.volume_specs()] == \
                ["cache", "kube-api-access-fghij", None]
            assert one.volume_specs()[1] == token_volume("abcde")
            assert "name" not in one.volume_specs()[2]
            other = runtime.run_pod_sandbox(
                namespace="ns", name="db", uid="uid-db", ip="10.244.1.20",
                volumes=({"name": "data", "emptyDir": {"medium": "Memory"}},))
            assert other.volumes_json is not one.volumes_json
            assert other.volume_specs() == ({"name": "data", "emptyDir": {"medium": "Memory"}},)
        finally:
            runtime.close()
            clock.stop()
    asyncio.run(main())


def test_a_plain_mount_is_kept_as_its_tree_and_still_listed_and_written() -> None:
    root_layer = Layer("c")
    fs = ContainerFS(Tree(Dir(layer=root_layer), layer=root_layer), now=lambda: 7.0)
    hosts_layer = Layer("pod-files")
    hosts = Tree(File(b"127.0.0.1\tlocalhost\n", layer=hosts_layer), layer=hosts_layer)
    config_layer = Layer("volume:config", read_only=True)
    config = Tree(Dir(layer=config_layer), layer=config_layer)
    fs.add_mount(Mount(fs.canonical("/etc/hosts"), hosts, source="pod-files"))
    fs.add_mount(Mount(fs.canonical("/etc/config"), config, source="volume:config"))
    table = {"/" + "/".join(m.path): (m.tree, m.sub, m.read_only, m.source, m.fstype)
             for m in fs.mount_table()}
    assert table == {"/": (table["/"][0], (), False, "overlay", "overlay"),
                     "/etc/config": (config, (), False, "volume:config", "ext4"),
                     "/etc/hosts": (hosts, (), False, "pod-files", "ext4")}
    fs.write("/etc/hosts", b"10.0.0.1\tweb\n", append=True)
    assert fs.read("/etc/hosts") == b"127.0.0.1\tlocalhost\n10.0.0.1\tweb\n"
    assert hosts.root.data == b"127.0.0.1\tlocalhost\n10.0.0.1\tweb\n"   # type: ignore[attr-defined]
    assert sorted(fs.listdir("/etc")) == ["config", "hosts"]
    # Two containers mounting the same place share the mount point's components.
    other = ContainerFS(Tree(Dir(layer=root_layer), layer=root_layer), now=lambda: 7.0)
    other.add_mount(Mount(other.canonical("/etc/hosts"), hosts, source="pod-files"))
    assert [m.path for m in other.mount_table()][1] is [m.path for m in fs.mount_table()][2]
