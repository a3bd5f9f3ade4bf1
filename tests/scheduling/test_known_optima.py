"""The covering model finds known optima: textbook instances, instances solved by hand, and brute force.

Every expected objective here is derived without servsim: from the cited book or example, by a counting
argument written out in the test, or by enumerating every schedule of a tiny instance.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schedule_helpers import counts_by_type, solve

WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def test_union_airways_textbook_optimum_with_a_night_shift_wrapping_past_midnight(tmp_path):
    """Hillier & Lieberman, Introduction to Operations Research, section 3.4 (Union Airways personnel
    scheduling): five 8-hour shifts, minimum agents per period, daily cost per agent. The published optimum
    is x = (48, 31, 39, 43, 15) at $30,610. By hand: 06-08 is covered by shift 1 alone (x1 >= 48), 20-22 by
    shift 4 alone (x4 >= 43), 00-06 by shift 5 alone (x5 >= 15); 08-10 needs x1 + x2 >= 79 and 18-20 needs
    x3 + x4 >= 82, and raising x1 or x4 above its minimum costs more than the x2 or x3 it saves (170 > 160,
    180 > 175); the other periods are then covered. Shift 5 (22:00-06:00) wraps round the cyclic day."""
    periods = {0: 15, 2: 15, 4: 15, 6: 48, 8: 79, 10: 65, 12: 87, 14: 64, 16: 73, 18: 82, 20: 43, 22: 52}
    types = {f"s{i}": {"start": start, "length": "8h", "cost_per_shift": cost}
             for i, (start, cost) in enumerate([("06:00", 170), ("08:00", 160), ("12:00", 175), ("16:00", 180),
                                                ("22:00", 195)], start=1)}
    plan = solve(tmp_path, [[periods[h] for h in range(0, 24, 2)]], 120, types)
    assert plan.solved.status == "optimal"
    assert plan.objective == pytest.approx(30_610)
    assert counts_by_type(plan) == {"s1": 48, "s2": 31, "s3": 39, "s4": 43, "s5": 15}
    assert plan.on_floor[0] == 15  # 00:00-02:00 is covered by the shift that started at 22:00


def _daily(demand: list[int]) -> list[list[int]]:
    """One 8-hour requirement per day (08:00-16:00), nothing at night, in 8-hour intervals."""
    return [[0, d, 0] for d in demand]


TOUR = {"week": {"start": "08:00", "length": "8h", "cost_per_shift": 40, "work_days": 5, "consecutive_days_off": True}}


@pytest.mark.parametrize("objective, expected", [("headcount", 25), ("cost", 5_000)])
def test_amusement_park_days_off_example_needs_25_employees(tmp_path, objective, expected):
    """Frontline Systems' (solver.com) amusement-park personnel example: employees work five consecutive days
    with two consecutive days off; demand Mon-Sun 17, 13, 14, 15, 18, 24, 22 at $40 per employee-day. The
    published optimum is 25 employees, payroll $5,000 a week; 25 = ceil(123 / 5), Baker's (1974) bound."""
    plan = solve(tmp_path, _daily([17, 13, 14, 15, 18, 24, 22]), 480, TOUR, labels=WEEK, objective=objective)
    assert plan.solved.status == "optimal"
    assert plan.objective == pytest.approx(expected)
    assert plan.on_floor.reshape(7, 3)[:, 1].tolist() >= [17, 13, 14, 15, 18, 24, 22]


PATTERNS = [tuple(d for d in range(7) if d not in {k, (k + 1) % 7}) for k in range(7)]  # off k and k+1


def days_off_brute_force(demand: list[int]) -> int:
    """Fewest workers on the seven 5-on/2-off patterns meeting ``demand``, by enumerating every count vector
    with each pattern used at most max(demand) times (more is never needed: one pattern alone would cover)."""
    top = max(demand)
    cover = np.array([[d in p for p in PATTERNS] for d in range(7)], dtype=int)
    counts = np.array(list(itertools.product(range(top + 1), repeat=7)))
    feasible = ((counts @ cover.T) >= np.array(demand)).all(axis=1)
    return int(counts[feasible].sum(axis=1).min())


