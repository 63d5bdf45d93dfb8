"""``serviceaccounts/NAME/token``: TokenRequest, what ``kubectl create token`` asks for.

The answer has a real token's shape, so that learners can take it apart as the lessons
do (``cut -d. -f2 | base64 -d``): a JWT of three base64url parts, with the claims a
kube-apiserver puts in (``iss``, ``sub: system:serviceaccount:NS:NAME``, ``aud``, ``exp``,
``iat``, ``nbf``, ``jti`` and the ``kubernetes.io`` claim naming the namespace, the service
account and any bound object).  It is not signed by any key and authenticates nothing: the
simulated API server accepts only its one bearer token, so a request made with this token
gets 401 Unauthorized.  Defaults and validation are the real ones (an hour unless
``expirationSeconds`` says otherwise, and no less than ten minutes).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timezone
from typing import Any

import orjson
from aiohttp import web

from kitlib.sim.apiserver import decoding, objects, paths
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.apiserver.respond import respond
from kitlib.sim.machinery import errors
from kitlib.sim.registry.base import ResourceType

JSON = dict[str, Any]

TOKEN_REQUEST = ResourceType(group="authentication.k8s.io", version="v1", kind="TokenRequest",
                             plural="tokenrequests", singular="tokenrequest", namespaced=True)
#: kubeadm's (and kind's) --service-account-issuer and --api-audiences.
ISSUER = "https://kubernetes.default.svc.cluster.local"
AUDIENCES = (ISSUER,)
DEFAULT_EXPIRATION = 3600                   # SetDefaults_TokenRequestSpec
MIN_EXPIRATION = 600                        # validation.MinTokenAgeSec
MAX_EXPIRATION = 1 << 32
BOUND_KINDS = {"Pod": "pods", "Secret": "secrets"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims: JSON, *, key_id: str) -> str:
    """header.payload.signature; the 'signature' is a digest of the rest (RS256-sized)."""
    head = b64url(orjson.dumps({"alg": "RS256", "kid": key_id}))
    body = b64url(orjson.dumps(claims, option=orjson.OPT_SORT_KEYS))
    digest = b"".join(hashlib.sha256(f"{i}.{head}.{body}".encode()).digest() for i in range(8))
    return f"{head}.{body}.{b64url(digest)}"


def validate(spec: JSON) -> None:
    """ValidateTokenRequest; the server reports its errors under the name ""."""
    seconds = spec.get("expirationSeconds")
    problems = []
    if seconds < MIN_EXPIRATION:
        problems.append(errors.invalid("spec.expirationSeconds", seconds,
                                       "may not specify a duration less than 10 minutes"))
    if seconds > MAX_EXPIRATION:
        problems.append(errors.invalid("spec.expirationSeconds", seconds,
                                       "may not specify a duration larger than 2^32 seconds"))
    if problems:
        raise errors.Invalid(kind="TokenRequest", group="authentication.k8s.io", name="",
                             errors=problems)


def _bound_claim(api: ApiContext, namespace: str, ref: JSON) -> tuple[str, JSON]:
    """The bound object's claim (``pod`` or ``secret``), after checking it exists."""
    kind, name = str(ref.get("kind") or ""), str(ref.get("name") or "")
    plural = BOUND_KINDS.get(kind)
    if plural is None:
        raise errors.BadRequest(f"cannot bind token to object of type {kind}")
    res = api.find("", "v1", plural)
    assert res is not None
    found = api.storage(res).get(namespace=namespace, name=name).object()
    uid = found["metadata"].get("uid", "")
    if ref.get("uid") and ref["uid"] != uid:
        raise errors.Conflict(resource=plural, name=name, detail=(
            f"the UID in the bound object reference ({ref['uid']}) does not match the UID "
            f"in record. The object might have been deleted and then recreated"))
    return kind.lower(), {"name": name, "uid": uid}


async def serve(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    if request.method != "POST":
        raise errors.MethodNotAllowed()
    namespace, name = info.namespace or "", info.name
    options = decoding.write_options(request, subresource="token")
    body = await decoding.read_object(request, api=api, res=TOKEN_REQUEST, options=options)
    meta = body.get("metadata") or {}
    if meta.get("name") and meta["name"] != name:
        raise errors.Invalid(kind="TokenRequest", group="authentication.k8s.io", name=name,
                             errors=[errors.invalid("metadata.name", meta["name"],
                                                    "must match the service account name if "
                                                    "specified")])
    if meta.get("namespace") and meta["namespace"] != namespace:
        raise errors.Invalid(kind="TokenRequest", group="authentication.k8s.io", name=name,
                             errors=[errors.invalid("metadata.namespace", meta["namespace"],
                                                    "must match the service account namespace "
                                                    "if specified")])
    spec = dict(body.get("spec") or {})
    spec["audiences"] = list(spec.get("audiences") or AUDIENCES)
    if spec.get("expirationSeconds") is None:
        spec["expirationSeconds"] = DEFAULT_EXPIRATION
    account = api.storage(res).get(namespace=namespace, name=name).object()
    validate(spec)
    claim: JSON = {"namespace": namespace,
                   "serviceaccount": {"name": name, "uid": account["metadata"].get("uid", "")}}
    ref = spec.get("boundObjectRef")
    if ref:
        key, bound = _bound_claim(api, namespace, ref)
        claim[key] = bound
    now = int(api.clock.time())
    expires = now + int(spec["expirationSeconds"])
    claims = {"aud": spec["audiences"], "exp": expires, "iat": now, "iss": ISSUER,
              "jti": api.clock.uid(), "kubernetes.io": claim, "nbf": now,
              "sub": f"system:serviceaccount:{namespace}:{name}"}
    key_id = b64url(hashlib.sha256(b"kit service account signing key").digest())
    spec.setdefault("boundObjectRef", None)
    answer = {
        "kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"name": name, "namespace": namespace,
                     "creationTimestamp": api.clock.timestamp()},
        "spec": spec,
        "status": {"token": jwt(claims, key_id=key_id),
                   "expirationTimestamp": _rfc3339(expires)},
    }
    return respond(answer, status=201, encoding=objects.wanted(request).encoding)


def _rfc3339(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
