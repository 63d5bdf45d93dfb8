"""What kubectl learns about the server before anything else: version, discovery, schema.

The golden rows are a real kube-apiserver v1.32's (``kubectl api-resources`` against a
kubeadm cluster).  The simulator serves fewer kinds than a real server: every kind it does
serve must look exactly like the real one, and the kinds the kit teaches must be there.
"""

from __future__ import annotations

import json
import re

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import columns

# NAME: (SHORTNAMES, APIVERSION, NAMESPACED, KIND), from a real v1.32 server.
REAL_RESOURCES = {
    ("bindings", "v1"): ("", "true", "Binding"),
    ("componentstatuses", "v1"): ("cs", "false", "ComponentStatus"),
    ("configmaps", "v1"): ("cm", "true", "ConfigMap"),
    ("endpoints", "v1"): ("ep", "true", "Endpoints"),
    ("events", "v1"): ("ev", "true", "Event"),
    ("limitranges", "v1"): ("limits", "true", "LimitRange"),
    ("namespaces", "v1"): ("ns", "false", "Namespace"),
    ("nodes", "v1"): ("no", "false", "Node"),
    ("persistentvolumeclaims", "v1"): ("pvc", "true", "PersistentVolumeClaim"),
    ("persistentvolumes", "v1"): ("pv", "false", "PersistentVolume"),
    ("pods", "v1"): ("po", "true", "Pod"),
    ("podtemplates", "v1"): ("", "true", "PodTemplate"),
    ("replicationcontrollers", "v1"): ("rc", "true", "ReplicationController"),
    ("resourcequotas", "v1"): ("quota", "true", "ResourceQuota"),
    ("secrets", "v1"): ("", "true", "Secret"),
    ("serviceaccounts", "v1"): ("sa", "true", "ServiceAccount"),
    ("services", "v1"): ("svc", "true", "Service"),
    ("controllerrevisions", "apps/v1"): ("", "true", "ControllerRevision"),
    ("daemonsets", "apps/v1"): ("ds", "true", "DaemonSet"),
    ("deployments", "apps/v1"): ("deploy", "true", "Deployment"),
    ("replicasets", "apps/v1"): ("rs", "true", "ReplicaSet"),
    ("statefulsets", "apps/v1"): ("sts", "true", "StatefulSet"),
    ("horizontalpodautoscalers", "autoscaling/v2"): ("hpa", "true", "HorizontalPodAutoscaler"),
    ("cronjobs", "batch/v1"): ("cj", "true", "CronJob"),
    ("jobs", "batch/v1"): ("", "true", "Job"),
    ("customresourcedefinitions", "apiextensions.k8s.io/v1"):
        ("crd,crds", "false", "CustomResourceDefinition"),
    ("leases", "coordination.k8s.io/v1"): ("", "true", "Lease"),
    ("endpointslices", "discovery.k8s.io/v1"): ("", "true", "EndpointSlice"),
    ("events", "events.k8s.io/v1"): ("ev", "true", "Event"),
    ("ingressclasses", "networking.k8s.io/v1"): ("", "false", "IngressClass"),
    ("ingresses", "networking.k8s.io/v1"): ("ing", "true", "Ingress"),
    ("networkpolicies", "networking.k8s.io/v1"): ("netpol", "true", "NetworkPolicy"),
    ("poddisruptionbudgets", "policy/v1"): ("pdb", "true", "PodDisruptionBudget"),
    ("clusterrolebindings", "rbac.authorization.k8s.io/v1"): ("", "false", "ClusterRoleBinding"),
    ("clusterroles", "rbac.authorization.k8s.io/v1"): ("", "false", "ClusterRole"),
    ("rolebindings", "rbac.authorization.k8s.io/v1"): ("", "true", "RoleBinding"),
    ("roles", "rbac.authorization.k8s.io/v1"): ("", "true", "Role"),
    ("priorityclasses", "scheduling.k8s.io/v1"): ("pc", "false", "PriorityClass"),
    ("storageclasses", "storage.k8s.io/v1"): ("sc", "false", "StorageClass"),
}
#: What the kit's lessons use: these must be served.
TAUGHT = {("pods", "v1"), ("services", "v1"), ("namespaces", "v1"), ("nodes", "v1"),
          ("configmaps", "v1"), ("secrets", "v1"), ("serviceaccounts", "v1"),
          ("events", "v1"), ("endpoints", "v1"), ("replicationcontrollers", "v1"),
          ("deployments", "apps/v1"), ("replicasets", "apps/v1"),
          ("endpointslices", "discovery.k8s.io/v1")}
