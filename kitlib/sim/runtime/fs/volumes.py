"""A pod's volumes, laid out as the kubelet's volume plugins lay them out on a node.

An ``emptyDir`` is a directory of the pod's, shared by every container that mounts it and
kept across container restarts.  ConfigMap, Secret, downward-API and projected volumes
are written the way the kubelet's atomic writer writes them: the files in a timestamped
directory, ``..data`` pointing at it, and one symlink per top-level key pointing through
``..data`` (``ls -la`` in a real pod shows exactly this).  They are read-only.  A
``hostPath`` has no host to reach: it is a directory of the simulated node, shared by the
pods on that node; a PersistentVolumeClaim's directory belongs to the claim and outlives
its pods.  Nothing is ever read from the machine the simulator runs on.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence

import orjson

from kitlib.sim.machinery.quantity import QuantityError, parse_quantity
from kitlib.sim.runtime.fs.nodes import Dir, File, Layer, Link, Node, Tree, split

JSON = dict[str, Any]
#: Reads an object (resource, namespace, name) -> the object or None.
Getter = Callable[[str, str, str], JSON | None]
ISSUER = "https://kubernetes.default.svc.cluster.local"
DEFAULT_MODE = 0o644


@dataclass
class VolumeContext:
    """What filling a pod's volumes needs to know: the pod as it is when a volume is first
    used (its labels for the downward API), and where to read its objects."""

    pod: JSON
    get: Getter
    now: Callable[[], float]
    random_bits: Callable[[int], int]
    node: str
    disks: Disks
    disk_limit: int = 0
    allocatable: dict[str, str] | None = None


class Disks:
    """Storage that outlives a pod: each node's own directories, and the claims' volumes."""

    def __init__(self) -> None:
        self._host: dict[tuple[str, str], Tree] = {}
        self._claims: dict[tuple[str, str], Tree] = {}

    def host_path(self, node: str, path: str, kind: str = "") -> Tree:
        key = (node, "/" + "/".join(split(path)))
        tree = self._host.get(key)
        if tree is None:
            layer = Layer(f"hostpath:{node}:{key[1]}")
            root: Node = File(b"", layer=layer) if kind in ("File", "FileOrCreate") \
                else Dir(layer=layer)
            tree = self._host[key] = Tree(root, layer=layer)
        return tree

    def claim(self, namespace: str, name: str) -> Tree:
        key = (namespace, name)
        tree = self._claims.get(key)
        if tree is None:
            layer = Layer(f"pvc:{namespace}/{name}")
            tree = self._claims[key] = Tree(Dir(mode=0o777, layer=layer), layer=layer)
        return tree


def pod_volumes(volumes: Iterable[JSON], *, namespace: str, node: str, disks: Disks,
                now: Callable[[], float], disk_limit: int = 0,
                context: Callable[[], VolumeContext],
                specs: Callable[[], Sequence[JSON]] | None = None) -> dict[str, Tree]:
    """The pod's volumes by name; what a ConfigMap, Secret, downward-API or projected
    volume holds is read (``context()``) when it is first used (its spec from ``specs()``,
    the same volumes again, if given: nothing of them is kept until then)."""
    out: dict[str, Tree] = {}
    for index, volume in enumerate(volumes):
        name = volume.get("name", "")
        if "hostPath" in volume:
            source = volume["hostPath"] or {}
            out[name] = disks.host_path(node, source.get("path", "/"), source.get("type") or "")
        elif "persistentVolumeClaim" in volume:
            claim = (volume["persistentVolumeClaim"] or {}).get("claimName", "")
            out[name] = disks.claim(namespace, claim)
        elif any(key in volume for key in ("configMap", "secret", "downwardAPI", "projected")):
            layer = ProjectedLayer(name, context=context, spec=_Saved(volume)) \
                if specs is None else ProjectedLayer(name, context=context, spec=specs,
                                                     index=index)
            out[name] = Tree(layer=layer, build=layer)
        else:                                   # emptyDir, and whatever has no storage here
            empty = volume.get("emptyDir") or {}
            limit = _bytes(empty.get("sizeLimit"))
            if disk_limit:
                limit = min(limit, disk_limit) if limit else disk_limit
            layer = Layer(f"emptydir:{name}", limit=limit)
            out[name] = Tree(Dir(mode=0o777, mtime=now(), layer=layer), layer=layer)
    return out


def _bytes(quantity: Any) -> int:
    if not quantity:
        return 0
    try:
        return int(parse_quantity(str(quantity)).value)
    except (QuantityError, ValueError):
        return 0


# --- what a projected volume holds ----------------------------------------------------------

Payload = dict[str, tuple[bytes, int]]          # path -> (content, mode)


class _Saved:
    """A volume's spec, kept as JSON until its volume is built (most never are)."""

    __slots__ = ("raw",)

    def __init__(self, volume: JSON) -> None:
        self.raw = memoryview(orjson.dumps(volume)).tobytes()   # not orjson's 4 kB buffer

    def __call__(self) -> JSON:
        return orjson.loads(self.raw)


