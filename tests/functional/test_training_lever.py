"""Training as delivered, through the simulation: hires start untrained, a new programme ramps up slowly while
its time off the floor costs at once, a running one keeps its effect, and no trace when it is off or unused.

Directions use configs/service_centre.yaml cut to Monday and Tuesday, 6 replications from one seed (common
random numbers). When the test was written: FCR of a new 80 h programme against none -0.006 to +0.005 (the
instant model of the release before: +0.072 to +0.079 more), phone service level -0.047 to -0.020.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from helpers import assert_same_tables, day_tables

import sim
from sim.behaviour import agents as agent_rules
from sim.behaviour import training
from sim.config.schema import Scenario
from sim.model.agents import Roster
from sim.model.journey.service import ServiceSide
from sim.rng import Streams

ROOT = Path(__file__).resolve().parents[2]
CENTRE = ROOT / "configs" / "service_centre.yaml"
REPLICATIONS = 6
SEED = 2026
GROUPS = ("counter", "phone_team", "specialists", "email_desk")
TRAIN = tuple(f"agents.{g}.training_hours=80h" for g in GROUPS)
INSTANT = ("behaviour.training.enabled=false",)  # the release before: full strength from day one
RUNNING = ("behaviour.training.established=80h",)  # the same programme, running for years before the run
DAY = 86400.0


@cache
def runs(overrides: tuple[str, ...] = ()) -> pd.DataFrame:
    return sim.run(sim.load_config(CENTRE, ("horizon=2d", "warmup=0s") + overrides), REPLICATIONS, SEED).runs


def mean_difference(kpi: str, low: tuple[str, ...], high: tuple[str, ...]) -> float:
    return float((runs(high)[kpi] - runs(low)[kpi]).mean())


def test_staff_start_with_their_programmes_stock_and_hires_with_none():
    scenario = Scenario.model_validate({
        "channels": {"phone": {"arrivals": {"rate": "1/h"}, "handle_time": {"dist": "fixed", "value": "60s"}}},
        "agents": {"team": {"staffing": 5, "training_hours": "80h"}},
        "behaviour": {"training": {"established": "80h"}},
    })
    roster = Roster(scenario, Streams(1, 0))
    service = ServiceSide(scenario, roster)
    group = roster.groups[0]
    staff, hire = roster.hire(group, 0.0), roster.hire(group, 10 * DAY, tenure=0.0)
    p, learning = scenario.behaviour.training, scenario.behaviour.learning
    service.update_training(staff, group, 10 * DAY)
    service.update_training(hire, group, 10 * DAY)
    assert roster.stock[staff] == pytest.approx(training.steady(p, 80.0))  # a running programme holds its level
    assert roster.stock[hire] == 0.0  # untrained on the day they start
    assert agent_rules.skill_ceiling(learning, roster.stock[hire]) == pytest.approx(learning.skill_base)
    service.update_training(hire, group, 10 * DAY + 56 * DAY)  # and then the same curve as everyone
    assert roster.stock[hire] == pytest.approx(training.stock(p, 80.0, 56 * DAY, 0.0))


def test_a_new_programme_does_not_resolve_more_in_its_first_days():
    instant = mean_difference("fcr", (), TRAIN + INSTANT)
    assert instant > 0.05  # what the release before promised from day one
    assert abs(mean_difference("fcr", (), TRAIN)) < instant / 5


def test_its_time_off_the_floor_costs_service_level_at_once():
    assert mean_difference("phone_service_level", (), TRAIN) < 0


@pytest.mark.parametrize("kpi,sign", [("fcr", +1), ("csat_mean", +1), ("exhaustion_mean", -1)])
def test_a_programme_that_has_been_running_works_from_the_first_day(kpi, sign):
    """The flip: the same 80 h a year helps at once when the stock was built before the run."""
    assert sign * mean_difference(kpi, TRAIN, TRAIN + RUNNING) > 0, kpi


def test_stopping_the_refreshers_keeps_most_of_the_effect_for_days():
    """Decay is slow (a 20-month time constant): two days after the last refresher FCR is still up."""
    assert mean_difference("fcr", (), RUNNING) > 0.05


# --- off means off ------------------------------------------------------------------------------------------


def tables(overrides: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return day_tables(CENTRE, SEED, overrides)


def test_without_any_training_the_part_changes_nothing():
    """Same seeds, same tables: with no training hours and no programme before the run, the part on is the model
    without it. (That the model without it is the release before, branch ``land``, with training at full
    strength from day one, was checked by hashing every table when the lever was built; see its report.)"""
    assert_same_tables(tables(INSTANT), tables(()))


def test_switched_off_its_coefficients_change_nothing():
    wild = ("behaviour.training.transfer=0.1", "behaviour.training.retention_time=1d",
            "behaviour.training.established=500h", "behaviour.training.capacity_per_week=1h")
    assert_same_tables(tables(TRAIN + INSTANT), tables(TRAIN + INSTANT + wild))
