"""Weekly patterns beside daily shifts (patterns solved first, then the days) and several groups in one
schedule: known optima by enumeration and by hand, coverage consistent with shifts per group, bad input.

Every expected objective is derived without servsim: by enumerating every schedule of a tiny instance, or
by a counting argument written out in the test.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from schedule_helpers import solve, write_shifts

from sim.cli import cli

WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PATTERNS = [tuple(d for d in range(7) if d not in {k, (k + 1) % 7}) for k in range(7)]  # off k and k+1
TOUR = {"start": "08:00", "length": "8h", "cost_per_shift": 40, "work_days": 5, "consecutive_days_off": True}
TEMP = {"start": "08:00", "length": "8h", "cost_per_shift": 60}  # a day's shift: dearer than a tour's day


def _daily(demand) -> list[list[float]]:
    """One 8-hour requirement per day (08:00-16:00) in 8-hour intervals."""
    return [[0, d, 0] for d in demand]


def tours_and_temps_optimum(demand: list[int]) -> int:
    """Every way to hire w_p agents on each of the 7 five-day patterns (0..max demand each), the rest of each
    day's demand covered by temps at 60: the cheapest total, by enumeration."""
    top = max(demand)
    works = np.array([[1 if d in p else 0 for d in range(7)] for p in PATTERNS])  # patterns x days
    best = None
    for w in itertools.product(range(top + 1), repeat=7):
        cover = np.asarray(w) @ works
        cost = 200 * sum(w) + 60 * int(np.maximum(0, np.asarray(demand) - cover).sum())
        best = cost if best is None else min(best, cost)
    assert best is not None
    return best


@pytest.mark.parametrize("demand", [[3, 2, 2, 2, 3, 1, 1], [1, 3, 0, 2, 2, 3, 1], [2, 2, 2, 2, 2, 0, 0]])
def test_tours_beside_daily_shifts_reach_the_enumerated_optimum(tmp_path, demand):
    """Patterns first, then the days: the schedule costs what enumeration says and the bound is a true one."""
    expected = tours_and_temps_optimum(demand)
    plan = solve(tmp_path, _daily(demand), 480, {"week": TOUR, "temp": TEMP}, labels=WEEK)
    assert plan.objective == pytest.approx(expected)
    assert plan.solved.bound <= expected + 1e-6
    assert plan.solved.status == "optimal"
    assert (plan.on_floor.reshape(7, 3)[:, 1] >= demand).all()


def test_all_tours_five_on_two_off_is_baker_bound(tmp_path):
    """Only weekly patterns (no daily shifts: one model): demand 2 every day needs ceil(14 / 5) = 3 agents, and
    3 agents on patterns can give every day 2 (Baker 1974: max(max r, ceil(sum r / 5)) = 3)."""
    plan = solve(tmp_path, _daily([2] * 7), 480, {"week": TOUR}, labels=WEEK, objective="headcount")
    assert plan.objective == pytest.approx(3)


# Two groups, each covered by its own shift types; the optimum is the sum of the groups' optima.
# Group a: the amusement-park days-off example (Frontline Systems, solver.com): Mon-Sun 17, 13, 14, 15, 18, 24,
# 22 on five-day patterns with two days off together at 40 a day: 25 employees (ceil(123 / 5), Baker's bound),
# 5,000 a week. Group b: day shifts 08:00-16:00 at 10 each, 2 agents Mon-Fri and 1 at the weekend: the only
# shift that covers 08:00-16:00 is that one, so 2 x 5 + 1 x 2 = 12 shifts, 120.
PARK = [17, 13, 14, 15, 18, 24, 22]
DAYS_B = [2, 2, 2, 2, 2, 1, 1]
DAY_SHIFT = {"start": "08:00", "length": "8h", "cost_per_shift": 10}


