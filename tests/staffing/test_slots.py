"""Decision slots: one staffing decision per weekday and time over a horizon longer than a week, measured only
after the warm-up; intervals that share a decision are staffed alike."""

from __future__ import annotations

import numpy as np
from helpers import phone_scenario

from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.staffing.slots import Slots


def slots_of(**top) -> Slots:
    return Slots.of_scenario(validate(Scenario, phone_scenario(**top), "test"))


def test_a_week_or_less_has_one_decision_per_interval_measured_after_the_warmup():
    s = slots_of(horizon="2d", interval="1h", warmup="1d")
    assert s.count == 48 and (s.of == np.arange(48)).all()
    assert not s.measured[:24].any() and s.measured[24:].all()
    assert s.searchable().sum() == 24
    start = np.full(48, 7)
    plan = s.spread(np.arange(48), start)
    assert (plan[:24] == 7).all() and (plan[24:] == np.arange(24, 48)).all()  # the warm-up keeps its start


def test_longer_horizons_share_a_weekly_plan_judged_after_the_warmup():
    s = slots_of(horizon="3w", interval="1h", warmup="2w")
    assert s.count == 7 * 24
    assert (s.of[: 7 * 24] == s.of[7 * 24: 14 * 24]).all()
    assert s.searchable().all() and s.measured.sum() == 7 * 24
    values = np.arange(7 * 24)
    plan = s.spread(values, np.zeros(3 * 7 * 24, int))
    assert (plan == np.tile(values, 3)).all()  # the warm-up weeks are staffed like the measured week
    assert (s.collect(plan) == values).all()
