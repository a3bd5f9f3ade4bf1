"""Shrinkage: the share of paid time agents are not on the floor (breaks, meetings, absence, training).

Gross agents are net agents / (1 - shrinkage). It is one number, or a CSV file with one row per weekday
and interval of the day::

    weekday,interval_start,shrinkage
    mon,08:00,0.32
    mon,08:30,0.30

A file must give every (weekday, interval) that has a requirement; a shrinkage of 1 or more would need
infinitely many paid agents and is refused.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.config.schema import WEEKDAYS
from sim.errors import InputError

COLUMNS = ("weekday", "interval_start", "shrinkage")


def _check(value: float, where: str) -> float:
    if not math.isfinite(value) or not 0.0 <= value < 1.0:
        raise InputError(f"{where}: shrinkage {value:g} must be at least 0 and below 1 "
                         f"(gross = net / (1 - shrinkage); 1 would need infinitely many agents)")
    return value


@dataclass(frozen=True)
class Shrinkage:
    """A constant ``value``, or ``table[(weekday, "HH:MM")]`` read from ``source``."""

    value: float = 0.0
    table: dict[tuple[str, str], float] = field(default_factory=dict)
    source: str | None = None

    @classmethod
    def constant(cls, value: float) -> Shrinkage:
        return cls(_check(float(value), "--shrinkage"))

    @classmethod
    def read(cls, path: str | Path) -> Shrinkage:
        """The table in a CSV file; one ``InputError`` naming the file, line and problem otherwise."""
        path = Path(path)
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: cannot be read ({exc})") from None
        if not rows or [c.strip() for c in rows[0]] != list(COLUMNS):
            raise InputError(f"{path}: the first line must be the header {','.join(COLUMNS)}")
        table: dict[tuple[str, str], float] = {}
        for line, row in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in row):
                continue
            key, value = _row(path, line, row)
            if key in table:
                raise InputError(f"{path}: line {line}: {key[0]} {key[1]} is given twice")
            table[key] = value
        if not table:
            raise InputError(f"{path}: no rows after the header")
        return cls(0.0, table, str(path))

    def for_intervals(self, weekdays: list[str], clocks: list[str], needed: np.ndarray) -> np.ndarray:
        """Shrinkage of each interval; ``needed`` marks intervals that must be covered by a table."""
        if not self.table:
            return np.full(len(weekdays), self.value)
        out = np.zeros(len(weekdays))
        for k, key in enumerate(zip(weekdays, clocks)):
            if key in self.table:
                out[k] = self.table[key]
            elif needed[k]:
                raise InputError(f"{self.source}: no row for {key[0]} {key[1]}, which has a requirement")
        return out

    def describe(self) -> str:
        return f"from {self.source}" if self.table else f"{self.value:.0%}"


def _row(path: Path, line: int, row: list[str]) -> tuple[tuple[str, str], float]:
    if len(row) != len(COLUMNS):
        raise InputError(f"{path}: line {line}: expected {len(COLUMNS)} values ({','.join(COLUMNS)})")
    weekday, clock, raw = (c.strip() for c in row)
    if weekday.lower() not in WEEKDAYS:
        raise InputError(f"{path}: line {line}: weekday {weekday!r}; use one of {', '.join(WEEKDAYS)}")
    if len(clock) != 5 or clock[2] != ":" or not (clock[:2] + clock[3:]).isdigit():
        raise InputError(f"{path}: line {line}: interval_start {clock!r}; write it as HH:MM, e.g. 08:30")
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{path}: line {line}: shrinkage {raw!r} is not a number (0.3 means 30%)") from None
    return (weekday.lower(), clock), _check(value, f"{path}: line {line}")
