"""The simulated cluster network: pod IPs, cluster DNS, Services, and the fabric that
carries connections between them.  Nothing here opens a real socket.

``Fabric`` is the network (``cluster.fabric`` in a running SimCluster); the runtime asks it
for a ``PodNet`` per pod sandbox, the shell's tools use that ``PodNet`` (the ``PodNetwork``
contract of ``api``), and the API server's proxy and port-forward call
``Fabric.http_to_pod``, ``http_to_service`` and ``connect_to_pod``.
"""

from kitlib.sim.network.api import (Connection, HttpHandler, HttpRequest, HttpResponse,
                                    Listener, NetError, PodNetwork, StreamHandler)
from kitlib.sim.network.apiproxy import ServiceUnavailable
from kitlib.sim.network.dns import ClusterDNS, NameNotFound
from kitlib.sim.network.resolvconf import (CLUSTER_DOMAIN, DNS_SERVER, ResolverConfig,
                                           hosts_file, resolv_conf, resolver_config)
from kitlib.sim.network.fabric import OUTSIDE_IP, Fabric
from kitlib.sim.network.podnet import PodNet
from kitlib.sim.network.serviceproxy import Backend, ServiceTable

__all__ = [
    "CLUSTER_DOMAIN", "DNS_SERVER", "OUTSIDE_IP", "Backend", "ClusterDNS", "Connection",
    "Fabric", "HttpHandler", "HttpRequest", "HttpResponse", "Listener", "NameNotFound",
    "NetError", "PodNet", "PodNetwork", "ResolverConfig", "ServiceTable", "ServiceUnavailable",
    "StreamHandler", "hosts_file", "resolv_conf", "resolver_config",
]
