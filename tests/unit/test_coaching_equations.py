"""Quality coaching and a course given in a window of weeks (docs/model.md sections 6.1 and 6.2) against values
worked by hand from the stated equations."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pydantic import ValidationError

from sim.behaviour import coaching, training
from sim.config.behaviour import Training
from sim.config.coaching import Coaching
from sim.config.course import Course
from sim.config.schema import Scenario
from sim.metrics import money_by_interval
from sim.model import development
from sim.model.agents import Group, floor_plan, plan_levels, training_delivery

DAY = 86400.0
WEEK = 7 * DAY
YEAR = 365.25 * DAY
P = Training()
T_DAYS = 20 * 365.25 / 12  # the retention time, 608.75 days
C = Coaching(enabled=True)


def test_defaults_are_the_documented_ones():
    assert (C.evaluations_per_month, C.evaluator_time, C.evaluator_cost_per_hour, C.coaching_time, C.transfer,
            C.established) == (4.0, 45 * 60.0, 35.0, 20 * 60.0, 1.0, False)
    assert Coaching().enabled is False and Training().course is None
    assert (Course().start, Course().length) == (0.0, 2 * WEEK)


def test_coaching_hours_time_off_the_floor_and_what_reaches_the_stock():
    # 4 evaluations a month x 12 months x 20 min = 16 h a year; of 1800 paid hours that is 0.889%
    assert coaching.hours_a_year(C) == pytest.approx(16.0)
    assert coaching.off_share(C, 1800.0) == pytest.approx(16 / 1800)
    assert coaching.applied(C) == pytest.approx(16.0)
    assert coaching.applied(Coaching(enabled=True, transfer=0.0)) == 0.0  # cost only


def test_the_evaluators_time_is_priced_per_paid_month():
    # one agent paid a month (1800 / 12 = 150 h): 4 evaluations x 45 min = 3 evaluator hours x 35 EUR = 105 EUR
    assert coaching.evaluator_hours(C, 150.0, 1800.0) == pytest.approx(3.0)
    assert coaching.cost(C, 150.0, 1800.0) == pytest.approx(105.0)


def test_a_running_coaching_programme_holds_its_stock_and_a_new_one_ramps_up():
    # steady stock 16 h x 20/12 years = 26.67 h; a new programme after 8 weeks: 26.67 (1 - e^(-56/608.75)) = 2.34 h
    assert training.stock_over(P, [(10 * WEEK, 16.0)], 16.0 * 20 / 12) == pytest.approx(16.0 * 20 / 12)
    assert training.stock_over(P, [(8 * WEEK, 16.0)], 0.0) == pytest.approx(
        26.667 * (1 - math.exp(-56 / T_DAYS)), rel=1e-4)
    assert training.stock_over(P, [(8 * WEEK, 16.0)], 0.0) == pytest.approx(2.34, abs=0.01)


def test_stock_over_pieces_is_the_closed_form_in_one_piece():
    # stock() applies the transfer itself; stock_over takes applied hours: 0.62 x 80 = 49.6
    assert training.stock_over(P, [(8 * WEEK, 49.6)], 3.0) == pytest.approx(training.stock(P, 80.0, 8 * WEEK, 3.0))
    assert training.stock_over(P, [(3 * WEEK, 49.6), (5 * WEEK, 49.6)], 3.0) == pytest.approx(
        training.stock(P, 80.0, 8 * WEEK, 3.0))


def test_a_course_window_is_cut_out_of_the_time_and_comes_back_every_year():
    course = Course(start=WEEK, length=2 * WEEK)
    assert training.course_windows(course, 4 * WEEK) == [(WEEK, 3 * WEEK)]
    assert training.course_windows(course, 2 * YEAR) == [(WEEK, 3 * WEEK), (WEEK + YEAR, 3 * WEEK + YEAR)]
    assert training.pieces([(WEEK, 3 * WEEK)], 0.0, 4 * WEEK, 9.0, 1.0) == [(WEEK, 1.0), (2 * WEEK, 9.0),
                                                                            (WEEK, 1.0)]
    assert training.pieces([(WEEK, 3 * WEEK)], 2 * WEEK, 5 * WEEK, 9.0, 1.0) == [(WEEK, 9.0), (2 * WEEK, 1.0)]


def test_a_40h_course_in_two_weeks_takes_58_percent_off_and_builds_the_stock_at_once():
    course = Course(length=2 * WEEK)
    # 1800 paid hours a year give 1800 x 14 / 365.25 = 69.0 h in two weeks: 40 h of them is 57.98%
    share = training.course_share(course, 40.0, 1800.0)
    assert share == pytest.approx(40 / (1800 * 14 / 365.25))
    assert training.course_share(course, 80.0, 1800.0) == 1.0  # at most everyone
    # inside the window 0.62 x share x 1800 = 0.62 x 40 x 365.25 / 14 applied hours a year; after it:
    # 0.62 x 40 x (608.75 / 14) (1 - e^(-14 / 608.75)) = 24.52 h, and a week later x e^(-7/608.75) = 24.24 h
    inside = 0.62 * share * 1800.0
    after = training.stock_over(P, training.pieces([(0.0, 2 * WEEK)], 0.0, 3 * WEEK, inside, 0.0), 0.0)
    assert after == pytest.approx(0.62 * 40 * T_DAYS / 14 * (1 - math.exp(-14 / T_DAYS)) * math.exp(-7 / T_DAYS))
    assert after == pytest.approx(24.24, abs=0.01)
    # the same 40 h spread over the year: 0.62 x 40 x 20/12 (1 - e^(-21/608.75)) = 1.40 h by week 3
    assert training.stock(P, 40.0, 3 * WEEK, 0.0) == pytest.approx(1.40, abs=0.01)


def test_a_course_must_fit_in_a_year():
    with pytest.raises(ValidationError):
        Course(start=50 * WEEK, length=3 * WEEK)
    with pytest.raises(ValidationError):
        Course(start=-WEEK)


def centre(behaviour: dict, horizon: str = "4w", training_hours: str = "40h") -> Scenario:
    """One group of 10, 24 h a day, hourly intervals; 40 h of training a year of 1800 paid."""
    return Scenario.model_validate({
        "horizon": horizon, "interval": "1h",
        "channels": {"phone": {"arrivals": {"rate": "1/h"}, "handle_time": {"dist": "fixed", "value": "60s"}}},
        "agents": {"a": {"staffing": 10, "training_hours": training_hours}},
        "behaviour": behaviour,
    })


def test_the_course_takes_the_years_hours_off_the_floor_in_its_window_only():
    # a 1-week course from day 7: 40 / (1800 x 7 / 365.25) = 1.16 -> everyone, 10 agents x 168 h = 1680 h
    s = centre({"training": {"course": {"start": "1w", "length": "1w"}}})
    floor = floor_plan(s, "a")
    assert floor[: 7 * 24] == [10] * 168 and floor[14 * 24:] == [10] * (14 * 24)
    assert floor[7 * 24: 14 * 24] == [0] * 168
    # two weeks: 57.98% of 10 agents x 336 h = 1948 agent-hours, to the agent-hour (error diffusion)
    s2 = centre({"training": {"course": {"length": "2w"}}})
    off = sum(10 - n for n in floor_plan(s2, "a"))
    assert abs(off - 0.5798 * 10 * 336) <= 1
    group = Group(0, "a", s2)
    assert sum(plan_levels(group, k, 3600.0)[1] for k in range(s2.n_intervals)) == off * 3600.0


def test_a_course_with_training_off_is_spread_as_before():
    on = centre({"training": {"enabled": False, "course": {"length": "2w"}}})
    assert floor_plan(on, "a") == floor_plan(centre({"training": {"enabled": False}}), "a")


def test_trainers_cap_the_course_by_what_it_asks_while_it_runs():
    # the course asks 10 agents x 168 h = 1680 trainee-hours in its week; trainers deliver 840 a week: half
    s = centre({"training": {"course": {"start": "1w", "length": "1w"}, "capacity_per_week": "840h"}})
    assert development.course_trainee_hours_a_week(s) == pytest.approx(1680.0)
    assert training_delivery(s) == pytest.approx(0.5)
    assert sum(10 - n for n in floor_plan(s, "a")) == 840


def test_coaching_sessions_take_their_share_off_the_floor_and_are_not_training():
    # 10 agents x 672 h x 16 / 1800 = 59.7 agent-hours in coaching; no training hours
    s = centre({"coaching": {"enabled": True}}, training_hours="0h")
    off = sum(10 - n for n in floor_plan(s, "a"))
    assert abs(off - 10 * 672 * 16 / 1800) <= 1
    group = Group(0, "a", s)
    assert sum(group.coached) == off
    assert sum(plan_levels(group, k, 3600.0)[1] for k in range(s.n_intervals)) == 0.0


def test_staff_of_a_running_coaching_programme_start_with_its_stock_and_hires_with_none():
    s = centre({"coaching": {"enabled": True, "established": True}}, training_hours="0h")
    delivery = development.delivery(s, "a", 1.0)
    assert delivery is not None
    assert delivery.stock(0.0, True, 3 * WEEK) == pytest.approx(16.0 * 20 / 12)
    assert delivery.stock(WEEK, False, WEEK) == 0.0
    assert delivery.stock(WEEK, False, 9 * WEEK) == pytest.approx(training.stock_over(P, [(8 * WEEK, 16.0)], 0.0))


def test_coaching_with_training_off_acts_at_full_strength_from_day_one():
    s = centre({"coaching": {"enabled": True}, "training": {"enabled": False}}, training_hours="0h")
    assert development.delivery(s, "a", 1.0) is None
    assert Group(0, "a", s).hours == pytest.approx(16.0 * 20 / 12)


def test_the_evaluators_are_priced_in_the_training_cost():
    s = centre({"coaching": {"enabled": True}}, training_hours="0h")
    levels = pd.DataFrame({"paid_area.a": [150 * 3600.0, 0.0], "training_area": [3600.0, 0.0], "hires.a": [0, 0],
                           "value_lost": [0.0, 0.0], "revenue": [0.0, 0.0], "value_defected": [0.0, 0.0]})
    money = money_by_interval(levels, s)
    assert money["training_cost"].tolist() == pytest.approx([20.0 + 105.0, 0.0])  # one training hour at 20 EUR
    off = money_by_interval(levels, centre({}, training_hours="0h"))
    assert off["training_cost"].tolist() == [20.0, 0.0]


def test_coached_agents_empathy_is_their_own_and_rises_with_the_stock():
    """A running programme's 26.67 h: own empathy 0.5 + 0.3 (1 - e^(-26.67/40)) = 0.646 (from 0.5), shown as
    genuine (deep acting) since no decree asks for more than the agent has."""
    from sim.behaviour import empathy
    from sim.model.agents import Roster
    from sim.model.journey.service import ServiceSide
    from sim.rng import Streams

    s = centre({"coaching": {"enabled": True, "established": True}}, training_hours="0h")
    roster = Roster(s, Streams(1, 0))
    service, group = ServiceSide(s, roster), roster.groups[0]
    agent = roster.hire(group, 0.0)
    service.update_training(agent, group, 2 * WEEK)
    own = service._own_empathy(agent, group)
    assert own == pytest.approx(0.5 + 0.3 * (1 - math.exp(-16.0 * 20 / 12 / 40)))
    assert group.natural_empathy == pytest.approx(0.5)
    assert empathy.shown(0.6, own, own) == empathy.GENUINE
