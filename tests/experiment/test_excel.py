"""Excel out: ``run --out`` and sweeps write results.xlsx with units in the headers; the writer is shared."""

from __future__ import annotations

import pytest
import pandas as pd
import yaml
from click.testing import CliRunner
from helpers import phone_scenario

import sim
from sim.cli import cli
from sim.data.excel import unit, write_workbook


def test_units_of_result_columns():
    assert unit("asa_seconds") == "s" and unit("service_level") == "share 0-1"
    assert unit("labour_cost", "GBP") == "GBP" and unit("churn_rate") == "share per year"
    assert unit("offered") == "count" and unit("csat_mean") == ""
    assert unit("service_level_mean") == "share 0-1" and unit("asa_seconds_ci_low") == "s"


@pytest.mark.integration
def test_run_out_writes_a_workbook_with_units_in_the_headers(tmp_path):
    data = phone_scenario()
    data["output"] = {"contacts": True}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "s.yaml"), "-r", "2", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    book = pd.read_excel(tmp_path / "out" / "results.xlsx", sheet_name=None)
    assert list(book) == ["about", "summary", "intervals", "channels", "groups"]
    assert "asa_seconds (s)" in book["intervals"].columns and "service_level (share 0-1)" in book["channels"].columns
    assert len(book["intervals"]) == 8  # 8 one-hour intervals, averaged over the 2 replications
    summary = book["summary"].set_index("kpi")
    runs = pd.read_csv(tmp_path / "out" / "summary.csv").set_index("kpi")
    assert summary.loc["service_level", "mean"] == runs.loc["service_level", "mean"]
    assert (tmp_path / "out" / "contacts.csv").exists()
    assert "results.xlsx" in (tmp_path / "out" / "manifest.json").read_text()


@pytest.mark.integration
def test_a_sweep_writes_a_workbook_with_summary_and_differences(tmp_path):
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(phone_scenario(horizon="2h")))
    (tmp_path / "e.yaml").write_text(yaml.safe_dump({"base": "s.yaml", "replications": 2,
                                                     "grid": {"agents.team.staffing": [8, 10]}}))
    plan = sim.load_experiment(tmp_path / "e.yaml")
    sim.sweep(plan, tmp_path / "out", executor="serial")
    book = pd.read_excel(tmp_path / "out" / "results.xlsx", sheet_name=None)
    assert {"about", "summary", "differences", "intervals"} <= set(book)
    assert any(c.startswith("service_level_mean (share 0-1)") for c in book["summary"].columns)


def test_the_writer_cuts_nothing_silently(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", {"requirements": pd.DataFrame({"interval": [0, 1], "aht_seconds": [1, 2]}),
                                                "empty": pd.DataFrame()}, about={"made by": "test"})
    book = pd.read_excel(path, sheet_name=None)
    assert list(book) == ["about", "requirements"]
    assert list(book["requirements"].columns) == ["interval", "aht_seconds (s)"]
