"""The empathy lever through the simulation: its time on a quiet line, directions and where they flip under
common random numbers on the shipped centre, and no trace when it is off or costs nothing.

Directions use configs/service_centre.yaml cut to Monday and Tuesday, every variant from the same seed
(common random numbers), 6 replications. When the test was written each paired difference asserted below
had one sign in all 6 replications (e.g. a decree of full empathy against none: exhaustion +0.029 to +0.039,
CSAT +0.055 to +0.090; the same decree with its costs against without: CSAT -0.043 to -0.082).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from helpers import assert_same_tables, day_tables

import sim
from sim.config.schema import Scenario
from sim.model import simulate

ROOT = Path(__file__).resolve().parents[2]
CENTRE = ROOT / "configs" / "service_centre.yaml"
REPLICATIONS = 6
SEED = 2026
GROUPS = ("counter", "phone_team", "specialists", "email_desk")
ALWAYS = tuple(f"agents.{g}.empathy=1" for g in GROUPS)  # the decree
FREE = ("behaviour.empathy.enabled=false",)  # the model before the costs


@cache
def runs(overrides: tuple[str, ...] = ()) -> pd.DataFrame:
    return sim.run(sim.load_config(CENTRE, ("horizon=2d", "warmup=0s") + overrides), REPLICATIONS, SEED).runs


def mean_difference(kpi: str, low: tuple[str, ...], high: tuple[str, ...]) -> float:
    return float((runs(high)[kpi] - runs(low)[kpi]).mean())


# --- exact wiring on a quiet line ---------------------------------------------------------------------------


def quiet_line(angry: float, empathy: float | None = None) -> Scenario:
    """One phone line, fixed 300 s contacts, far more agents than calls, nothing else lengthening them."""
    team = {"staffing": [30] * 48, "tenure": {"dist": "fixed", "value": "10y"}}
    if empathy is not None:
        team["empathy"] = empathy
    return Scenario.model_validate({
        "horizon": "2d", "interval": "1h",
        "channels": {"phone": {"arrivals": {"rate": "60/h"}, "handle_time": {"dist": "fixed", "value": "300s"},
                               "redial": None}},
        "agents": {"team": team},
        "behaviour": {"learning": {"enabled": False}, "exhaustion": {"enabled": False},
                      "handle_time": {"enabled": False},
                      "frustration": {"angry_share": angry, "angry_low": 0.3, "angry_high": 0.3},
                      "resolution": {"transfer_base": 0.0, "transfer_skill_slope": 0.0, "max_contacts": 1}},
        "output": {"contacts": True},
    })


def served_seconds(scenario: Scenario) -> pd.Series:
    log = simulate(scenario, 0, 5).contacts
    return log.loc[(log["outcome"] == "answered") & log["resolved"].notna(), "handle_seconds"].round(9)


@pytest.mark.parametrize("angry,extra", [(0.0, 7.0), (1.0, 37.0)])
def test_empathetic_contacts_take_7_s_more_and_recoveries_37_s(angry, extra):
    """An untrained agent's own empathy is 0.5 (docs/model.md section 7): half the contacts get it, 4 binomial
    standard errors. Every customer arriving angry makes every empathetic contact a recovery."""
    seconds = served_seconds(quiet_line(angry))
    assert set(seconds) == {300.0, 300.0 + extra}
    n = len(seconds)
    assert n > 2500 and abs((seconds > 300.0).mean() - 0.5) < 4 * math.sqrt(0.25 / n)


def test_a_decree_of_full_empathy_reaches_every_contact():
    assert set(served_seconds(quiet_line(0.0, empathy=1.0))) == {307.0}


# --- directions under common random numbers, and the flip ---------------------------------------------------


@pytest.mark.parametrize("kpi,sign", [("aht_seconds", +1), ("exhaustion_mean", +1), ("csat_mean", +1),
                                      ("defection_rate", -1)])
def test_a_decree_of_full_empathy_still_helps_customers_but_costs_time_and_tires_agents(kpi, sign):
    assert sign * mean_difference(kpi, (), ALWAYS) > 0, kpi


def test_without_its_costs_the_decree_rested_agents_the_old_free_lunch():
    """The flip: in the model before the costs, empathy by decree lowered exhaustion (it eases customers, and
    calmer customers tire agents less); with surface acting it raises it."""
    assert mean_difference("exhaustion_mean", FREE, FREE + ALWAYS) < 0
    assert mean_difference("exhaustion_mean", (), ALWAYS) > 0


@pytest.mark.parametrize("kpi,sign", [("aht_seconds", +1), ("exhaustion_mean", +1), ("csat_mean", -1),
                                      ("defection_rate", +1)])
def test_the_costs_make_the_decree_worth_less(kpi, sign):
    assert sign * mean_difference(kpi, FREE + ALWAYS, ALWAYS) > 0, kpi


# --- off means off ------------------------------------------------------------------------------------------


def tables(overrides: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    return day_tables(CENTRE, SEED, overrides)


def test_costs_at_zero_are_the_model_without_them():
    """Same seeds, same tables: no time, no emotional labour and full effect is the model before the costs.
    (That this model is the release before the lever, branch ``land``, was checked by hashing every table of
    ``sim.run`` when the lever was built; see the lever's report.)"""
    zero = ("behaviour.empathy.time=0", "behaviour.empathy.recovery_time=0", "behaviour.empathy.surface_acting=0",
            "behaviour.empathy.surface_effect=1")
    assert_same_tables(tables(FREE + ALWAYS), tables(zero + ALWAYS))


def test_switched_off_its_coefficients_change_nothing():
    wild = ("behaviour.empathy.time=5min", "behaviour.empathy.surface_acting=1", "behaviour.empathy.surface_effect=0")
    assert_same_tables(tables(FREE + ALWAYS), tables(FREE + ALWAYS + wild))


def test_a_decree_equal_to_the_agents_own_empathy_costs_nothing_more():
    """Untrained agents' own empathy is 0.5: decreeing 0.5 is no decree at all (nothing is surface acted)."""
    assert_same_tables(tables(()), tables(tuple(f"agents.{g}.empathy=0.5" for g in GROUPS)))
