"""Which charts an experiment supports, drawn and saved (PNG and SVG) in the order a report reads them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.config.traits import TRAITS
from sim.experiment.results import SweepResults
from sim.experiment.summary import rank, summarise_scenarios
from sim.kpis import REGISTRY
from sim.plots import charts, distributions
from sim.plots.intraday import intraday
from sim.plots.style import currency_of, factor_label, kpi_name, lower_is_better, save
from sim.plots.weeks import over_weeks
from sim.reduction import CSAT_COUNTS, FRUSTRATION_COUNTS

KEY_KPIS = ("service_level", "abandon_rate", "asa_seconds", "occupancy", "fcr", "repeat_rate", "frustration_mean",
            "exhaustion_mean", "csat_mean", "nps", "defection_rate", "churn_rate", "cost_per_contact", "net_value")
TIER_KPIS = ("asa_seconds", "abandon_rate")  # with one channel; with more, each channel's own (never pooled)
TIER_CUSTOMER_KPIS = ("csat_mean", "defection_rate")  # a customer's measures: meaningful over all channels
STAFFING_COSTS = ("agents_mean", "occupancy")  # drawn against service level
MONEY_COSTS = ("cost_per_contact", "labour_cost")  # drawn against satisfaction and against loyalty
CUSTOMER_VALUES = (("csat_mean", "nps"), ("churn_rate", "loyalty_mean"))  # the first present of each
WEEK_CHARTS = (
    ("weeks_customers", ("active_customers_end", "churn_rate"), "Active customers and churn over the weeks"),
    ("weeks_loyalty", ("loyalty_mean",), "Customers' loyalty over the weeks"),
    ("weeks_agents", ("agents_employed", "agents_quit"), "Agents employed and agents who quit over the weeks"),
)
MAX_LINES = 6  # scenarios on an over-weeks chart; with more, the baseline and the best one
MAX_BARS = 16  # scenarios on a distribution chart; likewise


def varying_factors(summary) -> list[str]:
    """The factor columns (between ``scenario_name`` and ``replications``) that take more than one value; of
    zipped twins (factors that always change together) only the first."""
    columns = list(summary.columns)
    if "scenario_name" not in columns or "replications" not in columns:
        return []
    between = columns[columns.index("scenario_name") + 1:columns.index("replications")]
    varying: list[str] = []
    for column in (c for c in between if summary[c].nunique(dropna=False) > 1):
        if not any(_twins(summary, kept, column) for kept in varying):
            varying.append(column)
    return varying


def _twins(summary: pd.DataFrame, a: str, b: str) -> bool:
    """Whether factors ``a`` and ``b`` determine each other (a zip moves them together)."""
    pairs = len(summary[[a, b]].astype(str).drop_duplicates())
    return pairs == summary[a].nunique(dropna=False) == summary[b].nunique(dropna=False)


def charts_for(results: SweepResults, out_dir: Path) -> list[dict]:
    """Draw and save every chart ``results`` supports; ``[{title, caption, png, svg}]`` in reading order."""
    out_dir, made = Path(out_dir), []

    def add(stem: str, fig: Figure, title: str, caption: str, group: str) -> None:
        """Save one chart and record it for the report."""
        png, svg = save(fig, out_dir / stem)
        made.append({"title": title, "caption": caption, "png": png, "svg": svg, "group": group})

    if results.summary.empty:
        return made
    results = with_channel_kpis(results)
    for plan, group in _groups():
        for stem, draw, title, caption in plan(results):
            add(stem, draw(), title, caption, group)
    return made


def channels_of(manifest: dict) -> list[str]:
    """The channels of the baseline scenario."""
    spec = _baseline(manifest) or {"config": {}}
    return [c for c, v in (spec["config"].get("channels") or {}).items() if v]


def chart_kpis(summary: pd.DataFrame, channels: list[str]) -> list[str]:
    """``KEY_KPIS`` present in ``summary``, per channel where the registry reports them per channel: never a
    blend of channels with different thresholds (email answered within 24 h beside phone within 20 s)."""
    out = []
    for k in KEY_KPIS:
        if REGISTRY[k].per_channel:
            variants = [f"{c}_{k}" for c in channels if _present(summary, f"{c}_{k}")
                        and (k != "abandon_rate" or TRAITS[c].abandons)]
            if variants or len(channels) > 1:
                out += variants
                continue
        if _present(summary, k):
            out.append(k)
    return out


def with_channel_kpis(results: SweepResults) -> SweepResults:
    """``results`` whose summary also has the per-channel KPIs the charts draw (every run keeps them all)."""
    runs, summary = results.runs, results.summary
    wanted = [f"{c}_{k}" for k in KEY_KPIS if REGISTRY[k].per_channel and f"{k}_mean" in summary
              for c in channels_of(results.manifest)]  # the channels' own of what the experiment summarised
    missing = [k for k in wanted if k in runs and f"{k}_mean" not in summary]
    if not missing or runs.empty:
        return results
    extra = summarise_scenarios(runs, missing, []).drop(columns=["scenario_name", "replications"])
    return dataclasses.replace(results, summary=summary.merge(extra, on="scenario", how="left"))


def _groups() -> tuple:
    """Each kind of chart and the report heading it goes under, in reading order."""
    return ((_factor_charts, "Each measure across the scenarios"), (_tradeoff_charts, "Trade-offs"),
            (_intraday_chart, "The baseline's working day"), (_week_charts, "Over the weeks"),
            (_tier_charts, "By customer tier"), (_distribution_charts, "How customers rated and felt"),
            (_wait_chart, "Waits"))


def _factor_charts(results: SweepResults) -> list[tuple]:
    """Heatmaps for two factors, lines for one, bars for named scenarios."""
    summary, n, money = results.summary, results.manifest["replications"], currency_of(results.manifest)
    kpis = chart_kpis(summary, channels_of(results.manifest))
    sl = next((k for k in kpis if k.endswith("service_level")), None)
    factors = varying_factors(summary)
    if len(factors) >= 2:
        x, y = factors[:2]
        plans: list[tuple] = [(f"heatmap_{k}", lambda k=k: charts.heatmap(summary, x, y, k, money),
                  f"{kpi_name(k)} by {_words(x)} and {_words(y)}",
                  f"Each cell is the mean {_noun(k)} over {n} replications; {_brighter(k)}.") for k in kpis]
        if sl is not None:
            plans.append((f"{sl}_by_{_stem(x)}", lambda: charts.kpi_by_factor(summary, x, sl, y),
                          f"{kpi_name(sl)} against {_words(x)}, one line per {_words(y)}",
                          f"Lines are means over {n} replications and shaded bands their 95% confidence intervals; "
                          "bands that do not overlap differ clearly."))
        return plans
    if len(factors) == 1:
        (x,) = factors
        return [(f"{k}_by_{_stem(x)}", lambda k=k: charts.kpi_by_factor(summary, x, k, currency=money),
                 f"{kpi_name(k)} against {_words(x)}",
                 f"The line is the mean {_noun(k)} over {n} replications and the shaded band its 95% "
                 f"confidence interval; {_direction(k)}.") for k in kpis]
    baseline = results.manifest.get("baseline")
    return [(f"bars_{k}", lambda k=k: charts.scenario_bars(summary, k, baseline, money), f"{kpi_name(k)} by scenario",
             f"Bars are means over {n} replications with 95% confidence intervals, the baseline ({baseline}) "
             f"highlighted; {_direction(k)}.") for k in kpis]


def _tradeoff_charts(results: SweepResults) -> list[tuple]:
    """Service level against staffing, and satisfaction and loyalty against money, for what was summarised."""
    summary, money = results.summary, currency_of(results.manifest)
    if len(summary) < 2:
        return []
    pairs = []
    staffing = next((c for c in STAFFING_COSTS if _present(summary, c)), None)
    sl = next((k for k in chart_kpis(summary, channels_of(results.manifest)) if k.endswith("service_level")), None)
    if staffing and sl:
        pairs.append(("tradeoff", staffing, sl))
    cost = next((c for c in MONEY_COSTS if _present(summary, c)), None)
    for choices in CUSTOMER_VALUES if cost else ():
        value = next((v for v in choices if _present(summary, v)), None)
        if value and cost:
            pairs.append((f"tradeoff_{value}", cost, value))
    return [(stem, lambda c=c, v=v: charts.tradeoff(summary, c, v, money),
             f"{kpi_name(v)} against {kpi_name(c).lower()}",
             "Each point is a scenario with 95% error bars on both axes; the highlighted line joins the scenarios "
             f"that no other scenario beats on both {_noun(c)} and {_noun(v)}, so the best choices lie on it.")
            for stem, c, v in pairs]


def _intraday_chart(results: SweepResults) -> list[tuple]:
    """The baseline's average working day, if its interval table is there."""
    intervals, m = results.intervals, results.manifest
    spec = _baseline(m)
    if spec is None or intervals.empty or not (intervals["scenario"] == spec["index"]).any():
        return []
    threshold, thresholds = _threshold(spec), _channel_thresholds(spec)
    several = sum(f"{c}_offered" in intervals and intervals[f"{c}_offered"].sum() > 0
                  for c in TRAITS) > 1
    where = ("the service level and average queue of the walk-in and phone channels, and the email backlog in "
             "a panel of its own" if several else "the service level and the average queue")
    return [("intraday", lambda: intraday(intervals, spec["index"], threshold, name=spec["name"],
                                          thresholds=thresholds),
             f"An average working day of the baseline ({spec['name']})",
             f"Contacts offered and agents scheduled per interval (top), then {where}, each the mean over working "
             "days and replications; dips in service level show where the roster falls short of demand.")]


