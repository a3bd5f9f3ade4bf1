"""Calibration estimators on tiny hand-made logs, against estimates computed by hand (shown in each test)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.data.arrivals import _profile, mom_dispersion
from sim.data.durations import fit_duration, lognormal_fit
from sim.data.estimate import Z
from sim.data.journey import fit_journey
from sim.data.patience import exponential_patience, fit_patience, kaplan_meier

# Six callers who queued: waits (s) and whether the wait ended in abandonment.
WAITS = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
ABANDONED = np.array([False, True, False, True, True, False])


def test_censored_exponential_mle_is_total_wait_over_abandonments():
    # 10 + 20 + ... + 60 = 210 s waited by everyone, 3 abandonments: mean patience 70 s,
    # interval 70 x exp(+/- 1.96 / sqrt(3)); the naive mean of abandoners' waits would say 36.7 s.
    e = exponential_patience(WAITS, ABANDONED, "phone")
    assert e.value == pytest.approx(70.0)
    assert (e.low, e.high) == pytest.approx((70 * math.exp(-Z / math.sqrt(3)), 70 * math.exp(Z / math.sqrt(3))))
    assert e.n == 3 and e.note.startswith("weak")


def test_kaplan_meier_on_six_rows():
    # At 20 s: 5 at risk, 1 abandons -> S = 4/5. At 40 s: 3 at risk -> S = 0.8 x 2/3 = 0.5333.
    # At 50 s: 2 at risk -> S = 0.5333 x 1/2 = 0.2667. The median is the first time S <= 1/2: 50 s.
    curve, median = kaplan_meier(WAITS, ABANDONED, "phone")
    assert curve["survival"].tolist() == pytest.approx([0.8, 0.8 * 2 / 3, 0.8 * 2 / 3 / 2])
    assert curve["time"].tolist() == [20.0, 40.0, 50.0]
    assert median.value == 50.0


def test_kaplan_meier_median_not_estimable_when_the_curve_stays_above_half():
    # Only the 20 s wait abandons: S = 4/5 and stays there, so no median can be read.
    _, median = kaplan_meier(WAITS, np.array([False, True, False, False, False, False]), "phone")
    assert math.isnan(median.value) and median.note.startswith("not estimable")


def test_fit_patience_leaves_balked_out_and_uses_every_queued_wait():
    queued = pd.DataFrame({"arrival_time": pd.Timestamp("2024-01-01 08:00") + pd.to_timedelta(WAITS, unit="min"),
                           "wait_seconds": WAITS, "outcome": np.where(ABANDONED, "abandoned", "answered")})
    fit = fit_patience(queued, "phone", 1800)
    assert fit.estimates[0].value == pytest.approx(70.0)
    assert fit.scenario["dist"] in ("exponential", "weibull")


def test_lognormal_mle_closed_form():
    # log x = 0, 1, 2: mu = 1, sigma^2 = 2/3 (the MLE divides by n); mean = exp(mu + sigma^2 / 2),
    # cv = sqrt(exp(sigma^2) - 1)
    fit = lognormal_fit(np.exp([0.0, 1.0, 2.0]))
    assert fit["mean"] == pytest.approx(math.exp(1 + 1 / 3))
    assert fit["cv"] == pytest.approx(math.sqrt(math.exp(2 / 3) - 1))


def test_equal_durations_are_a_fixed_duration_and_zeros_are_left_out():
    fit = fit_duration(np.array([30.0, 30.0, 30.0, 0.0]), "phone", "after_contact_work")
    assert fit.scenario == {"dist": "fixed", "value": "30s"}
    assert "1 zero value(s) left out" in fit.estimates[0].note


def test_method_of_moments_dispersion_by_hand():
    # Group 1: 10, 20 -> m 15, s^2 50, d = (50 - 15) / 15^2 = 0.15556.
    # Group 2: 30, 30, 60 -> m 40, s^2 300, d = (300 - 40) / 40^2 = 0.1625.
    # Pooled with weights K - 1: (1 x 35 + 2 x 260) / (1 x 225 + 2 x 1600) = 555 / 3425.
    pooled, groups = mom_dispersion([np.array([10.0, 20.0]), np.array([30.0, 30.0, 60.0])])
    assert groups == pytest.approx([35 / 225, 260 / 1600])
    assert pooled == pytest.approx(555 / 3425)


def test_profile_ratio_estimator_with_days_as_clusters():
    # Days [1, 3] and [2, 2]: shares 3/8 and 5/8. Residuals x - share x day total: day 1 (-0.5, 0.5), day 2
    # (0.5, -0.5); se = sqrt(D / (D - 1) x sum r^2) / total = sqrt(2 x 0.5) / 8 = 0.125 for both.
    counts = pd.DataFrame([[1, 3], [2, 2]])
    table, estimates = _profile(counts, "phone", 43200)
    assert table["share"].tolist() == pytest.approx([3 / 8, 5 / 8])
    assert [e.se for e in estimates] == pytest.approx([0.125, 0.125])


def journey_log() -> pd.DataFrame:
    """Four abandoners; A calls back 100 s after hanging up, B 300 s after; C and D never. E's contact 10 days
    later keeps the log open long enough that nobody is censored by its end."""
    t0 = pd.Timestamp("2024-01-01 09:00")
    rows = [("A", 0, 50, "abandoned", None), ("A", 150, 0, "answered", 200), ("B", 60, 40, "abandoned", None),
            ("B", 400, 0, "answered", 100), ("C", 120, 30, "abandoned", None), ("D", 180, 20, "abandoned", None),
            ("E", 864000, 0, "answered", 100)]
    return pd.DataFrame({"arrival_time": [t0 + pd.Timedelta(seconds=r[1]) for r in rows], "channel": "phone",
                         "customer_id": [r[0] for r in rows], "wait_seconds": [float(r[2]) for r in rows],
                         "outcome": [r[3] for r in rows], "handle_seconds": [r[4] for r in rows],
                         "resolved": pd.array([None, True, None, False, None, None, True], dtype="boolean"),
                         "transferred": pd.array([None, False, None, True, None, None, False], dtype="boolean")})


def test_redial_probability_and_delay_on_a_hand_made_log():
    # Every abandoner is watched for the whole 24 h window (exp(-86400 / 200) is 0 to double precision), so the
    # cure-model MLE is the plain one: p = 2 redials / 4 abandoners, mean delay = (100 + 300) / 2 = 200 s.
    fit = fit_journey(journey_log())
    found = {e.parameter: e for e in fit.estimates}
    assert found["redial.probability"].value == pytest.approx(0.5, abs=1e-6)
    assert found["redial.delay_mean"].value == pytest.approx(200.0, rel=1e-5)
    assert fit.redials.tolist() == [False, True, False, True, False, False, False]
    # Resolved: 2 of the 3 answered contacts; transferred: 1 of 3. FCR by customer needs 7 days of watching
    # after an answered contact: only A's and B's calls on day 1 qualify, neither followed by another: 2 of 2.
    # The repeat rate counts contacts from day 7 on: only E's, whose customer had no earlier contact: 0 of 1.
    assert found["fcr"].value == pytest.approx(2 / 3) and found["transfer_rate"].value == pytest.approx(1 / 3)
    assert found["fcr_by_customer"].value == 1.0 and found["fcr_by_customer"].n == 2
    assert found["repeat_rate"].value == 0.0 and found["repeat_rate"].n == 1


def test_journey_estimates_are_skipped_with_a_note_without_their_columns():
    fit = fit_journey(journey_log().drop(columns=["customer_id", "resolved", "transferred"]))
    assert fit.estimates == []
    assert any("no customer_id column" in n for n in fit.notes)
    assert any("no resolved column" in n for n in fit.notes) and any("no transferred column" in n for n in fit.notes)
