"""The calibration estimators recover KNOWN parameters from synthetic logs drawn with numpy (tests/synthetic_logs.py).

Each check allows z standard errors of the estimator itself, z Bonferroni-corrected for the number of
checks in the test at a family error of 0.001, so a seed that fails any check would be a 1-in-1000 event
if the estimators are right; the seeds are fixed, so the tests are deterministic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from synthetic_logs import Truth, draw_log

from sim.data.calibrate import calibrate

FAMILY_ALPHA = 0.001


def z_for(checks: int) -> float:
    return float(stats.norm.ppf(1 - FAMILY_ALPHA / (2 * checks)))


def by_name(cal):
    return {(e.channel, e.parameter): e for e in cal.estimates}


def test_arrivals_weekday_volumes_profile_and_day_dispersion():
    truth = Truth(days=56, day_dispersion=0.03, weekday_volume=(1200, 1100, 1000, 1000, 900, 300, 0))
    cal = calibrate(draw_log(truth, seed=3))
    e = by_name(cal)
    shares = truth.profile / truth.profile.sum()
    open_profile = [k for k, s in enumerate(shares) if s > 0]
    checks = 6 + len(open_profile) + 1
    z = z_for(checks)
    for w, volume in enumerate(truth.weekday_volume[:6]):
        est = e["phone", f"arrivals.volume.{('mon', 'tue', 'wed', 'thu', 'fri', 'sat')[w]}"]
        t = stats.t.ppf(1 - FAMILY_ALPHA / (2 * checks), est.n - 1)  # the weekday mean is a Student-t estimate
        assert abs(est.value - volume) <= t * est.se, (w, est)
    assert e["phone", "arrivals.volume.sun"].value == 0.0
    for k in open_profile:
        est = e["phone", f"arrivals.profile.{int(k // 2):02d}:{30 * (k % 2):02d}"]
        assert abs(est.value - shares[k]) <= z * est.se, (k, est)
    d = e["phone", "arrivals.day_dispersion"]
    assert abs(d.value - truth.day_dispersion) <= z * d.se, d
    assert "Poisson days rejected" in d.method
    assert cal.arrivals["phone"].scenario["day_weights"][6] == 0.0


def test_poisson_days_give_a_dispersion_interval_reaching_zero():
    cal = calibrate(draw_log(Truth(days=56), seed=4))
    d = by_name(cal)["phone", "arrivals.day_dispersion"]
    assert d.low == 0.0 and abs(d.value) <= z_for(1) * d.se


@pytest.mark.parametrize("dist", ["lognormal", "gamma"])
def test_handle_time_family_chosen_by_aic_and_mean_and_cv_recovered(dist):
    truth = Truth(days=14, handle_dist=dist, handle_mean=420.0, handle_cv=0.7, acw_mean=40.0)
    cal = calibrate(draw_log(truth, seed=5))
    e, z = by_name(cal), z_for(4)
    assert cal.handle["phone"].chosen == dist
    assert abs(e["phone", "handle_time.mean"].value - 420.0) <= z * e["phone", "handle_time.mean"].se
    assert abs(e["phone", "handle_time.cv"].value - 0.7) <= z * e["phone", "handle_time.cv"].se
    # after-contact work drawn exponential (a gamma with cv 1): mean 40 s
    acw = e["phone", "after_contact_work.mean"]
    assert abs(acw.value - 40.0) <= z * acw.se
    assert cal.acw["phone"].chosen == "gamma"


def test_exponential_patience_recovered_from_censored_waits_where_the_naive_mean_is_far_off():
    truth = Truth(days=14, patience_mean=300.0, offered_wait_mean=60.0)
    log = draw_log(truth, seed=6)
    cal = calibrate(log)
    e, z = by_name(cal), z_for(3)
    mean = e["phone", "patience.mean"]
    assert abs(math.log(mean.value / 300.0)) <= z * mean.se / mean.value  # se of log(mean) = 1 / sqrt(A)
    shape = e["phone", "patience.weibull_shape"]
    assert abs(math.log(shape.value)) <= z * shape.se / shape.value
    # the Kaplan-Meier curve follows exp(-t / 300) within its pointwise standard errors
    curve = cal.patience["phone"].survival
    at = curve[curve["time"] <= 120].iloc[-1]
    se = (at["high"] - at["low"]) / (2 * 1.959964)
    assert abs(at["survival"] - math.exp(-at["time"] / 300.0)) <= z * se
    naive = log.loc[log["outcome"] == "abandoned", "wait_seconds"].mean()
    assert naive < 0.5 * 300.0  # why the naive mean is never used: censoring makes it far too small


def test_weibull_patience_chosen_and_its_shape_recovered():
    truth = Truth(days=14, patience_mean=300.0, patience_shape=0.6, offered_wait_mean=90.0)
    cal = calibrate(draw_log(truth, seed=7))
    e, z = by_name(cal), z_for(2)
    assert cal.patience["phone"].chosen == "weibull"
    shape = e["phone", "patience.weibull_shape"]
    assert abs(math.log(shape.value / 0.6)) <= z * shape.se / shape.value
    mean = e["phone", "patience.weibull_mean"]
    assert abs(math.log(mean.value / 300.0)) <= z * mean.se / mean.value


def test_redials_repeats_fcr_and_transfers_recovered_from_customer_ids_and_flags():
    truth = Truth(days=21, customers=True, redial_probability=0.4, redial_delay_mean=600.0, fcr=0.75,
                  transfer_rate=0.12, repeat_delay_mean=86400.0)
    cal = calibrate(draw_log(truth, seed=8))
    e, z = by_name(cal), z_for(5)
    expected = {"redial.probability": 0.4, "redial.delay_mean": 600.0, "fcr": 0.75, "transfer_rate": 0.12,
                # an answered contact is followed within 7 days when the unresolved customer comes back:
                # (1 - FCR)(1 - e^-7), so FCR by customer is 1 minus that
                "fcr_by_customer": 1 - 0.25 * (1 - math.exp(-7))}
    for name, value in expected.items():
        est = e["phone", name]
        assert abs(est.value - value) <= z * est.se, (name, est)
    assert cal.journey.redial_scenario["phone"]["delay"]["dist"] == "exponential"


def test_redials_are_left_out_of_the_arrival_counts():
    truth = Truth(days=14, customers=True, redial_probability=0.6, redial_delay_mean=300.0)
    log = draw_log(truth, seed=9)
    cal = calibrate(log)
    redials = int(cal.journey.redials.sum())
    assert redials > 0
    counted = cal.arrivals["phone"].daily["count"].sum()
    assert counted == len(log) - redials
    assert np.isclose(cal.arrivals["phone"].scenario["daily_volume"], 1040, rtol=0.05)  # mean of Mon-Fri truth
