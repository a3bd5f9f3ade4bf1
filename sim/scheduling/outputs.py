"""What a schedule writes: shifts.csv, coverage.csv, summary.json and a staffing fragment for scenarios.

``shifts.csv`` has one row per shift line and day (type, day, start, end, count, breaks with their times);
``coverage.csv`` one row per grid step (required, at work, on a break, on the floor, under, over).
The on-floor column is recomputed from the lines, so the two files always agree.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import sim
from sim.config.schema import WEEKDAYS
from sim.config.units import format_duration
from sim.experiment.store import write_atomic, write_json
from sim.scheduling.requirement import DAY, clock
from sim.scheduling.schedule import Schedule

SHORT_LISTED = 20  # short intervals listed in summary.json (all are in coverage.csv)
SHIFT_COLUMNS = ["line", "type", "day", "start", "end", "count", "paid_hours", "breaks", "pattern"]
COVERAGE_COLUMNS = ["day", "interval_start", "required", "at_work", "on_break", "on_floor", "under", "over"]


def shifts_table(schedule: Schedule) -> pd.DataFrame:
    """One row per shift line and day worked: a weekly pattern's line has one row per working day, all with
    its line number, count and ``pattern`` (the days it works)."""
    columns, grid, labels = schedule.columns, schedule.grid, schedule.requirement.day_labels
    rows = []
    order = sorted(range(len(schedule.lines.count)), key=lambda i: (columns.starts[schedule.lines.column[i]],
                                                                       columns.type[schedule.lines.column[i]]))
    for line, i in enumerate(order, start=1):
        j, taken, count = schedule.lines.column[i], schedule.lines.taken[i], schedule.lines.count[i]
        name = columns.type_names[columns.type[j]]
        template = columns.templates[columns.type[j]]
        pattern = ",".join(labels[d] for d in columns.days(j)) if columns.tour[j] else ""
        for step, placements in zip(columns.starts[j], taken):
            start = (step % grid.per_day) * grid.step
            placed = sum((template.groups[g][p] for g, p in enumerate(placements)), ())
            rows.append({"line": line, "type": name, "day": labels[step // grid.per_day], "start": clock(start),
                         "end": _end(start, template.length * grid.step), "count": int(count),
                         "paid_hours": round(schedule.shifts.shift_types[name].paid_hours, 4),
                         "breaks": _breaks(placed, start, grid.step), "pattern": pattern})
    return pd.DataFrame(rows, columns=SHIFT_COLUMNS)


def _end(start: float, length: float) -> str:
    """``17:00``, ``24:00`` at midnight, ``06:00+1d`` for the next morning."""
    end = start + length
    days = int((end - 1e-9) // DAY)
    text = "24:00" if abs(end - days * DAY - DAY) < 1e-6 else clock(end)
    return text + (f"+{days}d" if days else "")


def _breaks(placement, start: float, step: float) -> str:
    """``lunch 12:00-12:30; rest 10:00-10:15`` in time order."""
    spans = sorted((start + s * step, start + (s + n) * step, name) for name, s, n in placement)
    return "; ".join(f"{name} {clock(a)}-{clock(b)}" for a, b, name in spans)


def coverage_table(schedule: Schedule) -> pd.DataFrame:
    """One row per grid step: required, at work, on a break, on the floor, under and over."""
    grid = schedule.grid
    steps = np.arange(grid.slots)
    return pd.DataFrame({
        "day": [schedule.requirement.day_labels[d] for d in steps // grid.per_day],
        "interval_start": [clock(s * grid.step) for s in steps % grid.per_day],
        "required": schedule.required,
        "at_work": schedule.on_shift.round(9),
        "on_break": schedule.on_break.round(9),
        "on_floor": schedule.on_floor.round(9),
        "under": schedule.under.round(9),
        "over": schedule.over.round(9),
    }, columns=COVERAGE_COLUMNS)


def headcount(schedule: Schedule) -> int:
    """Agents needed: one per weekly-pattern line, plus the most daily shifts any one day has."""
    columns, lines = schedule.columns, schedule.lines
    tours = int(lines.count[columns.tour[lines.column]].sum())
    per_day = np.zeros(schedule.grid.days)
    for j, count in zip(lines.column, lines.count):
        if not columns.tour[j]:
            per_day[columns.days(j)[0]] += count
    return tours + int(per_day.max(initial=0))


def summary(schedule: Schedule) -> dict:
    """The solve and the schedule in numbers (``summary.json``)."""
    solved, options, grid, req = schedule.solved, schedule.options, schedule.grid, schedule.requirement
    lines, columns = schedule.lines, schedule.columns
    shifts_worked = int(sum(count * len(columns.starts[j]) for j, count in zip(lines.column, lines.count)))
    coverage = coverage_table(schedule)
    short = coverage[coverage["under"] > 1e-9]
    return {
        "servsim_version": sim.__version__,
        "requirement": str(req.path), "requirement_column": req.column, "group": req.group, "channel": req.channel,
        "shifts_file": str(schedule.shifts_path),
        "status": solved.status, "solver_message": solved.message,
        "objective": options.objective, "objective_value": schedule.objective, "bound": solved.bound,
        "gap": schedule.gap, "model_objective_value": solved.objective, "model_gap": solved.gap,
        "solve_seconds": round(solved.seconds, 3), "nodes": solved.nodes,
        "cover": "soft" if options.soft else "hard", "under_penalty": options.under_penalty,
        "over_penalty": options.over_penalty, "time_limit_seconds": options.time_limit,
        "mip_gap_target": options.mip_gap,
        "columns": len(columns), "break_variables": len(columns.breaks), "variables": solved.variables,
        "constraints": solved.constraints, "independent_parts": solved.parts,
        "days": grid.days, "first_weekday": WEEKDAYS[grid.first_weekday], "cyclic": grid.cyclic,
        "grid_minutes": grid.step / 60, "requirement_interval_minutes": req.interval / 60,
        "headcount": headcount(schedule), "shifts": shifts_worked,
        "paid_hours": float((columns.paid_hours[lines.column] * lines.count).sum()),
        "cost": float((columns.cost[lines.column] * lines.count).sum()),
        "required_hours": float(schedule.required.sum() * grid.hours),
        "on_floor_hours": float(schedule.on_floor.sum() * grid.hours),
        "under_hours": float(schedule.under.sum() * grid.hours),
        "over_hours": float(schedule.over.sum() * grid.hours),
        "short_intervals": int(len(short)),
        "short": short[["day", "interval_start", "required", "on_floor", "under"]].head(SHORT_LISTED)
        .to_dict("records"),
        "break_placement": {"status": lines.status, "seconds": round(lines.seconds, 3)},
        "repair": schedule.repair,
    }


def staffing_fragment(schedule: Schedule, group: str, others: dict[str, Schedule] | None = None) -> str:
    """A YAML fragment with the on-floor agents per grid step, as ``agents.<group>.staffing``; ``others``: more
    groups' schedules on the same grid, each under its own name."""
    grid = schedule.grid
    plans = {group: schedule, **(others or {})}
    values = {name: [int(round(v)) for v in plan.on_floor] for name, plan in plans.items()}
    header = (f"# On-floor agents per {format_duration(grid.step)} (shifts less breaks) from servsim schedule:\n"
              f"# {grid.slots} values per group over {grid.days} day(s) from {WEEKDAYS[grid.first_weekday]} 00:00.\n"
              f"# Set it on a scenario with interval {format_duration(grid.step)} (servsim schedule --scenario "
              f"writes a complete scenario.yaml).\n")
    body = {"interval": format_duration(grid.step), "agents": {name: {"staffing": v} for name, v in values.items()}}
    return header + yaml.safe_dump(body, sort_keys=False, default_flow_style=None, width=120)


