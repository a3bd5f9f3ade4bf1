"""sim/staffing reaches the simulator only through the experiment executors: it imports no SimPy, no model,
no plots and no CLI (read from the source with the architecture test's own parser)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from test_architecture import imports_of

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("simpy", "matplotlib", "click", "sim.model", "sim.plots", "sim.cli", "sim.runner")


@pytest.mark.parametrize("path", sorted((ROOT / "sim" / "staffing").glob("*.py")), ids=lambda p: p.name)
def test_staffing_modules_do_not_import_the_engine_plots_or_cli(path):
    found = {m for m in imports_of(path) for f in FORBIDDEN if m == f or m.startswith(f + ".")}
    assert not found, f"{path.name} imports {sorted(found)}"


def test_importing_the_staffing_package_is_light():
    probe = "import sys, sim.staffing; print(sorted(m for m in ('simpy', 'matplotlib', 'click') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=3600)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stdout + out.stderr
