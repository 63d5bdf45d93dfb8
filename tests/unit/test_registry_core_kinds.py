"""Namespaces, Secrets, ConfigMaps, Endpoints, Events, Leases, EndpointSlices, Nodes."""

from __future__ import annotations

import base64

import pytest

from kitlib.sim.machinery.errors import StatusError
from kitlib.sim.machinery.validation import validate_metadata_for
from kitlib.sim.registry.coordination.lease import LeaseStrategy
from kitlib.sim.registry.core.configmap import ConfigMapStrategy
from kitlib.sim.registry.core.endpoints import EndpointsStrategy
from kitlib.sim.registry.core.event import EventStrategy
from kitlib.sim.registry.core.namespace import NamespaceStrategy
from kitlib.sim.registry.core.node import NodeStrategy
from kitlib.sim.registry.core.secret import SecretStrategy, base64_error
from kitlib.sim.registry.core.service import ServiceStrategy
from kitlib.sim.registry.discovery.endpointslice import EndpointSliceStrategy
from kitlib.sim.registry.events.event import EventsV1Strategy


def test_namespace_create_golden() -> None:
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}}
    strategy = NamespaceStrategy()
    strategy.default(ns)
    strategy.prepare_for_create(ns)
    assert ns == {"apiVersion": "v1", "kind": "Namespace",
                  "metadata": {"name": "dev", "labels": {"kubernetes.io/metadata.name": "dev"}},
                  "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}
    assert strategy.validate(ns) == []


def test_namespace_name_is_a_dns_label_and_not_namespaced() -> None:
    errs = validate_metadata_for(NamespaceStrategy(), {"metadata": {"name": "a.b", "namespace": "x"}},
                                 namespaced=False)
    assert [str(e) for e in errs] == ['metadata.name: Invalid value: "a.b": must not contain dots',
                                      "metadata.namespace: Forbidden: not allowed on this type"]


def test_service_names_are_dns1035_labels() -> None:
    errs = validate_metadata_for(ServiceStrategy(), {"metadata": {"name": "1web",
                                                                  "namespace": "d"}},
                                 namespaced=True)
    assert errs[0].detail.startswith("a DNS-1035 label must consist of")


def test_namespace_update_keeps_finalizers_and_status() -> None:
    strategy = NamespaceStrategy()
    old = {"metadata": {"name": "dev"}, "spec": {"finalizers": ["kubernetes"]},
           "status": {"phase": "Active"}}
    new = {"metadata": {"name": "dev"}, "spec": {}}
    strategy.default(new)
    strategy.prepare_for_update(new, old)
    assert new["spec"] == {"finalizers": ["kubernetes"]} and new["status"] == {"phase": "Active"}


def test_secret_string_data_and_type() -> None:
    secret = {"metadata": {"name": "s"}, "stringData": {"user": "admin"},
              "data": {"pw": base64.b64encode(b"x").decode()}}
    strategy = SecretStrategy()
    strategy.default(secret)
    assert secret == {"metadata": {"name": "s"}, "type": "Opaque",
                      "data": {"pw": "eA==", "user": "YWRtaW4="}}
    assert strategy.validate(secret) == []


def test_secret_bad_base64_is_a_decoding_error() -> None:
    with pytest.raises(StatusError) as caught:
        SecretStrategy().default({"metadata": {"name": "s"}, "data": {"k": "not base64!"}})
    assert caught.value.code == 400
    assert caught.value.message == ('Secret in version "v1" cannot be handled as a Secret: '
                                    "illegal base64 data at input byte 3")
    assert base64_error("abcde") == 4 and base64_error("YWRtaW4=") is None


def test_secret_type_rules() -> None:
    strategy = SecretStrategy()
    tls = {"metadata": {"name": "t"}, "type": "kubernetes.io/tls", "data": {"tls.crt": "YQ=="}}
    assert [str(e) for e in strategy.validate(tls)] == ["data[tls.key]: Required value"]
    old = {"metadata": {"name": "t"}, "type": "Opaque", "immutable": True, "data": {"a": "YQ=="}}
    new = dict(old, type="kubernetes.io/tls", data={"a": "Yg=="})
    assert [str(e) for e in strategy.validate_update(new, old)][:2] == [
        'type: Invalid value: "kubernetes.io/tls": field is immutable',
        "data: Forbidden: field is immutable when `immutable` is set"]


def test_configmap_keys_and_size() -> None:
    strategy = ConfigMapStrategy()
    cm = {"metadata": {"name": "c"}, "data": {"good.key": "v", "bad key": "v"},
          "binaryData": {"good.key": "YQ=="}}
    assert [str(e) for e in strategy.validate(cm)] == [
        'data[bad key]: Invalid value: "bad key": a valid config key must consist of '
        "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
        "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        'data[good.key]: Invalid value: "good.key": duplicate of key present in binaryData']
    big = {"metadata": {"name": "c"}, "data": {"a": "x" * (1024 * 1024 + 1)}}
    assert [str(e) for e in strategy.validate(big)] == [
        ": Too long: may not be more than 1048576 bytes"]


def test_endpoints() -> None:
    strategy = EndpointsStrategy()
    ep = {"metadata": {"name": "web"}, "subsets": [
        {"addresses": [{"ip": "10.244.0.5"}], "ports": [{"port": 80}]},
        {"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": 80}, {"port": 81}]}]}
    strategy.default(ep)
    assert ep["subsets"][0]["ports"][0]["protocol"] == "TCP"
    assert [str(e) for e in strategy.validate(ep)] == [
        'subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback '
        "range (127.0.0.0/8, ::1/128)",
        "subsets[1].ports[0].name: Required value", "subsets[1].ports[1].name: Required value"]


