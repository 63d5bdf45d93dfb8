"""The aiohttp application: authentication, limits, error rendering and routing.

Every answer that is not a success is a v1 Status, including the ones aiohttp itself would
produce (an oversized body, an unknown path); no request ever gets a traceback.
"""

from __future__ import annotations

import hmac
import logging
from typing import Awaitable, Callable

from aiohttp import web

from kitlib.sim.apiserver import control_routes, discovery, health, objects, openapi_routes
from kitlib.sim.apiserver.context import API_KEY, ApiContext
from kitlib.sim.apiserver.respond import status_response
from kitlib.sim.machinery import errors

log = logging.getLogger("kitlib.sim.apiserver")

#: The real apiserver's request body limit (3 MiB).
MAX_BODY = 3 * 1024 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def render_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except errors.StatusError as err:
        return status_response(err)
    except web.HTTPRequestEntityTooLarge:
        return status_response(errors.RequestEntityTooLarge(MAX_BODY))
    except web.HTTPException:
        raise
    except (ConnectionResetError, TimeoutError):
        raise
    except RecursionError:
        return status_response(errors.BadRequest("the request is nested too deeply to be "
                                                 "read"))
    except Exception as exc:  # a bug of ours: say so as a Status, log the details here
        log.exception("internal error serving %s %s", request.method, request.path_qs)
        return status_response(errors.InternalError(type(exc).__name__))


def authenticate(token: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    expected = f"Bearer {token}".encode()

    @web.middleware
    async def check_token(request: web.Request, handler: Handler) -> web.StreamResponse:
        given = request.headers.get("Authorization", "").encode()
        if not hmac.compare_digest(given, expected):
            return status_response(errors.Unauthorized())
        return await handler(request)

    return check_token


async def dispatch(request: web.Request) -> web.StreamResponse:
    api: ApiContext = request.app[API_KEY]
    path = request.path.rstrip("/") or "/"
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise errors.RequestEntityTooLarge(MAX_BODY)
    special = health.ROUTES.get(path)
    if special is not None:
        return await special(request)
    if path.startswith("/kit/v1/"):
        return await control_routes.serve(request, path)
    if path.startswith("/openapi/"):
        return await openapi_routes.serve(request, path)
    found = discovery.route(path)
    if found is not None:
        return await found(request)
    if path.startswith("/api/") or path.startswith("/apis/"):
        return await objects.serve(request, api)
    raise errors.NoSuchPath()


#: What the HTTP parser accepts: Go's net/http reads request headers of up to 1 MiB, so a
#: very long name in a URL reaches the API (and gets a 422) instead of a parser error.
HANDLER_ARGS = {"max_line_size": 1024 * 1024, "max_field_size": 1024 * 1024}


def build_app(*, api: ApiContext, token: str) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, handler_args=HANDLER_ARGS,
                          middlewares=[render_errors, authenticate(token)])
    app[API_KEY] = api
    # [\s\S]: a path whose decoded form holds a line break still reaches the dispatcher.
    app.router.add_route("*", r"/{tail:[\s\S]*}", dispatch)
    return app

