"""The OpenAPI documents: complete, self-consistent, and shaped as kubectl expects."""

from __future__ import annotations

import hashlib
import json
import re
import time

import pytest

from kitlib.sim.registry.catalog import RESOURCES
from kitlib.sim.schema import openapi

CORE = "io.k8s.api.core.v1."


@pytest.fixture(scope="module")
def core_doc():
    return openapi.v3_document(group="", version="v1", resources=RESOURCES)


@pytest.fixture(scope="module")
def apps_doc():
    return openapi.v3_document(group="apps", version="v1", resources=RESOURCES)


def _refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value)      # (JSONSchemaProps has a property named "$ref")
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def test_index_lists_every_group_version_with_a_content_hash():
    index = openapi.v3_index(resources=RESOURCES)
    assert set(index["paths"]) == {"api/v1", "apis/apps/v1", "apis/coordination.k8s.io/v1",
                                   "apis/discovery.k8s.io/v1", "apis/events.k8s.io/v1",
                                   "apis/apiextensions.k8s.io/v1"}
    url = index["paths"]["apis/apps/v1"]["serverRelativeURL"]
    doc = openapi.v3_group_version(group="apps", version="v1", resources=RESOURCES)
    assert url == f"/openapi/v3/apis/apps/v1?hash={doc.hash}"
    assert re.fullmatch(r"[0-9A-F]{128}", doc.hash)
    assert doc.hash == hashlib.sha512(doc.data).hexdigest().upper()
    assert json.loads(doc.data) == doc.body
    assert openapi.v3_index(resources=RESOURCES) == index            # stable


@pytest.mark.parametrize("gv", [("", "v1"), ("apps", "v1"), ("coordination.k8s.io", "v1"),
                                ("discovery.k8s.io", "v1"), ("events.k8s.io", "v1")])
def test_every_reference_resolves(gv):
    doc = openapi.v3_document(group=gv[0], version=gv[1], resources=RESOURCES)
    schemas = doc["components"]["schemas"]
    for ref in _refs(doc, set()):
        assert ref.removeprefix("#/components/schemas/") in schemas, ref
    assert doc["openapi"] == "3.0.0"


def test_v2_references_resolve_and_use_definitions():
    doc = openapi.v2_document(resources=RESOURCES)
    assert doc["swagger"] == "2.0"
    for ref in _refs(doc, set()):
        assert ref.startswith("#/definitions/")
        assert ref.removeprefix("#/definitions/") in doc["definitions"]
    spec = doc["definitions"][CORE + "Pod"]["properties"]["spec"]
    assert spec == {"$ref": f"#/definitions/{CORE}PodSpec",
                    "description": spec["description"]}
    assert "/apis/apps/v1/namespaces/{namespace}/deployments/{name}" in doc["paths"]


def test_every_kind_patch_offers_field_validation(core_doc, apps_doc):
    # kubectl decides whether the server validates fields by this parameter.
    for doc in (core_doc, apps_doc):
        kinds = set()
        for item in doc["paths"].values():
            op = item.get("patch")
            if op and op["x-kubernetes-action"] == "patch":      # not proxy's connect PATCH
                names = {p["name"] for p in op["parameters"]}
                assert {"fieldValidation", "dryRun", "fieldManager", "force"} <= names
                assert set(op["requestBody"]["content"]) == {
                    "application/apply-patch+yaml", "application/json-patch+json",
                    "application/merge-patch+json", "application/strategic-merge-patch+json"}
                kinds.add(op["x-kubernetes-group-version-kind"]["kind"])
        assert kinds
    assert {"Pod", "Service", "Node", "Namespace", "ConfigMap", "Scale"} <= {
        op["x-kubernetes-group-version-kind"]["kind"]
        for item in core_doc["paths"].values() for op in [item.get("patch")]
        if op and op["x-kubernetes-action"] == "patch"}


def test_item_path_operations(apps_doc):
    item = apps_doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]
    assert {k for k in item} == {"get", "put", "patch", "delete", "parameters"}
    assert item["get"]["operationId"] == "readAppsV1NamespacedDeployment"
    assert item["patch"]["x-kubernetes-action"] == "patch"
    assert [p["name"] for p in item["parameters"]] == ["name", "namespace", "pretty"]
    listing = apps_doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments"]["get"]
    assert listing["operationId"] == "listAppsV1NamespacedDeployment"
    assert "watch" in {p["name"] for p in listing["parameters"]}
    scale = apps_doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"]
    assert scale["put"]["x-kubernetes-group-version-kind"] == {
        "group": "autoscaling", "kind": "Scale", "version": "v1"}
    assert "io.k8s.api.autoscaling.v1.Scale" in apps_doc["components"]["schemas"]


def test_schemas_carry_kinds_and_patch_extensions(core_doc):
    schemas = core_doc["components"]["schemas"]
    assert schemas[CORE + "Pod"]["x-kubernetes-group-version-kind"] == [
        {"group": "", "kind": "Pod", "version": "v1"}]
    containers = schemas[CORE + "PodSpec"]["properties"]["containers"]
    assert containers["items"] == {"allOf": [{"$ref": f"#/components/schemas/{CORE}Container"}],
                                   "default": {}}
    assert containers["x-kubernetes-patch-merge-key"] == "name"
    assert containers["x-kubernetes-patch-strategy"] == "merge"
    assert containers["x-kubernetes-list-type"] == "map"
    assert containers["x-kubernetes-list-map-keys"] == ["name"]
    assert schemas[CORE + "PodSpec"]["required"] == ["containers"]
    assert schemas[CORE + "Container"]["properties"]["name"]["default"] == ""
    assert schemas[CORE + "Container"]["properties"]["command"]["items"] == {
        "default": "", "type": "string"}
    assert schemas[CORE + "ContainerPort"]["properties"]["protocol"]["default"] == "TCP"
    limits = schemas[CORE + "ResourceRequirements"]["properties"]["limits"]
    assert limits["additionalProperties"] == {
        "$ref": "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"}
    quantity = schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]
    assert quantity["oneOf"] == [{"type": "string"}, {"type": "number"}]
    target = schemas[CORE + "ServicePort"]["properties"]["targetPort"]
    assert target["allOf"] == [{"$ref": "#/components/schemas/"
                                         "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}]
    assert schemas[CORE + "ObjectReference"]["x-kubernetes-map-type"] == "atomic"
    assert schemas[CORE + "PodSpec"]["properties"]["nodeSelector"]["x-kubernetes-map-type"] == \
        "atomic"
    assert schemas[CORE + "Secret"]["properties"]["data"]["additionalProperties"] == {
        "format": "byte", "type": "string"}
    assert schemas[CORE + "PodSpec"]["properties"]["activeDeadlineSeconds"]["format"] == "int64"


def test_generation_is_fast_and_cached():
    openapi._cache.clear()
    start = time.perf_counter()
    openapi.v3_index(resources=RESOURCES)
    openapi.v2(resources=RESOURCES)
    assert time.perf_counter() - start < 1.5
    first = openapi.v2(resources=RESOURCES)
    assert openapi.v2(resources=RESOURCES) is first


def test_unknown_group_version_is_refused():
    with pytest.raises(KeyError):
        openapi.v3_document(group="batch", version="v1", resources=RESOURCES)
