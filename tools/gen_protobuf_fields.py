"""Generate kitlib/sim/schema/data/protobuf_fields.json from a kubectl 1.32 binary.

Why a binary: a Go program built from k8s.io/api carries both halves of what a protobuf
request body means.  gogo-protobuf registers each package's ``generated.proto`` as a gzipped
``FileDescriptorProto`` (message names, field numbers, wire types, map entries), and Go's
reflection data keeps every struct's fields in declaration order with their tags
(``json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"``) and Go types
(pointer or value, slice, map).  The first says how to read the wire, the second what Go's
``encoding/json`` prints for the decoded struct.  Both are API facts of Kubernetes 1.32.

The script cross-checks the two (every proto field must match a tagged Go field of the same
number and name) and writes, for each message reachable from the kinds the simulator decodes,
its fields in Go order.  It is a development tool: nothing at run time or in CI needs it.

Usage: .venv/bin/python tools/gen_protobuf_fields.py [--kubectl PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kitlib" / "sim" / "schema" / "data" / "protobuf_fields.json"
META = "k8s.io.apimachinery.pkg.apis.meta.v1"
RUNTIME = "k8s.io.apimachinery.pkg.runtime"

#: Kinds a request body may carry beyond the catalog's: subresource bodies, and the kinds
#: kubectl's typed clients send (``kubectl create job|cronjob|ingress|role|quota|pdb|...``,
#: ``kubectl create token``, ``kubectl auth can-i|whoami``, ``kubectl autoscale``).
EXTRA_KINDS: tuple[tuple[str, str], ...] = (
    ("v1", "Binding"),
    ("v1", "ResourceQuota"),
    ("autoscaling/v1", "Scale"),
    ("autoscaling/v1", "HorizontalPodAutoscaler"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("policy/v1", "Eviction"),
    ("policy/v1", "PodDisruptionBudget"),
    ("authentication.k8s.io/v1", "TokenRequest"),
    ("authentication.k8s.io/v1", "SelfSubjectReview"),
    ("authorization.k8s.io/v1", "SelfSubjectAccessReview"),
    ("authorization.k8s.io/v1", "SelfSubjectRulesReview"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("networking.k8s.io/v1", "Ingress"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("scheduling.k8s.io/v1", "PriorityClass"),
)
#: metav1.DeleteOptions is registered in every group version (metav1.AddToGroupVersion).
OPTIONS_KINDS = ("DeleteOptions",)
ENVELOPE = f"{RUNTIME}.Unknown"
#: Types whose Go structs hide the wire fields (custom Marshal/Unmarshal): their messages are
#: taken from the descriptor alone, and the decoder gives them their JSON forms by name.
OPAQUE = frozenset({f"{META}.Time", f"{META}.MicroTime",
                    "k8s.io.apimachinery.pkg.api.resource.Quantity"})

_GZIP = re.compile(rb"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")

# Go's reflect.Kind numbers (internal/abi) for the kinds these types use.
_KINDS = {1: "bool", 2: "int", 5: "int32", 6: "int64", 8: "uint8", 10: "uint32",
          11: "uint64", 14: "float64", 17: "array", 20: "interface", 21: "map", 22: "ptr",
          23: "slice", 24: "string", 25: "struct"}


# --- the ELF file and Go's type data ------------------------------------------------------

class Image:
    """A statically linked Go ELF binary: virtual addresses to bytes, Go names and types."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != b"\x7fELF" or data[4] != 2:
            raise SystemExit("not a 64-bit ELF file")
        self.data = data
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
        headers = [struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
                   for i in range(shnum)]
        names_at = headers[shstrndx][4]
        self.sections: dict[str, tuple[int, int, int]] = {}   # name -> (addr, offset, size)
        for name_off, _type, _flags, addr, offset, size in headers:
            end = data.index(b"\0", names_at + name_off)
            self.sections[data[names_at + name_off:end].decode()] = (addr, offset, size)
        # Type and name offsets are relative to runtime.types, the start of .rodata.
        self.types_base = self.sections[".rodata"][0]

    def offset(self, addr: int) -> int:
        for start, off, size in self.sections.values():
            if start and start <= addr < start + size:
                return addr - start + off
        raise ValueError(f"address {addr:#x} is in no section")

    def u64(self, addr: int) -> int:
        return struct.unpack_from("<Q", self.data, self.offset(addr))[0]

    def i32(self, addr: int) -> int:
        return struct.unpack_from("<i", self.data, self.offset(addr))[0]

    def name(self, addr: int) -> tuple[int, str, str]:
        """A Go abi.Name: (flags, name, tag)."""
        pos = self.offset(addr)
        flags = self.data[pos]
        size, pos = _varint(self.data, pos + 1)
        text = self.data[pos:pos + size].decode()
        pos += size
        tag = ""
        if flags & 2:
            size, pos = _varint(self.data, pos)
            tag = self.data[pos:pos + size].decode()
        return flags, text, tag


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