def write_outputs(schedule: Schedule, out: Path, group: str, scenario: dict | None = None, evaluation=None,
                  refined: pd.DataFrame | None = None, with_charts: bool = True,
                  extra: dict | None = None) -> list[Path]:
    """Every file of a schedule in ``out``, each written atomically; ``summary.json`` last, so its presence means
    the directory is complete. ``scenario``: settings of a scenario staffed by the schedule (scenario.yaml);
    ``evaluation`` and ``refined``: the simulation's per-interval results and the refined requirement."""
    out = Path(out)
    tables = {"shifts.csv": shifts_table(schedule), "coverage.csv": coverage_table(schedule)}
    if evaluation is not None:
        tables["evaluation.csv"] = evaluation.intervals
        tables["evaluation_runs.csv"] = evaluation.runs
    if refined is not None:
        tables["requirements_refined.csv"] = refined
    texts = {"staffing.yaml": staffing_fragment(schedule, group)}
    if scenario is not None:
        texts["scenario.yaml"] = (f"# {scenario.get('name', 'scenario')} staffed by servsim schedule "
                                  f"({schedule.requirement.path}, {schedule.shifts_path}): agents.{group}.staffing is "
                                  f"the agents on the floor per interval.\n"
                                  + yaml.safe_dump(scenario, sort_keys=False, default_flow_style=None, width=120))
    figures = charts(schedule, tables, evaluation.target if evaluation is not None else None) if with_charts else {}
    data = summary(schedule)
    if evaluation is not None:
        from sim.scheduling.evaluate import evaluation_summary

        data["evaluation"] = evaluation_summary(evaluation)
    currency = ((scenario or {}).get("money") or {}).get("currency", "EUR")
    return write_files(out, tables, texts, figures, {**data, **(extra or {})}, currency)


