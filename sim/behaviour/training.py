"""Training as it is delivered (docs/model.md section 6.1): hours build a retained stock that ramps up while
they are delivered, transfers only in part to the job, and decays without refreshers; trainers can deliver
only so many hours a week. Skill, empathy and resilience read the stock where they read training hours.
"""

from __future__ import annotations

import math

from sim.config.behaviour import Training

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
