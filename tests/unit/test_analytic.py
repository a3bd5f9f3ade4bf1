"""Tests for sim.analytic: Erlang B/C/A formulas, tagged-customer waits and staffing."""

from __future__ import annotations

import ast
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.linalg import expm_multiply, spsolve
from scipy.stats import poisson

import sim.analytic as analytic_pkg
from sim.analytic import (
    SL_DEFINITIONS,
    QueueKPIs,
    agents_for_target,
    erlang_a_kpis,
    erlang_b,
    erlang_c,
    erlang_c_kpis,
    queue_kpis,
    square_root_staffing,
    stationary_distribution,
    tagged_wait_probabilities,
)

MIN = 60.0
BENCH = dict(arrival_rate=2 / MIN, aht=4 * MIN, agents=9, patience=3 * MIN, threshold=20.0)


# ---------------------------------------------------------------- helpers (independent methods)


def tagged_generator(c: float, theta: float, size: int) -> sp.csr_matrix:
    """Sparse generator of the tagged customer: queue positions 0..size-1, then served, abandoned."""
    j = np.arange(size, dtype=float)
    rows = [np.arange(size), np.arange(1, size), [0], np.arange(size)]
    cols = [np.arange(size), np.arange(0, size - 1), [size], np.full(size, size + 1)]
    vals = [-(c + (j + 1) * theta), c + j[1:] * theta, [c], np.full(size, theta)]
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(size + 2, size + 2)
    )


def sparse_tagged(pi: np.ndarray, n: int, c: float, theta: float, t: float) -> tuple[float, float]:
    """(served with wait <= t, abandoned with wait <= t) via expm_multiply on the generator."""
    q = pi[n:]
    p0 = np.concatenate([q, [0.0, 0.0]])
    pt = expm_multiply(tagged_generator(c, theta, q.size).T.tocsc() * t, p0)
    return float(pi[:n].sum() + pt[-2]), float(pt[-1])


def sparse_wait_moments(pi: np.ndarray, n: int, c: float, theta: float) -> tuple[float, float, float]:
    """(P(served), E[W 1{served}], E[W]) from linear solves with the transient generator."""
    q = pi[n:]
    g = tagged_generator(c, theta, q.size).tocsc()
    minus_t = -g[: q.size, : q.size]
    h = spsolve(minus_t, g[: q.size, q.size].toarray().ravel())  # P_j(served)
    time_in = spsolve(minus_t.T.tocsc(), q)  # expected time spent in each position
    return float(pi[:n].sum() + q @ h), float(time_in @ h), float(time_in.sum())


def birth_death_generator(lam: float, mu: float, theta: float, n: int, size: int) -> np.ndarray:
    """Dense generator of the truncated Erlang A chain on states 0..size-1."""
    k = np.arange(size)
    q = np.zeros((size, size))
    q[k[:-1], k[:-1] + 1] = lam
    q[k[1:], k[1:] - 1] = np.minimum(k[1:], n) * mu + np.maximum(k[1:] - n, 0) * theta
    q[k, k] = -q.sum(axis=1)
    return q


def textbook_erlang_c(n: int, a: int) -> Fraction:
    """Erlang C from the textbook formula in exact rational arithmetic."""
    terms = [Fraction(a**k, math.factorial(k)) for k in range(n)]
    top = Fraction(a**n, math.factorial(n)) * Fraction(n, n - a)
    return top / (sum(terms) + top)


# ---------------------------------------------------------------- Erlang B / C


def test_erlang_b_known_values():
    assert erlang_b(1, 1.0) == pytest.approx(0.5, abs=1e-15)
    assert erlang_b(2, 1.0) == pytest.approx(0.2, abs=1e-15)
    assert erlang_b(3, 0.0) == 0.0
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, abs=1e-15)
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 7.5) == 1.0


