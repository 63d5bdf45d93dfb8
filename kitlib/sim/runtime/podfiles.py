"""The files a pod's containers get from the kubelet rather than from their image.

Every container of a pod sees the same ``/etc/hosts`` (written by the kubelet: localhost,
the pod's own name and IP, its ``hostAliases``), ``/etc/hostname`` and
``/etc/resolv.conf`` (the cluster DNS Service, the search domains of the pod's namespace,
``ndots:5``), each bind-mounted from one file of the pod's, as containerd mounts them.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]
CLUSTER_DOMAIN = "cluster.local"
CLUSTER_DNS = "10.96.0.10"
#: What the kind node resolves with (dnsPolicy: Default).
NODE_RESOLV = "nameserver 172.18.0.1\noptions ndots:0\n"

_LOCAL = ("127.0.0.1\tlocalhost\n"
          "::1\tlocalhost ip6-localhost ip6-loopback\n"
          "fe00::0\tip6-localnet\n"
          "fe00::0\tip6-mcastprefix\n"
          "fe00::1\tip6-allnodes\n"
          "fe00::2\tip6-allrouters\n")


def hosts_file(pod: JSON, *, ip: str, hostname: str) -> str:
    spec = pod.get("spec") or {}
    if spec.get("hostNetwork"):
        text = "# Kubernetes-managed hosts file (host network).\n" + _LOCAL
    else:
        text = "# Kubernetes-managed hosts file.\n" + _LOCAL
        subdomain = spec.get("subdomain")
        namespace = (pod.get("metadata") or {}).get("namespace", "")
        if subdomain:
            fqdn = f"{hostname}.{subdomain}.{namespace}.svc.{CLUSTER_DOMAIN}"
            text += f"{ip}\t{fqdn}\t{hostname}\n"
        elif ip:
            text += f"{ip}\t{hostname}\n"
    aliases = spec.get("hostAliases") or []
    if aliases:
        text += "\n# Entries added by HostAliases.\n"
        for alias in aliases:
            names = "\t".join(alias.get("hostnames") or [])
            text += f"{alias.get('ip', '')}\t{names}\n"
    return text


def resolv_conf(pod: JSON) -> str:
    spec = pod.get("spec") or {}
    namespace = (pod.get("metadata") or {}).get("namespace", "")
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy == "ClusterFirst" and spec.get("hostNetwork"):
        policy = "Default"
    nameservers: list[str] = []
    searches: list[str] = []
    options: list[str] = []
    if policy in ("ClusterFirst", "ClusterFirstWithHostNet"):
        nameservers = [CLUSTER_DNS]
        searches = [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}",
                    CLUSTER_DOMAIN]
        options = ["ndots:5"]
    elif policy == "Default":
        return _with_config(NODE_RESOLV, spec.get("dnsConfig"))
    config = spec.get("dnsConfig") or {}
    nameservers += [n for n in config.get("nameservers") or [] if n not in nameservers]
    searches += [s for s in config.get("searches") or [] if s not in searches]
    for option in config.get("options") or []:
        name, value = option.get("name", ""), option.get("value")
        options = [o for o in options if o.split(":")[0] != name]
        options.append(f"{name}:{value}" if value is not None else name)
    lines = []
    if searches:
        lines.append("search " + " ".join(searches))
    lines += [f"nameserver {server}" for server in nameservers]
    if options:
        lines.append("options " + " ".join(options))
    return "\n".join(lines) + "\n"


def _with_config(base: str, config: JSON | None) -> str:
    if not config:
        return base
    extra = "".join(f"nameserver {n}\n" for n in config.get("nameservers") or [])
    searches = config.get("searches") or []
    head = ("search " + " ".join(searches) + "\n") if searches else ""
    return head + base + extra


def hostname_file(hostname: str) -> str:
    return hostname + "\n"
