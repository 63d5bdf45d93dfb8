"""The container runtime the simulated kubelets drive (their containerd).

``interface`` is the protocol (CRI, simplified); ``provisional`` is today's implementation
(a catalogue of images, processes judged from their command lines, probe answers from pod
annotations); ``reference`` parses image names as containerd does.
"""

from __future__ import annotations

from kitlib.sim.runtime.faults import PullFaults
from kitlib.sim.runtime.interface import (ContainerConfig, ContainerRuntime, CRIError,
                                          ExecResult, ExitStatus, FaultInjection, HttpResponse,
                                          Image, NetworkError, PodSandbox, PullError, Pulled,
                                          StartError)
from kitlib.sim.runtime.provisional import ProvisionalRuntime
from kitlib.sim.runtime.reference import ImageReference, ReferenceError, parse_reference

__all__ = ["ContainerConfig", "ContainerRuntime", "CRIError", "ExecResult", "ExitStatus",
           "FaultInjection", "HttpResponse", "Image", "ImageReference", "NetworkError",
           "PodSandbox", "PullError", "PullFaults", "Pulled", "ProvisionalRuntime",
           "ReferenceError", "StartError", "parse_reference"]
