"""The benchmark script runs end to end on a small case (speed goals live in benchmarks/, not here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_script_runs_both_engines_on_the_same_system():
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_erlang_a.py"), "--contacts", "20000", "--repeat", "1",
         "--json"],
        capture_output=True, text=True, timeout=120,
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
