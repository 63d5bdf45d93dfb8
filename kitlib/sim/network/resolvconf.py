"""The resolver files the kubelet gives a pod: /etc/resolv.conf and /etc/hosts.

The DNS policy decides where names go.  ``ClusterFirst`` (the default) sends them to
cluster DNS with the pod's namespace first in the search list and ``ndots:5``, so that
``web`` means ``web.<namespace>.svc.cluster.local``; ``Default`` gives the node's own file
(on kind: docker's resolver, which knows no cluster names); hostNetwork pods get the node's
unless they ask for ``ClusterFirstWithHostNet``; ``None`` takes only ``dnsConfig``, which is
merged into the others.  /etc/hosts holds localhost, the pod's own name (with its
``hostname.subdomain`` FQDN), and ``hostAliases``.  containerd writes resolv.conf as
search, nameserver, options; the kubelet writes hosts with tabs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

CLUSTER_DOMAIN = "cluster.local"
#: kube-dns's ClusterIP (kubeadm reserves the tenth address of the Service range).
DNS_SERVER = "10.96.0.10"
#: What a kind node's /etc/resolv.conf names: the docker network's gateway, where kind
#: points docker's embedded DNS.
NODE_DNS_SERVER = "172.18.0.1"
JSON = dict[str, Any]


@dataclass(frozen=True)
class ResolverConfig:
    """A pod's /etc/resolv.conf, parsed."""

    nameservers: tuple[str, ...]
    searches: tuple[str, ...] = ()
    options: tuple[str, ...] = ()

    @property
    def ndots(self) -> int:
        for option in self.options:
            if option.startswith("ndots:") and option[6:].isdigit():
                return min(int(option[6:]), 15)
        return 1

    @property
    def server(self) -> str:
        return self.nameservers[0] if self.nameservers else NODE_DNS_SERVER

    def candidates(self, name: str) -> list[str]:
        """The names a glibc stub resolver asks for, in order."""
        name = name.lower()
        if name.endswith("."):
            return [name[:-1]]
        searched = [f"{name}.{domain}" for domain in self.searches]
        return [name, *searched] if name.count(".") >= self.ndots else [*searched, name]

    def text(self) -> str:
        """The file as containerd writes it: search, nameserver, options."""
        lines = []
        if self.searches:
            lines.append("search " + " ".join(self.searches))
        lines += [f"nameserver {server}" for server in self.nameservers]
        if self.options:
            lines.append("options " + " ".join(self.options))
        return "".join(line + "\n" for line in lines)


def resolver_config(*, namespace: str, dns_policy: str = "ClusterFirst",
                    host_network: bool = False, dns_config: JSON | None = None) -> ResolverConfig:
    """What the kubelet gives a pod (pkg/kubelet/network/dns: GetPodDNS); one shared
    (immutable) config for all the pods of a namespace that ask for the same."""
    if not dns_config:
        key = (namespace, dns_policy, host_network)
        found = _SHARED.get(key)
        if found is None:
            found = _SHARED[key] = _resolver_config(namespace=namespace, dns_policy=dns_policy,
                                                    host_network=host_network)
        return found
    return _resolver_config(namespace=namespace, dns_policy=dns_policy,
                            host_network=host_network, dns_config=dns_config)


_SHARED: dict[tuple[str, str, bool], ResolverConfig] = {}


def _resolver_config(*, namespace: str, dns_policy: str, host_network: bool,
                     dns_config: JSON | None = None) -> ResolverConfig:
    if dns_policy == "None":
        servers: list[str] = []
        searches: list[str] = []
        options: list[str] = []
    elif dns_policy == "ClusterFirstWithHostNet" or (dns_policy == "ClusterFirst"
                                                     and not host_network):
        servers = [DNS_SERVER]
        searches = [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]
        options = ["ndots:5"]
    else:                                   # Default, or ClusterFirst with hostNetwork
        servers, searches, options = [NODE_DNS_SERVER], [], ["ndots:0"]
    config = dns_config or {}
    servers += [s for s in config.get("nameservers") or [] if s not in servers]
    searches += [s for s in config.get("searches") or [] if s not in searches]
    for option in config.get("options") or []:
        name = option.get("name") or ""
        value = option.get("value")
        options = [o for o in options if o.split(":")[0] != name]
        options.append(f"{name}:{value}" if value is not None else name)
    return ResolverConfig(tuple(servers), tuple(searches), tuple(options))


def resolv_conf(*, namespace: str, dns_policy: str = "ClusterFirst", host_network: bool = False,
                dns_config: JSON | None = None) -> str:
    """/etc/resolv.conf of a pod."""
    return resolver_config(namespace=namespace, dns_policy=dns_policy, host_network=host_network,
                           dns_config=dns_config).text()


def hosts_entries(*, ip: str, hostname: str, namespace: str = "", subdomain: str = "",
                  host_aliases: Iterable[JSON] = ()) -> list[tuple[str, list[str]]]:
    """The kubelet-managed hosts file as (address, names) pairs, in file order."""
    entries = [("127.0.0.1", ["localhost"]), ("::1", ["localhost", "ip6-localhost",
                                                       "ip6-loopback"]),
               ("fe00::0", ["ip6-localnet"]), ("fe00::0", ["ip6-mcastprefix"]),
               ("fe00::1", ["ip6-allnodes"]), ("fe00::2", ["ip6-allrouters"])]
    if ip and hostname:
        if subdomain:
            entries.append((ip, [f"{hostname}.{subdomain}.{namespace}.svc.{CLUSTER_DOMAIN}",
                                 hostname]))
        else:
            entries.append((ip, [hostname]))
    return entries + [(alias.get("ip", ""), list(alias.get("hostnames") or []))
                      for alias in host_aliases]


def hosts_file(*, ip: str, hostname: str, namespace: str = "", subdomain: str = "",
               host_aliases: Iterable[JSON] = ()) -> str:
    """/etc/hosts of a pod, as the kubelet writes it (tab-separated)."""
    aliases = list(host_aliases)
    entries = hosts_entries(ip=ip, hostname=hostname, namespace=namespace, subdomain=subdomain)
    lines = ["# Kubernetes-managed hosts file."]
    for address, names in entries:
        # The IPv6 localhost line separates its names with spaces, the others with tabs.
        lines.append(address + "\t" + (" " if address == "::1" else "\t").join(names))
    if aliases:
        lines += ["", "# Entries added by HostAliases."]
        lines += [a.get("ip", "") + "\t" + "\t".join(a.get("hostnames") or []) for a in aliases]
    return "".join(line + "\n" for line in lines)
