"""``servsim sensitivity`` on a tiny experiment: metamorphic laws under common random numbers, the command
line end to end (files, report section, terminal), and bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from sim.cli import cli
from sim.experiment import sensitivity as sens
from sim.experiment.spec import load_experiment

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

# A four-hour phone line with the behavioural model on: 2 calls a minute, 4 min handling, 9 agents.
BASE = {"name": "tiny phone line", "horizon": "4h", "interval": "1h",
        "channels": {"phone": {"arrivals": {"rate": "2/min"},
                               "handle_time": {"dist": "exponential", "mean": "4min"},
                               "patience": {"dist": "exponential", "mean": "3min"}}},
        "agents": {"team": {"staffing": 9}}}
EXPERIMENT = {"name": "tiny", "question": "Hire two or train?", "base": "base.yaml", "baseline": "today",
              "scenarios": {"today": {}, "hire_2": {"agents.team.extra_agents": 2},
                            "train_80h": {"agents.team.training_hours": "80h",
                                          "behaviour.training.established": "80h"}},
              "replications": 2, "seed": 11}


def write(directory: Path) -> Path:
    (directory / "base.yaml").write_text(yaml.safe_dump(BASE))
    path = directory / "exp.yaml"
    path.write_text(yaml.safe_dump(EXPERIMENT, sort_keys=False))
    return path


def variant_runs(path: Path, names: list[str], option: str) -> tuple[pd.DataFrame, list]:
    chosen = sens.select(names)
    variants = sens.variant_plans(path, [], None, chosen)
    runs, failed = sens.run_variants(variants, "today", option, executor="serial")
    assert not failed
    return runs, chosen


def central(path: Path, option: str, kpi: str) -> float:
    """The difference with every coefficient at its default, from the same replications and seed."""
    from sim.experiment.executors import execute

    plan = load_experiment(path)
    tasks = [(s.scenario, r) for s in plan.scenarios if s.name in ("today", option)
             for r in plan.runs if r.scenario_index == s.index]
    rows = [{"scenario_name": plan.scenarios[o.spec.scenario_index].name, "replication": o.spec.replication,
             **o.kpis} for o in execute(tasks, "serial")]
    return sens.paired_mean(pd.DataFrame(rows), kpi, "today", option)


def test_a_coefficient_the_comparison_cannot_depend_on_has_no_swing_at_all(tmp_path):
    # Nobody is trained in today or hire_2 (training_hours 0, nothing established), so skill = skill_base
    # whatever skill_gain is (docs/model.md §6: s = skill_base + skill_gain · trained(0) and trained(0) = 0);
    # there is no customer base, so background churn never enters. Under common random numbers every run is
    # then identical to the default's, draw for draw: the differences are equal, not merely close.
    path = write(tmp_path)
    runs, chosen = variant_runs(path, ["skill_gain", "background_churn"], "hire_2")
    for kpi in ("phone_service_level", "fcr", "csat_mean"):
        at_default = central(path, "hire_2", kpi)
        table = sens.sensitivity_table(runs, at_default, kpi, "today", "hire_2", chosen)
        assert (table["diff_low"] == at_default).all() and (table["diff_high"] == at_default).all(), kpi
        assert (table["swing"] == 0).all() and not table["flips"].any(), kpi


def test_a_larger_skill_gain_makes_training_raise_first_contact_resolution_more(tmp_path):
    # Training 80 h raises skill by skill_gain · trained(80 h), and resolution rises with skill
    # (p_res = base + skill_slope · s, docs/model.md §5-6): from 0.15 to 0.45 the trained agents' skill gain
    # triples, about +2 to +7 points of resolution at the default transfer share. The untrained baseline is
    # the same run in both variants (nothing of it depends on skill_gain), so the swing is the trained
    # option's alone: expected about +4.5 points; the test asks only for its sign and at least +1.5 points.
    path = write(tmp_path)
    runs, chosen = variant_runs(path, ["skill_gain"], "train_80h")
    table = sens.sensitivity_table(runs, central(path, "train_80h", "fcr"), "fcr", "today", "train_80h", chosen)
    row = table.iloc[0]
    assert row["diff_low"] > 0 and row["diff_high"] > 0 and not row["flips"]
    assert row["swing"] > 0.015
    base = runs[runs["scenario_name"] == "today"].pivot_table(index="replication", columns="side", values="fcr")
    assert (base["low"] == base["high"]).all()  # the baseline did not move: common random numbers


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sensitivity")
    path = write(directory)
    out = directory / "out"
    result = invoke("sensitivity", path, "--out", out, "--executor", "serial", "-c", "skill_gain",
                    "-c", "background_churn", "--option", "train_80h", "--kpi", "fcr")
    return result, out


def test_the_command_writes_the_table_the_chart_and_the_report_section(cli_run):
    result, out = cli_run
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "sensitivity.csv")
    assert list(table.columns[:7]) == ["coefficient", "low", "high", "diff_low", "diff_high", "swing", "flips"]
    assert list(table["coefficient"]) == ["behaviour.learning.skill_gain", "behaviour.loyalty.background_churn"]
    assert (table["option"] == "train_80h").all() and (table["kpi"] == "fcr").all()
    assert len(pd.read_parquet(out / "sensitivity_runs.parquet")) == sens.runs_needed(2, 2)
    assert (out / "charts" / "sensitivity_tornado.png").stat().st_size > 0
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="sensitivity-to-uncertain-coefficients"' in page and "behaviour.learning.skill_gain" in page
    assert page.index("Sensitivity to uncertain coefficients") < page.index('id="charts"')
    assert "2 coefficients x 2 values x 2 scenarios x 2 replications = 16 runs" in result.output
    assert "Sensitivity: train_80h against today on first-contact resolution" in " ".join(result.output.split())
    assert "no coefficient flips the answer" in " ".join(result.output.split())


def test_a_fresh_sweep_into_the_directory_removes_the_sensitivity_files(cli_run, tmp_path):
    import json

    _, out = cli_run
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"sensitivity.csv", "sensitivity_runs.parquet", "charts/sensitivity_tornado.png"} <= set(
        manifest["report_files"])


@pytest.mark.parametrize(("args", "message"), [
    (["missing.yaml"], "missing.yaml: file not found"),
    (["exp.yaml", "-c", "skil_gain"], "--coefficient 'skil_gain': is not an uncertain coefficient"),
    (["exp.yaml", "--option", "nobody"], "--option 'nobody': no such scenario"),
    (["exp.yaml", "--kpi", "nps_typo"], "--kpi 'nps_typo': unknown KPI"),
])
def test_bad_input_is_one_line_and_exit_2_and_writes_nothing(tmp_path, monkeypatch, args, message):
    write(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["sensitivity", *args, "--executor", "serial", "-c", "skill_gain"]
                                if "-c" not in args else ["sensitivity", *args, "--executor", "serial"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0], result.output
    assert set(tmp_path.iterdir()) == before


def test_a_directory_servsim_did_not_make_is_refused(tmp_path):
    path = write(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    result = invoke("sensitivity", path, "--out", mine, "--executor", "serial", "-c", "skill_gain")
    assert result.exit_code == 2 and "not a servsim results directory" in result.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_every_executor_gives_the_same_variant_runs(tmp_path):
    # A run's result depends only on (scenario, replication, seed), so a local Dask cluster and the process
    # pool give the serial tables exactly.
    path = write(tmp_path)
    variants = sens.variant_plans(path, [], 1, sens.select(["wait_coefficient"]))
    tables = {}
    for executor in ("serial", "local", "dask"):
        runs, failed = sens.run_variants(variants, "today", "hire_2", executor=executor, jobs=2)
        assert not failed
        tables[executor] = runs.drop(columns=["wall_seconds"], errors="ignore").sort_values(
            sens.RUN_IDS, ignore_index=True)
    pd.testing.assert_frame_equal(tables["local"], tables["serial"])
    pd.testing.assert_frame_equal(tables["dask"], tables["serial"])
