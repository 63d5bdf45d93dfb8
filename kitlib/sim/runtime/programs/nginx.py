"""nginx: serves files from the container's own filesystem, logs as the real one logs.

It reads where to listen and what to serve from ``/etc/nginx/conf.d/*.conf`` at start
(``listen``, ``root``, ``index``), so a ConfigMap mounted there changes it; it serves
``/usr/share/nginx/html`` as the container sees it right now, so a file another container
writes into a shared emptyDir is what the next request gets.  Its error log (start-up,
shutdown, failed opens) goes to stderr, its access log to stdout in the image's ``main``
format; missing files are nginx's own 404 page, directories without an index 403.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import unquote, urlsplit

from kitlib.sim.machinery.sharing import ShareTable
from kitlib.sim.network.api import HttpRequest, HttpResponse, Listener, NetError
from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import REASONS, header, http_date, say
from kitlib.sim.runtime.termination import until_terminated

MIME = {"html": "text/html", "htm": "text/html", "css": "text/css", "txt": "text/plain",
        "js": "application/javascript", "json": "application/json", "xml": "text/xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "svg": "image/svg+xml", "ico": "image/x-icon"}
FIRST_WORKER = 29
_LISTEN = re.compile(r"^\s*listen\s+(?:\[::\]:|[\d.]*:)?(\d+)", re.M)
_ROOT = re.compile(r"^\s*root\s+([^;\s]+)\s*;", re.M)
_INDEX = re.compile(r"^\s*index\s+([^;]+);", re.M)


@dataclass(frozen=True)
class Site:
    ports: tuple[int, ...] = (80,)
    root: str = "/usr/share/nginx/html"
    index: tuple[str, ...] = ("index.html", "index.htm")


_DEFAULT_SITE = Site()

#: Configuration text -> its Site: every replica of a Deployment reads the same files and
#: holds one Site (bounded: a fresh table once full).
_SITES: ShareTable[str, Site] = ShareTable(limit=256)


def read_site(ctx: ProcessContext) -> Site:
    texts = []
    try:
        for name in ctx.fs.listdir("/etc/nginx/conf.d"):
            if name.endswith(".conf"):
                texts.append(ctx.fs.read(f"/etc/nginx/conf.d/{name}").decode("utf-8", "replace"))
    except FsError:
        pass
    text = "\n".join(texts)
    return _SITES.get(text, lambda: _parse_site(text))


def _parse_site(text: str) -> Site:
    site = _DEFAULT_SITE
    ports = tuple(sorted({int(port) for port in _LISTEN.findall(text)}))
    root, index = _ROOT.search(text), _INDEX.search(text)
    return Site(ports=ports or site.ports, root=root.group(1) if root else site.root,
                index=tuple(index.group(1).split()) if index else site.index)


def nginx(installed: Installed) -> Program:
    version = installed.version or "1.27.3"
    system = installed.system
    gcc = ("built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) "
           if installed.root.distro.name == "alpine" else "built by gcc 12.2.0 (Debian 12.2.0-14) ")

    async def run(ctx: ProcessContext) -> int:
        argv = ctx.argv
        server = _Server(ctx, version)
        if "-v" in argv or "-V" in argv:
            say(ctx, f"nginx version: nginx/{version}", stderr=True)
            return 0
        if "-t" in argv or "-T" in argv:
            for line in ("the configuration file /etc/nginx/nginx.conf syntax is ok",
                         "configuration file /etc/nginx/nginx.conf test is successful"):
                say(ctx, f"nginx: {line}", stderr=True)
            return 0
        if "-s" in argv:
            server.error_log("notice", "signal process started", pid=77)
            return 0
        site = server.site = read_site(ctx)
        workers = server.workers = int(system.get("cpus", 8))  # type: ignore[call-overload]
        server.error_log("notice", 'using the "epoll" event method')
        server.error_log("notice", f"nginx/{version}")
        server.error_log("notice", gcc)
        server.error_log("notice", f"OS: Linux {system.get('kernel', '6.8.0')}")
        server.error_log("notice", "getrlimit(RLIMIT_NOFILE): 1048576:1048576")
        listeners = []
        for port in site.ports:
            try:
                listeners.append(ctx.net.listen(port, http=server, owner=f"nginx:{port}"))
            except NetError:
                for _attempt in range(5):
                    server.error_log("emerg", f"bind() to 0.0.0.0:{port} failed "
                                              "(98: Address already in use)")
                server.error_log("emerg", "still could not bind()")
                say(ctx, "nginx: [emerg] still could not bind()", stderr=True)
                return 1
        server.listeners = tuple(listeners)
        if "daemon off;" not in " ".join(argv):
            return 0                    # it went to the background: PID 1 is done
        server.error_log("notice", "start worker processes")
        for worker in range(workers):
            server.error_log("notice", f"start worker process {FIRST_WORKER + worker}")
        return await until_terminated(ctx, server.shut_down)
    return run


class _Server:
    """A running nginx: what it serves, its listeners, and what it does on SIGQUIT.

    One small object per container (ten thousand idle replicas): it is the listeners' HTTP
    handler itself (called with a request) and its ``shut_down`` is what the parked
    process runs once told to stop, so no closures or bound methods are kept."""

    __slots__ = ("ctx", "site", "version", "connections", "workers", "listeners")

    def __init__(self, ctx: ProcessContext, version: str) -> None:
        self.ctx, self.version = ctx, version
        self.site = _DEFAULT_SITE
        self.connections = 0
        self.workers = 0
        self.listeners: tuple[Listener, ...] = ()

    def error_log(self, level: str, text: str, pid: int = 1) -> None:
        stamp = datetime.fromtimestamp(self.ctx.clock.time(), timezone.utc)
        say(self.ctx, f"{stamp:%Y/%m/%d %H:%M:%S} [{level}] {pid}#{pid}: {text}", stderr=True)

    def shut_down(self) -> int:
        error_log = self.error_log
        error_log("notice", "signal 3 (SIGQUIT) received, shutting down")
        for listener in self.listeners:
            listener.close()
        for worker in range(self.workers):
            pid = FIRST_WORKER + worker
            error_log("notice", "gracefully shutting down", pid)
            error_log("notice", "exiting", pid)
            error_log("notice", "exit", pid)
        for worker in range(self.workers):
            error_log("notice", f"signal 17 (SIGCHLD) received from {FIRST_WORKER + worker}")
            error_log("notice", f"worker process {FIRST_WORKER + worker} exited with code 0")
        error_log("notice", "exit")
        return 0

    async def handle(self, request: HttpRequest) -> HttpResponse:
        self.connections += 1
        response = self._answer(request)
        self._access(request, response)
        return response

    __call__ = handle           # the listeners' HTTP handler is the server itself

    def _answer(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self._page(405, "405 Not Allowed", request)
        path = unquote(urlsplit(request.target or "/").path) or "/"
        names: list[str] = []
        for part in path.split("/"):
            if part == "..":
                if names:
                    names.pop()
            elif part and part != ".":
                names.append(part)
        local = self.site.root.rstrip("/") + "/" + "/".join(names)
        fs = self.ctx.fs
        try:
            kind = fs.stat(local).kind
        except FsError as exc:
            return self._missing(request, local, exc)
        if kind == "dir":
            if not path.endswith("/"):
                host = request.host or header(request, "Host") or self.ctx.net.ip
                response = self._page(301, "301 Moved Permanently", request)
                return HttpResponse(status=301, reason=response.reason,
                                    headers=(*response.headers,
                                             ("Location", f"http://{host}{path}/")),
                                    body=response.body)
            for index in self.site.index:
                candidate = local.rstrip("/") + "/" + index
                if fs.exists(candidate):
                    return self._file(request, candidate)
            self._error(request, f'directory index of "{local.rstrip("/")}/" is forbidden')
            return self._page(403, "403 Forbidden", request)
        return self._file(request, local)

    def _missing(self, request: HttpRequest, local: str, exc: FsError) -> HttpResponse:
        errno = {"ENOENT": 2, "ENOTDIR": 20, "EACCES": 13}.get(exc.errno_name, 2)
        self._error(request, f'open() "{local}" failed ({errno}: {exc.strerror_text})')
        return self._page(404, "404 Not Found", request)

    def _file(self, request: HttpRequest, local: str) -> HttpResponse:
        fs = self.ctx.fs
        try:
            body, stat = fs.read(local), fs.stat(local)
        except FsError as exc:
            return self._missing(request, local, exc)
        extension = local.rsplit(".", 1)[-1].lower() if "." in local.rsplit("/", 1)[-1] else ""
        modified = datetime.fromtimestamp(stat.mtime, timezone.utc)
        headers = (("Server", f"nginx/{self.version}"), ("Date", http_date(self.ctx)),
                   ("Content-Type", MIME.get(extension, "application/octet-stream")),
                   ("Content-Length", str(len(body))),
                   ("Last-Modified", modified.strftime("%a, %d %b %Y %H:%M:%S GMT")),
                   ("Connection", "keep-alive"),
                   ("ETag", f'"{int(stat.mtime):x}-{len(body):x}"'),
                   ("Accept-Ranges", "bytes"))
        return HttpResponse(status=200, reason="OK", headers=headers,
                            body=b"" if request.method == "HEAD" else body)

    def _page(self, status: int, title: str, request: HttpRequest) -> HttpResponse:
        body = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
                f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx/{self.version}"
                "</center>\r\n</body>\r\n</html>\r\n").encode()
        headers = (("Server", f"nginx/{self.version}"), ("Date", http_date(self.ctx)),
                   ("Content-Type", "text/html"), ("Content-Length", str(len(body))),
                   ("Connection", "keep-alive"))
        return HttpResponse(status=status, reason=REASONS.get(status, title[4:]),
                            headers=headers, body=b"" if request.method == "HEAD" else body)

    def _error(self, request: HttpRequest, text: str) -> None:
        worker = FIRST_WORKER
        host = request.host or header(request, "Host")
        detail = (f"*{self.connections} {text}, client: {request.client_ip or '127.0.0.1'}, "
                  f'server: localhost, request: "{request.method} {request.target} HTTP/1.1"')
        if host:
            detail += f', host: "{host}"'
        self.error_log("error", detail, worker)

    def _access(self, request: HttpRequest, response: HttpResponse) -> None:
        stamp = datetime.fromtimestamp(self.ctx.clock.time(), timezone.utc)
        fields = [header(request, name) or "-"
                  for name in ("Referer", "User-Agent", "X-Forwarded-For")]
        say(self.ctx, f'{request.client_ip or "127.0.0.1"} - - '
                      f'[{stamp:%d/%b/%Y:%H:%M:%S} +0000] '
                      f'"{request.method} {request.target} HTTP/1.1" {response.status} '
                      f'{len(response.body)} "{fields[0]}" "{fields[1]}" "{fields[2]}"')
