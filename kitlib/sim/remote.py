"""Steering a simulator from outside its event loop: its clock and its failure injection.

The ``kit`` command steers a simulator in another process, over HTTPS; a notebook or a test
steers one running in a thread of its own (``ThreadedCluster.control``).  Both get the same
``SimulatorControl``, with the same methods, answers and errors, because both send the same
``/kit/v1`` requests: over the network (``HttpTransport``), or handed to the cluster's loop
(``LoopTransport``), which serves them there with the server's own router.  Each call is one
request, so a ``SimulatorControl`` may be shared between threads.

Only the standard library is used: ``kit clock advance 30s`` starts in a blink.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from typing import TYPE_CHECKING, Any, Callable, Protocol
from urllib.parse import quote, unquote, urlsplit

if TYPE_CHECKING:
    import asyncio

JSON = dict[str, Any]
PREFIX = "/kit/v1"


class ControlError(Exception):
    """The simulator refused (``code`` and ``reason`` of its Status), or did not answer."""

    def __init__(self, message: str, *, code: int | None = None, reason: str = "",
                 details: JSON | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.reason = reason
        self.details = details or {}

    @classmethod
    def from_status(cls, status: Any, *, code: int) -> ControlError:
        """From a Status body (or whatever else an error answer held)."""
        if isinstance(status, dict) and status.get("kind") == "Status":
            return cls(str(status.get("message", "")), code=int(status.get("code") or code),
                       reason=str(status.get("reason", "")),
                       details=status.get("details") or {})
        return cls(f"{code}: {str(status).strip()[:200]}", code=code)


class Unreachable(ControlError):
    """Nothing answered: the simulator is not running there, or the network failed."""


class Transport(Protocol):
    def send(self, method: str, path: str, body: JSON | None = None) -> Any:
        """The decoded answer to one request; ControlError if refused."""


class HttpTransport:
    """HTTPS to the simulator's API server, checking its certificate against the CA."""

    def __init__(self, url: str, *, token: str, ca_pem: bytes | None = None,
                 timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"unsupported API URL {url!r}")
        self.url = url
        self._host, self._port, self._secure = parts.hostname, parts.port, parts.scheme == "https"
        self._token = token
        self._timeout = timeout
        self._tls: ssl.SSLContext | None = None
        if self._secure:
            try:
                self._tls = ssl.create_default_context(
                    cadata=ca_pem.decode("ascii") if ca_pem else None)
            except (ssl.SSLError, ValueError) as exc:
                raise ValueError(f"the cluster's CA certificate is unusable: {exc}") from None

    def send(self, method: str, path: str, body: JSON | None = None) -> Any:
        # One connection per call: nothing shared between threads, no stale keep-alive
        # to retry on (a retried POST could advance the clock twice).
        conn: http.client.HTTPConnection
        if self._tls is not None:
            conn = http.client.HTTPSConnection(self._host, self._port or 443,
                                               timeout=self._timeout, context=self._tls)
        else:
            conn = http.client.HTTPConnection(self._host, self._port or 80,
                                              timeout=self._timeout)
        headers = {"Accept": "application/json", "Authorization": f"Bearer {self._token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except ssl.SSLCertVerificationError as exc:
            raise Unreachable(f"the server's certificate is not trusted: "
                              f"{exc.verify_message}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise Unreachable(_describe(exc)) from None
        finally:
            conn.close()
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = raw.decode("utf-8", "replace")
        if not 200 <= response.status < 300:
            raise ControlError.from_status(answer, code=response.status)
        return answer


class LoopTransport:
    """Requests served by ``handler`` (the API server's router) in the cluster's own loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop,
                 handler: Callable[[str, str, Any], Any], *, timeout: float = 30.0) -> None:
        self.loop = loop
        self._handler = handler
        self._timeout = timeout

    def send(self, method: str, path: str, body: JSON | None = None) -> Any:
        import asyncio

        path = unquote(path)            # as the HTTP server decodes it
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:        # called from the loop itself: no hop needed
            return self._serve(method, path, body)
        if not self.loop.is_running():
            raise Unreachable("the simulator is not running (its event loop has stopped)")

        async def hop() -> Any:
            return self._serve(method, path, body)

        return asyncio.run_coroutine_threadsafe(hop(), self.loop).result(self._timeout)

    def _serve(self, method: str, path: str, body: JSON | None) -> Any:
        from kitlib.sim.machinery.errors import StatusError

        try:
            answer = self._handler(method, path, body)
        except StatusError as exc:
            raise ControlError.from_status(exc.status(), code=exc.code) from None
        return json.loads(json.dumps(answer))       # a copy, exactly as the wire gives it


class SimulatorControl:
    """The simulator's controls; every method returns the simulator's JSON answer."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    @classmethod
    def connect(cls, url: str, *, token: str, ca_pem: bytes | None = None,
                timeout: float = 10.0) -> SimulatorControl:
        """A simulator in another process, at ``url`` (its kubeconfig's server)."""
        return cls(HttpTransport(url, token=token, ca_pem=ca_pem, timeout=timeout))

    def _get(self, path: str) -> Any:
        return self.transport.send("GET", PREFIX + path)

    def _post(self, path: str, body: JSON) -> Any:
        return self.transport.send("POST", PREFIX + path, body)

    def info(self) -> JSON:
        """Version, profile, seed, uptime, clock, and each node with its kubelet's state."""
        return self._get("/info")

    # --- the clock ----------------------------------------------------------------------

    def clock(self) -> JSON:
        """``{"time": "2026-...Z", "speed": 1.0, "paused": false, "timers": N}``"""
        return self._get("/clock")

    def pause(self) -> JSON:
        return self._post("/clock", {"pause": True})

    def resume(self) -> JSON:
        return self._post("/clock", {"resume": True})

    def set_speed(self, speed: float) -> JSON:
        """Simulated seconds per real second (0.25: four times slower)."""
        return self._post("/clock", {"speed": speed})

    def advance(self, duration: str | float) -> JSON:
        """Jump forward by ``duration`` (seconds, or Go-style: ``"30s"``, ``"1h30m"``);
        every timer that falls due fires, in order."""
        return self._post("/clock", {"advance": duration})

    # --- nodes --------------------------------------------------------------------------

    def stop_kubelet(self, node: str) -> JSON:
        """The node's kubelet stops: no heartbeats (NotReady after 50 s), no pod updates;
        its containers keep running."""
        return self._post(f"/nodes/{_segment(node)}/kubelet", {"action": "stop"})

    def start_kubelet(self, node: str) -> JSON:
        return self._post(f"/nodes/{_segment(node)}/kubelet", {"action": "start"})

    # --- containers ---------------------------------------------------------------------

    def _container(self, pod: str, namespace: str, container: str | None, body: JSON) -> JSON:
        path = f"/namespaces/{_segment(namespace)}/pods/{_segment(pod)}"
        if container is not None:
            path += f"/containers/{_segment(container)}"
        return self._post(path + "/failure", body)

    def crash_container(self, pod: str, *, namespace: str = "default",
                        container: str | None = None, exit_code: int = 1) -> JSON:
        """The container's process exits now with ``exit_code``; its kubelet restarts it
        as the pod's restartPolicy says (None: the pod's default container)."""
        return self._container(pod, namespace, container,
                               {"action": "crash", "exitCode": exit_code})

    def oom_kill(self, pod: str, *, namespace: str = "default",
                 container: str | None = None) -> JSON:
        """The kernel's OOM killer ends the container (exit code 137, OOMKilled)."""
        return self._container(pod, namespace, container, {"action": "oom"})

    def hang_container(self, pod: str, *, namespace: str = "default",
                       container: str | None = None, hang: bool = True) -> JSON:
        """The container ignores SIGTERM (``hang=False``: no longer): stopping it takes the
        pod's whole termination grace period."""
        return self._container(pod, namespace, container,
                               {"action": "hang" if hang else "unhang"})

    # --- images -------------------------------------------------------------------------

    def fail_image_pulls(self, image: str, *, message: str = "") -> JSON:
        """Pulls of ``image`` (every tag, if it names none) fail on every node, with
        ``message`` or the registry's usual answer; running containers are not affected."""
        return self._post("/images", {"image": image, "fail": True, "message": message})

    def allow_image_pulls(self, image: str | None = None) -> JSON:
        """Undo ``fail_image_pulls`` for ``image``, or for every image."""
        body: JSON = {"fail": False}
        if image is not None:
            body["image"] = image
        return self._post("/images", body)


def _segment(name: str) -> str:
    return quote(name, safe="")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
