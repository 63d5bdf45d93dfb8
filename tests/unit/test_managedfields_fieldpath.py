"""Field sets and their fieldsV1 encoding, checked against structured-merge-diff's format.

``mini_schema`` (used by the other test_apply_* / test_managedfields_* modules) is a small
hand-built schema with the real shapes of Deployment, Pod and ConfigMap: keyed lists
(containers, env, ports with two keys), a set (finalizers), atomic lists and structs
(command, LabelSelector, OwnerReference), an atomic map (nodeSelector).
"""

from __future__ import annotations

import pytest

from kitlib.sim.machinery.patch.fieldpath import (
    UNTYPED, FieldsV1Error, ensure_named, field_set, freeze, from_fields_v1, go_json,
    item_element, iterate, path_string, recursive_difference, root_shape, thaw,
    to_fields_v1, validate,
)
from kitlib.sim.schema.types import (
    ArrayType, Field, MapType, ObjectType, RefType, ScalarType, Schema,
)

META = "io.k8s.apimachinery.pkg.apis.meta.v1"
CORE = "io.k8s.api.core.v1"
APPS = "io.k8s.api.apps.v1"
DEPLOYMENT = f"{APPS}.Deployment"
POD = f"{CORE}.Pod"
CONFIGMAP = f"{CORE}.ConfigMap"


def _s(name: str = "string") -> ScalarType:
    return ScalarType(name)  # type: ignore[arg-type]


def _obj(schema: Schema, name: str, fields: list[Field], *, gvk: tuple[str, str, str] | None = None,
         map_type: str = "") -> None:
    schema.add(ObjectType(name, fields={f.json_name: f for f in fields}, gvk=gvk,
                          map_type=map_type))


def _top(schema: Schema, name: str, gvk: tuple[str, str, str], *rest: Field) -> None:
    _obj(schema, name, [Field("apiVersion", _s()), Field("kind", _s()),
                        Field("metadata", RefType(f"{META}.ObjectMeta")), *rest], gvk=gvk)


