"""Lifecycle stages: ``stages.yaml`` read, checked and made ready to match.

A stage is data (see the file's header): a selector over the facts the kubelet keeps about
a pod or a container, a delay per profile, a runtime verb, and the state and events that
follow.  This module only parses and checks that data and answers two questions the pod
worker asks: does this stage select these facts, and how long is its delay.  Mistakes in
the file are reported when it is loaded, not when a pod first meets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any, Callable, Mapping

import yaml

from kitlib.sim.kubelet.durations import parse_duration

SUBJECTS = ("pod", "container")
OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
PROFILES = ("fast", "realistic")
EVENT_TYPES = ("Normal", "Warning")
#: Settable by `next`: a container's state, reason and message; the pod's flags.
NEXT_KEYS = {"container": {"state", "reason", "message"},
             "pod": {"admitted", "volumes", "sandbox", "removing"}}


class StageError(ValueError):
    """stages.yaml is malformed."""


@dataclass(frozen=True)
class Requirement:
    key: str                      # ".pod.deleting" -> "pod.deleting" (facts are flat)
    operator: str
    values: frozenset[str]

    def matches(self, facts: Mapping[str, str]) -> bool:
        value = facts.get(self.key)
        if self.operator == "In":
            return value is not None and value in self.values
        if self.operator == "NotIn":
            return value is None or value not in self.values
        if self.operator == "Exists":
            return value is not None
        return value is None


@dataclass(frozen=True)
class EventSpec:
    type: str
    reason: str
    message: Template

    def render(self, variables: Mapping[str, str]) -> str:
        return self.message.safe_substitute(variables)


@dataclass(frozen=True)
class Outcome:
    """What follows a stage (or its failure): the new state and the events."""

    next: dict[str, str] = field(default_factory=dict)
    events: tuple[EventSpec, ...] = ()


@dataclass(frozen=True)
class Delay:
    """Simulated seconds before a due stage fires."""

    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)   # per profile
    seconds: float | None = None
    backoff: str = ""                    # crash | image: until that back-off ends

    def draw(self, profile: str, jitter: Callable[[float, float], float]) -> float:
        if self.seconds is not None:
            return self.seconds
        low, high = self.ranges.get(profile) or self.ranges.get("fast") or (0.0, 0.0)
        return low if high <= low else jitter(low, high)


@dataclass(frozen=True)
class Stage:
    name: str
    subject: str                  # pod | container
    order: int
    selector: tuple[Requirement, ...]
    delay: Delay
    do: str = ""
    before: tuple[EventSpec, ...] = ()
    outcome: Outcome = Outcome()
    on_error: Outcome | None = None

    def selects(self, facts: Mapping[str, str]) -> bool:
        for requirement in self.selector:
            if not requirement.matches(facts):
                return False
        return True

    def states(self) -> frozenset[str] | None:
        """The subject states this stage can select (None: any), for indexing."""
        for requirement in self.selector:
            if requirement.key == "state" and requirement.operator == "In":
                return requirement.values
        return None


class StageIndex:
    """The stages of one kind of subject, indexed by the state they require."""

    def __init__(self, stages: tuple[Stage, ...]) -> None:
        self.stages = stages
        self._any = tuple(s for s in stages if s.states() is None)
        states = {state for s in stages for state in (s.states() or ())}
        self._by_state = {state: tuple(s for s in stages if s.states() is None
                                       or state in (s.states() or ())) for state in states}

    def candidates(self, state: str | None) -> tuple[Stage, ...]:
        if state is None:
            return self.stages
        return self._by_state.get(state, self._any)


def _events(raw: Any, where: str) -> tuple[EventSpec, ...]:
    out = []
    for item in raw or ():
        if item.get("type") not in EVENT_TYPES or not item.get("reason"):
            raise StageError(f"{where}: an event needs a type (Normal|Warning) and a reason")
        out.append(EventSpec(item["type"], item["reason"], Template(str(item["message"]))))
    return tuple(out)


def _outcome(raw: Mapping[str, Any], subject: str, where: str) -> Outcome:
    nxt = {str(k): str(v) for k, v in (raw.get("next") or {}).items()}
    unknown = set(nxt) - NEXT_KEYS[subject]
    if unknown:
        raise StageError(f"{where}: next cannot set {sorted(unknown)} of a {subject}")
    return Outcome(nxt, _events(raw.get("events"), where))


def _profile_range(raw: Mapping[str, Any]) -> tuple[float, float]:
    low = float(raw.get("durationMilliseconds", 0)) / 1000
    high = float(raw.get("jitterDurationMilliseconds", raw.get("durationMilliseconds", 0)))
    return low, max(low, high / 1000)


def _delay(raw: Any, named: Mapping[str, Delay], where: str) -> Delay:
    if isinstance(raw, str):
        if raw not in named:
            raise StageError(f"{where}: unknown delay {raw!r}")
        return named[raw]
    if not isinstance(raw, Mapping):
        raise StageError(f"{where}: a delay is a name or a mapping")
    if "seconds" in raw:
        return Delay(seconds=parse_duration(raw["seconds"]))
    if "backoff" in raw:
        if raw["backoff"] not in ("crash", "image"):
            raise StageError(f"{where}: backoff is crash or image")
        return Delay(backoff=raw["backoff"])
    if set(raw) - set(PROFILES):
        raise StageError(f"{where}: a delay gives {', '.join(PROFILES)}")
    return Delay(ranges={p: _profile_range(raw[p]) for p in PROFILES if p in raw})


def _selector(raw: Any, where: str) -> tuple[Requirement, ...]:
    out = []
    for item in (raw or {}).get("matchExpressions") or ():
        key, operator = str(item.get("key", "")), item.get("operator")
        if not key.startswith(".") or operator not in OPERATORS:
            raise StageError(f"{where}: bad requirement {item!r}")
        values = frozenset(str(v) for v in item.get("values") or ())
        if (operator in ("In", "NotIn")) != bool(values):
            raise StageError(f"{where}: {operator} {'needs' if values == set() else 'takes no'}"
                             " values")
        out.append(Requirement(key[1:], operator, values))
    return tuple(out)


def parse_stages(data: Mapping[str, Any], *, verbs: frozenset[str] | None = None
                 ) -> tuple[Stage, ...]:
    named = {name: _delay(spec, {}, f"delay {name}") for name, spec in
             (data.get("delays") or {}).items()}
    stages, seen = [], set()
    for order, raw in enumerate(data.get("stages") or ()):
        name = str(raw.get("name", ""))
        where = f"stage {name or order}"
        subject = raw.get("subject")
        if not name or name in seen or subject not in SUBJECTS:
            raise StageError(f"{where}: needs a unique name and `subject: pod|container`")
        seen.add(name)
        do = str(raw.get("do") or "")
        if verbs is not None and do and do not in verbs:
            raise StageError(f"{where}: unknown runtime verb {do!r}")
        stage = Stage(name=name, subject=subject, order=order,
                      selector=_selector(raw.get("selector"), where),
                      delay=_delay(raw.get("delay", "immediate"), named, where), do=do,
                      before=_events(raw.get("before"), where),
                      outcome=_outcome(raw, subject, where),
                      on_error=_outcome(raw["onError"], subject, where) if "onError" in raw
                      else None)
        if not stage.outcome.next and not stage.do and not stage.delay.seconds:
            # It would still match after firing: without a pause it would fire forever.
            raise StageError(f"{where}: a stage that changes nothing needs a delay in seconds")
        stages.append(stage)
    return tuple(stages)


@lru_cache(maxsize=1)
def default_stages() -> tuple[Stage, ...]:
    from kitlib.sim.kubelet.actions import VERBS

    text = resources.files("kitlib.sim.kubelet").joinpath("stages.yaml").read_text()
    return parse_stages(yaml.safe_load(text), verbs=VERBS)
