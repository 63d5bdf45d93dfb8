"""The gnostic compilation of /openapi/v2: golden documents, gnostic's matching rules,
yaml.v3's printing of vendor extensions, and the simulator's whole document."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
import yaml
from google.protobuf import text_format

from kitlib.sim.registry.catalog import RESOURCES
from kitlib.sim.schema import openapi
from kitlib.sim.schema.openapi_v2_proto import (
    Mismatch, compile_document, encode, encoded, message_class, to_yaml,
)


def document(**extra: Any) -> dict[str, Any]:
    return {"info": {"title": "Kubernetes", "version": "v1.32.2"}, "paths": {},
            "swagger": "2.0", **extra}


def text(value: Any) -> str:
    return text_format.MessageToString(compile_document(value))


def test_a_minimal_document() -> None:
    assert text(document()) == ('swagger: "2.0"\ninfo {\n  title: "Kubernetes"\n'
                                '  version: "v1.32.2"\n}\npaths {\n}\n')


def test_a_definition_with_refs_extensions_and_maps() -> None:
    spec = {
        "description": "Pod spec.", "required": ["containers"], "type": "object",
        "properties": {
            "containers": {"items": {"$ref": "#/definitions/C"}, "type": "array",
                           "x-kubernetes-patch-merge-key": "name",
                           "x-kubernetes-patch-strategy": "merge"},
            "nodeSelector": {"additionalProperties": {"default": "", "type": "string"},
                             "type": "object", "x-kubernetes-map-type": "atomic"},
            "anything": {"additionalProperties": False},
            "either": {"type": ["string", "null"]},
        },
        "x-kubernetes-group-version-kind": [{"group": "", "kind": "Pod", "version": "v1"}],
    }
    msg = compile_document(document(definitions={"S": spec}))
    (named,) = msg.definitions.additional_properties     # type: ignore[attr-defined]
    assert named.name == "S"
    assert text_format.MessageToString(named.value) == """\
