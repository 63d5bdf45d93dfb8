"""Creating, applying, diffing and deleting with kubectl: what it prints and what it leaves.

kubectl apply is three different conversations with the server: client-side apply (a
strategic merge patch computed from the last-applied annotation), server-side apply (an
apply patch, with field ownership and conflicts), and server dry runs for ``diff``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import as_json, deployment, manifest, pod, service

CONFLICT = re.compile(
    r'error: Apply failed with 1 conflict: conflict with "kubectl[^"]*" with subresource '
    r'"scale" using apps/v1: \.spec\.replicas\n'
    r"Please review the fields above--they currently have other managers\. Here\n"
    r"are the ways you can resolve this warning:\n"
    r"\* If you intend to manage all of these fields, please re-run the apply\n"
    r"  command with the `--force-conflicts` flag\.\n", re.M)


def write(path: Path, *objects: dict[str, object]) -> str:
    path.write_text(manifest(*objects))
    return str(path)


def replicas(kubectl: Kubectl, namespace: str, name: str) -> str:
    return kubectl.ok("get", "deployment", name, "-o", "jsonpath={.spec.replicas}",
                      namespace=namespace)


# --- create and client-side apply ----------------------------------------------------------

def test_create_then_create_again(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    path = write(tmp_path / "pod.yaml", pod("once"))
    assert kubectl.ok("create", "-f", path, namespace=namespace) == "pod/once created\n"
    err = kubectl.fails("create", "-f", path, namespace=namespace)
    assert err == (f'Error from server (AlreadyExists): error when creating "{path}": '
                   f'pods "once" already exists\n')


def test_apply_created_unchanged_configured(kubectl: Kubectl, namespace: str,
                                            tmp_path: Path) -> None:
    web = deployment("web", replicas=1)
    path = write(tmp_path / "web.yaml", web, service("web"))
    assert kubectl.ok("apply", "-f", path, namespace=namespace) == \
        "deployment.apps/web created\nservice/web created\n"
    assert kubectl.ok("apply", "-f", path, namespace=namespace) == \
        "deployment.apps/web unchanged\nservice/web unchanged\n"
    web["spec"]["replicas"] = 2
    write(tmp_path / "web.yaml", web, service("web"))
    assert kubectl.ok("apply", "-f", path, namespace=namespace) == \
        "deployment.apps/web configured\nservice/web unchanged\n"
    assert replicas(kubectl, namespace, "web") == "2"
    live = as_json(kubectl.ok("get", "deploy", "web", "-o", "json", namespace=namespace))
    assert live["metadata"]["generation"] == 2
    last = as_json(live["metadata"]["annotations"][
        "kubectl.kubernetes.io/last-applied-configuration"])
    assert last["spec"]["replicas"] == 2 and last["metadata"]["namespace"] == namespace


def test_apply_removes_what_the_manifest_no_longer_has(kubectl: Kubectl, namespace: str,
                                                       tmp_path: Path) -> None:
    labelled = pod("p", app="p", extra="yes")
    path = write(tmp_path / "p.yaml", labelled)
    kubectl.ok("apply", "-f", path, namespace=namespace)
    del labelled["metadata"]["labels"]["extra"]
    write(tmp_path / "p.yaml", labelled)
    assert kubectl.ok("apply", "-f", path, namespace=namespace) == "pod/p configured\n"
    assert kubectl.ok("get", "pod", "p", "-o", "jsonpath={.metadata.labels}",
                      namespace=namespace) == '{"app":"p"}'


def test_apply_from_stdin_and_dry_runs(kubectl: Kubectl, namespace: str) -> None:
    text = manifest(service("dry"))
    assert kubectl.ok("apply", "-f", "-", "--dry-run=server", namespace=namespace,
                      input=text) == "service/dry created (server dry run)\n"
    assert kubectl.ok("apply", "-f", "-", "--dry-run=client", namespace=namespace,
                      input=text) == "service/dry created (dry run)\n"
    err = kubectl.fails("get", "service", "dry", namespace=namespace)
    assert err == 'Error from server (NotFound): services "dry" not found\n'
    # A server dry run fills in what the server would: defaults and a cluster IP.
    shown = yaml.safe_load(kubectl.ok("apply", "-f", "-", "--dry-run=server", "-o", "yaml",
                                      namespace=namespace, input=text))
    assert shown["spec"]["type"] == "ClusterIP"
    assert shown["spec"]["ports"][0]["protocol"] == "TCP"
    assert re.fullmatch(r"10\.\d+\.\d+\.\d+", shown["spec"]["clusterIP"])


def test_server_dry_runs_of_other_verbs(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(pod("kept", app="k")))
    assert kubectl.ok("label", "pod", "kept", "x=y", "--dry-run=server",
                      namespace=namespace) == "pod/kept labeled (server dry run)\n"
    assert kubectl.ok("delete", "pod", "kept", "--dry-run=server", namespace=namespace) == \
        'pod "kept" deleted (server dry run)\n'
    assert kubectl.ok("apply", "--server-side", "--dry-run=server", "-f", "-",
                      namespace=namespace, input=manifest(service("ssadry"))) == \
        "service/ssadry serverside-applied (server dry run)\n"
    assert kubectl.ok("get", "pod", "kept", "-o", "jsonpath={.metadata.labels}",
                      namespace=namespace) == '{"app":"k"}'
    kubectl.fails("get", "service", "ssadry", namespace=namespace)


def test_replace(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(pod("r")))
    live = yaml.safe_load(kubectl.ok("get", "pod", "r", "-o", "yaml", namespace=namespace))
    live["spec"]["containers"][0]["image"] = "nginx:1.27"
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(live))
    assert kubectl.ok("replace", "-f", str(path), namespace=namespace) == "pod/r replaced\n"
    # The same file again carries a resourceVersion that is no longer current.
    err = kubectl.fails("replace", "-f", str(path), namespace=namespace)
    assert err == (f'Error from server (Conflict): error when replacing "{path}": Operation '
                   f'cannot be fulfilled on pods "r": the object has been modified; please '
                   f'apply your changes to the latest version and try again\n')


# --- server-side apply ----------------------------------------------------------------------

def test_server_side_apply_conflict_and_force(kubectl: Kubectl, namespace: str,
                                              tmp_path: Path) -> None:
    path = write(tmp_path / "ssa.yaml", deployment("ssa", replicas=1))
    for _ in range(2):
        assert kubectl.ok("apply", "--server-side", "-f", path, namespace=namespace) == \
            "deployment.apps/ssa serverside-applied\n"
    assert kubectl.ok("scale", "deployment", "ssa", "--replicas=3", namespace=namespace) == \
        "deployment.apps/ssa scaled\n"
    done = kubectl("apply", "--server-side", "-f", path, namespace=namespace)
    assert done.returncode == 1 and done.stdout == ""
    assert CONFLICT.match(done.stderr), done.stderr
    assert done.stderr.endswith(
        "See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts\n")
    assert replicas(kubectl, namespace, "ssa") == "3"
    assert kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", path,
                      namespace=namespace) == "deployment.apps/ssa serverside-applied\n"
    assert replicas(kubectl, namespace, "ssa") == "1"
    live = as_json(kubectl.ok("get", "deploy", "ssa", "-o", "json", "--show-managed-fields",
                              namespace=namespace))
    owners = {(m["manager"], m["operation"], m.get("subresource", ""))
              for m in live["metadata"]["managedFields"]}
    assert ("kubectl", "Apply", "") in owners


def test_server_side_apply_after_client_side_apply(kubectl: Kubectl, namespace: str,
                                                   tmp_path: Path) -> None:
    # kubectl migrates the client-side owner with a JSON patch of managedFields first.
    path = write(tmp_path / "mig.yaml", deployment("mig", replicas=1))
    kubectl.ok("apply", "-f", path, namespace=namespace)
    assert kubectl.ok("apply", "--server-side", "-f", path, namespace=namespace) == \
        "deployment.apps/mig serverside-applied\n"
    live = as_json(kubectl.ok("get", "deploy", "mig", "-o", "json", "--show-managed-fields",
                              namespace=namespace))
    managers = [m["manager"] for m in live["metadata"]["managedFields"]]
    assert "kubectl-client-side-apply" not in managers
    assert "kubectl" in managers


# --- diff -----------------------------------------------------------------------------------

def test_diff_exit_codes(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    web = deployment("diffy", replicas=1)
    path = write(tmp_path / "d.yaml", web)
    kubectl.ok("apply", "-f", path, namespace=namespace)
    done = kubectl("diff", "-f", path, namespace=namespace)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    web["spec"]["replicas"] = 2
    write(tmp_path / "d.yaml", web)
    done = kubectl("diff", "-f", path, namespace=namespace)
    assert done.returncode == 1, done.stderr
    assert re.match(r"diff -u -N \S+/apps\.v1\.Deployment\.[\w-]+\.diffy \S+", done.stdout)
    changed = [line for line in done.stdout.splitlines()
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert sorted(changed) == ["+  generation: 2", "+  replicas: 2", "-  generation: 1",
                               "-  replicas: 1"], done.stdout
    kubectl.ok("apply", "-f", path, namespace=namespace)
    done = kubectl("diff", "-f", path, namespace=namespace)
    assert (done.returncode, done.stdout) == (0, "")


def test_diff_of_a_new_object(kubectl: Kubectl, namespace: str, tmp_path: Path) -> None:
    path = write(tmp_path / "n.yaml", service("newsvc"))
    done = kubectl("diff", "-f", path, namespace=namespace)
    assert done.returncode == 1
    assert "+  name: newsvc\n" in done.stdout and "+  type: ClusterIP\n" in done.stdout
    kubectl.fails("get", "svc", "newsvc", namespace=namespace)      # nothing was created


# --- delete ---------------------------------------------------------------------------------

def test_delete_by_file_name_label_and_all(kubectl: Kubectl, namespace: str,
                                           tmp_path: Path) -> None:
    path = write(tmp_path / "pods.yaml", pod("f1", set="one"), pod("f2", set="one"))
    kubectl.ok("apply", "-f", path, namespace=namespace)
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(
        pod("n1"), pod("l1", group="x"), pod("l2", group="x"), pod("rest1"), pod("rest2")))
    assert kubectl.ok("delete", "-f", path, namespace=namespace) == \
        'pod "f1" deleted\npod "f2" deleted\n'
    assert kubectl.ok("delete", "pod", "n1", namespace=namespace) == 'pod "n1" deleted\n'
    assert kubectl.ok("delete", "pods", "-l", "group=x", namespace=namespace) == \
        'pod "l1" deleted\npod "l2" deleted\n'
    assert kubectl.ok("delete", "pods", "--all", namespace=namespace) == \
        'pod "rest1" deleted\npod "rest2" deleted\n'
    done = kubectl("get", "pods", namespace=namespace)
    assert done.stderr == f"No resources found in {namespace} namespace.\n"
    err = kubectl.fails("delete", "-f", path, namespace=namespace)
    assert err == (f'Error from server (NotFound): error when deleting "{path}": '
                   f'pods "f1" not found\n'
                   f'Error from server (NotFound): error when deleting "{path}": '
                   f'pods "f2" not found\n')
    done = kubectl("delete", "pods", "--all", namespace=namespace)
    assert (done.returncode, done.stdout, done.stderr) == (0, "No resources found\n", "")


def test_delete_a_namespace_waits_until_it_is_gone(kubectl: Kubectl, tmp_path: Path) -> None:
    kubectl.ok("apply", "-f", "-", input=manifest(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "doomed"}}))
    kubectl.ok("apply", "-f", "-", namespace="doomed",
               input=manifest(pod("inside"), service("inside"), deployment("inside")))
    assert kubectl.ok("delete", "namespace", "doomed", timeout=30) == \
        'namespace "doomed" deleted\n'
    err = kubectl.fails("get", "namespace", "doomed")
    assert err == 'Error from server (NotFound): namespaces "doomed" not found\n'
    done = kubectl("get", "pods,services,deployments", namespace="doomed")
    assert (done.returncode, done.stdout) == (0, "")


def test_delete_without_waiting_shows_terminating(kubectl: Kubectl, api_client: object) -> None:
    kubectl.ok("apply", "-f", "-", input=manifest(
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "going"}}))
    assert kubectl.ok("delete", "ns", "going", "--wait=false") == 'namespace "going" deleted\n'
    done = kubectl("get", "ns", "going", "--no-headers")
    # Terminating while the namespace controller empties it; then gone.
    assert (done.returncode == 0 and re.fullmatch(r"going +Terminating +\d+s\n", done.stdout)) \
        or done.stderr == 'Error from server (NotFound): namespaces "going" not found\n', done


# --- imperative commands --------------------------------------------------------------------

def test_run_and_expose(kubectl: Kubectl, namespace: str) -> None:
    assert kubectl.ok("run", "runner", "--image=nginx:1.25", "--labels=app=runner",
                      "--overrides", '{"spec":{"schedulerName":"kit-tests-unscheduled"}}',
                      namespace=namespace) == "pod/runner created\n"
    assert kubectl.ok("expose", "pod", "runner", "--port=80", "--target-port=8080",
                      namespace=namespace) == "service/runner exposed\n"
    svc = as_json(kubectl.ok("get", "svc", "runner", "-o", "json", namespace=namespace))
    assert svc["spec"]["selector"] == {"app": "runner"}
    assert svc["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 8080}]


@pytest.mark.parametrize(("args", "printed"), [
    (["create", "deployment", "made", "--image=nginx:1.25", "--replicas=0"],
     "deployment.apps/made created\n"),
    (["create", "configmap", "settings", "--from-literal=colour=blue"],
     "configmap/settings created\n"),
    (["create", "secret", "generic", "token", "--from-literal=key=s3cret"],
     "secret/token created\n"),
    (["create", "service", "clusterip", "plain", "--tcp=80:8080"],
     "service/plain created\n"),
])
def test_create_generators(kubectl: Kubectl, namespace: str, args: list[str],
                           printed: str) -> None:
    # These typed clients send their objects as protobuf.
    assert kubectl.ok(*args, namespace=namespace) == printed


def test_create_namespace(kubectl: Kubectl) -> None:
    assert kubectl.ok("create", "namespace", "made-by-create") == \
        "namespace/made-by-create created\n"
    assert kubectl.ok("get", "ns", "made-by-create", "-o", "name") == \
        "namespace/made-by-create\n"


# --- lists and waiting ----------------------------------------------------------------------

def as_list(*objects: dict[str, object]) -> str:
    """What ``kubectl get -o yaml`` writes and learners apply back: a v1 List."""
    return yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": list(objects)})


def test_apply_a_list(kubectl: Kubectl, namespace: str) -> None:
    # kubectl validates a v1 List with the OpenAPI v2 document, which it reads as protobuf.
    assert kubectl.ok("apply", "-f", "-", namespace=namespace,
                      input=as_list(pod("l1"), pod("l2"))) == \
        "pod/l1 created\npod/l2 created\n"


def test_apply_a_list_without_client_validation(kubectl: Kubectl, namespace: str) -> None:
    assert kubectl.ok("apply", "--validate=false", "-f", "-", namespace=namespace,
                      input=as_list(pod("l1"), pod("l2"))) == \
        "pod/l1 created\npod/l2 created\n"


def test_wait_for_jsonpath_and_delete(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(pod("w")))
    assert kubectl.ok("wait", "--for=jsonpath={.status.phase}=Pending", "pod/w",
                      "--timeout=10s", namespace=namespace) == "pod/w condition met\n"
    done = kubectl("wait", "--for=jsonpath={.status.phase}=Running", "pod/w",
                   "--timeout=1s", namespace=namespace)
    assert done.returncode == 1
    assert done.stderr == "error: timed out waiting for the condition on pods/w\n"
    kubectl.ok("delete", "pod", "w", "--wait=false", namespace=namespace)
    done = kubectl("wait", "--for=delete", "pod/w", "--timeout=10s", namespace=namespace)
    assert done.returncode == 0, done.stderr
