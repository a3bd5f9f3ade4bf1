"""The schedule as simulator input and its simulation: the conversion to shift lines (their floor is the
schedule's), common random numbers (breaks never make service better), the refined requirement, and the CLI
end to end."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from schedule_helpers import solve, write_requirement, write_shifts

from sim.cli import cli
from sim.config.loader import load_config
from sim.scheduling.evaluate import evaluate, refined_requirement, schedule_to_scenario
from sim.scheduling.requirement import read_requirement

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

SHIFTS = {"day": {"start": {"earliest": "06:00", "latest": "12:00", "step": "1h"}, "length": "8h",
                  "cost_per_shift": 1,
                  "breaks": [{"name": "rest", "duration": "15min", "paid": True, "window": ["2h", "3h"]},
                             {"name": "lunch", "duration": "30min", "paid": False, "window": ["3.5h", "4.5h"]}]}}
# Erlang C with FCFS and behaviour off: 2 calls a minute, 4 minutes each (8 Erlangs) from 06:00 to 20:00.
PROFILE = [0] * 12 + [1] * 28 + [0] * 8  # half hours


def scenario_file(tmp, interval="30min", horizon="1d", **top) -> str:
    data = {"name": "queue", "horizon": horizon, "interval": interval, "seed": 11, "replications": 6,
            "channels": {"phone": {"arrivals": {"daily_volume": 1680, "profile": PROFILE},
                                   "handle_time": {"dist": "exponential", "mean": "4min"},
                                   "patience": "none", "redial": None}},
            "agents": {"team": {"staffing": 0}}, "behaviour": "off", **top}
    path = tmp / "scenario.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def flat_day(agents: float) -> list[list[float]]:
    return [[agents if 12 <= k < 40 else 0 for k in range(48)]]


def lines_floor(scenario) -> list[int]:
    """The agents the group's shift lines put on the floor per interval of the horizon."""
    return scenario.agents["team"].plan(scenario.n_intervals, scenario.intervals_per_day)


def test_the_lines_floor_is_the_schedules_and_the_scenario_is_cut_to_the_grid(tmp_path):
    plan = solve(tmp_path, flat_day(11), 30, SHIFTS)
    assert plan.grid.step == 900  # 15-minute rests: a 15-minute grid
    data, scenario = schedule_to_scenario(plan, scenario_file(tmp_path))
    assert scenario.interval == 900 and data["interval"] == "15min"
    assert data["channels"]["phone"]["arrivals"]["profile"] == [p for p in PROFILE for _ in range(2)]
    lines = scenario.agents["team"].lines
    assert "staffing" not in data["agents"]["team"] and sum(line.count for line in lines) == plan.lines.count.sum()
    assert all(len(line.breaks) == 2 for line in lines)  # every agent's rest and lunch
    assert lines_floor(scenario) == [int(v) for v in plan.on_floor]
    assert lines_floor(scenario) != [int(v) for v in plan.on_shift]  # breaks are taken
    _, without = schedule_to_scenario(plan, scenario_file(tmp_path), breaks=False)
    assert lines_floor(without) == [int(v) for v in plan.on_shift]


def test_a_one_day_schedule_repeats_over_a_longer_horizon(tmp_path):
    plan = solve(tmp_path, flat_day(5), 30, SHIFTS)
    _, scenario = schedule_to_scenario(plan, scenario_file(tmp_path, horizon="3d"))
    assert lines_floor(scenario) == [int(v) for v in plan.on_floor] * 3


def test_a_week_starting_on_wednesday_is_turned_to_start_on_monday(tmp_path):
    days = [[float(d + 1) if 12 <= k < 40 else 0 for k in range(48)] for d in range(7)]  # day d needs d + 1
    plan = solve(tmp_path, days, 30, SHIFTS, labels=list(range(2, 9)))  # days 2 .. 8: Wednesday first
    assert plan.grid.first_weekday == 2
    _, scenario = schedule_to_scenario(plan, scenario_file(tmp_path, horizon="7d"))
    staffing = np.array(lines_floor(scenario)).reshape(7, 96)
    floor = plan.on_floor.reshape(7, 96)
    assert (staffing[0] == floor[5]).all() and (staffing[2] == floor[0]).all()  # Monday is the file's 6th day


