"""Pod volumes as the kubelet lays them out: the atomic writer's ``..data`` layout,
decoded Secrets, downward-API files, the service-account token, node-local hostPaths."""

from __future__ import annotations

import base64
import json
import random
from typing import Any

from kitlib.sim.runtime.fs.memory import ContainerFS, Mount
from kitlib.sim.runtime.fs.nodes import Dir, Layer, Tree
from kitlib.sim.runtime.fs.volumes import Disks, VolumeContext, pod_volumes

JSON = dict[str, Any]
OBJECTS: dict[tuple[str, str, str], JSON] = {
    ("configmaps", "ns", "settings"): {"data": {"mode": "fast", "app.properties": "a=1\n"}},
    ("secrets", "ns", "creds"): {"data": {"password": base64.b64encode(b"s3cret").decode()}},
    ("serviceaccounts", "ns", "default"): {"metadata": {"uid": "sa-uid"}},
}


def pod(*volumes: JSON) -> JSON:
    return {"metadata": {"name": "web", "namespace": "ns", "uid": "pod-uid",
                         "labels": {"app": "web", "tier": "front"}},
            "spec": {"nodeName": "kit-worker", "serviceAccountName": "default",
                     "volumes": list(volumes),
                     "containers": [{"name": "c", "resources": {"limits": {"memory": "64Mi"}}}]}}


def volumes(spec: JSON, disks: Disks | None = None, node: str = "kit-worker") -> dict[str, Tree]:
    rng = random.Random(3)
    disks = disks or Disks()
    context = VolumeContext(pod=spec, get=lambda r, ns, n: OBJECTS.get((r, ns, n)),
                            now=lambda: 1_700_000_000.0, random_bits=rng.getrandbits,
                            node=node, disks=disks)
    return pod_volumes(spec["spec"]["volumes"], namespace="ns", node=node, disks=disks,
                       now=context.now, context=lambda: context)


def mounted(tree: Tree) -> ContainerFS:
    layer = Layer("root")
    fs = ContainerFS(Tree(Dir(layer=layer), layer=layer), now=lambda: 0.0)
    fs.add_mount(Mount(fs.canonical("/v"), tree))
    return fs


def test_config_map_keys_are_links_through_data() -> None:
    tree = volumes(pod({"name": "config", "configMap": {"name": "settings"}}))["config"]
    assert not tree.built                                   # nothing until first use
    fs = mounted(tree)
    names = fs.listdir("/v")
    stamp = next(n for n in names if n.startswith("..2023_11_14_22_13_20."))
    assert names == sorted(["..data", stamp, "app.properties", "mode"])
    assert fs.stat("/v/mode", follow=False).target == "..data/mode"
    assert fs.stat("/v/..data", follow=False).target == stamp
    assert fs.read("/v/mode") == b"fast" and fs.read("/v/app.properties") == b"a=1\n"
    assert fs.stat("/v/mode").mode == 0o644
    assert not fs.writable("/v/mode")


def test_items_paths_and_modes() -> None:
    spec = pod({"name": "config", "configMap": {"name": "settings", "defaultMode": 0o400,
                                                "items": [{"key": "mode", "path": "dir/m"}]}})
    fs = mounted(volumes(spec)["config"])
    assert [n for n in fs.listdir("/v") if not n.startswith("..")] == ["dir"]
    assert fs.read("/v/dir/m") == b"fast"
    assert fs.stat("/v/dir/m").mode == 0o400


def test_secrets_are_decoded_and_missing_optional_objects_are_empty() -> None:
    spec = pod({"name": "s", "secret": {"secretName": "creds"}},
               {"name": "gone", "configMap": {"name": "absent", "optional": True}})
    trees = volumes(spec)
    assert mounted(trees["s"]).read("/v/password") == b"s3cret"
    assert [n for n in mounted(trees["gone"]).listdir("/v") if not n.startswith("..")] == []


def test_downward_api_files() -> None:
    spec = pod({"name": "info", "downwardAPI": {"items": [
        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
        {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
        {"path": "tier", "fieldRef": {"fieldPath": "metadata.labels['tier']"}},
        {"path": "mem", "resourceFieldRef": {"containerName": "c", "resource": "limits.memory",
                                             "divisor": "1Mi"}}]}})
    fs = mounted(volumes(spec)["info"])
    assert fs.read("/v/labels") == b'app="web"\ntier="front"'
    assert (fs.read("/v/name"), fs.read("/v/tier"), fs.read("/v/mem")) == \
        (b"web", b"front", b"64")


def test_the_service_account_token_volume() -> None:
    spec = pod({"name": "kube-api-access-abcde", "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"fieldPath": "metadata.namespace"}}]}}]}})
    fs = mounted(volumes(spec)["kube-api-access-abcde"])
    assert fs.read("/v/namespace") == b"ns"
    header, claims, signature = fs.read("/v/token").decode().split(".")
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    assert decoded["sub"] == "system:serviceaccount:ns:default"
    assert decoded["kubernetes.io"]["pod"] == {"name": "web", "uid": "pod-uid"}
    assert decoded["kubernetes.io"]["serviceaccount"]["uid"] == "sa-uid"
    assert decoded["exp"] - decoded["iat"] == 365 * 24 * 3600
    assert decoded["kubernetes.io"]["warnafter"] - decoded["iat"] == 3607
    assert len(signature) == 342


def test_empty_dirs_are_per_pod_host_paths_per_node() -> None:
    disks = Disks()
    spec = pod({"name": "scratch", "emptyDir": {"sizeLimit": "1Ki"}},
               {"name": "logs", "hostPath": {"path": "/var/log/app"}})
    first, second = volumes(spec, disks), volumes(spec, disks)
    assert first["scratch"] is not second["scratch"]
    assert first["scratch"].layer.limit == 1024
    assert first["logs"] is second["logs"]                  # the same node's directory
    assert volumes(spec, disks, node="kit-worker2")["logs"] is not first["logs"]
