"""The fuzzers' findings, each as its exact reproduction, expected to fail until fixed.

Every bug in ``known.KNOWN`` has a reproduction here, marked ``xfail(strict=True)`` with
the bug's description: the suite stays green while it is open, and turns red the moment it
is fixed, to have its xfail and its ``KNOWN`` entry removed (then the fuzzers report that
kind of request again).
"""

from __future__ import annotations

import json

import pytest

from tests.fuzz.conftest import Fuzzer
from tests.fuzz.known import FIXED, KNOWN
from tests.fuzz.oracle import Sent

CM = "/api/v1/namespaces/fuzz/configmaps"
JSON_TYPE = {"Content-Type": "application/json"}

#: For each known bug: requests that show it, and the codes a real server would answer.
REPRODUCTIONS: dict[str, list[tuple[Sent, set[int]]]] = {
    "newline-in-path": [(Sent("GET", f"{CM}/%0A"), {404}),
                        (Sent("GET", f"{CM}/a%0Db"), {404})],
    "long-request-line": [(Sent("GET", f"{CM}/{'x' * 10_000}"), {404})],
    "deep-nesting": [
        (Sent("POST", CM, None, JSON_TYPE, b"[" * 2000 + b"]" * 2000), {400}),
        (Sent("POST", CM, None, JSON_TYPE, b'{"a":' * 2000 + b"1" + b"}" * 2000), {400}),
        (Sent("POST", CM, None, {"Content-Type": "application/yaml"},
              b"[" * 2000 + b"]" * 2000), {400}),
        (Sent("PATCH", f"{CM}/fx", None, {"Content-Type": "application/merge-patch+json"},
              b"[" * 2000 + b"]" * 2000), {400})],
    "yaml-reader-error": [
        (Sent("POST", CM, None, {"Content-Type": "application/yaml"}, b"a: \x00"), {400}),
        (Sent("PATCH", f"{CM}/fx", [("fieldManager", "m")],
              {"Content-Type": "application/apply-patch+yaml"}, b"\xff\xfe\x00"), {400})],
    "warning-header-control-character": [
        (Sent("POST", CM, None, JSON_TYPE,
              json.dumps({"metadata": {"name": "warned"}, "a\nb": 1}).encode()), {201})],
    "binding-body-shape": [
        (Sent("POST", "/api/v1/namespaces/fuzz/pods/fx/binding", None, JSON_TYPE,
              b'{"target": 1}'), {400}),
        (Sent("POST", "/api/v1/namespaces/fuzz/pods/fx/binding", None, JSON_TYPE,
              b'{"metadata": "x", "target": {"name": "kit-worker"}}'), {400})],
    "delete-options-shape": [
        (Sent("DELETE", f"{CM}/fx", None, JSON_TYPE, b'{"preconditions": "x"}'), {400}),
        (Sent("POST", "/api/v1/namespaces/fuzz/pods/fx/eviction", None, JSON_TYPE,
              b'{"deleteOptions": "x"}'), {400}),
        (Sent("POST", "/api/v1/namespaces/fuzz/pods/fx/eviction", None, JSON_TYPE,
              b'{"deleteOptions": {"gracePeriodSeconds": "x"}}'), {400}),
        (Sent("POST", "/api/v1/namespaces/fuzz/pods/none/eviction", None,
              {"Content-Type": "application/yaml"}, b"!!set {a, b}"), {400})],
    "event-without-name": [
        (Sent("POST", "/api/v1/namespaces/fuzz/events", None, JSON_TYPE, json.dumps(
            {"involvedObject": {"kind": "Pod", "name": "p", "namespace": "fuzz"},
             "reason": "R"}).encode()),
         {422})],
    "lone-surrogate-in-message": [
        (Sent("POST", CM, None, JSON_TYPE, b'{"metadata": {"name": "a\\ud800"}}'), {422})],
    "error-inside-watch-stream": [
        (Sent("GET", CM, [("watch", "true"), ("includeObject", "x"), ("timeoutSeconds", "0")],
              {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}), {400})],
    "proxy-redirect-control-character": [
        (Sent("GET", "/api/v1/namespaces/fuzz/pods/a%1Fb/proxy"), {301, 404}),
        (Sent("GET", "/api/v1/namespaces/%08/pods/fx/proxy"), {301, 404})],
    "null-list-items-stored": [
        (Sent("PATCH", "/api/v1/namespaces/fuzz/pods/fx", None,
              {"Content-Type": "application/merge-patch+json"},
              b'{"metadata": {"ownerReferences": [null]}}'), {422})],
    "metadata-null-on-update": [
        (Sent("PUT", f"{CM}/fx", None, JSON_TYPE, b'{"metadata": null}'), {400})],
}


def test_every_known_bug_has_a_reproduction() -> None:
    reproducible = [bug.id for bug in KNOWN if bug.reproducible]
    assert sorted(REPRODUCTIONS) == sorted([*reproducible, *FIXED])


@pytest.mark.parametrize("bug", [
    pytest.param(bug.id, marks=pytest.mark.xfail(strict=True, reason=bug.summary), id=bug.id)
    for bug in KNOWN if bug.reproducible]
    + [pytest.param(fixed, id=f"fixed:{fixed}") for fixed in FIXED])
def test_known_bug_reproduction(fuzzer: Fuzzer, bug: str) -> None:
    failures = []
    for sent, codes in REPRODUCTIONS[bug]:
        fuzzer.ensure_fixtures()
        try:
            response = fuzzer.send(sent, strict=True)
        except AssertionError as failure:
            failures.append(str(failure))
            continue
        if response.status_code not in codes:
            failures.append(f"{sent}: HTTP {response.status_code}, expected {sorted(codes)}: "
                            f"{response.text[:300]}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("media", ["text/plain", "application/x-www-form-urlencoded"])
def test_unknown_media_type_is_415(fuzzer: Fuzzer, media: str) -> None:
    response = fuzzer.send(Sent("POST", CM, None, {"Content-Type": media},
                                json.dumps({"metadata": {"name": f"m-{media[:4]}"}}).encode()))
    assert response.status_code == 415


def test_null_list_items_are_not_stored(fuzzer: Fuzzer) -> None:
    pods = "/api/v1/namespaces/fuzz/pods"
    fuzzer.raw("POST", pods, json={"metadata": {"name": "nulls"}, "spec": {
        "containers": [{"name": "c", "image": "nginx"}]}})
    pod = fuzzer.raw("GET", f"{pods}/nulls").json()
    pod.setdefault("status", {})["conditions"] = [None, *pod["status"].get("conditions", [])]
    try:
        fuzzer.send(Sent("PUT", f"{pods}/nulls/status", None, JSON_TYPE,
                         json.dumps(pod).encode()), strict=True)
        owners = fuzzer.send(Sent("PATCH", f"{pods}/nulls", None,
                                  {"Content-Type": "application/merge-patch+json"},
                                  b'{"metadata": {"ownerReferences": [null]}}'), strict=True)
        assert owners.status_code == 422, owners.text[:300]
        stored = fuzzer.raw("GET", f"{pods}/nulls").json()
        assert None not in (stored.get("status") or {}).get("conditions", []), stored
        table = fuzzer.send(Sent("GET", pods, None, {
            "Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}), strict=True)
        assert table.status_code == 200
    finally:
        fuzzer.raw("DELETE", f"{pods}/nulls", params={"gracePeriodSeconds": "0"})
        fuzzer.log.take()       # what the kubelet and controllers logged about it
