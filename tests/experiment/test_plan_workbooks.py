"""Excel out for ``servsim staff`` and ``servsim schedule``: results.xlsx beside the CSVs, one sheet per CSV with
the CSV's values (the expected values are the CSV files the same command wrote), a summary, units in the
headers; listed in the manifest."""

from __future__ import annotations

import pytest
import io
import json
import re
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import yaml
from click.testing import CliRunner
from helpers import phone_scenario

from sim.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scheduling"))
from schedule_helpers import write_requirement, write_shifts  # noqa: E402

UNIT = re.compile(r"^(.*) \((.+)\)$")


def sheet(book, name: str) -> tuple[list[str], pd.DataFrame]:
    """The headers as written, and the sheet's values as the CSV reader would type them."""
    rows = list(book[name].iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    bare = [UNIT.sub(r"\1", h) for h in headers]
    frame = pd.DataFrame(rows[1:], columns=bare)
    return headers, pd.read_csv(io.StringIO(frame.to_csv(index=False)))


def assert_sheet_is_csv(book, name: str, csv: Path, units: dict[str, str]) -> None:
    headers, values = sheet(book, name)
    expected = pd.read_csv(csv)
    pd.testing.assert_frame_equal(values, expected, check_dtype=False)
    for column, unit in units.items():
        assert f"{column} ({unit})" in headers, (name, column, headers)


def test_staff_writes_a_workbook_with_the_csv_values_and_units(tmp_path):
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(phone_scenario()))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["staff", str(tmp_path / "s.yaml"), "--target-sl", "0.8", "--threshold", "20s",
                                      "--shrinkage", "0.25", "--check", "-r", "2", "-j", "1", "--no-chart",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    assert book.sheetnames == ["about", "summary", "requirements", "channels"]
    assert_sheet_is_csv(book, "requirements", out / "requirements.csv",
                        {"aht_seconds": "s", "offered_load": "Erlang", "net_agents": "agents", "gross_fte": "agents",
                         "shrinkage": "share 0-1", "service_level": "share 0-1", "asa_seconds": "s",
                         "simulated_service_level_ci_low": "share 0-1"})
    assert_sheet_is_csv(book, "channels", out / "channels.csv", {"offered": "count", "simulated_asa_seconds": "s"})
    headers, summary = sheet(book, "summary")
    assert "net_agent_hours (agent-hours)" in headers and "peak_net_agents (agents)" in headers
    table = pd.read_csv(out / "requirements.csv")  # 1-hour intervals: agent-hours are the sum of agents
    assert summary.loc[0, "net_agent_hours"] == table["net_agents"].sum()
    assert summary.loc[0, "gross_agent_hours"] == table["gross_agents"].sum()
    assert summary.loc[0, "peak_net_agents"] == table["net_agents"].max()
    about = dict(book["about"].iter_rows(min_row=2, values_only=True))
    assert about["method"] == "mol" and about["shrinkage"] == "25%"
    assert "results.xlsx" in json.loads((out / "manifest.json").read_text())["files"]


SHIFTS = {"day": {"start": {"earliest": "06:00", "latest": "12:00", "step": "1h"}, "length": "8h",
                  "cost_per_shift": 1,
                  "breaks": [{"name": "lunch", "duration": "30min", "paid": False, "window": ["3.5h", "4.5h"]}]}}


@pytest.mark.integration
def test_schedule_writes_a_workbook_of_its_csvs_with_a_summary(tmp_path):
    req = write_requirement(tmp_path / "req.csv", [[11 if 12 <= k < 40 else 0 for k in range(48)]], 30)
    shifts = write_shifts(tmp_path / "shifts.yaml", SHIFTS)
    scenario = {"name": "queue", "horizon": "1d", "interval": "30min", "seed": 11,
                "channels": {"phone": {"arrivals": {"daily_volume": 1680, "profile": [0] * 12 + [1] * 28 + [0] * 8},
                                       "handle_time": {"dist": "exponential", "mean": "4min"},
                                       "patience": "none", "redial": None}},
                "agents": {"team": {"staffing": 0}}, "behaviour": "off", "money": {"currency": "GBP"}}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(scenario))
    out = tmp_path / "plan"
    result = CliRunner().invoke(cli, ["schedule", str(req), "--shifts", str(shifts), "--evaluate",
                                      str(tmp_path / "s.yaml"), "-r", "2", "--jobs", "1", "--no-charts",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    assert book.sheetnames == ["about", "summary", "shifts", "coverage", "evaluation", "runs", "refined"]
    assert_sheet_is_csv(book, "shifts", out / "shifts.csv", {"count": "agents", "paid_hours": "h"})
    assert_sheet_is_csv(book, "coverage", out / "coverage.csv", {"required": "agents", "on_floor": "agents"})
    assert_sheet_is_csv(book, "evaluation", out / "evaluation.csv",
                        {"service_level": "share 0-1", "asa_seconds": "s", "offered": "count"})
    assert_sheet_is_csv(book, "runs", out / "evaluation_runs.csv", {"labour_cost": "GBP", "aht_seconds": "s"})
    assert_sheet_is_csv(book, "refined", out / "requirements_refined.csv", {"added": "agents"})
    _, summary = sheet(book, "summary")
    numbers = summary.set_index("item")
    written = json.loads((out / "summary.json").read_text())
    for item in ("headcount", "paid_hours", "cost", "on_floor_hours", "under_hours", "short_intervals"):
        assert numbers.loc[item, "value"] == written[item], item
    assert numbers.loc["paid_hours", "unit"] == "h" and numbers.loc["on_floor_hours", "unit"] == "agent-hours"
    assert "results.xlsx" in json.loads((out / "manifest.json").read_text())["files"]