def _week_charts(results: SweepResults) -> list[tuple]:
    """Customers, loyalty and agents over the weeks, when the horizon is longer than a week."""
    days, m = results.days, results.manifest
    if days is None or days.empty or days["day"].nunique() <= 7:
        return []
    names, money = _shown(results, MAX_LINES), currency_of(m)
    best = _best(results.summary, m)  # among names (``_shown`` keeps it)
    banded = {s for s, name in names.items() if name == m.get("baseline") or s == best}
    whose = "every scenario" if len(names) <= 2 else "the baseline and the best scenario"
    plans = []
    for stem, wanted, title in WEEK_CHARTS:
        kpis = tuple(k for k in wanted if k in days and days.groupby("scenario")[k].nunique().max() > 1)  # it moves
        if kpis:
            plans.append((stem, lambda k=kpis, t=title: over_weeks(days, k, names, m.get("baseline"), t, money, banded),
                          title, f"Lines are means over {m['replications']} replications, with shaded 95% confidence "
                          f"bands for {whose} (by {m.get('rank_by')}); levels and counts are drawn day by day, "
                          "annualised rates pooled week by week."))
    return plans


def _tier_charts(results: SweepResults) -> list[tuple]:
    """Per-tier bars when callers come in more than one tier."""
    tiers, summary, n = results.tiers, results.summary, results.manifest["replications"]
    if tiers.empty or tiers["tier"].nunique() < 2:
        return []
    channels = channels_of(results.manifest)
    kpis: tuple[str, ...] = TIER_KPIS if len(channels) <= 1 else (
        *(f"{c}_asa_seconds" for c in channels),
        *(f"{c}_abandon_rate" for c in channels if c in TRAITS and TRAITS[c].abandons), *TIER_CUSTOMER_KPIS)
    return [(f"tiers_{k}", lambda k=k: charts.tier_comparison(tiers, summary, k),
             f"{kpi_name(k)} by customer tier",
             f"Bars are each tier's mean {_noun(k)} in each scenario over {n} replications with 95% "
             f"confidence intervals; {_direction(k)}.") for k in kpis if k in tiers]


