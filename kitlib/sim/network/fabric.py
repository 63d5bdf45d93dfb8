"""The cluster network: who listens where, and how a connection finds its listener.

In kind, every pod IP is routable from every pod and node (kindnet), a Service's
ClusterIP exists only as kube-proxy's rules on each node, and a NodePort is open on every
node's address.  The fabric is that network in memory: a table of network namespaces by
address (each with its bound ports), the Service rules (``ServiceTable``), and cluster DNS.
A client in a pod asks for ``ip:port``; the fabric applies the Service rules (rewrite to a
chosen endpoint, or refuse, or drop), finds the namespace that owns the address, and hands
the request to the listener: an HTTP request object straight to an HTTP handler, or an
in-memory byte stream.  When nothing owns the address the client sees what it would in
kind: "connection refused" from a live host without the port, "no route to host" for a
vanished pod's address, a timeout for addresses nobody has (there is no internet).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Iterable, TypeVar

from kitlib.sim.clock import Clock
from kitlib.sim.network import httpwire
from kitlib.sim.network.api import (Connection, HttpHandler, HttpRequest, HttpResponse,
                                    Listener, NetError, StreamHandler)
from kitlib.sim.network.apiproxy import ApiProxy, ObjectGetter
from kitlib.sim.network.dns import ClusterDNS
from kitlib.sim.network.resolvconf import resolver_config
from kitlib.sim.network.podnet import LOOPBACK, BoundListener, NetNamespace, PodNet
from kitlib.sim.network.serviceproxy import DROP, REJECT, ServiceTable
from kitlib.sim.network.streams import StreamEnd, pipe

if TYPE_CHECKING:
    from kitlib.sim.component import Context

log = logging.getLogger("kitlib.sim.network")
T = TypeVar("T")
#: The docker network's gateway: the learner's own machine, outside the cluster.
OUTSIDE_IP = "172.18.0.1"
#: How long a SYN to a pod address nobody answers ARP for waits before EHOSTUNREACH.
ARP_TIMEOUT = 3.0
#: How long Linux retries an unanswered SYN (tcp_syn_retries=6) when the client sets no
#: timeout of its own.
SYN_TIMEOUT = 127.0


@dataclass(frozen=True, slots=True)
class _Route:
    listener: BoundListener
    client_ip: str              # the source the server sees


class Fabric:
    """The whole cluster's network: pod and node namespaces by address, kube-proxy's rules
    (``services``), cluster DNS (``dns``), and the API server's way in (``api``)."""

    def __init__(self, *, clock: Clock, services: ServiceTable, dns: ClusterDNS,
                 get: ObjectGetter | None = None) -> None:
        self.clock = clock
        self.services = services
        self.dns = dns
        self._spaces: dict[str, NetNamespace] = {}
        self._owners: dict[str, PodNet] = {}                  # pod address -> its sandbox
        self._pods: dict[tuple[str, str], PodNet] = {}
        self._hosts: dict[str, PodNet] = {}
        self._port = 32768 + clock.random.randrange(20000)    # ephemeral ports
        self.api = ApiProxy(self, get) if get is not None else None

    @classmethod
    def for_cluster(cls, ctx: Context) -> Fabric:
        """The fabric of a SimCluster: kube-proxy's rules and DNS follow the informers."""
        services = ServiceTable(rng=ctx.clock.random, now=ctx.clock.time)
        services.attach(ctx.informers)
        informers = {r: ctx.informers(r) for r in ("pods", "services", "endpoints", "namespaces")}

        def get(resource: str, namespace: str, name: str) -> dict[str, Any] | None:
            record = informers[resource].get(namespace, name)
            return record.object() if record is not None else None

        dns = ClusterDNS(services, rng=ctx.clock.random, namespace_exists=lambda ns: (
            informers["namespaces"].get("", ns) is not None))
        return cls(clock=ctx.clock, services=services, dns=dns, get=get)

    # --- namespaces ------------------------------------------------------------------------

    def pod_network(self, *, namespace: str, pod: str, ip: str, hostname: str = "",
                    subdomain: str = "", dns_policy: str = "ClusterFirst",
                    dns_config: dict[str, Any] | None = None, node_ip: str = "",
                    host_network: bool = False,
                    host_aliases: Iterable[dict[str, Any]] = ()) -> PodNet:
        """A new sandbox's network namespace (hostNetwork: a handle on the node's).

        ``node_ip`` is the InternalIP of the pod's node: traffic policies (Local) and the
        masquerading of NodePort traffic depend on where a client runs.  A sandbox made
        again for the same pod, or for an address a stale sandbox still holds, replaces it.
        """
        if not ip and not host_network:
            raise ValueError(f"pod {namespace}/{pod} has no IP for its network")
        old = self._pods.get((namespace, pod))
        if old is not None:
            old.release()
        if host_network:
            space = self.host_network(node_ip or ip).space
        else:
            taken = self._owners.get(ip)
            if taken is not None:           # a stale sandbox still held the address
                log.warning("%s takes %s from %r", pod, ip, taken)
                taken.release()
            space = NetNamespace(ip=ip, node_ip=node_ip, label=pod)
            self._spaces[ip] = space
        resolver = resolver_config(namespace=namespace, dns_policy=dns_policy,
                                   host_network=host_network, dns_config=dns_config)
        net = PodNet(self, space, namespace=namespace, pod=pod, hostname=hostname or pod,
                     subdomain=subdomain, resolver=resolver, host_aliases=host_aliases)
        self._pods[(namespace, pod)] = net
        if not host_network:
            self._owners[ip] = net
        return net

    def network_of(self, namespace: str, pod: str) -> PodNet | None:
        return self._pods.get((namespace, pod))

    def host_network(self, ip: str) -> PodNet:
        """A node's own namespace (kubelet probes, hostNetwork pods, host listeners); the
        learner's machine for ``OUTSIDE_IP``."""
        net = self._hosts.get(ip)
        if net is None:
            node = self.services.node_ips.get(ip, "")
            space = NetNamespace(ip=ip, node_ip=ip, label=node or ip, host=True,
                                 outside=ip == OUTSIDE_IP)
            self._spaces[ip] = space
            net = PodNet(self, space, namespace="", pod=node or ip, hostname=node or ip,
                         resolver=resolver_config(namespace="", dns_policy="Default"))
            self._hosts[ip] = net
        return net

    def outside(self) -> PodNet:
        """A client on the learner's machine (the docker host), outside the cluster."""
        return self.host_network(OUTSIDE_IP)

    def listen(self, ip: str, port: int, *, http: HttpHandler | None = None,
               stream: StreamHandler | None = None, protocol: str = "TCP",
               owner: str = "") -> Listener:
        """Listen on a node's address (the API server on 6443, a kubelet on 10250)."""
        return self.host_network(ip).listen(port, http=http, stream=stream, protocol=protocol,
                                            owner=owner)

    def forget(self, net: PodNet) -> None:
        """Called by ``PodNet.release``: drop the sandbox from the tables."""
        if self._pods.get((net.namespace, net.pod)) is net:
            del self._pods[(net.namespace, net.pod)]
        if self._owners.get(net.ip) is net:
            del self._owners[net.ip]
            if self._spaces.get(net.ip) is net.space:
                del self._spaces[net.ip]
        if self._hosts.get(net.ip) is net:
            del self._hosts[net.ip]

    def listeners(self) -> list[Listener]:
        """Everything listening, for ``kit`` diagnostics (ss -ltn, cluster-wide)."""
        return [listener for space in self._spaces.values() for listener in space.ports.values()]

    # --- routing ---------------------------------------------------------------------------

    def _ephemeral(self) -> int:
        self._port = 32768 if self._port >= 60999 else self._port + 1
        return self._port

    async def _route(self, src: PodNet, ip: str, port: int, timeout: float) -> _Route:
        """Where a connection from ``src`` to ``ip:port`` ends up (kube-proxy's DNAT, then
        routing); raises NetError as the dial would fail."""
        if not 0 < timeout < float("inf"):
            timeout = SYN_TIMEOUT
        dialled = f"{ip}:{port}" if ":" not in ip else f"[{ip}]:{port}"
        if ip in LOOPBACK:
            listener = src.space.ports.get((port, "TCP"))
            if listener is None:
                raise NetError("refused", f"dial tcp {dialled}: connect: connection refused")
            return _Route(listener, "127.0.0.1")
        client_ip = src.ip
        node = self.services.node_ips.get(src.node_ip, "")
        rule = self.services.vip(ip, port)
        if rule is None and ip in self.services.node_ips:
            node_port = self.services.node_port(port)
            if node_port is not None:
                rule, node = (node_port, True), self.services.node_ips[ip]
        elif rule is None and self.services.is_cluster_ip(ip):
            await self._wait(timeout)       # no rule for this port: nothing answers
            raise NetError("timeout", f"dial tcp {dialled}: i/o timeout")
        if rule is not None:
            sp, external = rule
            choice = self.services.choose(sp, client_ip=src.ip, node=node, external=external,
                                          from_outside=src.space.outside)
            if choice == REJECT:
                raise NetError("refused", f"dial tcp {dialled}: connect: connection refused")
            if choice == DROP:
                await self._wait(timeout)
                raise NetError("timeout", f"dial tcp {dialled}: i/o timeout")
            assert not isinstance(choice, str)
            # Traffic to a NodePort or external IP is masqueraded to the receiving node's
            # address, unless externalTrafficPolicy Local keeps an outside client's source.
            keeps_source = src.space.outside and sp.service.external_local
            if external and not keeps_source and node in self.services.nodes:
                client_ip = self.services.nodes[node].ip
            ip, port = choice.ip, choice.port
        space = self._spaces.get(ip)
        if space is not None:
            listener = space.ports.get((port, "TCP"))
            if listener is not None:
                return _Route(listener, client_ip)
            raise NetError("refused", f"dial tcp {dialled}: connect: connection refused")
        if ip in self.services.node_ips:
            raise NetError("refused", f"dial tcp {dialled}: connect: connection refused")
        if self._in_pod_network(ip):
            await self._wait(min(ARP_TIMEOUT, timeout))
            if timeout >= ARP_TIMEOUT:
                raise NetError("unreachable", f"dial tcp {dialled}: connect: no route to host")
        else:
            await self._wait(timeout)
        raise NetError("timeout", f"dial tcp {dialled}: i/o timeout")

    def _in_pod_network(self, ip: str) -> bool:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(node.pod_cidr and address in ipaddress.ip_network(node.pod_cidr, strict=False)
                   for node in self.services.nodes.values())

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            await self.clock.sleep(seconds)

    async def _within(self, work: Awaitable[T], seconds: float,
                      timed_out: Callable[[], NetError]) -> T:
        """``work`` unless it takes more than ``seconds`` of simulated time (none: 0)."""
        task = asyncio.ensure_future(work)
        if not 0 < seconds < float("inf"):
            return await task
        timer = asyncio.ensure_future(self.clock.sleep(seconds))
        try:
            await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            timer.cancel()
        if not task.done():
            task.cancel()
            raise timed_out()
        if task.cancelled():                # the server's sandbox went away mid-answer
            raise NetError("reset", "EOF")
        return task.result()

    # --- delivery --------------------------------------------------------------------------

    async def send_http(self, src: PodNet, ip: str, port: int, request: HttpRequest, *,
                        timeout: float = 10.0) -> HttpResponse:
        """One HTTP exchange from ``src`` to ``ip:port`` (the fast path: no bytes)."""
        route = await self._route(src, ip, port, timeout)
        listener = route.listener
        request = replace(request, client_ip=route.client_ip, client_port=self._ephemeral())
        if listener.http is not None:
            work: Awaitable[HttpResponse] = listener.http(request)
        else:
            work = self._http_over_stream(src, route, ip, port, request)
        server = listener.net
        task = server.spawn(work, name=f"http {ip}:{port}")
        try:
            response = await self._within(task, timeout, lambda: NetError(
                "timeout", "net/http: timeout awaiting response headers"))
        except NetError:
            raise
        except Exception:
            log.exception("HTTP handler of %s failed", listener.owner)
            raise NetError("reset", "EOF") from None
        if not response.served_by:
            response = replace(response, served_by=_served_by(listener))
        return response

    async def _http_over_stream(self, src: PodNet, route: _Route, ip: str, port: int,
                                request: HttpRequest) -> HttpResponse:
        client, server = self._pair(src, route, ip, port, request.client_port)
        try:
            client.write(httpwire.encode_request(request, host=request.host or ip))
            return await httpwire.read_response(httpwire.Reader(client), method=request.method)
        finally:
            client.close()

    async def dial(self, src: PodNet, ip: str, port: int, *,
                   timeout: float = 10.0) -> Connection:
        """A byte stream from ``src`` to ``ip:port`` (a stream handler gets the other end;
        an HTTP handler gets requests parsed from it)."""
        route = await self._route(src, ip, port, timeout)
        client, _ = self._pair(src, route, ip, port, self._ephemeral())
        return client

    def _pair(self, src: PodNet, route: _Route, ip: str, port: int,
              client_port: int) -> tuple[StreamEnd, StreamEnd]:
        listener = route.listener
        client, server = pipe(client=(src.ip, client_port), server=(listener.ip, listener.port),
                              client_seen_as=(route.client_ip, client_port),
                              server_seen_as=(ip, port))
        src.adopt(client)
        listener.net.adopt(server)
        task = listener.net.spawn(_serve(listener, server),
                                  name=f"conn {listener.owner}:{listener.port}")
        task.add_done_callback(lambda _: server.close())
        return client, server

    # --- for the API server (proxy and port-forward) ---------------------------------------

    async def http_to_pod(self, namespace: str, pod: str, port: int | str | None,
                          request: HttpRequest, *, scheme: str = "http") -> HttpResponse:
        return await self._api().http_to_pod(namespace, pod, port, request, scheme=scheme)

    async def http_to_service(self, namespace: str, service: str, port: int | str | None,
                              request: HttpRequest, *, scheme: str = "http") -> HttpResponse:
        return await self._api().http_to_service(namespace, service, port, request,
                                                 scheme=scheme)

    async def connect_to_pod(self, namespace: str, pod: str, port: int) -> Connection:
        return await self._api().connect_to_pod(namespace, pod, port)

    def _api(self) -> ApiProxy:
        if self.api is None:
            raise RuntimeError("this fabric was built without access to the API")
        return self.api


def _served_by(listener: BoundListener) -> str:
    """The pod that answered (or, for a node's own listener, its owner's name)."""
    net = listener.net
    return net.pod if net.namespace else (listener.owner or net.pod)


async def _serve(listener: BoundListener, conn: StreamEnd) -> None:
    try:
        if listener.stream is not None:
            await listener.stream(conn)
        elif listener.http is not None:
            await httpwire.serve(listener.http, conn)
    except (asyncio.CancelledError, NetError):
        raise
    except Exception:
        log.exception("connection handler of %s failed", listener.owner)
