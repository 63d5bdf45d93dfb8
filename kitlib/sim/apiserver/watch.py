"""Watch over HTTP: a stream of newline-delimited JSON events.

The semantics are the apiserver's: no resourceVersion (or "0") sends every current object
as ADDED first; a resourceVersion resumes after it from the store's window, or ends at
once with an ERROR event carrying a 410 Expired Status when that is too old; bookmarks come
when asked for (and just before a timeout, as the watch cache sends them); the stream ends
after ``timeoutSeconds``.  Headers are sent before the first event so clients know the
watch is established.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson
from aiohttp import web

from kitlib.sim.apiserver import objects, params, paths, tables
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.machinery import errors, fields
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.store.records import Record
from kitlib.sim.store.watch import Watcher

JSON = dict[str, Any]
#: Between bookmarks on a long watch, as the watch cache spaces them.
BOOKMARK_INTERVAL = 60.0
#: Default watch length when the client gives no timeout (the apiserver picks 30-60 min).
DEFAULT_TIMEOUT = 1800.0


def _since(request: web.Request) -> int | None:
    value = request.query.get("resourceVersion", "")
    if value in ("", "0"):
        return None
    try:
        rv = int(value)
    except ValueError:
        raise errors.BadRequest(f'resourceVersion: Invalid value: "{value}": must be a '
                                f'valid resourceVersion') from None
    if rv < 0:
        raise errors.BadRequest(f'resourceVersion: Invalid value: "{value}": must be a '
                                f'valid resourceVersion')
    return rv


def _timeout(request: web.Request) -> float:
    value = request.query.get("timeoutSeconds")
    if value in (None, ""):
        return DEFAULT_TIMEOUT
    try:
        return max(0.0, float(int(value)))
    except ValueError:
        raise errors.BadRequest(f'strconv.ParseInt: parsing "{value}": invalid syntax') \
            from None


class _Encoder:
    """Turns records into event lines in the form the client asked for."""

    def __init__(self, request: web.Request, api: ApiContext, res: ResourceType) -> None:
        self.request, self.api, self.res = request, api, res
        self.form = objects.wanted(request).form
        self.first = True

    def line(self, kind: str, record: Record) -> bytes:
        record = self.api.storage(self.res).present(record)
        if self.form == "Table":
            # Only the first event of a watch carries the column definitions.
            table = tables.table(self.api, self.res, [record], request=self.request,
                                 rv=record.rv, no_headers=not self.first)
            self.first = False
            payload = orjson.dumps(table)
        elif self.form in ("PartialObjectMetadata", "PartialObjectMetadataList"):
            payload = orjson.dumps(tables.partial(record.object()))
        else:
            payload = record.raw
        return b'{"type":"' + kind.encode() + b'","object":' + payload + b"}\n"

    def bookmark(self, rv: int, *, initial_end: bool = False) -> bytes:
        meta: JSON = {"resourceVersion": str(rv)}
        if initial_end:
            meta["annotations"] = {"k8s.io/initial-events-end": "true"}
        obj = {"kind": self.res.kind, "apiVersion": self.res.api_version, "metadata": meta}
        return orjson.dumps({"type": "BOOKMARK", "object": obj}) + b"\n"


async def serve(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    label_sel, field_sel = objects.selectors(request, res)
    if info.name:
        # /watch/namespaces/NS/pods/NAME: a watch of one object.
        field_sel = fields.FieldSelector(field_sel.requirements + (
            fields.FieldRequirement("metadata.name", "=", info.name),))
    since = _since(request)
    timeout = _timeout(request)
    bookmarks = params.flag(request, "allowWatchBookmarks")
    send_initial = params.flag(request, "sendInitialEvents")
    encoder = _Encoder(request, api, res)
    if encoder.form == "Table":
        # Check the table options now: once the stream has begun, an error has no way out.
        tables.table(api, res, [], request=request, rv=0)
    watcher = Watcher(resource=res.store_key, namespace=info.namespace, labels=label_sel,
                      fields=field_sel)
    response: web.StreamResponse | None = None
    try:
        backlog = api.store.subscribe(watcher, since=None if send_initial else since)
    except errors.Gone as gone:
        response = await _open(request)
        await response.write(orjson.dumps({"type": "ERROR", "object": gone.status()}) + b"\n")
        await response.write_eof()
        return response
    try:
        response = await _open(request)
        if since is None or send_initial:
            for record in objects.matching(api, res, info.namespace, label_sel, field_sel):
                await response.write(encoder.line("ADDED", record))
            if send_initial and bookmarks:
                await response.write(encoder.bookmark(watcher.min_rv, initial_end=True))
        for event in backlog:
            seen = watcher.translate(event)
            if seen is not None:
                await response.write(encoder.line(seen.type, seen.record))
        await _stream(response, watcher, encoder, timeout=timeout, bookmarks=bookmarks,
                      api=api)
        await response.write_eof()
        return response
    except ConnectionResetError:
        # The client hung up (an interrupted ``kubectl get -w``): nothing is left to say.
        if response is None:
            raise
        return response
    finally:
        api.store.unsubscribe(watcher)


async def _open(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    return response


async def _stream(response: web.StreamResponse, watcher: Watcher, encoder: _Encoder, *,
                  timeout: float, bookmarks: bool, api: ApiContext) -> None:
    deadline = time.monotonic() + timeout
    # The watch cache sends a bookmark shortly before a watch's timeout, then every minute.
    next_bookmark = min(deadline - 2.0, time.monotonic() + BOOKMARK_INTERVAL)
    last_rv = watcher.min_rv
    while True:
        now = time.monotonic()
        if now >= deadline:
            return
        wake = deadline if not bookmarks else min(deadline, max(next_bookmark, now))
        try:
            # asyncio.timeout, not wait_for: wait_for (3.11) can lose the cancellation of
            # a client's disconnect when an event arrives at the same moment.
            async with asyncio.timeout(max(0.0, wake - now)):
                event = await watcher.queue.get()
        except TimeoutError:
            if bookmarks and time.monotonic() >= next_bookmark:
                await response.write(encoder.bookmark(max(last_rv, api.store.settled_rv)))
                next_bookmark = time.monotonic() + BOOKMARK_INTERVAL
            continue
        if event is None:        # the server is stopping, or this client fell behind
            return
        last_rv = event.record.rv
        await response.write(encoder.line(event.type, event.record))
