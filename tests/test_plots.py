"""Charts from a small fixture sweep: each draws labelled axes, files are valid PNG and SVG, and the gallery
picks the charts each experiment shape supports."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from helpers import phone_scenario

import sim
from sim.plots import charts, charts_for, save

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"
TIERS = {"tiers": {"regular": {"share": 0.7}, "gold": {"share": 0.3, "priority": 1}}}


def sweep(tmp: Path, **experiment) -> sim.experiment.results.SweepResults:
    (tmp / "base.yaml").write_text(yaml.safe_dump(phone_scenario(horizon="6h", customers=TIERS)))
    (tmp / "experiment.yaml").write_text(yaml.safe_dump({"base": "base.yaml", "replications": 2, **experiment}))
    return sim.sweep(tmp / "experiment.yaml", tmp / "out", executor="serial")


@pytest.fixture(scope="module")
def two_factors(tmp_path_factory):
    return sweep(tmp_path_factory.mktemp("grid"), contacts=True, kpis=["service_level", "abandon_rate",
                 "asa_seconds", "occupancy", "agents_mean"],
                 grid={"agents.team.staffing": [8, 10], "channels.phone.patience.mean": ["2min", "4min"]})


def labelled(fig) -> bool:
    return all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes if ax.get_label() != "<colorbar>") and \
        bool(fig.axes[0].get_title())


def test_every_chart_has_a_title_and_labelled_axes(two_factors):
    r, x, y = two_factors, "agents.team.staffing", "channels.phone.patience.mean"
    names = r.summary.set_index("scenario")["scenario_name"]
    figures = [
        charts.heatmap(r.summary, x, y, "service_level"),
        charts.heatmap(r.summary, x, y, "asa_seconds"),
        charts.kpi_by_factor(r.summary, x, "service_level", by=y),
        charts.tradeoff(r.summary, "agents_mean", "service_level"),
        charts.scenario_bars(r.summary, "abandon_rate", r.manifest["baseline"]),
        charts.tier_comparison(r.tiers, r.summary, "asa_seconds"),
        charts.wait_cdf(r.contacts, names, 20.0),
    ]
    assert all(labelled(fig) for fig in figures)
    day = charts.intraday(r.intervals, 0, "base", 20.0)
    assert day.axes[0].get_title() and all(ax.get_ylabel() for ax in day.axes)


def test_pareto_front_keeps_only_undominated_points():
    import numpy as np

    cost = np.array([1.0, 2.0, 3.0, 2.5])
    value = np.array([0.5, 0.8, 0.9, 0.7])  # the 4th costs more than the 2nd and gives less
    assert charts.pareto_front(cost, value, cost_lower=True, value_lower=False).tolist() == [0, 1, 2]


def test_save_writes_valid_png_and_svg_and_no_temp_files(two_factors, tmp_path):
    png, svg = save(charts.heatmap(two_factors.summary, "agents.team.staffing", "channels.phone.patience.mean",
                                   "service_level"), tmp_path / "heat")
    assert png.read_bytes().startswith(PNG)
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["heat.png", "heat.svg"]


@pytest.mark.parametrize(
    ("experiment", "expected"),
    [
        ({"grid": {"agents.team.staffing": [8, 10], "channels.phone.patience.mean": ["2min", "4min"]}},
         {"heatmap_service_level", "service_level_by_factor", "tradeoff", "intraday", "tiers_asa_seconds"}),
        ({"grid": {"agents.team.staffing": [8, 9, 10]}}, {"service_level_by_factor", "tradeoff", "intraday"}),
        ({"scenarios": {"lean": {"agents.team.staffing": 8}, "rich": {"agents.team.staffing": 11}}},
         {"bars_service_level", "bars_abandon_rate", "tradeoff", "intraday"}),
    ],
    ids=["two factors", "one factor", "named scenarios"],
)
def test_gallery_picks_the_charts_an_experiment_supports(tmp_path, experiment, expected):
    results = sweep(tmp_path, **experiment)
    made = charts_for(results, tmp_path / "charts")
    stems = {Path(c["png"]).stem for c in made}
    assert expected <= stems
    assert all(Path(c["png"]).exists() and Path(c["svg"]).exists() and c["title"] and c["caption"] for c in made)


def test_wait_distribution_only_with_contact_records(two_factors, tmp_path):
    assert "wait_cdf" in {Path(c["png"]).stem for c in charts_for(two_factors, tmp_path)}


def test_plots_never_use_pyplot():
    for path in (ROOT / "sim" / "plots").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any("pyplot" in n for n in names), path
