"""The channel.k8s.io WebSocket subprotocols: several byte streams over one WebSocket.

``kubectl exec`` (v5, since kubectl 1.30) and the official Python client (v4) both speak it:
every message starts with a channel number (stdin 0, stdout 1, stderr 2, the error channel
3, terminal resizes 4), the rest is that channel's bytes.  The base64 variants send text
messages instead: the channel as an ASCII digit, then the bytes in base64.  What changed
between versions is small and matters: from v4 on the error channel carries a v1 Status
as JSON (v1 sends only a failure's message), and v5 adds channel 255, on which a client
closes one of its streams (stdin's end of file) without closing the connection.

This module is the codec and the Status shapes; ``streaming`` and ``portforward`` run the
sessions.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

STDIN, STDOUT, STDERR, ERROR, RESIZE = 0, 1, 2, 3, 4
#: v5: a message on this channel closes the channel named by its one data byte.
CLOSE = 255

V5 = "v5.channel.k8s.io"
V4 = "v4.channel.k8s.io"
V4_BASE64 = "v4.base64.channel.k8s.io"
V1 = "channel.k8s.io"
V1_BASE64 = "base64.channel.k8s.io"


@dataclass(frozen=True)
class ChannelProtocol:
    name: str
    base64: bool = False
    #: The error channel carries a JSON Status (v4, v5) rather than a bare message (v1).
    json_status: bool = True
    #: Channel 255 closes a stream (v5).
    close_signal: bool = False


PROTOCOLS = {p.name: p for p in (
    ChannelProtocol(V5, close_signal=True),
    ChannelProtocol(V4),
    ChannelProtocol(V4_BASE64, base64=True),
    ChannelProtocol(V1, json_status=False),
    ChannelProtocol(V1_BASE64, base64=True, json_status=False),
)}
#: A client that names no subprotocol gets the original binary one.
DEFAULT = ChannelProtocol("", json_status=False)
#: What exec and attach accept, and the port-forward's channel protocols (the kubelet's).
EXEC_PROTOCOLS = (V5, V4, V4_BASE64, V1, V1_BASE64)
PORT_FORWARD_PROTOCOLS = (V4, V4_BASE64)


def protocol(name: str | None) -> ChannelProtocol:
    return PROTOCOLS.get(name or "", DEFAULT)


def encode(proto: ChannelProtocol, channel: int, data: bytes) -> bytes | str:
    """One message for ``channel``: bytes for binary protocols, text for base64 ones."""
    if proto.base64:
        return chr(ord("0") + channel) + base64.b64encode(data).decode("ascii")
    return bytes((channel,)) + data


@dataclass(frozen=True)
class Frame:
    channel: int
    data: bytes
    #: A v5 close signal: ``channel`` is the stream the client closed.
    close: bool = False


def decode(proto: ChannelProtocol, message: bytes | str) -> Frame | None:
    """A message from the client; None for an empty one.  Raises ValueError when a base64
    message does not decode or a close signal is malformed."""
    if isinstance(message, str):
        message = message.encode("utf-8", "surrogateescape")
    if not message:
        return None
    channel, data = message[0], message[1:]
    if proto.base64:
        channel -= ord("0")
        try:
            data = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("illegal base64 data") from None
    if proto.close_signal and channel == CLOSE:
        if len(data) != 1:
            raise ValueError(f"single channel byte should follow close signal, got {len(data)}")
        return Frame(data[0], b"", close=True)
    return Frame(channel, data)


# --- the error channel ----------------------------------------------------------------

def success() -> dict[str, Any]:
    return {"metadata": {}, "status": "Success"}


def exit_failure(code: int, message: str) -> dict[str, Any]:
    """A command that ended with a non-zero exit code (what kubectl turns into its own
    ``command terminated with exit code N`` and exit status)."""
    return {"metadata": {}, "status": "Failure",
            "message": f"command terminated with non-zero exit code: {message}",
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]}}


def internal_error(message: str) -> dict[str, Any]:
    """apierrors.NewInternalError, as marshalled on the error channel."""
    return {"metadata": {}, "status": "Failure",
            "message": f"Internal error occurred: {message}", "reason": "InternalError",
            "details": {"causes": [{"message": message}]}, "code": 500}


def go_json(value: Any) -> bytes:
    """JSON the way Go's encoding/json writes it: compact, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text.encode("utf-8")


def error_payload(proto: ChannelProtocol, status: dict[str, Any]) -> bytes:
    """What goes on the error channel: the Status (v4, v5), or a failure's message (v1)."""
    if proto.json_status:
        return go_json(status)
    if status.get("status") == "Success":
        return b""
    return str(status.get("message", "")).encode("utf-8")


# --- the resize channel -------------------------------------------------------------------

class TerminalSizes:
    """Reads the resize channel: a stream of ``{"Width": w, "Height": h}`` objects that
    WebSocket messages may cut anywhere."""

    MAX_PENDING = 4096

    def __init__(self) -> None:
        self._pending = ""
        self._decoder = json.JSONDecoder()

    def feed(self, data: bytes) -> list[tuple[int, int]]:
        """The complete sizes received so far, as (columns, rows)."""
        self._pending += data.decode("utf-8", "replace")
        sizes: list[tuple[int, int]] = []
        while True:
            text = self._pending.lstrip()
            if not text:
                self._pending = ""
                return sizes
            try:
                value, end = self._decoder.raw_decode(text)
            except json.JSONDecodeError:
                # Incomplete (wait for more) unless it can never become valid.
                self._pending = text if len(text) < self.MAX_PENDING else ""
                return sizes
            self._pending = text[end:]
            if isinstance(value, dict):
                width, height = value.get("Width"), value.get("Height")
                if _dimension(width) and _dimension(height):
                    sizes.append((width, height))


def _dimension(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 65536
