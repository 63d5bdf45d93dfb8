"""The kubelet's own HTTP endpoints, as ``nodes/NAME/proxy/PATH`` reaches them.

A real kube-apiserver proxies ``/api/v1/nodes/NODE/proxy/PATH`` to
``https://NODE_IP:10250/PATH``: the kubelet's server, whose debugging endpoints lessons
use to look at a node from the inside.  The simulated kubelet answers the ones a learner
meets: ``/healthz`` (``ok``), ``/pods`` (the pods bound to the node, as a PodList) and
``/configz`` (its configuration).  Every other path gets what Go's mux answers for a path
it does not serve: 404 with ``404 page not found``.  (The real kubelet also serves
``/stats/summary``, ``/metrics`` and the node's logs; the simulated one has no such data
and answers them with that 404 too.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson

from kitlib.sim.apiserver.connector import ProxiedRequest, ProxiedResponse
from kitlib.sim.kubelet.kubeletconfig import configz
from kitlib.sim.machinery import fields

if TYPE_CHECKING:
    from kitlib.sim.kubelet.kubelet import Kubelet

JSON = dict[str, Any]

TEXT = (("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff"))
JSON_TYPE = (("Content-Type", "application/json"),)


def not_found() -> ProxiedResponse:
    return ProxiedResponse(status=404, reason="Not Found", headers=TEXT,
                           body=b"404 page not found\n")


def _json(body: Any) -> ProxiedResponse:
    return ProxiedResponse(status=200, reason="OK", headers=JSON_TYPE, body=orjson.dumps(body))


def pod_list(kubelet: Kubelet) -> JSON:
    """The kubelet's pod manager: every pod bound to this node, with the status the
    kubelet last reported for it."""
    # An escaped value: a node's name is a DNS subdomain, with nothing to escape.
    on_node = fields.parse(f"spec.nodeName={kubelet.identity.name}",
                           supported=("spec.nodeName",))
    items = kubelet.client.list("pods", fields=on_node)
    items.sort(key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"]))
    return {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": items}


def serve(kubelet: Kubelet, request: ProxiedRequest) -> ProxiedResponse:
    """One request to the kubelet's port 10250."""
    path = urlsplit(request.target).path
    if request.method not in ("GET", "HEAD"):
        # The kubelet's read-only endpoints are GET routes: others do not match them.
        return not_found() if path not in ("/healthz", "/pods", "/configz") else \
            ProxiedResponse(status=405, reason="Method Not Allowed", headers=TEXT,
                            body=b"405: Method Not Allowed\n")
    if path == "/healthz":
        return ProxiedResponse(status=200, reason="OK", headers=TEXT, body=b"ok")
    if path == "/pods":
        return _json(pod_list(kubelet))
    if path == "/configz":
        return _json(configz(kubelet.identity))
    return not_found()
