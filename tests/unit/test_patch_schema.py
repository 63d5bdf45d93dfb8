"""A small hand-built schema with the shapes of Pod, Deployment and Service, for patch tests.

It carries the same patch metadata as the real types (containers merged by name, ports by
containerPort, volumes by name with retainKeys, finalizers as a merged set, tolerations
replaced, the Deployment strategy with retainKeys) and a generic ``MergeItem`` type like
the one k8s.io/apimachinery tests strategic merge patch with.  The other patch test
modules import it; the tests here check the schema walk itself.
"""

from __future__ import annotations

import pytest

from kitlib.sim.machinery.patch.errors import PatchFailed
from kitlib.sim.machinery.patch.strategic_meta import PatchMeta, Walker, split_strategies
from kitlib.sim.schema.types import (ArrayType, Field, MapType, ObjectType, RefType, ScalarType,
                                     Schema, TypeRef)

CORE = "io.k8s.api.core.v1."
APPS = "io.k8s.api.apps.v1."
META = "io.k8s.apimachinery.pkg.apis.meta.v1."

STRING = ScalarType("string")
INTEGER = ScalarType("integer", "int32")
BOOLEAN = ScalarType("boolean")
INT_OR_STRING = ScalarType("int-or-string")
STRING_MAP = MapType(STRING)


def f(name: str, type_: TypeRef, strategy: str = "", key: str = "") -> Field:
    return Field(name, type_, patch_strategy=strategy, patch_merge_key=key)


def ref(name: str) -> RefType:
    return RefType(name)


def list_of(type_: TypeRef) -> ArrayType:
    return ArrayType(type_)


def _obj(schema: Schema, name: str, *fields: Field,
         gvk: tuple[str, str, str] | None = None) -> None:
    schema.add(ObjectType(name, fields={x.json_name: x for x in fields}, gvk=gvk))


def build_schema() -> Schema:
    s = Schema()
    _obj(s, META + "ObjectMeta",
         f("name", STRING), f("namespace", STRING), f("uid", STRING),
         f("resourceVersion", STRING), f("generation", INTEGER),
         f("labels", STRING_MAP), f("annotations", STRING_MAP),
         f("finalizers", list_of(STRING), "merge"),
         f("ownerReferences", list_of(ref(META + "OwnerReference")), "merge", "uid"))
    _obj(s, META + "OwnerReference", f("apiVersion", STRING), f("kind", STRING),
         f("name", STRING), f("uid", STRING), f("controller", BOOLEAN))
    _obj(s, META + "LabelSelector", f("matchLabels", STRING_MAP))
    _obj(s, CORE + "Pod", f("apiVersion", STRING), f("kind", STRING),
         f("metadata", ref(META + "ObjectMeta")), f("spec", ref(CORE + "PodSpec")),
         f("status", ref(CORE + "PodStatus")), gvk=("", "v1", "Pod"))
    _obj(s, CORE + "PodSpec",
         f("containers", list_of(ref(CORE + "Container")), "merge", "name"),
         f("initContainers", list_of(ref(CORE + "Container")), "merge", "name"),
         f("volumes", list_of(ref(CORE + "Volume")), "merge,retainKeys", "name"),
         f("tolerations", list_of(ref(CORE + "Toleration"))),
         f("imagePullSecrets", list_of(ref(CORE + "LocalObjectReference")), "merge", "name"),
         f("nodeSelector", STRING_MAP), f("restartPolicy", STRING),
         f("serviceAccountName", STRING), f("terminationGracePeriodSeconds", INTEGER))
    _obj(s, CORE + "PodStatus", f("phase", STRING),
         f("conditions", list_of(ref(CORE + "PodCondition")), "merge", "type"))
    _obj(s, CORE + "PodCondition", f("type", STRING), f("status", STRING))
    _obj(s, CORE + "Container", f("name", STRING), f("image", STRING),
         f("imagePullPolicy", STRING), f("command", list_of(STRING)),
         f("args", list_of(STRING)),
         f("ports", list_of(ref(CORE + "ContainerPort")), "merge", "containerPort"),
         f("env", list_of(ref(CORE + "EnvVar")), "merge", "name"),
         f("volumeMounts", list_of(ref(CORE + "VolumeMount")), "merge", "mountPath"),
         f("resources", ref(CORE + "ResourceRequirements")))
    _obj(s, CORE + "ContainerPort", f("name", STRING), f("containerPort", INTEGER),
         f("protocol", STRING))
    _obj(s, CORE + "EnvVar", f("name", STRING), f("value", STRING))
    _obj(s, CORE + "VolumeMount", f("name", STRING), f("mountPath", STRING))
    _obj(s, CORE + "ResourceRequirements", f("limits", MapType(ScalarType("quantity"))),
         f("requests", MapType(ScalarType("quantity"))))
    _obj(s, CORE + "Toleration", f("key", STRING), f("operator", STRING),
         f("value", STRING), f("effect", STRING))
    _obj(s, CORE + "LocalObjectReference", f("name", STRING))
    _obj(s, CORE + "Volume", f("name", STRING), f("emptyDir", ref(CORE + "EmptyDir")),
         f("configMap", ref(CORE + "ConfigMapVolumeSource")),
         f("secret", ref(CORE + "SecretVolumeSource")))
    _obj(s, CORE + "EmptyDir", f("medium", STRING))
    _obj(s, CORE + "ConfigMapVolumeSource", f("name", STRING))
    _obj(s, CORE + "SecretVolumeSource", f("secretName", STRING))
    _obj(s, CORE + "PodTemplateSpec", f("metadata", ref(META + "ObjectMeta")),
         f("spec", ref(CORE + "PodSpec")))
    _obj(s, APPS + "Deployment", f("apiVersion", STRING), f("kind", STRING),
         f("metadata", ref(META + "ObjectMeta")), f("spec", ref(APPS + "DeploymentSpec")),
         gvk=("apps", "v1", "Deployment"))
    _obj(s, APPS + "DeploymentSpec", f("replicas", INTEGER), f("paused", BOOLEAN),
         f("selector", ref(META + "LabelSelector")),
         f("template", ref(CORE + "PodTemplateSpec")),
         f("strategy", ref(APPS + "DeploymentStrategy"), "retainKeys"))
    _obj(s, APPS + "DeploymentStrategy", f("type", STRING),
         f("rollingUpdate", ref(APPS + "RollingUpdateDeployment")))
    _obj(s, APPS + "RollingUpdateDeployment", f("maxSurge", INT_OR_STRING),
         f("maxUnavailable", INT_OR_STRING))
    _obj(s, CORE + "Service", f("apiVersion", STRING), f("kind", STRING),
         f("metadata", ref(META + "ObjectMeta")), f("spec", ref(CORE + "ServiceSpec")),
         gvk=("", "v1", "Service"))
    _obj(s, CORE + "ServiceSpec", f("type", STRING), f("selector", STRING_MAP),
         f("ports", list_of(ref(CORE + "ServicePort")), "merge", "port"),
         f("clusterIP", STRING))
    _obj(s, CORE + "ServicePort", f("name", STRING), f("port", INTEGER),
         f("targetPort", INT_OR_STRING), f("protocol", STRING))
    _merge_item(s)
    return s