@pytest.mark.parametrize("n,a", [(1, 0.3), (5, 4.2), (30, 24.0), (80, 95.0), (150, 120.5)])
def test_erlang_b_matches_truncated_poisson(n, a):
    expected = poisson.pmf(n, a) / poisson.cdf(n, a)
    assert erlang_b(n, a) == pytest.approx(expected, rel=1e-10)


def test_erlang_b_large_n_is_stable():  # its speed: benchmarks/bench_analytic.py
    b = erlang_b(10_000, 9_800.0)
    assert 0.0 < b < 0.1
    assert 0.0 < erlang_c(10_000, 9_800.0) < 1.0
    assert erlang_b(10_000, 1.0) == 0.0


def test_textbook_call_centre_example():
    # 360 calls/h, 240 s handle time -> 24 Erlangs; 26 agents; 20 s service-level threshold.
    k = erlang_c_kpis(360 / 3600, 240.0, 26, 20.0)
    c = float(textbook_erlang_c(26, 24))
    assert k.p_wait == pytest.approx(c, rel=1e-12)
    assert erlang_c(26, 24.0) == pytest.approx(c, rel=1e-12)
    sl = 1 - c * math.exp(-(26 - 24) / 240 * 20)
    for name in SL_DEFINITIONS:
        assert k.service_level[name] == pytest.approx(sl, rel=1e-12)
    assert k.asa_seconds == pytest.approx(c * 240 / (26 - 24), rel=1e-12)
    assert k.occupancy == pytest.approx(24 / 26)
    assert k.mean_queue_length == pytest.approx(0.1 * k.mean_wait_seconds)
    assert k.abandon_rate == 0.0 and k.stable


def test_erlang_c_unstable():
    k = erlang_c_kpis(1.0, 10.0, 10, 20.0)
    assert not k.stable
    assert k.p_wait == 1.0 and k.occupancy == 1.0 and k.abandon_rate == 0.0
    assert all(v == 0.0 for v in k.service_level.values())
    assert math.isinf(k.asa_seconds) and math.isinf(k.mean_wait_seconds) and math.isinf(k.mean_queue_length)


# ---------------------------------------------------------------- Erlang A cross-checks


@pytest.mark.parametrize("lam,aht,n", [(2 / MIN, 4 * MIN, 9), (1.0, 1.0, 2), (0.99, 100.0, 100), (0.5, 30.0, 17)])
def test_erlang_a_infinite_patience_matches_erlang_c(lam, aht, n):
    a_k = erlang_a_kpis(lam, aht, n, 1e12, 20.0)
    c_k = erlang_c_kpis(lam, aht, n, 20.0)
    assert a_k.p_wait == pytest.approx(c_k.p_wait, abs=1e-6)
    for name in SL_DEFINITIONS:
        assert a_k.service_level[name] == pytest.approx(c_k.service_level[name], abs=1e-6)
    assert a_k.asa_seconds == pytest.approx(c_k.asa_seconds, rel=1e-6, abs=1e-6)
    assert a_k.mean_wait_seconds == pytest.approx(c_k.mean_wait_seconds, rel=1e-6, abs=1e-6)
    assert a_k.abandon_rate < 1e-6


@pytest.mark.parametrize(
    "lam,aht,n,pat",
    [(2 / MIN, 4 * MIN, 9, 3 * MIN), (3 / MIN, 4 * MIN, 9, 3 * MIN), (1.0, 1.0, 1, 0.1), (50.0, 3.0, 120, 40.0)],
)
def test_abandonment_little_equals_tagged_absorption(lam, aht, n, pat):
    k = erlang_a_kpis(lam, aht, n, pat, 20.0)
    served, abandoned = tagged_wait_probabilities(lam, aht, n, pat, math.inf)
    assert abandoned == pytest.approx(k.abandon_rate, abs=1e-9)
    assert served + abandoned == pytest.approx(1.0, abs=1e-12)
    assert k.mean_queue_length == pytest.approx(lam * k.mean_wait_seconds, rel=1e-12)


