"""When training and coaching take agents off the floor and what they add to each agent's retained stock, for
a course given in a window of weeks and for quality coaching (docs/model.md sections 6.1 and 6.2).

Without a course and without coaching the model keeps its spread delivery (``agents.floor_plan``, the
closed-form ``training.stock``); these helpers only run when one of the two is set.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.behaviour import coaching as coaching_rules
from sim.behaviour import training as training_rules
from sim.config.schema import Scenario


def course_on(scenario: Scenario) -> bool:
    """Whether a course sets when training happens (with ``behaviour.training`` on; off: spread, section 6)."""
    b = scenario.behaviour
    return b.on("training") and b.training.course is not None


def coaching_on(scenario: Scenario) -> bool:
    """Whether quality coaching runs (``behaviour.coaching``, off by default; never with ``behaviour: off``)."""
    return scenario.behaviour.on("coaching")


def diffuse(plan: Sequence[int], shares: Sequence[float]) -> list[int]:
    """Whole agents taken off per interval for ``shares`` of the ``plan``: the agent-time owed is accumulated and
    taken as it reaches whole agents (error diffusion), so the total matches to within one agent-interval."""
    owed, taken, off = 0.0, 0, []
    for headcount, share in zip(plan, shares):
        owed += headcount * share
        out = min(headcount, math.floor(owed + 1e-9) - taken)
        taken += out
        off.append(out)
    return off


def training_shares(scenario: Scenario, name: str, factor: float) -> list[float]:
    """Share of the plan in training per interval under the course: its share while a window covers the
    interval (pro rata for a partial cover), 0 outside; ``factor`` is the trainers' delivery factor."""
    spec, course = scenario.agents[name], scenario.behaviour.training.course
    assert course is not None, "only a course sets training by interval"
    share = training_rules.course_share(course, spec.training_hours, spec.paid_hours_per_year) * factor
    windows = training_rules.course_windows(course, scenario.horizon)
    step = scenario.interval
    return [share * sum(max(0.0, min(b, (k + 1) * step) - max(a, k * step)) for a, b in windows) / step
            for k in range(scenario.n_intervals)]


def course_trainee_hours_a_week(scenario: Scenario) -> float:
    """Trainee-hours a week the course asks for while it runs (all groups), against the trainers' capacity."""
    total = 0.0
    for name, spec in scenario.agents.items():
        plan = spec.plan(scenario.n_intervals, scenario.intervals_per_day)
        total += sum(h * s for h, s in zip(plan, training_shares(scenario, name, 1.0))) * scenario.interval / 3600.0
    course = scenario.behaviour.training.course
    assert course is not None, "only a course has windows"
    running = sum(min(b, scenario.horizon) - a for a, b in training_rules.course_windows(course, scenario.horizon))
    return total / (running / (7 * 86400.0)) if running > 0 else 0.0


def coached(scenario: Scenario, name: str) -> list[int]:
    """Agents of group ``name`` in a coaching session per interval (0 everywhere with coaching off)."""
    plan = scenario.agents[name].plan(scenario.n_intervals, scenario.intervals_per_day)
    if not coaching_on(scenario):
        return [0] * len(plan)
    share = coaching_rules.off_share(scenario.behaviour.coaching, scenario.agents[name].paid_hours_per_year)
    return diffuse(plan, [share] * len(plan))


def floor(scenario: Scenario, name: str, factor: float) -> list[int]:
    """Agents of group ``name`` on the floor per interval with a course or coaching: the plan less training (the
    course's shares, or the spread share of section 6) and less coaching sessions, each in whole agents."""
    spec = scenario.agents[name]
    plan = spec.plan(scenario.n_intervals, scenario.intervals_per_day)
    if course_on(scenario):
        shares = training_shares(scenario, name, factor)
    else:
        shares = [min(1.0, spec.training_hours / spec.paid_hours_per_year) * factor] * len(plan)
    return [max(0, h - t - c) for h, t, c in zip(plan, diffuse(plan, shares), coached(scenario, name))]


class Delivery:
    """What reaches one group's agents' stock: applied hours a year in and out of course windows, and the stock
    staff start with (a programme running before the run)."""

    def __init__(self, scenario: Scenario, name: str, factor: float) -> None:
        b, spec = scenario.behaviour, scenario.agents[name]
        self.p = p = b.training
        coaching = coaching_rules.applied(b.coaching) if coaching_on(scenario) else 0.0
        self.windows: list[tuple[float, float]] = []
        self.outside = self.inside = coaching + p.transfer * spec.training_hours * factor  # spread (section 6.1)
        if p.course is not None:  # none outside the windows, the course's rate inside
            self.windows = training_rules.course_windows(p.course, scenario.horizon)
            share = training_rules.course_share(p.course, spec.training_hours, spec.paid_hours_per_year)
            self.outside = coaching
            self.inside = coaching + p.transfer * share * spec.paid_hours_per_year * factor
        running = coaching if coaching_on(scenario) and b.coaching.established else 0.0
        self.staff_start = training_rules.steady(p, p.established) + running * p.retention_time / training_rules.YEAR

    def stock(self, trained_from: float, staff: bool, now: float) -> float:
        """The agent's retained hours at ``now``: from the staff's or a hire's start, through every window."""
        pieces = training_rules.pieces(self.windows, trained_from, now, self.inside, self.outside)
        return training_rules.stock_over(self.p, pieces, self.staff_start if staff else 0.0)


def delivery(scenario: Scenario, name: str, factor: float) -> Delivery | None:
    """The group's delivery when a course or coaching changes it (with training on), else ``None``; ``factor``
    is the trainers' delivery factor (``agents.training_delivery``)."""
    if scenario.behaviour.on("training") and (course_on(scenario) or coaching_on(scenario)):
        return Delivery(scenario, name, factor)
    return None


def full_strength(scenario: Scenario) -> float:
    """With training off (full strength from day one, section 6), the hours coaching adds at once: the stock a
    coaching programme maintains, ``transfer * hours a year * T``."""
    b = scenario.behaviour
    if b.on("training") or not coaching_on(scenario):
        return 0.0
    return coaching_rules.applied(b.coaching) * b.training.retention_time / training_rules.YEAR
