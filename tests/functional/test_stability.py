"""The stability diagnostic: an email desk short of capacity is flagged with its growth per day, a
well-staffed desk and a well-staffed M/M/n phone line are not; the trend reads through a weekly pattern."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import phone_scenario

import sim
from sim.config.schema import Scenario
from sim.stability import trend


def email_desk(agents: int) -> Scenario:
    """Emails at 100 a day round the clock, 20 min each (fixed), ``agents`` answering around the clock, no behaviour.

    Capacity is 72 emails a day per agent (1440 min / 20 min), so one agent falls 100 - 72 = 28 emails a day
    behind (the backlog grows by that on average: arrivals are Poisson, service is deterministic while
    there is a backlog), and two agents (144 a day, load 0.69) keep up.
    """
    return Scenario.model_validate({
        "name": "email desk", "horizon": "3w", "interval": "1h", "seed": 7, "behaviour": "off",
        "channels": {"email": {"arrivals": {"rate": "100/d"},
                               "handle_time": {"dist": "fixed", "value": "20min"}, "response_target": "24h"}},
        "agents": {"desk": {"channels": ["email"], "staffing": agents}},
    })


def test_an_understaffed_email_desk_is_flagged_with_its_growth_per_day():
    runs = sim.run(email_desk(1), 2).runs
    # per replication the slope over 21 days of a walk with daily variance ~100 has a standard error of ~1/day
    assert (runs["email_unstable"] == 1).all() and (runs["unstable"] == 1).all()
    assert runs["email_backlog_growth"].between(28 - 8, 28 + 8).all(), runs["email_backlog_growth"]


def test_a_well_staffed_email_desk_is_stable():
    runs = sim.run(email_desk(2), 2).runs
    assert (runs["email_unstable"] == 0).all() and (runs["unstable"] == 0).all()
    assert runs["email_backlog_growth"].abs().max() < 2.0  # the tolerance: 2% of 100 a day


def test_a_well_staffed_mmn_line_is_stable():
    """M/M/9 without abandonment at offered load 8 (occupancy 0.89): positive recurrent, so stable."""
    data = phone_scenario(horizon="3w", seed=3)
    data["channels"]["phone"]["patience"] = "none"
    runs = sim.run(Scenario.model_validate(data), 2).runs
    assert (runs["phone_unstable"] == 0).all()


def test_a_run_too_short_for_a_trend_has_no_verdict():
    runs = sim.run(email_desk(1).model_copy(update={"horizon": 2 * 86400.0}), 1).runs
    assert np.isnan(runs["email_unstable"]).all() and np.isnan(runs["email_backlog_growth"]).all()


@pytest.mark.parametrize("slope", [0.0, 5.0, -3.0])
def test_the_trend_is_exact_on_a_line_with_a_weekly_pattern(slope):
    days = np.arange(3, 3 + 19)  # starts on a Thursday and ends mid-week: a plain fit would be biased
    weekly = np.array([0, 10, 20, 30, 40, 300, 500])[days % 7]
    growth, error = trend(days, slope * days + weekly)
    assert growth == pytest.approx(slope, abs=1e-9) and error == pytest.approx(0.0, abs=1e-6)