def _merge_item(s: Schema) -> None:
    """The test type of k8s.io/apimachinery's strategicpatch package, as a schema."""
    item = ref("MergeItem")
    _obj(s, "MergeItem", f("name", STRING), f("value", STRING), f("other", STRING),
         f("mergingList", list_of(item), "merge", "name"),
         f("nonMergingList", list_of(item)),
         f("mergingIntList", list_of(INTEGER), "merge"),
         f("nonMergingIntList", list_of(INTEGER)),
         f("simpleMap", STRING_MAP),
         f("replacingItem", ScalarType("object"), "replace"),
         f("freeForm", ScalarType("object")),
         f("retainKeysMap", ref("RetainKeysMergeItem"), "retainKeys"),
         f("retainKeysMergingList", list_of(item), "merge,retainKeys", "name"))
    _obj(s, "RetainKeysMergeItem", f("name", STRING), f("value", STRING), f("other", STRING),
         f("simpleMap", STRING_MAP), f("mergingIntList", list_of(INTEGER), "merge"),
         f("mergingList", list_of(item), "merge", "name"), f("nonMergingList", list_of(item)))


SCHEMA = build_schema()
POD = CORE + "Pod"
DEPLOYMENT = APPS + "Deployment"
SERVICE = CORE + "Service"
ITEM = "MergeItem"


# --- the schema walk ------------------------------------------------------------------

@pytest.mark.parametrize("strategies, expected", [
    ((), (False, "")),
    (("merge",), (False, "merge")),
    (("retainKeys",), (True, "")),
    (("merge", "retainKeys"), (True, "merge")),
    (("retainKeys", "replace"), (True, "replace")),
])
def test_strategies_split_like_go(strategies: tuple[str, ...],
                                  expected: tuple[bool, str]) -> None:
    assert split_strategies(strategies) == expected


def test_two_strategies_without_retain_keys_are_refused() -> None:
    with pytest.raises(PatchFailed, match=r"unexpected patch strategy: \[merge replace\]"):
        split_strategies(("merge", "replace"))


def test_list_field_yields_item_type_and_metadata() -> None:
    walk = Walker(SCHEMA)
    spec = SCHEMA.types[CORE + "PodSpec"]
    node, meta = walk.items(spec, "volumes")
    assert node is SCHEMA.types[CORE + "Volume"]
    assert meta == PatchMeta(("merge", "retainKeys"), "name")
    assert (meta.strategy, meta.retain_keys) == ("merge", True)


def test_map_values_have_no_metadata() -> None:
    walk = Walker(SCHEMA)
    labels, _ = walk.field(SCHEMA.types[META + "ObjectMeta"], "labels")
    assert walk.field(labels, "anything") == (STRING, PatchMeta())


def test_free_form_and_unknown_fields_have_no_schema() -> None:
    walk = Walker(SCHEMA)
    item = SCHEMA.types[ITEM]
    assert walk.field(item, "freeForm") == (None, PatchMeta())
    assert walk.field(item, "noSuchField") == (None, PatchMeta())


def test_strict_lookup_names_the_go_struct() -> None:
    walk = Walker(SCHEMA)
    with pytest.raises(PatchFailed) as err:
        walk.items(SCHEMA.types[CORE + "PodSpec"], "nope", strict=True)
    assert err.value.message == ('unable to find api field in struct PodSpec '
                                 'for the json field "nope"')


def test_slice_lookup_of_a_struct_field_fails_like_go() -> None:
    walk = Walker(SCHEMA)
    with pytest.raises(PatchFailed, match="expected slice or array type, but got: struct"):
        walk.items(SCHEMA.types[APPS + "DeploymentSpec"], "paused")
