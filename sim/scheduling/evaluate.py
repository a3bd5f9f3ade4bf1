"""A schedule simulated as it will be worked: replications of a scenario staffed by the schedule.

``schedule_to_scenario`` is the one place where a schedule becomes simulator input: the schedule's shift
lines become the group's ``agents.<group>.lines`` (``sim/config/lines.py``), so each simulated agent follows
its line (``sim/model/lines.py``): comes on at its start, leaves for each break and at the end after the
contact in hand, returns after the break's length, and is paid through its paid breaks.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.config.loader import read_yaml, validate
from sim.config.schema import DAY, WEEKDAYS, Scenario
from sim.config.units import format_duration
from sim.errors import InputError
from sim.experiment.executors import Outcome, execute
from sim.experiment.spec import RunSpec
from sim.reduction import RunTables
from sim.scheduling.requirement import Requirement, clock
from sim.scheduling.schedule import Schedule, requirement_index

KPIS = ("service_level", "asa_seconds", "mean_wait_seconds", "abandon_rate")


def schedule_to_scenario(schedule: Schedule, scenario_path: str | Path, group: str | None = None,
                         breaks: bool = True) -> tuple[dict, Scenario]:
    """The scenario file's settings with ``group`` working the schedule's shift lines (``agents.<group>.lines``:
    each agent comes on at its shift's start, takes its breaks and leaves at the end, after the contact in hand;
    ``breaks=False``: the same lines as if nobody took a break). Returns the settings (ready to write as YAML)
    and the validated scenario."""
    path = Path(scenario_path)
    data = read_yaml(path)
    scenario = validate(Scenario, data, str(path))
    group = scenario_group(schedule, scenario, group, path)
    data, scenario = _on_grid(data, scenario, schedule.grid.step, path)
    aligned(schedule, scenario, schedule.on_floor, path)  # the horizon fits the schedule
    spec = {k: v for k, v in data["agents"][group].items() if k not in ("staffing", "days", "extra_agents")}
    agents = {**data["agents"], group: {**spec, "lines": shift_lines(schedule, breaks)}}
    data = {**data, "agents": agents}
    return data, validate(Scenario, data, f"{path} (staffed by the schedule)")


def shift_lines(schedule: Schedule, breaks: bool = True) -> list[dict]:
    """The schedule as scenario shift lines: one per line of ``shifts.csv`` and set of shift times (a weekly
    pattern working the same times every day is one line, the same agents all week). A one-day schedule's
    lines run every day, a week's on their weekdays, any other stretch of days on its day numbers."""
    columns, grid = schedule.columns, schedule.grid
    lines: dict[tuple, dict] = {}
    for n, (j, taken, count) in enumerate(zip(schedule.lines.column, schedule.lines.taken, schedule.lines.count)):
        name = columns.type_names[columns.type[j]]
        template = columns.templates[columns.type[j]]
        paid = {b.name: b.paid for b in schedule.shifts.shift_types[name].breaks}
        length = template.length * grid.step
        if length > DAY:
            raise InputError(f"{schedule.shifts_path}: shift_types.{name}.length: {format_duration(length)} is "
                             f"longer than a day; a scenario's shift lines last at most 24h")
        for step, placements in zip(columns.starts[j], taken):
            day, start = divmod(step, grid.per_day)
            start_s = start * grid.step
            placed = sum((template.groups[g][p] for g, p in enumerate(placements)), ()) if breaks else ()
            rests = [{"name": b, "start": clock(start_s + s * grid.step), "length": format_duration(k * grid.step),
                      "paid": paid[b]} for b, s, k in sorted(placed, key=lambda b: b[1])]
            end = start_s + length
            line = lines.setdefault((n, start_s, str(rests)), {
                "name": f"{name} {n + 1}", "start": clock(start_s), "end": "24:00" if end % DAY == 0 else clock(end),
                "days": [], "count": int(count), "breaks": rests})
            line["days"].append(_day(grid, int(day)))
    out = list(lines.values())
    if grid.days == 1:
        for line in out:
            line["days"] = list(WEEKDAYS)
    return out


def _day(grid, day: int) -> str | int:
    """A schedule day as a line's day: a week's weekday name, or the day's number in a plain stretch."""
    return WEEKDAYS[(grid.first_weekday + day) % 7] if grid.days == 7 else day


def scenario_group(schedule: Schedule, scenario: Scenario, group: str | None, path: Path) -> str:
    """The agent group the schedule staffs: ``group``, else the requirement's group, else the only group."""
    name = group or schedule.requirement.group
    if name is None:
        if len(scenario.agents) > 1:
            raise InputError(f"{path}: agents: the scenario has several groups ({', '.join(scenario.agents)}); "
                             f"choose one with --group")
        name = next(iter(scenario.agents))
    if name not in scenario.agents:
        raise InputError(f"{path}: agents: no group {name!r} to staff with the schedule (the scenario has "
                         f"{', '.join(scenario.agents)}); choose one with --group")
    return name