def test_breaks_never_make_the_simulated_schedule_better_under_common_random_numbers(tmp_path):
    """The same shifts with and without their breaks, same replications and streams. With FCFS, no
    abandonment and handle times drawn per caller (behaviour off), fewer agents on the floor at every moment
    can only delay each caller: every replication's service level is no higher and its ASA no lower, in the
    whole run and in every interval."""
    plan = solve(tmp_path, flat_day(11), 30, SHIFTS)
    path = scenario_file(tmp_path)
    with_breaks = evaluate(plan, path, executor="serial")
    without = evaluate(plan, path, executor="serial", breaks=False)
    assert (with_breaks.runs["offered"] == without.runs["offered"]).all()  # the same callers
    assert (with_breaks.runs["service_level"] <= without.runs["service_level"] + 1e-12).all()
    assert (with_breaks.runs["asa_seconds"] >= without.runs["asa_seconds"] - 1e-9).all()
    assert (with_breaks.runs["service_level"] < without.runs["service_level"]).any()  # breaks do cost something
    both = with_breaks.intervals.merge(without.intervals, on="interval", suffixes=("", "_without"))
    served = both["offered"] > 0
    assert (both.loc[served, "service_level"] <= both.loc[served, "service_level_without"] + 1e-12).all()
    assert (both.loc[served, "asa_seconds"] >= both.loc[served, "asa_seconds_without"] - 1e-9).all()


def test_with_the_full_models_defaults_breaks_are_no_better_in_expectation_and_paid_breaks_are_costed(tmp_path):
    """The full model's defaults (abandonment, redials, frustration, exhaustion, ...): a customer who waits
    longer may hang up and redial, so no replication-by-replication law holds, but in expectation fewer agents
    on the floor cannot serve better: the paired difference (with - without breaks, common random numbers) of
    service level is at most 0, of ASA and abandonment at least 0, each within 3 standard errors (the effect
    measured here is about 8 standard errors, so the check cannot fail by chance). Labour cost is the
    schedule's paid hours (its shift types' length less unpaid breaks) at 30 an hour."""
    plan = solve(tmp_path, flat_day(11), 30, SHIFTS)
    path = tmp_path / "full.yaml"
    path.write_text(yaml.safe_dump({
        "name": "full model", "horizon": "1d", "interval": "30min", "seed": 11, "replications": 6,
        "channels": {"phone": {"arrivals": {"daily_volume": 1680, "profile": PROFILE},
                               "handle_time": {"dist": "exponential", "mean": "4min"}}},
        "agents": {"team": {"staffing": 0}}}, sort_keys=False))
    with_breaks = evaluate(plan, path, executor="serial").runs
    without = evaluate(plan, path, executor="serial", breaks=False).runs
    for kpi, sign in (("service_level", -1), ("asa_seconds", 1), ("abandon_rate", 1)):
        diff = sign * (with_breaks[kpi] - without[kpi])
        assert diff.mean() + 3 * diff.std(ddof=1) / np.sqrt(len(diff)) >= 0, kpi
    paid_hours = float((plan.columns.paid_hours[plan.lines.column] * plan.lines.count).sum())
    assert with_breaks["labour_cost"].to_numpy() == pytest.approx(paid_hours * 30.0)


def test_evaluation_table_has_intervals_with_95_percent_bounds_and_flags_short_ones(tmp_path):
    plan = solve(tmp_path, flat_day(7), 30, SHIFTS)  # 7 agents for 8 Erlangs: overloaded, short everywhere
    result = evaluate(plan, scenario_file(tmp_path), replications=4, executor="serial", target_sl=0.8)
    table = result.intervals
    open_hours = table[table["service_level"].notna()]  # calls with a known fate (answered or abandoned)
    assert len(table) == 96 and (open_hours["service_level_ci_low"] <= open_hours["service_level"]).all()
    assert (open_hours["service_level"] <= open_hours["service_level_ci_high"]).all()
    assert table["short"].equals((table["service_level_ci_high"] < 0.8).fillna(False))
    assert result.short["interval"].isin(open_hours["interval"]).all() and len(result.short) > 10
    assert not result.short["interval"].isin(table.loc[table["offered"] == 0, "interval"]).any()