def mini_schema() -> Schema:
    s = Schema()
    _obj(s, f"{META}.ObjectMeta", [
        Field("name", _s()), Field("namespace", _s()), Field("uid", _s()),
        Field("resourceVersion", _s()), Field("generation", _s("integer")),
        Field("creationTimestamp", _s("date-time")),
        Field("labels", MapType(_s())), Field("annotations", MapType(_s())),
        Field("finalizers", ArrayType(_s()), patch_strategy="merge", list_type="set"),
        Field("ownerReferences", ArrayType(RefType(f"{META}.OwnerReference")),
              patch_strategy="merge", patch_merge_key="uid", list_type="map",
              list_map_keys=("uid",)),
        Field("managedFields", ArrayType(RefType(f"{META}.ManagedFieldsEntry")),
              list_type="atomic"),
    ])
    _obj(s, f"{META}.OwnerReference", [
        Field("apiVersion", _s()), Field("kind", _s()), Field("name", _s()), Field("uid", _s()),
        Field("controller", _s("boolean"))], map_type="atomic")
    _obj(s, f"{META}.ManagedFieldsEntry", [
        Field(n, _s()) for n in ("manager", "operation", "apiVersion", "time", "fieldsType",
                                 "subresource")] + [Field("fieldsV1", _s("object"))])
    _obj(s, f"{META}.LabelSelector", [
        Field("matchLabels", MapType(_s())),
        Field("matchExpressions", ArrayType(RefType(f"{META}.LabelSelectorRequirement")),
              list_type="atomic")], map_type="atomic")
    _obj(s, f"{META}.LabelSelectorRequirement", [
        Field("key", _s()), Field("operator", _s()), Field("values", ArrayType(_s()))])
    _obj(s, f"{CORE}.ContainerPort", [
        Field("containerPort", _s("integer"), required=True), Field("protocol", _s()),
        Field("name", _s())])
    _obj(s, f"{CORE}.EnvVar", [Field("name", _s(), required=True), Field("value", _s())])
    _obj(s, f"{CORE}.ResourceRequirements", [
        Field("limits", MapType(_s("quantity"))), Field("requests", MapType(_s("quantity")))])
    _obj(s, f"{CORE}.Container", [
        Field("name", _s(), required=True), Field("image", _s()),
        Field("imagePullPolicy", _s()), Field("command", ArrayType(_s())),
        Field("args", ArrayType(_s())),
        Field("env", ArrayType(RefType(f"{CORE}.EnvVar")), patch_strategy="merge",
              patch_merge_key="name", list_type="map", list_map_keys=("name",)),
        Field("ports", ArrayType(RefType(f"{CORE}.ContainerPort")), patch_strategy="merge",
              patch_merge_key="containerPort", list_type="map",
              list_map_keys=("containerPort", "protocol")),
        Field("resources", RefType(f"{CORE}.ResourceRequirements")),
        Field("terminationMessagePath", _s())])
    _obj(s, f"{CORE}.PodSecurityContext", [Field("runAsUser", _s("integer"))])
    _obj(s, f"{CORE}.Toleration", [Field("key", _s()), Field("operator", _s())])
    _obj(s, f"{CORE}.PodSpec", [
        Field("containers", ArrayType(RefType(f"{CORE}.Container")), required=True,
              patch_strategy="merge", patch_merge_key="name", list_type="map",
              list_map_keys=("name",)),
        Field("nodeSelector", MapType(_s()), map_type="atomic"),
        Field("tolerations", ArrayType(RefType(f"{CORE}.Toleration")), list_type="atomic"),
        Field("dnsPolicy", _s()), Field("restartPolicy", _s()),
        Field("securityContext", RefType(f"{CORE}.PodSecurityContext"))])
    _obj(s, f"{CORE}.PodTemplateSpec", [
        Field("metadata", RefType(f"{META}.ObjectMeta")),
        Field("spec", RefType(f"{CORE}.PodSpec"))])
    _obj(s, f"{CORE}.PodStatus", [Field("phase", _s()), Field("podIP", _s())])
    _top(s, POD, ("", "v1", "Pod"), Field("spec", RefType(f"{CORE}.PodSpec")),
         Field("status", RefType(f"{CORE}.PodStatus")))
    _top(s, CONFIGMAP, ("", "v1", "ConfigMap"), Field("data", MapType(_s())))
    _obj(s, f"{APPS}.RollingUpdateDeployment", [
        Field("maxSurge", _s("int-or-string")), Field("maxUnavailable", _s("int-or-string"))])
    _obj(s, f"{APPS}.DeploymentStrategy", [
        Field("type", _s()), Field("rollingUpdate", RefType(f"{APPS}.RollingUpdateDeployment"))])
    _obj(s, f"{APPS}.DeploymentSpec", [
        Field("replicas", _s("integer")),
        Field("selector", RefType(f"{META}.LabelSelector"), required=True),
        Field("template", RefType(f"{CORE}.PodTemplateSpec"), required=True),
        Field("strategy", RefType(f"{APPS}.DeploymentStrategy"), patch_strategy="retainKeys"),
        Field("paused", _s("boolean"))])
    _obj(s, f"{APPS}.DeploymentStatus", [
        Field("replicas", _s("integer")), Field("readyReplicas", _s("integer"))])
    _top(s, DEPLOYMENT, ("apps", "v1", "Deployment"),
         Field("spec", RefType(f"{APPS}.DeploymentSpec")),
         Field("status", RefType(f"{APPS}.DeploymentStatus")))
    return s


SCHEMA = mini_schema()


def f(*names: str) -> tuple:
    """A path of field names."""
    return tuple(("f", n) for n in names)


def k(**fields: object) -> tuple:
    return ("k", tuple(sorted((n, freeze(v)) for n, v in fields.items())))


# --- fieldsV1 -------------------------------------------------------------------------

REAL_ENTRY = {   # a real server's kubectl-create entry, reordered as SMD writes it
    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
    "f:spec": {
        "f:replicas": {}, "f:selector": {},
        "f:template": {
            "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
            "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
                ".": {}, "f:image": {}, "f:name": {},
                "f:ports": {".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': {
                    ".": {}, "f:containerPort": {}, "f:protocol": {}}}}}}}},
}


