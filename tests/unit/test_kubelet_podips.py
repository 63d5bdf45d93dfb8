"""Pod IPs as kind's host-local IPAM gives them: .2 upwards, no quick reuse, wrap-around."""

from __future__ import annotations

import pytest

from kitlib.sim.kubelet.podips import PodIPs


def test_sequential_after_the_gateway_and_not_reused_at_once() -> None:
    ips = PodIPs("10.244.1.0/24")
    first, second = ips.allocate(), ips.allocate()
    assert (first, second) == ("10.244.1.2", "10.244.1.3")
    ips.release(first)
    assert ips.allocate() == "10.244.1.4"
    assert first not in ips and second in ips and len(ips) == 2


def test_wraps_around_and_fills_up() -> None:
    ips = PodIPs("10.244.3.0/29")            # .1 gateway, .2-.6 for pods
    taken = [ips.allocate() for _ in range(5)]
    assert taken == [f"10.244.3.{n}" for n in range(2, 7)]
    with pytest.raises(RuntimeError, match="no IP addresses available"):
        ips.allocate()
    ips.release("10.244.3.3")
    assert ips.allocate() == "10.244.3.3"


def test_reserve_restored_addresses() -> None:
    ips = PodIPs("10.244.1.0/24")
    assert ips.reserve("10.244.1.9") and not ips.reserve("10.244.2.9")
    assert ips.allocate() == "10.244.1.10"
