"""GET pods/NAME/log against a scripted node: options, validation and the real messages."""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client

from tests.api.nodefakes import FakeConnector
from tests.api.streamfixtures import bound_pod, create_running, fake
from tests.conftest import Http, assert_status

__all__ = ["fake"]


@pytest.fixture(scope="module")
def pods(sim: Any, api_client: Any, fake: FakeConnector) -> str:
    namespace = "logs"
    core = client.CoreV1Api(api_client)
    core.create_namespace({"metadata": {"name": namespace}})
    create_running(api_client, namespace, bound_pod("one"))
    create_running(api_client, namespace, bound_pod("two", "app", "waiting"))
    unbound = bound_pod("pending")
    del unbound["spec"]["nodeName"]
    unbound["spec"]["schedulerName"] = "nobody"
    core.create_namespaced_pod(namespace, unbound)
    core.create_namespaced_pod(namespace, bound_pod("lost", node="gone"))
    return namespace


def log_path(namespace: str, pod: str, query: str = "") -> str:
    return f"/api/v1/namespaces/{namespace}/pods/{pod}/log" + (f"?{query}" if query else "")


def test_log_is_plain_text(http: Http, pods: str) -> None:
    response = http.get(log_path(pods, "one"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain"
    assert response.text == "".join(f"line {i}\n" for i in range(1, 6))


def test_options_reach_the_kubelet(http: Http, pods: str, fake: FakeConnector) -> None:
    query = "tailLines=2&timestamps=true&limitBytes=100&sinceTime=2023-11-14T22:13:20Z" \
            "&follow=false&previous=1&insecureSkipTLSVerifyBackend=true"
    assert http.get(log_path(pods, "one", query)).text == \
        "2023-11-14T22:13:24Z line 4\n2023-11-14T22:13:25Z line 5\n"
    options = fake.log_options[-1]
    assert (options.tail_lines, options.timestamps, options.limit_bytes, options.previous,
            options.follow) == (2, True, 100, True, False)
    assert options.since_time == 1700000000.0 and options.since_seconds is None
    http.get(log_path(pods, "one", "sinceSeconds=30"))
    assert fake.log_options[-1].since_seconds == 30


def test_invalid_options_are_422_with_field_messages(http: Http, pods: str) -> None:
    body = assert_status(http.get(log_path(pods, "one", "tailLines=-1")), 422, "Invalid")
    assert body["message"] == 'PodLogOptions "one" is invalid: tailLines: Invalid value: -1: ' \
                              'must be greater than or equal to 0'
    body = assert_status(http.get(log_path(pods, "one", "limitBytes=0&sinceSeconds=0")),
                         422, "Invalid")
    assert body["message"] == 'PodLogOptions "one" is invalid: [limitBytes: Invalid value: 0: ' \
                              'must be greater than 0, sinceSeconds: Invalid value: 0: must ' \
                              'be greater than 0]'
    body = assert_status(http.get(log_path(
        pods, "one", "sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z")), 422, "Invalid")
    assert body["message"] == 'PodLogOptions "one" is invalid: : Forbidden: at most one of ' \
                              '`sinceTime` or `sinceSeconds` may be specified'
    assert body["details"]["kind"] == "PodLogOptions"


def test_unparsable_options_are_400(http: Http, pods: str) -> None:
    body = assert_status(http.get(log_path(pods, "one", "tailLines=ten")), 400, "BadRequest")
    assert body["message"] == 'strconv.ParseInt: parsing "ten": invalid syntax'
    body = assert_status(http.get(log_path(pods, "one", "follow=yes")), 400, "BadRequest")
    assert body["message"] == 'strconv.ParseBool: parsing "yes": invalid syntax'
    body = assert_status(http.get(log_path(pods, "one", "sinceTime=yesterday")), 400,
                         "BadRequest")
    assert body["message"].startswith('parsing time "yesterday" as "2006-01-02T15:04:05Z07:00"')


def test_container_choice_and_kubelet_refusals(http: Http, pods: str) -> None:
    body = assert_status(http.get(log_path(pods, "two")), 400, "BadRequest")
    assert body["message"] == "a container name must be specified for pod two, choose one " \
                              "of: [app waiting]"
    body = assert_status(http.get(log_path(pods, "two", "container=waiting")), 400,
                         "BadRequest")
    assert body["message"] == 'container "waiting" in pod "two" is waiting to start: ' \
                              'ContainerCreating'
    assert http.get(log_path(pods, "two", "container=app")).text.startswith("app line 1\n")
    assert_status(http.get(log_path(pods, "ghost")), 404, "NotFound")
    assert_status(http.post(log_path(pods, "one"), {}), 405, "MethodNotAllowed")


def test_unbound_pod_has_an_empty_log(http: Http, pods: str) -> None:
    response = http.get(log_path(pods, "pending"))
    assert (response.status_code, response.text) == (200, "")


def test_unreachable_kubelet(http: Http, pods: str) -> None:
    body = assert_status(http.get(log_path(pods, "lost", "tailLines=1")), 503,
                         "ServiceUnavailable")
    assert body["message"] == f'Get "https://gone:10250/containerLogs/{pods}/lost/main?' \
                              'tailLines=1": dial tcp 172.18.0.9:10250: connect: connection ' \
                              'refused'


def test_python_client_reads_and_follows(api_client: Any, pods: str) -> None:
    core = client.CoreV1Api(api_client)
    assert core.read_namespaced_pod_log("one", pods, tail_lines=1) == "line 5\n"
    stream = core.read_namespaced_pod_log("one", pods, follow=True, _preload_content=False)
    lines = [line.decode() for line in stream.stream()]
    assert "".join(lines).endswith("line 5\nfollowed 0\nfollowed 1\nfollowed 2\n")
