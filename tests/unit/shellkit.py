"""Test doubles for the sandboxed shell: a small in-memory FileSystem, a fake PodNetwork,
in-memory stdin/stdout, and ``run()`` that executes a script on a virtual clock.

They follow the contracts (runtime/fs/api.py, network/api.py, runtime/process.py) only;
the real implementations live elsewhere.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Awaitable, Callable

from kitlib.sim.clock import Clock
from kitlib.sim.network.api import (Connection, HttpHandler, HttpRequest, HttpResponse,
                                    Listener, NetError, StreamHandler)
from kitlib.sim.runtime.fs.api import FsError, Stat
from kitlib.sim.runtime.process import LimitExceeded, Limits, ProcessContext, ProgramFinder
from kitlib.sim.runtime.shell import BUSYBOX, Flavour, run_command, run_shell

START = datetime(2026, 11, 26, 16, 0, 0, tzinfo=timezone.utc)


# --- filesystem -----------------------------------------------------------------------


@dataclass
class Node:
    kind: str                       # file | dir | symlink
    data: bytes = b""
    mode: int = 0o644
    mtime: float = START.timestamp()
    target: str = ""
    children: dict[str, "Node"] = field(default_factory=dict)


class MemoryFS:
    """Paths are absolute; ``..`` stops at the root; symlinks resolve inside the tree."""

    def __init__(self, files: dict[str, bytes | str] | None = None, *,
                 clock: Clock | None = None) -> None:
        self.root = Node("dir", mode=0o755)
        self.clock = clock
        for d in ("/bin", "/etc", "/tmp", "/root", "/home", "/var", "/var/log", "/usr",
                  "/usr/bin", "/proc", "/dev"):
            self.mkdir(d, parents=True)
        for path, data in (files or {}).items():
            parent = path.rsplit("/", 1)[0] or "/"
            self.mkdir(parent, parents=True)
            self.write(path, data.encode() if isinstance(data, str) else data)

    def _now(self) -> float:
        return self.clock.time() if self.clock else START.timestamp()

    def _parts(self, path: str) -> list[str]:
        if not path.startswith("/"):
            raise FsError("EINVAL", path)
        out: list[str] = []
        for seg in path.split("/"):
            if seg in ("", "."):
                continue
            if seg == "..":
                if out:
                    out.pop()
                continue
            out.append(seg)
        return out

    def _walk(self, path: str, *, follow: bool = True, depth: int = 0) -> Node:
        if depth > 20:
            raise FsError("ELOOP", path)
        node = self.root
        parts = self._parts(path)
        walked: list[str] = []
        for i, name in enumerate(parts):
            if node.kind != "dir":
                raise FsError("ENOTDIR", path)
            child = node.children.get(name)
            if child is None:
                raise FsError("ENOENT", path)
            last = i == len(parts) - 1
            if child.kind == "symlink" and (follow or not last):
                base = "/" + "/".join(walked)
                target = child.target if child.target.startswith("/") else base + "/" + child.target
                rest = "/".join(parts[i + 1:])
                return self._walk(target + ("/" + rest if rest else ""), follow=follow,
                                  depth=depth + 1)
            node = child
            walked.append(name)
        return node

    def _parent(self, path: str) -> tuple[Node, str]:
        parts = self._parts(path)
        if not parts:
            raise FsError("EBUSY", path)
        parent = self._walk("/" + "/".join(parts[:-1]))
        if parent.kind != "dir":
            raise FsError("ENOTDIR", path)
        return parent, parts[-1]

    def read(self, path: str) -> bytes:
        node = self._walk(path)
        if node.kind == "dir":
            raise FsError("EISDIR", path)
        return node.data

    def write(self, path: str, data: bytes, *, append: bool = False) -> None:
        parent, name = self._parent(path)
        node = parent.children.get(name)
        if node is not None and node.kind == "symlink":
            node = self._walk(path)
        if node is not None and node.kind == "dir":
            raise FsError("EISDIR", path)
        if node is None:
            parent.children[name] = Node("file", data=data, mtime=self._now())
            return
        node.data = node.data + data if append else data
        node.mtime = self._now()

    def listdir(self, path: str) -> list[str]:
        node = self._walk(path)
        if node.kind != "dir":
            raise FsError("ENOTDIR", path)
        return sorted(node.children)

    def stat(self, path: str, *, follow: bool = True) -> Stat:
        node = self._walk(path, follow=follow)
        size = len(node.data) if node.kind == "file" else len(node.target) if \
            node.kind == "symlink" else 4096
        return Stat(node.kind, size, node.mode, node.mtime, node.target)

    def exists(self, path: str) -> bool:
        try:
            self._walk(path)
            return True
        except FsError:
            return False

    def mkdir(self, path: str, *, parents: bool = False, mode: int = 0o755) -> None:
        parts = self._parts(path)
        node = self.root
        for i, name in enumerate(parts):
            child = node.children.get(name)
            last = i == len(parts) - 1
            if child is None:
                if not last and not parents:
                    raise FsError("ENOENT", path)
                child = node.children[name] = Node("dir", mode=mode, mtime=self._now())
            elif last and not parents:
                raise FsError("EEXIST", path)
            elif child.kind == "symlink":
                child = self._walk("/" + "/".join(parts[:i + 1]))
            if child.kind != "dir":
                raise FsError("ENOTDIR" if not last else "EEXIST", path)
            node = child

    def remove(self, path: str, *, recursive: bool = False) -> None:
        parent, name = self._parent(path)
        node = parent.children.get(name)
        if node is None:
            raise FsError("ENOENT", path)
        if node.kind == "dir" and node.children and not recursive:
            raise FsError("ENOTEMPTY", path)
        del parent.children[name]

    def rename(self, source: str, target: str) -> None:
        sparent, sname = self._parent(source)
        node = sparent.children.get(sname)
        if node is None:
            raise FsError("ENOENT", source)
        tparent, tname = self._parent(target)
        del sparent.children[sname]
        tparent.children[tname] = node

    def symlink(self, target: str, path: str) -> None:
        parent, name = self._parent(path)
        if name in parent.children:
            raise FsError("EEXIST", path)
        parent.children[name] = Node("symlink", target=target, mode=0o777)

    def chmod(self, path: str, mode: int) -> None:
        self._walk(path).mode = mode


# --- network ------------------------------------------------------------------------


class Pipe:
    def __init__(self) -> None:
        self.buffer = bytearray()
        self.closed = False
        self.event = asyncio.Event()


class FakeConnection:
    def __init__(self, incoming: Pipe, outgoing: Pipe, peer: str, port: int) -> None:
        self.incoming = incoming
        self.outgoing = outgoing
        self.peer_ip = peer
        self.peer_port = port

    async def read(self, limit: int = 65536) -> bytes:
        while not self.incoming.buffer and not self.incoming.closed:
            self.incoming.event.clear()
            await self.incoming.event.wait()
        out = bytes(self.incoming.buffer[:limit])
        del self.incoming.buffer[:limit]
        return out

    def write(self, data: bytes) -> None:
        self.outgoing.buffer += data
        self.outgoing.event.set()

    async def drain(self) -> None:
        await asyncio.sleep(0)

    def close(self) -> None:
        self.outgoing.closed = True
        self.outgoing.event.set()


class FakeNetwork:
    """A pod's network: DNS names, HTTP services and stream services by (ip, port)."""

    def __init__(self, *, ip: str = "10.244.1.5", hostname: str = "pod",
                 dns: dict[str, list[str]] | None = None) -> None:
        self.ip = ip
        self.hostname = hostname
        self.dns = dict(dns or {})
        self.http_handlers: dict[tuple[str, int], HttpHandler] = {}
        self.stream_handlers: dict[tuple[str, int], StreamHandler] = {}
        self.errors: dict[tuple[str, int], NetError] = {}
        self.requests: list[tuple[str, int, HttpRequest]] = []
        self.tasks: list[asyncio.Task[None]] = []

    def serve(self, ip: str, port: int, handler: HttpHandler) -> None:
        self.http_handlers[(ip, port)] = handler

    def serve_text(self, ip: str, port: int, body: str, *, status: int = 200,
                   headers: tuple[tuple[str, str], ...] = ()) -> None:
        async def handler(request: HttpRequest) -> HttpResponse:
            return HttpResponse(status, headers=headers or (("Content-Type", "text/html"),),
                                body=body.encode())
        self.serve(ip, port, handler)

    def listen(self, port: int, *, http: HttpHandler | None = None,
               stream: StreamHandler | None = None, protocol: str = "TCP",
               owner: str = "") -> Listener:
        key = (self.ip, port)
        if key in self.http_handlers or key in self.stream_handlers:
            raise NetError("in_use", "bind: address already in use")
        if http:
            self.http_handlers[key] = http
        if stream:
            self.stream_handlers[key] = stream
        listener = Listener(self.ip, port, protocol, http, stream, owner)
        handlers = self

        def close() -> None:
            handlers.http_handlers.pop(key, None)
            handlers.stream_handlers.pop(key, None)
        listener.close = close                                     # type: ignore[method-assign]
        return listener

    def resolve(self, name: str) -> list[str]:
        name = name[:-1] if name.endswith(".") else name
        if name in self.dns:
            return list(self.dns[name])
        raise NetError("nxdomain", f"lookup {name}: no such host")

    def _address(self, host: str) -> str:
        if host[0].isdigit():
            return host
        if host == "localhost":
            return self.ip
        return self.resolve(host)[0]

    async def http(self, host: str, port: int, request: HttpRequest, *,
                   timeout: float = 10.0) -> HttpResponse:
        ip = self._address(host)
        if (ip, port) in self.errors:
            raise self.errors[(ip, port)]
        handler = self.http_handlers.get((ip, port))
        if handler is None:
            raise NetError("refused", f"dial tcp {ip}:{port}: connect: connection refused")
        self.requests.append((ip, port, request))
        return await handler(request)

    async def connect(self, host: str, port: int, *, timeout: float = 10.0) -> Connection:
        ip = self._address(host)
        handler = self.stream_handlers.get((ip, port))
        if handler is None:
            raise NetError("refused", f"dial tcp {ip}:{port}: connect: connection refused")
        up, down = Pipe(), Pipe()
        client = FakeConnection(down, up, ip, port)
        server = FakeConnection(up, down, self.ip, 40000)
        self.tasks.append(asyncio.ensure_future(handler(server)))
        return client


