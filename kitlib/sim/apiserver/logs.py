"""``GET pods/NAME/log``: a container's log, streamed from its node's kubelet.

The API server checks the options (PodLogOptions validation, 422), reads the pod, settles
the container, and asks the kubelet; the kubelet decides from the container's state
whether there is a log to give (``container "web" in pod "x" is waiting to start:
ContainerCreating``, a 400).  A pod not yet bound to a node has an empty log.  The body is
``text/plain``, chunked, flushed as it comes when following.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import datetime
from typing import AsyncIterator

from aiohttp import web

from kitlib.sim.apiserver import params, paths, podlocation
from kitlib.sim.apiserver.connector import LogOptions, NodeError
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.machinery import errors
from kitlib.sim.registry.base import ResourceType

log = logging.getLogger("kitlib.sim.apiserver")
_INT = re.compile(r"[+-]?[0-9]+")
_RFC3339 = "2006-01-02T15:04:05Z07:00"
#: Seconds between two looks at whether a follower is still there.
HANGUP_CHECK = 1.0


def go_int64(request: web.Request, name: str) -> int | None:
    """An int64 query parameter as the parameter codec reads it (strconv.ParseInt)."""
    if name not in request.query:
        return None
    value = request.query[name]
    if not _INT.fullmatch(value):
        raise errors.BadRequest(f'strconv.ParseInt: parsing "{value}": invalid syntax')
    number = int(value)
    if not -(1 << 63) <= number < (1 << 63):
        raise errors.BadRequest(f'strconv.ParseInt: parsing "{value}": value out of range')
    return number


def go_time(request: web.Request, name: str) -> float | None:
    """A metav1.Time query parameter (RFC 3339), as seconds since the epoch."""
    value = request.query.get(name, "")
    if value in ("", "null"):
        return None
    try:
        if "T" not in value:
            raise ValueError(value)
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(value)
    except ValueError:
        raise errors.BadRequest(f'parsing time "{value}" as "{_RFC3339}": cannot parse '
                                f'"{value}" as "2006"') from None
    return moment.timestamp()


def log_options(request: web.Request, name: str) -> LogOptions:
    since_seconds = go_int64(request, "sinceSeconds")
    since_time = go_time(request, "sinceTime")
    tail_lines = go_int64(request, "tailLines")
    limit_bytes = go_int64(request, "limitBytes")
    params.flag(request, "insecureSkipTLSVerifyBackend")      # parsed, and nothing to skip
    problems = []
    if tail_lines is not None and tail_lines < 0:
        problems.append(errors.invalid("tailLines", tail_lines,
                                       "must be greater than or equal to 0"))
    if limit_bytes is not None and limit_bytes < 1:
        problems.append(errors.invalid("limitBytes", limit_bytes, "must be greater than 0"))
    if since_seconds is not None and since_time is not None:
        problems.append(errors.forbidden("", "at most one of `sinceTime` or `sinceSeconds` "
                                             "may be specified"))
    elif since_seconds is not None and since_seconds < 1:
        problems.append(errors.invalid("sinceSeconds", since_seconds, "must be greater than 0"))
    if problems:
        raise errors.Invalid(kind="PodLogOptions", name=name, errors=problems)
    return LogOptions(follow=params.flag(request, "follow"),
                      previous=params.flag(request, "previous"),
                      timestamps=params.flag(request, "timestamps"),
                      since_seconds=since_seconds, since_time=since_time,
                      tail_lines=tail_lines, limit_bytes=limit_bytes)


def _kubelet_error(err: NodeError, *, api: ApiContext, location: podlocation.PodLocation,
                   request: web.Request) -> errors.StatusError:
    """GenericHttpResponseChecker: the kubelet's answer, as the API server relays it."""
    if err.unreachable:
        address = podlocation.node_address(api, location.node)
        query = request.query_string
        url = (f"https://{address}:10250/containerLogs/{location.namespace}/"
               f"{location.name}/{location.container}" + (f"?{query}" if query else ""))
        return errors.StatusError(f'Get "{url}": {err.message}', code=503,
                                  reason="ServiceUnavailable")
    if err.code == 400:
        return errors.BadRequest(err.message)
    if err.code == 404:
        return errors.StatusError(
            f"the server could not find the requested resource ( pods/log {location.name})",
            code=404, reason="NotFound",
            details={"name": location.name, "kind": "pods/log", "causes": [
                {"reason": "UnexpectedServerResponse", "message": err.message}]})
    return errors.StatusError(err.message, code=503, reason="ServiceUnavailable")


async def serve(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    if info.rest:
        raise errors.NoSuchPath()                   # pods/NAME/log takes no path
    if request.method != "GET":
        raise errors.MethodNotAllowed()
    options = log_options(request, info.name)
    location = podlocation.locate(api, res, info,
                                  container=request.query.get("container", ""))
    chunks: AsyncIterator[bytes] | None = None
    if location.node:
        connector = podlocation.connector_of(api)
        try:
            chunks = await connector.container_logs(
                node=location.node, namespace=location.namespace, pod=location.name,
                container=location.container, options=options)
        except NodeError as err:
            raise _kubelet_error(err, api=api, location=location, request=request) from None
    response = web.StreamResponse(status=200, headers={"Content-Type": "text/plain"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    if chunks is not None:
        await _relay(request, response, chunks)
    try:
        await response.write_eof()
    except ConnectionError:
        pass
    return response


async def _relay(request: web.Request, response: web.StreamResponse,
                 chunks: AsyncIterator[bytes]) -> None:
    """Copy the log to the client; a follower that hung up stops being fed even while
    the container is silent."""

    async def copy() -> None:
        async for chunk in chunks:
            if chunk:
                await response.write(chunk)

    copying = asyncio.ensure_future(copy())
    try:
        while not copying.done():
            await asyncio.wait({copying}, timeout=HANGUP_CHECK)
            transport = request.transport
            if transport is None or transport.is_closing():
                copying.cancel()
                break
        await asyncio.gather(copying, return_exceptions=True)
        error = None if copying.cancelled() else copying.exception()
        if isinstance(error, NodeError):
            log.info("log stream ended early: %s", error.message)
        elif error is not None and not isinstance(error, ConnectionError):
            raise error
    finally:
        closing = getattr(chunks, "aclose", None)
        if closing is not None:
            with contextlib.suppress(Exception):
                await closing()
