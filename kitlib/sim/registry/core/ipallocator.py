"""The API server's allocators for Service ClusterIPs and NodePorts.

Both work like kube-apiserver's bitmap allocators: a requested value must be inside the
range and free; a dynamic one is drawn at random from the upper part of the range (the
lower part stays free for values users request, such as 10.96.0.10 for kube-dns).  The
random source is passed in so a seeded simulation allocates the same addresses every run.
Error messages are the real ones; the Service allocation step (``servicealloc``) wraps
them into 422 field errors.
"""

from __future__ import annotations

import ipaddress
import random


class AllocationError(Exception):
    """An allocation the range cannot satisfy; ``str()`` is Go's error text."""


class RangeFull(AllocationError):
    def __init__(self) -> None:
        super().__init__("range is full")


class AlreadyAllocated(AllocationError):
    def __init__(self, what: str) -> None:
        super().__init__(f"provided {what} is already allocated")


class NotInRange(AllocationError):
    pass


def _range_offset(size: int, *, low: int, high: int, step: int) -> int:
    """calculateRangeOffset: the statically reserved lower band, min(max(low, size/step), high)."""
    if size <= low:
        return 0
    return min(max(low, size // step), high)


class _Bitmap:
    """The used offsets of a range, and a random pick that prefers the upper band."""

    def __init__(self, size: int, offset: int, rng: random.Random) -> None:
        self.size, self.offset, self.rng = size, offset, rng
        self.used: set[int] = set()

    def pick(self) -> int:
        if len(self.used) >= self.size:
            raise RangeFull()
        upper = self.size - self.offset
        if upper > 0:
            start = self.rng.randrange(upper)
            for i in range(upper):
                at = self.offset + (start + i) % upper
                if at not in self.used:
                    return at
        if self.offset:
            start = self.rng.randrange(self.offset)
            for i in range(self.offset):
                at = (start + i) % self.offset
                if at not in self.used:
                    return at
        raise RangeFull()


class ClusterIPAllocator:
    """ClusterIPs from the service CIDR (10.96.0.0/12 on a kubeadm cluster)."""

    def __init__(self, *, rng: random.Random, cidr: str = "10.96.0.0/12") -> None:
        self.network = ipaddress.ip_network(cidr)
        self.cidr = str(self.network)
        self.family = "IPv4" if self.network.version == 4 else "IPv6"
        size = self.network.num_addresses - (2 if self.network.version == 4 else 1)
        self._base = int(self.network.network_address) + 1  # never the ".0" address
        offset = _range_offset(self.network.num_addresses, low=16, high=256, step=16)
        self._bits = _Bitmap(max(size, 0), offset, rng)

    def _offset(self, ip: str) -> int | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        if address.version != self.network.version or address not in self.network:
            return None
        offset = int(address) - self._base
        return offset if 0 <= offset < self._bits.size else None

    def allocate(self, *, requested: str | None = None) -> str:
        if requested is None:
            offset = self._bits.pick()
        else:
            found = self._offset(requested)
            if found is None:
                raise NotInRange(f"the provided IP ({requested}) is not in the valid range. "
                                 f"The range of valid IPs is {self.cidr}")
            if found in self._bits.used:
                raise AlreadyAllocated("IP")
            offset = found
        self._bits.used.add(offset)
        return str(ipaddress.ip_address(self._base + offset))

    def release(self, ip: str) -> None:
        offset = self._offset(ip)
        if offset is not None:
            self._bits.used.discard(offset)

    def mark_used(self, ip: str) -> None:
        """Record an address a stored Service already holds (restore after a restart)."""
        offset = self._offset(ip)
        if offset is not None:
            self._bits.used.add(offset)

    def is_used(self, ip: str) -> bool:
        return self._offset(ip) in self._bits.used


class NodePortAllocator:
    """NodePorts from the node port range (30000-32767 by default)."""

    def __init__(self, *, rng: random.Random, base: int = 30000, size: int = 2768) -> None:
        self.base, self.size = base, size
        self.range_text = f"{base}-{base + size - 1}"
        self._bits = _Bitmap(size, _range_offset(size, low=16, high=128, step=32), rng)

    def allocate(self, *, requested: int | None = None) -> int:
        if requested is None:
            offset = self._bits.pick()
        else:
            offset = requested - self.base
            if not 0 <= offset < self.size:
                raise NotInRange("provided port is not in the valid range. The range of valid "
                                 f"ports is {self.range_text}")
            if offset in self._bits.used:
                raise AlreadyAllocated("port")
        self._bits.used.add(offset)
        return self.base + offset

    def release(self, port: int) -> None:
        self._bits.used.discard(port - self.base)

    def mark_used(self, port: int) -> None:
        if 0 <= port - self.base < self.size:
            self._bits.used.add(port - self.base)

    def is_used(self, port: int) -> bool:
        return port - self.base in self._bits.used
