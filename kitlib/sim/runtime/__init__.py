"""The container runtime the simulated kubelets drive (their containerd).

``interface`` is the protocol (CRI, simplified).  ``simulated`` is the runtime the nodes
use: containers run simulated programs (``programs/``) with in-memory filesystems
(``fs/``), logs (``logs``), exec and attach sessions (``sessions``) and probes answered by
the containers themselves (``probing``).  ``provisional`` is the earlier runtime that ran
nothing and predicted what a command would do (``commands``); it is kept for comparison
and as the fallback for commands when the sandboxed shell is missing.  ``reference``
parses image names as containerd does; ``catalogue`` and ``images.yaml`` say which
images exist and what is in them.
"""

from __future__ import annotations

from kitlib.sim.runtime.faults import PullFaults
from kitlib.sim.runtime.interface import (ContainerConfig, ContainerRuntime, CRIError,
                                          ExecResult, ExitStatus, FaultInjection, HttpResponse,
                                          Image, NetworkError, PodSandbox, PullError, Pulled,
                                          StartError)
from kitlib.sim.runtime.provisional import ProvisionalRuntime
from kitlib.sim.runtime.reference import ImageReference, ReferenceError, parse_reference
from kitlib.sim.runtime.simulated import SimulatedRuntime

__all__ = ["ContainerConfig", "ContainerRuntime", "CRIError", "ExecResult", "ExitStatus",
           "FaultInjection", "HttpResponse", "Image", "ImageReference", "NetworkError",
           "PodSandbox", "PullError", "PullFaults", "Pulled", "ProvisionalRuntime",
           "ReferenceError", "SimulatedRuntime", "StartError", "parse_reference"]
