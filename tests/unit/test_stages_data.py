"""stages.yaml: the lifecycle as data, checked when loaded, matched like label selectors."""

from __future__ import annotations

import random
from typing import Any

import pytest

from kitlib.sim.kubelet.actions import VERBS
from kitlib.sim.kubelet.stages import (Requirement, StageError, StageIndex, default_stages,
                                       parse_stages)


def test_the_shipped_stages_load_and_use_known_verbs() -> None:
    stages = default_stages()
    names = [s.name for s in stages]
    assert len(names) == len(set(names))
    assert {"admit", "run-sandbox", "pull-image", "create-container", "start-container",
            "crash-loop-back-off", "kill-for-deletion", "delete-pod"} <= set(names)
    assert {s.do for s in stages if s.do} <= VERBS
    pull = next(s for s in stages if s.name == "pull-image")
    assert [e.reason for e in pull.before] == ["Pulling"]
    assert pull.on_error is not None and pull.on_error.next["reason"] == "ErrImagePull"
    assert pull.outcome.events[0].render({"image": "nginx", "pullTime": "1s", "pullTotal": "2s",
                                          "imageSize": "5"}) == (
        'Successfully pulled image "nginx" in 1s (2s including waiting). Image size: 5 bytes.')


@pytest.mark.parametrize(("operator", "values", "facts", "expected"), [
    ("In", {"running"}, {"state": "running"}, True),
    ("In", {"running"}, {"state": "exited"}, False),
    ("In", {"running"}, {}, False),
    ("NotIn", {"running"}, {}, True),
    ("NotIn", {"running"}, {"state": "running"}, False),
    ("Exists", set(), {"state": ""}, True),
    ("DoesNotExist", set(), {"state": "x"}, False),
])
def test_requirements(operator: str, values: set[str], facts: dict[str, str],
                      expected: bool) -> None:
    assert Requirement("state", operator, frozenset(values)).matches(facts) is expected


def stage(**fields: Any) -> dict[str, Any]:
    base = {"name": "s", "subject": "container", "delay": {"seconds": 1},
            "next": {"state": "new"}}
    base.update(fields)
    return base


@pytest.mark.parametrize(("raw", "message"), [
    (stage(subject="node"), "subject: pod|container"),
    (stage(delay="nope"), "unknown delay 'nope'"),
    (stage(delay={"backoff": "later"}), "backoff is crash or image"),
    (stage(next={"sandbox": "ready"}), "next cannot set ['sandbox'] of a container"),
    (stage(selector={"matchExpressions": [{"key": "state", "operator": "In",
                                           "values": ["x"]}]}), "bad requirement"),
    (stage(selector={"matchExpressions": [{"key": ".state", "operator": "In"}]}),
     "In needs values"),
    (stage(do="Dance"), "unknown runtime verb 'Dance'"),
    (stage(next={}, delay={"fast": {"durationMilliseconds": 1}}), "changes nothing"),
    (stage(events=[{"type": "Info", "reason": "X", "message": "m"}]), "a type (Normal|Warning)"),
])
def test_malformed_stages_are_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(StageError, match=message.replace("[", r"\[").replace("]", r"\]")
                       .replace("(", r"\(").replace(")", r"\)").replace("|", r"\|")):
        parse_stages({"stages": [raw]}, verbs=VERBS)


def test_delays_per_profile() -> None:
    stages = parse_stages({
        "delays": {"step": {"fast": {"durationMilliseconds": 1, "jitterDurationMilliseconds": 3},
                            "realistic": {"durationMilliseconds": 500}}},
        "stages": [stage(delay="step"), stage(name="t", delay={"seconds": "1m"}),
                   stage(name="u", delay={"backoff": "crash"})]})
    rng = random.Random(1)
    fast = stages[0].delay.draw("fast", rng.uniform)
    assert 0.001 <= fast <= 0.003
    assert stages[0].delay.draw("realistic", rng.uniform) == 0.5
    assert stages[1].delay.draw("fast", rng.uniform) == 60.0
    assert stages[2].delay.backoff == "crash"


def test_index_offers_only_stages_that_may_match_a_state() -> None:
    index = StageIndex(default_stages())
    running = {s.name for s in index.candidates("running")}
    assert "notice-exit" in running and "pull-image" not in running
    assert all(s.states() is None or "waiting" in s.states() for s in index.candidates("waiting"))
