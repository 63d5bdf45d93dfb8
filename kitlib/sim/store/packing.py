"""Compact storage for records nobody has read lately: deflate with a shared dictionary.

Ten thousand pods are ten thousand near-copies of one JSON document: the same keys, the
same spec, the same managedFields, differing in a name, a uid, an IP and a few times.
Deflate given a dictionary made of a few objects of the same resource finds those shared
parts in the dictionary, so a 4.8 kB pod packs into about 200 bytes and a 1.1 kB event
into about 150; unpacking one costs a few microseconds.

Records are written unpacked (a new version is what watchers, the components' informer
handlers and the next GET read at once) and packed only once they went cold: when
``HOT`` more writes have followed them, in batches between the loop's other callbacks.
A record that was replaced and left the watch window is garbage by then and is skipped.
"""

from __future__ import annotations

import zlib
from collections import deque
from typing import Callable, Protocol

#: Writes after which a record counts as cold.
HOT = 1024
#: Records packed per batch (a batch takes a few milliseconds).
BATCH = 256
#: A resource's dictionary is made afresh after this many of its records were packed with
#: it, from records written since (objects change shape: Pending pods become Running).
REFRESH = 4096
#: A dictionary: the last few objects of the resource, at most this many bytes.
DICTIONARY_BYTES = 24 * 1024
SAMPLES = 6
LEVEL = 6


class Codec:
    """One dictionary, and the compressor primed with it (copied for each record).

    The primed compressor is a quarter megabyte; the store's codecs let it go between
    batches (``rest``) and prime it again for the next (a fraction of a millisecond).
    Unframed (``framed=False``), the data is raw deflate, without zlib's header, dictionary
    id and checksum: ten bytes less a record (5% of a packed event), for data that never
    leaves the process."""

    __slots__ = ("zdict", "_primed", "used", "_retired", "_wbits")

    def __init__(self, zdict: bytes, *, framed: bool = True) -> None:
        self.zdict = zdict
        self._primed: zlib._Compress | None = None
        self.used = 0
        self._retired = False
        self._wbits = 15 if framed else -15

    def pack(self, raw: bytes) -> bytes:
        assert not self._retired, "a retired codec only unpacks"
        primed = self._primed
        if primed is None:
            primed = self._primed = zlib.compressobj(
                LEVEL, zlib.DEFLATED, self._wbits, 8, zlib.Z_DEFAULT_STRATEGY, self.zdict)
        compressor = primed.copy()
        self.used += 1
        return compressor.compress(raw) + compressor.flush()

    def unpack(self, packed: bytes) -> bytes:
        return zlib.decompressobj(self._wbits, self.zdict).decompress(packed)

    def rest(self) -> None:
        """Let the primed compressor go until the next ``pack``."""
        self._primed = None

    def retire(self) -> None:
        """Keep only what unpacking needs."""
        self._primed = None
        self._retired = True


class Packable(Protocol):
    """What the packer needs of a record (``Record`` in ``records.py``)."""

    @property
    def raw(self) -> bytes: ...

    def pack_with(self, codec: Codec) -> None: ...


#: Whether the store still holds a record (the current version, or one in a watch window).
Wanted = Callable[[str, "Packable"], bool]


class Packer:
    """The records written lately, oldest first; packs the ones that went cold."""

    def __init__(self, *, hot: int = HOT) -> None:
        self.hot = hot
        self._queue: deque[tuple[str, Packable]] = deque()
        self._codecs: dict[str, Codec] = {}

    def __len__(self) -> int:
        return len(self._queue)

    def add(self, resource: str, record: Packable) -> None:
        self._queue.append((resource, record))

    @property
    def behind(self) -> bool:
        """More records than ``hot`` wait: a batch is due."""
        return len(self._queue) > self.hot

    def pack(self, wanted: Wanted, *, limit: int = BATCH, keep: int | None = None) -> int:
        """Pack up to ``limit`` of the oldest records beyond the ``keep`` newest (default:
        ``hot``); returns how many were looked at."""
        queue, keep = self._queue, self.hot if keep is None else keep
        done = 0
        while done < limit and len(queue) > keep:
            resource, record = queue.popleft()
            done += 1
            if wanted(resource, record):
                record.pack_with(self._codec(resource, record))
        for codec in self._codecs.values():
            codec.rest()
        return done

    def _codec(self, resource: str, first: Packable) -> Codec:
        codec = self._codecs.get(resource)
        if codec is None or codec.used >= REFRESH:
            if codec is not None:
                codec.retire()
            codec = self._codecs[resource] = Codec(self._dictionary(resource, first),
                                                   framed=False)
        return codec

    def _dictionary(self, resource: str, first: Packable) -> bytes:
        """A few objects of ``resource``: the one being packed, the oldest still waiting
        (about to be packed) and the newest, so both the shape being packed now and the one
        coming are there."""
        found: list[bytes] = [first.raw]
        size = len(first.raw)
        ordered = list(self._queue)
        picks = ordered[:self.hot // 4] + ordered[::-1]
        seen: set[int] = set()
        for res, record in picks:
            if res != resource or id(record) in seen:
                continue
            seen.add(id(record))
            raw = record.raw
            if size + len(raw) > DICTIONARY_BYTES:
                continue
            found.append(raw)
            size += len(raw)
            if len(found) >= SAMPLES:
                break
        return b"".join(found)
