"""The schema built from the official client's model sources."""

from __future__ import annotations

import time

import pytest

from kitlib.sim.registry.catalog import RESOURCES
from kitlib.sim.schema import builder, gotypes
from kitlib.sim.schema.builder import ModelSource, build_schema, definition_name, load_schema
from kitlib.sim.schema.types import ArrayType, MapType, RefType, ScalarType

CORE = "io.k8s.api.core.v1."
APPS = "io.k8s.api.apps.v1."
META = "io.k8s.apimachinery.pkg.apis.meta.v1."


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def test_load_is_cached_and_fast():
    start = time.perf_counter()
    fresh = build_schema(builder.models_dir())
    assert time.perf_counter() - start < 0.5
    assert load_schema() is load_schema()
    assert set(fresh.types) == set(load_schema().types)


def test_model_source_parsing():
    src = ModelSource((builder.models_dir() / "v1_container_port.py").read_text())
    assert src.types["container_port"] == "int"
    assert src.json_names["host_ip"] == "hostIP"
    assert src.required == {"container_port"}
    assert src.docs["name"].startswith("If specified, this must be an IANA_SVC_NAME")


@pytest.mark.parametrize(("cls", "package", "name"), [
    ("V1Container", gotypes.CORE, CORE + "Container"),
    ("V1ObjectMeta", gotypes.CORE, META + "ObjectMeta"),
    ("V1Deployment", "io.k8s.api.apps.v1", APPS + "Deployment"),
    ("CoreV1EndpointPort", "io.k8s.api.discovery.v1", CORE + "EndpointPort"),
    ("DiscoveryV1EndpointPort", gotypes.CORE, "io.k8s.api.discovery.v1.EndpointPort"),
    ("EventsV1EventSeries", gotypes.CORE, "io.k8s.api.events.v1.EventSeries"),
    ("AuthenticationV1TokenRequest", gotypes.CORE, "io.k8s.api.authentication.v1.TokenRequest"),
])
def test_definition_names(cls, package, name):
    assert definition_name(cls, package) == name


def test_every_served_kind_and_list_has_its_gvk(schema):
    for res in RESOURCES:
        package = gotypes.PACKAGES[res.group]
        assert schema.kind(res.group, res.version, res.kind).name == f"{package}.{res.kind}"
        assert schema.kinds[(res.group, res.version, res.list_kind_name())] == \
            f"{package}.{res.list_kind_name()}"
    assert schema.kinds[("autoscaling", "v1", "Scale")] == "io.k8s.api.autoscaling.v1.Scale"
    assert schema.kinds[("", "v1", "Status")] == META + "Status"
    assert schema.types[CORE + "Container"].gvk is None


def test_nested_types_land_in_their_packages(schema):
    assert CORE + "PodTemplateSpec" in schema.types
    assert APPS + "PodTemplateSpec" not in schema.types
    assert META + "LabelSelector" in schema.types
    assert "io.k8s.api.discovery.v1.Endpoint" in schema.types
    assert "io.k8s.api.events.v1.Event" in schema.types and CORE + "Event" in schema.types


def test_required_fields_come_from_the_client(schema):
    def required(name):
        return {f.json_name for f in schema.types[name].fields.values() if f.required}
    assert required(CORE + "Container") == {"name"}
    assert required(CORE + "PodSpec") == {"containers"}
    assert required(APPS + "DeploymentSpec") == {"selector", "template"}
    assert required(CORE + "ServicePort") == {"port"}
    assert required(META + "ObjectMeta") == set()
    assert required(META + "OwnerReference") == {"apiVersion", "kind", "name", "uid"}


def test_scalar_types(schema):
    def ftype(name, field):
        return schema.types[name].fields[field].type
    assert ftype(CORE + "ContainerPort", "containerPort") == ScalarType("integer", "int32")
    assert ftype(CORE + "PodSpec", "terminationGracePeriodSeconds") == \
        ScalarType("integer", "int64")
    assert ftype(META + "ObjectMeta", "generation").format == "int64"
    assert ftype(CORE + "ServicePort", "targetPort").ref == gotypes.INT_OR_STRING
    assert ftype(APPS + "RollingUpdateDeployment", "maxSurge").name == "int-or-string"
    limits = ftype(CORE + "ResourceRequirements", "limits")
    assert isinstance(limits, MapType) and limits.values.ref == gotypes.QUANTITY
    assert ftype(CORE + "EmptyDirVolumeSource", "sizeLimit").name == "quantity"
    assert ftype(META + "ObjectMeta", "creationTimestamp").ref == gotypes.TIME
    assert ftype("io.k8s.api.events.v1.Event", "eventTime").ref == gotypes.MICRO_TIME
    assert ftype("io.k8s.api.coordination.v1.LeaseSpec", "renewTime").ref == gotypes.MICRO_TIME
    assert ftype(META + "WatchEvent", "object").ref == gotypes.RAW_EXTENSION
    assert ftype(META + "ManagedFieldsEntry", "fieldsV1").ref == gotypes.FIELDS_V1
    assert ftype(CORE + "Secret", "data") == MapType(ScalarType("byte", "byte"))
    assert ftype(CORE + "ConfigMap", "data") == MapType(ScalarType("string"))
    containers = ftype(CORE + "PodSpec", "containers")
    assert containers == ArrayType(RefType(CORE + "Container"))


def test_patch_metadata_is_applied(schema):
    containers = schema.types[CORE + "PodSpec"].fields["containers"]
    assert (containers.patch_strategy, containers.patch_merge_key) == ("merge", "name")
    assert (containers.list_type, containers.list_map_keys) == ("map", ("name",))
    ports = schema.types[CORE + "ServiceSpec"].fields["ports"]
    assert ports.list_map_keys == ("port", "protocol") and ports.patch_merge_key == "port"
    assert schema.types[APPS + "DeploymentSpec"].fields["strategy"].patch_strategy == \
        "retainKeys"
    assert schema.types[META + "LabelSelector"].map_type == "atomic"
    assert schema.types[CORE + "PodSpec"].fields["nodeSelector"].map_type == "atomic"


def test_descriptions(schema):
    pod = schema.types[CORE + "Pod"]
    assert pod.description.startswith("The smallest unit Kubernetes runs")
    assert pod.fields["spec"].description.startswith("The pod's desired state")
    assert "HKEY_LOCAL_MACHINE\\\\SYSTEM" in \
        schema.types[CORE + "PodSpec"].fields["setHostnameAsFQDN"].description
    assert "# noqa" not in schema.types[CORE + "Container"].fields["image"].description


def test_descriptions_match_the_imported_client(schema):
    from kubernetes.client import models      # the slow way, once, as the reference
    for cls, name in (("V1Container", CORE + "Container"), ("V1PodSpec", CORE + "PodSpec"),
                      ("V1ObjectMeta", META + "ObjectMeta"),
                      ("V1JSONSchemaProps", None)):
        if name is None:
            continue
        model = getattr(models, cls)
        obj = schema.types[name]
        for attr, json_name in model.attribute_map.items():
            parts = getattr(model, attr).__doc__.split("\n\n")
            expected = parts[1].strip().removesuffix("  # noqa: E501") if len(parts) > 2 else ""
            if expected:
                assert obj.fields[json_name].description == expected, (name, json_name)


def test_building_reads_the_client_without_importing_it():
    import subprocess
    import sys
    code = ("import sys, time; t = time.perf_counter(); "
            "from kitlib.sim.schema.builder import load_schema; load_schema(); "
            "print('kubernetes' in sys.modules, time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "False"
    assert float(out[1]) < 0.5
