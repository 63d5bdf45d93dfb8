"""HTTP/1.1 as bytes on an in-memory connection, for when the two sides disagree on shape.

Most traffic never needs this: a client calling ``http()`` on a server that registered an
HTTP handler hands over a request object and gets a response object back.  But
``kubectl port-forward`` carries whatever bytes the learner's curl sends to a pod, ``nc``
and ``telnet`` type raw requests, and a client may speak HTTP to a server that only
registered a stream handler (redis answering curl).  This module turns requests and
responses into bytes and back (Content-Length and chunked bodies, keep-alive), with limits
so that no peer can make the reader hold unbounded data.
"""

from __future__ import annotations

from http import HTTPStatus

from kitlib.sim.network.api import (Connection, HttpHandler, HttpRequest, HttpResponse,
                                    NetError)

MAX_HEAD = 64 * 1024
MAX_BODY = 16 * 1024 * 1024
Headers = tuple[tuple[str, str], ...]


class WireError(ValueError):
    """The peer sent something that is not HTTP/1.x."""


class Reader:
    """Buffered reads of lines and counted bytes from a ``Connection``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.buffer = bytearray()
        self.eof = False

    async def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = await self.conn.read(65536)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    async def line(self, *, limit: int = MAX_HEAD) -> bytes | None:
        """One line without its CRLF; None at EOF before any byte of it."""
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                raw = bytes(self.buffer[:end])
                del self.buffer[:end + 1]
                return raw.rstrip(b"\r")
            if len(self.buffer) > limit:
                raise WireError("header line too long")
            if not await self._fill():
                if self.buffer:
                    raise WireError("unexpected EOF")
                return None

    async def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not await self._fill():
                raise WireError("unexpected EOF")
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    async def rest(self, *, limit: int = MAX_BODY) -> bytes:
        while await self._fill():
            if len(self.buffer) > limit:
                raise WireError("body too large")
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


async def _head(reader: Reader) -> tuple[str, Headers] | None:
    first = await reader.line()
    while first == b"":                 # tolerate blank lines between messages
        first = await reader.line()
    if first is None:
        return None
    headers: list[tuple[str, str]] = []
    size = len(first)
    while True:
        line = await reader.line()
        if line is None:
            raise WireError("unexpected EOF")
        if not line:
            break
        size += len(line)
        if size > MAX_HEAD:
            raise WireError("headers too large")
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep or not name.strip():
            raise WireError(f"malformed header line {line[:40]!r}")
        headers.append((name.strip(), value.strip()))
    return first.decode("latin-1"), tuple(headers)


def header(headers: Headers, name: str) -> str:
    lower = name.lower()
    return next((v for k, v in headers if k.lower() == lower), "")


async def _body(reader: Reader, headers: Headers, *, until_eof: bool) -> bytes:
    if "chunked" in header(headers, "Transfer-Encoding").lower():
        body = bytearray()
        while True:
            size_line = await reader.line()
            if size_line is None:
                raise WireError("unexpected EOF")
            try:
                size = int(size_line.split(b";")[0].strip() or b"x", 16)
            except ValueError:
                raise WireError("bad chunk size") from None
            if size == 0:
                while await reader.line():     # trailers, up to the blank line
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY:
                raise WireError("body too large")
            body += await reader.exactly(size)
            await reader.line()
    length = header(headers, "Content-Length")
    if length:
        if not length.isdigit() or int(length) > MAX_BODY:
            raise WireError(f"bad Content-Length {length!r}")
        return await reader.exactly(int(length))
    return await reader.rest() if until_eof else b""


async def read_request(reader: Reader, *, client_ip: str = "",
                       client_port: int = 0) -> tuple[HttpRequest, bool] | None:
    """The next request and whether the connection stays open after its response."""
    head = await _head(reader)
    if head is None:
        return None
    first, headers = head
    parts = first.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise WireError(f"malformed request line {first[:60]!r}")
    method, target, version = parts
    body = await _body(reader, headers, until_eof=False)
    connection = header(headers, "Connection").lower()
    keep = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    return HttpRequest(method=method, target=target, headers=headers, body=body,
                       host=header(headers, "Host"), client_ip=client_ip,
                       client_port=client_port), keep


def encode_request(request: HttpRequest, *, host: str) -> bytes:
    lines = [f"{request.method} {request.target or '/'} HTTP/1.1",
             f"Host: {request.host or host}"]
    skip = {"host", "content-length", "transfer-encoding"}
    lines += [f"{k}: {v}" for k, v in request.headers if k.lower() not in skip]
    if request.body or request.method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(request.body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + request.body


def reason_of(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def encode_response(response: HttpResponse, *, method: str = "GET",
                    keep_alive: bool = True) -> bytes:
    lines = [f"HTTP/1.1 {response.status} {response.reason or reason_of(response.status)}"]
    skip = {"content-length", "transfer-encoding", "connection"}
    lines += [f"{k}: {v}" for k, v in response.headers if k.lower() not in skip]
    bodiless = response.status in (204, 304) or 100 <= response.status < 200
    if not bodiless:
        lines.append(f"Content-Length: {len(response.body)}")
    if not keep_alive:
        lines.append("Connection: close")
    body = b"" if bodiless or method == "HEAD" else response.body
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_response(reader: Reader, *, method: str = "GET") -> HttpResponse:
    """The server's answer; NetError ``reset`` if it closed without one (curl's
    "Empty reply from server") or sent something that is not HTTP."""
    try:
        head = await _head(reader)
        if head is None:
            raise NetError("reset", "EOF")
        first, headers = head
        parts = first.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise NetError("reset", f"malformed HTTP response {first[:60]!r}")
        status = int(parts[1])
        bodiless = method == "HEAD" or status in (204, 304) or 100 <= status < 200
        body = b"" if bodiless else await _body(reader, headers, until_eof=True)
    except WireError as exc:
        raise NetError("reset", f"malformed HTTP response: {exc}") from None
    return HttpResponse(status=status, reason=parts[2] if len(parts) > 2 else "",
                        headers=headers, body=body)


async def serve(handler: HttpHandler, conn: Connection) -> None:
    """An HTTP server loop on a raw connection (port-forward, nc), keep-alive included."""
    reader = Reader(conn)
    try:
        while True:
            try:
                got = await read_request(reader, client_ip=conn.peer_ip,
                                         client_port=conn.peer_port)
            except WireError:
                conn.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                           b"Connection: close\r\n\r\n")
                return
            if got is None:
                return
            request, keep = got
            response = await handler(request)
            conn.write(encode_response(response, method=request.method, keep_alive=keep))
            await conn.drain()
            if not keep:
                return
    finally:
        conn.close()
