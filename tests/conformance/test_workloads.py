"""Conformance rows for the docs' controllers: ReplicaSet, Deployment, ReplicationController,
and the application tutorial's apply, update and scale of one Deployment."""

from __future__ import annotations

import json
import re

from tests.conformance.conftest import (apply, jsonpath, make_namespace, reasons_and_messages,
                                        row, rows, wait_for)
from tests.kubectl.conftest import Kubectl


def pods(kubectl: Kubectl, *selector: str, namespace: str) -> list[dict[str, str]]:
    return rows(kubectl, "pods", *selector, namespace=namespace)


def all_running(found: list[dict[str, str]], count: int) -> bool:
    return len(found) == count and all(p["STATUS"] == "Running" and p["READY"] == "1/1"
                                       for p in found)


def owners(kubectl: Kubectl, *, namespace: str) -> dict[str, list[dict[str, object]]]:
    """Each pod's ownerReferences, by pod name."""
    listed = json.loads(kubectl.ok("get", "pods", "-o", "json", namespace=namespace))
    return {p["metadata"]["name"]: p["metadata"].get("ownerReferences", [])
            for p in listed["items"]}


def controlled_by(references: list[dict[str, object]], kind: str, name: str) -> bool:
    return [(r["kind"], r["name"], r.get("controller")) for r in references] == \
        [(kind, name, True)]


def rs_is(kubectl: Kubectl, name: str, desired: str, *, namespace: str) -> bool:
    found = row(kubectl, "replicaset", name, namespace=namespace)
    return (found["DESIRED"], found["CURRENT"], found["READY"]) == (desired,) * 3


def test_frontend_replicaset(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "frontend")
    apply(kubectl, "controllers/frontend.yaml", namespace=ns)
    wait_for(lambda: rs_is(kubectl, "frontend", "3", namespace=ns), what="3/3/3")
    found = wait_for(lambda: all_running(pods(kubectl, namespace=ns), 3)
                     and pods(kubectl, namespace=ns), what="3 pods Running")
    assert all(re.fullmatch(r"frontend-[a-z0-9]{5}", p["NAME"]) for p in found), found
    assert all(controlled_by(refs, "ReplicaSet", "frontend")
               for refs in owners(kubectl, namespace=ns).values())


def test_pod_rs_after_frontend(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "pod-rs-after")
    apply(kubectl, "controllers/frontend.yaml", namespace=ns)
    wait_for(lambda: rs_is(kubectl, "frontend", "3", namespace=ns), what="3/3/3")
    assert apply(kubectl, "pods/pod-rs.yaml", namespace=ns) == \
        "pod/pod1 created\npod/pod2 created\n"
    # The ReplicaSet has its 3 already: it takes the two and deletes them at once.
    deleted = wait_for(lambda: sorted(m for r, m in reasons_and_messages(
        kubectl, "frontend", namespace=ns) if r == "SuccessfulDelete"), what="deletions")
    assert deleted == ["Deleted pod: pod1", "Deleted pod: pod2"]
    found = wait_for(lambda: all_running(pods(kubectl, namespace=ns), 3)
                     and pods(kubectl, namespace=ns), what="only the 3 of the ReplicaSet")
    assert all(p["NAME"].startswith("frontend-") for p in found), found
    assert rs_is(kubectl, "frontend", "3", namespace=ns)


def test_pod_rs_before_frontend(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "pod-rs-before")
    apply(kubectl, "pods/pod-rs.yaml", namespace=ns)
    wait_for(lambda: all_running(pods(kubectl, namespace=ns), 2), what="pod1, pod2 Running")
    apply(kubectl, "controllers/frontend.yaml", namespace=ns)
    wait_for(lambda: rs_is(kubectl, "frontend", "3", namespace=ns), what="3/3/3")
    found = pods(kubectl, namespace=ns)
    names = sorted(p["NAME"] for p in found)
    assert names[1:] == ["pod1", "pod2"] and re.fullmatch(r"frontend-[a-z0-9]{5}", names[0])
    assert all(controlled_by(refs, "ReplicaSet", "frontend")
               for refs in owners(kubectl, namespace=ns).values())
    created = [m for r, m in reasons_and_messages(kubectl, "frontend", namespace=ns)
               if r == "SuccessfulCreate"]
    assert created == [f"Created pod: {names[0]}"]