def days_off_bound(demand: list[int]) -> int:
    """Closed-form lower bound: max(max_d r_d, ceil(sum r / 5), max_j ceil((r_j + r_j+2 + r_j+4 + r_j+6) / 3)).

    The first two are Baker's (1974) bounds. All three are feasible points of the LP dual, max r.pi subject to,
    for each pattern k (off days k, k+1), sum_d pi_d - pi_k - pi_k+1 <= 1: pi = e_d; pi = 1/5 everywhere; and
    pi = 1/3 on the four days {j, j+2, j+4, j+6}, which meet every pair of consecutive days (so each pattern
    removes at least 1/3 from the 4/3 total)."""
    cover_sets = [{j % 7, (j + 2) % 7, (j + 4) % 7, (j + 6) % 7} for j in range(7)]
    third = max(math.ceil(sum(demand[d] for d in s) / 3) for s in cover_sets)
    return max(max(demand), math.ceil(sum(demand) / 5), third)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 4), min_size=7, max_size=7).filter(any))
@pytest.mark.integration
def test_days_off_tours_reach_the_brute_force_optimum_and_the_closed_form_bound(tmp_path, demand):
    plan = solve(tmp_path, _daily(demand), 480, TOUR, labels=WEEK, objective="headcount")
    best = days_off_brute_force(demand)
    assert plan.objective == best
    assert days_off_bound(demand) <= best  # the bound is a bound ...
    assert days_off_bound(demand) == best  # ... and on these small instances it is the optimum (Baker's result)


LUNCH = {"day": {"start": "08:00", "length": "9h", "cost_per_shift": 100,
                 "breaks": [{"name": "lunch", "duration": "1h", "paid": False, "window": ["3h", "4h"],
                             "step": "15min"}]}}
FLAT_3 = [[3 if 32 <= q < 68 else 0 for q in range(96)]]  # 3 agents 08:00-17:00 in 15-minute intervals


def test_lunches_inside_the_model_need_six_agents_for_three_on_the_floor(tmp_path):
    """3 agents from 08:00 to 17:00 with 9-hour shifts from 08:00 and a 1-hour lunch starting 11:00-12:00.
    All lunches fall in 11:00-13:00. With n agents at most n - 3 may lunch at once, so n lunches need
    n <= 2 (n - 3) agent-hours of room in those two hours: n >= 6, and 6 works (3 at 11:00, 3 at 12:00)."""
    plan = solve(tmp_path, FLAT_3, 15, LUNCH, objective="headcount")
    assert plan.objective == 6
    assert plan.under.sum() == 0 and plan.on_floor[32:68].min() == 3


def test_soft_cover_prices_the_lunch_gap_keith_style(tmp_path):
    """The same day with a soft cover at 60 per agent-hour short and 100 per shift. With n <= 3 agents the
    floor never exceeds 3, so every floor hour counts: cost 100 n + 60 (27 - 8 n), least at n = 3: 480. With
    n >= 4, the lunches leave at least 6 - n agent-hours short (n lunch-hours, at most 2 (n - 3) of them
    without a shortfall): cost >= 100 n + 60 (6 - n) >= 520. So the optimum is 480, three agents, 3 h short."""
    plan = solve(tmp_path, FLAT_3, 15, LUNCH, under_penalty=60.0)
    assert plan.objective == pytest.approx(480)
    assert plan.under.sum() * plan.grid.hours == pytest.approx(3.0)
    assert counts_by_type(plan) == {"day": 3}


# --- brute force on tiny random instances -------------------------------------------------------------
# A cyclic day of six 4-hour intervals; shift types of 2-4 intervals with a start window and optionally a
# one-interval break. The enumeration below knows nothing of servsim's columns or break variables: it lists
# every explicit column (type x start x break position, Dantzig's form), tries every count vector and keeps
# the cheapest that covers (hard) or the cheapest including the shortfall penalty (soft).

STEPS = 6


@st.composite
def tiny_instances(draw):
    types = {}
    for i in range(draw(st.integers(1, 2))):
        length = draw(st.integers(2, 4))
        first = draw(st.integers(0, STEPS - 1))
        starts = draw(st.integers(1, 2))
        spec = {"start": {"earliest": f"{4 * first:02d}:00", "latest": f"{4 * min(first + starts - 1, 5):02d}:00",
                          "step": "4h"},
                "length": f"{4 * length}h", "cost_per_shift": draw(st.integers(1, 5))}
        if length >= 3 and draw(st.booleans()):
            spec["breaks"] = [{"name": "lunch", "duration": "4h", "paid": False,
                               "window": ["4h", f"{4 * (length - 2)}h"]}]
        types[f"t{i}"] = spec
    demand = draw(st.lists(st.sampled_from([0, 0.5, 1, 1.5, 2]), min_size=STEPS, max_size=STEPS))
    soft = draw(st.sampled_from([None, None, 0.75, 3.0]))
    if soft is None:  # a hard cover asks nothing of the steps no shift reaches
        reach = sum(floor for _, floor in explicit_columns(types))
        demand = [d if reach[t] > 0 else 0 for t, d in enumerate(demand)]
    return types, demand, soft