def two_group_files(tmp, groups_key=True, extra_group=None, b_types=("day",)):
    lines = ["day,interval_start,group,net_fte"]
    for name, demand in (("a", PARK), ("b", DAYS_B)):
        for d, value in enumerate(demand):
            for k, start in enumerate(("00:00", "08:00", "16:00")):
                lines.append(f"{WEEK[d]},{start},{name},{value if k == 1 else 0}")
    req = tmp / "req.csv"
    req.write_text("\n".join(lines) + "\n")
    top = {}
    if groups_key:
        top["groups"] = {"a": ["week"], "b": list(b_types)}
        if extra_group:
            top["groups"][extra_group] = ["day"]
    shifts = write_shifts(tmp / "shifts.yaml", {"week": TOUR, "day": DAY_SHIFT}, **top)
    return req, shifts


def run(tmp, *extra, **files):
    req, shifts = two_group_files(tmp, **files)
    out = tmp / "out"
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--out", str(out), "--json",
                                      *extra])
    return result, out


def test_two_groups_in_one_command_cost_the_sum_of_their_optima(tmp_path):
    result, out = run(tmp_path, "--no-charts")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["groups"]["a"]["objective_value"] == pytest.approx(5_000)
    assert summary["groups"]["b"]["objective_value"] == pytest.approx(120)
    assert summary["objective_value"] == pytest.approx(5_120)
    assert summary["headcount"] == 25 + 2  # 25 on patterns; group b's busiest day has 2 shifts
    assert summary["bound"] <= 5_120 + 1e-6 and summary["status"] == "optimal"
    fragment = yaml.safe_load((out / "staffing.yaml").read_text())
    assert set(fragment["agents"]) == {"a", "b"}
    assert fragment["agents"]["b"]["staffing"][1::3] == DAYS_B  # the 08:00 interval of each day
    assert (np.array(fragment["agents"]["a"]["staffing"][1::3]) >= PARK).all()
    shifts = pd.read_csv(out / "shifts.csv")
    assert list(shifts.columns[:2]) == ["group", "line"]
    assert set(shifts.loc[shifts["group"] == "a", "type"]) == {"week"}
    assert set(shifts.loc[shifts["group"] == "b", "type"]) == {"day"}


def test_coverage_csv_agrees_with_shifts_csv_in_every_group(tmp_path):
    """Rebuild each group's floor from shifts.csv (no breaks here: at work is on the floor)."""
    result, out = run(tmp_path, "--no-charts")
    assert result.exit_code == 0, result.output
    shifts, coverage = pd.read_csv(out / "shifts.csv"), pd.read_csv(out / "coverage.csv")
    for group in ("a", "b"):
        mine = coverage[coverage["group"] == group]
        floor: dict[str, int] = {}
        for row in shifts[shifts["group"] == group].itertuples():
            assert (row.start, row.end) == ("08:00", "16:00")
            floor[row.day] = floor.get(row.day, 0) + row.count
        at_eight = mine[mine["interval_start"] == "08:00"]
        assert at_eight["on_floor"].tolist() == [floor.get(d, 0) for d in at_eight["day"]]
        assert (mine.loc[mine["interval_start"] != "08:00", "on_floor"] == 0).all()
        assert (mine["under"] == np.maximum(0, mine["required"] - mine["on_floor"])).all()


def test_without_groups_every_group_works_every_shift_type(tmp_path):
    """No ``groups`` key: both groups may use the day shift at 10 a day, cheaper than a pattern's 40: group a
    costs 10 x 123 = 1,230, group b 120."""
    result, out = run(tmp_path, "--no-charts", groups_key=False)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["groups"]["a"]["objective_value"] == pytest.approx(1_230)
    assert summary["objective_value"] == pytest.approx(1_350)


def test_group_option_schedules_one_group_with_its_types(tmp_path):
    result, out = run(tmp_path, "--no-charts", "--group", "b")
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["objective_value"] == pytest.approx(120) and "groups" not in summary


@pytest.mark.integration
def test_charts_are_drawn_per_group(tmp_path):
    result, out = run(tmp_path)
    assert result.exit_code == 0, result.output
    for name in ("coverage_a", "coverage_b", "shifts_a", "shifts_b"):
        assert (out / "charts" / f"{name}.png").exists()


def assert_one_clean_error(result, out, *names):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.count("error:") == 1, result.output
    for name in names:
        assert name in result.output, result.output
    assert not out.exists() or not any(out.iterdir())


