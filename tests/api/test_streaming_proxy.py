"""services/NAME/proxy and pods/NAME/proxy against a scripted network: paths, headers,
rewriting and the real errors."""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client

from tests.api.nodefakes import FakeConnector
from tests.api.streamfixtures import fake
from tests.conftest import Http, assert_status

__all__ = ["fake"]


@pytest.fixture(scope="module")
def ns(api_client: Any, fake: FakeConnector) -> str:
    client.CoreV1Api(api_client).create_namespace({"metadata": {"name": "proxying"}})
    return "proxying"


def svc(ns: str, rest: str) -> str:
    return f"/api/v1/namespaces/{ns}/services/{rest}"


def test_path_query_and_headers_reach_the_backend(http: Http, ns: str,
                                                  fake: FakeConnector) -> None:
    response = http.get(svc(ns, "web:80/proxy/a//b/../c/?q=1&r=%2F"),
                        headers={"X-Custom": "yes", "Connection": "close, X-Drop",
                                 "X-Drop": "gone"})
    assert response.status_code == 200 and response.headers["X-Backend"] == "services/web"
    target, request = fake.requests[-1]
    assert target == "services/web:80"
    assert request.method == "GET" and request.target == "/a/c/?q=1&r=%2F"
    headers = dict(request.headers)
    assert headers["X-Custom"] == "yes"
    assert "Authorization" not in headers and "X-Drop" not in headers
    assert headers["X-Forwarded-Uri"] == f"/api/v1/namespaces/{ns}/services/web:80/proxy/a/c/"
    assert headers["X-Forwarded-For"] == "127.0.0.1"


def test_every_method_with_its_body(http: Http, ns: str, fake: FakeConnector) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        response = http.request(method, svc(ns, "https:web:443/proxy/items"), data=b"payload")
        assert response.status_code == 200, response.text
        assert response.text.startswith(f"{method} /items\n")
        assert response.text.endswith("\npayload")
    assert fake.requests[-1][0] == "services/web:443"
    head = http.request("HEAD", svc(ns, "web/proxy/"))
    assert head.status_code == 200 and head.text == ""
    assert_status(http.request("TRACE", svc(ns, "web/proxy/")), 405, "MethodNotAllowed")


def test_bare_proxy_path_redirects_to_a_slash(http: Http, ns: str) -> None:
    response = http.get(svc(ns, "web:80/proxy?x=1"), allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == f"/api/v1/namespaces/{ns}/services/web:80/proxy/?x=1"
    assert http.post(svc(ns, "web:80/proxy"), data=b"").text.startswith("POST /\n")


def test_links_and_redirects_stay_in_the_proxy(http: Http, ns: str) -> None:
    prefix = f"/api/v1/namespaces/{ns}/pods/one:8080/proxy"
    page = http.get(f"/api/v1/namespaces/{ns}/pods/one:8080/proxy/page")
    assert page.text == f'<html><body><a href="{prefix}/docs/">docs</a> <img src="logo.png">' \
                        '<a href="http://example.com/x">x</a></body></html>'
    assert "Access-Control-Allow-Origin" not in page.headers
    moved = http.get(f"{prefix}/redirect", allow_redirects=False)
    assert moved.status_code == 301 and moved.headers["Location"] == f"{prefix}/elsewhere/"


def test_errors(http: Http, ns: str) -> None:
    body = assert_status(http.get(svc(ns, "web:81/proxy/")), 503, "ServiceUnavailable")
    assert body["message"] == "error trying to reach service: dial tcp 10.244.1.5:81: " \
                              "connect: connection refused"
    body = assert_status(http.get(svc(ns, "ftp:web:21/proxy/")), 400, "BadRequest")
    assert body["message"] == 'invalid service request "ftp:web:21"'
    body = assert_status(http.get(f"/api/v1/namespaces/{ns}/pods/a:b:c:d/proxy/"), 400,
                         "BadRequest")
    assert body["message"] == 'invalid pod request "a:b:c:d"'


def test_python_client_proxy_with_path(api_client: Any, ns: str) -> None:
    core = client.CoreV1Api(api_client)
    text = core.connect_get_namespaced_service_proxy_with_path("web:80", ns, "healthz")
    assert text.startswith("GET /healthz\n")
    text = core.connect_post_namespaced_pod_proxy_with_path("one", ns, "submit")
    assert text.startswith("POST /submit\n")