def explicit_columns(types: dict) -> list[tuple[float, np.ndarray]]:
    """(cost, on-floor indicator over the six steps) of every type x start x break position."""
    out = []
    for spec in types.values():
        length = int(spec["length"][:-1]) // 4
        first, last = int(spec["start"]["earliest"][:2]) // 4, int(spec["start"]["latest"][:2]) // 4
        lunches = [None]
        if "breaks" in spec:
            lunches = list(range(1, int(spec["breaks"][0]["window"][1][:-1]) // 4 + 1))
        for start in range(first, last + 1):
            for lunch in lunches:
                floor = np.zeros(STEPS)
                for k in range(length):
                    if k != lunch:
                        floor[(start + k) % STEPS] += 1
                out.append((float(spec["cost_per_shift"]), floor))
    return out


def brute_force(types: dict, demand: list[float], soft: float | None) -> float:
    columns = explicit_columns(types)
    top = math.ceil(max(demand)) + 1
    best = math.inf
    for counts in itertools.product(range(top + 1), repeat=len(columns)):
        floor = sum((c * f for c, (_, f) in zip(counts, columns)), np.zeros(STEPS))
        short = np.maximum(0.0, np.array(demand) - floor)
        if soft is None and short.sum() > 1e-9:
            continue
        cost = sum(c * price for c, (price, _) in zip(counts, columns)) + (soft or 0.0) * 4 * short.sum()
        best = min(best, cost)
    return best


LUNCH_SPLIT = (  # found by hypothesis: one agent's lunch, counted as a fraction, "covers" two half-agent steps
    {"t0": {"start": {"earliest": "16:00", "latest": "16:00", "step": "4h"}, "length": "16h", "cost_per_shift": 1,
            "breaks": [{"name": "lunch", "duration": "4h", "paid": False, "window": ["4h", "8h"]}]}},
    [0.5, 0, 0, 0, 0, 0.5], 0.75)  # optimum 2: two agents lunching apart (one agent: 1 + 0.75 x 4 x 0.5 = 2.5)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tiny_instances())
@example(LUNCH_SPLIT)
@pytest.mark.integration
def test_tiny_instances_match_exhaustive_enumeration(tmp_path, instance):
    types, demand, soft = instance
    if len(explicit_columns(types)) > 6:  # keep the enumeration small
        return
    expected = brute_force(types, demand, soft)
    plan = solve(tmp_path, [demand], 240, types, under_penalty=soft)
    assert plan.objective == pytest.approx(expected)
    assert plan.solved.bound <= plan.objective + 1e-6


def test_whole_breaks_that_lose_what_the_fractions_promised_are_solved_again_exactly(tmp_path):
    types, demand, soft = LUNCH_SPLIT
    plan = solve(tmp_path, [demand], 240, types, under_penalty=soft)
    assert plan.repair is not None and plan.repair["relaxed_objective"] == pytest.approx(2.5)
    assert plan.repair["kept"] == "exact" and plan.objective == pytest.approx(2.0) and plan.solved.bound == 2.0


def test_sundays_late_shift_covers_monday_morning_in_a_cyclic_week(tmp_path):
    """Only Monday 00:00-02:00 needs an agent, and the only shift starts Sunday 22:00 for 4 hours: in a cyclic
    week it runs into Monday (the horizon's first day), so one shift covers it; nothing else is needed."""
    days = [[0] * 12 for _ in range(7)]
    days[0][0] = 1  # Monday 00:00-02:00 (2-hour intervals)
    types = {"late": {"start": "22:00", "length": "4h", "cost_per_shift": 1, "days": ["sun"]}}
    plan = solve(tmp_path, days, 120, types, labels=WEEK)
    assert plan.objective == 1 and plan.under.sum() == 0
    assert plan.on_floor.tolist() == [1] + [0] * 76 + [0, 0, 0, 0, 0, 0, 1]  # Monday 00-02, Sunday 22-24
