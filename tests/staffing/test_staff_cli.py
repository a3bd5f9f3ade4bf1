"""``servsim staff`` and the new ``servsim erlang`` methods on the command line: output files, the written
scenario run back unchanged, and bad input as one line, exit 2, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from helpers import phone_scenario

import sim
from sim.cli import cli
from sim.config import yaml12

ROOT = Path(__file__).resolve().parents[2]
PHONE_LINE = ROOT / "configs" / "phone_line.yaml"
CENTRE = ROOT / "configs" / "service_centre.yaml"
SERVSIM = Path(sys.executable).parent / "servsim"
COLUMNS = ["day", "weekday", "interval_start", "channel", "group", "method", "arrivals", "aht_seconds", "offered_load",
           "net_fte", "net_agents", "shrinkage", "gross_fte", "gross_agents", "binding", "unmet", "reason",
           "service_level", "wait_probability", "abandon_rate", "asa_seconds", "occupancy"]


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_one_clean_error(result, names: str) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.output.lower().count("error:") == 1, result.output
    assert names in result.output, result.output


@pytest.mark.integration
def test_staff_writes_the_table_the_chart_the_manifest_and_a_runnable_scenario(tmp_path):
    out, plan = tmp_path / "out", tmp_path / "plan.yaml"
    result = invoke("staff", PHONE_LINE, "--shrinkage", 0.3, "--out", out, "--write-scenario", plan, "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    table = pd.read_csv(out / "requirements.csv", keep_default_na=False, na_values=[""])
    assert list(table.columns) == COLUMNS
    assert len(table) == 5 * 48 == len(printed["requirements"])
    assert {p.name for p in out.iterdir()} == {"requirements.csv", "results.xlsx", "manifest.json", "staffing.png", "staffing.svg"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tool"] == "servsim staff" and manifest["request"]["method"] == "mol"
    scenario = sim.load_config(plan)
    assert scenario.agents["phone_team"].staffing == table["net_agents"].tolist()
    assert plan.read_text().startswith("# Written by servsim staff")
    original = yaml12.load(PHONE_LINE.read_text())
    written = yaml12.load(plan.read_text())
    assert {k: v for k, v in written.items() if k != "agents"} == {k: v for k, v in original.items() if k != "agents"}
    ran = invoke("run", plan, "-r", 2, "--json")
    assert ran.exit_code == 0, ran.output
    assert json.loads(ran.stdout)["kpis"]["service_level"]["mean"] > 0.8


@pytest.mark.integration
def test_staff_prints_the_grid_and_the_totals(tmp_path):
    result = invoke("staff", PHONE_LINE, "--method", "sipp", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert "phone_team (phone): agents on the floor" in result.output
    assert "wed (day 2)" in result.output and "totals over the horizon" in result.output
    assert "requirements:" in result.output


@pytest.mark.integration
def test_a_rerun_may_replace_its_own_outputs_but_nothing_else(tmp_path):
    out, plan = tmp_path / "out", tmp_path / "plan.yaml"
    for _ in range(2):
        assert invoke("staff", PHONE_LINE, "--out", out, "--write-scenario", plan, "--no-chart").exit_code == 0
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    assert_one_clean_error(invoke("staff", PHONE_LINE, "--out", foreign), "not written by servsim staff")
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
    mine = tmp_path / "mine.yaml"
    mine.write_text("name: my own file\n")
    assert_one_clean_error(invoke("staff", PHONE_LINE, "--out", tmp_path / "o2", "--write-scenario", mine),
                           "not written by servsim staff")
    assert mine.read_text() == "name: my own file\n" and not (tmp_path / "o2").exists()


def test_the_source_scenario_is_never_overwritten(tmp_path):
    source = tmp_path / "line.yaml"
    source.write_text(PHONE_LINE.read_text())
    result = invoke("staff", source, "--out", tmp_path / "o", "--write-scenario", source)
    assert_one_clean_error(result, "scenario being staffed")
    assert source.read_text() == PHONE_LINE.read_text()


def write_scenario(tmp_path, data: dict) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


BAD = [
    ("target 100%", ("--target-sl", 1.0), "--target-sl 1"),
    ("shrinkage 1", ("--shrinkage", 1), "shrinkage 1 must be"),
    ("shrinkage twice", ("--shrinkage", 0.3, "--shrinkage-file", "x.csv"), "not both"),
    ("missing shrinkage file", ("--shrinkage-file", "nowhere.csv"), "nowhere.csv"),
    ("unknown group", ("--group", "nobody"), "no such agent group"),
    ("unconfigured channel", ("--channel", "email"), "not configured"),
    ("occupancy cap 0", ("--occupancy-cap", 0), "--occupancy-cap"),
    ("abandon 0", ("--target-abandon", 0), "--target-abandon"),
    ("bad method", ("--method", "guess"), "--method"),
]


@pytest.mark.parametrize(("args", "names"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, args, names):
    out = tmp_path / "out"
    result = invoke("staff", PHONE_LINE, "--out", out, *args)
    if names == "--method":  # click refuses an unknown choice itself (exit 2, usage line)
        assert result.exit_code == 2 and "guess" in result.output
    else:
        assert_one_clean_error(result, names)
    assert not out.exists()


def test_a_group_serving_no_channel_with_demand_is_refused(tmp_path):
    data = phone_scenario()
    data["channels"]["walk_in"] = {"arrivals": {"daily_volume": 0}, "handle_time": {"dist": "fixed", "value": "5min"}}
    data["agents"]["counter"] = {"channels": ["walk_in"], "staffing": 2}
    path = write_scenario(tmp_path, data)
    assert_one_clean_error(invoke("staff", path, "--group", "counter", "--out", tmp_path / "o"),
                           "which has no demand")


def test_threshold_needs_a_single_channel():
    result = invoke("staff", CENTRE, "--threshold", "20s")
    assert_one_clean_error(result, "add --channel")


def test_isa_refuses_a_channel_shared_by_groups_and_email():
    assert_one_clean_error(invoke("staff", CENTRE, "--method", "isa", "--channel", "phone"), "--method simulate")
    assert_one_clean_error(invoke("staff", CENTRE, "--method", "isa", "--channel", "email"), "backlog")


@pytest.mark.integration
def test_console_script_exits_2_with_one_line_on_bad_input(tmp_path):
    """The installed command itself, where a traceback would really reach the user."""
    bad = subprocess.run([str(SERVSIM), "staff", str(PHONE_LINE), "--shrinkage", "1", "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, timeout=3600)
    assert bad.returncode == 2 and bad.stderr.count("error:") == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().startswith("error: --shrinkage: shrinkage 1 must be") and not (tmp_path / "o").exists()


# --- servsim erlang: Erlang B and the approximations ------------------------------------------------------


def test_erlang_blocking_gives_the_fewest_circuits():
    result = invoke("erlang", "--arrival-rate", "2/min", "--aht", "4min", "--blocking", "--target-blocking", 0.01,
                    "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["agents"] == 15 and out["blocking"] < 0.01 and out["offered_load"] == pytest.approx(8.0)


@pytest.mark.parametrize(("args", "names"), [
    (("--blocking",), "--agents N or --target-blocking"),
    (("--blocking", "--agents", 9, "--patience", "3min"), "nobody waits"),
    (("--agents", 9, "--method", "gmr"), "finite patience"),
    (("--agents", 9, "--patience", "3min", "--method", "square-root"), "gmr"),
    (("--agents", 9, "--patience", "3min", "--method", "gmr", "--simulate"), "leave out --method"),
])
def test_erlang_method_misuse_is_one_clean_error(args, names):
    result = invoke("erlang", "--arrival-rate", "2/min", "--aht", "4min", *args)
    assert_one_clean_error(result, names)


def test_erlang_gmr_and_square_root_print_their_kpis():
    gmr = json.loads(invoke("erlang", "--arrival-rate", "600/h", "--aht", "4min", "--patience", "3min", "--agents", 42,
                            "--method", "gmr", "--json").stdout)
    exact = json.loads(invoke("erlang", "--arrival-rate", "600/h", "--aht", "4min", "--patience", "3min", "--agents",
                              42, "--json").stdout)
    assert abs(gmr["p_wait"] - exact["p_wait"]) < 0.03
    hw = invoke("erlang", "--arrival-rate", "600/h", "--aht", "4min", "--target-sl", 0.8, "--method", "square-root")
    assert hw.exit_code == 0 and "Halfin-Whitt" in hw.output
    wp = json.loads(invoke("erlang", "--arrival-rate", "600/h", "--aht", "4min", "--patience", "4min",
                           "--target-wait-probability", 0.2, "--json").stdout)
    assert wp["p_wait"] <= 0.2


def test_check_simulates_a_formula_plan_and_flags_what_misses(tmp_path):
    data = phone_scenario(horizon="15h", interval="1h")
    data["channels"]["phone"]["arrivals"] = {"daily_volume": 480, "profile": [0] * 9 + [3, 6, 4, 5, 2, 4] + [0] * 9}
    path = write_scenario(tmp_path, data)
    out = tmp_path / "out"
    result = invoke("staff", path, "--method", "sipp", "--check", "-r", 4, "--out", out,
                    "--write-scenario", tmp_path / "plan.yaml")
    assert result.exit_code == 0, result.output
    assert "checked by simulation" in result.output
    rows = pd.read_csv(out / "requirements.csv")
    staffed = rows[rows["net_agents"] > 0]
    assert staffed["simulated_service_level"].notna().all()
    missed = staffed["simulated_service_level"] < 0.8
    assert (staffed["unmet"] == missed).all()
    assert (out / "channels.csv").exists() and (out / "staffing.svg").exists()  # predicted against simulated
    assert "simulated (95% band)" in (out / "staffing.svg").read_text()
    assert sim.load_config(tmp_path / "plan.yaml").replications == 4
