"""SPDY/3.1 framing, the server's half: what ``kubectl port-forward`` speaks.

Since kubectl 1.31 port-forward runs SPDY/3.1 inside a WebSocket (subprotocol
``SPDY/3.1+portforward.k8s.io``, KEP-4006): kubectl is a SPDY client, each WebSocket binary
message carries bytes of the SPDY connection (cut anywhere, so frames are reassembled
here), and the server answers as the kubelet's SPDY server would.  No maintained Python
SPDY library exists; this module is the little of the protocol that conversation needs.

Frames: a control frame starts with a set high bit, the version (3) and a type; a data
frame with a clear high bit and a 31-bit stream ID; both continue with 8 bits of flags
and a 24-bit length.  Header blocks (SYN_STREAM, SYN_REPLY, HEADERS) are zlib-compressed
with the dictionary the SPDY/3 specification defines, one compression context per
direction for the whole connection, each block ending in a sync flush.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import Union

VERSION = 3
SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS = 1, 2, 3, 4
PING, GOAWAY, HEADERS, WINDOW_UPDATE = 6, 7, 8, 9
FLAG_FIN = 0x01
FLAG_UNIDIRECTIONAL = 0x02
# RST_STREAM status codes.
PROTOCOL_ERROR, INVALID_STREAM, REFUSED_STREAM, UNSUPPORTED_VERSION = 1, 2, 3, 4
CANCEL, INTERNAL_ERROR, FLOW_CONTROL_ERROR, STREAM_IN_USE = 5, 6, 7, 8
STREAM_ALREADY_CLOSED = 9
MAX_LENGTH = (1 << 24) - 1
#: The most a header block may inflate to, and the most pairs it may hold.
MAX_HEADER_BYTES = 256 * 1024
MAX_HEADER_PAIRS = 1024

_HEADER_WORDS = (
    "options head post put delete trace accept accept-charset accept-encoding "
    "accept-language accept-ranges age allow authorization cache-control connection "
    "content-base content-encoding content-language content-length content-location "
    "content-md5 content-range content-type date etag expect expires from host if-match "
    "if-modified-since if-none-match if-range if-unmodified-since last-modified location "
    "max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after "
    "server te trailer transfer-encoding upgrade user-agent vary via warning "
    "www-authenticate method get status 200_OK version HTTP/1.1 url public set-cookie "
    "keep-alive origin").split(" ")
_DICTIONARY_TAIL = (
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417"
    "502504505203 Non-Authoritative Information204 No Content301 Moved Permanently"
    "400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error"
    "501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct "
    "Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,"
    "image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,"
    "publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.")


def _dictionary() -> bytes:
    """The SPDY/3 header dictionary: length-prefixed header words, then common values."""
    words = [w.replace("_", " ") for w in _HEADER_WORDS]      # "200 OK" is one word
    prefixed = b"".join(struct.pack(">I", len(w)) + w.encode("ascii") for w in words)
    return prefixed + _DICTIONARY_TAIL.encode("ascii")


DICTIONARY = _dictionary()

Headers = dict[str, list[str]]


class FrameError(ValueError):
    """The peer broke the protocol; the connection cannot go on."""


@dataclass(frozen=True)
class DataFrame:
    stream_id: int
    data: bytes
    fin: bool = False


@dataclass(frozen=True)
class SynStream:
    stream_id: int
    headers: Headers
    associated_to: int = 0
    priority: int = 0
    fin: bool = False
    unidirectional: bool = False

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower()) or [""]
        return values[0]


@dataclass(frozen=True)
class SynReply:
    stream_id: int
    headers: Headers
    fin: bool = False


@dataclass(frozen=True)
class RstStream:
    stream_id: int
    status: int


@dataclass(frozen=True)
class Settings:
    entries: tuple[tuple[int, int, int], ...]       # (flags, id, value)


@dataclass(frozen=True)
class Ping:
    id: int


@dataclass(frozen=True)
class GoAway:
    last_good_stream_id: int
    status: int = 0


@dataclass(frozen=True)
class HeadersFrame:
    stream_id: int
    headers: Headers
    fin: bool = False


@dataclass(frozen=True)
class WindowUpdate:
    stream_id: int
    delta: int


Frame = Union[DataFrame, SynStream, SynReply, RstStream, Settings, Ping, GoAway,
              HeadersFrame, WindowUpdate]


@dataclass
class Framer:
    """One end of a SPDY connection: ``feed`` it received bytes to get whole frames, and
    encode frames to send.  Each direction has its own zlib context, as the protocol has."""

    _buffer: bytearray = field(default_factory=bytearray)
    _inflate: zlib._Decompress = field(
        default_factory=lambda: zlib.decompressobj(zdict=DICTIONARY))
    _deflate: zlib._Compress = field(
        default_factory=lambda: zlib.compressobj(9, zlib.DEFLATED, 15, 8,
                                                 zlib.Z_DEFAULT_STRATEGY, DICTIONARY))

    # --- reading --------------------------------------------------------------------------

    def feed(self, data: bytes) -> list[Frame]:
        self._buffer += data
        frames: list[Frame] = []
        while len(self._buffer) >= 8:
            first, second = struct.unpack_from(">II", self._buffer)
            length = second & 0xFFFFFF
            if len(self._buffer) < 8 + length:
                break
            payload = bytes(self._buffer[8:8 + length])
            del self._buffer[:8 + length]
            flags = second >> 24
            if first & 0x80000000:
                frame = self._control((first >> 16) & 0x7FFF, first & 0xFFFF, flags, payload)
                if frame is not None:
                    frames.append(frame)
            else:
                stream_id = first & 0x7FFFFFFF
                if stream_id == 0:
                    raise FrameError("stream id zero is disallowed")
                frames.append(DataFrame(stream_id, payload, bool(flags & FLAG_FIN)))
        return frames

    def _control(self, version: int, kind: int, flags: int, payload: bytes) -> Frame | None:
        if version != VERSION:
            raise FrameError(f"unsupported SPDY version {version}")
        fin = bool(flags & FLAG_FIN)
        if kind == SYN_STREAM:
            _need(payload, 10)
            stream_id, associated = _ids(payload, 0), _ids(payload, 4)
            headers = self._headers(payload[10:])
            if stream_id == 0:
                raise FrameError("stream id zero is disallowed")
            return SynStream(stream_id, headers, associated, payload[8] >> 5, fin,
                             bool(flags & FLAG_UNIDIRECTIONAL))
        if kind in (SYN_REPLY, HEADERS):
            _need(payload, 4)
            stream_id, headers = _ids(payload, 0), self._headers(payload[4:])
            return SynReply(stream_id, headers, fin) if kind == SYN_REPLY else \
                HeadersFrame(stream_id, headers, fin)
        if kind == RST_STREAM:
            _need(payload, 8)
            return RstStream(_ids(payload, 0), struct.unpack_from(">I", payload, 4)[0])
        if kind == SETTINGS:
            _need(payload, 4)
            (count,) = struct.unpack_from(">I", payload)
            _need(payload, 4 + 8 * count)
            entries = []
            for i in range(count):
                word, value = struct.unpack_from(">II", payload, 4 + 8 * i)
                entries.append((word >> 24, word & 0xFFFFFF, value))
            return Settings(tuple(entries))
        if kind == PING:
            _need(payload, 4)
            return Ping(struct.unpack_from(">I", payload)[0])
        if kind == GOAWAY:
            _need(payload, 4)
            status = struct.unpack_from(">I", payload, 4)[0] if len(payload) >= 8 else 0
            return GoAway(_ids(payload, 0), status)
        if kind == WINDOW_UPDATE:
            _need(payload, 8)
            return WindowUpdate(_ids(payload, 0), _ids(payload, 4))
        return None                     # unknown control frames are ignored (SPDY/3 2.2.1)

    def _headers(self, block: bytes) -> Headers:
        try:
            raw = self._inflate.decompress(block, MAX_HEADER_BYTES)
        except zlib.error as exc:
            raise FrameError(f"header block does not inflate: {exc}") from None
        if self._inflate.unconsumed_tail:
            raise FrameError("header block too large")
        _need(raw, 4)
        (count,) = struct.unpack_from(">I", raw)
        if count > MAX_HEADER_PAIRS:
            raise FrameError("too many headers")
        headers: Headers = {}
        offset = 4
        for _ in range(count):
            name, offset = _string(raw, offset)
            value, offset = _string(raw, offset)
            key = name.decode("latin-1").lower()
            headers.setdefault(key, []).extend(value.decode("latin-1").split("\x00"))
        return headers

    # --- writing --------------------------------------------------------------------------

    def _header_block(self, headers: Headers | None) -> bytes:
        pairs = sorted((headers or {}).items())
        raw = struct.pack(">I", len(pairs))
        for name, values in pairs:
            for text in (name.lower(), "\x00".join(values)):
                data = text.encode("latin-1")
                raw += struct.pack(">I", len(data)) + data
        return self._deflate.compress(raw) + self._deflate.flush(zlib.Z_SYNC_FLUSH)

    def syn_stream(self, stream_id: int, headers: Headers, *, fin: bool = False) -> bytes:
        body = struct.pack(">IIBB", stream_id & 0x7FFFFFFF, 0, 0, 0) + \
            self._header_block(headers)
        return _control(SYN_STREAM, FLAG_FIN if fin else 0, body)

    def syn_reply(self, stream_id: int, headers: Headers | None = None, *,
                  fin: bool = False) -> bytes:
        body = struct.pack(">I", stream_id & 0x7FFFFFFF) + self._header_block(headers)
        return _control(SYN_REPLY, FLAG_FIN if fin else 0, body)

    @staticmethod
    def data(stream_id: int, payload: bytes = b"", *, fin: bool = False) -> bytes:
        if len(payload) > MAX_LENGTH:
            raise ValueError("data frame too large")
        return struct.pack(">II", stream_id & 0x7FFFFFFF,
                           (FLAG_FIN if fin else 0) << 24 | len(payload)) + payload

    @staticmethod
    def rst_stream(stream_id: int, status: int) -> bytes:
        return _control(RST_STREAM, 0, struct.pack(">II", stream_id & 0x7FFFFFFF, status))

    @staticmethod
    def ping(ping_id: int) -> bytes:
        return _control(PING, 0, struct.pack(">I", ping_id))

    @staticmethod
    def goaway(last_good_stream_id: int, status: int = 0) -> bytes:
        return _control(GOAWAY, 0, struct.pack(">II", last_good_stream_id & 0x7FFFFFFF,
                                                status))


def _control(kind: int, flags: int, body: bytes) -> bytes:
    return struct.pack(">HHI", 0x8000 | VERSION, kind, flags << 24 | len(body)) + body


def _ids(payload: bytes, offset: int) -> int:
    return int(struct.unpack_from(">I", payload, offset)[0] & 0x7FFFFFFF)


def _need(data: bytes, size: int) -> None:
    if len(data) < size:
        raise FrameError("invalid control frame: too short")


def _string(raw: bytes, offset: int) -> tuple[bytes, int]:
    _need(raw, offset + 4)
    (size,) = struct.unpack_from(">I", raw, offset)
    _need(raw, offset + 4 + size)
    return raw[offset + 4:offset + 4 + size], offset + 4 + size
