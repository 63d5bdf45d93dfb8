"""kubectl get: server-side tables, every output format, selectors, watches and raw paths."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import (
    NO_SCHEDULER, LineReader, as_json, assert_table, deployment, manifest, pod, service,
)


def make_three_pods(kubectl: Kubectl, namespace: str) -> str:
    """Pods a (app=web, tier=front), b (app=db, tier=back) and c (app=cache)."""
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(
        pod("a", app="web", tier="front"), pod("b", image="redis:7", app="db", tier="back"),
        pod("c", image="redis:7", app="cache")))
    return namespace


@pytest.fixture(scope="module")
def three_pods(kubectl: Kubectl, api_client: Any) -> str:
    """The three pods, shared by the tests that only read them."""
    from kubernetes import client

    client.CoreV1Api(api_client).create_namespace({"metadata": {"name": "three-pods"}})
    return make_three_pods(kubectl, "three-pods")


@pytest.fixture
def own_pods(kubectl: Kubectl, namespace: str) -> str:
    """The three pods in a namespace of the test's own, for tests that change them."""
    return make_three_pods(kubectl, namespace)


def names(kubectl: Kubectl, namespace: str, *args: str) -> list[str]:
    return kubectl.ok("get", "pods", "-o", "name", *args, namespace=namespace).split()


# --- tables ---------------------------------------------------------------------------------

def test_pod_table(kubectl: Kubectl, three_pods: str) -> None:
    assert_table(kubectl.ok("get", "pods", namespace=three_pods), """
NAME   READY   STATUS    RESTARTS   AGE
a      0/1     Pending   0          <age>
b      0/1     Pending   0          <age>
c      0/1     Pending   0          <age>
""")


def test_pod_table_wide(kubectl: Kubectl, three_pods: str) -> None:
    assert_table(kubectl.ok("get", "pod", "a", "-o", "wide", namespace=three_pods), """
NAME   READY   STATUS    RESTARTS   AGE   IP       NODE     NOMINATED NODE   READINESS GATES
a      0/1     Pending   0          <age>   <none>   <none>   <none>           <none>
""")


def test_show_labels_and_label_columns(kubectl: Kubectl, three_pods: str) -> None:
    assert_table(kubectl.ok("get", "po", "--show-labels", namespace=three_pods), """
NAME   READY   STATUS    RESTARTS   AGE   LABELS
a      0/1     Pending   0          <age>   app=web,tier=front
b      0/1     Pending   0          <age>   app=db,tier=back
c      0/1     Pending   0          <age>   app=cache
""")
    assert_table(kubectl.ok("get", "po", "-L", "tier", "--no-headers", namespace=three_pods),
                 """
a     0/1   Pending   0     <age>   front
b     0/1   Pending   0     <age>   back
c     0/1   Pending   0     <age>   
""")


def test_several_kinds_at_once(kubectl: Kubectl, namespace: str) -> None:
    headless = service("web")
    headless["spec"]["clusterIP"] = "None"
    kubectl.ok("apply", "-f", "-", namespace=namespace,
               input=manifest(pod("p"), headless, deployment("web")))
    assert_table(kubectl.ok("get", "pods,services,deployments", namespace=namespace), """
NAME    READY   STATUS    RESTARTS   AGE
pod/p   0/1     Pending   0          <age>

NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
service/web   ClusterIP   None         <none>        80/TCP    <age>

NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/web   0/0     0            0           <age>
""")
    assert_table(kubectl.ok("get", "deploy", "-o", "wide", namespace=namespace), """
NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR
web    0/0     0            0           <age>   web          nginx:1.25   app=web
""")


def test_chunked_lists_print_one_table(kubectl: Kubectl, three_pods: str) -> None:
    # --chunk-size=1: three requests joined by continue tokens, one table.
    assert_table(kubectl.ok("get", "pods", "--chunk-size=1", namespace=three_pods), """
NAME   READY   STATUS    RESTARTS   AGE
a      0/1     Pending   0          <age>
b      0/1     Pending   0          <age>
c      0/1     Pending   0          <age>
""")


