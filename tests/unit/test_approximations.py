"""Square-root (Halfin-Whitt) and GMR approximations, Erlang B staffing, wait-probability targets and the
fractional requirement, against independent values: the normal distribution, exact rational Erlang B, the
Poisson tail (scipy.stats) and the exact Erlang C / A they approximate."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from scipy.stats import norm, poisson

from sim.analytic import (
    agents_for_blocking,
    agents_for_target,
    erlang_b_kpis,
    gmr_kpis,
    halfin_whitt_kpis,
    halfin_whitt_p_wait,
    kpi_model,
    make_targets,
    queue_kpis,
    requirement,
)

H = 240.0


def test_halfin_whitt_is_its_closed_form():
    for beta in (0.25, 1.0, 2.0):
        assert halfin_whitt_p_wait(beta) == pytest.approx(1 / (1 + beta * norm.cdf(beta) / norm.pdf(beta)), rel=1e-12)
    assert halfin_whitt_p_wait(0.0) == 1.0


@pytest.mark.parametrize("beta", [0.5, 1.0, 1.5])
def test_halfin_whitt_approaches_erlang_c_as_the_centre_grows(beta):
    errors = []
    for load in (10.0, 100.0, 1000.0, 10000.0):
        n = round(load + beta * math.sqrt(load))
        exact = queue_kpis(load / H, H, n, None, 20.0).p_wait
        approx = halfin_whitt_kpis(load / H, H, n, 20.0).p_wait
        errors.append(abs(approx - exact))
    assert errors == sorted(errors, reverse=True) and errors[-1] < 0.004


def test_gmr_with_patience_equal_to_handle_time_is_the_normal_tail():
    """theta = mu: GMR's P(wait) = [1 + H(beta) / H(-beta)]^-1 = 1 - Phi(beta), the normal approximation of the
    exact answer P(Poisson(R) >= n) (then N is the infinite-server count)."""
    for load, n in ((100.0, 105), (400.0, 420)):
        beta = (n - load) / math.sqrt(load)
        assert gmr_kpis(load / H, H, n, H, 20.0).p_wait == pytest.approx(norm.sf(beta), rel=1e-10)
        assert queue_kpis(load / H, H, n, H, 20.0).p_wait == pytest.approx(poisson.sf(n - 1, load), rel=1e-9)


@pytest.mark.parametrize("patience", [60.0, 180.0, 900.0])
def test_gmr_approaches_erlang_a_as_the_centre_grows(patience):
    errors = {name: [] for name in ("p_wait", "abandon_rate", "sl")}
    for load in (10.0, 100.0, 1000.0, 10000.0):
        n = round(load + 0.5 * math.sqrt(load))
        exact, approx = queue_kpis(load / H, H, n, patience, 20.0), gmr_kpis(load / H, H, n, patience, 20.0)
        errors["p_wait"].append(abs(approx.p_wait - exact.p_wait))
        errors["abandon_rate"].append(abs(approx.abandon_rate - exact.abandon_rate))
        errors["sl"].append(abs(approx.service_level["offered"] - exact.service_level["offered"]))
    for name, e in errors.items():
        assert e[-1] < e[0] / 5, (name, e)
        assert e[-1] < 0.005, (name, e)


def test_gmr_kpis_are_consistent():
    k = gmr_kpis(600 / 3600, H, 42, 180.0, 20.0)
    assert 0 < k.abandon_rate < k.p_wait < 1
    assert k.service_level["offered"] + k.abandon_rate <= 1.0
    assert k.mean_wait_seconds == pytest.approx(k.abandon_rate * 180.0)  # P(abandon) = theta E[wait]
    assert k.service_level["answered"] == pytest.approx(k.service_level["offered"] / (1 - k.abandon_rate))


def erlang_b_exact(n: int, load: Fraction) -> Fraction:
    """(a^n / n!) / sum_k a^k / k!, in exact rational arithmetic."""
    terms = [load**k / math.factorial(k) for k in range(n + 1)]
    return terms[-1] / sum(terms)


@pytest.mark.parametrize(("load", "target"), [(Fraction(8), 0.01), (Fraction(2), 0.05), (Fraction(45, 2), 0.001)])
def test_erlang_b_staffing_is_the_smallest_count_below_the_target(load, target):
    n = agents_for_blocking(float(load), target)
    assert erlang_b_exact(n, load) <= Fraction(target) < erlang_b_exact(n - 1, load)
    k = erlang_b_kpis(float(load) / H, H, n)
    assert k["blocking"] == pytest.approx(float(erlang_b_exact(n, load)), rel=1e-12)
    assert k["carried_load"] == pytest.approx(float(load) * (1 - k["blocking"]))


def test_the_textbook_erlang_b_case():
    """8 Erlangs at 1% blocking need 15 circuits (any Erlang B table: B(15, 8) = 0.91%, B(14, 8) = 1.50%)."""
    assert agents_for_blocking(8.0, 0.01) == 15


@pytest.mark.parametrize("alpha", [0.05, 0.2, 0.5])
@pytest.mark.parametrize("load", [3.0, 25.0, 140.0])
def test_wait_probability_target_with_patience_equal_to_handle_time_is_a_poisson_quantile(alpha, load):
    k = agents_for_target(load / H, H, patience=H, target_wait_probability=alpha)
    expected = next(s for s in range(1, 1000) if poisson.sf(s - 1, load) <= alpha)  # P(N >= s) <= alpha
    assert k.agents == expected


def test_fractional_requirement_interpolates_the_binding_target():
    targets = make_targets("offered", 0.8, None, None)
    need = requirement(2 / 60, H, targets, patience=180.0, threshold=20.0)
    below, at = (queue_kpis(2 / 60, H, n, 180.0, 20.0).service_level["offered"] for n in (need.agents - 1, need.agents))
    assert below < 0.8 <= at
    assert need.fte == pytest.approx(need.agents - 1 + (0.8 - below) / (at - below))
    assert need.binding.name == "service_level"


def test_the_largest_need_binds():
    targets = make_targets("offered", 0.8, 5.0, 0.05)
    need = requirement(2 / 60, H, targets, patience=180.0, threshold=20.0)
    singles = {t.name: requirement(2 / 60, H, [t], patience=180.0, threshold=20.0) for t in targets}
    assert need.agents == max(s.agents for s in singles.values())
    assert need.fte == pytest.approx(max(s.fte for s in singles.values()))
    assert singles[need.binding.name].agents == need.agents


def test_models_check_what_they_approximate():
    with pytest.raises(ValueError, match="gmr"):
        kpi_model("square-root")(1.0, 10.0, 20, 60.0, 20.0)
    with pytest.raises(ValueError, match="patience"):
        kpi_model("gmr")(1.0, 10.0, 20, None, 20.0)
    with pytest.raises(ValueError, match="model"):
        kpi_model("nope")
    assert agents_for_target(360 / 3600, H, target_sl=0.8, model="square-root").agents in (28, 29, 30)