REAL_GROUP_VERSIONS = {
    "admissionregistration.k8s.io/v1", "apiextensions.k8s.io/v1", "apiregistration.k8s.io/v1",
    "apps/v1", "authentication.k8s.io/v1", "authorization.k8s.io/v1", "autoscaling/v1",
    "autoscaling/v2", "batch/v1", "certificates.k8s.io/v1", "coordination.k8s.io/v1",
    "discovery.k8s.io/v1", "events.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "node.k8s.io/v1",
    "policy/v1", "rbac.authorization.k8s.io/v1", "scheduling.k8s.io/v1", "storage.k8s.io/v1",
    "v1"}
ALL_VERBS = "create,delete,deletecollection,get,list,patch,update,watch"


def test_version_client_and_server_without_skew_warning(kubectl: Kubectl) -> None:
    out = kubectl.ok("version")
    assert re.fullmatch(r"Client Version: v1\.32\.\d+(-dispatcher)?\n"
                        r"Kustomize Version: v5\.5\.0\n"
                        r"Server Version: v1\.32\.2\n", out), out


def test_version_as_json(kubectl: Kubectl) -> None:
    server = json.loads(kubectl.ok("version", "-o", "json"))["serverVersion"]
    assert server == {"major": "1", "minor": "32", "gitVersion": "v1.32.2",
                      "gitCommit": "67a30c0adcf52bd3f56ff0893ce19966be12991f",
                      "gitTreeState": "clean", "buildDate": "2025-02-12T21:19:47Z",
                      "goVersion": "go1.23.6", "compiler": "gc", "platform": "linux/amd64"}


def test_raw_version_is_indented_like_the_real_server(kubectl: Kubectl) -> None:
    out = kubectl.ok("get", "--raw", "/version")
    assert out.startswith('{\n  "major": "1",\n  "minor": "32",\n  "gitVersion": "v1.32.2",')
    assert out.endswith('\n  "platform": "linux/amd64"\n}')


def test_api_resources_rows_are_the_real_ones(kubectl: Kubectl) -> None:
    out = kubectl.ok("api-resources")
    assert out.startswith("NAME ")
    assert re.match(r"NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND\n", out)
    served = {}
    for row in columns(out):
        key = (row["NAME"], row["APIVERSION"])
        assert key not in served, f"{key} listed twice"
        served[key] = (row["SHORTNAMES"], row["NAMESPACED"], row["KIND"])
    for key, row in served.items():
        assert key in REAL_RESOURCES, f"{key} is not served by a real v1.32 server"
        assert row == REAL_RESOURCES[key], key
    assert TAUGHT <= set(served), TAUGHT - set(served)
    # kubectl sorts by group; within one, the server's (alphabetical) order shows.
    names = [r["NAME"] for r in columns(out) if r["APIVERSION"] == "v1"]
    assert names == sorted(names)


def test_api_resources_wide_verbs_and_categories(kubectl: Kubectl) -> None:
    rows = {(r["NAME"], r["APIVERSION"]): r for r in columns(kubectl.ok("api-resources",
                                                                          "-o", "wide"))}
    assert rows[("pods", "v1")]["VERBS"] == ALL_VERBS
    assert rows[("namespaces", "v1")]["VERBS"] == \
        "create,delete,get,list,patch,update,watch"
    for key in [("pods", "v1"), ("services", "v1"), ("replicationcontrollers", "v1"),
                ("deployments", "apps/v1"), ("replicasets", "apps/v1")]:
        assert rows[key]["CATEGORIES"] == "all", key
    for key in [("configmaps", "v1"), ("secrets", "v1"), ("events", "v1")]:
        assert rows[key]["CATEGORIES"] == "", key


