"""Bad input to ``servsim schedule``: one line naming the field or the first uncovered interval, exit 2, no
traceback, and nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from schedule_helpers import write_requirement, write_shifts

from sim.cli import cli

DAY_SHIFT = {"start": "08:00", "length": "8h", "cost_per_shift": 1}
BUSY = [[2 if 16 <= k < 32 else 0 for k in range(48)]]  # 2 agents 08:00-16:00 in half hours


def run(tmp: Path, *extra, requirement=None, shift_types=None, shifts_top=None):
    req = tmp / "req.csv"
    if requirement is None:
        write_requirement(req, BUSY, 30)
    else:
        req.write_text(requirement)
    shifts = write_shifts(tmp / "shifts.yaml", shift_types or {"day": DAY_SHIFT}, **(shifts_top or {}))
    out = tmp / "out"
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--out", str(out), *extra])
    return result, out


def assert_one_clean_error(result, out: Path, *names: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.count("error:") == 1, result.output
    for name in names:
        assert name in result.output, result.output
    assert not out.exists() or not any(out.iterdir())  # nothing half-written


def csv_text(rows: list[str]) -> str:
    return "day,interval_start,net_fte\n" + "\n".join(rows) + "\n"


FULL_DAY = [f"0,{k // 2:02d}:{30 * (k % 2):02d},1" for k in range(48)]

SHIFT_CASES = {
    "shift longer than the horizon": ({"long": {"start": "08:00", "length": "25h"}}, ["shift_types.long.length",
                                                                                      "longer than"]),
    "break window outside its shift": ({"short": {"start": "08:00", "length": "5h", "breaks": [
        {"name": "lunch", "duration": "30min", "paid": False, "window": ["3h", "5h"]}]}},
        ["shift_types.short", "breaks.0.window", "outside"]),
    "opening hours exclude every shift": ({"day": {"start": {"earliest": "08:00", "latest": "10:00"}, "length": "8h"}},
                                          ["shift_types.day", "opening hours"]),
    "both costs": ({"day": {**DAY_SHIFT, "cost_per_paid_hour": 3}}, ["shift_types.day", "not both"]),
    "unknown key": ({"day": {**DAY_SHIFT, "colour": "red"}}, ["shift_types.day.colour", "unknown key"]),
    "weekly pattern on one day": ({"day": {**DAY_SHIFT, "work_days": 5}}, ["shift_types.day.work_days", "7 days"]),
    "breaks that cannot all fit": ({"day": {**DAY_SHIFT, "breaks": [
        {"name": "a", "duration": "1h", "paid": False, "window": ["2h", "2h"]},
        {"name": "b", "duration": "1h", "paid": False, "window": ["150min", "150min"]}]}},
        ["shift_types.day.breaks", "overlapping"]),
    "a time finer than 5 minutes": ({"day": {**DAY_SHIFT, "breaks": [
        {"name": "rest", "duration": "7min", "paid": True, "window": ["2h", "3h"]}]}},
        ["shift_types.day.breaks.0.duration", "5min"]),
    "latest start before earliest": ({"day": {"start": {"earliest": "10:00", "latest": "08:00"}, "length": "8h"}},
                                     ["shift_types.day.start", "latest"]),
    "break paid or not left out": ({"day": {**DAY_SHIFT, "breaks": [
        {"name": "lunch", "duration": "30min", "window": ["3h", "5h"]}]}}, ["breaks.0.paid", "required"]),
}


@pytest.mark.parametrize("case", SHIFT_CASES, ids=list(SHIFT_CASES))
def test_bad_shifts_file(tmp_path, case):
    types, names = SHIFT_CASES[case]
    top = {"opening_hours": [{"open": "09:00", "close": "16:00"}]} if "opening" in case else None
    result, out = run(tmp_path, shift_types=types, shifts_top=top)
    assert_one_clean_error(result, out, "shifts.yaml", *names)


REQUIREMENT_CASES = {
    "missing interval": (csv_text(FULL_DAY[:20] + FULL_DAY[21:]), ["missing interval 0 10:00"]),
    "negative value": (csv_text(FULL_DAY[:5] + ["0,02:30,-1"] + FULL_DAY[6:]), ["line 7", "net_fte", "negative"]),
    "not a number": (csv_text(FULL_DAY[:5] + ["0,02:30,many"] + FULL_DAY[6:]), ["line 7", "not a number"]),
    "interval twice": (csv_text(FULL_DAY + ["0,03:00,1"]), ["0 03:00 appears twice"]),
    "missing column": ("day,interval_start,agents\n0,00:00,1\n", ["missing column 'net_fte'"]),
    "a day missing": (csv_text(FULL_DAY + [r.replace("0,", "2,", 1) for r in FULL_DAY]), ["missing day 1"]),
    "bad clock": (csv_text(FULL_DAY[:3] + ["0,25:00,1"] + FULL_DAY[4:]), ["line 5", "interval_start"]),
    "empty file": ("", ["req.csv"]),
    "day kinds mixed": (csv_text(FULL_DAY + [r.replace("0,", "tue,", 1) for r in FULL_DAY]),
                        ["line 50", "'tue'", "day number"]),
}


@pytest.mark.parametrize("case", REQUIREMENT_CASES, ids=list(REQUIREMENT_CASES))
def test_bad_requirement_file(tmp_path, case):
    text, names = REQUIREMENT_CASES[case]
    result, out = run(tmp_path, requirement=text)
    assert_one_clean_error(result, out, "req.csv", *names)


def test_hard_cover_nobody_can_work_names_the_first_uncovered_interval(tmp_path):
    night = [[1 if k in (6, 7) else 0 for k in range(48)]]  # 03:00-04:00, but the only shift is 08:00-16:00
    write_requirement(tmp_path / "night.csv", night, 30)
    result, out = run(tmp_path, requirement=(tmp_path / "night.csv").read_text())
    assert_one_clean_error(result, out, "req.csv", "0 03:00", "requires 1", "--under-penalty")


def test_hard_cover_the_limits_forbid_names_the_first_uncovered_interval(tmp_path):
    types = {"early": {"start": "06:00", "length": "8h", "max_count": 1},
             "late": {"start": "10:00", "length": "8h"}}
    need = [[2 if 12 <= k < 36 else 0 for k in range(48)]]  # 06:00-18:00: 06:00-10:00 only the early shift
    write_requirement(tmp_path / "r.csv", need, 30)
    result, out = run(tmp_path, requirement=(tmp_path / "r.csv").read_text(), shift_types=types)
    assert_one_clean_error(result, out, "req.csv", "0 06:00", "max_count")


def test_the_same_limits_with_a_soft_cover_report_the_shortfall(tmp_path):
    types = {"early": {"start": "06:00", "length": "8h", "max_count": 1},
             "late": {"start": "10:00", "length": "8h"}}
    need = [[2 if 12 <= k < 36 else 0 for k in range(48)]]
    write_requirement(tmp_path / "r.csv", need, 30)
    result, out = run(tmp_path, "--under-penalty", "100", "--json", requirement=(tmp_path / "r.csv").read_text(),
                      shift_types=types)
    assert result.exit_code == 0, result.output
    coverage = (out / "coverage.csv").read_text().splitlines()
    short = [line for line in coverage[1:] if float(line.split(",")[6]) > 0]
    assert [s.split(",")[1] for s in short] == ["06:00", "06:30", "07:00", "07:30", "08:00", "08:30", "09:00", "09:30"]


def test_a_foreign_file_in_the_results_directory_is_never_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "shifts.csv").write_text("my own shifts\n")
    result, _ = run(tmp_path)
    assert result.exit_code == 2 and "not a servsim results directory" in result.output
    assert (out / "shifts.csv").read_text() == "my own shifts\n"


def test_a_results_directory_servsim_wrote_is_updated(tmp_path):
    first, out = run(tmp_path, "--no-charts")
    assert first.exit_code == 0, first.output
    again, _ = run(tmp_path, "--no-charts")
    assert again.exit_code == 0, again.output


def test_evaluate_with_a_group_the_scenario_lacks(tmp_path):
    scenario = tmp_path / "sc.yaml"
    scenario.write_text(yaml.safe_dump({"horizon": "1d", "interval": "30min", "channels": {"phone": {
        "arrivals": {"rate": "1/min"}, "handle_time": {"dist": "exponential", "mean": "4min"}}},
        "agents": {"other": {"staffing": 1}}}))
    result, out = run(tmp_path, "--evaluate", scenario, "-r", "2")
    assert_one_clean_error(result, out, "sc.yaml", "agents", "team")


@pytest.mark.integration
def test_console_script_bad_input_exits_2_with_one_line_on_stderr(tmp_path):
    write_requirement(tmp_path / "req.csv", BUSY, 30)
    write_shifts(tmp_path / "shifts.yaml", {"long": {"start": "08:00", "length": "30h"}})
    servsim = Path(sys.executable).parent / "servsim"
    proc = subprocess.run([str(servsim), "schedule", str(tmp_path / "req.csv"), "--shifts", str(tmp_path / "shifts.yaml"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ") and "length" in proc.stderr
    assert not (tmp_path / "out").exists()
