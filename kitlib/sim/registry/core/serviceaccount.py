"""ServiceAccounts: the identity a pod's processes run as.

Nothing is defaulted or validated beyond object metadata (a DNS-1123 subdomain name).
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class ServiceAccountStrategy(Strategy):
    pass
