"""The time grid a schedule is built on: the requirement's days cut into equal steps.

The step is the largest one every time in the problem is a multiple of (the requirement's interval, shift
lengths and starts, break durations and windows), so a half-hourly requirement with 15-minute rests is
scheduled on a 15-minute grid, each half hour's requirement applying to both of its quarters.
A horizon of one day or one week is cyclic: a shift running past its end wraps round to its start (the
night shift covers the small hours of the same day; Sunday's late shift covers Monday morning). Any other
horizon is a plain stretch of days and what runs past its end covers nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from sim.config.units import format_duration
from sim.errors import InputError
from sim.scheduling.requirement import DAY, Requirement
from sim.scheduling.spec import Shifts

FINEST = 300  # seconds: a finer grid makes week-long models too large to solve


@dataclass(frozen=True)
class Grid:
    """``days`` days of ``per_day`` steps of ``step`` seconds each, starting on ``first_weekday`` (0 = Monday)."""

    step: float
    per_day: int
    days: int
    first_weekday: int

    @property
    def slots(self) -> int:
        return self.days * self.per_day

    @property
    def cyclic(self) -> bool:
        return self.days in (1, 7)

    @property
    def hours(self) -> float:
        """Hours in one step: agents x hours gives agent-hours."""
        return self.step / 3600.0

    def slot(self, seconds: float) -> int:
        return round(seconds / self.step)

    @overload
    def weekday(self, slot: int) -> int: ...
    @overload
    def weekday(self, slot: np.ndarray) -> np.ndarray: ...
    def weekday(self, slot: int | np.ndarray) -> int | np.ndarray:
        return (self.first_weekday + slot // self.per_day) % 7

    def positions(self, start: int, length: int) -> np.ndarray:
        """Grid slots covered by ``length`` steps from ``start``: wrapped if cyclic, else cut at the end."""
        index = start + np.arange(length)
        return index % self.slots if self.cyclic else index[index < self.slots]


def model_grid(requirement: Requirement, shifts: Shifts, source: str | Path) -> Grid:
    """The grid for ``requirement`` and ``shifts``; an error names the first time too fine for it."""
    times = [("interval of " + str(requirement.path), requirement.interval)] + list(_times(shifts))
    for where, seconds in times:
        if not math.isclose(seconds, round(seconds)):
            raise InputError(f"{source}: {where}: {seconds:g}s is not a whole number of seconds")
    step = math.gcd(*(round(s) for _, s in times if round(s) > 0))
    if step < FINEST:
        where, seconds = next((w, s) for w, s in times if round(s) % FINEST)
        raise InputError(f"{source}: {where}: {format_duration(seconds)} is not a multiple of 5min "
                         f"(schedules are built on a grid of 5 minutes or more)")
    return Grid(float(step), round(DAY / step), requirement.days, requirement.first_weekday)


def _times(shifts: Shifts):
    """(field path, seconds) of every time in the shift types that the grid must fit."""
    for name, spec in shifts.shift_types.items():
        where = f"shift_types.{name}"
        earliest, latest, step = spec.starts
        yield f"{where}.length", spec.length
        yield f"{where}.start", earliest
        yield f"{where}.start.latest", latest
        if step is not None:
            yield f"{where}.start.step", step
        for i, brk in enumerate(spec.breaks):
            yield f"{where}.breaks.{i}.duration", brk.duration
            yield f"{where}.breaks.{i}.window", brk.window[0]
            yield f"{where}.breaks.{i}.window", brk.window[1]
            if brk.step is not None:
                yield f"{where}.breaks.{i}.step", brk.step
    for i, hours in enumerate(shifts.opening_hours or []):
        yield f"opening_hours.{i}.open", hours.open
        yield f"opening_hours.{i}.close", hours.close % DAY


def open_slots(grid: Grid, shifts: Shifts, extra: int) -> np.ndarray:
    """Whether each slot (and ``extra`` slots past the horizon, for shifts that run past it) is in opening hours."""
    index = np.arange(grid.slots + extra)
    if grid.cyclic:
        index = index % grid.slots
    clock = (index % grid.per_day) * grid.step
    weekday = grid.weekday(index)
    return np.array([shifts.is_open(int(w), float(c)) for w, c in zip(weekday, clock)], dtype=bool)


def required(requirement: Requirement, grid: Grid) -> np.ndarray:
    """The requirement on the grid: each interval's value repeated over its steps."""
    return np.repeat(requirement.values, round(requirement.interval / grid.step))
