"""From a requirement and shift types to a schedule: grid, columns, covering model, then breaks.

``make_schedule`` is the library's front door for scheduling; the CLI and the evaluation call it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from sim.errors import InputError
from sim.scheduling.breaks import Lines, place_breaks
from sim.scheduling.columns import Columns, build_columns
from sim.scheduling.grid import Grid, model_grid, required
from sim.scheduling.model import Options, Solved, column_costs, solve_cover, staged
from sim.scheduling.requirement import Requirement
from sim.scheduling.spec import Shifts

MIN_BREAK_SECONDS = 5.0  # time always left for placing breaks, even when the covering model used its limit
REPAIR_SHARE = 0.25  # the exact re-solve may take this share of --time-limit beyond it, if none is left


class Problem(NamedTuple):
    """What a schedule is made from: the inputs of its solve and of placing its breaks."""

    requirement: Requirement
    shifts: Shifts
    shifts_path: Path
    grid: Grid
    columns: Columns
    options: Options
    need: np.ndarray  # agents required per grid step


@dataclass(frozen=True)
class Schedule:
    """A solved schedule: its lines (agents per column and rest placement) and the floor they give."""

    requirement: Requirement
    shifts: Shifts
    shifts_path: Path
    grid: Grid
    columns: Columns
    options: Options
    required: np.ndarray  # agents required per grid step
    solved: Solved
    lines: Lines
    on_shift: np.ndarray  # agents at work (on the floor or on a break) per grid step
    on_floor: np.ndarray  # agents on the floor (breaks taken) per grid step
    repair: dict | None = None  # the exact re-solve, when placing whole breaks cost more than the model said

    @property
    def on_break(self) -> np.ndarray:
        return self.on_shift - self.on_floor

    @property
    def objective(self) -> float:
        """The objective of the schedule as placed: the columns' price plus penalties for the real under- and
        over-cover (the model's own value counted breaks as fractions)."""
        price = float(column_costs(self.columns, self.options.objective)[self.lines.column] @ self.lines.count)
        penalties = (self.options.under_penalty or 0.0) * self.under.sum() + self.options.over_penalty * self.over.sum()
        return price + penalties * self.grid.hours

    @property
    def gap(self) -> float:
        """Relative distance from the objective to the solver's bound."""
        return abs(self.objective - self.solved.bound) / max(abs(self.objective), 1e-9)

    @property
    def under(self) -> np.ndarray:
        return np.maximum(0.0, self.required - self.on_floor)

    @property
    def over(self) -> np.ndarray:
        return np.maximum(0.0, self.on_floor - self.required)


def make_schedule(requirement: Requirement, shifts: Shifts, shifts_path: str | Path, options: Options,
                  grid: Grid | None = None) -> Schedule:
    """Cover ``requirement`` with the shift types in ``shifts`` as well as ``options`` ask (on ``grid``, default
    the one the two need; several groups share the grid of all their shift types)."""
    started = time.perf_counter()
    shifts_path = Path(shifts_path)
    grid = grid or model_grid(requirement, shifts, shifts_path)
    columns = build_columns(shifts, grid, requirement.interval, shifts_path)
    need = required(requirement, grid)
    if not options.soft:
        _coverable(columns, need, requirement, grid)
    solved = solve_cover(columns, shifts, need, options)
    if solved.x is None:
        _no_schedule(solved, columns, shifts, need, requirement, grid, options)
    place = Problem(requirement, shifts, shifts_path, grid, columns, options, need)
    plan = _placed(*place, solved, options.time_limit - (time.perf_counter() - started))
    if _worse_than_promised(plan):
        plan = _repaired(plan, place, max(options.time_limit - (time.perf_counter() - started),
                                          REPAIR_SHARE * options.time_limit))
    return plan


def _worse_than_promised(plan: Schedule) -> bool:
    """Whether placing whole agents' breaks lost what the model promised: a hard cover now short somewhere,
    or a soft cover's objective above the model's."""
    if not plan.options.soft:
        return bool(plan.under.sum() > 1e-9)
    return plan.objective > plan.solved.objective + 1e-6 * max(1.0, abs(plan.solved.objective))


def _rank(plan: Schedule) -> tuple[float, float]:
    """Better schedules first: a hard cover's shortfall counts before its price."""
    return (0.0 if plan.options.soft else float(plan.under.sum()), plan.objective)


def _placed(requirement, shifts, shifts_path, grid, columns, options, need, solved: Solved, left: float) -> Schedule:
    """The schedule of ``solved`` with every agent's breaks placed."""
    assert solved.x is not None and solved.y is not None, "only a found schedule is placed (_no_schedule raised)"
    lines = place_breaks(columns, solved.x, solved.y, need, max(MIN_BREAK_SECONDS, left))
    on_shift, on_floor = floor_of(columns, lines)
    return Schedule(requirement, shifts, shifts_path, grid, columns, options, need, solved, lines, on_shift, on_floor)


def _repaired(plan: Schedule, place: Problem, budget: float) -> Schedule:
    """Placing whole agents' breaks cost more than the model's fractional break counts promised (one agent's
    lunch cannot be half in one interval and half in another): solve again with whole break counts, an exact
    model, and keep the better schedule. Both solves' bounds are valid; the higher is reported. With weekly
    patterns beside daily shifts the patterns are kept and only the days are solved again (whole breaks make
    the one week-long model slow: a repair from scratch in what time is left found worse schedules)."""
    columns, options, need = place.columns, place.options, place.need
    keep = plan.solved.x if staged(columns) and plan.solved.x is not None else None  # the patterns: see below
    exact = solve_cover(columns, place.shifts, need, replace(options, integer_breaks=True, time_limit=budget), keep)
    best = plan
    if exact.x is not None:
        candidate = _placed(*place, exact, budget - exact.seconds)
        best = candidate if _rank(candidate) < _rank(plan) else plan
    bound = max(plan.solved.bound, exact.bound if exact.x is not None and keep is None else -np.inf)
    solved = replace(best.solved, bound=bound, seconds=plan.solved.seconds + exact.seconds)
    repair = {"reason": "whole-agent breaks cost more than the model's fractional break counts",
              "relaxed_objective": float(plan.objective),
              "relaxed_under_hours": float(plan.under.sum() * plan.grid.hours),
              "exact_status": exact.status, "seconds": round(exact.seconds, 3),
              "exact_objective": float(candidate.objective) if exact.x is not None else None,
              "kept": "exact" if best is not plan else "relaxed"}
    return replace(best, solved=solved, repair=repair)


def floor_of(columns: Columns, lines: Lines) -> tuple[np.ndarray, np.ndarray]:
    """Agents at work and agents on the floor per grid step, from the shift lines."""
    on_shift, on_floor = np.zeros(columns.grid.slots), np.zeros(columns.grid.slots)
    for j, taken, count in zip(lines.column, lines.taken, lines.count):
        template = columns.templates[columns.type[j]]
        for start, placements in zip(columns.starts[j], taken):
            on_break = sum((template.occupancy(g, p) for g, p in enumerate(placements)), np.zeros(template.length))
            on_shift += count * columns.on_grid(start, np.ones(template.length))
            on_floor += count * columns.on_grid(start, 1.0 - on_break)
    return on_shift, on_floor


def requirement_index(requirement: Requirement, grid: Grid, step: int) -> int:
    """The requirement interval grid step ``step`` falls in."""
    return step // round(requirement.interval / grid.step)


def _coverable(columns: Columns, need: np.ndarray, requirement: Requirement, grid: Grid) -> None:
    """Hard cover: every step with a requirement must be reachable by some column."""
    reach = np.asarray(abs(columns.coverage).sum(axis=1)).ravel()
    bare = np.flatnonzero((need > 0) & (reach <= 1e-12))
    if bare.size:
        first = int(bare[0])
        raise InputError(f"{requirement.path}: {requirement.where(requirement_index(requirement, grid, first))}: "
                         f"requires {need[first]:g} agents but no shift type can work then (opening hours, days or "
                         f"start times); use --under-penalty for a soft cover that reports the shortfall")


def _no_schedule(solved: Solved, columns: Columns, shifts: Shifts, need: np.ndarray, requirement: Requirement,
                 grid: Grid, options: Options) -> None:
    if solved.status != "infeasible" or options.soft:
        raise InputError(f"{requirement.path}: no schedule found within --time-limit "
                         f"{options.time_limit:g}s ({solved.message}); allow more time or use coarser steps")
    big = 1e3 * (float(np.max(columns.cost, initial=1.0)) + float(np.max(columns.paid_hours, initial=1.0)) + 1.0)
    soft = solve_cover(columns, shifts, need, replace(options, under_penalty=big / grid.hours, over_penalty=0.0))
    under = need - columns.coverage @ soft.x + columns.breaks.occupancy @ soft.y if soft.x is not None else need
    first = int(np.flatnonzero(under > 1e-6)[0]) if (under > 1e-6).any() else 0
    raise InputError(f"{requirement.path}: {requirement.where(requirement_index(requirement, grid, first))}: "
                     f"requires {need[first]:g} agents but the shift types' limits (max_count, max_share) leave it "
                     f"uncovered; use --under-penalty for a soft cover that reports every shortfall")