def test_all_namespaces_and_namespace_flag(kubectl: Kubectl, three_pods: str,
                                           api_client: Any) -> None:
    from kubernetes import client

    other = three_pods + "-other"
    client.CoreV1Api(api_client).create_namespace({"metadata": {"name": other}})
    kubectl.ok("apply", "-f", "-", namespace=other, input=manifest(pod("z")))
    out = kubectl.ok("get", "pods", "-A")
    ours = [line for line in out.splitlines()[1:] if line.split()[0] in (three_pods, other)]
    assert re.match(r"NAMESPACE +NAME +READY +STATUS +RESTARTS +AGE$", out.splitlines()[0])
    assert [line.split()[:4] for line in ours] == [
        [three_pods, "a", "0/1", "Pending"], [three_pods, "b", "0/1", "Pending"],
        [three_pods, "c", "0/1", "Pending"], [other, "z", "0/1", "Pending"]]
    assert names(kubectl, other) == ["pod/z"]
    done = kubectl("get", "pods", namespace=three_pods + "-empty")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == f"No resources found in {three_pods}-empty namespace.\n"


# --- other output formats -------------------------------------------------------------------

def test_yaml_of_one_pod_is_the_defaulted_object(kubectl: Kubectl, three_pods: str) -> None:
    obj = yaml.safe_load(kubectl.ok("get", "pod", "a", "-o", "yaml", namespace=three_pods))
    assert (obj["apiVersion"], obj["kind"]) == ("v1", "Pod")
    meta = obj["metadata"]
    assert meta["name"] == "a" and meta["namespace"] == three_pods
    assert meta["labels"] == {"app": "web", "tier": "front"}
    assert "managedFields" not in meta              # kubectl hides them unless asked
    assert re.fullmatch(r"\d+", meta["resourceVersion"])
    assert re.fullmatch(r"[0-9a-f-]{36}", meta["uid"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["creationTimestamp"])
    volume = obj["spec"]["volumes"][0]["name"]
    assert re.fullmatch(r"kube-api-access-[a-z0-9]{5}", volume)
    assert obj["spec"] == {
        "containers": [{
            "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent", "name": "main",
            "resources": {}, "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                              "name": volume, "readOnly": True}]}],
        "dnsPolicy": "ClusterFirst", "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority", "priority": 0,
        "restartPolicy": "Always", "schedulerName": NO_SCHEDULER, "securityContext": {},
        "serviceAccount": "default", "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
             "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
             "operator": "Exists", "tolerationSeconds": 300}],
        "volumes": [{"name": volume, "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}],
                           "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1",
                                                     "fieldPath": "metadata.namespace"},
                                        "path": "namespace"}]}}]}}]}
    assert obj["status"] == {"phase": "Pending", "qosClass": "BestEffort"}


def test_json_of_a_list(kubectl: Kubectl, three_pods: str) -> None:
    listed = as_json(kubectl.ok("get", "pods", "-o", "json", namespace=three_pods))
    assert listed["apiVersion"] == "v1" and listed["kind"] == "List"
    assert listed["metadata"] == {"resourceVersion": ""}
    assert [(i["kind"], i["metadata"]["name"]) for i in listed["items"]] == \
        [("Pod", "a"), ("Pod", "b"), ("Pod", "c")]


def test_name_jsonpath_custom_columns_go_template(kubectl: Kubectl, three_pods: str) -> None:
    ns = three_pods
    assert kubectl.ok("get", "pods", "-o", "name", namespace=ns) == "pod/a\npod/b\npod/c\n"
    assert kubectl.ok("get", "pods", "-o", "jsonpath={.items[*].metadata.name}",
                      namespace=ns) == "a b c"
    assert kubectl.ok("get", "pod", "b", "-o", "jsonpath={.spec.containers[0].image}",
                      namespace=ns) == "redis:7"
    assert kubectl.ok("get", "pods", "-o",
                      "custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,"
                      "APP:.metadata.labels.app", namespace=ns) == (
        "NAME   IMAGE        APP\n"
        "a      nginx:1.25   web\n"
        "b      redis:7      db\n"
        "c      redis:7      cache\n")
    assert kubectl.ok("get", "pod", "c", "-o", "go-template={{.metadata.name}} "
                      "{{.status.phase}}", namespace=ns) == "c Pending"
    assert kubectl.ok("get", "pods", "--sort-by=.spec.containers[0].image", "-o", "name",
                      namespace=ns) == "pod/a\npod/b\npod/c\n"