def write_files(out: Path, tables: dict[str, pd.DataFrame], texts: dict[str, str], figures: dict, data: dict,
                currency: str = "EUR") -> list[Path]:
    """Write what was computed, each file atomically (a failure above cannot leave a directory half-written),
    the workbook, and ``summary.json`` last, so its presence means the directory is complete."""
    written = []
    for name, frame in tables.items():
        write_atomic(out / name, partial(frame.to_csv, index=False))
        written.append(out / name)
    for name, text in texts.items():
        write_atomic(out / name, partial(Path.write_text, data=text))
        written.append(out / name)
    if figures:
        from sim.plots import save

        for name, figure in figures.items():
            written += save(figure, out / "charts" / name)
    written.append(write_workbook(out, data, tables, currency))
    write_json(out / "summary.json", data)
    return written + [out / "summary.json"]


# the summary numbers in the workbook, with their units; costs are in the shifts file's prices
SUMMARY_UNITS = {"headcount": "agents", "shifts": "count", "paid_hours": "h", "cost": "shifts-file prices",
                 "required_hours": "agent-hours", "on_floor_hours": "agent-hours", "under_hours": "agent-hours",
                 "over_hours": "agent-hours", "short_intervals": "count", "objective_value": "objective units",
                 "bound": "objective units", "gap": "share 0-1", "solve_seconds": "s", "grid_minutes": "min",
                 "days": "count", "columns": "count"}
SHEET_UNITS = {"count": "agents", "added": "agents"}


def write_workbook(out: Path, data: dict, tables: dict[str, pd.DataFrame], currency: str = "EUR") -> Path:
    """``results.xlsx``: about (the files and the solve), summary (the numbers of summary.json with their units)
    and one sheet per CSV written (shifts, coverage; evaluation, runs and the refined requirement when simulated),
    units in the headers."""
    from sim.data.excel import write_workbook as write_book

    about = {"requirement": f"{data['requirement']} ({data['requirement_column']})",
             "shifts file": data["shifts_file"], "objective": data["objective"], "cover": data["cover"],
             "solver status": data["status"], "first weekday": data["first_weekday"],
             "values": "the sheets are the CSV files of this directory; agents are agents on the floor"}
    summary = pd.DataFrame([{"item": k, "value": data[k], "unit": u} for k, u in SUMMARY_UNITS.items()])
    sheets = {"summary": summary, **{name.removesuffix(".csv").replace("evaluation_runs", "runs")
                                     .replace("requirements_refined", "refined"): frame
                                     for name, frame in tables.items()}}
    return write_book(out / "results.xlsx", sheets, currency, about, SHEET_UNITS)


def charts(schedule: Schedule, tables: dict[str, pd.DataFrame], target: float | None = None) -> dict:
    """Coverage against the requirement, the shifts as a Gantt chart and, if simulated, the service level."""
    from sim.plots.schedule import coverage_chart, evaluation_chart, gantt_chart

    name = schedule.shifts.name
    figures = {"coverage": coverage_chart(tables["coverage.csv"], f"Coverage against the requirement: {name}"),
               "shifts": gantt_chart(tables["shifts.csv"], f"Shifts: {name}")}
    if "evaluation.csv" in tables and target is not None:  # both come with a simulated evaluation
        figures["evaluation"] = evaluation_chart(tables["evaluation.csv"], target, f"Simulated service level: {name}")
    return figures
