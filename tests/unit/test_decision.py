"""The decision summary from hand-made run tables: which measures it shows, what it recommends, and how many
replications it says would separate two options. Expected values are worked out by hand in each test."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.report.decision import decide, decision_kpis, replications_needed, signed, verdict


def results(values: dict[str, dict[str, list[float]]], *, base: bool = True, rank_by: str = "service_level",
            channels=("phone",)):
    """A finished sweep's tables as ``decide`` reads them: ``values[scenario][kpi]`` per replication."""
    names = list(values)
    config = lambda name: {"customers": {"base": {"size": 1000} if base else None}, "money": {"currency": "GBP"},
                           "channels": {c: {"x": 1} for c in channels}, "horizon": 5 * 86400.0,
                           "agents": {"team": {"extra_agents": names.index(name)}}}
    rows = [{"scenario": i, "scenario_name": name, "replication": r, **{k: v[r] for k, v in values[name].items()}}
            for i, name in enumerate(names) for r in range(len(next(iter(values[name].values()))))]
    manifest = {"baseline": names[0], "replications": len(rows) // len(names), "rank_by": rank_by,
                "question": "Hire or not?", "experiment_file": "x.yaml", "kpis": [rank_by],
                "scenarios": [{"index": i, "name": n, "factors": {}, "config": config(n)} for i, n in enumerate(names)]}
    return SimpleNamespace(manifest=manifest, runs=pd.DataFrame(rows), summary=pd.DataFrame())


BASE_SL = [0.80, 0.82, 0.78, 0.81]


def test_a_clear_gain_with_no_loss_is_recommended_without_reservation():
    # hire: +0.05, +0.06, +0.04, +0.05 on phone service level (mean +5.0 pts, all positive), cost the same
    hire = [b + d for b, d in zip(BASE_SL, (0.05, 0.06, 0.04, 0.05))]
    r = results({"today": {"phone_service_level": BASE_SL, "labour_cost": [100.0] * 4},
                 "hire": {"phone_service_level": hire, "labour_cost": [100.0] * 4}}, base=False)
    d = decide(r)
    assert d.decider == "phone_service_level"
    assert [row.kpi for row in d.rows] == ["phone_service_level"]  # labour cost is the same: no row
    cell = d.rows[0].cells[0]
    assert cell.mean == pytest.approx(0.05) and cell.verdict == "better"
    assert d.recommendation.startswith("hire: phone service level +5.0 pts")
    assert "no worse on any measure" in d.recommendation
    assert d.options[0].changes == "extra agents (team) 0 → 1"


def test_a_gain_bought_with_cost_names_the_cost_and_the_condition():
    hire = [b + d for b, d in zip(BASE_SL, (0.05, 0.06, 0.04, 0.05))]
    r = results({"today": {"phone_service_level": BASE_SL, "labour_cost": [100.0] * 4},
                 "hire": {"phone_service_level": hire, "labour_cost": [160.0] * 4}}, base=False)
    d = decide(r)
    cost = next(row for row in d.rows if row.kpi == "labour_cost")
    assert cost.unit == "GBP" and cost.cells[0].verdict == "worse"  # the currency from the scenario
    assert "but worse on labour cost (+60.00 GBP)" in d.recommendation
    assert d.condition.startswith("Worth it if the gain in phone service level outweighs")


def test_without_a_customer_base_net_value_neither_shows_nor_decides_and_the_baseline_is_not_preferred():
    # Without customers.base net value is minus the cost: the cheapest option (the baseline) would "win".
    hire = [b + 0.05 for b in BASE_SL]
    r = results({"today": {"phone_service_level": BASE_SL, "net_value": [-100.0, -100.0, -100.0, -100.0]},
                 "hire": {"phone_service_level": hire, "net_value": [-160.0] * 4}}, base=False, rank_by="net_value")
    d = decide(r)
    assert d.decider == "phone_service_level"
    assert all(row.kpi != "net_value" for row in d.rows)
    assert d.recommendation.startswith("hire:")
    assert any("No customer base" in note for note in d.notes)


def test_with_a_customer_base_net_value_decides():
    r = results({"today": {"phone_service_level": BASE_SL, "net_value": [1000.0, 1010.0, 990.0, 1005.0]},
                 "hire": {"phone_service_level": BASE_SL, "net_value": [1100.0, 1105.0, 1092.0, 1103.0]}})
    assert decide(r).decider == "net_value"


def test_overlapping_intervals_say_so_and_how_many_replications_would_separate_them():
    # differences +1, -1, +2, -1 + 3 = 2: mean +0.75 pts ... in shares: 0.0075; not told from zero at n = 4
    diffs = np.array([0.01, -0.01, 0.02, -0.0])
    r = results({"today": {"phone_service_level": BASE_SL},
                 "train": {"phone_service_level": list(np.add(BASE_SL, diffs))}}, base=False)
    d = decide(r)
    assert d.rows[0].cells[0].verdict == "unclear"
    assert d.recommendation.startswith("Keep today: no option is distinguishably better")
    half = stats.t.ppf(0.975, 3) * diffs.std(ddof=1) / 2
    expected = math.ceil(4 * (half / diffs.mean()) ** 2)
    assert f"about {expected:,} replications would separate them" in d.condition