def test_mm1m_against_dense_matrix_exponential():
    lam, mu, theta = 1.0, 1.5, 0.5
    size = 120
    gen = birth_death_generator(lam, mu, theta, 1, size)
    lhs = gen.T.copy()
    lhs[-1, :] = 1.0
    pi_dense = np.linalg.solve(lhs, np.eye(size)[-1])
    pi = stationary_distribution(lam, 1 / mu, 1, 1 / theta)
    m = min(size, pi.size)
    np.testing.assert_allclose(pi[:m], pi_dense[:m], atol=1e-13)

    g = tagged_generator(mu, theta, size - 1).toarray()
    p0 = np.concatenate([pi_dense[1:], [0.0, 0.0]])
    for t in (0.0, 0.3, 1.0, 2.5, 10.0):
        pt = p0 @ scipy.linalg.expm(g * t)
        served, abandoned = tagged_wait_probabilities(lam, 1 / mu, 1, 1 / theta, t)
        assert served == pytest.approx(pi_dense[0] + pt[-2], abs=1e-12)
        assert abandoned == pytest.approx(pt[-1], abs=1e-12)

    k = erlang_a_kpis(lam, 1 / mu, 1, 1 / theta, threshold=1.0, short_abandon=0.3)
    transient = -g[: size - 1, : size - 1]
    h = np.linalg.solve(transient, g[: size - 1, size - 1])
    time_in = np.linalg.solve(transient.T, pi_dense[1:])
    p_served = pi_dense[0] + pi_dense[1:] @ h
    assert k.asa_seconds == pytest.approx(time_in @ h / p_served, rel=1e-10)
    assert k.mean_wait_seconds == pytest.approx(time_in.sum(), rel=1e-10)
    assert k.p_wait == pytest.approx(1 - pi_dense[0], abs=1e-13)
    sl_t = pi_dense[0] + (p0 @ scipy.linalg.expm(g * 1.0))[-2]
    short_ab = (p0 @ scipy.linalg.expm(g * 0.3))[-1]
    assert k.service_level["offered"] == pytest.approx(sl_t, abs=1e-12)
    assert k.service_level["answered"] == pytest.approx(sl_t / p_served, abs=1e-12)
    assert k.service_level["offered_excl_short_abandons"] == pytest.approx(sl_t / (1 - short_ab), abs=1e-12)


@pytest.mark.parametrize(
    "lam,aht,n,pat",
    [(2 / MIN, 4 * MIN, 9, 3 * MIN), (3 / MIN, 4 * MIN, 9, 3 * MIN), (10.0, 2.0, 18, 5.0), (0.2, 200.0, 35, 600.0)],
)
def test_closed_forms_match_sparse_generator(lam, aht, n, pat):
    pi = stationary_distribution(lam, aht, n, pat)
    c, theta = n / aht, 1 / pat
    for t in (0.0, 5.0, 20.0, 60.0, 400.0):
        ref = sparse_tagged(pi, n, c, theta, t)
        got = tagged_wait_probabilities(lam, aht, n, pat, t)
        np.testing.assert_allclose(got, ref, atol=1e-10)
    k = erlang_a_kpis(lam, aht, n, pat, 20.0, short_abandon=5.0)
    p_served, wait_served, mean_wait = sparse_wait_moments(pi, n, c, theta)
    assert k.asa_seconds == pytest.approx(wait_served / p_served, rel=1e-9)
    assert k.mean_wait_seconds == pytest.approx(mean_wait, rel=1e-9)
    sl_t, _ = sparse_tagged(pi, n, c, theta, 20.0)
    _, short_ab = sparse_tagged(pi, n, c, theta, 5.0)
    assert k.service_level["offered"] == pytest.approx(sl_t, abs=1e-10)
    assert k.service_level["answered"] == pytest.approx(sl_t / p_served, abs=1e-10)
    assert k.service_level["offered_excl_short_abandons"] == pytest.approx(sl_t / (1 - short_ab), abs=1e-10)


