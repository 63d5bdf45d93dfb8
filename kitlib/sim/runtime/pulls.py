"""The images a node holds, and pulling more: what both runtimes share.

A pull takes simulated time (the image's size over the profile's bandwidth, plus the
registry round trips; a cached image only the latter), fails as containerd fails for a
repository the catalogue lacks, and fails on purpose for images an instructor made fail
(``PullFaults``).  The Image it leaves carries the reference and digest the kubelet puts
in the pod's status.
"""

from __future__ import annotations

from kitlib.sim.clock import Clock
from kitlib.sim.runtime.catalogue import Catalogue, Timing
from kitlib.sim.runtime.faults import PullFaults
from kitlib.sim.runtime.interface import Image, PodSandbox, PullError, Pulled
from kitlib.sim.runtime.reference import parse_reference


class ImageStore:
    def __init__(self, *, catalogue: Catalogue, timing: Timing, clock: Clock,
                 pull_faults: PullFaults | None) -> None:
        self.catalogue = catalogue
        self.timing = timing
        self.clock = clock
        self.pull_faults = pull_faults
        self._images: dict[str, Image] = {}

    def image_status(self, image: str) -> Image | None:
        return self._images.get(str(parse_reference(image).with_default_tag()))

    async def pull_image(self, image: str, *, sandbox: PodSandbox | None = None) -> Pulled:
        ref = parse_reference(image)
        fault = self.pull_faults.check(ref) if self.pull_faults else None
        info = self.catalogue.find(ref)
        jitter = self.clock.jitter
        if fault is not None or info is None:
            await self.clock.sleep(jitter(*self.timing.pull_overhead))
            raise PullError(fault or self.catalogue.missing_message(ref))
        found = self.catalogue.image_of(ref)
        if found.reference in self._images:
            seconds = jitter(*self.timing.cached_pull)
        else:
            transfer = found.size / self.timing.pull_bytes_per_second
            seconds = jitter(*self.timing.pull_overhead) + transfer * jitter(0.85, 1.15)
        await self.clock.sleep(seconds)
        self._images[found.reference] = found
        return Pulled(image=found, seconds=seconds)

    def adopt(self, image: str) -> Image:
        """An image a restored container runs: present, as it was before the restart."""
        found = self.catalogue.image_of(parse_reference(image))
        return self._images.setdefault(found.reference, found)