class ProjectedLayer(Layer):
    """The read-only layer of a ConfigMap, Secret, downward-API or projected volume, which
    also builds the volume when it is first used (most pods have one that is never read:
    one small object, rather than a layer, a builder and its name's string).

    Named ``volume:<name>`` when the name is asked for.  Its spec is ``spec()``, or the
    ``index``-th of ``spec()`` when ``index`` is not -1 (the pod's volumes read again)."""

    __slots__ = ("volume", "context", "spec", "index")

    def __init__(self, volume: str, *, context: Callable[[], VolumeContext],
                 spec: Callable[[], Any], index: int = -1) -> None:
        self.read_only, self.limit, self.used = True, 0, 0
        self.volume, self.context, self.spec, self.index = volume, context, spec, index

    @property  # type: ignore[override]
    def name(self) -> str:
        return f"volume:{self.volume}"

    def __call__(self) -> Node:
        ctx = self.context()
        volume: JSON = self.spec() if self.index < 0 else self.spec()[self.index]
        payload: Payload = {}
        if "projected" in volume:
            source = volume["projected"] or {}
            mode = source.get("defaultMode", DEFAULT_MODE)
            for item in source.get("sources") or []:
                _source(ctx, item, mode, payload)
        else:
            _source(ctx, volume, None, payload)
        return atomic_dir(payload, layer=self, now=ctx.now(), suffix=ctx.random_bits(32))


def _source(ctx: VolumeContext, source: JSON, default_mode: int | None,
            payload: Payload) -> None:
    namespace = (ctx.pod.get("metadata") or {}).get("namespace", "")
    for key, resource, field in (("configMap", "configmaps", "name"),
                                 ("secret", "secrets", "secretName")):
        if key not in source:
            continue
        ref = source[key] or {}
        mode = ref.get("defaultMode", default_mode if default_mode is not None else DEFAULT_MODE)
        obj = ctx.get(resource, namespace, ref.get(field) or ref.get("name", "")) or {}
        data = {k: v.encode() for k, v in (obj.get("data") or {}).items()}
        if key == "secret":
            data = {k: base64.b64decode(v) for k, v in (obj.get("data") or {}).items()}
        data.update({k: base64.b64decode(v) for k, v in (obj.get("binaryData") or {}).items()})
        items = ref.get("items")
        if items:
            for item in items:
                if item.get("key") in data:
                    payload[item.get("path", item["key"])] = (data[item["key"]],
                                                              item.get("mode", mode))
        else:
            for name, content in data.items():
                payload[name] = (content, mode)
    if "downwardAPI" in source:
        ref = source["downwardAPI"] or {}
        mode = ref.get("defaultMode", default_mode if default_mode is not None else DEFAULT_MODE)
        for item in ref.get("items") or []:
            payload[item.get("path", "")] = (_downward(ctx, item).encode(),
                                             item.get("mode", mode))
    if "serviceAccountToken" in source:
        ref = source["serviceAccountToken"] or {}
        mode = default_mode if default_mode is not None else DEFAULT_MODE
        payload[ref.get("path", "token")] = (service_account_token(
            ctx, audience=ref.get("audience") or "",
            seconds=int(ref.get("expirationSeconds") or 3600)).encode(), mode)


def _downward(ctx: VolumeContext, item: JSON) -> str:
    pod = ctx.pod
    meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
    if "fieldRef" in item:
        path = (item["fieldRef"] or {}).get("fieldPath", "")
        if path in ("metadata.labels", "metadata.annotations"):
            values = meta.get(path.split(".")[1]) or {}
            return "\n".join(f"{key}={json.dumps(values[key], ensure_ascii=False)}"
                             for key in sorted(values))
        for kind in ("labels", "annotations"):
            prefix = f"metadata.{kind}['"
            if path.startswith(prefix) and path.endswith("']"):
                return str((meta.get(kind) or {}).get(path[len(prefix):-2], ""))
        values = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
                  "metadata.uid": meta.get("uid"), "spec.nodeName": spec.get("nodeName"),
                  "spec.serviceAccountName": spec.get("serviceAccountName"),
                  "status.podIP": (pod.get("status") or {}).get("podIP"),
                  "status.hostIP": (pod.get("status") or {}).get("hostIP")}
        return str(values.get(path) or "")
    if "resourceFieldRef" in item:
        return _resource(ctx, item["resourceFieldRef"] or {})
    return ""