def test_a_group_in_shifts_yaml_that_the_requirement_lacks_is_an_error(tmp_path):
    result, out = run(tmp_path, extra_group="c")
    assert_one_clean_error(result, out, "shifts.yaml", "groups.c", "req.csv")


def test_a_requirement_group_missing_from_shifts_yaml_groups_is_an_error(tmp_path):
    req, shifts = two_group_files(tmp_path)
    data = yaml.safe_load(shifts.read_text())
    del data["groups"]["b"]
    shifts.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--out", str(out)])
    assert_one_clean_error(result, out, "shifts.yaml", "groups", "'b'")


def test_a_group_naming_an_unknown_shift_type_is_an_error(tmp_path):
    result, out = run(tmp_path, b_types=("night",))
    assert_one_clean_error(result, out, "shifts.yaml", "groups.b", "'night'")


def test_groups_without_a_group_column_is_an_error(tmp_path):
    req = tmp_path / "req.csv"
    req.write_text("day,interval_start,net_fte\n" + "".join(f"0,{k:02d}:00,1\n" for k in range(24)))
    shifts = write_shifts(tmp_path / "shifts.yaml", {"day": DAY_SHIFT}, groups={"a": ["day"]})
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--out", str(out)])
    assert_one_clean_error(result, out, "shifts.yaml", "groups", "no group column")


def test_refine_with_several_groups_asks_for_one(tmp_path):
    result, out = run(tmp_path, "--refine", "1", "--evaluate", str(tmp_path / "x.yaml"))
    assert_one_clean_error(result, out, "--refine", "--group")


@pytest.mark.integration
def test_evaluate_staffs_every_group_and_reports_each(tmp_path):
    """--evaluate with two groups: scenario.yaml gives both their own schedule's shift lines, and each group gets
    its simulated intervals (the same replications, common random numbers)."""
    profile = [0] * 16 + [1] * 16 + [0] * 16  # calls 08:00-16:00
    scenario = {"name": "two teams", "horizon": "7d", "interval": "30min", "seed": 5, "replications": 2,
                "channels": {"phone": {"arrivals": {"daily_volume": 400, "profile": profile},
                                       "handle_time": {"dist": "exponential", "mean": "4min"},
                                       "patience": "none", "redial": None}},
                "agents": {"a": {"staffing": 0}, "b": {"staffing": 0}}, "behaviour": "off"}
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    result, out = run(tmp_path, "--no-charts", "--evaluate", str(path), "-r", "2", "--jobs", "1")
    assert result.exit_code == 0, result.output
    staffed = yaml.safe_load((out / "scenario.yaml").read_text())["agents"]
    summary = json.loads((out / "summary.json").read_text())
    for group in ("a", "b"):  # each group works its own schedule's shift lines: every shift it was given
        lines = staffed[group]["lines"]
        assert sum(line["count"] * len(line["days"]) for line in lines) == summary["groups"][group]["shifts"]
    assert summary["groups"]["a"]["evaluation"]["replications"] == 2
    evaluation = pd.read_csv(out / "evaluation.csv")
    assert set(evaluation["group"]) == {"a", "b"}


@pytest.mark.integration
def test_the_shipped_two_team_example_is_what_its_script_writes_and_covers_both_groups(tmp_path):
    import importlib.util
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "configs" / "schedules"
    spec = importlib.util.spec_from_file_location("make_two", examples / "make_two_teams_requirements.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.table().to_csv(index=False) == (examples / "two_teams_requirements.csv").read_text()
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["schedule", str(examples / "two_teams_requirements.csv"), "--shifts",
                                      str(examples / "two_teams_shifts.yaml"), "--out", str(out), "--no-charts",
                                      "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["groups"]) == {"phone_team", "email_desk"} and summary["under_hours"] == 0
    shifts = pd.read_csv(out / "shifts.csv", keep_default_na=False)
    assert set(shifts.loc[shifts["group"] == "email_desk", "type"]) == {"email_day"}
    assert set(shifts.loc[shifts["group"] == "phone_team", "type"]) <= {"full_time", "part_time"}