@pytest.mark.parametrize("lam,aht,n,pat", [(2 / MIN, 4 * MIN, 9, 3 * MIN), (40.0, 1.0, 30, 2.0), (1.0, 50.0, 60, 1e6)])
def test_stationary_distribution_satisfies_balance(lam, aht, n, pat):
    pi = stationary_distribution(lam, aht, n, pat)
    assert pi.sum() == pytest.approx(1.0, abs=1e-14)
    k = np.arange(pi.size)
    death = np.minimum(k, n) / aht + np.maximum(k - n, 0) / pat
    np.testing.assert_allclose(pi[:-1] * lam, pi[1:] * death[1:], rtol=1e-9, atol=1e-300)
    assert pi[-1] < 1e-15 * pi.max()
    kp = erlang_a_kpis(lam, aht, n, pat, 20.0)
    assert kp.occupancy == pytest.approx(np.minimum(k, n) @ pi / n, rel=1e-10)
    assert kp.mean_queue_length == pytest.approx(np.maximum(k - n, 0) @ pi, rel=1e-12)


# ---------------------------------------------------------------- project benchmark, large systems


def _assert_self_consistent(k: QueueKPIs, lam: float, aht: float) -> None:
    assert k.stable
    values = [k.p_wait, k.abandon_rate, k.occupancy, *k.service_level.values()]
    assert all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values)
    assert k.service_level["offered"] <= k.service_level["offered_excl_short_abandons"] + 1e-15
    assert k.service_level["offered"] <= k.service_level["answered"] + 1e-15
    assert 1 - k.p_wait <= k.service_level["offered"] + 1e-15
    assert k.mean_queue_length == pytest.approx(lam * k.mean_wait_seconds, rel=1e-12)
    assert k.occupancy == pytest.approx(lam * aht * (1 - k.abandon_rate) / k.agents, rel=1e-12)
    assert 0.0 <= k.asa_seconds < math.inf and 0.0 <= k.mean_wait_seconds < math.inf


def test_benchmark_case_is_self_consistent():
    k = queue_kpis(**BENCH)
    _assert_self_consistent(k, BENCH["arrival_rate"], BENCH["aht"])
    assert 0.0 < k.abandon_rate < k.p_wait
    assert k.abandon_rate == pytest.approx(k.mean_wait_seconds / BENCH["patience"], rel=1e-12)
    c = erlang_c_kpis(BENCH["arrival_rate"], BENCH["aht"], 9, 20.0)
    assert k.p_wait < c.p_wait and k.asa_seconds < c.asa_seconds
    assert k.service_level["offered"] > c.service_level["offered"]


def test_overloaded_erlang_a_is_finite():
    lam = 3 / MIN  # a = 12 Erlangs on 9 agents
    k = queue_kpis(**{**BENCH, "arrival_rate": lam})
    _assert_self_consistent(k, lam, BENCH["aht"])
    assert k.abandon_rate > 0.25  # at least the excess load 1 - n/a must abandon
    assert not erlang_c_kpis(lam, BENCH["aht"], 9, 20.0).stable


@pytest.mark.parametrize("patience", [None, 120.0, 1e5])
def test_large_system_is_finite(patience):  # its speed: benchmarks/bench_analytic.py
    aht = 180.0
    k = queue_kpis(1950 / aht, aht, 2000, patience, 20.0)
    _assert_self_consistent(k, 1950 / aht, aht)


def test_overloaded_with_effectively_infinite_patience_raises():
    with pytest.raises(ValueError, match="patience"):
        erlang_a_kpis(1.0, 10.0, 5, 1e12, 20.0)


# ---------------------------------------------------------------- properties (hypothesis)

loads = st.floats(0.05, 60.0)
ahts = st.floats(5.0, 600.0)
patiences = st.floats(2.0, 3000.0)
thresholds = st.floats(0.0, 120.0)