def test_fields_v1_round_trip_keeps_the_exact_document() -> None:
    paths = from_fields_v1(REAL_ENTRY)
    assert f("metadata", "labels") in paths              # "." makes the map a member
    assert f("spec") not in paths and f("spec", "template") not in paths
    container = f("spec", "template", "spec", "containers") + (k(name="nginx"),)
    assert container in paths
    assert container + (("f", "ports"), k(containerPort=80, protocol="TCP")) in paths
    out = to_fields_v1(paths)
    assert out == REAL_ENTRY
    assert list(out["f:spec"]["f:template"]["f:spec"]["f:containers"]
                ['k:{"name":"nginx"}']) == [".", "f:image", "f:name", "f:ports"]


def test_elements_are_ordered_by_kind_then_value_not_by_text() -> None:
    paths = {f("a", "z"), f("a", "B"),
             (("f", "l"), k(n=10)), (("f", "l"), k(n=9)), (("f", "l"), k(n="a")),
             (("f", "s"), ("v", freeze(True))), (("f", "s"), ("v", freeze("x"))),
             (("f", "s"), ("v", freeze(2)))}
    out = to_fields_v1(paths)
    assert list(out["f:a"]) == ["f:B", "f:z"]
    # numbers before strings, numerically (9 before 10)
    assert list(out["f:l"]) == ['k:{"n":9}', 'k:{"n":10}', 'k:{"n":"a"}']
    assert list(out["f:s"]) == ["v:2", 'v:"x"', "v:true"]


def test_key_fields_are_sorted_by_name_and_written_as_go_json() -> None:
    pe = k(protocol="TCP", containerPort=8080)
    assert to_fields_v1({(pe,)}) == {'k:{"containerPort":8080,"protocol":"TCP"}': {}}
    assert to_fields_v1({(k(name="<a&b>"),)}) == {'k:{"name":"\\u003ca\\u0026b\\u003e"}': {}}


def test_index_and_value_elements_round_trip() -> None:
    doc = {"f:a": {"i:3": {}, 'v:{"x":1}': {}, "v:null": {}}}
    assert to_fields_v1(from_fields_v1(doc)) == doc


def test_unknown_element_kinds_are_ignored_and_bad_keys_rejected() -> None:
    assert from_fields_v1({"f:a": {"x:new": {}}}) == {f("a")}
    with pytest.raises(FieldsV1Error):
        from_fields_v1({"fa": {}})
    with pytest.raises(FieldsV1Error):
        from_fields_v1({"f:a": "not an object"})
    assert from_fields_v1({}) == set() and from_fields_v1(None) == set()


def test_a_node_with_only_a_dot_is_a_member() -> None:
    assert from_fields_v1({"f:a": {".": {}}}) == {f("a")}


# --- Go JSON and human-readable paths ------------------------------------------------

@pytest.mark.parametrize(("value", "text"), [
    (1.0, "1"), (1.5, "1.5"), (1e21, "1e+21"), (1e-7, "1e-7"), (100.0, "100"),
    ({"b": 1, "a": [True, None]}, '{"a":[true,null],"b":1}'), ("é\n", '"é\\n"'),
])
def test_go_json(value: object, text: str) -> None:
    assert go_json(value) == text


def test_path_strings_match_conflict_messages() -> None:
    path = f("spec", "template", "spec", "containers") + (k(name="nginx"), ("f", "image"))
    assert path_string(path) == '.spec.template.spec.containers[name="nginx"].image'
    ports = (("f", "ports"), k(containerPort=80, protocol="TCP"))
    assert path_string(ports) == '.ports[containerPort=80,protocol="TCP"]'
    assert path_string((("f", "finalizers"), ("v", freeze("a")))) == '.finalizers[="a"]'


def test_freeze_keeps_booleans_apart_from_numbers() -> None:
    assert freeze(True) != freeze(1)
    assert thaw(freeze({"a": [1, True, None]})) == {"a": [1, True, None]}


# --- set algebra and iteration ------------------------------------------------------------

def test_recursive_difference_drops_children_of_removed_paths() -> None:
    paths = {f("spec"), f("spec", "a"), f("spec", "a", "b"), f("status", "x")}
    assert recursive_difference(paths, {f("spec")}) == {f("status", "x")}


def test_iteration_lists_a_nodes_members_before_its_childrens() -> None:
    paths = {f("spec", "template", "x"), f("spec", "replicas"), f("metadata", "labels", "a"),
             f("spec", "b")}
    assert list(iterate(paths)) == [f("metadata", "labels", "a"), f("spec", "b"),
                                    f("spec", "replicas"), f("spec", "template", "x")]


