"""The Python API as the README shows it: a sweep on worker processes from a plain script without a
``__main__`` guard, and from standard input, works and matches the serial tables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

SCRIPT = f"""
import sim
plan = sim.load_experiment({str(ROOT / "experiments" / "shift_plans.yaml")!r}, ["horizon=1d"], replications=2)
parallel = sim.sweep(plan, "parallel", jobs=2)
serial = sim.sweep(plan, "serial", executor="serial")
columns = [c for c in serial.runs.columns if c != "wall_seconds"]
assert parallel.runs[columns].equals(serial.runs[columns])
print("ok", len(parallel.runs))
"""


@pytest.mark.parametrize("how", ["script file", "stdin"])
def test_sweep_on_processes_from_an_unguarded_script(tmp_path, how):
    if how == "script file":
        (tmp_path / "study.py").write_text(SCRIPT)
        command, stdin = [sys.executable, "study.py"], None
    else:
        command, stdin = [sys.executable, "-"], SCRIPT
    proc = subprocess.run(command, input=stdin, cwd=tmp_path, capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok 6"