def test_at_the_estimated_replications_the_same_differences_are_told_apart():
    # n_needed = n (half-width / |mean|)^2 makes sqrt(n_needed) >= sqrt(n) half/|mean|; tiling the same
    # differences to that many replications keeps their sd (about) and shrinks the half-width with
    # t(N-1)/t(n-1) < 1 on top, so the interval then excludes zero.
    diffs = np.array([0.01, -0.01, 0.02, -0.005, 0.015])
    n, mean = len(diffs), diffs.mean()
    half = stats.t.ppf(0.975, n - 1) * diffs.std(ddof=1) / math.sqrt(n)
    needed = replications_needed(n, mean, mean - half, mean + half)
    assert needed is not None and needed > n
    tiled = np.tile(diffs, math.ceil(needed / n))  # whole copies: the same mean, at least ``needed`` long
    tiled_half = stats.t.ppf(0.975, len(tiled) - 1) * tiled.std(ddof=1) / math.sqrt(len(tiled))
    assert tiled_half < abs(tiled.mean())


def test_replications_needed_by_hand():
    assert replications_needed(4, 1.0, -1.0, 3.0) == 16  # 4 (2 / 1)^2
    assert replications_needed(10, 2.0, 1.0, 3.0) == 11  # already separated: at least one more than n
    assert replications_needed(4, 0.0, -1.0, 1.0) is None  # no difference: no number separates them


def test_measures_are_per_channel_and_never_a_pooled_asa():
    available = ["service_level", "asa_seconds", "abandon_rate", "phone_service_level", "email_service_level",
                 "phone_asa_seconds", "email_abandon_rate", "phone_abandon_rate", "fcr", "net_value"]
    kpis = decision_kpis(available, ["phone", "email"])
    assert kpis == ["phone_service_level", "email_service_level", "phone_asa_seconds", "phone_abandon_rate",
                    "fcr", "net_value"]  # email has no abandonment (its trait), pooled ones dropped
    assert decision_kpis(["service_level", "asa_seconds"], ["phone", "email"]) == ["service_level"]


def test_verdicts_follow_the_registry_direction():
    assert verdict("phone_abandon_rate", -0.02, -0.03, -0.01) == "better"  # lower is better
    assert verdict("phone_service_level", -0.02, -0.03, -0.01) == "worse"
    assert verdict("labour_cost", 5.0, 1.0, 9.0) == "worse"
    assert verdict("fcr", 0.01, -0.01, 0.03) == "unclear"
    assert verdict("fcr", math.nan, math.nan, math.nan) == "none"
    assert signed("phone_service_level", 0.0317) == "+3.2" and signed("labour_cost", -4500.0) == "−4,500"


def test_headline_findings_without_a_customer_base_do_not_crown_doing_nothing():
    from sim.report.findings import headline_findings

    summary = pd.DataFrame({"scenario": [0, 1], "scenario_name": ["today", "hire"],
                            **{f"net_value_{p}": [-100.0, -160.0] for p in ("mean", "ci_low", "ci_high")},
                            **{f"service_level_{p}": [0.8, 0.9] for p in ("mean", "ci_low", "ci_high")}})
    diffs = pd.DataFrame(columns=["scenario", "kpi", "diff_mean", "diff_ci_low", "diff_ci_high"])
    with_base = [f.kpi for f in headline_findings(summary, diffs, "today", has_base=True)]
    without = [f.kpi for f in headline_findings(summary, diffs, "today", has_base=False)]
    assert "net_value" in with_base and without == ["service_level"]


def sensitivity_table(flips: list[bool], swings: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"coefficient": [f"behaviour.x.c{i}" for i in range(len(flips))], "swing": swings,
                         "flips": flips})


def test_the_condition_names_what_the_answer_rests_on_and_what_flips_it():
    hire = [b + d for b, d in zip(BASE_SL, (0.05, 0.06, 0.04, 0.05))]
    r = results({"today": {"phone_service_level": BASE_SL}, "hire": {"phone_service_level": hire}}, base=False)
    assert decide(r).option == "hire"
    # c1 swings most (|−0.04| > 0.01, 0); only c2 flips
    d = decide(r, sensitivity_table([False, False, True], [0.01, -0.04, 0.0]))
    assert "rests most on behaviour.x.c1" in d.condition
    assert "flips within the range of behaviour.x.c2" in d.condition
    d = decide(r, sensitivity_table([False], [0.0]))
    assert "rests most" not in d.condition and "no uncertain coefficient flips it" in d.condition


def test_when_nothing_is_better_the_headline_option_is_the_closest_and_the_condition_reports_sensitivity():
    # a: −1 pt every replication (worse); b: +1, −1, +1, −1 pts (not told apart): b is the closest to better
    a = [v - 0.01 for v in BASE_SL]
    b = [v + d for v, d in zip(BASE_SL, (0.01, -0.01, 0.01, -0.01))]
    r = results({"today": {"phone_service_level": BASE_SL}, "a": {"phone_service_level": a},
                 "b": {"phone_service_level": b}}, base=False)
    d = decide(r, sensitivity_table([True], [0.02]))
    assert d.option == "b" and d.recommendation.startswith("Keep today")
    assert "flips within the range of behaviour.x.c0" in d.condition
