"""RESP, the protocol redis speaks: commands in, replies out, both as bytes.

A command is an array of bulk strings (``*2\r\n$3\r\nGET\r\n$1\r\nk\r\n``) or, from
``nc``/``telnet``, an inline line (``GET k``); a reply is a status (``+OK``), an error
(``-ERR ...``), an integer, a bulk string (or nil) or an array of replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Status:
    text: str


@dataclass(frozen=True)
class Error:
    text: str


Reply = Union[Status, Error, int, bytes, None, list]  # type: ignore[type-arg]


def encode(reply: Reply) -> bytes:
    if isinstance(reply, Status):
        return f"+{reply.text}\r\n".encode()
    if isinstance(reply, Error):
        return f"-{reply.text}\r\n".encode()
    if isinstance(reply, bool) or isinstance(reply, int):
        return f":{int(reply)}\r\n".encode()
    if reply is None:
        return b"$-1\r\n"
    if isinstance(reply, bytes):
        return b"$%d\r\n%s\r\n" % (len(reply), reply)
    return b"*%d\r\n" % len(reply) + b"".join(encode(item) for item in reply)


def encode_command(words: list[bytes]) -> bytes:
    return encode(list(words))


def parse_command(buffer: bytearray) -> list[bytes] | None:
    """Take one command off the front of ``buffer``; None until one is complete."""
    if not buffer:
        return None
    if buffer[:1] != b"*":
        end = buffer.find(b"\n")
        if end < 0:
            return None
        line = bytes(buffer[:end]).rstrip(b"\r")
        del buffer[:end + 1]
        return line.split()
    parsed = _value(buffer, 0)
    if parsed is None:
        return None
    value, used = parsed
    del buffer[:used]
    return [item for item in value if isinstance(item, bytes)] if isinstance(value, list) else []


def parse_reply(buffer: bytearray) -> tuple[Reply] | None:
    """Take one reply off the front of ``buffer`` (as a 1-tuple: a reply may be None)."""
    parsed = _value(buffer, 0)
    if parsed is None:
        return None
    value, used = parsed
    del buffer[:used]
    return (value,)


def _value(buffer: bytearray, at: int) -> tuple[Reply, int] | None:
    end = buffer.find(b"\r\n", at)
    if end < 0:
        return None
    kind, text = buffer[at:at + 1], bytes(buffer[at + 1:end]).decode("utf-8", "replace")
    after = end + 2
    if kind == b"+":
        return Status(text), after
    if kind == b"-":
        return Error(text), after
    if kind == b":":
        return int(text or 0), after
    if kind == b"$":
        size = int(text or -1)
        if size < 0:
            return None, after
        if len(buffer) < after + size + 2:
            return None
        return bytes(buffer[after:after + size]), after + size + 2
    if kind == b"*":
        count = int(text or -1)
        if count < 0:
            return None, after
        items: list[Reply] = []
        for _ in range(count):
            parsed = _value(buffer, after)
            if parsed is None:
                return None
            item, after = parsed
            items.append(item)
        return items, after
    return Error(f"Protocol error: unexpected '{kind.decode('latin-1')}'"), after
