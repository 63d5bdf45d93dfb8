"""kubectl create token, kubectl get --raw through nodes/NAME/proxy, and the quota and
limit-range tables, as a learner types them."""

from __future__ import annotations

import base64
import json
import re
import time

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import assert_table


def test_create_token_prints_a_jwt_for_the_account(kubectl: Kubectl, namespace: str) -> None:
    deadline = time.monotonic() + 10
    while not kubectl.ok("get", "sa", "-o", "name", namespace=namespace).strip():
        assert time.monotonic() < deadline, "no default service account"
        time.sleep(0.05)
    token = kubectl.ok("create", "token", "default", "--duration=20m",
                       namespace=namespace).strip()
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["sub"] == f"system:serviceaccount:{namespace}:default"
    assert claims["exp"] - claims["iat"] == 1200
    err = kubectl.fails("create", "token", "default", "--duration=1m", namespace=namespace)
    assert err == ('error: failed to create token: TokenRequest.authentication.k8s.io "" is '
                   'invalid: spec.expirationSeconds: Invalid value: 60: may not specify a '
                   'duration less than 10 minutes\n')


def test_raw_kubelet_endpoints_through_the_node_proxy(kubectl: Kubectl) -> None:
    node = kubectl.ok("get", "nodes", "-o", "name").split()[0].removeprefix("node/")
    assert kubectl.ok("get", "--raw", f"/api/v1/nodes/{node}/proxy/healthz") == "ok"
    pods = json.loads(kubectl.ok("get", "--raw", f"/api/v1/nodes/{node}/proxy/pods"))
    assert pods["kind"] == "PodList"
    config = json.loads(kubectl.ok("get", "--raw", f"/api/v1/nodes/{node}/proxy/configz"))
    assert config["kubeletconfig"]["maxPods"] == 110
    err = kubectl.fails("get", "--raw", f"/api/v1/nodes/{node}/proxy/stats/summary")
    assert err == "Error from server (NotFound): the server could not find the requested resource\n"


def test_quota_and_limit_range_tables(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("create", "quota", "q", "--hard=pods=10,limits.memory=1Gi", namespace=namespace)
    assert_table(kubectl.ok("get", "quota", namespace=namespace),
                 "NAME   AGE   REQUEST   LIMIT\nq      <age>              \n")
    kubectl.ok("create", "-f", "-", namespace=namespace, input=(
        "apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec:\n  limits:\n"
        "  - type: Container\n    default: {cpu: 500m}\n    max: {cpu: '1'}\n"))
    out = kubectl.ok("get", "limits", namespace=namespace)
    assert re.fullmatch(r"NAME   CREATED AT\nlr     \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", out), out
    described = kubectl.ok("describe", "namespace", namespace)
    assert "Resource Quotas\n  Name:     q\n" in described
    assert " Container  cpu       -    1    500m             500m           -\n" in described