# --- shapes and the sets a value mentions --------------------------------------------------

def test_list_kinds_come_from_list_type_or_patch_strategy() -> None:
    spec = root_shape(SCHEMA, f"{CORE}.PodSpec")
    containers = spec.child("containers")[0]
    assert containers.keys == ("name",)
    ports = containers.item().child("ports")[0]
    assert ports.keys == ("containerPort", "protocol")
    assert containers.item().child("command")[0].atomic
    meta = root_shape(SCHEMA, f"{META}.ObjectMeta")
    assert meta.child("finalizers")[0].is_set
    assert meta.child("ownerReferences")[0].item().atomic
    assert spec.child("nodeSelector")[0].atomic
    legacy = Schema()
    _obj(legacy, "x.Legacy", [Field("merged", ArrayType(RefType("x.Item")),
                                    patch_strategy="merge", patch_merge_key="id"),
                              Field("plain", ArrayType(RefType("x.Item")))])
    _obj(legacy, "x.Item", [Field("id", _s())])
    shape = root_shape(legacy, "x.Legacy")
    assert shape.child("merged")[0].keys == ("id",)       # SMD falls back on the merge key
    assert shape.child("plain")[0].atomic


def test_key_defaults_fill_a_missing_protocol() -> None:
    ports = root_shape(SCHEMA, f"{CORE}.Container").child("ports")[0]
    assert item_element(ports, {"containerPort": 80}, 0) == k(containerPort=80, protocol="TCP")
    env = root_shape(SCHEMA, f"{CORE}.Container").child("env")[0]
    assert "omits key field \"name\"" in item_element(env, {"value": "x"}, 0)


def test_field_set_of_an_applied_config() -> None:
    config = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {"a": "b"},
                                                              "finalizers": ["x"]},
              "spec": {"containers": [{"name": "c", "command": ["sh"], "resources": {}}],
                       "nodeSelector": {"disk": "ssd"}, "securityContext": None}}
    paths = field_set(config, root_shape(SCHEMA, POD))
    c = f("spec", "containers") + (k(name="c"),)
    assert paths == {
        f("apiVersion"), f("kind"), f("metadata", "name"), f("metadata", "labels", "a"),
        f("metadata", "finalizers") + (("v", "x"),), c, c + (("f", "name"),),
        c + (("f", "command"),), f("spec", "nodeSelector"),
        c + (("f", "resources"),), f("spec", "securityContext"),   # {} and null are owned
    }
    named = field_set(config, root_shape(SCHEMA, POD), named=True)
    assert named - paths == {f("metadata"), f("metadata", "labels"), f("metadata", "finalizers"),
                             f("spec"), f("spec", "containers")}
    assert ensure_named(paths, root_shape(SCHEMA, POD)) == named


def test_untyped_values_are_granular_maps_and_atomic_lists() -> None:
    value = {"a": {"b": 1}, "l": [1, 2]}
    assert field_set(value, UNTYPED) == {f("a"), f("a", "b"), f("l")}


def test_validation_reports_what_smd_reports() -> None:
    shape = root_shape(SCHEMA, DEPLOYMENT)
    bad = {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {
        "replicas": "three", "paused": "yes",
        "template": {"spec": {"containers": [
            {"name": "c", "env": [{"name": "A", "value": 1}, {"name": "A"}],
             "ports": [{"protocol": "TCP"}]}]}}}}
    assert validate(bad, shape) == [
        ".spec.replicas: expected numeric (int or float), got string",
        ".spec.paused: expected boolean, got &{yes}",
        '.spec.template.spec.containers[name="c"].env[name="A"].value: '
        "expected string, got &value.valueUnstructured{Value:1}",
        '.spec.template.spec.containers[name="c"].env: duplicate entries for key [name="A"]',
        '.spec.template.spec.containers[name="c"].ports: element 0: associative list with '
        'keys has an element that omits key field "containerPort" (and doesn\'t have '
        "default value)",
    ]
    assert validate({"spec": {"topologyKeys": [], "other": 1}}, shape) == [
        ".spec.topologyKeys: field not declared in schema"]
