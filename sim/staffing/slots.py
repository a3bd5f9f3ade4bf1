"""Which intervals share one staffing decision, and which are measured.

Over a horizon longer than a week, the same weekday and time of day is one decision (a weekly plan,
as rostering needs), measured over every week after the warm-up. Within a week every interval is its
own decision. Intervals in the warm-up are staffed like the measured interval they share a decision
with, and are never measured; a decision with no measured interval keeps its starting value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.schema import Scenario

WEEK = 7


@dataclass(frozen=True)
class Slots:
    of: np.ndarray  # decision index of every interval of the horizon
    measured: np.ndarray  # True for intervals after the warm-up
    count: int

    @classmethod
    def of_scenario(cls, scenario: Scenario) -> Slots:
        n = scenario.n_intervals
        per_week = WEEK * scenario.intervals_per_day
        index = np.arange(n)
        of = index % per_week if n > per_week else index
        measured = index * scenario.interval >= scenario.warmup - 1e-9
        return cls(of, measured, int(of.max()) + 1)

    @property
    def measured_slots(self) -> np.ndarray:
        """The slot of each interval, -1 where not measured (for ``runs.pooled``)."""
        return np.where(self.measured, self.of, -1)

    def searchable(self) -> np.ndarray:
        """Decisions with at least one measured interval."""
        out = np.zeros(self.count, bool)
        out[self.of[self.measured]] = True
        return out

    def spread(self, values: np.ndarray, start: np.ndarray) -> np.ndarray:
        """Per interval: the slot's value where the slot is searchable, ``start`` elsewhere."""
        searchable = self.searchable()[self.of]
        return np.where(searchable, values[self.of], start)

    def collect(self, per_interval: np.ndarray) -> np.ndarray:
        """Per slot: the value of its first measured interval (0 for slots never measured)."""
        out = np.zeros(self.count, dtype=per_interval.dtype)
        for k in np.flatnonzero(self.measured)[::-1]:
            out[self.of[k]] = per_interval[k]
        return out
