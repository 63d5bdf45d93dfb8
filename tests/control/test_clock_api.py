"""The simulator's clock, controlled over /kit/v1/clock as ``kit clock`` and kitlib do."""

from __future__ import annotations

from datetime import datetime

from tests.conftest import Http, assert_status


def _time(state: dict) -> datetime:
    return datetime.strptime(state["time"], "%Y-%m-%dT%H:%M:%SZ")


def test_pause_advance_resume(http: Http) -> None:
    paused = http.post("/kit/v1/clock", {"pause": True}).json()
    assert paused["paused"] is True
    later = http.post("/kit/v1/clock", {"advance": "5m"}).json()
    assert (_time(later) - _time(paused)).total_seconds() >= 300
    assert http.get("/kit/v1/clock").json()["time"] == later["time"]
    resumed = http.post("/kit/v1/clock", {"resume": True, "speed": 2}).json()
    assert resumed["paused"] is False and resumed["speed"] == 2.0
    http.post("/kit/v1/clock", {"speed": 1})


def test_bad_commands_are_bad_requests(http: Http) -> None:
    assert_status(http.post("/kit/v1/clock", {"advance": "soon"}), 400, "BadRequest")
    assert_status(http.post("/kit/v1/clock", {"advance": "-5s"}), 400, "BadRequest")
    assert_status(http.post("/kit/v1/clock", {"speed": 0}), 400, "BadRequest")
    assert_status(http.post("/kit/v1/clock", {"rewind": 1}), 400, "BadRequest")
    assert_status(http.post("/kit/v1/clock", data=b"{nope",
                            headers={"Content-Type": "application/json"}), 400, "BadRequest")
