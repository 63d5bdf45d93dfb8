"""A pod's network namespace, as the programs in its containers use it.

Every container of a pod shares one network namespace: one IP, one loopback, one table of
bound ports.  That is why two containers of a pod reach each other on ``localhost`` and
why they cannot both listen on port 80 (the second gets "bind: address already in use").
A ``NetNamespace`` is that shared table; a ``PodNet`` is one sandbox's handle on it (the
``PodNetwork`` of ``network.api``), which also owns the sockets the sandbox opened, so
that stopping the sandbox closes its listeners and connections and nothing else's.  A
hostNetwork pod shares its node's namespace: its ports are the node's ports.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable

from kitlib.sim.network.api import (Connection, HttpHandler, HttpRequest, HttpResponse,
                                    Listener, NetError, StreamHandler)
from kitlib.sim.network.resolvconf import ResolverConfig, hosts_entries, hosts_file
from kitlib.sim.network.streams import StreamEnd

if TYPE_CHECKING:
    from kitlib.sim.network.fabric import Fabric

LOOPBACK = frozenset({"127.0.0.1", "::1", "0.0.0.0", "::"})


class NetNamespace:
    """The ports bound at one address (a pod's, or a node's shared by hostNetwork pods)."""

    __slots__ = ("ip", "node_ip", "label", "ports", "host", "outside")

    def __init__(self, *, ip: str, node_ip: str, label: str, host: bool = False,
                 outside: bool = False) -> None:
        self.ip = ip
        self.node_ip = node_ip
        self.label = label                  # the pod's name, or the node's
        self.ports: dict[tuple[int, str], BoundListener] = {}
        self.host = host
        self.outside = outside


class BoundListener(Listener):
    """A listener the fabric registered; ``close`` frees the port."""

    def __init__(self, *, net: PodNet, **fields: Any) -> None:
        super().__init__(**fields)
        self.net = net
        self.closed = False

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        key = (self.port, self.protocol)
        if self.net.space.ports.get(key) is self:
            del self.net.space.ports[key]
        if self.net._listeners is not None and self in self.net._listeners:
            self.net._listeners.remove(self)

    # Listeners are compared by identity (the dataclass would compare their fields).
    __eq__ = object.__eq__
    __hash__ = object.__hash__


class PodNet:
    """One sandbox's network: listen, resolve, and reach others through the fabric.

    Ten thousand idle pods each hold one: what only use needs (the hosts table, the sets
    of sockets and server tasks) is made on first use."""

    __slots__ = ("fabric", "space", "namespace", "pod", "ip", "node_ip", "hostname",
                 "subdomain", "resolver", "host_aliases", "_hosts", "_listeners",
                 "_connections", "_tasks", "released")

    def __init__(self, fabric: Fabric, space: NetNamespace, *, namespace: str, pod: str,
                 hostname: str, subdomain: str = "", resolver: ResolverConfig,
                 host_aliases: Iterable[dict[str, Any]] = ()) -> None:
        self.fabric = fabric
        self.space = space
        self.namespace = namespace
        self.pod = pod
        self.ip = space.ip
        self.node_ip = space.node_ip
        self.hostname = hostname
        self.subdomain = subdomain
        self.resolver = resolver
        self.host_aliases: tuple[dict[str, Any], ...] = tuple(host_aliases)
        self._hosts: dict[str, list[str]] | None = None
        # A list, not a set: most pods listen on one port (a set of one is 216 bytes).
        self._listeners: list[BoundListener] | None = None
        self._connections: set[StreamEnd] | None = None
        self._tasks: set[asyncio.Task[Any]] | None = None
        self.released = False

    @property
    def hosts(self) -> dict[str, list[str]]:
        """/etc/hosts as a table: name -> addresses (made when first resolved with)."""
        if self._hosts is None:
            hosts: dict[str, list[str]] = {}
            for address, names in hosts_entries(ip=self.ip, hostname=self.hostname,
                                                 namespace=self.namespace,
                                                 subdomain=self.subdomain,
                                                 host_aliases=self.host_aliases):
                for name in names:
                    hosts.setdefault(name.lower(), []).append(address)
            self._hosts = hosts
        return self._hosts

    @property
    def listeners(self) -> list[BoundListener]:
        if self._listeners is None:
            self._listeners = []
        return self._listeners

    @property
    def connections(self) -> set[StreamEnd]:
        if self._connections is None:
            self._connections = set()
        return self._connections

    @property
    def tasks(self) -> set[asyncio.Task[Any]]:
        if self._tasks is None:
            self._tasks = set()
        return self._tasks

    def __repr__(self) -> str:
        return f"<PodNet {self.namespace}/{self.pod} {self.ip}>"

    # --- files the runtime puts in /etc ----------------------------------------------------

    def resolv_conf(self) -> str:
        return self.resolver.text()

    def hosts_file(self) -> str:
        return hosts_file(ip=self.ip, hostname=self.hostname, namespace=self.namespace,
                          subdomain=self.subdomain, host_aliases=self.host_aliases)

    # --- PodNetwork ------------------------------------------------------------------------

    def listen(self, port: int, *, http: HttpHandler | None = None,
               stream: StreamHandler | None = None, protocol: str = "TCP",
               owner: str = "") -> Listener:
        self._check_open()
        if http is None and stream is None:
            raise ValueError("a listener needs an http or a stream handler")
        if not 0 < port < 65536:
            raise ValueError(f"listen {protocol.lower()}: address {port}: invalid port")
        key = (port, protocol)
        if key in self.space.ports:
            raise NetError("in_use", f"listen {protocol.lower()} 0.0.0.0:{port}: bind: "
                                     "address already in use")
        listener = BoundListener(net=self, ip=self.ip, port=port, protocol=protocol, http=http,
                                 stream=stream, owner=owner or f"{self.namespace}/{self.pod}")
        self.space.ports[key] = listener
        self.listeners.append(listener)
        return listener

    def resolve(self, name: str) -> list[str]:
        return self.fabric.dns.resolve(name, self.resolver, hosts=self.hosts)

    def address_of(self, host: str) -> str:
        """The address a client connects to for ``host`` (the first one resolved)."""
        bare = host.strip("[]")
        try:
            return str(ipaddress.ip_address(bare))
        except ValueError:
            return self.resolve(bare)[0]

    async def http(self, host: str, port: int, request: HttpRequest, *,
                   timeout: float = 10.0) -> HttpResponse:
        self._check_open()
        ip = self.address_of(host)
        if not request.host:
            request = replace(request, host=host if port == 80 else f"{host}:{port}")
        return await self.fabric.send_http(self, ip, port, request, timeout=timeout)

    async def connect(self, host: str, port: int, *, timeout: float = 10.0) -> Connection:
        self._check_open()
        return await self.fabric.dial(self, self.address_of(host), port, timeout=timeout)

    # --- the sandbox's end -------------------------------------------------------------------

    def close_owner(self, owner: str) -> int:
        """Close the listeners ``owner`` opened (its container exited); how many."""
        mine = [listener for listener in self._listeners or () if listener.owner == owner]
        for listener in mine:
            listener.close()
        return len(mine)

    def spawn(self, coroutine: Any, *, name: str = "") -> asyncio.Task[Any]:
        """Run server-side work that belongs to this sandbox (cancelled on release)."""
        task = asyncio.ensure_future(coroutine)
        if name:
            task.set_name(name)
        self.tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        if self._tasks is not None:
            self._tasks.discard(task)
        if not task.cancelled():
            task.exception()                # retrieved: whoever awaited it reports it

    def adopt(self, end: StreamEnd) -> None:
        """Count a connection end as this sandbox's (closed on release)."""
        self.connections.add(end)
        end.on_close = self.connections.discard

    def release(self) -> None:
        """The sandbox stopped: free its ports, reset its connections, stop serving."""
        if self.released:
            return
        self.released = True
        for listener in list(self._listeners or ()):
            listener.close()
        for end in list(self._connections or ()):
            end.close()
        for task in list(self._tasks or ()):
            task.cancel()
        self._tasks = None
        self.fabric.forget(self)

    def _check_open(self) -> None:
        if self.released:
            raise NetError("unreachable", "connect: network is unreachable")