@settings(max_examples=60, deadline=None)
@given(a=loads, aht=ahts, n=st.integers(1, 80), pat=st.one_of(st.none(), patiences), t=thresholds)
def test_more_agents_never_hurt(a, aht, n, pat, t):
    lam = a / aht
    k0, k1 = queue_kpis(lam, aht, n, pat, t), queue_kpis(lam, aht, n + 1, pat, t)
    tol = 1e-12
    assert k1.p_wait <= k0.p_wait + tol
    assert k1.asa_seconds <= k0.asa_seconds * (1 + 1e-12) + tol
    assert k1.mean_wait_seconds <= k0.mean_wait_seconds * (1 + 1e-12) + tol
    assert k1.abandon_rate <= k0.abandon_rate + tol
    for name in SL_DEFINITIONS:
        assert k1.service_level[name] >= k0.service_level[name] - tol


@settings(max_examples=60, deadline=None)
@given(a=loads, aht=ahts, n=st.integers(1, 80), pat=patiences, t=thresholds, s=st.floats(0.0, 60.0))
def test_erlang_a_conservation_and_bounds(a, aht, n, pat, t, s):
    lam = a / aht
    k = erlang_a_kpis(lam, aht, n, pat, t, short_abandon=s)
    _assert_self_consistent(k, lam, aht)
    served, abandoned = tagged_wait_probabilities(lam, aht, n, pat, math.inf)
    assert served + abandoned == pytest.approx(1.0, abs=1e-12)
    assert abandoned == pytest.approx(k.abandon_rate, abs=1e-9)
    sl_t, ab_t = tagged_wait_probabilities(lam, aht, n, pat, t)
    assert sl_t <= served + 1e-15 and ab_t <= abandoned + 1e-15


@settings(max_examples=60, deadline=None)
@given(a=loads, aht=ahts, n=st.integers(1, 80), t=thresholds)
def test_erlang_c_bounds_and_little(a, aht, n, t):
    k = erlang_c_kpis(a / aht, aht, n, t)
    assert k.occupancy <= 1.0
    if k.stable:
        _assert_self_consistent(k, a / aht, aht)
        assert len(set(k.service_level.values())) == 1


# ---------------------------------------------------------------- staffing


def test_square_root_staffing():
    assert square_root_staffing(360 / 3600, 240.0, 0.0) == 24
    assert square_root_staffing(360 / 3600, 240.0, 1.0) == math.ceil(24 + math.sqrt(24))
    assert square_root_staffing(100 / 3600, 36.0, 0.0) == 1
    assert square_root_staffing(1.0, 100.0, -0.5) == 95


@pytest.mark.parametrize("a", [0.3, 8.0, 24.0, 97.5])
@pytest.mark.parametrize("pat", [None, 180.0])
def test_agents_for_target_is_smallest(a, pat):
    aht = 240.0
    lam = a / aht
    k = agents_for_target(lam, aht, patience=pat, target_sl=0.8, target_asa=30.0)
    assert k.service_level["offered"] >= 0.8 and k.asa_seconds <= 30.0
    if k.agents > 1:
        prev = queue_kpis(lam, aht, k.agents - 1, pat, 20.0)
        assert prev.service_level["offered"] < 0.8 or prev.asa_seconds > 30.0
    brute = next(
        n
        for n in range(1, 500)
        if (q := queue_kpis(lam, aht, n, pat, 20.0)).service_level["offered"] >= 0.8 and q.asa_seconds <= 30.0
    )
    assert k.agents == brute
    if pat is None:
        assert k.agents >= math.floor(a) + 1


def test_agents_for_target_abandon_and_definitions():
    k = agents_for_target(**{k: BENCH[k] for k in ("arrival_rate", "aht", "patience")}, target_abandon=0.02)
    assert k.abandon_rate <= 0.02
    assert queue_kpis(2 / MIN, 4 * MIN, k.agents - 1, 3 * MIN).abandon_rate > 0.02
    k2 = agents_for_target(2 / MIN, 4 * MIN, patience=3 * MIN, target_sl=0.9, sl_definition="answered")
    assert k2.service_level["answered"] >= 0.9
    assert agents_for_target(2 / MIN, 4 * MIN, target_abandon=0.01).agents == 9  # Erlang C: first stable n


