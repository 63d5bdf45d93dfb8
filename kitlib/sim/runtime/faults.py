"""Image pulls that fail on purpose: a registry outage or a revoked image, on demand.

Shared by every node's runtime (a registry is outside the cluster), and set by the control
API or a test through ``Fleet.fail_image_pulls``.  An image named with a tag fails for
that tag only; named without one, every tag of the repository fails.
"""

from __future__ import annotations

from kitlib.sim.runtime.reference import ImageReference, parse_reference


class PullFaults:
    def __init__(self) -> None:
        # (repository, tag or "") -> the message containerd reports, or "" for the default
        self._failing: dict[tuple[str, str], str] = {}

    def fail(self, image: str, message: str = "") -> None:
        ref = parse_reference(image)
        self._failing[(ref.repository, ref.tag or ref.digest)] = message

    def clear(self, image: str | None = None) -> None:
        if image is None:
            self._failing.clear()
            return
        ref = parse_reference(image)
        self._failing.pop((ref.repository, ref.tag or ref.digest), None)

    def check(self, ref: ImageReference) -> str | None:
        """The failure message for pulling ``ref`` ("" for the registry's usual answer),
        or None when the pull may proceed."""
        ref = ref.with_default_tag()
        for key in ((ref.repository, ref.tag or ref.digest), (ref.repository, "")):
            if key in self._failing:
                return self._failing[key]
        return None

    def __bool__(self) -> bool:
        return bool(self._failing)
