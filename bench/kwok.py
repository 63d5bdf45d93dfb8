"""kwok's published figures, as data, for the comparison section of RESULTS.md.

kwok (Kubernetes WithOut Kubelet, kubernetes-sigs) is the reference point for simulated
clusters.  Its figures are the project's own claims (looked up with the search tool, not
measured here, on hardware the page does not name); they stand beside ours so a reader
can place them, not as a like-for-like race: kwok fakes the kubelet for a real
kube-apiserver, etcd, scheduler and controller manager, while this simulator is all of
those, and the containers, in one Python process.
"""

from __future__ import annotations

from typing import NamedTuple

SOURCE = "https://github.com/kubernetes-sigs/kwok (README.md, section \"Why KWOK?\")"
SOURCE_MIRROR = "https://raw.githubusercontent.com/kubernetes-sigs/kwok/main/README.md"


class Claim(NamedTuple):
    what: str
    value: float
    unit: str
    text: str           # our short statement of the fact, not the page's prose


CREATE_RATE = Claim("creation rate", 20.0, "nodes or pods per second",
                    "kwok can currently create 20 nodes or pods per second")
MAINTAINED_NODES = Claim("cluster size maintained", 1000.0, "nodes",
                         "kwok can reliably maintain 1k nodes and 100k pods")
MAINTAINED_PODS = Claim("cluster size maintained", 100_000.0, "pods",
                        "kwok can reliably maintain 1k nodes and 100k pods")