def _on_grid(data: dict, scenario: Scenario, step: float, path: Path) -> tuple[dict, Scenario]:
    """The scenario cut into the schedule's steps when its interval is a multiple of them: each per-interval
    list (demand profiles, staffing per interval) repeats its values, so the arrival rate is unchanged."""
    interval = scenario.interval
    if math.isclose(interval, step) or (step > interval and math.isclose(step / interval, round(step / interval))):
        return data, scenario
    k = interval / step
    if not math.isclose(k, round(k)):
        raise InputError(f"{path}: interval: {format_duration(interval)} and the schedule's "
                         f"{format_duration(step)} steps do not fit into each other")
    k = round(k)
    data = {**data, "interval": format_duration(step)}
    channels = {}
    for name, channel in (data.get("channels") or {}).items():
        arrivals = (channel or {}).get("arrivals") or {}
        if isinstance(arrivals.get("profile"), list):
            profile = [v for v in arrivals["profile"] for _ in range(k)]
            channel = {**channel, "arrivals": {**arrivals, "profile": profile}}
        channels[name] = channel
    agents = {}
    for name, spec in data["agents"].items():
        staffing = spec.get("staffing")
        if isinstance(staffing, list) and len(staffing) > 1:
            spec = {**spec, "staffing": [v for v in staffing for _ in range(k)]}
        agents[name] = spec
    data = {**data, "channels": channels, "agents": agents}
    return data, validate(Scenario, data, f"{path} (in {format_duration(step)} intervals)")


def aligned(schedule: Schedule, scenario: Scenario, values: np.ndarray, path: Path) -> np.ndarray:
    """``values`` (one per schedule step) as one per interval of the scenario's horizon, which starts on a
    Monday: a cyclic schedule (a day, a week) repeats; a plain stretch of days must cover the horizon."""
    grid = schedule.grid
    values = np.repeat(np.asarray(values, dtype=float), round(grid.step / scenario.interval))  # see _on_grid
    per_day = round(DAY / scenario.interval)
    days = values.reshape(grid.days, per_day)
    n = scenario.n_intervals
    if grid.days == 7:
        days = np.roll(days, grid.first_weekday, axis=0)  # row 0 is Monday
    elif grid.days != 1 and grid.first_weekday != 0:
        raise InputError(f"{schedule.requirement.path}: day: the schedule starts on day "
                         f"{schedule.requirement.day_labels[0]}, a scenario's horizon starts on a Monday")
    if not grid.cyclic and n > days.size:
        raise InputError(f"{path}: horizon: {format_duration(scenario.horizon)} is longer than the schedule's "
                         f"{grid.days} days")
    flat = days.ravel()
    return np.resize(flat, n)


@dataclass(frozen=True)
class Evaluation:
    """The schedule simulated: per interval, mean and 95% interval of each KPI over the replications."""

    scenario: Scenario
    group: str
    channel: str | None
    target: float
    replications: int
    seed: int
    intervals: pd.DataFrame
    runs: pd.DataFrame

    @property
    def short(self) -> pd.DataFrame:
        """Intervals whose service level is below the target even at the upper end of its 95% interval."""
        return self.intervals[self.intervals["short"]]


def evaluate(schedule: Schedule, scenario_path: str | Path, group: str | None = None, replications: int | None = None,
             seed: int | None = None, target_sl: float = 0.8, breaks: bool = True, executor: str = "local",
             jobs: int | None = None, on_start: Callable[[int, int], None] | None = None,
             on_outcome: Callable[[Outcome], None] | None = None, staffed: Scenario | None = None) -> Evaluation:
    """Simulate ``replications`` of the scenario staffed by the schedule (common random numbers: replication r
    uses the same streams whatever the staffing), and summarise each interval."""
    scenario = staffed or schedule_to_scenario(schedule, scenario_path, group, breaks)[1]  # staffed: all groups
    group = scenario_group(schedule, scenario, group, Path(scenario_path))
    replications = replications or scenario.replications
    seed = scenario.seed if seed is None else seed
    tasks = [(scenario, RunSpec(0, r, seed)) for r in range(replications)]
    if on_start is not None:
        on_start(len(tasks), 0)
    done: list[tuple[int, RunTables]] = []  # (replication, its tables)
    for outcome in execute(tasks, executor, jobs):
        if outcome.error is not None:
            raise RuntimeError(f"replication {outcome.spec.replication} failed: {outcome.error}")
        assert outcome.tables is not None, "a run without an error has its tables"
        done.append((outcome.spec.replication, outcome.tables))
        if on_outcome is not None:
            on_outcome(outcome)
    done.sort(key=lambda d: d[0])
    channel = schedule.requirement.channel if schedule.requirement.channel in scenario.channels.names else None
    frames = [tables.intervals.assign(replication=r) for r, tables in done]
    table = interval_summary(pd.concat(frames, ignore_index=True), scenario, channel, target_sl)
    table.insert(3, "required", aligned(schedule, scenario, schedule.required, Path(scenario_path))[table["interval"]])
    runs = pd.DataFrame([{"replication": r, **tables.kpis} for r, tables in done])
    return Evaluation(scenario, group, channel, target_sl, replications, seed, table, runs)


