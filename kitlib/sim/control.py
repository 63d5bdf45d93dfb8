"""The simulator's own controls: its clock and failure injection.

These are what an instructor or a test turns that a real cluster does not have: slow time
down to narrate a rollout, fast-forward a 300 s eviction, stop a node's kubelet, make a
container crash.  They are served on the API server under ``/kit/v1/`` (same token) for
the ``kit`` command and kitlib, and callable in-process.  Everything here runs in the
cluster's event loop; every refusal is a Status error, worded as the API server or the
kubelet words the same refusal (``pods "web" not found``, ``pod web does not have a host
assigned``).
"""

from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kitlib.sim.clock import Clock
from kitlib.sim.machinery import errors

if TYPE_CHECKING:
    from kitlib.sim.kubelet.fleet import Fleet
    from kitlib.sim.kubelet.kubelet import Kubelet

JSON = dict[str, Any]

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?"
                       r"(?:(\d+(?:\.\d+)?)ms)?$")
#: kubectl's annotation naming the container commands use when none is given.
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
KUBELET_ACTIONS = ("stop", "start")
CONTAINER_ACTIONS = ("crash", "oom", "hang", "unhang")
EXIT_OOM = 137          # SIGKILL from the kernel's OOM killer


def parse_duration(text: str | float | int) -> float:
    """Seconds from ``30``, ``"30s"``, ``"5m"``, ``"1h30m"``, ``"250ms"`` (Go's forms)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        seconds = float(text)
    else:
        value = str(text).strip()
        try:
            seconds = float(value)
        except ValueError:
            match = _DURATION.match(value)
            if not value or not match or not any(match.groups()):
                raise errors.BadRequest(f'invalid duration "{value}": use e.g. 30s, 5m, 1h30m')
            h, m, s, ms = (float(g) if g else 0.0 for g in match.groups())
            seconds = h * 3600 + m * 60 + s + ms / 1000
    if seconds < 0:
        raise errors.BadRequest("a duration cannot be negative: time only moves forward")
    return seconds


class Control:
    def __init__(self, *, clock: Clock, fleet: Fleet | None = None, profile: str = "fast",
                 seed: int | None = None) -> None:
        self.clock = clock
        self.fleet = fleet              # set by the cluster once its nodes are built
        self.profile = profile
        self.seed = seed
        self._born = time.monotonic()   # real time, for the uptime

    # --- the clock ----------------------------------------------------------------------

    def clock_state(self) -> JSON:
        return self.clock.state()

    def clock_command(self, body: JSON) -> JSON:
        """Apply one of: {"pause": true}, {"resume": true}, {"speed": 10},
        {"advance": "30s"}; returns the new state."""
        if not isinstance(body, dict) or not body:
            raise errors.BadRequest('expected one of {"pause": true}, {"resume": true}, '
                                    '{"speed": N}, {"advance": "30s"}')
        for key, value in body.items():
            if key == "pause" and value:
                self.clock.pause()
            elif key == "resume" and value:
                self.clock.resume()
            elif key == "speed":
                try:
                    self.clock.set_speed(float(value))
                except (TypeError, ValueError):
                    raise errors.BadRequest(f"speed must be a positive number, not "
                                            f"{errors.format_value(value)}")
            elif key == "advance":
                self.clock.advance(parse_duration(value))
            elif key not in ("pause", "resume"):
                raise errors.BadRequest(f'unknown clock command "{key}": use pause, resume, '
                                        f"speed or advance")
        return self.clock.state()

    # --- what is running ----------------------------------------------------------------

    def info(self) -> JSON:
        """The simulator at a glance: its version, options, clock and nodes."""
        nodes = [] if self.fleet is None else [
            {"name": name, "kubelet": kubelet_state(kubelet),
             "controlPlane": kubelet.identity.control_plane,
             "internalIP": kubelet.identity.internal_ip}
            for name, kubelet in self.fleet.kubelets.items()]
        return {"version": kitlib_version(), "profile": self.profile, "seed": self.seed,
                "uptimeSeconds": round(time.monotonic() - self._born, 3),
                "clock": self.clock.state(), "nodes": nodes}

    # --- nodes --------------------------------------------------------------------------

    def kubelet_command(self, node: str, body: JSON) -> JSON:
        """{"action": "stop"} silences the node's kubelet (its containers keep running);
        {"action": "start"} brings it back."""
        fleet = self._nodes()
        kubelet = fleet.kubelets.get(node)
        if kubelet is None:
            raise errors.NotFound(resource="nodes", name=node)
        action = _action(body, KUBELET_ACTIONS)
        before = kubelet_state(kubelet)
        if action == "stop":
            fleet.stop_kubelet(node)
        else:
            fleet.start_kubelet(node)
        after = kubelet_state(kubelet)
        return {"node": node, "action": action, "kubelet": after, "changed": after != before}

    # --- containers ---------------------------------------------------------------------

    def container_failure(self, *, namespace: str, pod: str, container: str | None,
                          body: JSON) -> JSON:
        """Crash (``exitCode``, default 1), OOM-kill, hang or un-hang one running container;
        with no ``container``, the pod's default one (as kubectl picks it)."""
        fleet = self._nodes()
        record = fleet.ctx.informers("pods").get(namespace, pod)
        if record is None:
            raise errors.NotFound(resource="pods", name=pod)
        action = _action(body, CONTAINER_ACTIONS, options={"crash": ("exitCode",)})
        code = _exit_code(body.get("exitCode", 1)) if action == "crash" else EXIT_OOM
        obj = record.object()
        name = container or default_container(obj)
        _check_running(obj, pod=pod, container=name)
        result: JSON = {"namespace": namespace, "pod": pod, "container": name,
                        "node": obj["spec"]["nodeName"], "action": action}
        try:
            if action == "crash":
                done = fleet.crash_container(namespace, pod, name, code)
                result.update(exitCode=code, reason="Completed" if code == 0 else "Error")
            elif action == "oom":
                done = fleet.oom_kill(namespace, pod, name)
                result.update(exitCode=EXIT_OOM, reason="OOMKilled")
            else:
                done = fleet.hang_container(namespace, pod, name, hang=action == "hang")
        except KeyError:
            done = False        # the kubelet has no running container by that name
        if not done:
            raise _container_not_found(name)
        return result

    # --- images -------------------------------------------------------------------------

    def image_failure(self, body: JSON) -> JSON:
        """{"image": "nginx:1.99", "fail": true, "message": "..."} makes pulls of the image
        (every tag, if it names none) fail on every node; {"image": ..., "fail": false}
        lets them through again, and {"fail": false} alone does so for every image."""
        from kitlib.sim.runtime.reference import ReferenceError, parse_reference

        fleet = self._nodes()
        if not isinstance(body, dict):
            raise errors.BadRequest('expected {"image": "nginx:1.99", "fail": true}')
        _fields(body, ("image", "fail", "message"))
        image, fail, message = body.get("image"), body.get("fail", True), body.get("message", "")
        if not isinstance(fail, bool):
            raise errors.BadRequest(f"fail must be true or false, not "
                                    f"{errors.format_value(fail)}")
        if not isinstance(message, str):
            raise errors.BadRequest(f"message must be a string, not "
                                    f"{errors.format_value(message)}")
        if image is None and not fail:
            fleet.allow_image_pulls()
            return {"image": None, "fail": False}
        if not isinstance(image, str) or not image:
            raise errors.BadRequest('image is required: e.g. {"image": "nginx:1.99"}')
        try:
            parse_reference(image)
        except ReferenceError as exc:
            raise errors.BadRequest(f'invalid image "{image}": {exc}') from None
        if fail:
            fleet.fail_image_pulls(image, message)
            return {"image": image, "fail": True, "message": message}
        fleet.allow_image_pulls(image)
        return {"image": image, "fail": False}

    def _nodes(self) -> Fleet:
        if self.fleet is None:
            raise errors.StatusError("the simulator's nodes are not running yet", code=503,
                                     reason="ServiceUnavailable")
        return self.fleet