# --- streams ------------------------------------------------------------------------


class FakeInput:
    def __init__(self, data: bytes = b"", *, live: bool = False) -> None:
        self.buffer = bytearray(data)
        self.closed = not live
        self.event = asyncio.Event()

    def feed(self, data: bytes) -> None:
        self.buffer += data
        self.event.set()

    def close(self) -> None:
        self.closed = True
        self.event.set()

    async def _wait(self) -> None:
        self.event.clear()
        await self.event.wait()

    async def read(self, limit: int = -1) -> bytes:
        while not self.buffer and not self.closed:
            await self._wait()
        if limit < 0:
            while not self.closed:
                await self._wait()
            limit = len(self.buffer)
        out = bytes(self.buffer[:limit])
        del self.buffer[:limit]
        return out

    async def readline(self) -> bytes:
        while b"\n" not in self.buffer and not self.closed:
            await self._wait()
        end = self.buffer.find(b"\n")
        end = len(self.buffer) if end < 0 else end + 1
        out = bytes(self.buffer[:end])
        del self.buffer[:end]
        return out


class FakeOutput:
    def __init__(self, limit: int, shared: list[int]) -> None:
        self.data = bytearray()
        self.limit = limit
        self.shared = shared

    def write(self, data: bytes) -> None:
        self.shared[0] += len(data)
        if self.shared[0] > self.limit:
            raise LimitExceeded(f"output limit exceeded ({self.limit} bytes)")
        self.data += data

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "replace")


