"""Network diagnostics: nslookup (busybox's output against the cluster DNS), nc, ping
(politely refused: ICMP is not simulated), redis-cli."""

from __future__ import annotations

import asyncio

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.network.api import Connection, NetError
from kitlib.sim.runtime.shell.commands.base import Invocation, UsageError
from kitlib.sim.runtime.shell.commands.http import is_ip, resolve
from kitlib.sim.runtime.shell.commands.registry import command

CLUSTER_DNS = "10.96.0.10"
_NC_ERRORS = {"refused": "Connection refused", "unreachable": "No route to host",
              "timeout": "Connection timed out"}


def resolv_conf(inv: Invocation) -> tuple[str, list[str], int]:
    """(nameserver, search domains, ndots) from the container's /etc/resolv.conf."""
    server, search, ndots = CLUSTER_DNS, [], 1
    try:
        text = inv.fs.read("/etc/resolv.conf").decode("utf-8", "replace")
    except FsError:
        return server, search, ndots
    first_server = True
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "nameserver" and len(words) > 1 and first_server:
            server, first_server = words[1], False
        elif words[0] == "search":
            search = words[1:]
        elif words[0] == "options":
            for option in words[1:]:
                if option.startswith("ndots:") and option[6:].isdigit():
                    ndots = int(option[6:])
    return server, search, ndots


def _lookup(inv: Invocation, name: str) -> tuple[str, list[str]] | None:
    """(the name that answered, its addresses), trying the search domains as a resolver
    does."""
    _, search, ndots = resolv_conf(inv)
    if name.endswith("."):
        candidates = [name.rstrip(".")]
    elif name.count(".") < ndots:
        candidates = [f"{name}.{d}" for d in search] + [name]
    else:
        candidates = [name] + [f"{name}.{d}" for d in search]
    for candidate in candidates:
        try:
            addresses = inv.process.net.resolve(candidate + ".")   # fully qualified
        except NetError:
            continue
        if addresses:
            return candidate, addresses
    return None


@command("nslookup")
async def nslookup(inv: Invocation) -> int:
    args = [a for a in inv.args if not a.startswith("-")]
    if not args:
        raise UsageError("usage: nslookup HOST [DNS_SERVER]")
    name = args[0]
    server = args[1] if len(args) > 1 else resolv_conf(inv)[0]
    found = (name, [name]) if is_ip(name) else _lookup(inv, name)
    if inv.flavour.legacy_nslookup:
        dns_name = _lookup(inv, "kube-dns.kube-system.svc.cluster.local")
        known = dns_name is not None and server in dns_name[1]
        suffix = " kube-dns.kube-system.svc.cluster.local" if known else ""
        head = f"Server:    {server}\nAddress 1: {server}{suffix}\n\n"
        if found is None:
            await inv.write(head)
            await inv.error(f"can't resolve '{name}'")
            return 1
        lines = "".join(f"Address {i}: {ip} {found[0]}\n" for i, ip in enumerate(found[1], 1))
        await inv.write(head + f"Name:      {name}\n" + lines)
        return 0
    head = f"Server:\t\t{server}\nAddress:\t{server}:53\n\n"
    if found is None:
        await inv.write(head + f"** server can't find {name}: NXDOMAIN\n\n")
        return 1
    answer, addresses = found
    await inv.write(head + "".join(f"Name:\t{answer}\nAddress: {ip}\n" for ip in addresses) + "\n")
    return 0


@command("ping")
async def ping(inv: Invocation) -> int:
    await inv.error("ICMP is not simulated in this cluster; test reachability with "
                    "wget, curl or nc instead")
    return 2


async def _copy_in(inv: Invocation, conn: Connection) -> None:
    """stdin to the connection, until stdin ends."""
    while True:
        chunk = await inv.stdin.read(65536)
        if not chunk:
            return
        conn.write(chunk)
        await conn.drain()


async def _copy_out(inv: Invocation, conn: Connection, idle: float | None) -> None:
    while True:
        if idle is not None:
            reading = asyncio.ensure_future(conn.read())
            timer = asyncio.ensure_future(inv.process.clock.sleep(idle))
            done, _ = await asyncio.wait({reading, timer}, return_when=asyncio.FIRST_COMPLETED)
            timer.cancel()
            if reading not in done:
                reading.cancel()
                return
            data = reading.result()
        else:
            data = await conn.read()
        if not data:
            return
        inv.process.rested()
        await inv.write(data)


@command("nc", "netcat")
async def nc(inv: Invocation) -> int:
    args = inv.args
    listen = zero = verbose = keep = False
    wait: float | None = None
    port_opt: str | None = None
    operands: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("-") and len(arg) > 1:
            for j, letter in enumerate(arg[1:]):
                if letter in "wp":
                    value = arg[j + 2:] or (args[i] if i < len(args) else "")
                    if not arg[j + 2:]:
                        i += 1
                    if letter == "w":
                        wait = float(value) if value.replace(".", "", 1).isdigit() else None
                    else:
                        port_opt = value
                    break
                listen = listen or letter == "l"
                zero = zero or letter == "z"
                verbose = verbose or letter == "v"
                keep = keep or letter == "k"
            continue
        operands.append(arg)
    if listen:
        return await _nc_listen(inv, port_opt or (operands[-1] if operands else ""), keep)
    if len(operands) < 2 or not operands[1].isdigit():
        raise UsageError("usage: nc [-lkvz] [-w SEC] [-p PORT] HOST PORT")
    host, port = operands[0], int(operands[1])
    try:
        address = resolve(inv.process.net, host)
    except NetError:
        await inv.error(f"bad address '{host}'")
        return 1
    try:
        conn = await inv.process.net.connect(host, port, timeout=wait or 10.0)
    except NetError as e:
        if verbose or not zero:
            await inv.error(f"{host} ({address}:{port}): {_NC_ERRORS.get(e.kind, e.message)}"
                            if zero else f"can't connect to remote host ({address}): "
                            f"{_NC_ERRORS.get(e.kind, e.message)}")
        return 1
    if zero:
        conn.close()
        if verbose:
            inv.stderr.write(f"{host} ({address}:{port}) open\n".encode())
        return 0
    sender = asyncio.ensure_future(_copy_in(inv, conn))
    try:
        await _copy_out(inv, conn, wait)
    finally:
        sender.cancel()
        conn.close()
    return 0


