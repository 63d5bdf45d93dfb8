"""The errors learners meet most, exactly as kubectl prints them from a real server.

kubectl sends ``fieldValidation=Strict`` by default (``--validate=strict``), so unknown
fields are the server's errors; the message carries the file name as typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import deployment, manifest, pod

NAME_RULE = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
             "characters, '-' or '.', and must start and end with an alphanumeric character "
             "(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?"
             "(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
TYPO = """\
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: web
    image: nginx:1.25
    imagee: nginx:1.25
"""


def test_unknown_field_on_create(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(TYPO.replace("    image: nginx:1.25\n", ""))
    for verb in ("apply", "create"):
        err = kubectl.fails(verb, "-f", "x.yaml", namespace=namespace, cwd=tmp_path)
        assert err == ('Error from server (BadRequest): error when creating "x.yaml": Pod in '
                       'version "v1" cannot be handled as a Pod: strict decoding error: '
                       'unknown field "spec.containers[0].imagee"\n')


def test_unknown_field_on_apply_of_an_existing_object(kubectl: Kubectl, namespace: str,
                                                      tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(TYPO.replace("    imagee: nginx:1.25\n", ""))
    kubectl.ok("apply", "-f", "x.yaml", namespace=namespace, cwd=tmp_path)
    (tmp_path / "x.yaml").write_text(TYPO)
    err = kubectl.fails("apply", "-f", "x.yaml", namespace=namespace, cwd=tmp_path)
    assert err.startswith("Error from server (BadRequest): error when applying patch:\n{")
    assert err.endswith(
        f'to:\nResource: "/v1, Resource=pods", GroupVersionKind: "/v1, Kind=Pod"\n'
        f'Name: "typo", Namespace: "{namespace}"\nfor: "x.yaml": error when patching '
        f'"x.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        f'unknown field "spec.containers[0].imagee"\n')


def test_validation_warn_and_ignore(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(TYPO)
    done = kubectl("create", "-f", "x.yaml", "--validate=warn", namespace=namespace,
                   cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "pod/typo created\n")
    assert done.stderr == 'Warning: unknown field "spec.containers[0].imagee"\n'
    kubectl.ok("delete", "pod", "typo", namespace=namespace)
    assert kubectl.ok("create", "-f", "x.yaml", "--validate=false", namespace=namespace,
                      cwd=tmp_path) == "pod/typo created\n"
    # The unknown field is dropped, as decoding into the Go type drops it.
    assert "imagee" not in kubectl.ok("get", "pod", "typo", "-o", "yaml", namespace=namespace)


def test_duplicate_field(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    # kubectl's own decoding keeps the last of duplicate keys; a raw body reaches the server.
    (tmp_path / "dup.json").write_text(
        '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "one", "name": "two"}, '
        '"spec": {"containers": [{"name": "c", "image": "nginx"}], '
        '"schedulerName": "kit-tests-unscheduled"}}')
    path = f"/api/v1/namespaces/{namespace}/pods"
    err = kubectl.fails("create", "--raw", path + "?fieldValidation=Strict", "-f", "dup.json",
                        cwd=tmp_path)
    assert err == ('Error from server (BadRequest): Pod in version "v1" cannot be handled as a '
                   'Pod: strict decoding error: duplicate field "metadata.name"\n')
    done = kubectl("create", "--raw", path, "-f", "dup.json", cwd=tmp_path)   # Warn
    assert done.returncode == 0
    assert done.stderr == 'Warning: duplicate field "metadata.name"\n'
    assert '"name":"two"' in done.stdout


def test_wrong_json_type(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    web = deployment("typed")
    web["spec"]["replicas"] = "three"
    (tmp_path / "d.yaml").write_text(manifest(web))
    err = kubectl.fails("create", "-f", "d.yaml", namespace=namespace, cwd=tmp_path)
    assert err == ('Error from server (BadRequest): error when creating "d.yaml": Deployment in '
                   'version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
                   'string into Go struct field DeploymentSpec.spec.replicas of type int32\n')


def test_invalid_name(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(manifest(pod("Bad_Name")))
    for verb in ("apply", "create"):
        err = kubectl.fails(verb, "-f", "bad.yaml", namespace=namespace, cwd=tmp_path)
        assert err == (f'The Pod "Bad_Name" is invalid: metadata.name: Invalid value: '
                       f'"Bad_Name": {NAME_RULE}\n')


def test_several_invalid_fields(kubectl: Kubectl, namespace: str) -> None:
    broken = pod("broken")
    broken["spec"]["containers"] = []
    broken["spec"]["restartPolicy"] = "Sometimes"
    err = kubectl.fails("create", "-f", "-", namespace=namespace, input=manifest(broken))
    assert err == (
        'The Pod "broken" is invalid: \n'
        '* spec.containers: Required value\n'
        '* spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"OnFailure", "Never"\n')


def test_immutable_selector(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(deployment("sel")))
    moved = deployment("sel")
    moved["spec"]["selector"]["matchLabels"] = {"app": "other"}
    moved["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    err = kubectl.fails("apply", "-f", "-", namespace=namespace, input=manifest(moved))
    assert err == (
        'The Deployment "sel" is invalid: spec.selector: Invalid value: v1.LabelSelector{'
        'MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.'
        'LabelSelectorRequirement(nil)}: field is immutable\n')


@pytest.mark.parametrize("verb", [["get"], ["describe"], ["delete"], ["label", "--overwrite"]])
def test_missing_object(kubectl: Kubectl, namespace: str, verb: list[str]) -> None:
    args = [*verb, "pod", "nope"] + (["x=y"] if verb[0] == "label" else [])
    err = kubectl.fails(*args, namespace=namespace)
    assert err == 'Error from server (NotFound): pods "nope" not found\n'


def test_missing_namespace(kubectl: Kubectl, tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(manifest(pod("lost")))
    for verb in ("apply", "create"):
        err = kubectl.fails(verb, "-f", "pod.yaml", namespace="nowhere", cwd=tmp_path)
        assert err == ('Error from server (NotFound): error when creating "pod.yaml": '
                       'namespaces "nowhere" not found\n')
    done = kubectl("get", "pods", namespace="nowhere")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "No resources found in nowhere namespace.\n"
    # After a 404, kubectl 1.32 asks whether the namespace exists, and says so.
    err = kubectl.fails("get", "pod", "lost", namespace="nowhere")
    assert err == 'Error from server (NotFound): namespaces "nowhere" not found\n'


def test_system_namespaces_may_not_be_deleted(kubectl: Kubectl) -> None:
    for name in ("default", "kube-system", "kube-public"):
        err = kubectl.fails("delete", "namespace", name)
        assert err == (f'Error from server (Forbidden): namespaces "{name}" is forbidden: '
                       f'this namespace may not be deleted\n')
    assert kubectl.ok("get", "ns", "default", "-o", "jsonpath={.status.phase}") == "Active"


def test_unknown_kind(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text("apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n")
    err = kubectl.fails("apply", "-f", "w.yaml", "--validate=false", namespace=namespace,
                        cwd=tmp_path)
    assert err == ('error: resource mapping not found for name: "w" namespace: "" from '
                   '"w.yaml": no matches for kind "Widget" in version "v1"\n'
                   'ensure CRDs are installed first\n')


def test_unknown_kind_with_default_validation(kubectl: Kubectl, namespace: str,
                                              tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text("apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n")
    err = kubectl.fails("apply", "-f", "w.yaml", namespace=namespace, cwd=tmp_path)
    assert err == ('error: resource mapping not found for name: "w" namespace: "" from '
                   '"w.yaml": no matches for kind "Widget" in version "v1"\n'
                   'ensure CRDs are installed first\n')


def test_kind_with_a_typo_in_a_known_group(kubectl: Kubectl, namespace: str,
                                          tmp_path: Path) -> None:
    # kubectl lists the CRDs to tell a missing definition from a typo: none are served.
    (tmp_path / "d.yaml").write_text("apiVersion: apps/v1\nkind: Deploymnt\nmetadata:\n"
                                     "  name: web\n")
    err = kubectl.fails("apply", "-f", "d.yaml", namespace=namespace, cwd=tmp_path)
    assert err == ('error: resource mapping not found for name: "web" namespace: "" from '
                   '"d.yaml": no matches for kind "Deploymnt" in version "apps/v1"\n'
                   'ensure CRDs are installed first\n')


def test_namespace_in_the_file_differs(kubectl: Kubectl, namespace: str) -> None:
    elsewhere = pod("elsewhere")
    elsewhere["metadata"]["namespace"] = "somewhere-else"
    err = kubectl.fails("apply", "-f", "-", namespace=namespace, input=manifest(elsewhere))
    assert err == ('error: the namespace from the provided object "somewhere-else" does not '
                   f'match the namespace "{namespace}". You must pass '
                   "'--namespace=somewhere-else' to perform this operation.\n")