description: "Pod spec."
required: "containers"
type {
  value: "object"
}
properties {
  additional_properties {
    name: "containers"
    value {
      type {
        value: "array"
      }
      items {
        schema {
          _ref: "#/definitions/C"
        }
      }
      vendor_extension {
        name: "x-kubernetes-patch-merge-key"
        value {
          yaml: "name\\n"
        }
      }
      vendor_extension {
        name: "x-kubernetes-patch-strategy"
        value {
          yaml: "merge\\n"
        }
      }
    }
  }
  additional_properties {
    name: "nodeSelector"
    value {
      additional_properties {
        schema {
          default {
            yaml: "\\"\\"\\n"
          }
          type {
            value: "string"
          }
        }
      }
      type {
        value: "object"
      }
      vendor_extension {
        name: "x-kubernetes-map-type"
        value {
          yaml: "atomic\\n"
        }
      }
    }
  }
  additional_properties {
    name: "anything"
    value {
      additional_properties {
        boolean: false
      }
    }
  }
  additional_properties {
    name: "either"
    value {
      type {
        value: "string"
        value: "null"
      }
    }
  }
}
vendor_extension {
  name: "x-kubernetes-group-version-kind"
  value {
    yaml: "- group: \\"\\"\\n  kind: Pod\\n  version: v1\\n"
  }
}
"""


def test_parameters_take_the_one_alternative_that_fits() -> None:
    operation = {
        "parameters": [
            {"in": "body", "name": "body", "required": True, "schema": {"$ref": "#/d/X"}},
            {"description": "d", "in": "query", "name": "dryRun", "type": "string",
             "uniqueItems": True},
            {"$ref": "#/parameters/pretty"},
        ],
        "responses": {"200": {"description": "OK", "schema": {"$ref": "#/d/X"}},
                      "401": {"description": "Unauthorized"}},
        "x-kubernetes-action": "post",
    }
    path_item = {"post": operation, "parameters": [
        {"in": "path", "name": "namespace", "required": True, "type": "string"}]}
    msg = compile_document(document(paths={"/api/v1/x": path_item}))
    (named,) = msg.paths.path                         # type: ignore[attr-defined]
    post = named.value.post
    body, query, reference = post.parameters
    assert body.parameter.WhichOneof("oneof") == "body_parameter"
    assert body.parameter.body_parameter.schema._ref == "#/d/X"
    assert query.parameter.non_body_parameter.WhichOneof("oneof") == "query_parameter_sub_schema"
    assert query.parameter.non_body_parameter.query_parameter_sub_schema.unique_items
    assert reference.WhichOneof("oneof") == "json_reference"
    (path_param,) = named.value.parameters
    assert path_param.parameter.non_body_parameter.WhichOneof("oneof") == \
        "path_parameter_sub_schema"
    codes = [(r.name, r.value.response.description) for r in post.responses.response_code]
    assert codes == [("200", "OK"), ("401", "Unauthorized")]
    assert post.responses.response_code[0].value.response.schema.schema._ref == "#/d/X"
    assert [(e.name, e.value.yaml) for e in post.vendor_extension] == \
        [("x-kubernetes-action", "post\n")]


def test_security_definitions_and_requirements() -> None:
    msg = compile_document(document(
        securityDefinitions={"BearerToken": {"description": "Bearer Token authentication",
                                             "in": "header", "name": "authorization",
                                             "type": "apiKey"}},
        security=[{"BearerToken": []}]))
    (definition,) = msg.security_definitions.additional_properties  # type: ignore[attr-defined]
    assert definition.value.api_key_security.name == "authorization"
    (requirement,) = msg.security                    # type: ignore[attr-defined]
    (named,) = requirement.additional_properties
    assert named.name == "BearerToken" and list(named.value.value) == []
    # An empty list is still a present StringArray: it is on the wire.
    assert requirement.SerializeToString() == b"\n\x0f\n\x0bBearerToken\x12\x00"


@pytest.mark.parametrize("broken", [
    document(paths={"api/v1": {}}),                                  # paths start with /
    document(paths={"/x": {"get": {"description": "no responses"}}}),
    document(definitions={"S": {"properties": {"a": {"nullable": True}}}}),
    document(definitions={"S": {"type": {"not": "a type"}}}),
    document(swagger="3.0"),
    {"info": {"title": "t", "version": "v"}, "swagger": "2.0"},      # no paths
    document(paths={"/x": {"get": {"responses": {"200": {"schema": {}}}}}}),
])
def test_what_gnostic_rejects(broken: dict[str, Any]) -> None:
    with pytest.raises(Mismatch):
        compile_document(broken)


def test_a_schema_item_with_type_file_is_a_file_schema() -> None:
    responses = {"200": {"description": "OK", "schema": {"type": "file"}}}
    msg = compile_document(document(paths={"/x": {"get": {"responses": responses}}}))
    schema = msg.paths.path[0].value.get.responses.response_code[0].value.response.schema
    assert schema.WhichOneof("oneof") == "file_schema"


@pytest.mark.parametrize(("value", "printed"), [
    ("merge", "merge\n"),
    ("merge,retainKeys", "merge,retainKeys\n"),
    ("", '""\n'),
    ("true", '"true"\n'),
    ("1.5", '"1.5"\n'),
    ("0x1F", '"0x1F"\n'),
    ("2024-01-02", '"2024-01-02"\n'),
    ("null", '"null"\n'),
    ("a: b", "'a: b'\n"),
    ("-", "'-'\n"),
    ("#x", "'#x'\n"),
    ("it's", "it's\n"),
    (True, "true\n"),
    (None, "null\n"),
    (3, "3\n"),
    (1.5, "1.5\n"),
    ({}, "{}\n"),
    ([], "[]\n"),
    (["port", "protocol"], "- port\n- protocol\n"),
    ([{"group": "", "kind": "Pod", "version": "v1"}],
     '- group: ""\n  kind: Pod\n  version: v1\n'),
    ({"a": {"b": 1}, "c": ["x", {"d": []}]}, "a:\n    b: 1\nc:\n    - x\n    - d: []\n"),
    ([["a", "b"], "c"], "- - a\n  - b\n- c\n"),
])
def test_vendor_extensions_print_as_yaml_v3_does(value: Any, printed: str) -> None:
    assert to_yaml(value) == printed
    assert yaml.safe_load(printed) == value


@pytest.fixture(scope="module")
def served() -> openapi.Document:
    return openapi.v2(resources=RESOURCES)


@pytest.fixture(scope="module")
def decoded(served: openapi.Document) -> Any:
    return message_class("Document").FromString(encoded(served.data, digest=served.hash))


def test_the_whole_document_keeps_every_path_and_definition(
        served: openapi.Document, decoded: Any) -> None:
    body = orjson.loads(served.data)
    assert [p.name for p in decoded.paths.path] == list(body["paths"])
    assert [d.name for d in decoded.definitions.additional_properties] == \
        list(body["definitions"])
    assert decoded.info.version == body["info"]["version"]


def extensions(schema: Any) -> dict[str, Any]:
    return {e.name: yaml.safe_load(e.value.yaml) for e in schema.vendor_extension}


def definition(decoded: Any, name: str) -> Any:
    return next(d.value for d in decoded.definitions.additional_properties if d.name == name)


def test_patch_strategies_survive_for_client_side_apply(decoded: Any) -> None:
    spec = definition(decoded, "io.k8s.api.core.v1.PodSpec")
    props = {p.name: p.value for p in spec.properties.additional_properties}
    assert extensions(props["containers"]) == {
        "x-kubernetes-list-map-keys": ["name"], "x-kubernetes-list-type": "map",
        "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"}
    assert props["containers"].items.schema[0]._ref == \
        "#/definitions/io.k8s.api.core.v1.Container"
    assert extensions(definition(decoded, "io.k8s.api.core.v1.Pod")) == {
        "x-kubernetes-group-version-kind": [{"group": "", "kind": "Pod", "version": "v1"}]}


def test_the_document_is_compiled_once(served: openapi.Document) -> None:
    first = encoded(served.data, digest=served.hash)
    assert encoded(served.data, digest=served.hash) is first
    assert encode(served.data) == first
