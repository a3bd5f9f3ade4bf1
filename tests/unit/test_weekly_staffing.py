"""A staffing plan may be one week long (one value per interval of Monday to Sunday): it repeats every week,
as ``servsim staff`` writes plans over a steady-state horizon (docs/model.md 15)."""

from __future__ import annotations

import pytest
from helpers import phone_scenario

from sim.config.schema import Scenario


def test_a_week_long_plan_repeats_every_week():
    week = [d + 1 for d in range(7) for _ in range(24)]  # day d of the week: d + 1 agents all day
    data = phone_scenario(horizon="3w")
    data["agents"] = {"team": {"staffing": week}}
    scenario = Scenario.model_validate(data)
    plan = scenario.agents["team"].plan(scenario.n_intervals, scenario.intervals_per_day)
    assert plan == week * 3


def test_a_plan_of_another_length_is_refused_with_the_lengths_it_could_have():
    data = phone_scenario(horizon="3w")
    data["agents"] = {"team": {"staffing": [1] * 25}}
    with pytest.raises(ValueError, match=r"of a day \(24\), of a week \(168\) or of the horizon \(504\)"):
        Scenario.model_validate(data)