def test_refined_requirement_adds_an_agent_exactly_where_the_simulation_fell_short(tmp_path):
    plan = solve(tmp_path, flat_day(9), 30, SHIFTS)
    result = evaluate(plan, scenario_file(tmp_path), replications=4, executor="serial", target_sl=0.8)
    refined = refined_requirement(plan, result, step=1.0)
    short_half_hours = {k // 2 for k in result.short["interval"]}
    assert set(np.flatnonzero(refined["added"].to_numpy())) == short_half_hours
    assert (refined["net_fte"] - refined["added"] == pd.to_numeric(plan.requirement.rows["net_fte"])).all()
    refined.to_csv(tmp_path / "refined.csv", index=False)
    again = read_requirement(tmp_path / "refined.csv")  # the refined file is a valid requirement
    assert again.values.sum() == pytest.approx(plan.requirement.values.sum() + len(short_half_hours))


def test_cli_evaluate_writes_everything_and_the_scenario_runs(tmp_path):
    req = write_requirement(tmp_path / "req.csv", flat_day(11), 30)
    shifts = write_shifts(tmp_path / "shifts.yaml", SHIFTS)
    out = tmp_path / "plan"
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--evaluate",
                                      str(scenario_file(tmp_path)), "-r", "3", "--jobs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "simulated (3 replications" in result.output
    for name in ("shifts.csv", "coverage.csv", "summary.json", "staffing.yaml", "scenario.yaml", "evaluation.csv",
                 "evaluation_runs.csv", "requirements_refined.csv", "charts/coverage.png", "charts/shifts.svg",
                 "charts/evaluation.png"):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["evaluation"]["replications"] == 3 and summary["evaluation"]["group"] == "team"
    run = CliRunner().invoke(cli, ["run", str(out / "scenario.yaml"), "-r", "2", "--json"])
    assert run.exit_code == 0, run.output
    written = load_config(out / "scenario.yaml")
    assert lines_floor(written) == pd.read_csv(out / "coverage.csv")["on_floor"].astype(int).tolist()


def test_cli_refine_adds_requirement_where_the_simulation_fell_short_and_solves_again(tmp_path):
    req = write_requirement(tmp_path / "req.csv", flat_day(8.5), 30)  # about the load: short almost everywhere
    shifts = write_shifts(tmp_path / "shifts.yaml", SHIFTS)
    out = tmp_path / "plan"
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--evaluate",
                                      str(scenario_file(tmp_path)), "-r", "3", "--jobs", "1", "--refine", "2",
                                      "--no-charts", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    rounds = json.loads(result.stdout)["refine_rounds"]
    assert [r["round"] for r in rounds] == [0, 1, 2] and rounds[0]["short_intervals"] > 0
    needed = [r["requirement_agent_hours"] for r in rounds]
    assert needed[0] == pytest.approx(8.5 * 14) and needed[0] < needed[1] < needed[2]  # 8.5 agents, 14 hours
    assert all(b["cost"] >= a["cost"] for a, b in zip(rounds, rounds[1:]))
    refined = pd.read_csv(out / "requirements_refined.csv")
    # every round's additions are kept: the file is the original plus the sum of all three rounds' additions
    assert (refined["net_fte"] - refined["added"]).tolist() == pytest.approx(
        pd.read_csv(req)["net_fte"].tolist())
    assert refined["added"].max() <= 3 and refined["added"].sum() > 0


def test_refine_without_evaluate_is_an_input_error(tmp_path):
    req = write_requirement(tmp_path / "req.csv", flat_day(3), 30)
    shifts = write_shifts(tmp_path / "shifts.yaml", SHIFTS)
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--refine", "2",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "--refine goes with --evaluate" in result.output
