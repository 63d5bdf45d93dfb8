"""SPDY/3.1 framing: the dictionary, frames both ways, reassembly, and broken input."""

from __future__ import annotations

import struct
import zlib

import pytest

from kitlib.sim.apiserver import spdy


def test_dictionary_is_the_spdy3_one() -> None:
    # The specification's dictionary is 1423 bytes; zlib names it by its Adler-32.
    assert len(spdy.DICTIONARY) == 1423
    assert zlib.adler32(spdy.DICTIONARY) == 0xE3C6A7C2
    assert spdy.DICTIONARY.startswith(b"\x00\x00\x00\x07options\x00\x00\x00\x04head")
    assert spdy.DICTIONARY.endswith(b"charset=iso-8859-1,utf-,*,enq=0.")


def test_control_frame_layout() -> None:
    # high bit, version 3, type, flags, 24-bit length: a PING is 12 bytes
    assert spdy.Framer.ping(7) == bytes.fromhex("80030006" "00000004" "00000007")
    assert spdy.Framer.rst_stream(5, spdy.CANCEL) == bytes.fromhex(
        "80030003" "00000008" "00000005" "00000005")
    assert spdy.Framer.goaway(9) == bytes.fromhex("80030007" "00000008" "00000009" "00000000")
    assert spdy.Framer.data(3, b"hi", fin=True) == bytes.fromhex("00000003" "01000002") + b"hi"


def test_header_blocks_share_one_zlib_stream_per_direction() -> None:
    client, server = spdy.Framer(), spdy.Framer()
    sent = [client.syn_stream(i, {"streamtype": [kind], "port": ["8080"],
                                  "requestid": [str(i // 4)]})
            for i, kind in ((1, "error"), (3, "data"), (5, "error"), (7, "data"))]
    frames = server.feed(b"".join(sent))
    assert [(f.stream_id, f.header("streamtype"), f.header("requestid")) for f in frames] == \
        [(1, "error", "0"), (3, "data", "0"), (5, "error", "1"), (7, "data", "1")]
    # Later blocks are compressed against earlier ones: a fresh inflater cannot read them.
    with pytest.raises(spdy.FrameError):
        spdy.Framer().feed(sent[2])
    replies = client.feed(server.syn_reply(1) + server.syn_reply(3))
    assert replies == [spdy.SynReply(1, {}), spdy.SynReply(3, {})]


def test_frames_reassemble_from_any_cut() -> None:
    client, server = spdy.Framer(), spdy.Framer()
    wire = client.syn_stream(1, {"port": ["80"], "streamtype": ["data"]}) + \
        client.data(1, b"x" * 1000) + client.ping(3) + client.data(1, b"", fin=True)
    frames = []
    for i in range(0, len(wire), 7):
        frames += server.feed(wire[i:i + 7])
    assert isinstance(frames[0], spdy.SynStream) and frames[0].header("port") == "80"
    assert frames[1:] == [spdy.DataFrame(1, b"x" * 1000), spdy.Ping(3),
                          spdy.DataFrame(1, b"", fin=True)]


def test_settings_window_update_and_unknown_frames() -> None:
    settings = struct.pack(">HHI", 0x8003, 4, 12) + struct.pack(">III", 1, 0x01000007, 65536)
    update = struct.pack(">HHI", 0x8003, 9, 8) + struct.pack(">II", 3, 1024)
    unknown = struct.pack(">HHI", 0x8003, 0x20, 2) + b"??"
    frames = spdy.Framer().feed(settings + unknown + update)
    assert frames == [spdy.Settings(((1, 7, 65536),)), spdy.WindowUpdate(3, 1024)]


def test_multiple_values_and_lowercased_names() -> None:
    client, server = spdy.Framer(), spdy.Framer()
    frame = server.feed(client.syn_stream(1, {"X-Multi": ["a", "b"]}))[0]
    assert frame.headers == {"x-multi": ["a", "b"]}


@pytest.mark.parametrize("wire", [
    bytes.fromhex("80020006" "00000004" "00000001"),                  # SPDY/2
    bytes.fromhex("00000000" "00000000"),                             # stream 0
    bytes.fromhex("80030001" "0000000e" "00000001" "00000000" "0000") + b"junk",
    bytes.fromhex("80030006" "00000002" "0000"),                      # short PING
])
def test_broken_input_is_a_frame_error(wire: bytes) -> None:
    with pytest.raises(spdy.FrameError):
        spdy.Framer().feed(wire)


def test_header_bombs_are_refused() -> None:
    client = spdy.Framer()
    big = {"h": ["x" * (spdy.MAX_HEADER_BYTES + 10)]}
    with pytest.raises(spdy.FrameError):
        spdy.Framer().feed(client.syn_stream(1, big))