def _resource(ctx: VolumeContext, ref: JSON) -> str:
    spec = ctx.pod.get("spec") or {}
    containers = (spec.get("containers") or []) + (spec.get("initContainers") or [])
    container = next((c for c in containers if c.get("name") == ref.get("containerName")),
                     containers[0] if containers else {})
    kind, _, name = str(ref.get("resource", "")).partition(".")
    value = ((container.get("resources") or {}).get(kind) or {}).get(name)
    if value is None:
        value = (ctx.allocatable or {}).get(name, "0") if kind == "limits" else "0"
    try:
        quotient = parse_quantity(str(value)).value / (
            parse_quantity(str(ref.get("divisor") or "1")).value or 1)
    except (QuantityError, ValueError):
        return "0"
    return str(-(-quotient.numerator // quotient.denominator))


def atomic_dir(payload: Payload, *, layer: Layer, now: float, suffix: int) -> Dir:
    """The atomic writer's layout: ``..<timestamp>/`` with the files, ``..data`` -> it,
    and a link per top-level name through ``..data``."""
    stamp = datetime.fromtimestamp(now, timezone.utc).strftime("..%Y_%m_%d_%H_%M_%S.")
    stamp += str(suffix)
    data = Dir(mode=0o755, mtime=now, layer=layer)
    for path, (content, mode) in sorted(payload.items()):
        parts = split(path)
        if not parts or ".." in parts:
            continue
        holder = data
        for name in parts[:-1]:
            child = holder.entries.get(name)
            if not isinstance(child, Dir):
                child = holder.entries[name] = Dir(mode=0o755, mtime=now, layer=layer)
            holder = child
        holder.entries[parts[-1]] = File(content, mode=int(mode) & 0o777, mtime=now,
                                         layer=layer)
    root = Dir(mode=0o1777, mtime=now, layer=layer)
    root.entries[stamp] = data
    root.entries["..data"] = Link(stamp, mtime=now, layer=layer)
    for name in data.entries:
        root.entries[name] = Link(f"..data/{name}", mtime=now, layer=layer)
    return root


def service_account_token(ctx: VolumeContext, *, audience: str, seconds: int) -> str:
    """A token shaped like the kubelet's bound service-account tokens (a JWT).

    The simulated API server does not accept it as a credential; it is here so that a
    learner can decode it and find the pod, node and service account it is bound to.
    """
    pod = ctx.pod
    meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
    namespace, account = meta.get("namespace", ""), spec.get("serviceAccountName") or "default"
    sa = ctx.get("serviceaccounts", namespace, account) or {}
    issued = int(ctx.now())
    # A token asked for 3607 s is the kubelet's own: valid a year, with a warning after.
    lifetime = 365 * 24 * 3600 if seconds == 3607 else seconds
    kid = _b64(hashlib.sha256(b"kit-service-account-issuer").digest())
    claims: JSON = {
        "aud": [audience or ISSUER], "exp": issued + lifetime, "iat": issued, "iss": ISSUER,
        "jti": _uuid(ctx), "kubernetes.io": {
            "namespace": namespace, "node": {"name": ctx.node, "uid": _uuid(ctx)},
            "pod": {"name": meta.get("name", ""), "uid": meta.get("uid", "")},
            "serviceaccount": {"name": account, "uid": (sa.get("metadata") or {}).get("uid", "")}},
        "nbf": issued, "sub": f"system:serviceaccount:{namespace}:{account}"}
    if lifetime != seconds:
        claims["kubernetes.io"]["warnafter"] = issued + seconds
    header = {"alg": "RS256", "kid": kid}
    signature = ctx.random_bits(2048).to_bytes(256, "big")
    return ".".join(_b64(json.dumps(part, separators=(",", ":")).encode())
                    for part in (header, claims)) + "." + _b64(signature)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _uuid(ctx: VolumeContext) -> str:
    text = f"{ctx.random_bits(128):032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-a{text[17:20]}-{text[20:]}"
