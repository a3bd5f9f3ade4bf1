"""Training as it is delivered (docs/model.md section 6.1): hours build a retained stock that ramps up while
they are delivered, transfers only in part to the job, and decays without refreshers; trainers can deliver
only so many hours a week; a course gives the year's hours in a window of weeks. Skill, empathy and
resilience read the stock where they read training hours.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.config.behaviour import Training
from sim.config.course import Course

YEAR = 365.25 * 86400.0


def stock(p: Training, rate: float, elapsed: float, start: float) -> float:
    """Retained training hours ``elapsed`` seconds after ``start`` hours, while ``rate`` hours a year are delivered:
    ``K = start d + transfer rate T (1 - d)``, ``d = exp(-elapsed / T)``, T the retention time (in years in
    ``rate T``). Without delivery (``rate = 0``) the stock decays; with it, it rises towards ``steady``."""
    d = math.exp(-elapsed / p.retention_time)
    return start * d + steady(p, rate) * (1.0 - d)


def steady(p: Training, rate: float) -> float:
    """The stock that ``rate`` hours a year maintain: ``transfer * rate * T`` (T in years)."""
    return p.transfer * rate * p.retention_time / YEAR


def delivery_factor(p: Training, wanted_per_week: float) -> float:
    """Share of the training hours asked for that the trainers deliver: ``min(1, capacity / wanted)``."""
    if p.capacity_per_week is None or wanted_per_week <= p.capacity_per_week:
        return 1.0
    return p.capacity_per_week / wanted_per_week


def stock_over(p: Training, pieces: Sequence[tuple[float, float]], start: float) -> float:
    """The stock after consecutive ``pieces`` (seconds, applied hours a year), from ``start`` hours: in each,
    ``K <- K d + applied T (1 - d)``, ``d = exp(-seconds / T)`` (``stock`` with the transfer already applied)."""
    years = p.retention_time / YEAR
    k = start
    for seconds, rate in pieces:
        d = math.exp(-seconds / p.retention_time)
        k = k * d + rate * years * (1.0 - d)
    return k


def course_windows(course: Course, horizon: float) -> list[tuple[float, float]]:
    """When a course runs within ``horizon``: ``[start, start + length)`` in each year of the run."""
    windows, year = [], 0.0
    while course.start + year < horizon:
        windows.append((course.start + year, course.start + year + course.length))
        year += YEAR
    return windows


def course_share(course: Course, hours: float, paid_hours_per_year: float) -> float:
    """Share of paid time off the floor while a course runs: the year's ``hours`` over the paid hours of its
    weeks, ``hours / (paid_hours_per_year * length / year)``, at most everyone."""
    return min(1.0, hours / (paid_hours_per_year * course.length / YEAR))


def pieces(windows: Sequence[tuple[float, float]], begin: float, end: float, inside: float,
           outside: float) -> list[tuple[float, float]]:
    """The time from ``begin`` to ``end`` cut at the ``windows``: (seconds, ``inside`` in a window else ``outside``)."""
    cuts = sorted({begin, end, *(t for w in windows for t in w if begin < t < end)})
    return [(b - a, inside if any(lo <= a < hi for lo, hi in windows) else outside)
            for a, b in zip(cuts, cuts[1:])]
