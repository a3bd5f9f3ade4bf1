"""Schedule solver: a week of 15-minute intervals, solved to within 1% of the bound in 60 s?

The requirement is a synthetic centre open 07:00-23:00 every day (two daily peaks, weekday weights, Erlang C
per 15 minutes for 80% in 20 s at 5-minute calls; ``--volume`` calls on a Monday). Shift types: full-timers
(8.5 h, a 30-minute unpaid lunch in a 2-hour window, two 15-minute rests) starting every 15 minutes from
07:00 to 14:30, and part-timers (4 h, one rest) every 15 minutes from 07:00 to 19:00, at most 30% of a
day's shifts. Cases:

- ``daily``: every shift is a day's shift (the week splits into seven independent days);
- ``tours``: full-timers work weekly patterns, 5 days with 2 days off in a row, the same start each day;
- more with ``--scaling``: 30-minute starts, a 24-hour centre with night shifts (one part), five times the
  volume, and tours on a 5-minute grid.

For each case it prints the model size (columns; break variables; the explicit start x lunch x rest columns
the same model would have in Dantzig's form), the LP relaxation's value and time (the reference: the least
any solver must spend), then the MILP's status, objective, bound, gap, wall and CPU seconds.

    python benchmarks/bench_schedule.py                 # the two headline cases, 60 s each
    python benchmarks/bench_schedule.py --scaling       # and the scaling cases (about 6 minutes)
    python benchmarks/bench_schedule.py --smoke --json  # a one-day case in seconds (the test suite runs it)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from scipy.optimize import Bounds, LinearConstraint, milp

from sim.analytic import agents_for_target
from sim.scheduling.columns import build_columns
from sim.scheduling.grid import model_grid, required
from sim.scheduling.model import Options, build_model
from sim.scheduling.requirement import read_requirement
from sim.scheduling.schedule import make_schedule
from sim.scheduling.spec import load_shifts

WEIGHTS = [1.2, 1.05, 1.0, 1.0, 0.95, 0.6, 0.45]
FULL_TIME = {"start": {"earliest": "07:00", "latest": "14:30", "step": "15min"}, "length": "8.5h",
             "cost_per_paid_hour": 30,
             "breaks": [{"name": "rest_1", "duration": "15min", "paid": True, "window": ["90min", "150min"]},
                        {"name": "lunch", "duration": "30min", "paid": False, "window": ["3h", "5h"]},
                        {"name": "rest_2", "duration": "15min", "paid": True, "window": ["6h", "7h"]}]}
PART_TIME = {"start": {"earliest": "07:00", "latest": "19:00", "step": "15min"}, "length": "4h",
             "cost_per_paid_hour": 32, "max_share": 0.3,
             "breaks": [{"name": "rest", "duration": "15min", "paid": True, "window": ["90min", "135min"]}]}


def requirement_csv(path: Path, volume: float, days: int = 7, open_hours=(7, 23)) -> Path:
    """Agents per 15 minutes for 80% in 20 s (Erlang C, 5-minute calls), a two-peak day shape."""
    hours = np.arange(96) / 4
    inside = (hours >= open_hours[0]) & (hours < open_hours[1])
    shape = np.where(inside, np.exp(-((hours - 11) / 3) ** 2) + 0.8 * np.exp(-((hours - 16) / 3.5) ** 2) + 0.15, 0)
    shape /= shape.sum()
    cache: dict[float, int] = {}
    rows = ["day,interval_start,net_fte"]
    for d in range(days):
        for k in range(96):
            rate = volume * WEIGHTS[d % 7] * shape[k] / 900
            key = round(rate, 9)
            if key > 0 and key not in cache:
                cache[key] = agents_for_target(rate, 300.0, threshold=20.0, target_sl=0.8).agents
            rows.append(f"{d},{k // 4:02d}:{15 * (k % 4):02d},{cache.get(key, 0)}")
    path.write_text("\n".join(rows) + "\n")
    return path


def cases(scaling: bool, smoke: bool) -> dict[str, dict]:
    tour = {**FULL_TIME, "work_days": 5, "consecutive_days_off": True}
    if smoke:
        return {"smoke (one day)": {"types": {"full_time": FULL_TIME, "part_time": PART_TIME}, "days": 1,
                                    "volume": 3000}}
    out = {"daily": {"types": {"full_time": FULL_TIME, "part_time": PART_TIME}},
           "tours": {"types": {"full_time": tour, "part_time": PART_TIME}}}
    if scaling:
        half = {"start": {**FULL_TIME["start"], "step": "30min"}}
        night = {**FULL_TIME, "start": {"earliest": "00:00", "latest": "23:45", "step": "15min"}}
        out.update({
            "tours, 30-min starts": {"types": {"full_time": {**tour, **half}, "part_time": PART_TIME}},
            "daily, 24 h with night shifts": {"types": {"full_time": night, "part_time": PART_TIME}, "open": (0, 24)},
            "daily, 5x volume": {"types": {"full_time": FULL_TIME, "part_time": PART_TIME}, "volume": 30000},
            "tours, 5-min break grid": {"types": {"full_time": {**tour, "breaks": [
                {**b, "step": "5min"} for b in FULL_TIME["breaks"]]}, "part_time": PART_TIME}},
        })
    return out


def explicit_columns(columns) -> int:
    """Columns the same model would have in Dantzig's form, one per start x joint break placement (for a tour,
    with the same break times every day; letting them differ by day, as the implicit model does, would take
    that number to the power of the working days)."""
    placements = [math.prod(len(g) for g in t.groups) for t in columns.templates]
    return int(sum(placements[t] for t in columns.type))


def measure(name: str, case: dict, time_limit: float, tmp: Path) -> dict:
    req = requirement_csv(tmp / "req.csv", case.get("volume", 6000), case.get("days", 7), case.get("open", (7, 23)))
    shifts = tmp / "shifts.yaml"
    shifts.write_text(yaml.safe_dump({"name": name, "shift_types": case["types"]}))
    requirement, spec = read_requirement(req), load_shifts(shifts)
    grid = model_grid(requirement, spec, shifts)
    columns = build_columns(spec, grid, requirement.interval, shifts)
    model = build_model(columns, spec, required(requirement, grid), Options())
    started = time.perf_counter()
    lp = milp(model.c, integrality=np.zeros_like(model.integrality), bounds=Bounds(0, np.inf),
              constraints=[LinearConstraint(model.matrix, model.lower, model.upper)])
    lp_seconds = time.perf_counter() - started
    wall, cpu = time.perf_counter(), time.process_time()
    plan = make_schedule(requirement, spec, shifts, Options(time_limit=time_limit, mip_gap=0.005))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"case": name, "days": grid.days, "grid_minutes": grid.step / 60, "columns": len(columns),
            "break_variables": len(columns.breaks), "explicit_columns": explicit_columns(columns),
            "required_agent_hours": float(model.lower[: grid.slots].sum() * grid.hours),
            "lp_value": float(lp.fun), "lp_seconds": lp_seconds, "status": plan.solved.status,
            "objective": plan.objective, "bound": plan.solved.bound, "gap": plan.gap, "wall_seconds": wall,
            "cpu_seconds": cpu, "under_hours": float(plan.under.sum() * grid.hours),
            "parts": plan.solved.parts,
            "within_1_percent_in_60s": bool(plan.gap <= 0.01 and wall <= 60 + 5)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--scaling", action="store_true")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    time_limit = 10.0 if args.smoke else args.time_limit
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in cases(args.scaling, args.smoke).items():
            rows.append(measure(name, case, time_limit, Path(tmp)))
    report = {"load_average_1min": os.getloadavg()[0], "cpus": os.cpu_count(), "time_limit": time_limit,
              "results": rows}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"load average {report['load_average_1min']:.1f} on {report['cpus']} cores; time limit {time_limit:g}s")
    head = f"{'case':32} {'cols':>6} {'breaks':>7} {'explicit':>9} {'LP s':>6} {'status':>10} {'objective':>10} " \
           f"{'bound':>10} {'gap':>7} {'wall s':>7} {'cpu s':>6}"
    print(head)
    for r in rows:
        print(f"{r['case']:32} {r['columns']:6d} {r['break_variables']:7d} {r['explicit_columns']:9d} "
              f"{r['lp_seconds']:6.1f} {r['status']:>10} {r['objective']:10.0f} {r['bound']:10.0f} "
              f"{100 * r['gap']:6.2f}% {r['wall_seconds']:7.1f} {r['cpu_seconds']:6.1f}")


if __name__ == "__main__":
    main()
