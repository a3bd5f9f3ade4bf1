"""The shipped scheduling example (configs/schedules/) validates, is what its script makes, and schedules the
phone line with every interval covered; the charts are labelled and written as PNG and SVG."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure

from sim.cli import cli
from sim.plots.schedule import coverage_chart, evaluation_chart, gantt_chart
from sim.scheduling.spec import load_shifts

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "configs" / "schedules"
SHIFT_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIFT_FILES, ids=[p.name for p in SHIFT_FILES])
def test_shipped_shift_files_validate(path):
    assert load_shifts(path).shift_types


def test_shipped_requirement_is_what_its_script_writes():
    spec = importlib.util.spec_from_file_location("make_requirements", EXAMPLES / "make_phone_line_requirements.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import sim

    rows = pd.DataFrame(module.requirement_rows(sim.load_config(ROOT / "configs" / "phone_line.yaml")))
    assert rows.to_csv(index=False) == (EXAMPLES / "phone_line_requirements.csv").read_text()


@pytest.fixture(scope="module")
def phone_line_plan(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan") / "out"
    result = CliRunner().invoke(cli, ["schedule", str(EXAMPLES / "phone_line_requirements.csv"), "--shifts",
                                      str(EXAMPLES / "phone_line_shifts.yaml"), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


def test_the_phone_line_example_is_covered_in_every_interval(phone_line_plan):
    out, summary = phone_line_plan
    assert summary["status"] in ("optimal", "time_limit") and summary["gap"] <= 0.01
    assert summary["under_hours"] == 0 and summary["short_intervals"] == 0
    shifts = pd.read_csv(out / "shifts.csv", keep_default_na=False)
    tours = shifts[shifts["type"] == "full_time"]
    assert set(tours["pattern"]) == {"0,1,2,3,4"}  # weekends are closed: full-timers work Monday to Friday
    assert set(shifts["day"]) <= {0, 1, 2, 3, 4}
    coverage = pd.read_csv(out / "coverage.csv")
    assert (coverage["on_floor"] >= coverage["required"] - 1e-9).all()


def _labelled(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    axes = fig.get_axes()
    assert axes[0].get_title() and axes[-1].get_xlabel()
    assert all(ax.get_ylabel() for ax in axes if ax.get_visible())


def test_charts_are_titled_and_labelled_and_saved(phone_line_plan, tmp_path):
    from sim.plots import save

    out, _ = phone_line_plan
    coverage = pd.read_csv(out / "coverage.csv", dtype={"day": str})
    shifts = pd.read_csv(out / "shifts.csv", keep_default_na=False, dtype={"day": str})
    for fig in (coverage_chart(coverage), gantt_chart(shifts)):
        _labelled(fig)
    evaluation = pd.DataFrame({"day": [0, 0], "interval_start": ["08:00", "08:30"], "offered": [10.0, 12.0],
                               "service_level": [0.9, 0.7], "service_level_ci_low": [0.85, 0.6],
                               "service_level_ci_high": [0.95, 0.75], "short": [False, True]})
    fig = evaluation_chart(evaluation, 0.8)
    _labelled(fig)
    paths = save(fig, tmp_path / "evaluation")
    assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 0 for p in paths)
    assert sorted(p.name for p in (out / "charts").iterdir()) == ["coverage.png", "coverage.svg", "shifts.png",
                                                                 "shifts.svg"]