# --- running ------------------------------------------------------------------------


@dataclass
class Result:
    stdout: str
    stderr: str
    status: int
    fs: MemoryFS
    clock: Clock

    @property
    def out(self) -> str:
        return self.stdout


async def autoadvance(clock: Clock) -> None:
    """Virtual time: whenever nothing else can run, jump to the next timer."""
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(0)
        if loop._ready:                                  # type: ignore[attr-defined]
            continue                                     # someone else has work to do
        timers = [t for t in clock._timers if not t.future.done()]
        if timers:
            clock.advance(max(0.0, min(t.deadline for t in timers) - clock.time()))
        else:
            await asyncio.sleep(0.001)                   # waiting on real I/O (tests' feeds)


def make_context(argv: list[str], *, fs: MemoryFS, net: FakeNetwork, clock: Clock,
                 stdin: FakeInput, env: dict[str, str] | None, tty: bool, limits: Limits,
                 cwd: str = "/") -> tuple[ProcessContext, FakeOutput, FakeOutput]:
    shared = [0]
    out, err = FakeOutput(limits.output, shared), FakeOutput(limits.output, shared)
    environment = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                   "HOSTNAME": net.hostname, "HOME": "/root"}
    environment.update(env or {})
    ctx = ProcessContext(argv=argv, env=environment, cwd=cwd, fs=fs, net=net, clock=clock,
                         stdin=stdin, stdout=out, stderr=err, hostname=net.hostname, tty=tty,
                         limits=limits)
    return ctx, out, err


