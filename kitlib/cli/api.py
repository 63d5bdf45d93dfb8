"""Talking to a running simulator over HTTP, with the standard library only.

``kit status`` and ``kit up`` must answer quickly, so they neither import the simulator
nor the official client; one keep-alive ``http.client`` connection carries every request.
Proxies are never used: the simulator is on loopback.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit


class ApiError(Exception):
    """The API did not answer, or answered with an error status."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ApiConnection:
    """Authenticated GETs against one API server URL."""

    def __init__(self, url: str, *, token: str | None, timeout: float = 5.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ApiError(f"unsupported API URL {url!r}")
        self.url = url
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._conn = http.client.HTTPConnection(parts.hostname, parts.port or 80,
                                                timeout=timeout)

    def get(self, path: str) -> tuple[int, Any]:
        """The status code and decoded JSON body (the raw text if it is not JSON)."""
        try:
            self._conn.request("GET", path, headers=self._headers)
            response = self._conn.getresponse()
            body = response.read()
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


def probe(url: str, *, token: str, timeout: float = 2.0) -> None:
    """Raise ApiError unless an authenticated ``GET /readyz`` answers 200."""
    with ApiConnection(url, token=token, timeout=timeout) as api:
        status, body = api.get("/readyz")
    if status != 200:
        raise ApiError(f"GET /readyz answered {status}: {str(body).strip()[:200]}",
                       status=status)


def wait_ready(url: str, *, token: str, timeout: float) -> None:
    """Probe until the API answers or ``timeout`` seconds have passed (then the last error)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return probe(url, token=token, timeout=max(0.5, min(2.0, timeout)))
        except ApiError as exc:
            if exc.status == 401 or time.monotonic() >= deadline:
                raise
        time.sleep(0.02)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
