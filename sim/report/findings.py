"""Headline findings of a sweep: for each key KPI, the best scenario with its interval and its paired
difference from the baseline. Pure pandas; the HTML layer only formats them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.experiment.summary import rank
from sim.kpis import LOWER, LOWER_IS_BETTER, REGISTRY, in_sentence
from sim.report.decision import NEEDS_BASE

KEY_KPIS = ("service_level", "abandon_rate", "asa_seconds", "mean_wait_seconds", "csat_mean", "churn_rate",
            "cost_per_contact", "net_value")


def headline(kpi: str) -> str:
    """``Highest service level``, ``Lowest abandonment``: the best value's words, from the KPI registry."""
    entry = REGISTRY[kpi]
    return f"{'Lowest' if entry.better == LOWER else 'Highest'} {in_sentence(entry.label)}"


@dataclass(frozen=True)
class Finding:
    kpi: str
    scenario: str
    mean: float
    ci_low: float
    ci_high: float
    diff_mean: float | None
    diff_ci_low: float | None
    diff_ci_high: float | None
    is_baseline: bool


def headline_findings(summary: pd.DataFrame, differences: pd.DataFrame, baseline: str,
                      has_base: bool = True) -> list[Finding]:
    """The best scenario by each key KPI present in the summary (lowest for waits and abandonment); without a
    customer base, not the KPIs that need one (net value is then only minus the cost: "do nothing" would win)."""
    findings = []
    for kpi in KEY_KPIS:
        if not has_base and kpi in NEEDS_BASE:
            continue
        if f"{kpi}_mean" not in summary or summary[f"{kpi}_mean"].isna().all():
            continue
        best = rank(summary, kpi, kpi in LOWER_IS_BETTER).iloc[0]
        diff = differences[(differences["kpi"] == kpi) & (differences["scenario"] == best["scenario"])] \
            if not differences.empty else differences
        d = diff.iloc[0] if len(diff) else None
        findings.append(Finding(
            kpi, best["scenario_name"], best[f"{kpi}_mean"], best[f"{kpi}_ci_low"], best[f"{kpi}_ci_high"],
            None if d is None else d["diff_mean"], None if d is None else d["diff_ci_low"],
            None if d is None else d["diff_ci_high"], best["scenario_name"] == baseline,
        ))
    return findings
