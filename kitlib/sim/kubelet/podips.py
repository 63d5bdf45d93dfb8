"""Pod IPs from the node's podCIDR, handed out as kind's CNI (host-local IPAM) does.

Each node owns a /24 of 10.244.0.0/16; the first address is the bridge's gateway, so pods
get .2, .3, ... in order.  host-local remembers the last address it gave and continues
after it, wrapping around at the end: an address freed by a deleted pod is not reused at
once, which is why pod IPs on a busy kind node keep climbing.
"""

from __future__ import annotations

import ipaddress


class PodIPs:
    def __init__(self, cidr: str) -> None:
        self.network = ipaddress.ip_network(cidr)
        hosts = list(self.network.hosts())
        self._pool = [str(ip) for ip in hosts[1:]]          # hosts[0] is the gateway
        self._index = {ip: i for i, ip in enumerate(self._pool)}
        self._used: set[str] = set()
        self._last = -1

    def allocate(self) -> str:
        """The next free address after the last one given; raises RuntimeError when full."""
        size = len(self._pool)
        for step in range(1, size + 1):
            candidate = self._pool[(self._last + step) % size]
            if candidate not in self._used:
                self._used.add(candidate)
                self._last = self._index[candidate]
                return candidate
        raise RuntimeError(f"no IP addresses available in range set: {self.network}")

    def reserve(self, ip: str) -> bool:
        """Mark an address as taken (a pod restored from saved state); False if not ours."""
        if ip not in self._index:
            return False
        self._used.add(ip)
        self._last = max(self._last, self._index[ip])
        return True

    def release(self, ip: str) -> None:
        self._used.discard(ip)

    def __len__(self) -> int:
        return len(self._used)

    def __contains__(self, ip: object) -> bool:
        return ip in self._used
