"""Builders for the scheduling tests: requirement CSVs and SHIFTS.yaml files written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import yaml

from sim.scheduling.model import Options
from sim.scheduling.requirement import read_requirement
from sim.scheduling.schedule import Schedule, make_schedule
from sim.scheduling.spec import load_shifts


def write_requirement(path: Path, days: list[list[float]], interval_minutes: int, labels: list | None = None,
                      column: str = "net_fte") -> Path:
    """A requirement CSV: ``days[d][k]`` agents in interval k of day d (day labels 0, 1, ... unless given)."""
    lines = [f"day,interval_start,channel,group,{column}"]
    for d, values in enumerate(days):
        label = labels[d] if labels else d
        for k, value in enumerate(values):
            minutes = k * interval_minutes
            lines.append(f"{label},{minutes // 60:02d}:{minutes % 60:02d},phone,team,{value}")
    path.write_text("\n".join(lines) + "\n")
    return path


def write_shifts(path: Path, shift_types: dict, **top) -> Path:
    path.write_text(yaml.safe_dump({"shift_types": shift_types, **top}, sort_keys=False))
    return path


def solve(tmp: Path, days: list[list[float]], interval_minutes: int, shift_types: dict, labels=None,
          **options) -> Schedule:
    """Write the files, read them back as the CLI does, and solve."""
    req = write_requirement(tmp / "req.csv", days, interval_minutes, labels)
    shifts = write_shifts(tmp / "shifts.yaml", shift_types)
    return make_schedule(read_requirement(req), load_shifts(shifts), shifts, Options(**options))


def counts_by_type(schedule: Schedule) -> dict[str, int]:
    out: dict[str, int] = {}
    for j, count in zip(schedule.lines.column, schedule.lines.count):
        name = schedule.columns.type_names[schedule.columns.type[j]]
        out[name] = out.get(name, 0) + int(count)
    return out