def run(script: str | None = None, *, argv: list[str] | None = None,
        flavour: Flavour = BUSYBOX, files: dict[str, bytes | str] | None = None,
        fs: MemoryFS | None = None, net: FakeNetwork | None = None,
        env: dict[str, str] | None = None, stdin: bytes = b"", tty: bool = False,
        limits: Limits | None = None, command: bool = False, cwd: str = "/",
        during: Callable[[ProcessContext], Awaitable[None]] | None = None,
        pid: int = 1, kill_after: float | None = None,
        find_program: ProgramFinder | None = None) -> Result:
    """Run ``sh -c SCRIPT`` (or ``argv``) to completion on a virtual clock; with
    ``kill_after``, SIGKILL it after that many simulated seconds (status 137)."""
    async def scenario() -> Result:
        clock = Clock(seed=7, start=START)
        clock.pause()
        filesystem = fs or MemoryFS(files, clock=clock)
        filesystem.clock = clock
        network = net or FakeNetwork()
        args = argv or ["sh", "-c", script or ""]
        ctx, out, err = make_context(args, fs=filesystem, net=network, clock=clock,
                                     stdin=FakeInput(stdin), env=env, tty=tty,
                                     limits=limits or Limits(), cwd=cwd)
        ctx.pid = pid
        ctx.find_program = find_program
        ticker = asyncio.ensure_future(autoadvance(clock))
        try:
            main = run_command(ctx, flavour=flavour, pid=pid) if command else \
                run_shell(ctx, flavour=flavour, pid=pid)
            task = asyncio.ensure_future(main)
            killer = asyncio.ensure_future(clock.sleep(kill_after)) \
                if kill_after is not None else None
            if during is not None:
                await during(ctx)
            if killer is not None:
                await asyncio.wait({task, killer}, return_when=asyncio.FIRST_COMPLETED)
                killer.cancel()
                if not task.done():
                    task.cancel()
                    await asyncio.gather(task, return_exceptions=True)
                    return Result(out.text, err.text, 137, filesystem, clock)
            status = await task
        finally:
            ticker.cancel()
            clock.stop()
        return Result(out.text, err.text, status, filesystem, clock)

    return asyncio.run(scenario())


async def settle(clock: Clock | None = None, *, advances: int = 100) -> None:
    """Let every runnable task run until all wait (for input or each other); with a
    ``clock``, due timers fire too (virtual time), up to ``advances`` jumps."""
    loop = asyncio.get_running_loop()
    quiet = 0
    while True:
        await asyncio.sleep(0)
        quiet = 0 if loop._ready else quiet + 1           # type: ignore[attr-defined]
        if quiet < 3:
            continue
        timers = [t for t in clock._timers if not t.future.done()] if clock else []
        if not timers or advances <= 0:
            return
        advances -= 1
        clock.advance(max(0.0, min(t.deadline for t in timers) - clock.time()))
        quiet = 0


def run_session(keys: list[bytes], *, argv: list[str] | None = None,
                flavour: Flavour = BUSYBOX, tty: bool = True, hostname: str = "pod",
                files: dict[str, bytes | str] | None = None, virtual_time: bool = True,
                command: bool = False, pid: int = 42) -> Result:
    """An interactive session: type ``keys`` one chunk at a time, each once the shell is
    idle, then close stdin (unless the session ended by itself)."""
    async def scenario() -> Result:
        clock = Clock(seed=7, start=START)
        clock.pause()
        fs = MemoryFS(files, clock=clock)
        net = FakeNetwork(hostname=hostname)
        stdin = FakeInput(live=True)
        ctx, out, err = make_context(argv or ["sh"], fs=fs, net=net, clock=clock,
                                     stdin=stdin, env=None, tty=tty, limits=Limits())
        main = run_command(ctx, flavour=flavour, pid=pid) if command else \
            run_shell(ctx, flavour=flavour, pid=pid)
        task = asyncio.ensure_future(main)
        timed = clock if virtual_time else None
        try:
            for chunk in keys:
                await settle(timed)
                if task.done():
                    break
                stdin.feed(chunk)
            await settle(timed)
            stdin.close()
            await settle(timed)
            status = await asyncio.wait_for(task, 5)
        finally:
            clock.stop()
        return Result(out.text, err.text, status, fs, clock)

    return asyncio.run(scenario())
