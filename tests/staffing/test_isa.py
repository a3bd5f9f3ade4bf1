"""ISA lands on the closed-form fixed point of M_t/M/s_t+M with patience rate = service rate, and makes the
probability of waiting time-stable where SIPP swings.

With theta = mu every contact in system leaves at rate mu whether served or waiting, so the number in system
N(t) is the infinite-server count: Poisson with mean m(t), m' = lambda(t) - m / h, whatever the staffing
(Eick, Massey & Whitt 1993; Feldman, Mandelbaum, Massey & Whitt 2008, section 4). By PASTA an arrival in
interval k waits with probability P_k(s) = (1 / d) int_k P(Poisson(m(t)) >= s) dt when s agents are on, so the
ISA fixed point is s*_k = min{s : P_k(s) <= alpha}. Everything "exact" below is computed here from that
formula with scipy's Poisson tail and Gauss-Legendre quadrature, independently of sim.staffing.

Noise: ISA estimates P_k(s) from R independent replications; the estimate's standard error is measured from
the replications. Where the exact P_k(s*) and P_k(s* - 1) lie more than z standard errors from alpha, ISA
must land on s* exactly; elsewhere within one agent. z is the Student-t quantile (R - 1 degrees of freedom)
that leaves 1% over all the comparisons made (2 x 24 per ISA iteration for up to 10 iterations, 7 x 24 for the
distribution of N, 24 for the simulated probability of waiting), so a random seed fails with probability
below 1% (Bonferroni).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from scipy.stats import poisson

from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.staffing import Request, staff
from sim.staffing import runs

ALPHA = 0.2
H = 1800.0  # mean handle time = mean patience = 30 min
D = 3600.0
# arrivals per hour in each hour of the day: rises, drops and jumps that a 30-minute busy time cannot follow
PER_HOUR = [12] * 6 + [60] * 3 + [24] * 3 + [72] * 3 + [18] * 9
K = len(PER_HOUR)
COMPARISONS = 2 * 24 * 10 + 7 * 24 + 24


def z_for(replications: int) -> float:
    return float(stats.t.isf(0.01 / (2 * COMPARISONS), replications - 1))


def scenario() -> Scenario:
    data = {
        "name": "M_t/M/s_t+M, theta = mu", "horizon": "1d", "interval": "1h", "seed": 3,
        "channels": {"phone": {"arrivals": {"daily_volume": sum(PER_HOUR), "profile": PER_HOUR},
                               "handle_time": {"dist": "exponential", "mean": "30min"},
                               "patience": {"dist": "exponential", "mean": "30min"}}},
        "agents": {"team": {"staffing": 1}},
        "behaviour": "off",
    }
    return validate(Scenario, data, "test")


def exact_tails(max_s: int = 80) -> np.ndarray:
    """P_k(s) for every interval k (rows) and s = 0..max_s (columns), from m(t) in closed form."""
    rates = np.array(PER_HOUR) / 3600.0
    nodes, weights = np.polynomial.legendre.leggauss(64)
    u = (nodes + 1) / 2 * D  # times inside an interval
    out, m = [], 0.0
    for rate in rates:
        m_t = rate * H + (m - rate * H) * np.exp(-u / H)
        tails = poisson.sf(np.arange(max_s + 1)[:, None] - 1, m_t[None, :])  # P(N >= s)
        out.append(tails @ weights / 2)
        m = rate * H + (m - rate * H) * math.exp(-D / H)
    return np.array(out)


def fixed_point(tails: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    return np.argmax(tails <= alpha, axis=1)


def sipp_plan() -> np.ndarray:
    loads = np.array(PER_HOUR) / 3600.0 * H
    return np.array([next(s for s in range(1, 200) if poisson.sf(s - 1, a) <= ALPHA) for a in loads])


def wait_probability(tails: np.ndarray, plan: np.ndarray) -> np.ndarray:
    return tails[np.arange(len(plan)), plan]


def per_replication_tails(sc: Scenario, plan: np.ndarray, replications: int, seed: int) -> np.ndarray:
    """P(N >= s) per replication, interval and s, estimated from the simulated contacts of ``plan``."""
    runner = runs.Runner(replications, seed, executor="serial")
    outcomes = runner(runs.with_plan(sc, {"team": plan}, plain_queue=True))
    out = []
    for o in outcomes:
        seconds = runs.in_system_seconds(o.contacts, "phone", D, K, 86400.0)
        share = np.pad(seconds, ((0, 0), (0, 200 - seconds.shape[1]))) / D
        out.append(np.cumsum(share[:, ::-1], axis=1)[:, ::-1])
    return np.array(out)


def test_the_closed_form_fixed_point_is_what_the_staffing_rule_gives_on_exact_tails():
    from sim.staffing.isa import staff_for

    tails = exact_tails()
    agents, fte = staff_for(tails, np.full(K, ALPHA))
    np.testing.assert_array_equal(agents, fixed_point(tails))
    assert ((fte > agents - 1) & (fte <= agents)).all()


def test_sipp_swings_where_the_fixed_point_is_time_stable():
    tails = exact_tails()
    sipp, star = sipp_plan(), fixed_point(tails)
    at_sipp, at_star = wait_probability(tails, sipp), wait_probability(tails, star)
    assert at_star.max() <= ALPHA and at_star.min() > 0.1
    assert at_sipp.max() > 0.85 and at_sipp.min() < 0.02  # right after the drops, and right after the jumps
    # and servsim's SIPP is that plan (Erlang A at theta = mu has a Poisson number in system)
    rows = staff(scenario(), Request(method="sipp", target_wait_probability=ALPHA)).requirements()
    np.testing.assert_array_equal(rows["net_agents"], sipp)


def check_isa(replications: int, seed: int):
    sc = scenario()
    result = staff(sc, Request(method="isa", target_wait_probability=ALPHA, replications=replications, seed=seed,
                               executor="serial"))
    rows = result.requirements()
    plan = rows["net_agents"].to_numpy()
    tails, star = exact_tails(), fixed_point(exact_tails())
    sample = per_replication_tails(sc, plan, replications, seed)
    se = sample.std(axis=0, ddof=1) / math.sqrt(replications)
    z = z_for(replications)
    k = np.arange(K)
    clear = (ALPHA - tails[k, star] > z * se[k, star]) & (tails[k, star - 1] - ALPHA > z * se[k, star - 1])
    assert (np.abs(plan - star) <= 1).all(), (plan, star)
    np.testing.assert_array_equal(plan[clear], star[clear])
    # the simulated number in system is the infinite-server count: P(N >= s) near s* as the Poisson mixture says
    window = np.clip(star[:, None] + np.arange(-3, 4)[None, :], 0, None)
    estimate, exact_near, error = (np.take_along_axis(a, window, axis=1)
                                   for a in (sample.mean(axis=0), tails, se))
    assert (np.abs(estimate - exact_near) <= z * error + 1e-12).all()
    # the simulation agrees with the exact probability of waiting of the plan ISA returned
    simulated = rows["simulated_wait_probability"].to_numpy()
    half = rows["simulated_wait_probability_ci_high"].to_numpy() - simulated  # t(0.975) standard errors
    exact = wait_probability(tails, plan)
    assert (np.abs(simulated - exact) <= half * z / stats.t.ppf(0.975, replications - 1) + 1e-9).all()
    return plan, star, clear, exact


@pytest.mark.integration
def test_isa_lands_on_the_closed_form_fixed_point():
    plan, star, clear, exact = check_isa(replications=24, seed=5)
    assert exact.max() - exact.min() < 0.2  # time-stable against SIPP's swing (the test above)


@pytest.mark.slow
def test_isa_lands_on_the_closed_form_fixed_point_with_many_replications():
    """800 replications: the standard errors are a third of the default test's, so more intervals are decided
    beyond the noise (4 of 24 with this seed: the fixed point's margins to alpha are mostly 0.01-0.05)."""
    plan, star, clear, exact = check_isa(replications=800, seed=8)
    assert clear.sum() >= 3
    assert exact.max() <= ALPHA + 0.1 and exact.max() - exact.min() < 0.2
