"""Several agent groups in one schedule: one covering model per group, one set of files.

Each group covers its own requirement with its own shift types, so the groups' models share no constraint
and the optimum of the whole is the sum of the groups' optima: one solve per group finds it, each with an
equal share of ``--time-limit``. SHIFTS.yaml's ``groups`` maps each group to the shift types it works;
without it every group works every type. Limits (``max_count``, ``max_share``) hold within each group. All
groups share one time grid (that of every shift type), so their staffing fits one scenario.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import yaml

from sim.config.schema import Scenario
from sim.errors import InputError
from sim.scheduling.grid import model_grid
from sim.scheduling.model import Options
from sim.scheduling.outputs import (
    SHORT_LISTED,
    charts,
    coverage_table,
    shifts_table,
    staffing_fragment,
    summary,
    write_files,
)
from sim.scheduling.requirement import Requirement
from sim.scheduling.schedule import Schedule, make_schedule
from sim.scheduling.spec import Shifts

# summary.json numbers that add up over groups
ADDED = ("objective_value", "bound", "model_objective_value", "solve_seconds", "nodes", "columns", "break_variables",
         "variables", "constraints", "independent_parts", "headcount", "shifts", "paid_hours", "cost",
         "required_hours", "on_floor_hours", "under_hours", "over_hours", "short_intervals")
PER_GROUP = ("group", "channel", "status", "solver_message", "gap", "model_gap", "short", "break_placement", "repair")


def match_groups(requirements: list[Requirement], file_groups: list[str], shifts: Shifts,
                 shifts_path: Path) -> list[tuple[Requirement, Shifts]]:
    """Each requirement with the shift types its group works. SHIFTS.yaml's ``groups`` must name exactly the
    requirement file's groups (``file_groups``): a group in one and not the other is an error."""
    if shifts.groups is None:
        return [(r, shifts) for r in requirements]
    path = requirements[0].path
    if not file_groups:
        raise InputError(f"{shifts_path}: groups: {path} has no group column; drop groups or add a group column")
    for name in shifts.groups:
        if name not in file_groups:
            raise InputError(f"{shifts_path}: groups.{name}: no rows for group {name!r} in {path} (it has: "
                             f"{', '.join(file_groups)})")
    for name in file_groups:
        if name not in shifts.groups:
            raise InputError(f"{shifts_path}: groups: no entry for group {name!r} of {path}; list the shift types "
                             f"it works")
    return [(r, shifts.for_group(r.group)) for r in requirements]


def make_schedules(pairs: list[tuple[Requirement, Shifts]], shifts: Shifts, shifts_path: Path,
                   options: Options) -> dict[str, Schedule]:
    """One schedule per group, on the grid of all the shift types, each with an equal share of the time limit."""
    grid = model_grid(pairs[0][0], shifts, shifts_path)
    share = replace(options, time_limit=options.time_limit / len(pairs))
    return {str(r.group): make_schedule(r, s, shifts_path, share, grid) for r, s in pairs}


def combined_summary(plans: dict[str, Schedule]) -> dict:
    """``summary.json`` for several groups: the totals, the worst status, the gap of the totals, the short
    intervals of every group, and each group's own summary under ``groups``."""
    each = {name: summary(plan) for name, plan in plans.items()}
    first = next(iter(each.values()))
    data = {k: v for k, v in first.items() if k not in ADDED and k not in PER_GROUP}
    data.update({k: sum(d[k] for d in each.values()) for k in ADDED})
    statuses = [d["status"] for d in each.values()]
    data["status"] = next((s for s in statuses if s != "optimal"), "optimal")
    data["gap"] = abs(data["objective_value"] - data["bound"]) / max(abs(data["objective_value"]), 1e-9)
    data["short"] = [{"group": name, **row} for name, d in each.items() for row in d["short"]][:SHORT_LISTED]
    data["repair"] = None
    data["groups"] = each
    return data


def group_tables(plans: dict[str, Schedule]) -> dict[str, pd.DataFrame]:
    """shifts.csv and coverage.csv of every group, one after the other, with a ``group`` column first."""
    return {"shifts.csv": _stacked({g: shifts_table(p) for g, p in plans.items()}),
            "coverage.csv": _stacked({g: coverage_table(p) for g, p in plans.items()})}


def _stacked(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return pd.concat([f.assign(group=g)[["group", *f.columns]] for g, f in frames.items()], ignore_index=True)


def write_group_outputs(plans: dict[str, Schedule], out: Path, scenario: dict | None = None,
                        evaluations: dict | None = None, with_charts: bool = True) -> list[Path]:
    """The files of ``write_outputs`` for several groups: the tables with a ``group`` column, one staffing
    fragment with every group, charts per group (``charts/coverage_<group>``), summary.json with the totals."""
    tables = group_tables(plans)
    names = list(plans)
    first = plans[names[0]]
    texts = {"staffing.yaml": staffing_fragment(first, names[0], {g: plans[g] for g in names[1:]})}
    if scenario is not None:
        texts["scenario.yaml"] = (f"# {scenario.get('name', 'scenario')} staffed by servsim schedule "
                                  f"({first.requirement.path}, {first.shifts_path}): agents.<group>.staffing is "
                                  f"the agents on the floor per interval for {', '.join(names)}.\n"
                                  + yaml.safe_dump(scenario, sort_keys=False, default_flow_style=None, width=120))
    data = combined_summary(plans)
    if evaluations:
        from sim.scheduling.evaluate import evaluation_summary

        tables["evaluation.csv"] = _stacked({g: e.intervals for g, e in evaluations.items()})
        tables["evaluation_runs.csv"] = next(iter(evaluations.values())).runs  # one simulation staffs every group
        for name, evaluation in evaluations.items():
            data["groups"][name]["evaluation"] = evaluation_summary(evaluation)
    figures = {}
    for name, plan in plans.items() if with_charts else ():
        own = {k: v[v["group"] == name].drop(columns="group") for k, v in tables.items() if k != "evaluation_runs.csv"}
        target = evaluations[name].target if evaluations else None
        figures.update({f"{chart}_{name}": fig for chart, fig in charts(plan, own, target).items()})
    currency = ((scenario or {}).get("money") or {}).get("currency", "EUR")
    return write_files(out, tables, texts, figures, data, currency)


def staffed_scenario(plans: dict[str, Schedule], scenario_path: Path) -> tuple[dict, Scenario]:
    """The scenario's settings with every group staffed by its schedule (``schedule_to_scenario`` per group),
    and the validated scenario."""
    from sim.config.loader import validate
    from sim.scheduling.evaluate import schedule_to_scenario

    data: dict | None = None
    for name, plan in plans.items():
        staffed = schedule_to_scenario(plan, scenario_path, name)[0]
        data = staffed if data is None else {**data, "agents": {**data["agents"], name: staffed["agents"][name]}}
    assert data is not None, "at least one group is scheduled"
    return data, validate(Scenario, data, f"{scenario_path} (staffed by the schedule)")