def test_raw_list(kubectl: Kubectl, three_pods: str) -> None:
    raw = as_json(kubectl.ok("get", "--raw", f"/api/v1/namespaces/{three_pods}/pods"))
    assert raw["kind"] == "PodList" and raw["apiVersion"] == "v1"
    assert re.fullmatch(r"\d+", raw["metadata"]["resourceVersion"])
    assert [i["metadata"]["name"] for i in raw["items"]] == ["a", "b", "c"]
    managed = raw["items"][0]["metadata"]["managedFields"]
    assert [(m["manager"], m["operation"]) for m in managed] == \
        [("kubectl-client-side-apply", "Update")]
    done = kubectl("get", "--raw", f"/api/v1/namespaces/{three_pods}/widgets")
    assert done.returncode == 1
    assert done.stderr == "Error from server (NotFound): the server could not find the " \
                          "requested resource\n"


# --- label selectors ------------------------------------------------------------------------

@pytest.mark.parametrize(("selector", "expected"), [
    ("app=web", ["a"]),
    ("app==web", ["a"]),
    ("app!=web", ["b", "c"]),
    ("app in (web,db)", ["a", "b"]),
    ("app notin (web, db)", ["c"]),
    ("tier", ["a", "b"]),
    ("!tier", ["c"]),
    ("tier,app=db", ["b"]),
    ("app=web,!tier", []),
    ("app in (cache),tier notin (x)", ["c"]),
])
def test_label_selectors(kubectl: Kubectl, three_pods: str, selector: str,
                         expected: list[str]) -> None:
    assert names(kubectl, three_pods, "-l", selector) == [f"pod/{n}" for n in expected]


def test_an_empty_selection_says_so(kubectl: Kubectl, three_pods: str) -> None:
    done = kubectl("get", "pods", "-l", "app=nothing", namespace=three_pods)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == f"No resources found in {three_pods} namespace.\n"


