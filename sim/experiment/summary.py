"""Per-scenario means with 95% intervals, and paired differences against the baseline scenario.

Replication k of every scenario used the same random streams, so the
difference scenario − baseline is taken replication by replication (a paired
t interval). The independent (Welch) half-width is reported beside it, to show
how much common random numbers tightened the comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.metrics import confidence_interval
from sim.stability import describe, verdict

ID_COLUMNS = ("scenario", "scenario_name")
DIFFERENCE_COLUMNS = ["scenario", "scenario_name", "kpi", "baseline_mean", "mean", "diff_mean", "diff_ci_low",
                      "diff_ci_high", "independent_half_width", "pairs"]


def summarise_scenarios(runs: pd.DataFrame, kpis: list[str], factors: list[str]) -> pd.DataFrame:
    """One row per scenario: factor values, replications, stability (``sim.stability.describe``: whether any
    channel's backlog grows), and mean / ci_low / ci_high of each KPI."""
    rows = []
    for (index, name), group in runs.groupby(list(ID_COLUMNS), sort=True):
        row = {"scenario": index, "scenario_name": name, **{f: group[f].iloc[0] for f in factors},
               "replications": len(group)}
        row["stability"] = describe(verdict(group))
        for kpi in kpis:
            row[f"{kpi}_mean"], row[f"{kpi}_ci_low"], row[f"{kpi}_ci_high"] = confidence_interval(group[kpi])
        rows.append(row)
    return pd.DataFrame(rows)


def paired_differences(runs: pd.DataFrame, baseline: int, kpis: list[str]) -> pd.DataFrame:
    """Long table: each scenario x KPI, its mean difference from the baseline with paired and unpaired widths."""
    wide = runs.set_index(["replication", "scenario"])[kpis].unstack("scenario")  # keeps all-NaN columns
    names = runs.drop_duplicates("scenario").set_index("scenario")["scenario_name"]
    rows = []
    if baseline not in names.index:  # every run of the baseline failed: nothing to compare with
        return pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    for kpi in kpis:
        base = wide[kpi][baseline]
        for index in wide[kpi].columns:
            other = wide[kpi][index]
            pairs = pd.concat([other, base], axis=1).dropna()
            diff = pairs.iloc[:, 0] - pairs.iloc[:, 1]
            mean, low, high = confidence_interval(diff)
            rows.append({  # keys as in DIFFERENCE_COLUMNS
                "scenario": index, "scenario_name": names[index], "kpi": kpi,
                "baseline_mean": base.mean(), "mean": other.mean(), "diff_mean": mean,
                "diff_ci_low": low, "diff_ci_high": high,
                "independent_half_width": _welch_half_width(other.dropna(), base.dropna()),
                "pairs": len(diff),
            })
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)


def rank(summary: pd.DataFrame, kpi: str, lower_is_better: bool) -> pd.DataFrame:
    """Scenarios best first by the mean of ``kpi``."""
    return summary.sort_values(f"{kpi}_mean", ascending=lower_is_better, kind="stable", na_position="last")


def _welch_half_width(a: pd.Series, b: pd.Series, level: float = 0.95) -> float:
    """Half-width of the difference-of-means interval if the two scenarios had independent streams."""
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    if va + vb == 0:
        return 0.0
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(stats.t.ppf(0.5 + level / 2, dof) * np.sqrt(va + vb))
