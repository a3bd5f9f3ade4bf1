"""Quality monitoring and coaching (docs/model.md section 6.2): how many coaching hours an agent gets, how much of
their paid time they take off the floor, how much of them reaches the retained stock, and the evaluators' time.

Every evaluation is followed by a coaching session; both are counted per agent per month (a twelfth of a year).
The sessions' hours enter the training stock of section 6.1 (``training.stock_over``) at ``transfer``.
"""

from __future__ import annotations

from sim.config.coaching import Coaching

MONTHS = 12.0  # a month is a twelfth of a year


def hours_a_year(p: Coaching) -> float:
    """Coaching hours an agent receives a year: ``evaluations_per_month * 12 * coaching_time``."""
    return p.evaluations_per_month * MONTHS * p.coaching_time / 3600.0


def off_share(p: Coaching, paid_hours_per_year: float) -> float:
    """Share of an agent's paid time spent in coaching, off the floor: ``hours_a_year / paid_hours_per_year``."""
    return min(1.0, hours_a_year(p) / paid_hours_per_year)


def applied(p: Coaching) -> float:
    """Coaching hours a year that reach the agent's retained stock: ``transfer * hours_a_year``."""
    return p.transfer * hours_a_year(p)


def evaluator_hours(p: Coaching, paid_hours, paid_hours_per_year: float):
    """Evaluator hours spent on agents paid ``paid_hours``: their evaluations (``evaluations_per_month * 12`` per
    ``paid_hours_per_year``) times ``evaluator_time``. ``paid_hours``: a number or an array (per interval)."""
    return paid_hours * p.evaluations_per_month * MONTHS / paid_hours_per_year * p.evaluator_time / 3600.0


def cost(p: Coaching, paid_hours, paid_hours_per_year: float):
    """What the evaluations of agents paid ``paid_hours`` cost: evaluator hours x ``evaluator_cost_per_hour``."""
    return evaluator_hours(p, paid_hours, paid_hours_per_year) * p.evaluator_cost_per_hour
