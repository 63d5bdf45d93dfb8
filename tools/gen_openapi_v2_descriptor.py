"""Generate kitlib/sim/schema/data/openapi_v2_descriptor.json from a kubectl 1.32 binary.

Why a binary: kube-apiserver serves ``/openapi/v2`` as protobuf in the message set of
github.com/google/gnostic-models (``openapiv2/OpenAPIv2.proto``, package ``openapi.v2``),
and client-go decodes it with the same package.  Its Go code (protoc-gen-go, not gogo)
embeds the proto file's ``FileDescriptorProto`` as raw bytes, so every kubectl binary
carries the exact message definitions the 1.32 API server marshals with: names, field
numbers, types and oneofs.  The script finds those bytes, checks them, and writes the
descriptor in protobuf's JSON form (readable, diffable).  It is a development tool:
nothing at run time or in CI needs it.

Usage: .venv/bin/python tools/gen_openapi_v2_descriptor.py [--kubectl PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2, json_format

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kitlib" / "sim" / "schema" / "data" / "openapi_v2_descriptor.json"
#: The descriptor starts with its name (field 1) then its package (field 2).
MARKER = b"\n\x19openapiv2/OpenAPIv2.proto\x12\nopenapi.v2"
#: FileDescriptorProto's field numbers: name .. syntax (all length-delimited but 10, 11).
LAST_FIELD = 12


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def extract(data: bytes) -> descriptor_pb2.FileDescriptorProto:
    """The raw descriptor's bytes run from the marker through its ``syntax`` field."""
    start = data.find(MARKER)
    if start < 0:
        raise SystemExit("no openapiv2/OpenAPIv2.proto descriptor in the binary")
    pos = start
    while True:
        tag, after = _varint(data, pos)
        number, wire_type = tag >> 3, tag & 7
        if wire_type != 2 or not 1 <= number <= LAST_FIELD:
            break
        size, after = _varint(data, after)
        pos = after + size
        if number == LAST_FIELD:
            break
    fd = descriptor_pb2.FileDescriptorProto.FromString(data[start:pos])
    if fd.package != "openapi.v2" or fd.syntax != "proto3":
        raise SystemExit(f"unexpected descriptor: {fd.name} {fd.package} {fd.syntax}")
    names = {m.name for m in fd.message_type}
    for needed in ("Document", "Schema", "NamedAny", "Any", "AdditionalPropertiesItem"):
        if needed not in names:
            raise SystemExit(f"descriptor lacks message {needed}")
    return fd


def render(source: str, descriptor: dict[str, Any]) -> str:
    """JSON with one message a line, so that regenerating diffs well."""
    def dump(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))

    messages = descriptor.pop("message_type")
    lines = ["{", f'"source":{dump(source)},', '"descriptor":{']
    lines += [f"{dump(key)}:{dump(value)}," for key, value in descriptor.items()]
    lines.append('"message_type":[')
    lines.append(",\n".join(dump(message) for message in messages))
    lines.append("]}}")
    return "\n".join(lines) + "\n"


def find_kubectl() -> Path:
    found = shutil.which("kubectl")
    candidates = [Path(found).resolve().parent / "kubectl.1.32", Path(found)] if found else []
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
    fd = extract(binary.read_bytes())
    source = f"{binary.name}: the raw FileDescriptorProto of gnostic-models OpenAPIv2.proto"
    text = render(source, json_format.MessageToDict(fd, preserving_proto_field_name=True))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"{len(fd.message_type)} messages -> {args.out} ({len(text)} bytes)")


if __name__ == "__main__":
    main()