def test_agents_for_target_large_load():  # its speed: benchmarks/bench_analytic.py
    k = agents_for_target(1950 / 180, 180.0, target_sl=0.8)
    k2 = agents_for_target(1950 / 180, 180.0, patience=120.0, target_sl=0.95, target_abandon=0.01)
    assert k.service_level["offered"] >= 0.8 and k.agents > 1950
    assert k2.abandon_rate <= 0.01 and k2.service_level["offered"] >= 0.95


def test_agents_for_target_errors():
    with pytest.raises(ValueError, match="target"):
        agents_for_target(1.0, 10.0)
    with pytest.raises(ValueError, match="target_sl"):
        agents_for_target(1.0, 10.0, target_sl=1.0)
    with pytest.raises(ValueError, match="target_abandon"):
        agents_for_target(1.0, 10.0, target_abandon=0.0)
    with pytest.raises(ValueError, match="target_asa"):
        agents_for_target(1.0, 10.0, target_asa=-1.0)
    with pytest.raises(ValueError, match="sl_definition"):
        agents_for_target(1.0, 10.0, target_sl=0.8, sl_definition="nope")
    with pytest.raises(ValueError, match="target_sl"):
        agents_for_target(1.0, 10.0, target_sl=0.99, max_agents=11)
    with pytest.raises(ValueError, match="max_agents"):
        agents_for_target(1.0, 10.0, target_sl=0.8, max_agents=5)


# ---------------------------------------------------------------- API surface and validation


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: queue_kpis(-1.0, 10.0, 3), "arrival_rate"),
        (lambda: queue_kpis(1.0, 0.0, 3), "aht"),
        (lambda: queue_kpis(1.0, 10.0, 0), "agents"),
        (lambda: queue_kpis(1.0, 10.0, 2.5), "agents"),
        (lambda: queue_kpis(1.0, 10.0, 20, patience=-3.0), "patience"),
        (lambda: queue_kpis(1.0, 10.0, 20, threshold=-1.0), "threshold"),
        (lambda: queue_kpis(1.0, 10.0, 20, 30.0, 20.0, short_abandon=-1.0), "short_abandon"),
        (lambda: erlang_b(0, 1.0), "agents"),
        (lambda: erlang_c(3, -1.0), "load"),
        (lambda: square_root_staffing(1.0, 10.0, math.nan), "beta"),
        (lambda: tagged_wait_probabilities(1.0, 10.0, 20, 30.0, -1.0), "t"),
    ],
)
def test_invalid_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_dispatch_and_as_dict():
    c = erlang_c_kpis(2 / MIN, 4 * MIN, 9, 20.0)
    assert queue_kpis(2 / MIN, 4 * MIN, 9) == c
    assert queue_kpis(2 / MIN, 4 * MIN, 9, math.inf) == c
    assert erlang_a_kpis(2 / MIN, 4 * MIN, 9, math.inf, 20.0) == c
    d = queue_kpis(**BENCH).as_dict()
    expected = {"agents", "p_wait", "asa_seconds", "mean_wait_seconds", "abandon_rate", "occupancy"}
    expected |= {"mean_queue_length", "stable"} | {f"service_level_{n}" for n in SL_DEFINITIONS}
    assert set(d) == expected
    assert type(d["agents"]) is int and type(d["stable"]) is bool
    assert all(type(v) is float for key, v in d.items() if key not in ("agents", "stable"))


def test_no_heavy_imports():
    """sim.analytic must stay importable without the simulator stack (checked on the source)."""
    allowed = {"__future__", "collections", "dataclasses", "math", "numbers", "numpy", "scipy", "sim"}
    for path in sorted(Path(analytic_pkg.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
                assert not name.startswith("sim.") or name.startswith("sim.analytic"), f"{path.name}: {name}"
