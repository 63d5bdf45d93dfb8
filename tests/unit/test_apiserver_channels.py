"""The channel.k8s.io codec, the error-channel Statuses and the resize stream."""

from __future__ import annotations

import json

import pytest

from kitlib.sim.apiserver import channels
from kitlib.sim.apiserver.channels import Frame


def test_binary_and_base64_messages() -> None:
    v4, b64 = channels.protocol(channels.V4), channels.protocol(channels.V4_BASE64)
    assert channels.encode(v4, 1, b"hi") == b"\x01hi"
    assert channels.encode(b64, 1, b"hi\n") == "1aGkK"
    assert channels.decode(v4, b"\x00ls\n") == Frame(0, b"ls\n")
    assert channels.decode(b64, "0bHMK") == Frame(0, b"ls\n")
    assert channels.decode(v4, b"") is None
    with pytest.raises(ValueError):
        channels.decode(b64, "0!!!")


def test_close_signal_is_v5_only() -> None:
    v5, v4 = channels.protocol(channels.V5), channels.protocol(channels.V4)
    assert channels.decode(v5, b"\xff\x00") == Frame(0, b"", close=True)
    assert channels.decode(v4, b"\xff\x00") == Frame(255, b"\x00")
    with pytest.raises(ValueError):
        channels.decode(v5, b"\xff\x00\x01")


def test_unknown_or_missing_protocol_is_the_original_binary_one() -> None:
    for name in (None, "", "something.else"):
        proto = channels.protocol(name)
        assert not proto.base64 and not proto.json_status and not proto.close_signal


def test_exit_status_as_kubectl_decodes_it() -> None:
    status = channels.exit_failure(2, "command terminated with exit code 2")
    assert channels.error_payload(channels.protocol(channels.V5), status) == (
        b'{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit '
        b'code: command terminated with exit code 2","reason":"NonZeroExitCode","details":'
        b'{"causes":[{"reason":"ExitCode","message":"2"}]}}')
    # v1 has no Status: only a failure's message, and nothing for success
    v1 = channels.protocol(channels.V1)
    assert channels.error_payload(v1, status).startswith(b"command terminated with non-zero")
    assert channels.error_payload(v1, channels.success()) == b""


def test_internal_error_shape_and_go_escaping() -> None:
    payload = channels.error_payload(channels.protocol(channels.V4),
                                     channels.internal_error('exec: "a<b>&c"'))
    assert b"\\u003cb\\u003e\\u0026c" in payload
    assert json.loads(payload) == {
        "metadata": {}, "status": "Failure",
        "message": 'Internal error occurred: exec: "a<b>&c"', "reason": "InternalError",
        "details": {"causes": [{"message": 'exec: "a<b>&c"'}]}, "code": 500}


def test_terminal_sizes_across_messages() -> None:
    sizes = channels.TerminalSizes()
    assert sizes.feed(b'{"Width":80,') == []
    assert sizes.feed(b'"Height":24}\n{"Width":100,"Height":40}{"Wid') == [(80, 24), (100, 40)]
    assert sizes.feed(b'th":-1,"Height":3}{"Width":"x","Height":1}') == []
    assert sizes.feed(b"not json at all" * 400) == []         # garbage is dropped, not kept
    assert sizes.feed(b'{"Width":1,"Height":2}') == [(1, 2)]