def _distribution_charts(results: SweepResults) -> list[tuple]:
    """How customers rated the service and how frustrated they left, when the days table counted them."""
    days, baseline = results.days, results.manifest.get("baseline")
    plans = []
    for stem, columns, draw, title, whom in (
        ("csat_distribution", CSAT_COUNTS, distributions.csat_distribution, "CSAT answers by scenario",
         "served contacts by their CSAT answer"),
        ("frustration_distribution", FRUSTRATION_COUNTS, distributions.frustration_distribution,
         "Remembered frustration by scenario", "contacts that ended by the frustration they remember"),
    ):
        if days is not None and set(columns) <= set(days.columns) and days[list(columns)].to_numpy().sum() > 0:
            names = _shown(results, MAX_BARS)
            plans.append((stem, lambda d=draw, k=names: d(days, k, baseline), title,
                          f"Each bar splits the {whom}, pooled over every day and replication."))
    return plans


def _wait_chart(results: SweepResults) -> list[tuple]:
    """The distribution of waits, when contacts were recorded (phone calls only when there are channels)."""
    contacts, spec = results.contacts, _baseline(results.manifest)
    if contacts is None or contacts.empty or spec is None:
        return []
    if "channel" in contacts and contacts["channel"].nunique() > 1 and (contacts["channel"] == "phone").any():
        contacts = contacts[contacts["channel"] == "phone"]
    names = results.summary.set_index("scenario")["scenario_name"].to_dict()
    threshold = _threshold(spec)
    return [("wait_cdf", lambda: distributions.wait_cdf(contacts, threshold, "scenario", names),
             "Waits of answered calls",
             "Each curve is the share of answered calls that waited at most the time on the x axis; where a curve "
             f"crosses the dashed {threshold:g} s line is the share answered within the threshold.")]


