"""The floor the benchmarks compare against: the least an aiohttp HTTPS server can do.

Same Python, same aiohttp, same TLS (an ECDSA P-256 certificate from the simulator's own
generator, the same ``ssl`` context settings), started the same way as ``kit serve``; but
no routing, no store, no validation.  Whatever the simulator costs above this is ours.

    GET  /hello     a small JSON object
    POST /hello     reads the body, answers 201 with a small JSON object
    GET  /watch     a chunked stream: every line POSTed to /publish, to every watcher
    POST /publish   hands the body (one line) to every open /watch, answers 201
    PUT  /pod       remembers the body (a real pod, for the typed floors)
    GET  /pod       answers that body; POST /pod reads the request, answers it with 201
    GET  /ws        a WebSocket that sends every message it gets straight back (the floor of
                    an exec round trip: upgrade, one message each way, close)
"""

from __future__ import annotations

import argparse
import asyncio
import ssl

from aiohttp import WSMsgType, web

HELLO = b'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":200}'


def build() -> web.Application:
    watchers: set[asyncio.Queue[bytes]] = set()
    pod = [HELLO]

    async def hello(request: web.Request) -> web.Response:
        if request.method == "POST":
            await request.read()
            return web.Response(body=HELLO, status=201, content_type="application/json")
        return web.Response(body=HELLO, content_type="application/json")

    async def watch(request: web.Request) -> web.StreamResponse:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        watchers.add(queue)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            while True:
                await response.write(await queue.get())
        finally:
            watchers.discard(queue)

    async def publish(request: web.Request) -> web.Response:
        line = (await request.read()).rstrip(b"\n") + b"\n"
        for queue in watchers:
            queue.put_nowait(line)
        return web.Response(body=HELLO, status=201, content_type="application/json")

    async def pod_route(request: web.Request) -> web.Response:
        body = await request.read()
        if request.method == "PUT":
            pod[0] = body
            return web.Response(body=HELLO, content_type="application/json")
        status = 201 if request.method == "POST" else 200
        return web.Response(body=pod[0], status=status, content_type="application/json")

    async def echo(request: web.Request) -> web.WebSocketResponse:
        # Any subprotocol the client offers is accepted, as the exec endpoint accepts its own.
        offered = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "")
                   .split(",") if p.strip()]
        ws = web.WebSocketResponse(protocols=offered)
        await ws.prepare(request)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await ws.send_str(message.data)
            elif message.type == WSMsgType.BINARY:
                await ws.send_bytes(message.data)
        return ws

    app = web.Application()
    app.router.add_get("/ws", echo)
    app.router.add_route("*", "/pod", pod_route)
    app.router.add_route("*", "/hello", hello)
    app.router.add_get("/watch", watch)
    app.router.add_post("/publish", publish)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    web.run_app(build(), host="127.0.0.1", port=args.port, ssl_context=context,
                access_log=None, print=None)


if __name__ == "__main__":
    main()
