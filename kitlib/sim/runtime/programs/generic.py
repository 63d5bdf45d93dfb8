"""Programs of images that need little more than being there.

``server``: an image's server that is not simulated in detail (httpd, postgres, the
guestbook frontend): it listens on the image's ports, answers HTTP from the image's data
(a static root or a fixed body), and stops as the image stops.  ``pause``: the sandbox
container, waiting.  ``stress``: allocates what it is told to, and meets the OOM killer
when that is more than the container's memory limit, as in the docs' memory lesson.
"""

from __future__ import annotations

from kitlib.sim.network.api import HttpRequest, HttpResponse, NetError
from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import OutOfMemory, ProcessContext, Program
from kitlib.sim.runtime.programs.base import (flag_value, go_response, not_found, path_of,
                                             say, stopped)


def server(installed: Installed) -> Program:
    info = installed.info
    data = dict(info.http) if info else {}
    ports = list(info.ports) if info else []
    stop = info.stop if info else "default"
    version = installed.version
    extra = (("Server", data["server"].replace("{version}", version)),) \
        if "server" in data else ()

    async def run(ctx: ProcessContext) -> int:
        async def handle(request: HttpRequest) -> HttpResponse:
            if "root" in data:
                path = path_of(request).rstrip("/") or ""
                for candidate in (data["root"] + path, data["root"] + path + "/index.html"):
                    try:
                        if ctx.fs.stat(candidate).kind == "file":
                            return go_response(ctx, 200, ctx.fs.read(candidate),
                                               content_type="text/html", extra=extra)
                    except FsError:
                        continue
                return go_response(ctx, 404, b"<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML "
                                   b"2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n"
                                   b"</head><body>\n<h1>Not Found</h1>\n<p>The requested URL "
                                   b"was not found on this server.</p>\n</body></html>\n",
                                   content_type="text/html; charset=iso-8859-1", extra=extra)
            if "body" in data:
                return go_response(ctx, int(data.get("status", 200)), data["body"].encode(),
                                   content_type=data.get("type", "text/html"), extra=extra)
            return not_found(ctx)

        listeners = []
        for port in ports:
            try:
                listeners.append(ctx.net.listen(port, http=handle, owner=f"server:{port}"))
            except NetError as exc:
                say(ctx, f"{ctx.argv[0] if ctx.argv else 'server'}: {exc.message}",
                    stderr=True)
                return 1
        code = await stopped(ctx, stop)
        for listener in listeners:
            listener.close()
        return code
    return run


def pause(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        await ctx.terminated.wait()
        say(ctx, "Shutting down, got signal: Terminated", stderr=True)
        return 0
    return run


_UNITS = {"b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


def _size(text: str) -> int:
    """stress's sizes: ``150M`` is 150 MiB."""
    text = text.strip()
    try:
        unit = text[-1:].lower()
        return int(float(text[:-1]) * _UNITS[unit]) if unit in _UNITS else int(text)
    except (ValueError, IndexError):
        return 256 * 1024 * 1024


def stress(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        argv = ctx.argv[1:]
        counts = {kind: int(flag_value(argv, kind, default="0") or 0)
                  for kind in ("cpu", "io", "vm", "hdd")}
        vm_bytes = _size(flag_value(argv, "vm-bytes", default="256M")) * counts["vm"]
        say(ctx, f"stress: info: [1] dispatching hogs: {counts['cpu']} cpu, {counts['io']} io, "
                 f"{counts['vm']} vm, {counts['hdd']} hdd")
        if ctx.limits.memory and vm_bytes > ctx.limits.memory:
            await ctx.clock.sleep(0.1)
            raise OutOfMemory(f"{vm_bytes} bytes asked, {ctx.limits.memory} allowed")
        timeout = flag_value(argv, "timeout", "t", default="")
        if timeout:
            seconds = int(timeout.rstrip("s") or 0)
            await ctx.clock.sleep(seconds)
            say(ctx, f"stress: info: [1] successful run completed in {seconds}s")
            return 0
        return await stopped(ctx, "default")
    return run
