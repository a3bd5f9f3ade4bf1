"""The satisfaction model reproduces the evidence note's table 2.11 through the simulation, not only as equations.

Calm customers, ample agents (no waits) and no empathy, so each contact's latent mean is set by
resolution alone: resolved (mu = 0) or unresolved (mu = -b_R). The note's values are the reference.
"""

from __future__ import annotations

import math

import pytest
from helpers import phone_scenario

import sim
from sim.config.loader import validate
from sim.config.schema import Scenario

N_CONTACTS = 20_000  # binomial standard error of a share ~0.0035


def _run(resolution_base: float) -> dict:
    data = phone_scenario(horizon="20000min", interval="1h")
    data["channels"]["phone"]["arrivals"] = {"rate": "1/min"}
    data["agents"] = {"team": {"staffing": 60, "empathy": 0.0}}
    data["behaviour"] = {
        "frustration": {"angry_share": 0.0},
        "resolution": {"base": resolution_base, "skill_slope": 0.0, "transfer_base": 0.0,
                       "transfer_skill_slope": 0.0, "repeat_probability": 0.0},
        "exhaustion": {"enabled": False},
    }
    data["channels"]["phone"]["redial"] = None
    scenario = validate(Scenario, data, "test", units_required=False)
    return sim.run(scenario, replications=1, seed=3).runs.iloc[0].to_dict()


@pytest.mark.parametrize(("base", "top_box", "nps", "defection_intent"), [
    (1.0, 0.82, 55, 0.050),  # resolved, calm
    (0.0, 0.40, -24, 0.239),  # unresolved, calm
])
def test_simulated_outcomes_match_table_2_11(base, top_box, nps, defection_intent):
    kpis = _run(base)
    se = math.sqrt(top_box * (1 - top_box) / kpis["answered"])
    assert kpis["answered"] > 0.9 * N_CONTACTS
    assert abs(kpis["csat_top_box"] - top_box) < 4 * se + 0.01
    assert abs(kpis["nps"] - nps) < 3
    # kappa = 0.3 turns into behaviour the intent the contact adds over a perfect one's (0.050 for the same eps:
    # with mu <= 0 and slope < 0 the excess is never negative, so its mean is the difference of the means)
    assert abs(kpis["defection_rate"] - 0.3 * (defection_intent - 0.050)) < 0.01
    assert kpis["frustration_mean"] == 0.0 and kpis["fcr"] == base


def test_surveyed_csat_shows_the_response_bias_the_note_describes():
    """Extreme answers respond more (m = 1.5 for a 1, 1.2 for a 5): the surveyed mean differs from the true one."""
    kpis = _run(0.0)
    assert 0.09 < kpis["survey_response_rate"] < 0.14
    assert kpis["csat_surveyed_mean"] != kpis["csat_mean"]
