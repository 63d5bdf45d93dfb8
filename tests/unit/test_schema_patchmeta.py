"""The merge metadata table: consistent with the schema, and right where it matters most."""

from __future__ import annotations

import pytest

from kitlib.sim.schema import patchmeta
from kitlib.sim.schema.builder import load_schema
from kitlib.sim.schema.types import ArrayType, MapType

CORE = "io.k8s.api.core.v1."
META = "io.k8s.apimachinery.pkg.apis.meta.v1."


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def test_every_entry_names_a_real_field_of_the_right_shape(schema):
    for type_name, fields in patchmeta.FIELDS.items():
        obj = schema.types.get(type_name)
        assert obj is not None, type_name
        for name, meta in fields.items():
            if name not in obj.fields:
                # Fields newer than the installed client (e.g. discovery forNodes) are allowed.
                assert (type_name, name) == ("io.k8s.api.discovery.v1.EndpointHints",
                                             "forNodes"), (type_name, name)
                continue
            t = obj.fields[name].type
            if meta.list_type or meta.merge_key:
                assert isinstance(t, ArrayType), (type_name, name)
            if meta.map_type:
                assert isinstance(t, MapType), (type_name, name)
            if meta.list_type == "map":
                item = schema.resolve(t.items)
                assert item is not None and set(meta.list_map_keys) <= set(item.fields)
            if meta.merge_key:
                item = schema.resolve(t.items)
                assert item is not None and meta.merge_key in item.fields, (type_name, name)


def test_atomic_structs_exist(schema):
    for name in patchmeta.ATOMIC_STRUCTS:
        assert name in schema.types, name


@pytest.mark.parametrize(("type_name", "field", "strategy", "key", "list_type", "keys"), [
    (CORE + "PodSpec", "containers", "merge", "name", "map", ("name",)),
    (CORE + "PodSpec", "volumes", "merge,retainKeys", "name", "map", ("name",)),
    (CORE + "PodSpec", "tolerations", "", "", "atomic", ()),
    (CORE + "PodSpec", "imagePullSecrets", "merge", "name", "map", ("name",)),
    (CORE + "Container", "ports", "merge", "containerPort", "map", ("containerPort", "protocol")),
    (CORE + "Container", "env", "merge", "name", "map", ("name",)),
    (CORE + "Container", "volumeMounts", "merge", "mountPath", "map", ("mountPath",)),
    (CORE + "ServiceSpec", "ports", "merge", "port", "map", ("port", "protocol")),
    (CORE + "PodStatus", "conditions", "merge", "type", "map", ("type",)),
    (CORE + "PodStatus", "hostIPs", "merge", "ip", "atomic", ()),
    (CORE + "NodeStatus", "addresses", "merge", "type", "map", ("type",)),
    (CORE + "NodeSpec", "podCIDRs", "merge", "", "set", ()),
    (CORE + "EndpointSubset", "addresses", "", "", "atomic", ()),
    (META + "ObjectMeta", "finalizers", "merge", "", "set", ()),
    (META + "ObjectMeta", "ownerReferences", "merge", "uid", "map", ("uid",)),
    ("io.k8s.api.apps.v1.DeploymentSpec", "strategy", "retainKeys", "", "", ()),
    ("io.k8s.api.discovery.v1.Endpoint", "addresses", "", "", "set", ()),
])
def test_known_tags(type_name, field, strategy, key, list_type, keys):
    meta = patchmeta.field_meta(type_name, field)
    assert meta is not None
    assert (meta.strategy, meta.merge_key, meta.list_type, meta.list_map_keys) == \
        (strategy, key, list_type, keys)


def test_unlisted_fields_have_no_metadata():
    assert patchmeta.field_meta(CORE + "Container", "name") is None
    assert patchmeta.field_meta(META + "ObjectMeta", "labels") is None