@pytest.mark.parametrize(("selector", "problem"), [
    ("component not in (kube-apiserver)",
     "unable to parse requirement: found 'not', expected: '=', '!=', '==', 'in', notin'"),
    ("app in (x", "unable to parse requirement: found '', expected: ',' or ')'"),
    ("app=x y", "found 'y', expected: ',' or 'end of string'"),
    ("!app=x", "found '=', expected: ',' or 'end of string'"),
    ("a/b/c=x", "unable to parse requirement: key: Invalid value: \"a/b/c\": a qualified name "
                "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                "'123-abc', regex used for validation is "
                "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
])
def test_invalid_label_selector(kubectl: Kubectl, three_pods: str, selector: str,
                                problem: str) -> None:
    err = kubectl.fails("get", "pods", "-l", selector, namespace=three_pods)
    assert err == (f'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that '
                   f'match label selector "{selector}", field selector "": {problem}\n')


# --- field selectors ------------------------------------------------------------------------

@pytest.mark.parametrize(("selector", "expected"), [
    ("metadata.name=b", ["b"]),
    ("metadata.name!=b", ["a", "c"]),
    ("status.phase=Pending", ["a", "b", "c"]),
    ("status.phase=Running", []),
    ("spec.nodeName=", ["a", "b", "c"]),
    ("spec.nodeName=kit-worker", []),
    ("metadata.name=a,status.phase=Pending", ["a"]),
    (f"spec.schedulerName={NO_SCHEDULER},metadata.name!=a", ["b", "c"]),
])
def test_field_selectors(kubectl: Kubectl, three_pods: str, selector: str,
                         expected: list[str]) -> None:
    assert names(kubectl, three_pods, "--field-selector", selector) == \
        [f"pod/{n}" for n in expected]


def test_field_selector_with_labels(kubectl: Kubectl, three_pods: str) -> None:
    assert names(kubectl, three_pods, "-l", "tier", "--field-selector",
                 "metadata.name!=a") == ["pod/b"]


def test_unsupported_field_selector(kubectl: Kubectl, three_pods: str) -> None:
    err = kubectl.fails("get", "pods", "--field-selector", "spec.image=x",
                        namespace=three_pods)
    assert err == ('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that '
                   'match label selector "", field selector "spec.image=x": field label not '
                   'supported: spec.image\n')
    err = kubectl.fails("get", "deployments", "-l", "app", "--field-selector",
                        "status.replicas=1", namespace=three_pods)
    assert err == ('Error from server (BadRequest): Unable to find "apps/v1, '
                   'Resource=deployments" that match label selector "app", field selector '
                   '"status.replicas=1": field label not supported: status.replicas\n')


# --- watch ----------------------------------------------------------------------------------

def test_watch_prints_new_and_changed_rows(kubectl: Kubectl, own_pods: str) -> None:
    watch = kubectl.popen("get", "pods", "-l", "app", "--watch", namespace=own_pods,
                          request_timeout="30s")
    try:
        out = LineReader(watch.stdout)  # type: ignore[arg-type]
        out.until(r"^c ")                               # the list came first
        # Created after the list: kubectl watches from the list's resourceVersion, so the
        # events arrive even if its watch request is still on its way.
        kubectl.ok("apply", "-f", "-", namespace=own_pods,
                   input=manifest(pod("d", app="late")))
        out.until(r"^d ")
        kubectl.ok("delete", "pod", "d", "--wait=false", namespace=own_pods)
        out.until(r"^d ")
    finally:
        watch.kill()
        watch.wait()
    assert_table("".join(out.lines), """
NAME   READY   STATUS    RESTARTS   AGE
a      0/1     Pending   0          <age>
b      0/1     Pending   0          <age>
c      0/1     Pending   0          <age>
d      0/1     Pending   0          <age>
d      0/1     Pending   0          <age>
""")


def test_watch_ends_at_the_request_timeout(kubectl: Kubectl, own_pods: str) -> None:
    # A watch that outlived its request timeout would run into the call's own timeout.
    done = kubectl("get", "pod", "a", "-w", "-o", "name", namespace=own_pods,
                   request_timeout="1s", timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (0, "pod/a\n", "")


def test_watch_events_as_json(kubectl: Kubectl, own_pods: str) -> None:
    watch = kubectl.popen("get", "pods", "--watch-only", "--output-watch-events", "-o",
                          "json", "--field-selector", "metadata.name=b",
                          namespace=own_pods, request_timeout="30s")
    try:
        out = LineReader(watch.stdout)  # type: ignore[arg-type]
        # --watch-only prints nothing of its first list: change b until a change shows.
        for attempt in range(20):
            kubectl.ok("label", "pod", "b", f"seen={attempt}", "--overwrite",
                       namespace=own_pods)
            kubectl.ok("label", "pod", "c", f"seen={attempt}", "--overwrite",
                       namespace=own_pods)                      # not selected
            if out.next(timeout=0.5) is not None:
                break
    finally:
        watch.kill()
        watch.wait()
    assert out.lines, "no event came"
    event = json.loads(out.lines[0])           # one compact JSON document per event
    assert event["type"] == "MODIFIED"
    assert event["object"]["kind"] == "Pod"
    assert event["object"]["metadata"]["name"] == "b"
    assert "seen" in event["object"]["metadata"]["labels"]


# --- subresources ---------------------------------------------------------------------------

def test_get_the_scale_subresource(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(deployment("sc")))
    scale = yaml.safe_load(kubectl.ok("get", "deploy", "sc", "--subresource=scale", "-o",
                                      "yaml", namespace=namespace))
    assert (scale["apiVersion"], scale["kind"]) == ("autoscaling/v1", "Scale")
    assert scale["spec"] == {"replicas": 0}
    assert scale["status"]["selector"] == "app=sc"
    assert kubectl.ok("patch", "deploy", "sc", "--subresource=scale", "--type=merge", "-p",
                      '{"spec":{"replicas":2}}', namespace=namespace) == \
        "scale.autoscaling/sc patched\n"
    assert kubectl.ok("get", "deploy", "sc", "-o", "jsonpath={.spec.replicas}",
                      namespace=namespace) == "2"


def test_scale_subresource_table(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(deployment("sct")))
    assert_table(kubectl.ok("get", "deploy", "sct", "--subresource=scale",
                            namespace=namespace), """
NAME   DESIRED   AVAILABLE   AGE
sct    0         0           <age>
""")
