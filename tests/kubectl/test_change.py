"""Changing live objects: label, annotate, the three patch types, scale, set image, edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import NO_SCHEDULER, as_json, deployment, manifest, pod


def jsonpath(kubectl: Kubectl, namespace: str, target: str, path: str) -> str:
    return kubectl.ok("get", target, "-o", f"jsonpath={path}", namespace=namespace)


@pytest.fixture
def web(kubectl: Kubectl, namespace: str) -> str:
    """A namespace holding pod ``p`` and deployment ``web`` (no replicas: no more pods)."""
    kubectl.ok("apply", "-f", "-", namespace=namespace,
               input=manifest(pod("p", app="p"), deployment("web")))
    return namespace


def test_label_add_overwrite_remove(kubectl: Kubectl, web: str) -> None:
    assert kubectl.ok("label", "pod", "p", "env=prod", namespace=web) == "pod/p labeled\n"
    err = kubectl.fails("label", "pod", "p", "env=dev", namespace=web)
    assert err == "error: 'env' already has a value (prod), and --overwrite is false\n"
    assert kubectl.ok("label", "pod", "p", "env=dev", "--overwrite", namespace=web) == \
        "pod/p labeled\n"
    assert jsonpath(kubectl, web, "pod/p", "{.metadata.labels}") == '{"app":"p","env":"dev"}'
    assert kubectl.ok("label", "pod", "p", "env-", namespace=web) == "pod/p unlabeled\n"
    assert jsonpath(kubectl, web, "pod/p", "{.metadata.labels}") == '{"app":"p"}'
    done = kubectl("label", "pod", "p", "env-", namespace=web)
    assert (done.returncode, done.stdout) == (0, 'label "env" not found.\npod/p not labeled\n')


def test_label_key_is_validated_by_the_server(kubectl: Kubectl, web: str) -> None:
    err = kubectl.fails("label", "pod", "p", "bad key=x", namespace=web)
    assert err == (
        'The Pod "p" is invalid: metadata.labels: Invalid value: "bad key": name part must '
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
        "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n")


def test_label_every_pod(kubectl: Kubectl, web: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=web, input=manifest(pod("q")))
    assert kubectl.ok("label", "pods", "--all", "batch=1", namespace=web) == \
        "pod/p labeled\npod/q labeled\n"
    assert kubectl.ok("get", "pods", "-l", "batch=1", "-o", "name", namespace=web) == \
        "pod/p\npod/q\n"


def test_annotate(kubectl: Kubectl, web: str) -> None:
    assert kubectl.ok("annotate", "deploy", "web", "note=hello world", namespace=web) == \
        "deployment.apps/web annotated\n"
    err = kubectl.fails("annotate", "deploy", "web", "note=again", namespace=web)
    assert err == ("error: --overwrite is false but found the following declared "
                   "annotation(s): 'note' already has a value (hello world)\n")
    assert jsonpath(kubectl, web, "deploy/web", "{.metadata.annotations.note}") == \
        "hello world"
    assert kubectl.ok("annotate", "deploy", "web", "note-", namespace=web) == \
        "deployment.apps/web annotated\n"
    annotations = jsonpath(kubectl, web, "deploy/web", "{.metadata.annotations}")
    assert "note" not in (json.loads(annotations) if annotations else {})


# --- patch ----------------------------------------------------------------------------------

def containers(kubectl: Kubectl, namespace: str) -> list[tuple[str, str]]:
    live = as_json(kubectl.ok("get", "deploy", "web", "-o", "json", namespace=namespace))
    return [(c["name"], c["image"]) for c in live["spec"]["template"]["spec"]["containers"]]


def test_strategic_merge_patch_merges_lists_by_key(kubectl: Kubectl, web: str) -> None:
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "web", "image": "nginx:1.27"}, {"name": "sidecar", "image": "busybox"}]}}}}
    assert kubectl.ok("patch", "deploy", "web", "-p", json.dumps(patch), namespace=web) == \
        "deployment.apps/web patched\n"
    assert containers(kubectl, web) == [("web", "nginx:1.27"), ("sidecar", "busybox")]
    # The same patch again changes nothing.
    assert kubectl.ok("patch", "deploy", "web", "-p", json.dumps(patch), namespace=web) == \
        "deployment.apps/web patched (no change)\n"
    # $patch: delete removes one element by its key.
    delete = {"spec": {"template": {"spec": {"containers": [
        {"name": "sidecar", "$patch": "delete"}]}}}}
    kubectl.ok("patch", "deploy", "web", "--type", "strategic", "-p", json.dumps(delete),
               namespace=web)
    assert containers(kubectl, web) == [("web", "nginx:1.27")]


def test_merge_patch_replaces_lists_and_null_deletes(kubectl: Kubectl, web: str) -> None:
    patch = {"metadata": {"labels": {"app": None, "kind": "demo"}},
             "spec": {"template": {"spec": {"containers": [
                 {"name": "only", "image": "busybox:1.36"}]}}}}
    assert kubectl.ok("patch", "deploy", "web", "--type", "merge", "-p", json.dumps(patch),
                      namespace=web) == "deployment.apps/web patched\n"
    assert containers(kubectl, web) == [("only", "busybox:1.36")]
    assert jsonpath(kubectl, web, "deploy/web", "{.metadata.labels}") == '{"kind":"demo"}'


def test_json_patch(kubectl: Kubectl, web: str) -> None:
    ops = [{"op": "replace", "path": "/spec/replicas", "value": 4},
           {"op": "add", "path": "/metadata/labels/tier", "value": "front"},
           {"op": "test", "path": "/spec/template/spec/containers/0/name", "value": "web"}]
    assert kubectl.ok("patch", "deploy", "web", "--type", "json", "-p", json.dumps(ops),
                      namespace=web) == "deployment.apps/web patched\n"
    assert jsonpath(kubectl, web, "deploy/web", "{.spec.replicas}") == "4"
    assert jsonpath(kubectl, web, "deploy/web", "{.metadata.labels.tier}") == "front"
    failing = [{"op": "test", "path": "/spec/replicas", "value": 99}]
    err = kubectl.fails("patch", "deploy", "web", "--type", "json", "-p", json.dumps(failing),
                        namespace=web)
    assert err == "The request is invalid: the server rejected our request due to an error " \
                  "in our request\n"
    err = kubectl.fails("patch", "deploy", "web", "--type", "json", "-p", '{"op": "add"}',
                        namespace=web)
    assert err == "Error from server (BadRequest): json: cannot unmarshal object into Go " \
                  "value of type jsonpatch.Patch\n"


def test_patch_that_breaks_validation(kubectl: Kubectl, web: str) -> None:
    err = kubectl.fails("patch", "deploy", "web", "-p", '{"spec":{"replicas":-1}}',
                        namespace=web)
    assert err == ('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be '
                   'greater than or equal to 0\n')


# --- scale and set image --------------------------------------------------------------------

def controllers(name: str) -> str:
    template = {"metadata": {"labels": {"app": name}},
                "spec": {"schedulerName": NO_SCHEDULER,
                         "containers": [{"name": "c", "image": "nginx:1.25"}]}}
    rc = {"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": name},
          "spec": {"replicas": 0, "selector": {"app": name}, "template": template}}
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": name + "-rs"},
          "spec": {"replicas": 0, "selector": {"matchLabels": {"app": name + "-rs"}},
                   "template": dict(template, metadata={"labels": {"app": name + "-rs"}})}}
    return manifest(rc, rs)


def test_scale_deployment_rc_and_rs(kubectl: Kubectl, web: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=web, input=controllers("legacy"))
    assert kubectl.ok("scale", "deployment/web", "--replicas=3", namespace=web) == \
        "deployment.apps/web scaled\n"
    assert kubectl.ok("scale", "rc", "legacy", "--replicas=2", namespace=web) == \
        "replicationcontroller/legacy scaled\n"
    assert kubectl.ok("scale", "rs", "legacy-rs", "--replicas=1", namespace=web) == \
        "replicaset.apps/legacy-rs scaled\n"
    assert jsonpath(kubectl, web, "deploy/web", "{.spec.replicas}") == "3"
    assert jsonpath(kubectl, web, "rc/legacy", "{.spec.replicas}") == "2"
    assert jsonpath(kubectl, web, "rs/legacy-rs", "{.spec.replicas}") == "1"
    err = kubectl.fails("scale", "deployment/web", "--current-replicas=7", "--replicas=1",
                        namespace=web)
    assert err == "error: Expected replicas to be 7, was 3\n"


def test_set_image(kubectl: Kubectl, web: str) -> None:
    assert kubectl.ok("set", "image", "deployment/web", "web=nginx:1.27", namespace=web) == \
        "deployment.apps/web image updated\n"
    assert containers(kubectl, web) == [("web", "nginx:1.27")]
    assert jsonpath(kubectl, web, "deploy/web", "{.metadata.generation}") == "2"
    err = kubectl.fails("set", "image", "deployment/web", "nope=x", namespace=web)
    assert err == 'error: unable to find container named "nope"\n'


# --- edit -----------------------------------------------------------------------------------

def editor(tmp_path: Path, script: str) -> dict[str, str]:
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(0o755)
    return {"KUBE_EDITOR": str(path)}


def test_edit_saves_the_change(kubectl: Kubectl, web: str, tmp_path: Path) -> None:
    env = editor(tmp_path, "sed -i 's/image: nginx:1.25/image: nginx:1.27/' \"$1\"")
    assert kubectl.ok("edit", "deploy", "web", namespace=web, env=env) == \
        "deployment.apps/web edited\n"
    assert containers(kubectl, web) == [("web", "nginx:1.27")]


def test_edit_without_a_change_is_cancelled(kubectl: Kubectl, web: str,
                                            tmp_path: Path) -> None:
    done = kubectl("edit", "pod", "p", namespace=web, env=editor(tmp_path, "true"))
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "Edit cancelled, no changes made.\n"