def kubelet_state(kubelet: Kubelet) -> str:
    """``running``, ``stopped`` (by failure injection) or ``starting`` (not registered)."""
    if kubelet.stopped:
        return "stopped"
    return "running" if kubelet.registered.is_set() else "starting"


def default_container(pod: JSON) -> str:
    """The container kubectl picks when none is named: the annotated one, or the first."""
    names = [c.get("name", "") for c in pod.get("spec", {}).get("containers") or []]
    annotated = (pod.get("metadata", {}).get("annotations") or {}).get(DEFAULT_CONTAINER)
    if annotated in names:
        return str(annotated)
    return names[0] if names else ""


def _check_running(manifest: JSON, *, pod: str, container: str) -> None:
    """The refusals ``kubectl logs`` and ``exec`` meet, in the order they meet them."""
    spec, status = manifest.get("spec", {}), manifest.get("status") or {}
    names = {c.get("name") for key in ("containers", "initContainers", "ephemeralContainers")
             for c in spec.get(key) or []}
    if container not in names:
        raise errors.BadRequest(f"container {container} is not valid for pod {pod}")
    if not spec.get("nodeName"):
        raise errors.BadRequest(f"pod {pod} does not have a host assigned")
    statuses = [s for key in ("containerStatuses", "initContainerStatuses",
                              "ephemeralContainerStatuses") for s in status.get(key) or []]
    state = next((s.get("state") or {} for s in statuses if s.get("name") == container), {})
    waiting = state.get("waiting")
    if waiting is not None or not state:
        reason = (waiting or {}).get("reason") or "ContainerCreating"
        raise errors.BadRequest(f'container "{container}" in pod "{pod}" is waiting to start: '
                                f"{reason}")


def _container_not_found(container: str) -> errors.StatusError:
    """The kubelet's answer about a container it is not running (``kubectl exec``)."""
    return errors.StatusError(f'container not found ("{container}")', code=404,
                              reason="NotFound", details={"name": container, "kind": "containers"})


def _action(body: Any, choices: tuple[str, ...], *,
            options: dict[str, tuple[str, ...]] | None = None) -> str:
    """The body's ``action``, one of ``choices``; other fields only as ``options`` allow."""
    if not isinstance(body, dict):
        raise errors.BadRequest(f'expected {{"action": "{choices[0]}"}}')
    action = body.get("action")
    if action not in choices:
        quoted = ", ".join(f'"{c}"' for c in choices)
        what = "an action is required" if action is None else \
            f"unknown action {errors.format_value(action)}"
        raise errors.BadRequest(f"{what}: use one of {quoted}")
    _fields(body, ("action", *(options or {}).get(action, ())))
    return str(action)


def _fields(body: JSON, allowed: tuple[str, ...]) -> None:
    for key in body:
        if key not in allowed:
            raise errors.BadRequest(f'unknown field "{key}": expected '
                                    + ", ".join(f'"{a}"' for a in allowed))


def _exit_code(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 255:
        raise errors.BadRequest(f"exitCode must be a whole number from 0 to 255, "
                                f"not {errors.format_value(value)}")
    return value


@lru_cache(maxsize=1)
def kitlib_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kitlib")
    except PackageNotFoundError:
        return "unknown"
