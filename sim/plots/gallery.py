"""Which charts an experiment supports, drawn and saved in reading order for the report."""

from __future__ import annotations

from pathlib import Path

from sim.experiment.results import SweepResults
from sim.plots import charts
from sim.plots.style import save

KEY_KPIS = ("service_level", "abandon_rate", "asa_seconds", "occupancy")


def varying_factors(results: SweepResults) -> list[str]:
    """Factor columns of the summary that take more than one value."""
    columns = list(results.summary.columns)
    factors = columns[columns.index("scenario_name") + 1: columns.index("replications")]
    return [f for f in factors if results.summary[f].nunique() > 1]


def charts_for(results: SweepResults, out_dir: Path) -> list[dict]:
    """Draw and save every chart this experiment supports; return their titles, captions and files."""
    out_dir = Path(out_dir)
    summary, m = results.summary, results.manifest
    n = m["replications"]
    kpis = [k for k in KEY_KPIS if f"{k}_mean" in summary]
    factors = varying_factors(results)
    made = []

    def add(stem: str, fig, title: str, caption: str) -> None:
        png, svg = save(fig, out_dir / stem)
        made.append({"title": title, "caption": caption, "png": png, "svg": svg})

    if len(factors) >= 2:
        x, y = factors[:2]
        for kpi in kpis:
            add(f"heatmap_{kpi}", charts.heatmap(summary, x, y, kpi), f"{kpi} by {_short(x)} and {_short(y)}",
                f"Each cell is the mean over {n} replications; "
                + ("lighter means busier agents." if kpi == "occupancy" else "lighter is better."))
        add("service_level_by_factor", charts.kpi_by_factor(summary, x, "service_level", by=y),
            f"service_level against {_short(x)}", "Lines are means; shaded bands are 95% intervals.")
    elif len(factors) == 1:
        for kpi in kpis:
            add(f"{kpi}_by_factor", charts.kpi_by_factor(summary, factors[0], kpi), f"{kpi} against "
                f"{_short(factors[0])}", "The line is the mean; the shaded band is the 95% interval.")
    else:
        for kpi in kpis:
            add(f"bars_{kpi}", charts.scenario_bars(summary, kpi, m["baseline"]), f"{kpi} by scenario",
                f"Bars are means over {n} replications, with 95% intervals.")
    cost = "agents_mean" if "agents_mean_mean" in summary else "occupancy"
    if "service_level_mean" in summary and f"{cost}_mean" in summary and len(summary) > 1:
        add("tradeoff", charts.tradeoff(summary, cost, "service_level"), "Staffing against service level",
            "Each point is a scenario with 95% error bars; the line joins the scenarios no other beats on both.")
    baseline = next(s["index"] for s in m["scenarios"] if s["name"] == m["baseline"])
    if not results.intervals.empty and (results.intervals["scenario"] == baseline).any():
        threshold = m["scenarios"][baseline]["config"]["service_level"]["threshold"]
        add("intraday", charts.intraday(results.intervals, baseline, m["baseline"], threshold),
            "The baseline's day", "Calls offered and agents scheduled per interval, the service level and the "
            "time-average queue, by time of day.")
    if not results.tiers.empty and results.tiers["tier"].nunique() > 1:
        for kpi in ("asa_seconds", "abandon_rate"):
            add(f"tiers_{kpi}", charts.tier_comparison(results.tiers, summary, kpi), f"{kpi} by customer tier",
                "What each tier gets in each scenario; error bars are 95% intervals over replications.")
    if results.contacts is not None and not results.contacts.empty:
        names = summary.set_index("scenario")["scenario_name"]
        threshold = m["scenarios"][0]["config"]["service_level"]["threshold"]
        add("wait_cdf", charts.wait_cdf(results.contacts, names, threshold), "Waits of answered callers",
            "The share of answered callers who waited at most the time on the x axis; the dashed line is the "
            "service-level threshold.")
    return made


def _short(column: str) -> str:
    return column.rsplit(".", 1)[-1]