def test_api_resources_filters(kubectl: Kubectl) -> None:
    cluster_scoped = kubectl.ok("api-resources", "--namespaced=false", "-o", "name").split()
    assert {"namespaces", "nodes"} <= set(cluster_scoped)
    assert "pods" not in cluster_scoped
    apps = kubectl.ok("api-resources", "--api-group=apps", "-o", "name").split()
    assert {"deployments.apps", "replicasets.apps"} <= set(apps)
    assert all(name.endswith(".apps") for name in apps)


def test_api_versions(kubectl: Kubectl) -> None:
    lines = kubectl.ok("api-versions").splitlines()
    assert lines == sorted(lines)
    assert set(lines) <= REAL_GROUP_VERSIONS, set(lines) - REAL_GROUP_VERSIONS
    assert {"v1", "apps/v1", "discovery.k8s.io/v1", "events.k8s.io/v1"} <= set(lines)


def test_cluster_info(kubectl: Kubectl, sim: object) -> None:
    url = sim.url  # type: ignore[attr-defined]
    out = kubectl.ok("cluster-info")
    # Not a terminal: no colours.
    assert out == (
        f"Kubernetes control plane is running at {url}\n"
        f"CoreDNS is running at {url}/api/v1/namespaces/kube-system/services/"
        "kube-dns:dns/proxy\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n")


def test_unknown_resource_type(kubectl: Kubectl) -> None:
    err = kubectl.fails("get", "widgets")
    assert err == 'error: the server doesn\'t have a resource type "widgets"\n'


# --- explain: the OpenAPI v3 documents -----------------------------------------------------

def test_explain_a_field_with_its_fields(kubectl: Kubectl) -> None:
    out = kubectl.ok("explain", "pod.spec.containers")
    head, _, fields = out.partition("FIELDS:\n")
    assert head.startswith("KIND:       Pod\nVERSION:    v1\n\n"
                           "FIELD: containers <[]Container>\n\n\nDESCRIPTION:\n    ")
    assert "List of containers belonging to the pod." in head
    # Each field: two spaces, name, a tab, its type; then its description, indented.
    found = re.findall(r"^  (\w+)\t<([^>]+)>( -required-)?\n", fields, re.M)
    by_name = {name: (type_, bool(required)) for name, type_, required in found}
    assert by_name["name"] == ("string", True)
    assert by_name["image"] == ("string", False)
    assert by_name["ports"] == ("[]ContainerPort", False)
    assert by_name["env"] == ("[]EnvVar", False)
    assert by_name["resources"] == ("ResourceRequirements", False)
    assert list(by_name) == sorted(by_name)
    image = fields.split("  image\t<string>\n", 1)[1].split("\n\n", 1)[0]
    assert image.startswith("    Container image name.")


def test_explain_recursive(kubectl: Kubectl) -> None:
    out = kubectl.ok("explain", "pod.spec.containers", "--recursive")
    fields = out.partition("FIELDS:\n")[2]
    assert "  env\t<[]EnvVar>\n    name\t<string> -required-\n    value\t<string>\n" \
           "    valueFrom\t<EnvVarSource>\n      configMapKeyRef\t<ConfigMapKeySelector>\n" \
           "        key\t<string> -required-\n" in fields
    assert "  ports\t<[]ContainerPort>\n    containerPort\t<integer> -required-\n" in fields
    # --recursive prints no descriptions.
    assert "Container image name" not in fields


def test_explain_a_kind_and_a_scalar(kubectl: Kubectl) -> None:
    out = kubectl.ok("explain", "deployments")
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
                          "DESCRIPTION:\n")
    assert re.search(r"^  spec\t<DeploymentSpec>\n", out, re.M)
    assert re.search(r"^  status\t<DeploymentStatus>\n", out, re.M)
    out = kubectl.ok("explain", "deploy.spec.replicas")
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
                          "FIELD: replicas <integer>\n\n\nDESCRIPTION:\n    ")
    assert "FIELDS:" not in out


def test_explain_an_unknown_field(kubectl: Kubectl) -> None:
    done = kubectl("explain", "pod.spec.nope")
    assert done.returncode == 1
    assert done.stderr == 'error: field "nope" does not exist\n'