async def _nc_listen(inv: Invocation, port_text: str, keep: bool) -> int:
    if not port_text.isdigit():
        raise UsageError("usage: nc -l -p PORT")
    finished = asyncio.Event()

    async def handle(conn: Connection) -> None:
        sender = asyncio.ensure_future(_copy_in(inv, conn))
        try:
            await _copy_out(inv, conn, None)
        finally:
            sender.cancel()
            conn.close()
            if not keep:
                finished.set()

    try:
        listener = inv.process.net.listen(int(port_text), stream=handle,
                                          owner=f"nc:{inv.process.hostname}")
    except NetError as e:
        await inv.error(f"bind: {e.message}")
        return 1
    try:
        await finished.wait()
    finally:
        listener.close()
    return 0


def _resp(args: list[str]) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode("utf-8", "surrogateescape")
        out.append(f"${len(data)}\r\n".encode() + data + b"\r\n")
    return b"".join(out)


class _Replies:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.buffer = b""

    async def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = await self.conn.read()
            if not chunk:
                raise NetError("refused", "Server closed the connection")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    async def exactly(self, n: int) -> bytes:
        while len(self.buffer) < n + 2:
            chunk = await self.conn.read()
            if not chunk:
                raise NetError("refused", "Server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n + 2:]
        return data

    async def reply(self) -> object:
        line = await self.line()
        kind, rest = line[:1], line[1:].decode("utf-8", "replace")
        if kind == b"+":
            return ("status", rest)
        if kind == b"-":
            return ("error", rest)
        if kind == b":":
            return ("integer", rest)
        if kind == b"$":
            size = int(rest)
            return None if size < 0 else (await self.exactly(size)).decode("utf-8", "replace")
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [await self.reply() for _ in range(count)]
        return ("status", line.decode("utf-8", "replace"))


def _show(reply: object, tty: bool, indent: str = "") -> str:
    if reply is None:
        return "(nil)" if tty else ""
    if isinstance(reply, tuple):
        kind, text = reply
        if kind == "error":
            return f"(error) {text}"
        if kind == "integer":
            return f"(integer) {text}" if tty else text
        return text
    if isinstance(reply, list):
        if not reply:
            return "(empty array)" if tty else ""
        if not tty:
            return "\n".join(_show(item, False) for item in reply)
        return "\n".join(f"{indent if i > 1 else ''}{i}) {_show(item, True, indent + '   ')}"
                         for i, item in enumerate(reply, 1))
    return f'"{reply}"' if tty else str(reply)


def _split_command(line: str) -> list[str]:
    words: list[str] = []
    current = ""
    quote = ""
    started = False
    for c in line:
        if quote:
            if c == quote:
                quote = ""
            else:
                current += c
        elif c in "\"'":
            quote, started = c, True
        elif c.isspace():
            if started or current:
                words.append(current)
            current, started = "", False
        else:
            current += c
    if started or current:
        words.append(current)
    return words


@command("redis-cli")
async def redis_cli(inv: Invocation) -> int:
    args = inv.args
    host, port = "127.0.0.1", 6379
    words: list[str] = []
    i = 0
    while i < len(args):
        if args[i] == "-h" and i + 1 < len(args):
            host, i = args[i + 1], i + 2
        elif args[i] == "-p" and i + 1 < len(args) and args[i + 1].isdigit():
            port, i = int(args[i + 1]), i + 2
        elif args[i] in ("-a", "-n") and i + 1 < len(args):
            i += 2
        else:
            words.append(args[i])
            i += 1
    try:
        conn = await inv.process.net.connect(host, port)
    except NetError as e:
        text = {"refused": "Connection refused", "nxdomain": "Name or service not known",
                "timeout": "Connection timed out"}.get(e.kind, e.message)
        await inv.write(f"Could not connect to Redis at {host}:{port}: {text}\n")
        return 1
    replies = _Replies(conn)
    tty = inv.stdout.isatty
    try:
        if words:
            conn.write(_resp(words))
            reply = await replies.reply()
            await inv.write(_show(reply, tty) + "\n")
            return 1 if isinstance(reply, tuple) and reply[0] == "error" else 0
        while True:
            if inv.stdin.isatty:
                inv.stderr.write(f"{host}:{port}> ".encode())
            line = await inv.stdin.readline()
            if not line:
                return 0
            inv.process.rested()
            command_words = _split_command(line.decode("utf-8", "surrogateescape"))
            if not command_words:
                continue
            if command_words[0].lower() in ("quit", "exit"):
                return 0
            conn.write(_resp(command_words))
            await inv.write(_show(await replies.reply(), True) + "\n")
    except NetError:
        await inv.write("Error: Server closed the connection\n")
        return 1
    finally:
        conn.close()