def _shown(results: SweepResults, most: int) -> dict[int, str]:
    """Scenario index to name: every scenario when there are at most ``most``, else the baseline and the best
    by the experiment's ranking KPI."""
    summary, m = results.summary, results.manifest
    names = summary.set_index("scenario")["scenario_name"].astype(str).to_dict()
    if len(names) <= most:
        return names
    best = _best(summary, m)
    return {s: name for s, name in names.items() if name == m.get("baseline") or s == best}


def _best(summary: pd.DataFrame, manifest: dict) -> int | None:
    """The best scenario's index by the experiment's ranking KPI (None if it has no values)."""
    kpi = manifest.get("rank_by")
    if kpi is None or not _present(summary, kpi):
        return None
    return int(rank(summary, kpi, lower_is_better(kpi)).iloc[0]["scenario"])


def _present(summary: pd.DataFrame, kpi: str | None) -> bool:
    """Whether ``kpi`` was summarised and has a value for some scenario."""
    return kpi is not None and f"{kpi}_mean" in summary and summary[f"{kpi}_mean"].notna().any()


def _baseline(manifest: dict) -> dict | None:
    """The manifest's entry for the baseline scenario."""
    return next((s for s in manifest.get("scenarios", []) if s["name"] == manifest.get("baseline")), None)


def _threshold(spec: dict) -> float:
    """The service-level threshold (seconds) of a scenario in the manifest."""
    return float(spec["config"]["service_level"]["threshold"])


def _channel_thresholds(spec: dict) -> dict[str, float]:
    """Each live channel's own service-level threshold (seconds), where the scenario sets one."""
    channels = spec["config"].get("channels") or {}
    return {name: float(c["threshold"]) for name, c in channels.items()
            if isinstance(c, dict) and c.get("threshold") is not None
            and name in TRAITS and not TRAITS[name].backlog}


def _brighter(kpi: str) -> str:
    """What a brighter heatmap cell means for ``kpi``."""
    return "brighter means busier agents" if kpi == "occupancy" else "brighter is better"


def _direction(kpi: str) -> str:
    """Which way is better for ``kpi``, in words."""
    if kpi == "occupancy":
        return "higher means busier agents"
    return "lower is better" if lower_is_better(kpi) else "higher is better"


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
