"""The ``servsim`` command line: help, output shapes, results directories, and one clean message for bad input.

Most cases go through click's ``CliRunner``; a few run the installed console
script in a subprocess, where a traceback would really reach the user.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from sim.cli import cli
from sim.metrics import KPIS

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted((ROOT / "configs").glob("*.yaml"))
BENCHMARK = ROOT / "configs" / "erlang_a_benchmark.yaml"  # interval 1h, warm-up 2h, seed 1
SHORT = ("--set", "horizon=12h", "-r", "2")
SERVSIM = Path(sys.executable).parent / "servsim"
RUN_JSON_KEYS = {
    "scenario", "replications", "seed", "service_level_definition", "service_level_threshold_seconds", "stability",
    "channels", "kpis",
}
RESULT_FILES = {"manifest.json", "runs.csv", "summary.csv", "intervals.parquet", "days.csv", "weeks.csv", "tiers.csv",
                "channels.csv", "issues.csv", "groups.csv", "results.xlsx"}
ERLANG_9 = ("erlang", "--arrival-rate", "2/min", "--aht", "4min", "--patience", "3min")
INTERVAL_KEYS = {"mean", "ci_low", "ci_high"}


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def servsim(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([str(SERVSIM), *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=3600)


def ok_json(*args: object) -> dict:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_one_clean_error(exit_code: int, output: str, exception: BaseException | None, names: str) -> None:
    """Exit status 2, exactly one ``error:`` line naming ``names``, and no traceback."""
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert exit_code == 2, output
    assert "Traceback" not in output
    assert output.lower().count("error:") == 1, output
    assert names in output, output


def scenario_with(**top) -> dict:
    data = yaml.safe_load(BENCHMARK.read_text())
    data.update(top)
    return data


BAD_FILES = {
    "missing file": None,
    "empty file": "",
    "invalid YAML": "horizon: [1h,\n",
    "top level not a mapping": "- horizon\n- interval\n",
    "unknown key": yaml.safe_dump(scenario_with(colour="blue")),
    "negative duration": yaml.safe_dump(scenario_with(horizon="-3h")),
    "infinite duration": yaml.safe_dump(scenario_with(horizon=math.inf)),  # horizon: .inf
}
# What the one message must name, for each bad file.
BAD_FILE_NAMES = {
    "missing file": "not found",
    "empty file": "empty",
    "invalid YAML": "not valid YAML",
    "top level not a mapping": "mapping",
    "unknown key": "colour",
    "negative duration": "horizon",
    "infinite duration": "horizon",
}


@pytest.fixture
def bad_file(tmp_path):
    """Write the named bad scenario file (or none, for 'missing file') and return its path."""
    def write(kind: str) -> Path:
        path = tmp_path / "scenario.yaml"
        if BAD_FILES[kind] is not None:
            path.write_text(BAD_FILES[kind])
        return path
    return write


# --- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_help_shows_an_example(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and f"servsim {command}" in result.output


# --- run ---------------------------------------------------------------------------------------


def test_run_prints_the_kpi_table():
    result = invoke("run", BENCHMARK, *SHORT)
    assert result.exit_code == 0, result.output
    assert "M/M/9+M" in result.output and "95% interval" in result.output
    for kpi in ("service_level", "asa_seconds", "abandon_rate", "occupancy"):
        assert kpi in result.output


def test_run_json_has_stable_keys():
    out = ok_json("run", BENCHMARK, *SHORT)
    assert set(out) == RUN_JSON_KEYS
    assert (out["replications"], out["seed"]) == (2, 1)
    assert out["service_level_definition"] == "offered" and out["service_level_threshold_seconds"] == 20
    assert set(out["kpis"]) == set(KPIS)
    assert all(set(v) == INTERVAL_KEYS for v in out["kpis"].values())
    assert out["kpis"]["service_level"]["ci_low"] <= out["kpis"]["service_level"]["ci_high"]


@pytest.mark.integration
def test_run_set_changes_the_results_but_not_the_customers():
    base = ok_json("run", BENCHMARK, *SHORT)["kpis"]
    more = ok_json("run", BENCHMARK, *SHORT, "--set", "agents.agents.staffing=12")["kpis"]
    assert more["service_level"]["mean"] != base["service_level"]["mean"]
    assert more["offered"] == base["offered"]  # same seed: same arrivals


def test_run_out_writes_a_complete_results_directory_without_temp_files(tmp_path):
    out = tmp_path / "results" / "bench"
    result = invoke("run", BENCHMARK, *SHORT, "--out", out)
    assert result.exit_code == 0, result.output
    assert set(p.name for p in out.iterdir()) == RESULT_FILES  # no leftover .name.XXXX temp files
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["name"] == "M/M/9+M (Erlang A check)"
    assert manifest["root_seed"] == 1 and manifest["servsim_version"]
    assert len(pd.read_csv(out / "runs.csv")) == 2
    assert set(pd.read_parquet(out / "intervals.parquet")["replication"]) == {0, 1}


@pytest.mark.parametrize("kind", ["missing file", "invalid YAML", "negative duration"])
def test_failing_run_out_does_not_create_the_directory(tmp_path, bad_file, kind):
    out = tmp_path / "never"
    result = invoke("run", bad_file(kind), "--out", out)
    assert result.exit_code == 2
    assert not out.exists()


# --- validate and schema -----------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=[c.name for c in CONFIGS])
def test_validate_accepts_every_shipped_config(config):
    result = invoke("validate", config)
    assert result.exit_code == 0, result.output
    assert ": ok (" in result.output


def test_schema_prints_a_json_schema_of_scenario_files():
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert {"channels", "agents", "horizon"} <= set(schema["properties"])


# --- erlang ------------------------------------------------------------------------------------


def test_erlang_with_agents_prints_a_table_and_json():
    table = invoke(*ERLANG_9, "--agents", 9)
    assert table.exit_code == 0 and "Erlang A" in table.output
    out = ok_json(*ERLANG_9, "--agents", 9)
    assert out["agents"] == 9
    assert {"p_wait", "service_level_offered", "asa_seconds", "abandon_rate", "occupancy"} <= set(out)
    assert 0 <= out["p_wait"] <= 1 and 0 <= out["service_level_offered"] <= 1


def test_erlang_target_sl_returns_the_fewest_agents_reaching_it():
    out = ok_json(*ERLANG_9, "--target-sl", 0.8)
    assert out["service_level_offered"] >= 0.8
    one_fewer = ok_json(*ERLANG_9, "--agents", out["agents"] - 1)
    assert one_fewer["service_level_offered"] < 0.8


@pytest.mark.integration
def test_erlang_simulate_json_puts_analytic_beside_simulated_intervals():
    out = ok_json(*ERLANG_9, "--agents", 9, "--simulate", "--horizon", "20h", "--replications", 3)
    assert set(out) == {"analytic", "simulated"}
    assert out["analytic"]["agents"] == 9
    assert set(out["simulated"]) == set(out["analytic"]) - {"agents"}
    for kpi, interval in out["simulated"].items():
        assert set(interval) == INTERVAL_KEYS, kpi
        assert interval["ci_low"] <= interval["mean"] <= interval["ci_high"], kpi


def test_erlang_simulate_accepts_a_warmup_that_is_not_a_whole_number_of_hours():
    """--warmup is documented only as 'left out of the statistics'; 30min is a reasonable warm-up."""
    result = invoke(*ERLANG_9, "--agents", 9, "--simulate", "--horizon", "20h", "--warmup", "30min", "-r", 2, "--json")
    assert result.exit_code == 0, result.output


# --- bad input: exit 2, one message, no traceback ----------------------------------------------


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_scenario_file_gives_one_clean_error(bad_file, command, kind):
    result = invoke(command, bad_file(kind))
    assert_one_clean_error(result.exit_code, result.output, result.exception, BAD_FILE_NAMES[kind])


BAD_OPTIONS = [
    ("bad --set syntax", ("run", BENCHMARK, "--set", "agents"), "--set"),
    ("--set below a single value", ("run", BENCHMARK, "--set", "horizon.x=1"), "--set"),
    ("--set to a bad value", ("run", BENCHMARK, "--set", "agents.agents.staffing=-1"), "agents.agents.staffing"),
    ("bad --arrival-rate", ("erlang", "--arrival-rate", "lots", "--aht", "4min", "--agents", 9), "--arrival-rate"),
    ("zero --arrival-rate", ("erlang", "--arrival-rate", "0/h", "--aht", "4min", "--agents", 9), "--arrival-rate"),
    ("bad --aht", ("erlang", "--arrival-rate", "2/min", "--aht", "-4min", "--agents", 9), "--aht"),
    ("erlang with neither agents nor target", ("erlang", "--arrival-rate", "2/min", "--aht", "4min"), "--agents"),
    ("erlang with both agents and target", (*ERLANG_9, "--agents", 9, "--target-sl", 0.8), "--agents"),
    ("erlang --simulate warm-up past horizon",
     (*ERLANG_9, "--agents", 9, "--simulate", "--horizon", "1h", "--warmup", "2h"), "--warmup"),
]


@pytest.mark.parametrize(("args", "names"), [c[1:] for c in BAD_OPTIONS], ids=[c[0] for c in BAD_OPTIONS])
def test_bad_option_gives_one_clean_error(args, names):
    result = invoke(*args)
    assert_one_clean_error(result.exit_code, result.output, result.exception, names)


def test_a_valid_scenario_with_a_tiny_horizon_does_not_crash():
    """Any horizon > 0 validates, so it must either run or be rejected with a message: never a crash."""
    result = invoke("run", BENCHMARK, "--set", "horizon=1e-6s", "--set", "warmup=0", "-r", 1)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 2), result.output


# --- the installed console script --------------------------------------------------------------


@pytest.mark.integration
def test_console_script_runs_and_prints_json():
    proc = servsim("run", BENCHMARK, *SHORT, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == RUN_JSON_KEYS
    assert math.isfinite(out["kpis"]["service_level"]["mean"])


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (("run", "no/such/scenario.yaml"), "no/such/scenario.yaml"),
        (("run", BENCHMARK, "--set", "horizon=.inf"), "horizon"),
        (("erlang", "--arrival-rate", "2/min", "--aht", "4min"), "--agents"),
    ],
    ids=["missing file", "infinite horizon", "erlang without agents or target"],
)
def test_console_script_bad_input_exits_2_with_one_message_on_stderr(args, names):
    proc = servsim(*args)
    assert proc.stdout == ""
    assert_one_clean_error(proc.returncode, proc.stderr, None, names)