@dataclass
class GoField:
    name: str
    type: GoType
    tag: str
    embedded: bool


@dataclass
class GoType:
    kind: str
    text: str                       # e.g. "*v1.LabelSelector"
    pkg: str = ""                   # package path of a named struct
    elem: GoType | None = None
    key: GoType | None = None
    fields: list[GoField] = field(default_factory=list)


class GoTypes:
    """Every Go type reachable from the binary's typelinks; named structs (and named
    slices, which go-to-protobuf wraps in a message) by qualified name."""

    def __init__(self, image: Image) -> None:
        self.image = image
        self._seen: dict[int, GoType] = {}
        self.structs: dict[str, GoType] = {}
        addr, _off, size = image.sections[".typelink"]
        for i in range(size // 4):
            self._type(image.types_base + image.i32(addr + 4 * i))

    def _type(self, addr: int) -> GoType:
        if addr in self._seen:
            return self._seen[addr]
        img = self.image
        raw_kind = img.data[img.offset(addr) + 23] & 0x1F
        tflag = img.data[img.offset(addr) + 20]
        text = img.name(img.types_base + img.i32(addr + 40))[1]
        if tflag & 2:              # TFlagExtraStar
            text = text[1:]
        gt = GoType(kind=_KINDS.get(raw_kind, f"kind{raw_kind}"), text=text)
        self._seen[addr] = gt
        if gt.kind in ("ptr", "slice", "array"):
            gt.elem = self._type(img.u64(addr + 48))
            if gt.kind == "slice" and tflag & 1 and tflag & 4:   # a named slice type
                gt.pkg = img.name(img.types_base + img.i32(addr + 56))[1]
                self.structs[f"{gt.pkg}.{text.rsplit('.', 1)[-1]}"] = gt
        elif gt.kind == "map":
            gt.key = self._type(img.u64(addr + 48))
            gt.elem = self._type(img.u64(addr + 56))
        elif gt.kind == "struct":
            start, count = img.u64(addr + 56), img.u64(addr + 64)
            for i in range(count):
                entry = start + 24 * i
                flags, name, tag = img.name(img.u64(entry))
                gt.fields.append(GoField(name, self._type(img.u64(entry + 8)), tag,
                                         bool(flags & 8)))
            if tflag & 1 and tflag & 4:         # uncommon and named: it has a package path
                gt.pkg = img.name(img.types_base + img.i32(addr + 80))[1]
                self.structs[f"{gt.pkg}.{text.rsplit('.', 1)[-1]}"] = gt
        return gt


def file_descriptors(data: bytes) -> dict[str, descriptor_pb2.DescriptorProto]:
    """The gzipped generated.proto descriptors gogo-protobuf registers, by message name."""
    messages: dict[str, descriptor_pb2.DescriptorProto] = {}
    for match in _GZIP.finditer(data):
        try:
            raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(
                data[match.start():match.start() + (8 << 20)])
            fd = descriptor_pb2.FileDescriptorProto.FromString(raw)
        except Exception:         # most matches are other gzip streams or noise
            continue
        if not fd.name.endswith("/generated.proto") or not fd.package.startswith("k8s.io."):
            continue
        for msg in fd.message_type:
            messages[f"{fd.package}.{msg.name}"] = msg
    return messages


# --- joining the two --------------------------------------------------------------------

_SCALARS = {descriptor_pb2.FieldDescriptorProto.TYPE_STRING: "string",
            descriptor_pb2.FieldDescriptorProto.TYPE_BYTES: "bytes",
            descriptor_pb2.FieldDescriptorProto.TYPE_INT32: "int32",
            descriptor_pb2.FieldDescriptorProto.TYPE_INT64: "int64",
            descriptor_pb2.FieldDescriptorProto.TYPE_BOOL: "bool",
            descriptor_pb2.FieldDescriptorProto.TYPE_DOUBLE: "double",
            descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE: "message"}


def go_package(proto_package: str) -> str:
    """``k8s.io.api.apps.v1`` -> ``k8s.io/api/apps/v1``."""
    return "k8s.io/" + proto_package.removeprefix("k8s.io.").replace(".", "/")


class Generator:
    def __init__(self, descriptors: dict[str, descriptor_pb2.DescriptorProto],
                 go: GoTypes) -> None:
        self.descriptors = descriptors
        self.go = go
        self.messages: dict[str, list[list[Any]]] = {}
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        if message in self.messages:
            return
        desc = self.descriptors[message]
        if message in OPAQUE:
            self.messages[message] = [[f.number, f.name, "one", _SCALARS[f.type], "", []]
                                      for f in desc.field]
            return
        package, _, name = message.rpartition(".")
        struct_type = self.go.structs.get(f"{go_package(package)}.{name}")
        if struct_type is None:
            raise SystemExit(f"no Go struct for {message}")
        if struct_type.kind == "slice":
            # type ExtraValue []string: on the wire {repeated items = 1}, in JSON the list.
            (items,) = desc.field
            self.messages[message] = [[items.number, "", "list", _SCALARS[items.type],
                                       items.type_name.lstrip("."), ["unwrap"]]]
            return
        self.messages[message] = rows = []
        by_number = {f.number: f for f in desc.field}
        nested = {f"{message}.{n.name}": n for n in desc.nested_type}
        matched: set[int] = set()
        for gof in struct_type.fields:
            tags = _tags(gof.tag)
            if "protobuf" not in tags:
                if gof.name not in ("TypeMeta", "Time"):
                    self.problems.append(f"{message}.{gof.name}: no protobuf tag")
                continue
            pb = tags["protobuf"].split(",")
            number = int(pb[1])
            fdesc = by_number.get(number)
            pb_name = next((p[5:] for p in pb if p.startswith("name=")), "")
            if fdesc is None or (pb_name and fdesc.name != pb_name):
                raise SystemExit(f"{message}.{gof.name}: tag {tags['protobuf']} does not "
                                 f"match the descriptor")
            matched.add(number)
            rows.append(self._row(message, gof, tags.get("json", ""), fdesc, nested))
        missing = set(by_number) - matched
        if missing:
            raise SystemExit(f"{message}: descriptor fields {sorted(missing)} have no Go field")
        for row in rows:
            if row[3] == "message":
                self.add(row[4])

    def _row(self, message: str, gof: GoField, json_tag: str,
             fdesc: descriptor_pb2.FieldDescriptorProto,
             nested: dict[str, descriptor_pb2.DescriptorProto]) -> list[Any]:
        json_name, *options = json_tag.split(",") if json_tag else ("",)
        flags: list[str] = []
        if json_tag == "-":
            json_name, flags = "", ["skip"]
        elif gof.embedded and not json_name:
            flags.append("inline")
        elif not json_name:
            json_name = gof.name
        if "omitempty" in options:
            flags.append("omitempty")
        if "string" in options:
            raise SystemExit(f"{message}.{gof.name}: json ,string is not supported")
        gtype = gof.type
        if gtype.kind == "ptr":
            flags.append("ptr")
            gtype = gtype.elem
            assert gtype is not None
        repeated = fdesc.label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
        ptype = _SCALARS.get(fdesc.type)
        if ptype is None:
            raise SystemExit(f"{message}.{fdesc.name}: unsupported proto type {fdesc.type}")
        ref = fdesc.type_name.lstrip(".")
        entry = nested.get(ref)
        if entry is not None and entry.options.map_entry:
            key, value = entry.field[0], entry.field[1]
            if key.type != descriptor_pb2.FieldDescriptorProto.TYPE_STRING:
                raise SystemExit(f"{message}.{fdesc.name}: map keys must be strings")
            if gtype.kind != "map":
                raise SystemExit(f"{message}.{gof.name}: proto map but Go {gtype.kind}")
            return [fdesc.number, json_name, "map", _SCALARS[value.type],
                    value.type_name.lstrip("."), flags]
        if repeated:
            if gtype.kind != "slice":
                raise SystemExit(f"{message}.{gof.name}: repeated but Go {gtype.kind}")
            if gtype.elem is not None and gtype.elem.kind == "ptr":
                raise SystemExit(f"{message}.{gof.name}: slices of pointers are not supported")
            return [fdesc.number, json_name, "list", ptype, ref, flags]
        if gtype.kind in ("slice", "map") and ptype != "bytes":
            raise SystemExit(f"{message}.{gof.name}: Go {gtype.kind} for a singular field")
        return [fdesc.number, json_name, "one", ptype, ref, flags]


def _tags(tag: str) -> dict[str, str]:
    return dict(re.findall(r'(\w+):"((?:[^"\\]|\\.)*)"', tag))


def message_of(api_version: str, kind: str) -> str:
    """``apps/v1`` ``Deployment`` -> ``k8s.io.api.apps.v1.Deployment``."""
    group, _, version = api_version.rpartition("/")
    package = group.split(".")[0] if group else "core"
    return f"k8s.io.api.{package}.{version}.{kind}"


def root_kinds() -> list[tuple[str, str, str]]:
    sys.path.insert(0, str(ROOT))
    from kitlib.sim.registry.catalog import RESOURCES
    # Read-only resources (customresourcedefinitions) never have a body to decode.
    pairs = [(res.api_version, res.kind) for res in RESOURCES
             if {"create", "update", "patch"} & set(res.verbs)] + list(EXTRA_KINDS)
    return [(v, k, message_of(v, k)) for v, k in dict.fromkeys(pairs)]


def render(table: dict[str, Any]) -> str:
    """JSON with one message (and one kind) a line, so that regenerating diffs well."""
    def dump(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))

    lines = ["{"]
    for key in ("source", "envelope", "options"):
        lines.append(f"{dump(key)}:{dump(table[key])},")
    lines.append('"kinds":[')
    lines.append(",\n".join(dump(kind) for kind in table["kinds"]))
    lines.append('],\n"messages":{')
    lines.append(",\n".join(f"{dump(name)}:{dump(rows)}"
                            for name, rows in table["messages"].items()))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def find_kubectl() -> Path:
    found = shutil.which("kubectl")
    candidates = [Path(found).resolve().parent / "kubectl.1.32"] if found else []
    candidates += [Path(found)] if found else []
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise SystemExit("no kubectl binary found; pass --kubectl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubectl", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    binary = args.kubectl or find_kubectl()
    data = binary.read_bytes()
    gen = Generator(file_descriptors(data), GoTypes(Image(data)))
    kinds = root_kinds()
    for _version, _kind, message in kinds:
        gen.add(message)
    gen.add(f"{META}.DeleteOptions")
    gen.add(ENVELOPE)
    if gen.problems:
        print("\n".join(gen.problems), file=sys.stderr)
    table = {
        "source": f"{binary.name}: Go reflection data and gogo-protobuf file descriptors",
        "envelope": ENVELOPE,
        "kinds": [[v, k, m] for v, k, m in kinds],
        "options": {kind: f"{META}.{kind}" for kind in OPTIONS_KINDS},
        "messages": dict(sorted(gen.messages.items())),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = render(table)
    args.out.write_text(text)
    print(f"{len(gen.messages)} messages, {sum(map(len, gen.messages.values()))} fields "
          f"-> {args.out} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
