"""Quality coaching and a training course through the simulation: directions and where they flip under common
random numbers, and no trace when either is off (docs/model.md sections 6.1 and 6.2).

Directions use a small phone line (20 calls an hour of 5 minutes, every day, 24 hours) over a few days with
a short training scale (``learning.training_scale_hours: 2h``), so that days do what weeks do on the shipped
centre: the stock's ramp is linear for times far below the 20-month retention time, and the scale only sets
how many retained hours make a visible skill difference. Every variant runs from the same seed (common
random numbers), 6 replications. When the test was written every paired difference asserted below had one
sign in all 6 replications: a new heavy programme's FCR gain -0.003 to +0.018 on day 1, +0.026 to +0.037 on
day 3; cost-only sessions, service level -0.087 to -0.042; a running programme, FCR +0.071 to +0.099 and
frustration -0.039 to -0.023; the flip, service level +0.032 to +0.077 (moderate) and -0.139 to -0.109
(huge); the course against spread delivery, service level on its day -0.346 to -0.301, FCR two days later
+0.023 to +0.062.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
from helpers import assert_same_tables, day_tables

import sim
from sim.config.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
CENTRE = ROOT / "configs" / "service_centre.yaml"
REPLICATIONS = 6
SEED = 2026
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
AMPLE, TIGHT = 5, 3  # agents against about 2 erlangs of offered work (1.7 first contacts, plus repeats)
HEAVY = (("evaluations_per_month", 12), ("coaching_time", "1h"))  # 144 h a year: 8% off the floor
HUGE = (("evaluations_per_month", 8), ("coaching_time", "4h"))  # 384 h a year: 21% off the floor


def line(staff: int, coaching: tuple = (), course: tuple = (), hours: str = "0h") -> Scenario:
    return Scenario.model_validate({
        "horizon": "3d", "interval": "1h", "seed": SEED,
        "channels": {"phone": {"arrivals": {"rate": "20/h"}, "handle_time": {"dist": "exponential", "mean": "5min"}}},
        "agents": {"team": {"staffing": staff, "days": EVERY_DAY, "training_hours": hours}},
        "behaviour": {"learning": {"training_scale_hours": "2h"}, "coaching": dict(coaching),
                      "training": {"course": dict(course)} if course else {}},
    })


@cache
def days(staff: int, coaching: tuple = (), course: tuple = (), hours: str = "0h") -> pd.DataFrame:
    return sim.run(line(staff, coaching, course, hours), REPLICATIONS, SEED).days


def difference(kpi: str, high: pd.DataFrame, low: pd.DataFrame, day: int | None = None) -> float:
    """Mean paired difference of a daily KPI (all days, or one), over replications."""
    pick = (lambda d: d[d["day"] == day]) if day is not None else (lambda d: d)
    a = pick(high).groupby("replication")[kpi].mean()
    b = pick(low).groupby("replication")[kpi].mean()
    return float((a - b).mean())


# --- coaching ---------------------------------------------------------------------------------------------


def test_a_new_coaching_programme_raises_resolution_more_every_day():
    """The stock ramps up as sessions are held: the FCR gain on the third day exceeds the first day's."""
    coached = days(AMPLE, (("enabled", True),) + HEAVY)
    base = days(AMPLE)
    first, third = difference("fcr", coached, base, 0), difference("fcr", coached, base, 2)
    assert third > 0.01 and third > first + 0.01, (first, third)


def test_coaching_costs_floor_time_when_it_teaches_nothing():
    """Cost only (``transfer: 0``): the sessions take agents off the floor, service level can only fall."""
    cost_only = days(TIGHT, (("enabled", True), ("transfer", 0.0)) + HEAVY)
    assert difference("service_level", cost_only, days(TIGHT)) < -0.01
    assert abs(difference("fcr", cost_only, days(TIGHT))) < 0.02  # the skill did not change; only waits did


def test_a_running_programme_lowers_frustration_through_the_agents_own_empathy_and_skill():
    running = days(AMPLE, (("enabled", True), ("established", True)))
    assert difference("fcr", running, days(AMPLE)) > 0.01
    assert difference("frustration_mean", running, days(AMPLE)) < 0


def test_the_answer_flips_when_sessions_take_too_many_agents_off_a_tight_floor():
    """At tight staffing a running programme's fewer repeats outweigh 0.9% of the floor (service level up); with
    21% of the floor in sessions the loss outweighs any skill it can buy (service level down)."""
    base = days(TIGHT)
    moderate = days(TIGHT, (("enabled", True), ("established", True)))
    huge = days(TIGHT, (("enabled", True), ("established", True)) + HUGE)
    assert difference("service_level", moderate, base) > 0
    assert difference("service_level", huge, base) < 0


# --- a course ---------------------------------------------------------------------------------------------

COURSE = (("start", "0s"), ("length", "1d"))  # days stand for weeks (see the module docstring)


def test_a_course_costs_more_service_level_while_it_runs_and_gives_more_skill_after():
    """2 h a year as a one-day course take 41% of the first day's floor (2 / (1800 h / 365.25)); spread, 0.1%.
    By the third day the course has delivered 0.62 x 2 = 1.24 retained hours, the spread programme 0.01."""
    spread, course = days(AMPLE, hours="2h"), days(AMPLE, course=COURSE, hours="2h")
    assert difference("service_level", course, spread, 0) < -0.05
    assert difference("fcr", course, spread, 2) > 0.01


# --- off means off ----------------------------------------------------------------------------------------


def tables(overrides: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return day_tables(CENTRE, SEED, overrides)


def test_switched_off_coaching_and_its_coefficients_change_nothing():
    wild = ("behaviour.coaching.evaluations_per_month=30", "behaviour.coaching.coaching_time=3h",
            "behaviour.coaching.transfer=0.2", "behaviour.coaching.established=true",
            "behaviour.coaching.evaluator_cost_per_hour=500")
    assert_same_tables(tables(()), tables(wild))


def test_coaching_with_no_evaluations_and_a_course_with_no_hours_change_nothing():
    """The new paths (the stock in pieces, the floor with coaching, the course's shares) give the old answer."""
    plain = tables(())
    assert_same_tables(plain, tables(("behaviour.coaching.enabled=true", "behaviour.coaching.evaluations_per_month=0")))
    assert_same_tables(plain, tables(("behaviour.training.course={start: 0w, length: 2w}",)))


def test_a_course_with_training_off_is_the_spread_time_off_as_before():
    hours = ("agents.phone_team.training_hours=80h", "behaviour.training.enabled=false")
    assert_same_tables(tables(hours), tables(hours + ("behaviour.training.course={start: 0w, length: 1w}",)))
