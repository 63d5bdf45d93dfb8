"""Talking to a running simulator over HTTPS, with the standard library only.

``kit status`` and ``kit up`` must answer quickly, so they neither import the simulator
nor the official client; one keep-alive ``http.client`` connection carries every request.
The server certificate is checked against the cluster's CA, as kubectl would check it, so
an answer also proves the kubeconfig is right.  Proxies are never used: it is on loopback.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
from typing import Any
from urllib.parse import urlsplit


class ApiError(Exception):
    """The API did not answer, or answered with an error status."""

    def __init__(self, message: str, *, status: int | None = None,
                 fatal: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.fatal = fatal or status == 401     # no point in asking again


class ApiConnection:
    """Authenticated GETs against one API server URL."""

    def __init__(self, url: str, *, token: str | None, ca_pem: bytes | None,
                 timeout: float = 5.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ApiError(f"unsupported API URL {url!r}")
        self.url = url
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._conn: http.client.HTTPConnection
        if parts.scheme == "https":
            try:
                context = ssl.create_default_context(
                    cadata=ca_pem.decode("ascii") if ca_pem else None)
            except (ssl.SSLError, ValueError) as exc:
                raise ApiError(f"the cluster's CA certificate is unusable: {exc}") from None
            self._conn = http.client.HTTPSConnection(parts.hostname, parts.port or 443,
                                                     timeout=timeout, context=context)
        else:
            self._conn = http.client.HTTPConnection(parts.hostname, parts.port or 80,
                                                    timeout=timeout)

    def get(self, path: str) -> tuple[int, Any]:
        """The status code and decoded JSON body (the raw text if it is not JSON)."""
        try:
            self._conn.request("GET", path, headers=self._headers)
            response = self._conn.getresponse()
            body = response.read()
        except ssl.SSLCertVerificationError as exc:
            self._conn.close()
            raise ApiError(f"the server's certificate is not trusted: {exc.verify_message}",
                           fatal=True) from None
        except (OSError, http.client.HTTPException) as exc:
            self._conn.close()
            raise ApiError(_describe(exc)) from None
        text = body.decode("utf-8", "replace")
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text

    def get_json(self, path: str) -> Any:
        """The decoded body of a successful GET; ApiError for any other status."""
        status, body = self.get(path)
        if status != 200:
            message = body.get("message") if isinstance(body, dict) else None
            raise ApiError(f"GET {path}: {status} {message or ''}".strip(), status=status)
        return body

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ApiConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def probe(url: str, *, token: str, ca_pem: bytes | None, timeout: float = 2.0) -> None:
    """Raise ApiError unless an authenticated ``GET /readyz`` answers 200."""
    with ApiConnection(url, token=token, ca_pem=ca_pem, timeout=timeout) as api:
        status, body = api.get("/readyz")
    if status != 200:
        raise ApiError(f"GET /readyz answered {status}: {str(body).strip()[:200]}",
                       status=status)


def wait_ready(url: str, *, token: str, ca_pem: bytes | None, timeout: float) -> None:
    """Probe until the API answers or ``timeout`` seconds have passed (then the last error)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return probe(url, token=token, ca_pem=ca_pem, timeout=max(0.5, min(2.0, timeout)))
        except ApiError as exc:
            if exc.fatal or time.monotonic() >= deadline:
                raise
        time.sleep(0.02)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
