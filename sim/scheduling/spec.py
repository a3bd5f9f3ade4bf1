"""SHIFTS.yaml: the shift types a schedule may use, their breaks, weekly patterns and the opening hours.

Validated once, like a scenario file: unknown keys are errors, durations carry units (``8h30min``), clock
times are quoted (``"08:00"``) and every problem is reported as ``FILE: field.path: what is wrong``.
Everything here is about the file alone; checks that need the requirement (the horizon, the time grid) are
made when the columns are built (``columns.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.config.loader import read_yaml, validate
from sim.config.schema import WEEKDAYS
from sim.config.types import ClockTime, Duration, PositiveDuration
from sim.config.units import format_duration

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY = 86400.0


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True)


def _distinct(days: Sequence[str]) -> None:
    if len(set(days)) < len(days):
        raise ValueError("lists a day twice")


Days = Annotated[list[Weekday], Field(min_length=1)]


class StartWindow(_Section):
    """Starts from ``earliest`` to ``latest`` (inclusive) every ``step`` (default: the requirement's interval)."""

    earliest: ClockTime
    latest: ClockTime
    step: PositiveDuration | None = None

    @model_validator(mode="after")
    def _ordered(self) -> StartWindow:
        if self.latest < self.earliest:
            raise ValueError("latest must not be before earliest (a window past midnight: start it on the day before)")
        if self.latest >= DAY:
            raise ValueError("latest must be before 24:00")
        return self


class Break(_Section):
    """A break ``duration`` long, starting between ``window[0]`` and ``window[1]`` after the shift starts,
    every ``step`` (default: the model's grid); ``paid`` says whether it counts as paid time."""

    name: str = Field(min_length=1, max_length=40)
    duration: PositiveDuration
    paid: bool
    window: Annotated[list[Duration], Field(min_length=2, max_length=2)]
    step: PositiveDuration | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Break:
        if self.window[1] < self.window[0]:
            raise ValueError("window: the latest start must not be before the earliest, e.g. [3h, 5h]")
        return self


class ShiftType(_Section):
    """One kind of shift: when it may start, how long it lasts, what it costs, its breaks and its limits."""

    start: ClockTime | StartWindow
    length: PositiveDuration
    cost_per_shift: float | None = Field(default=None, ge=0, le=1e9)
    cost_per_paid_hour: float | None = Field(default=None, ge=0, le=1e9)
    days: Days = Field(default=list(WEEKDAYS))
    breaks: list[Break] = Field(default=[], max_length=10)
    max_count: int | None = Field(default=None, ge=0, le=10_000_000)
    max_share: float | None = Field(default=None, ge=0, le=1)
    work_days: int | None = Field(default=None, ge=1, le=7)  # a weekly tour: this many days a week
    consecutive_days_off: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> ShiftType:
        _distinct(self.days)
        if self.cost_per_shift is not None and self.cost_per_paid_hour is not None:
            raise ValueError("give cost_per_shift or cost_per_paid_hour, not both")
        if self.consecutive_days_off and self.work_days is None:
            raise ValueError("consecutive_days_off goes with work_days (a weekly pattern), e.g. work_days: 5")
        if self.work_days is not None and self.work_days > len(self.days):
            raise ValueError(f"work_days is {self.work_days} but days allows only {len(self.days)}")
        names = [b.name for b in self.breaks]
        if len(set(names)) < len(names):
            raise ValueError("two breaks have the same name; name them apart (rest_1, rest_2)")
        for i, brk in enumerate(self.breaks):
            end = brk.window[1] + brk.duration
            if end > self.length + 1e-9:
                raise ValueError(f"breaks.{i}.window: a {brk.name} starting {format_duration(brk.window[1])} in "
                                 f"ends {format_duration(end)} after the start, outside the "
                                 f"{format_duration(self.length)} shift")
        return self

    @property
    def starts(self) -> tuple[float, float, float | None]:
        """(earliest, latest, step) in seconds after midnight; a fixed start has earliest == latest."""
        if isinstance(self.start, StartWindow):
            return self.start.earliest, self.start.latest, self.start.step
        return self.start, self.start, None

    @property
    def unpaid(self) -> float:
        return sum(b.duration for b in self.breaks if not b.paid)

    @property
    def paid_hours(self) -> float:
        """Paid hours of one shift: its length less unpaid breaks."""
        return (self.length - self.unpaid) / 3600.0

    def cost(self) -> float:
        """The cost of one shift (one day of a tour): per shift, or per paid hour (default 1 per paid hour)."""
        if self.cost_per_shift is not None:
            return self.cost_per_shift
        rate = 1.0 if self.cost_per_paid_hour is None else self.cost_per_paid_hour
        return rate * self.paid_hours


class OpeningHours(_Section):
    """The centre is open from ``open`` to ``close`` on ``days``; no shift may reach outside opening hours."""

    days: Days = Field(default=list(WEEKDAYS))
    open: ClockTime
    close: ClockTime

    @model_validator(mode="after")
    def _ordered(self) -> OpeningHours:
        _distinct(self.days)
        if self.close <= self.open:
            raise ValueError("close must be later than open (e.g. open: '08:00', close: '20:00')")
        return self


class Shifts(_Section):
    """The whole SHIFTS.yaml file."""

    name: str = "shifts"
    description: str = ""
    shift_types: dict[str, ShiftType] = Field(min_length=1, max_length=100)
    opening_hours: list[OpeningHours] | None = Field(default=None, min_length=1)
    groups: dict[str, Annotated[list[str], Field(min_length=1)]] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _known_types(self) -> Shifts:
        for group, names in (self.groups or {}).items():
            unknown = [n for n in names if n not in self.shift_types]
            if unknown:
                raise ValueError(f"groups.{group}: no shift type {unknown[0]!r} (shift_types has "
                                 f"{', '.join(self.shift_types)})")
            if len(set(names)) < len(names):
                raise ValueError(f"groups.{group}: lists a shift type twice")
        return self

    def for_group(self, group: str | None) -> Shifts:
        """The shift types ``group`` may work: those ``groups`` lists for it, or all when there is no ``groups``."""
        if self.groups is None or group is None:
            return self
        names = self.groups[group]
        return self.model_copy(update={"shift_types": {n: self.shift_types[n] for n in names}, "groups": None})

    def is_open(self, weekday: int, clock: float) -> bool:
        """Whether the centre is open at ``clock`` seconds after midnight on ``weekday`` (0 = Monday)."""
        if self.opening_hours is None:
            return True
        day = WEEKDAYS[weekday % 7]
        return any(day in h.days and h.open <= clock < h.close for h in self.opening_hours)


def load_shifts(path: str | Path) -> Shifts:
    """The validated shift types in ``path``, or an ``InputError`` naming the field and the problem."""
    return validate(Shifts, read_yaml(path), str(path))
