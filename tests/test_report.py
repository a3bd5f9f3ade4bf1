"""report.html: one well-formed, self-contained page with every chart embedded, for every shipped experiment."""

from __future__ import annotations

import dataclasses
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim
from sim.cli import cli
from sim.experiment.spec import load_experiment, run_specs

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))
VOID = {"meta", "img", "br", "hr", "link", "input", "source"}


class Page(HTMLParser):
    """Collects tags, attributes and text, and checks that every opened element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack, self.errors, self.tags, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def small_sweep(path: Path, out: Path) -> Path:
    """The experiment at ``path`` cut to one day, one replication and at most three scenarios, run serially."""
    plan = load_experiment(path, ["horizon=1d", "warmup=0s"], replications=1)
    k = min(len(plan.scenarios), max(3, plan.baseline + 1))
    plan = dataclasses.replace(plan, scenarios=plan.scenarios[:k], runs=run_specs(k, 1, plan.experiment.seed))
    sim.sweep(plan, out, executor="serial")
    return out


@pytest.fixture(scope="module", params=EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def report(request, tmp_path_factory) -> Path:
    out = small_sweep(request.param, tmp_path_factory.mktemp(request.param.stem) / "results")
    result = CliRunner().invoke(cli, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert "report.html" in result.output
    return out / "report.html"


def test_report_is_well_formed_html(report):
    page = parse(report)
    assert not page.errors and not page.stack
    assert page.tags[0][0] == "html"


def test_report_is_self_contained(report):
    page = parse(report)
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe")
        for name in ("src", "href"):
            assert not attrs.get(name, "").startswith(("http:", "https:", "//", "file:")), (tag, attrs)
    images = [attrs["src"] for tag, attrs in page.tags if tag == "img"]
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    charts = list((report.parent / "charts").glob("*.png"))
    assert len(images) == len(charts)


def test_report_says_what_was_asked_how_kpis_are_defined_and_how_to_reproduce(report):
    text = " ".join(parse(report).text)
    manifest = sim.load_results(report.parent).manifest
    for needle in ("Headline findings", "KPI definitions", "Service level", "answered within the threshold",
                   "Model assumptions", "servsim sweep", manifest["baseline"], manifest["experiment_text"][:40]):
        assert needle in text


def test_report_over_weeks_embeds_the_weekly_distribution_and_money_charts(weeks_dir, tmp_path):
    out = tmp_path / "results"
    shutil.copytree(weeks_dir, out)
    result = CliRunner().invoke(cli, ["report", str(out)])
    assert result.exit_code == 0, result.output
    page = parse(out / "report.html")
    assert not page.errors and not page.stack
    titles = [attrs["alt"] for tag, attrs in page.tags if tag == "img"]
    assert len(titles) == len(list((out / "charts").glob("*.png")))
    for wanted in ("Active customers and churn over the weeks", "Customers' loyalty over the weeks",
                   "CSAT answers by scenario", "Remembered frustration by scenario", "Churn against cost per contact",
                   "An average working day"):
        assert any(t.startswith(wanted) for t in titles), wanted
    text = " ".join(page.text)
    for needle in ("Highest net value", "Lowest churn", "Lowest cost per contact", "A base of 150,000 customers",
                   "churn_rate", "net_value"):
        assert needle in text, needle
    assert "Not modelled yet" not in text


def test_report_of_older_results_without_a_days_table(weeks_dir, tmp_path):
    out = tmp_path / "results"
    shutil.copytree(weeks_dir, out)
    (out / "days.parquet").unlink()
    result = CliRunner().invoke(cli, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert not parse(out / "report.html").errors
    stems = {p.stem for p in (out / "charts").glob("*.png")}
    assert "intraday" in stems and not {s for s in stems if s.startswith("weeks_") or s.endswith("_distribution")}


def test_report_of_a_directory_that_is_not_a_sweep_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "manifest.json" in result.output
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "no such directory" in result.output