def test_nginx_deployment(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "nginx-deployment")
    apply(kubectl, "controllers/nginx-deployment.yaml", namespace=ns)
    status = kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=60s",
                        namespace=ns, timeout=90)
    assert status.endswith('deployment "nginx-deployment" successfully rolled out\n')
    (rs,) = rows(kubectl, "replicasets", namespace=ns)
    digest = rs["NAME"].removeprefix("nginx-deployment-")
    assert re.fullmatch(r"[a-z0-9]{8,10}", digest) and (rs["DESIRED"], rs["READY"]) == ("3", "3")
    labelled = wait_for(lambda: all_running(found := pods(
        kubectl, "-l", f"pod-template-hash={digest}", namespace=ns), 3) and found,
        what="3 pods carrying pod-template-hash")
    assert all(p["NAME"].startswith(f"nginx-deployment-{digest}-") for p in labelled)

    kubectl.ok("set", "image", "deployment/nginx-deployment", "nginx=nginx:1.16.1",
               namespace=ns)
    kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=60s",
               namespace=ns, timeout=90)
    history = kubectl.ok("rollout", "history", "deployment/nginx-deployment", namespace=ns)
    assert re.fullmatch(r"deployment\.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n"
                        r"1         <none>\n2         <none>\n\n", history), history
    assert kubectl.ok("rollout", "undo", "deployment/nginx-deployment", namespace=ns) == \
        "deployment.apps/nginx-deployment rolled back\n"
    kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=60s",
               namespace=ns, timeout=90)
    assert jsonpath(kubectl, "deployment", "nginx-deployment",
                    "{.spec.template.spec.containers[0].image}", namespace=ns) == "nginx:1.14.2"
    # Undoing re-uses revision 1's ReplicaSet, which becomes revision 3.
    history = kubectl.ok("rollout", "history", "deployment/nginx-deployment", namespace=ns)
    assert re.findall(r"^(\d+) ", history, re.M) == ["2", "3"], history
    assert [r["NAME"] for r in rows(kubectl, "replicasets", namespace=ns)
            if r["DESIRED"] != "0"] == [rs["NAME"]]
    assert kubectl.ok("scale", "deployment/nginx-deployment", "--replicas=10",
                      namespace=ns) == "deployment.apps/nginx-deployment scaled\n"
    wait_for(lambda: row(kubectl, "deployment", "nginx-deployment", namespace=ns)["READY"]
             == "10/10", what="10/10")
    found = wait_for(lambda: all_running(found := pods(kubectl, namespace=ns), 10) and found,
                     what="10 pods")
    assert all(p["NAME"].startswith(f"nginx-deployment-{digest}-") for p in found)


def test_replication_controller(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "replication")
    apply(kubectl, "controllers/replication.yaml", namespace=ns)

    def described() -> str:
        text = kubectl.ok("describe", "rc", "nginx", namespace=ns)
        return text if "\nPods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" \
            in text else ""

    text = wait_for(described, what="Pods Status: 3 Running")
    assert "\nReplicas:     3 current / 3 desired\n" in text
    assert all_running(pods(kubectl, "-l", "app=nginx", namespace=ns), 3)


def test_application_deployment_update_scale(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "application")

    def settled(image: str, count: int) -> list[dict[str, str]] | None:
        found = rows(kubectl, "pods", namespace=ns)
        images = kubectl.ok("get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}",
                            namespace=ns).split()
        return found if all_running(found, count) and images == [image] * count else None

    assert apply(kubectl, "application/deployment.yaml", namespace=ns) == \
        "deployment.apps/nginx-deployment created\n"
    wait_for(lambda: settled("nginx:1.14.2", 2), what="2 pods of nginx:1.14.2")
    (first,) = rows(kubectl, "replicasets", namespace=ns)

    assert apply(kubectl, "application/deployment-update.yaml", namespace=ns) == \
        "deployment.apps/nginx-deployment configured\n"
    kubectl.ok("rollout", "status", "deployment/nginx-deployment", "--timeout=60s",
               namespace=ns, timeout=90)
    wait_for(lambda: settled("nginx:1.16.1", 2), what="2 pods of nginx:1.16.1")
    sets = {r["NAME"]: r for r in rows(kubectl, "replicasets", namespace=ns, wide=True)}
    assert sets.pop(first["NAME"])["DESIRED"] == "0"            # the old one, scaled to 0
    ((second, new),) = sets.items()
    assert (new["DESIRED"], new["READY"], new["IMAGES"]) == ("2", "2", "nginx:1.16.1")

    apply(kubectl, "application/deployment-scale.yaml", namespace=ns)
    wait_for(lambda: settled("nginx:1.16.1", 4), what="4 pods of nginx:1.16.1")
    assert row(kubectl, "replicaset", second, namespace=ns)["DESIRED"] == "4"
    assert row(kubectl, "deployment", "nginx-deployment", namespace=ns)["READY"] == "4/4"


def test_nginx_app(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "nginx-app")
    assert apply(kubectl, "application/nginx-app.yaml", namespace=ns) == \
        "service/my-nginx-svc created\ndeployment.apps/my-nginx created\n"
    wait_for(lambda: row(kubectl, "deployment", "my-nginx", namespace=ns)["READY"] == "3/3",
             what="my-nginx 3/3")
    service = row(kubectl, "service", "my-nginx-svc", namespace=ns)
    assert (service["TYPE"], service["EXTERNAL-IP"]) == ("LoadBalancer", "<pending>")
    assert re.fullmatch(r"80:3\d{4}/TCP", service["PORT(S)"]), service
    assert jsonpath(kubectl, "service", "my-nginx-svc", "{.status.loadBalancer}",
                    namespace=ns) == "{}"
