"""Which charts an experiment supports, drawn and saved (PNG and SVG) in the order a report reads them."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from sim.experiment.results import SweepResults
from sim.experiment.spec import LOWER_IS_BETTER
from sim.plots import charts
from sim.plots.style import factor_label, kpi_name, save

KEY_KPIS = ("service_level", "abandon_rate", "asa_seconds", "occupancy", "fcr", "repeat_rate", "frustration_mean",
            "exhaustion_mean", "csat_mean", "nps", "defection_rate")
TIER_KPIS = ("asa_seconds", "abandon_rate")


def varying_factors(summary) -> list[str]:
    """The factor columns (between ``scenario_name`` and ``replications``) that take more than one value."""
    columns = list(summary.columns)
    if "scenario_name" not in columns or "replications" not in columns:
        return []
    between = columns[columns.index("scenario_name") + 1:columns.index("replications")]
    return [c for c in between if summary[c].nunique(dropna=False) > 1]


def charts_for(results: SweepResults, out_dir: Path) -> list[dict]:
    """Draw and save every chart ``results`` supports; ``[{title, caption, png, svg}]`` in reading order."""
    out_dir, made = Path(out_dir), []

    def add(stem: str, fig: Figure, title: str, caption: str) -> None:
        """Save one chart and record it for the report."""
        png, svg = save(fig, out_dir / stem)
        made.append({"title": title, "caption": caption, "png": png, "svg": svg})

    if results.summary.empty:
        return made
    for plan in (_factor_charts, _tradeoff_chart, _intraday_chart, _tier_charts, _wait_chart):
        for stem, draw, title, caption in plan(results):
            add(stem, draw(), title, caption)
    return made


def _factor_charts(results: SweepResults) -> list[tuple]:
    """Heatmaps for two factors, lines for one, bars for named scenarios."""
    summary, n = results.summary, results.manifest["replications"]
    kpis = [k for k in KEY_KPIS if f"{k}_mean" in summary]
    factors = varying_factors(summary)
    if len(factors) >= 2:
        x, y = factors[:2]
        plans = [(f"heatmap_{k}", lambda k=k: charts.heatmap(summary, x, y, k),
                  f"{kpi_name(k)} by {_words(x)} and {_words(y)}",
                  f"Each cell is the mean {_noun(k)} over {n} replications; {_brighter(k)}.") for k in kpis]
        if "service_level" in kpis:
            plans.append((f"service_level_by_{_stem(x)}", lambda: charts.kpi_by_factor(summary, x, "service_level", y),
                          f"Service level against {_words(x)}, one line per {_words(y)}",
                          f"Lines are means over {n} replications and shaded bands their 95% confidence intervals; "
                          "bands that do not overlap differ clearly."))
        return plans
    if len(factors) == 1:
        (x,) = factors
        return [(f"{k}_by_{_stem(x)}", lambda k=k: charts.kpi_by_factor(summary, x, k),
                 f"{kpi_name(k)} against {_words(x)}",
                 f"The line is the mean {_noun(k)} over {n} replications and the shaded band its 95% "
                 f"confidence interval; {_direction(k)}.") for k in kpis]
    baseline = results.manifest.get("baseline")
    return [(f"bars_{k}", lambda k=k: charts.scenario_bars(summary, k, baseline), f"{kpi_name(k)} by scenario",
             f"Bars are means over {n} replications with 95% confidence intervals, the baseline ({baseline}) "
             f"highlighted; {_direction(k)}.") for k in kpis]


def _tradeoff_chart(results: SweepResults) -> list[tuple]:
    """Staffing (or occupancy) against service level, when both were summarised and there is a choice."""
    summary = results.summary
    cost = next((c for c in ("agents_mean", "occupancy") if f"{c}_mean" in summary), None)
    if cost is None or "service_level_mean" not in summary or len(summary) < 2:
        return []
    return [("tradeoff", lambda: charts.tradeoff(summary, cost, "service_level"),
             f"Service level against {kpi_name(cost).lower()}",
             "Each point is a scenario with 95% error bars on both axes; the highlighted line joins the scenarios "
             "that no other scenario beats on both, so the best choices lie on it.")]


def _intraday_chart(results: SweepResults) -> list[tuple]:
    """The baseline's average day, if its interval table is there."""
    intervals, m = results.intervals, results.manifest
    spec = _baseline(m)
    if spec is None or intervals.empty or not (intervals["scenario"] == spec["index"]).any():
        return []
    threshold = _threshold(spec)
    return [("intraday", lambda: charts.intraday(intervals, spec["index"], threshold, name=spec["name"]),
             f"An average day of the baseline ({spec['name']})",
             "Calls offered and agents scheduled per interval (top), the service level within "
             f"{threshold:g} s (middle) and the average queue (bottom), each the mean over days and "
             "replications; dips in service level show where the roster falls short of demand.")]


def _tier_charts(results: SweepResults) -> list[tuple]:
    """Per-tier bars when callers come in more than one tier."""
    tiers, summary, n = results.tiers, results.summary, results.manifest["replications"]
    if tiers.empty or tiers["tier"].nunique() < 2:
        return []
    return [(f"tiers_{k}", lambda k=k: charts.tier_comparison(tiers, summary, k),
             f"{kpi_name(k)} by customer tier",
             f"Bars are each tier's mean {_noun(k)} in each scenario over {n} replications with 95% "
             f"confidence intervals; {_direction(k)}.") for k in TIER_KPIS if k in tiers]


def _wait_chart(results: SweepResults) -> list[tuple]:
    """The distribution of waits, when contacts were recorded."""
    contacts, spec = results.contacts, _baseline(results.manifest)
    if contacts is None or contacts.empty or spec is None:
        return []
    names = results.summary.set_index("scenario")["scenario_name"].to_dict()
    threshold = _threshold(spec)
    return [("wait_cdf", lambda: charts.wait_cdf(contacts, threshold, "scenario", names),
             "Waits of answered calls",
             "Each curve is the share of answered calls that waited at most the time on the x axis; where a curve "
             f"crosses the dashed {threshold:g} s line is the share answered within the threshold.")]


def _baseline(manifest: dict) -> dict | None:
    """The manifest's entry for the baseline scenario."""
    return next((s for s in manifest.get("scenarios", []) if s["name"] == manifest.get("baseline")), None)


def _threshold(spec: dict) -> float:
    """The service-level threshold (seconds) of a scenario in the manifest."""
    return float(spec["config"]["service_level"]["threshold"])


def _brighter(kpi: str) -> str:
    """What a brighter heatmap cell means for ``kpi``."""
    return "brighter means busier agents" if kpi == "occupancy" else "brighter is better"


def _direction(kpi: str) -> str:
    """Which way is better for ``kpi``, in words."""
    if kpi == "occupancy":
        return "higher means busier agents"
    return "lower is better" if kpi in LOWER_IS_BETTER else "higher is better"


def _noun(kpi: str) -> str:
    """A KPI's name inside a sentence: ``service level``, but ``ASA``."""
    name = kpi_name(kpi)
    return name if name[:2].isupper() else name[:1].lower() + name[1:]


def _words(column: str) -> str:
    """A factor's name inside a sentence: ``daily volume``."""
    return factor_label(column).lower()


def _stem(column: str) -> str:
    """A factor's name in a file name: ``daily_volume``."""
    return column.rsplit(".", 1)[-1]
