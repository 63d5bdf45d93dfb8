"""bench/run's pure parts: choosing sections, the target verdicts and the rendered tables.

Golden result objects (shaped as bench/run writes them) go in; what a reader relies on
comes out: the sections in order, a missed target marked **missed**, ratios to the
baseline, and a section left out when it did not run.  No timing is asserted.
"""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from bench import report, targets
from bench.cluster_scale import percentile
from bench.main import SECTIONS, sections_of

MACHINE = {"CPU": "test", "cores": "2"}


def results(**sections: Any) -> dict[str, Any]:
    return {"machine": dict(MACHINE), "settings": {"pods": 100}, "elapsed": 12.0,
            "sections": list(sections), "argv": ["--only", ",".join(sections)],
            "failures": {}, **sections}


RECONCILE = {"scenario": "reconcile", "nodes": 4, "replicas": 50, "rounds": 200,
             "writes_per_round": 19.0, "hop_p50_ms": 0.2, "hop_p99_ms": 0.5,
             "p50_ms": 15.0, "p99_ms": 61.0, "max_ms": 80.0, "mean_ms": 17.0,
             "created_p50_ms": 2.0, "bound_p50_ms": 4.0, "created_p99_ms": 9.0,
             "bound_p99_ms": 30.0}
STEADY = {"scenario": "steady", "nodes": 100, "pods": 10000, "fill_seconds": 80.0,
          "rss_after_fill_mb": 1100.0, "settle_seconds": 10.0, "idle_seconds": 30.0,
          "empty_idle_seconds": 20.0, "empty_idle_cpu_percent": 0.5,
          "empty_idle_writes_per_second": 10.0, "empty_rss_mb": 100.0,
          "idle_cpu_percent": 1.0, "idle_writes_per_second": 10.0, "idle_rss_mb": 1150.0,
          "rss_mb": 1140.0, "objects": {"pods": 10000, "events": 40000, "nodes": 100},
          "stored_json_mb": 90.0, "window_events": 14000, "gc_objects": 2_500_000,
          "gc_full_collection_ms": 1700}
SCALE = {"runs": [{"scenario": "ready", "nodes": 11, "replicas": 1000, "seconds": 4.0,
                   "cpu_seconds": 3.9, "writes": 9600, "rss_mb": 200.0}],
         "floor": {"scenario": "writes", "count": 1000, "creates_per_second": 2000}}


def test_sections_default_to_all_in_order() -> None:
    assert sections_of(None) == list(SECTIONS)
    assert sections_of("exec, reconcile") == ["reconcile", "exec"]


def test_unknown_section_is_refused() -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="unknown section"):
        sections_of("reconcile,latency")


def test_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([3.0], 99) == 3.0


def test_summary_marks_missed_and_met() -> None:
    rows = targets.summary(results(reconcile=RECONCILE, steady=STEADY))
    text = "\n".join(rows)
    assert "| reconcile | deleted pod → replacement Ready: p99 of 200, ms | 61.00 |" in text
    reconcile_row = next(r for r in rows if r.startswith("| reconcile"))
    assert reconcile_row.endswith("**missed** |")
    cpu_row, rss_row = [r for r in rows if r.startswith("| steady")]
    assert cpu_row.endswith("| met |") and rss_row.endswith("**missed** |")


def test_summary_leaves_out_sections_not_run() -> None:
    assert targets.summary(results(kwok={"source": "x"})) == []


def test_render_shows_ratios_to_baselines() -> None:
    text = report.render(results(reconcile=RECONCILE, scale=SCALE, steady=STEADY,
                                 kwok={"source": "x"}))
    assert "| **deleted → replacement Ready** | 15.00 ms | 61.00 ms | 80.00 ms | 75.00× | " \
           "122.00× | p99 < 50 ms: **missed** |" in text
    # 1,000 creates at 2,000/s: a 0.5 s floor; 4 s is 8 times that, and within the target.
    assert "| 0 → 1,000 replicas, all Ready | 11 | 4.00 | 250 | 8.00× |" in text
    assert "< 5 s: met |" in text
    assert "| **10,000 pods Ready** | 1.00% | 10.0 | 1150 MB | 2.00× | 11.50× |" in text
    assert "| creation rate | 20 nodes or pods per second | 250 pods per second on 11 " \
           "nodes" in text
    assert "## Latency" not in text and "## Service proxy" not in text


def test_render_traffic_and_failures() -> None:
    proxy = {"endpoints": 10, "path": "/api/v1/namespaces/p/services/whoami:80/proxy/",
             "hello": {"statuses": {200: 100}, "elapsed": 0.1, "per_second": 1000.0},
             "sim": {"statuses": {200: 100}, "elapsed": 0.4, "per_second": 250.0,
                     "backends": 10, "per_backend": [8, 12], "concurrency": 32}}
    exec_ = {"floor: hello /ws echo": {"p50": 2.0, "p99": 4.0, "n": 10},
             "exec echo hi": {"p50": 3.0, "p99": 10.0, "n": 10},
             "wrong_output": {"v5": 0}}
    r = results(proxy=proxy, exec=exec_)
    r["failures"] = {"steady": "TimeoutError()"}
    text = report.render(r)
    assert "| service proxy → whoami | 100 | 200: 100 | 0.40 | 250 | 0.25× | 10 of 10 " \
           "(answers each: 8–12) |" in text
    assert "| exec echo hi | 10 | 3.00 ms | 10.00 ms | 1.50× | 2.50× |" in text
    assert "- **steady**: `TimeoutError()`" in text


def test_latency_percentiles_in_milliseconds() -> None:
    from bench.latency import percentiles

    got = percentiles([v / 1000 for v in range(1, 301)])
    assert (got["p50"], got["p99"], got["n"]) == (pytest.approx(150.0), pytest.approx(297.0),
                                                  300)


def test_smaller_runs_are_shown_not_judged() -> None:
    small = dict(STEADY, pods=1000, nodes=11, idle_rss_mb=400.0)
    rows = targets.summary(results(steady=small))
    assert all(row.endswith("not judged (smaller than the target's size) |")
               for row in rows if row.startswith("| steady"))
    assert "**missed**" not in report.render(results(steady=small))
