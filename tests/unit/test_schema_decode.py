"""Strict decoding: parse faults, duplicates, unknown fields and type errors, worded as the
real apiserver words them (golden inputs and outputs)."""

from __future__ import annotations

import time

import pytest

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.schema import decode
from kitlib.sim.schema.builder import load_schema

DEPLOYMENT = "io.k8s.api.apps.v1.Deployment"
POD = "io.k8s.api.core.v1.Pod"

# The body of Kubernetes' own field-validation integration test, in JSON and YAML.
INVALID_JSON = b"""{"apiVersion": "apps/v1", "kind": "Deployment",
 "metadata": {"name": "d", "labels": {"app": "nginx"}},
 "spec": {"unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2",
  "paused": true, "paused": false,
  "selector": {"matchLabels": {"app": "nginx"}},
  "template": {"metadata": {"labels": {"app": "nginx"}},
   "spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "unknownNested": "val1",
     "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}"""
INVALID_YAML = b"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  labels:
    app: nginx
spec:
  unknown1: val1
  unknownDupe: valDupe
  unknownDupe: valDupe2
  paused: true
  paused: false
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        unknownNested: val1
        imagePullPolicy: Always
        imagePullPolicy: Never"""


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def test_json_strict_problems_in_document_order(schema):
    found = decode.decode_object(INVALID_JSON, content_type="application/json",
                                 schema=schema, type_name=DEPLOYMENT)
    assert found.strict == [
        'unknown field "spec.unknown1"',
        'unknown field "spec.unknownDupe"',          # unknown wins over duplicate
        'duplicate field "spec.paused"',
        'unknown field "spec.template.spec.containers[0].unknownNested"',
        'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    ]
    assert found.type_errors == []
    assert found.data["spec"]["paused"] is False     # the last duplicate wins


def test_yaml_duplicates_first_then_unknown_fields_in_sorted_order(schema):
    found = decode.decode_object(INVALID_YAML, content_type="application/yaml",
                                 schema=schema, type_name=DEPLOYMENT)
    assert found.strict == [
        'line 10: key "unknownDupe" already set in map',
        'line 12: key "paused" already set in map',
        'line 26: key "imagePullPolicy" already set in map',
        'unknown field "spec.template.spec.containers[0].unknownNested"',
        'unknown field "spec.unknown1"',
        'unknown field "spec.unknownDupe"',
    ]


def test_parse_body_reports_json_duplicates_with_paths():
    data, problems = decode.parse_body(b'{"kind": "Pod", "kind": "Pod", "metadata": '
                                       b'{"labels": {"a": "1", "a": "2"}}}',
                                       content_type="application/json; charset=utf-8")
    assert problems == ['duplicate field "kind"', 'duplicate field "metadata.labels.a"']
    assert data["metadata"]["labels"] == {"a": "2"}
    fast, none = decode.parse_body(b'{"a": 1, "a": 2}', content_type="application/json",
                                   check_duplicates=False)
    assert fast == {"a": 2} and none == []


@pytest.mark.parametrize(("body", "message"), [
    (b"{bad", "invalid character 'b' looking for beginning of object key string"),
    (b'{"a":1,}', "invalid character '}' looking for beginning of object key string"),
    (b"[1,]", "invalid character ']' looking for beginning of value"),
    (b'{"a" 1}', "invalid character '1' after object key"),
    (b'{"a":1 "b":2}', "invalid character '\"' after object key:value pair"),
    (b"[1 2]", "invalid character '2' after array element"),
    (b'{"a":tru}', "invalid character '}' in literal true (expecting 'e')"),
    (b'{"a":1}x', "invalid character 'x' after top-level value"),
    (b'{"a":"', "unexpected end of JSON input"),
    (b"", "unexpected end of JSON input"),
    (b'{"a":NaN}', "invalid character 'N' looking for beginning of value"),
    (b'{"a":"\n"}', "invalid character '\\n' in string literal"),
    (b"[]", 'json: cannot unmarshal array into Go value of type struct { APIVersion string '
            '"json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }'),
])
def test_malformed_json_is_worded_like_go(body, message):
    with pytest.raises(BadRequest) as caught:
        decode.parse_body(body, content_type="application/json")
    assert caught.value.message == f"couldn't get version/kind; json parse error: {message}"
    assert caught.value.code == 400


@pytest.mark.parametrize(("body", "message"), [
    (b"a: b: c", "yaml: line 1: mapping values are not allowed in this context"),
    (b"a:\n\t- x", "yaml: line 2: found character that cannot start any token"),
    (b"a: [1, 2", "yaml: line 1: did not find expected ',' or ']'"),
    (b"a: *x", "yaml: unknown anchor 'x' referenced"),
])
def test_malformed_yaml_is_worded_like_go_yaml(body, message):
    with pytest.raises(decode.MalformedBody) as caught:
        decode.parse_body(body, content_type="application/apply-patch+yaml")
    assert caught.value.problem == f"error converting YAML to JSON: {message}"


def test_yaml_becomes_what_yaml_to_json_makes():
    data, problems = decode.parse_body(
        b"a: 2024-01-01\nb: 1.0\nc: 1.5\n1: x\ntrue: y\nd: !!binary aGk=\ne: {x: 1, x: 2}\n",
        content_type="application/yaml")
    assert problems == ['line 7: key "x" already set in map']
    assert data == {"a": "2024-01-01", "b": 1, "c": 1.5, "1": "x", "true": "y", "d": "hi",
                    "e": {"x": 2}}


def test_yaml_loader_is_safe():
    with pytest.raises(decode.MalformedBody):
        decode.parse_body(b"a: !!python/object/apply:os.system ['true']",
                          content_type="application/yaml")


def test_unknown_fields_and_free_form(schema):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "nam": "x"},
           "spec": {"containers": [{"name": "c", "imagee": "x"}, {"name": "d"}],
                    "nodeSelector": {"any": "thing"}},
           "status": {"phase": "Pending"}, "extra": 1}
    assert decode.unknown_fields(pod, schema=schema, type_name=POD) == [
        'unknown field "metadata.nam"', 'unknown field "spec.containers[0].imagee"',
        'unknown field "extra"']
    event = {"object": {"whatever": {"deep": [1]}}, "type": "ADDED"}
    assert decode.unknown_fields(event, schema=schema,
                                 type_name="io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent") == []
    decode.prune_unknown_fields(pod, schema=schema, type_name=POD)
    assert "extra" not in pod and "imagee" not in pod["spec"]["containers"][0]
    assert pod["metadata"] == {"name": "p"}


@pytest.mark.parametrize(("obj", "error"), [
    ({"spec": {"replicas": "3"}},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type "
     "int32"),
    ({"spec": {"replicas": 1.5}},
     "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of "
     "type int32"),
    ({"spec": {"replicas": 3000000000}},
     "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas "
     "of type int32"),
    ({"spec": {"paused": "yes"}},
     "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type "
     "bool"),
    ({"metadata": {"labels": {"version": 1}}},
     "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type "
     "string"),
    ({"spec": {"template": {"spec": {"containers": {"name": "x"}}}}},
     "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers "
     "of type []v1.Container"),
    ({"spec": {"template": {"spec": {"containers": [{"ports": [{"containerPort": "80"}]}]}}}},
     "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec."
     "containers.ports.containerPort of type int32"),
    ({"spec": {"template": {"spec": {"containers": [{"ports": [{"protocol": 6}]}]}}}},
     "json: cannot unmarshal number into Go struct field ContainerPort.spec.template.spec."
     "containers.ports.protocol of type v1.Protocol"),
    ({"spec": "x"},
     "json: cannot unmarshal string into Go struct field Deployment.spec of type "
     "v1.DeploymentSpec"),
    ({"spec": {"strategy": {"rollingUpdate": {"maxSurge": True}}}},
     "json: cannot unmarshal bool into Go value of type int32"),
    ({"spec": {"template": {"spec": {"containers": [{"resources": {"limits": {"cpu": "x1"}}}]}}}},
     "quantities must match the regular expression "
     "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ({"metadata": {"creationTimestamp": "yesterday"}},
     'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as '
     '"2006"'),
])
def test_type_errors(schema, obj, error):
    assert decode.type_errors(obj, schema=schema, type_name=DEPLOYMENT)[0] == error


def test_values_that_fit(schema):
    ok = {"metadata": {"name": "d", "labels": None, "creationTimestamp": "2024-05-01T10:00:00Z"},
          "spec": {"replicas": 3, "strategy": {"rollingUpdate": {"maxSurge": "25%",
                                                                 "maxUnavailable": 1}},
                   "template": {"spec": {"containers": [{"name": "c", "resources": {
                       "limits": {"cpu": 0.5, "memory": "128Mi"},
                       "requests": {"cpu": "100m", "memory": 1e9}}}]}}}}
    assert decode.type_errors(ok, schema=schema, type_name=DEPLOYMENT) == []


def test_unrecognized_body_message():
    err = decode.unrecognized(kind="Pod", problem="couldn't get version/kind; json parse "
                              "error: unexpected end of JSON input", body=b"")
    assert err.message.endswith("unexpected end of JSON input (<empty>)")
    body = b'{"apiVersion": "v1", "kind": "Pod", "x": 1}'
    assert decode.summarize(body) == body[:30].decode() + " ..."
    assert decode.summarize(b"\x00\x01") == "0001"


def test_large_bodies_decode_quickly(schema):
    body = ('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{'
            + ",".join(f'"k{i}":"{"x" * 100}"' for i in range(25000)) + "}}").encode()
    assert len(body) > 2_500_000
    start = time.perf_counter()
    found = decode.decode_object(body, content_type="application/json", schema=schema,
                                 type_name="io.k8s.api.core.v1.ConfigMap")
    assert time.perf_counter() - start < 0.5
    assert found.strict == [] and found.type_errors == []
