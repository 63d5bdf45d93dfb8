"""Containers that crash, run out of memory or hang, and images that will not pull, on
demand: POST /kit/v1/namespaces/{ns}/pods/{pod}[/containers/{c}]/failure and /kit/v1/images.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Http, assert_status
from tests.control.steps import (advance, container_status, make_pod, pod, running,
                                 wait_for)


def _failure(namespace: str, name: str, container: str | None = "main") -> str:
    path = f"/kit/v1/namespaces/{namespace}/pods/{name}"
    return path + (f"/containers/{container}" if container else "") + "/failure"


def _events(http: Http, namespace: str, name: str) -> list[str]:
    items = http.get(f"/api/v1/namespaces/{namespace}/events",
                     params={"fieldSelector": f"involvedObject.name={name}"}).json()["items"]
    return [e["message"] for e in items]


def test_a_crash_restarts_the_container(http: Http, namespace: str) -> None:
    make_pod(http, namespace, "victim")
    wait_for(lambda: running(http, namespace, "victim"), what="Running")
    answer = http.post(_failure(namespace, "victim"), {"action": "crash", "exitCode": 3})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"namespace": namespace, "pod": "victim", "container": "main",
                             "node": "kit-worker", "action": "crash", "exitCode": 3,
                             "reason": "Error"}
    wait_for(lambda: container_status(http, namespace, "victim").get("restartCount") == 1,
             what="a restart")
    last = container_status(http, namespace, "victim")["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (3, "Error")
    wait_for(lambda: running(http, namespace, "victim"), what="Running again")

    answer = http.post(_failure(namespace, "victim"), {"action": "oom"})
    assert answer.json()["exitCode"] == 137 and answer.json()["reason"] == "OOMKilled"
    # A second exit so soon: the kubelet backs off before restarting it.
    wait_for(lambda: container_status(http, namespace, "victim")["state"].get("waiting"),
             what="CrashLoopBackOff")
    last = container_status(http, namespace, "victim")["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (137, "OOMKilled")
    body = assert_status(http.post(_failure(namespace, "victim"), {"action": "crash"}),
                         400, "BadRequest")
    assert body["message"] == ('container "main" in pod "victim" is waiting to start: '
                               "CrashLoopBackOff")
    advance(http, 11)
    wait_for(lambda: container_status(http, namespace, "victim").get("restartCount") == 2,
             what="restarted after the back-off")


def test_the_default_container_is_the_annotated_one(http: Http, namespace: str) -> None:
    body = {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "pair", "annotations": {
                "kubectl.kubernetes.io/default-container": "sidecar"}},
            "spec": {"nodeName": "kit-worker", "containers": [
                {"name": "main", "image": "nginx:1.25"},
                {"name": "sidecar", "image": "redis"}]}}
    assert http.post(f"/api/v1/namespaces/{namespace}/pods", body).status_code == 201
    wait_for(lambda: running(http, namespace, "pair", "sidecar"), what="Running")
    answer = http.post(_failure(namespace, "pair", None), {"action": "crash", "exitCode": 0})
    assert answer.json()["container"] == "sidecar"
    assert answer.json()["reason"] == "Completed"
    wait_for(lambda: container_status(http, namespace, "pair", "sidecar").get(
        "restartCount") == 1, what="the sidecar restarted")
    assert container_status(http, namespace, "pair", "main")["restartCount"] == 0


def test_a_hung_container_holds_its_pod_for_the_grace_period(http: Http,
                                                              namespace: str) -> None:
    make_pod(http, namespace, "stuck")
    wait_for(lambda: running(http, namespace, "stuck"), what="Running")
    answer = http.post(_failure(namespace, "stuck"), {"action": "hang"})
    assert answer.json()["action"] == "hang"
    http.delete(f"/api/v1/namespaces/{namespace}/pods/stuck",
                params={"gracePeriodSeconds": "20"})
    wait_for(lambda: "Stopping container main" in _events(http, namespace, "stuck"),
             what="Killing")
    advance(http, 10)
    assert http.get(f"/api/v1/namespaces/{namespace}/pods/stuck").status_code == 200
    advance(http, 11)
    wait_for(lambda: http.get(f"/api/v1/namespaces/{namespace}/pods/stuck").status_code
             == 404, what="the pod gone at the grace period's end")


def test_unhang_lets_it_stop_at_once(http: Http, namespace: str) -> None:
    make_pod(http, namespace, "calm")
    wait_for(lambda: running(http, namespace, "calm"), what="Running")
    http.post(_failure(namespace, "calm"), {"action": "hang"})
    assert http.post(_failure(namespace, "calm"), {"action": "unhang"}).json()["action"] \
        == "unhang"
    http.delete(f"/api/v1/namespaces/{namespace}/pods/calm",
                params={"gracePeriodSeconds": "600"})
    wait_for(lambda: http.get(f"/api/v1/namespaces/{namespace}/pods/calm").status_code
             == 404, what="the pod gone without waiting")


def test_an_image_failure_makes_new_pods_err_image_pull(http: Http, namespace: str) -> None:
    answer = http.post("/kit/v1/images", {"image": "nginx:1.99", "fail": True,
                                          "message": "registry down for the lesson"})
    assert answer.json() == {"image": "nginx:1.99", "fail": True,
                             "message": "registry down for the lesson"}
    try:
        make_pod(http, namespace, "unlucky", image="nginx:1.99")
        wait_for(lambda: "Error: ErrImagePull" in _events(http, namespace, "unlucky"),
                 what="ErrImagePull")
        assert ('Failed to pull image "nginx:1.99": registry down for the lesson'
                in _events(http, namespace, "unlucky"))
        wait_for(lambda: container_status(http, namespace, "unlucky").get("state", {}).get(
            "waiting", {}).get("reason") in ("ErrImagePull", "ImagePullBackOff"),
            what="the status to follow")
        body = assert_status(http.post(_failure(namespace, "unlucky"), {"action": "crash"}),
                             400, "BadRequest")
        assert body["message"].startswith(
            'container "main" in pod "unlucky" is waiting to start: ')
        make_pod(http, namespace, "other-tag", image="nginx:1.98")
        wait_for(lambda: running(http, namespace, "other-tag"), what="another tag pulls")
    finally:
        answer = http.post("/kit/v1/images", {"image": "nginx:1.99", "fail": False})
    assert answer.json() == {"image": "nginx:1.99", "fail": False}
    make_pod(http, namespace, "lucky", image="nginx:1.99")
    wait_for(lambda: running(http, namespace, "lucky"), what="pulls once allowed")


def test_failing_a_repository_fails_every_tag_until_cleared(http: Http,
                                                            namespace: str) -> None:
    http.post("/kit/v1/images", {"image": "docker.io/library/httpd"})
    try:
        make_pod(http, namespace, "any-tag", image="httpd:2.4.99")
        wait_for(lambda: "Error: ErrImagePull" in _events(http, namespace, "any-tag"),
                 what="ErrImagePull")
    finally:
        assert http.post("/kit/v1/images", {"fail": False}).json() == {"image": None,
                                                                       "fail": False}
    make_pod(http, namespace, "cleared", image="httpd:2.4.98")
    wait_for(lambda: running(http, namespace, "cleared"), what="pulls once cleared")


def test_refusals(http: Http, namespace: str) -> None:
    body = assert_status(http.post(_failure(namespace, "nope"), {"action": "crash"}),
                         404, "NotFound")
    assert body["message"] == 'pods "nope" not found'
    assert body["details"] == {"name": "nope", "kind": "pods"}
    make_pod(http, namespace, "here")
    wait_for(lambda: running(http, namespace, "here"), what="Running")
    body = assert_status(http.post(_failure(namespace, "here", "other"), {"action": "crash"}),
                         400, "BadRequest")
    assert body["message"] == "container other is not valid for pod here"
    for answer, message in (
            ({"action": "explode"},
             'unknown action "explode": use one of "crash", "oom", "hang", "unhang"'),
            ({"action": "crash", "exitCode": 256},
             "exitCode must be a whole number from 0 to 255, not 256"),
            ({"action": "crash", "exitCode": "1"},
             'exitCode must be a whole number from 0 to 255, not "1"'),
            ({"action": "oom", "exitCode": 1}, 'unknown field "exitCode": expected "action"')):
        body = assert_status(http.post(_failure(namespace, "here"), answer), 400, "BadRequest")
        assert body["message"] == message
    assert_status(http.get(_failure(namespace, "here")), 405, "MethodNotAllowed")
    assert container_status(http, namespace, "here")["restartCount"] == 0

    make_pod(http, namespace, "nowhere", node=None,
             nodeSelector={"kubernetes.io/hostname": "no-such-node"})
    body = assert_status(http.post(_failure(namespace, "nowhere"), {"action": "crash"}),
                         400, "BadRequest")
    assert body["message"] == "pod nowhere does not have a host assigned"


def test_a_container_that_has_exited_is_not_found(http: Http, namespace: str) -> None:
    make_pod(http, namespace, "done", image="busybox", restartPolicy="Never")
    wait_for(lambda: pod(http, namespace, "done")["status"].get("phase") == "Succeeded",
             what="Succeeded")
    body = assert_status(http.post(_failure(namespace, "done"), {"action": "crash"}),
                         404, "NotFound")
    assert body["message"] == 'container not found ("main")'


def test_image_refusals(http: Http) -> None:
    for answer, message in (
            ({"image": "Nginx"}, 'invalid image "Nginx": invalid reference format: '
                                 "repository name (library/Nginx) must be lowercase"),
            ({}, 'image is required: e.g. {"image": "nginx:1.99"}'),
            ({"image": "nginx", "fail": "yes"}, 'fail must be true or false, not "yes"'),
            ({"image": "nginx", "reason": "x"},
             'unknown field "reason": expected "image", "fail", "message"')):
        body = assert_status(http.post("/kit/v1/images", answer), 400, "BadRequest")
        assert body["message"] == message
    assert_status(http.get("/kit/v1/images"), 405, "MethodNotAllowed")
