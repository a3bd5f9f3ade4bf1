"""Charts from small fixture sweeps: every chart is titled and labelled with units, files are valid PNG and SVG
written atomically, the gallery picks the charts each experiment shape supports, and nothing uses pyplot."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import phone_scenario
from matplotlib.figure import Figure

import sim
from sim.plots import (
    charts_for, csat_distribution, frustration_distribution, heatmap, intraday, kpi_by_factor, kpi_label,
    over_weeks, pareto_front, save, scenario_bars, tier_comparison, tradeoff, varying_factors, wait_cdf,
)
from sim.plots.distributions import frustration_bin_labels, shares
from sim.plots.style import currency_of, lower_is_better

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"
TIERS = {"tiers": {"regular": {"share": 0.7}, "gold": {"share": 0.3, "priority": 1}}}
STAFF, RATE = "agents.team.staffing", "channels.phone.arrivals.rate"
GRID = {STAFF: [8, 10], RATE: ["1.5/min", "2/min"]}
KEY = ["service_level", "abandon_rate", "asa_seconds", "occupancy", "agents_mean"]


def run_sweep(tmp: Path, tiers: bool = True, **experiment) -> sim.experiment.results.SweepResults:
    """A tiny stationary experiment (4 h, 2 replications) swept serially in ``tmp``."""
    base = phone_scenario(horizon="4h", **({"customers": TIERS} if tiers else {}))
    (tmp / "base.yaml").write_text(yaml.safe_dump(base))
    (tmp / "experiment.yaml").write_text(yaml.safe_dump({"base": "base.yaml", "replications": 2, **experiment}))
    return sim.sweep(tmp / "experiment.yaml", tmp / "out", executor="serial")


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    """2 factors x 2 levels, two tiers, contacts recorded."""
    return run_sweep(tmp_path_factory.mktemp("grid"), contacts=True, kpis=KEY, grid=GRID)


@pytest.fixture(scope="module")
def gallery(grid, tmp_path_factory):
    out = tmp_path_factory.mktemp("charts")
    return out, charts_for(grid, out)


def labelled(fig: Figure) -> bool:
    """A title on the first axes and x and y labels on every plotting axes (colourbars have their own)."""
    plots = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    return bool(plots[0].get_title()) and all(ax.get_xlabel() and ax.get_ylabel() for ax in plots) and \
        all(ax.get_ylabel() for ax in bars)


@pytest.mark.integration
def test_every_chart_has_a_title_and_labelled_axes(grid):
    s = grid.summary
    names = s.set_index("scenario")["scenario_name"].to_dict()
    figures = [
        heatmap(s, STAFF, RATE, "service_level"), heatmap(s, STAFF, RATE, "asa_seconds"),
        kpi_by_factor(s, STAFF, "service_level", by=RATE), kpi_by_factor(s, RATE, "abandon_rate"),
        tradeoff(s, "agents_mean", "service_level"), scenario_bars(s, "abandon_rate", grid.manifest["baseline"]),
        tier_comparison(grid.tiers, s, "asa_seconds"), wait_cdf(grid.contacts, 20.0, names=names),
        wait_cdf(grid.contacts, 20.0, by="tier"),
    ]
    assert all(isinstance(fig, Figure) and labelled(fig) for fig in figures)


def test_intraday_has_three_panels_sharing_a_time_of_day_axis(grid):
    fig = intraday(grid.intervals, 0, 20.0, target=0.8, name="lean")
    top, middle, bottom = fig.axes[:3]
    assert "lean" in top.get_title() and all(ax.get_ylabel() for ax in fig.axes)
    assert bottom.get_xlabel() == "Time of day" and "20 s" in middle.get_ylabel()
    low, high = bottom.get_xlim()
    ticks = [bottom.xaxis.get_major_formatter()(t, 0) for t in bottom.get_xticks() if low <= t <= high]
    assert (low, high) == (0, 4) and ticks[:3] == ["00:00", "00:30", "01:00"] and ticks[-1] == "04:00"
    assert any(np.allclose(line.get_ydata(), 80) for line in middle.get_lines())  # the target


def test_intraday_skips_intervals_without_calls_and_trims_closed_hours():
    hours = np.arange(48) * 1800.0
    open_ = (hours >= 8 * 3600) & (hours < 12 * 3600)
    offered = np.where(open_, 10, 0)
    offered[18] = 0  # 09:00, open but no calls: no service level there
    intervals = pd.DataFrame({
        "scenario": 0, "replication": 0, "start_seconds": hours, "day": 0, "agents_scheduled": np.where(open_, 3, 0),
        "offered": offered, "service_level": np.where(offered > 0, 0.8, np.nan), "mean_queue_length": 0.5})
    fig = intraday(intervals, 0, 20.0)
    sl = fig.axes[1].get_lines()[0].get_ydata()
    assert len(sl) == 8 and np.isnan(sl[2]) and np.nanmax(sl) == pytest.approx(80)
    assert fig.axes[2].get_xlim() == pytest.approx((8, 12))


def test_heatmap_writes_each_value_and_keeps_brighter_for_better(grid):
    fig = heatmap(grid.summary, STAFF, RATE, "service_level")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 4 and all(t.endswith("%") for t in texts)
    assert fig.axes[0].get_xlabel() == "Staffing" and fig.axes[0].get_ylabel() == "Rate"
    asa = heatmap(grid.summary, STAFF, RATE, "asa_seconds")
    assert asa.axes[0].images[0].cmap.name.endswith("_r")
    assert not fig.axes[0].images[0].cmap.name.endswith("_r")


def test_kpi_labels_carry_units():
    assert kpi_label("service_level") == "Service level (%)"
    assert kpi_label("asa_seconds") == "Average speed of answer (s)"
    assert kpi_label("mean_wait_seconds") == "Mean wait (s)"
    assert kpi_label("abandon_rate") == "Abandonment (%)"
    assert kpi_label("occupancy") == "Occupancy (%)"
    assert kpi_label("agents_mean") == "Agents on duty (time-average)"
    assert kpi_label("agents.phone_team.extra_agents") == "Extra agents"


def test_rates_are_drawn_as_percentages(grid):
    fig = kpi_by_factor(grid.summary, STAFF, "service_level")
    drawn = fig.axes[0].get_lines()[0].get_ydata()
    expected = grid.summary.groupby(STAFF)["service_level_mean"].mean().to_numpy() * 100
    assert np.allclose(drawn, expected)


def test_pareto_front_keeps_only_undominated_points():
    cost = np.array([1.0, 2.0, 3.0, 2.5, np.nan])
    value = np.array([0.5, 0.8, 0.9, 0.7, 1.0])  # the 4th costs more than the 2nd and gives less; 5th unknown
    assert pareto_front(cost, value, cost_lower=True, value_lower=False).tolist() == [0, 1, 2]
    assert pareto_front(cost, value, cost_lower=True, value_lower=True).tolist() == [0]


def test_save_writes_valid_png_and_svg_atomically(grid, tmp_path):
    fig = heatmap(grid.summary, STAFF, RATE, "service_level")
    png, svg = save(fig, tmp_path / "sub" / "heat")
    assert png.read_bytes().startswith(PNG)
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["heat.png", "heat.svg"]
    assert not fig.axes  # the figure is released


def test_a_failed_save_leaves_no_file_behind(tmp_path, monkeypatch):
    fig = Figure()
    fig.add_subplot().plot([1, 2])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(OSError):
        save(fig, tmp_path / "chart")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.integration
def test_gallery_for_two_factors(gallery):
    out, made = gallery
    assert [Path(c["png"]).stem for c in made] == [
        "heatmap_phone_service_level", "heatmap_phone_abandon_rate", "heatmap_phone_asa_seconds",
        "heatmap_occupancy", "phone_service_level_by_staffing", "tradeoff", "intraday", "tiers_asa_seconds", "tiers_abandon_rate", "wait_cdf"]
    files_exist(out, made)


@pytest.mark.parametrize(("experiment", "expected"), [
    ({"grid": {STAFF: [8, 9, 10]}, "kpis": ["service_level", "abandon_rate", "agents_mean"]},
     ["phone_service_level_by_staffing", "phone_abandon_rate_by_staffing", "tradeoff", "intraday"]),
    ({"scenarios": {"lean": {STAFF: 8}, "rich": {STAFF: 11}}, "baseline": "rich",
      "kpis": ["service_level", "occupancy"]},
     ["bars_phone_service_level", "bars_occupancy", "tradeoff", "intraday"]),
], ids=["one factor", "named scenarios"])
@pytest.mark.integration
def test_gallery_picks_the_charts_an_experiment_supports(tmp_path, experiment, expected):
    results = run_sweep(tmp_path, tiers=False, **experiment)
    made = charts_for(results, tmp_path / "charts")
    assert [Path(c["png"]).stem for c in made] == expected
    files_exist(tmp_path / "charts", made)


def files_exist(out: Path, made: list[dict]) -> None:
    """Every chart has a title, a one-sentence caption and both files, and nothing else is in ``out``."""
    for chart in made:
        assert chart["title"] and chart["caption"].endswith(".") and chart["caption"].count(". ") == 0
        assert chart["png"].read_bytes().startswith(PNG) and chart["svg"].stat().st_size > 0
    assert len(list(out.iterdir())) == 2 * len(made)


def test_varying_factors_ignore_constant_columns(grid):
    summary = grid.summary.assign(**{"extra.constant": 1})
    columns = list(summary.columns)
    summary = summary[columns[:2] + ["extra.constant"] + columns[2:-1]]
    assert varying_factors(summary) == [STAFF, RATE]


def test_zipped_twin_factors_count_once(grid):
    summary = grid.summary.assign(**{"agents.team.twin": grid.summary[STAFF] * 10})
    columns = list(summary.columns)
    summary = summary[columns[:3] + ["agents.team.twin"] + columns[3:-1]]
    assert varying_factors(summary) == [STAFF, RATE]


# --- customers, money, channels and weeks: the loyalty experiment cut to nine days ------------------------


def panels_labelled(fig: Figure) -> bool:
    """A title on the first axes, a y label on every panel and an x label under the bottom one."""
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    bottom = min(panels, key=lambda ax: ax.get_position().y0)
    return bool(panels[0].get_title()) and all(ax.get_ylabel() for ax in panels) and bool(bottom.get_xlabel())


def scenario_names(results) -> dict[int, str]:
    return results.summary.set_index("scenario")["scenario_name"].to_dict()


@pytest.mark.integration
def test_customer_money_and_weekly_charts_are_titled_and_labelled(weeks_sweep):
    r, baseline = weeks_sweep, weeks_sweep.manifest["baseline"]
    names = scenario_names(r)
    figures = [
        over_weeks(r.days, ["active_customers_end", "churn_rate"], names, baseline),
        over_weeks(r.days, ["agents_employed", "agents_quit"], names, baseline, banded=[0]),
        csat_distribution(r.days, names, baseline), frustration_distribution(r.days, names, baseline),
        tradeoff(r.summary, "cost_per_contact", "churn_rate", currency="USD"),
        kpi_by_factor(r.summary, "agents.phone_team.training_hours", "net_value"),
        scenario_bars(r.summary, "cost_per_contact", baseline),
        intraday(r.intervals, 0, 20.0),
    ]
    assert all(panels_labelled(fig) for fig in figures)
    assert figures[4].axes[0].get_xlabel() == "Cost per contact (USD)"
    assert figures[4].axes[0].get_ylabel() == "Churn (% a year)"
    assert "EUR" in figures[5].axes[0].get_ylabel()


@pytest.mark.integration
def test_intraday_draws_live_channels_apart_from_the_email_backlog(weeks_sweep):
    fig = intraday(weeks_sweep.intervals, 0, 20.0, target=0.8, name="base", thresholds={"walk_in": 300.0})
    offered, level, queue, backlog = fig.axes[:4]
    assert [c.get_label() for c in offered.containers] == ["walk-in contacts", "phone contacts", "email contacts"]
    assert [line.get_label() for line in level.get_lines()][:2] == ["walk-in (within 5 min)", "phone (within 20 s)"]
    assert "each channel's threshold" in level.get_ylabel()
    assert [line.get_label() for line in queue.get_lines()] == ["walk-in", "phone"]
    assert "Email backlog" in backlog.get_ylabel() and len(backlog.get_lines()) == 1
    assert backlog.get_xlabel() == "Time of day" and "working day" in offered.get_title()
    assert np.nanmax(backlog.get_lines()[0].get_ydata()) > 0


def synthetic_days() -> pd.DataFrame:
    """Two identical replications of one scenario over 14 days: churn 10%/year in week 1; in week 2, 20% on
    a day with 100 customers and 40% on six days with 300; one agent quits every day."""
    rows = []
    for replication, day in product(range(2), range(14)):
        churn, customers = (0.1, 100) if day < 7 else ((0.2, 100) if day == 7 else (0.4, 300))
        rows.append({"scenario": 0, "replication": replication, "day": day, "churn_rate": churn,
                     "active_customers_end": customers, "agents_quit": 1})
    return pd.DataFrame(rows)


def test_weekly_rates_are_pooled_by_exposure_and_counts_summed_since_the_start():
    fig = over_weeks(synthetic_days(), ["churn_rate", "agents_quit"], {0: "only"})
    churn, quits = (ax.get_lines()[0] for ax in fig.axes[:2])
    pooled = (0.2 * 100 + 6 * 0.4 * 300) / (100 + 6 * 300) * 100
    assert churn.get_ydata() == pytest.approx([10.0, pooled])
    assert churn.get_xdata() == pytest.approx([0.5, 1.5])
    assert quits.get_ydata() == pytest.approx(np.arange(1, 15))
    assert quits.get_xdata() == pytest.approx(np.arange(1, 15) / 7)
    assert fig.axes[1].get_xlim() == pytest.approx((0, 2))


def test_distribution_shares_pool_days_and_replications():
    days = pd.DataFrame({"scenario": [0, 0, 1], "csat_1": [1, 0, 0], "csat_2": 0, "csat_3": 0, "csat_4": 0,
                         "csat_top": [1, 2, 0]})
    table = shares(days, ["csat_1", "csat_2", "csat_3", "csat_4", "csat_top"], [0, 1])
    assert table.loc[0].tolist() == [25.0, 0.0, 0.0, 0.0, 75.0]
    assert table.loc[1].isna().all()  # nothing to share out
    fig = csat_distribution(days, {0: "a=1", 1: "a=2"}, baseline="a=1")
    widths = [patch.get_width() for patch in fig.axes[0].patches]
    assert widths[0] == pytest.approx(25.0) and widths[-2] == pytest.approx(75.0)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["1 (baseline)", "2"]
    assert fig.axes[0].get_ylabel() == "Scenario (a)"


def test_frustration_bins_are_named_from_their_lower_edges():
    assert frustration_bin_labels() == ["0-0.1", "0.1-0.2", "0.2-0.3", "0.3-0.4", "0.4-0.6", "0.6 or more"]


@pytest.mark.integration
def test_money_and_customer_kpis_have_units_and_a_direction(weeks_sweep):
    assert kpi_label("cost_per_contact") == "Cost per contact (EUR)"
    assert kpi_label("net_value", "USD") == "Net value (USD)"
    assert kpi_label("churn_rate") == "Churn (% a year)"
    assert kpi_label("agent_attrition_rate") == "Agent attrition (% a year)"
    assert currency_of(weeks_sweep.manifest) == "EUR" and currency_of({}) == "EUR"
    lower = ("churn_rate", "agent_attrition_rate", "labour_cost", "training_cost", "hiring_cost", "cost_per_contact",
             "revenue_at_risk")
    higher = ("net_value", "loyalty_mean", "active_customers_end", "revenue")
    assert all(lower_is_better(k) for k in lower) and not any(lower_is_better(k) for k in higher)


@pytest.mark.integration
def test_gallery_for_a_customer_base_over_more_than_a_week(weeks_sweep, tmp_path):
    made = charts_for(weeks_sweep, tmp_path)
    stems = [Path(c["png"]).stem for c in made]
    # cost per contact per channel (the run's cost shared by handle time), never the blend, like every per-channel KPI
    assert {"phone_cost_per_contact_by_training_hours", "email_cost_per_contact_by_training_hours"} <= set(stems)
    assert "cost_per_contact_by_training_hours" not in stems
    assert {"churn_rate_by_training_hours", "net_value_by_training_hours",
            "tradeoff_csat_mean", "tradeoff_churn_rate", "intraday", "weeks_customers", "weeks_loyalty",
            "csat_distribution", "frustration_distribution"} <= set(stems)
    assert stems.index("intraday") < stems.index("weeks_customers") < stems.index("csat_distribution")
    # several channels: each channel's wait per tier, never the pooled one (email hours beside phone seconds)
    assert {"tiers_phone_asa_seconds", "tiers_email_asa_seconds", "tiers_phone_abandon_rate"} <= set(stems)
    assert "tiers_asa_seconds" not in stems and "tiers_email_abandon_rate" not in stems
    files_exist(tmp_path, made)
    for chart in made:
        assert ET.parse(chart["svg"]).getroot().tag.endswith("svg")


@pytest.mark.integration
def test_gallery_leaves_out_what_older_or_shorter_results_lack(weeks_sweep, tmp_path):
    channel_columns = [c for c in weeks_sweep.intervals if c.startswith(("walk_in_", "phone_", "email_"))]
    older = dataclasses.replace(weeks_sweep, days=None, intervals=weeks_sweep.intervals.drop(columns=channel_columns))
    stems = [Path(c["png"]).stem for c in charts_for(older, tmp_path / "older")]
    assert "intraday" in stems and not [s for s in stems if s.startswith("weeks_") or s.endswith("_distribution")]
    week = dataclasses.replace(weeks_sweep, days=weeks_sweep.days[weeks_sweep.days["day"] < 7])
    stems = [Path(c["png"]).stem for c in charts_for(week, tmp_path / "week")]
    assert "csat_distribution" in stems and not [s for s in stems if s.startswith("weeks_")]


@pytest.mark.integration
def test_plots_never_use_pyplot():
    for path in (ROOT / "sim" / "plots").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            assert not any(n.endswith("pyplot") for n in names), path
    code = "import sys, sim.plots; assert 'matplotlib.pyplot' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