def test_core_events_skip_metadata_validation() -> None:
    event = {"metadata": {"name": "Not_A_Name", "namespace": "default"},
             "involvedObject": {"kind": "Pod", "namespace": "other"}}
    assert validate_metadata_for(EventStrategy(), event, namespaced=True) == []
    assert [str(e) for e in EventStrategy().validate(event)] == [
        'involvedObject.namespace: Invalid value: "other": does not match event.namespace']


def test_events_v1_strict_rules() -> None:
    event = {"metadata": {"name": "e", "namespace": "default"}, "regarding": {"kind": "Pod"},
             "reason": "Started", "type": "Info", "deprecatedCount": 3}
    assert [str(e) for e in EventsV1Strategy().validate(event)] == [
        "eventTime: Required value", 'type: Invalid value: "": has invalid value: Info',
        'count: Invalid value: "": needs to be unset']


def test_lease_durations() -> None:
    lease = {"metadata": {"name": "n"}, "spec": {"leaseDurationSeconds": 0,
                                                 "leaseTransitions": -1}}
    assert [str(e) for e in LeaseStrategy().validate(lease)] == [
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"]


def test_endpoint_slices() -> None:
    strategy = EndpointSliceStrategy()
    eps = {"metadata": {"name": "web-abc"}, "addressType": "IPv4",
           "endpoints": [{"addresses": ["10.244.0.5", "fe80::1"]}], "ports": [{"port": 80}]}
    strategy.default(eps)
    assert eps["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]
    assert [str(e) for e in strategy.validate(eps)] == [
        'endpoints[0].addresses[1]: Invalid value: "fe80::1": must be a valid IPv4 address']
    changed = dict(eps, addressType="IPv6", endpoints=[])
    assert [str(e) for e in strategy.validate_update(changed, eps)] == [
        'addressType: Invalid value: "IPv6": field is immutable']


def test_node_allocatable_defaults_to_capacity() -> None:
    node = {"metadata": {"name": "n1"}, "status": {"capacity": {"cpu": "2000m", "memory": "4Gi"}},
            "spec": {"taints": [{"key": "a", "effect": "NoSchedule"},
                                {"key": "a", "effect": "NoSchedule"}]}}
    strategy = NodeStrategy()
    strategy.default(node)
    assert node["status"]["allocatable"] == {"cpu": "2", "memory": "4Gi"}
    assert [str(e) for e in strategy.validate(node)] == [
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"a", Value:"", Effect:"NoSchedule", '
        "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair"]
