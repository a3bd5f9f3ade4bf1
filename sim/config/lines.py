"""Named shift lines (``agents.<group>.lines``): who works when, with which breaks, replacing ``staffing``.

A line is ``count`` agents working from ``start`` to ``end`` (clock times; an ``end`` at or before
``start`` is the next morning, ``"22:00"`` to ``"06:00"``) on its ``days`` (weekday names, repeated
weekly with the horizon starting on a Monday, or day numbers of the horizon, 0 = the first day), taking
each of its ``breaks`` (``start``, ``length``, ``paid``). The engine (``sim/model/lines.py``) gives every
agent of a line its own seat: the same agent works the line every day it runs. Paid time is the line's
span less its unpaid breaks.

Pure: the helpers here turn lines into time segments and per-interval amounts for the config and the engine.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from sim.config.section import DAY, WEEKDAYS, _Section
from sim.config.types import ClockTime, PositiveDuration

DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DayNumber = Annotated[int, Field(ge=0, le=100_000)]
MAX_LINES = 5_000


def _clock(seconds: float) -> str:
    hours, rest = divmod(round(seconds), 3600)
    return f"{hours:02d}:{rest // 60:02d}"


class LineBreak(_Section):
    """A break ``length`` long from ``start`` (a clock time inside the line); ``paid`` counts it as paid time."""

    name: str = Field(default="break", min_length=1, max_length=40)
    start: ClockTime
    length: PositiveDuration
    paid: bool


class ShiftLine(_Section):
    """``count`` agents working ``start`` to ``end`` on ``days``, taking ``breaks``."""

    name: str | None = Field(default=None, min_length=1, max_length=80)
    start: ClockTime
    end: ClockTime
    days: Annotated[list[DayName | DayNumber], Field(min_length=1)] = Field(default=list(WEEKDAYS))
    count: int = Field(ge=1, le=100_000)
    breaks: list[LineBreak] = Field(default=[], max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> ShiftLine:
        if self.start >= DAY:
            raise ValueError("start: a line starts before 24:00 (a line from midnight starts at 00:00)")
        if math.isclose(self.end % DAY, self.start):
            raise ValueError(f"end: the line starts and ends at {_clock(self.start)}; a line ends after it starts "
                             f"and lasts at most a day (00:00 to 24:00 is the longest)")
        if len({str(d) for d in self.days}) < len(self.days):
            raise ValueError("days: lists a day twice")
        previous_end = 0.0
        for i, brk in enumerate(self.breaks):
            offset = self.offset(brk.start)
            if offset + brk.length > self.span + 1e-9:
                raise ValueError(f"breaks.{i}: {_clock(brk.start)} for {brk.length / 60:g}min is outside the line "
                                 f"{_clock(self.start)}-{_clock(self.end)}")
            if offset < previous_end - 1e-9:
                raise ValueError(f"breaks.{i}: starts at {_clock(brk.start)}, before the break ahead of it has ended "
                                 f"(list breaks in time order, without overlaps)")
            previous_end = offset + brk.length
        return self

    @property
    def span(self) -> float:
        """Seconds from start to end (an end at or before the start is the next day's)."""
        return self.end - self.start if self.end > self.start else self.end + DAY - self.start

    def offset(self, clock: float) -> float:
        """Seconds from the line's start to ``clock`` (a time at or after the start, the next day if need be)."""
        return (clock - self.start) % DAY

    @property
    def paid_seconds(self) -> float:
        """One agent's paid time per shift: the span less the unpaid breaks."""
        return self.span - sum(b.length for b in self.breaks if not b.paid)

    def works(self, day: int) -> bool:
        """Whether the line runs on day ``day`` of the horizon (day 0 a Monday)."""
        return WEEKDAYS[day % 7] in self.days or day in self.days

    def shift_starts(self, horizon: float) -> list[float]:
        """Start of each shift that overlaps ``[0, horizon)``: a night shift from the day before the horizon
        starts before 0 (its agents are at work at the run's start)."""
        days = range(-1, math.ceil(horizon / DAY) + 1)
        starts = [d * DAY + self.start for d in days if self.works(d)]
        return [s for s in starts if s + self.span > 0 and s < horizon]

    def segments(self, start: float, breaks: bool = True, paid: bool = False) -> list[tuple[float, float]]:
        """The shift from ``start`` as (from, to) spans on the floor (``paid``: paid, so paid breaks count);
        ``breaks=False``: as if no break were taken."""
        out, at = [], start
        for brk in self.breaks if breaks else ():
            if paid and brk.paid:
                continue
            begin = start + self.offset(brk.start)
            out.append((at, begin))
            at = begin + brk.length
        out.append((at, start + self.span))
        return [(a, b) for a, b in out if b > a]


Lines = Annotated[list[ShiftLine], Field(min_length=1, max_length=MAX_LINES)]


def per_interval(lines: list[ShiftLine], n_intervals: int, interval: float, horizon: float | None = None,
                 breaks: bool = True, paid: bool = False) -> np.ndarray:
    """Agent-seconds per interval: on the floor, or paid (``paid``), summed over every line's agents; one
    agent's amount per line and interval with ``count`` left out is ``per_line``."""
    return sum((line.count * row for line, row in zip(lines, per_line(lines, n_intervals, interval, horizon,
                                                                       breaks, paid))), np.zeros(n_intervals))


def per_line(lines: list[ShiftLine], n_intervals: int, interval: float, horizon: float | None = None,
             breaks: bool = True, paid: bool = False) -> list[np.ndarray]:
    """Per line, one agent's seconds on the floor (or paid) in each interval of the horizon."""
    horizon = n_intervals * interval if horizon is None else horizon
    edges = np.minimum(np.arange(n_intervals + 1) * interval, horizon)
    rows = []
    for line in lines:
        row = np.zeros(n_intervals)
        for start in line.shift_starts(horizon):
            for a, b in line.segments(start, breaks, paid):
                row += np.diff(np.clip(edges, a, b))
        rows.append(row)
    return rows


def on_floor(lines: list[ShiftLine], n_intervals: int, intervals_per_day: int) -> list[int]:
    """Agents on the floor per interval by the lines: the interval's average, rounded (exact where breaks and
    shifts start and end on interval boundaries)."""
    interval = DAY / intervals_per_day
    return [int(v) for v in np.floor(per_interval(lines, n_intervals, interval) / interval + 0.5 + 1e-9)]


def lines_instead_of_staffing(data: object) -> object:
    """An agent group with ``lines`` gives neither ``staffing`` nor the settings that shape it (``days``,
    ``extra_agents``): the lines say who works when. Its ``staffing`` is then 0 (unused)."""
    if not isinstance(data, dict) or data.get("lines") is None:
        return data
    for key in ("staffing", "days", "extra_agents"):
        if key in data:
            raise ValueError(f"{key}: give either lines or {key}, not both (the lines say who works when; "
                             f"add agents to a line's count)")
    return {**data, "staffing": 0}
