"""The benchmark script runs end to end on a small case (speed goals live in benchmarks/, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_script_runs_both_engines_on_the_same_system():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_erlang_a.py"), "--contacts", "20000", "--repeat", "1",
         "--json"],
        capture_output=True, text=True, timeout=3600,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    exact = result["erlang_a"]["abandon"]
    for engine in ("servsim", "ciw"):
        measured = result["results"][engine]
        assert measured["contacts"] == pytest.approx(20000, abs=5 * 20000**0.5)  # Poisson count, 5 sd
        assert measured["seconds"] > 0 and measured["peak_mb"] >= 0
        # 20k contacts: abandonment is within a few points of the exact Erlang A value for both engines.
        assert measured["abandon"] == pytest.approx(exact, abs=0.03)
    assert result["ratio"] > 0


def test_journey_benchmark_reports_the_service_centre_and_plain_against_full():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_journey.py"), "--days", "2", "--contacts", "3000",
         "--repeat", "1", "--json"],
        capture_output=True, text=True, timeout=3600,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    journey = result["journey"]
    assert journey["days"] == 2 and journey["goal"] == 50_000
    assert set(journey["results"]) == {"as shipped", "all switches", "no base"}
    for row in journey["results"].values():
        assert row["engine"] == "full" and row["horizon_days"] == 2
        assert row["channels"] == ["walk_in", "phone", "email"]
        assert {"frustration", "resolution", "learning", "exhaustion", "handle_time"} <= set(row["behaviour_on"])
        assert row["contacts"] > 1000 and row["seconds"] > 0 and row["peak_mb"] >= 0
        assert row["contacts_per_s"] > 0 and row["goal_ratio"] == pytest.approx(row["contacts_per_s"] / 50_000)
    everything = journey["results"]["all switches"]
    assert "pressure" in everything["behaviour_on"] and everything["behaviour_off"] == []
    erlang = result["erlang_a"]
    plain, full = erlang["results"]["plain"], erlang["results"]["full"]
    assert (plain["engine"], full["engine"]) == ("plain", "full")
    assert plain["contacts"] == pytest.approx(3000, abs=5 * 3000**0.5)  # Poisson count, 5 sd
    assert plain["contacts"] == full["contacts"] and erlang["same_contacts"]
    assert erlang["same_slot_tallies"]  # the fast path is property-tested to give the full centre's tallies
    assert plain["contacts_per_s"] > 0 and full["contacts_per_s"] > 0
    assert erlang["plain_over_full"] == pytest.approx(plain["contacts_per_s"] / full["contacts_per_s"])