def interval_summary(intervals: pd.DataFrame, scenario: Scenario, channel: str | None, target: float) -> pd.DataFrame:
    """Per interval after the warm-up: agents on the floor, offered, and each KPI's mean and 95% interval."""
    rows = intervals[intervals["start_seconds"] >= scenario.warmup - 1e-9]
    prefix = f"{channel}_" if channel is not None else ""
    grouped = rows.groupby("interval", sort=True)
    first = grouped[["start_seconds", "agents_scheduled"]].first()
    out = pd.DataFrame({
        "interval": first.index,
        "day": (first["start_seconds"] // DAY).astype(int).to_numpy(),
        "interval_start": [clock(s % DAY) for s in first["start_seconds"]],
        "on_floor": first["agents_scheduled"].to_numpy(),
        "offered": grouped[_column(rows, prefix, "offered")].mean().to_numpy(),
    })
    for kpi in KPIS:
        mean, low, high = _t_interval(grouped[_column(rows, prefix, kpi)])
        out[kpi], out[f"{kpi}_ci_low"], out[f"{kpi}_ci_high"] = mean, low, high
    out["short"] = (out["service_level_ci_high"] < target).fillna(False).to_numpy(bool)
    return out.reset_index(drop=True)


def _column(rows: pd.DataFrame, prefix: str, kpi: str) -> str:
    """The channel's own column where the interval table has one, else the all-channel column."""
    return f"{prefix}{kpi}" if f"{prefix}{kpi}" in rows.columns else kpi


def _t_interval(grouped) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and Student-t 95% interval per group over its non-missing values (NaN bounds with fewer than 2)."""
    mean, sd, n = grouped.mean().to_numpy(), grouped.std(ddof=1).to_numpy(), grouped.count().to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        half = np.where(n >= 2, stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n), np.nan)
    return mean, mean - half, mean + half


def refined_requirement(schedule: Schedule, evaluation: Evaluation, step: float = 1.0) -> pd.DataFrame:
    """The requirement file's rows with ``step`` added to the requirement column of every interval the
    simulation found short (its service level's upper 95% bound below the target); column ``added`` says where
    (summed over the rounds, when the requirement was itself refined)."""
    req, grid = schedule.requirement, schedule.grid
    rows = req.rows.copy()
    added = np.zeros(len(rows))
    for interval in evaluation.short["interval"]:
        day, seconds = divmod(interval * evaluation.scenario.interval, DAY)
        day = (int(day) - grid.first_weekday) % 7 if grid.days == 7 else (0 if grid.days == 1 else int(day))
        added[requirement_index(req, grid, day * grid.per_day + int(seconds // grid.step))] = step
    rows[req.column] = pd.to_numeric(rows[req.column]) + added
    rows["added"] = pd.to_numeric(rows["added"]) + added if "added" in rows else added  # over every round
    return rows


def as_requirement(requirement: Requirement, refined: pd.DataFrame) -> Requirement:
    """``requirement`` with the values of its refined rows (same rows, same order), for the next round."""
    values = pd.to_numeric(refined[requirement.column]).to_numpy(float)
    return dataclasses.replace(requirement, values=values, rows=refined)


def evaluation_summary(evaluation: Evaluation, listed: int = 20) -> dict:
    """The evaluation in numbers: what was simulated, whole-run KPIs with 95% intervals, the short intervals."""
    from sim.metrics import confidence_interval

    kpis = {}
    for kpi in KPIS:
        name = f"{evaluation.channel}_{kpi}" if f"{evaluation.channel}_{kpi}" in evaluation.runs else kpi
        if name in evaluation.runs:
            mean, low, high = confidence_interval(evaluation.runs[name])
            kpis[kpi] = {"mean": mean, "ci_low": low, "ci_high": high}
    short = evaluation.short
    return {
        "scenario": evaluation.scenario.name, "group": evaluation.group, "channel": evaluation.channel,
        "replications": evaluation.replications, "seed": evaluation.seed, "target_service_level": evaluation.target,
        "interval_minutes": evaluation.scenario.interval / 60,
        "service_level_definition": evaluation.scenario.service_level.definition,
        "kpis": kpis,
        "short_intervals": int(len(short)),
        "short": short[["day", "interval_start", "on_floor", "service_level", "service_level_ci_high"]]
        .head(listed).to_dict("records"),
    }
