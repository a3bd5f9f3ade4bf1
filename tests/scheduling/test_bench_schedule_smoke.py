"""The schedule benchmark runs end to end on its one-day case (speed goals live in benchmarks/, not here)."""

from __future__ import annotations

import pytest
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.integration
def test_schedule_benchmark_reports_size_bound_and_gap():
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_schedule.py"), "--smoke", "--json"],
                         capture_output=True, text=True, timeout=3600)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    (row,) = result["results"]
    assert row["days"] == 1 and row["grid_minutes"] == 15
    assert row["columns"] > 0 and row["break_variables"] > row["columns"] and row["explicit_columns"] > row["columns"]
    assert row["bound"] <= row["objective"] + 1e-6 and 0 <= row["gap"] <= 1
    assert row["lp_value"] <= row["objective"] + 1e-6  # the LP relaxation is a lower bound too
    assert row["under_hours"] == 0  # a hard cover, breaks placed without a shortfall
