"""Sweeps of a tiny experiment: common random numbers, identical tables on every executor, the results
directory, resume after kill -9, failure isolation, and the ``sweep`` / ``validate`` commands.

The base scenario is a small stationary phone line (2 calls/min, 4 min handling, 3 min patience) over
4 hours, so every run takes a few hundredths of a second.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import sim
import sim.experiment.executors as executors
from sim.cli import cli
from sim.errors import InputError
from helpers import phone_scenario

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

# Waits on subprocesses only catch a hang: a loaded machine (CI shares 2 cores) can take many minutes for
# what takes seconds when idle, and a test must never fail by chance.
WAIT_LIMIT = 3600

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))
SERVSIM = Path(sys.executable).parent / "servsim"
STAFFING = "agents.team.staffing"
PATIENCE = "channels.phone.patience.mean"
BASE = phone_scenario(name="tiny phone line", horizon="4h")
# 6 scenarios x 4 replications; the baseline is the first scenario (8 agents, 3 min patience).
TINY = {"name": "tiny", "grid": {STAFFING: [8, 9, 10], PATIENCE: ["3min", "6min"]}, "replications": 4, "seed": 7}
# 3 scenarios x 3 replications, for the failure and command-line cases.
SMALL = {"name": "small", "grid": {STAFFING: [8, 9, 10]}, "replications": 3, "seed": 7}
# 48 runs: long enough (a few seconds) to be interrupted.
RESUMABLE = {"name": "resumable", "grid": {STAFFING: [8, 9, 10]}, "replications": 16, "seed": 3}
TOP_FILES = {"manifest.json", "runs.parquet", "intervals.parquet", "tiers.parquet", "days.parquet", "weeks.parquet",
             "channels.parquet", "issues.parquet", "groups.parquet", "summary.csv",
             "differences.csv", "runs", "results.xlsx"}
CLI_FILES = TOP_FILES | {"charts", "report.html"}  # the CLI also draws the charts and writes the report

UNDEFINED_WITHOUT_BEHAVIOUR = {  # these scenarios run with behaviour off and no customer base
    "frustration_mean", "fcr", "csat_mean", "csat_top_box", "csat_surveyed_mean", "nps", "defection_rate",
    "churn_rate", "loyalty_mean",
}


def write_experiment(directory: Path, filename: str = "experiment.yaml", **fields) -> Path:
    """``base.yaml`` (the tiny phone line) and an experiment file using it, in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "base.yaml").write_text(yaml.safe_dump(BASE))
    path = directory / filename
    path.write_text(yaml.safe_dump({"base": "base.yaml", **fields}, sort_keys=False))
    return path


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def servsim(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(SERVSIM), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=WAIT_LIMIT)


def comparable(results) -> dict[str, pd.DataFrame]:
    """The tables that must not depend on how or when the runs were executed, in a fixed order."""
    runs = results.runs.drop(columns="wall_seconds").sort_values(["scenario", "replication"], ignore_index=True)
    intervals = results.intervals.sort_values(["scenario", "replication", "interval"], ignore_index=True)
    days = results.days.sort_values(["scenario", "replication", "day"], ignore_index=True)
    return {"runs": runs, "intervals": intervals, "days": days, "summary": results.summary,
            "differences": results.differences}


def assert_same_tables(actual, expected) -> None:
    for name, frame in comparable(expected).items():
        pd.testing.assert_frame_equal(comparable(actual)[name], frame, obj=name)


def done_parts(out: Path) -> list[Path]:
    """The marker files of finished runs."""
    return [p for p in (out / "runs").glob("s*_r*.json") if not p.name.endswith(".error.json")]


def file_identities(out: Path, keys: set[str]) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every part file of the runs ``keys``: a rewritten file changes both."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (out / "runs").iterdir() if p.name.split(".")[0] in keys}


def run_keys(out: Path) -> set[str]:
    return {p.name.removesuffix(".json") for p in done_parts(out)}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny experiment swept once in this process: (plan, results directory, results)."""
    directory = tmp_path_factory.mktemp("reference")
    plan = sim.load_experiment(write_experiment(directory, **TINY))
    out = directory / "results"
    return plan, out, sim.sweep(plan, out, executor="serial")


@pytest.fixture(scope="module")
def dask_scheduler():
    """A one-worker, in-process Dask cluster's scheduler address."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def failing(monkeypatch):
    """``failing(n)`` makes every run of the scenario with ``n`` agents raise, at run time."""
    def install(staffing: int) -> None:
        real = executors.simulate

        def simulate(scenario, replication, seed):
            if scenario.agents["team"].staffing == [staffing]:
                raise RuntimeError(f"injected failure with {staffing} agents")
            return real(scenario, replication, seed)

        monkeypatch.setattr(executors, "simulate", simulate)
    return install


def staffing_comparisons(plan) -> list[int]:
    """Scenarios that differ from the baseline only in staffing."""
    base = plan.scenarios[plan.baseline].factors
    return [s.index for s in plan.scenarios
            if s.index != plan.baseline and s.factors[PATIENCE] == base[PATIENCE]]


# --- common random numbers ---------------------------------------------------------------------


def test_every_scenario_sees_the_same_callers_in_each_replication(reference):
    runs = reference[2].runs
    assert (runs.groupby("replication")["offered"].nunique() == 1).all()
    # ... and the replications really are different days
    assert (runs.groupby("scenario")["offered"].nunique() == runs["replication"].nunique()).all()


def test_more_agents_do_not_wait_longer_on_average(reference):
    runs = reference[2].runs
    mean_wait = runs.groupby([PATIENCE, STAFFING])["mean_wait_seconds"].mean()
    for patience in runs[PATIENCE].unique():
        assert mean_wait[patience].sort_index().is_monotonic_decreasing, mean_wait[patience]


@pytest.mark.parametrize(("kpi", "sign"), [("mean_wait_seconds", -1), ("service_level", +1), ("p_wait", -1)])
def test_paired_differences_against_fewer_agents_have_the_expected_sign(reference, kpi, sign):
    plan, _, results = reference
    diffs = results.differences.set_index(["kpi", "scenario"])
    for index in staffing_comparisons(plan):
        assert sign * diffs.loc[(kpi, index), "diff_mean"] > 0, plan.scenarios[index].name


@pytest.mark.parametrize("kpi", ["mean_wait_seconds", "service_level", "abandon_rate"])
def test_common_random_numbers_narrow_the_staffing_comparison(reference, kpi):
    plan, _, results = reference
    diffs = results.differences.set_index(["kpi", "scenario"])
    for index in staffing_comparisons(plan):
        row = diffs.loc[(kpi, index)]
        paired_half_width = (row["diff_ci_high"] - row["diff_ci_low"]) / 2
        assert paired_half_width < row["independent_half_width"], plan.scenarios[index].name


# --- same tables whatever executes the runs ----------------------------------------------------

EXECUTORS = [
    ("local processes", "local", 2, False),
    ("dask local cluster", "dask", 2, False),
    ("dask scheduler address", "dask", None, True),
]


@pytest.mark.parametrize(("executor", "jobs", "own_scheduler"), [e[1:] for e in EXECUTORS],
                         ids=[e[0] for e in EXECUTORS])
def test_every_executor_gives_the_serial_tables(reference, tmp_path, request, executor, jobs, own_scheduler):
    plan, _, expected = reference
    scheduler = request.getfixturevalue("dask_scheduler") if own_scheduler else None
    results = sim.sweep(plan, tmp_path / "out", executor=executor, jobs=jobs, scheduler=scheduler)
    assert results.manifest["failures"] == []
    assert_same_tables(results, expected)


@pytest.mark.parametrize("jobs", [1, 2])
def test_unknown_executor_is_refused(tmp_path, jobs):
    plan = sim.load_experiment(write_experiment(tmp_path, **{**SMALL, "replications": 1}))
    with pytest.raises(InputError, match="executor"):
        sim.sweep(plan, tmp_path / "out", executor="threads", jobs=jobs)


# --- the results directory ---------------------------------------------------------------------


def test_results_directory_has_the_tables_the_parts_and_no_temp_files(reference):
    plan, out, _ = reference
    assert {p.name for p in out.iterdir()} == TOP_FILES
    assert not [p for p in out.rglob(".*")], "temporary files left behind"
    expected_parts = {f"{run.key}{suffix}" for run in plan.runs
                      for suffix in (".json", ".intervals.parquet", ".tiers.parquet", ".days.parquet", ".weeks.parquet",
                                     ".channels.parquet", ".issues.parquet", ".groups.parquet")}
    assert {p.name for p in (out / "runs").iterdir()} == expected_parts


def test_manifest_describes_the_finished_sweep(reference):
    plan, out, results = reference
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest == results.manifest
    assert manifest["status"] == "complete"
    assert manifest["fingerprint"] == plan.fingerprint
    assert manifest["failures"] == []
    assert manifest["root_seed"] == TINY["seed"] and manifest["replications"] == TINY["replications"]
    assert manifest["servsim_version"] == sim.__version__
    assert manifest["runs_planned"] == len(plan.runs) == 24
    assert [s["name"] for s in manifest["scenarios"]] == [s.name for s in plan.scenarios]
    assert [s["factors"] for s in manifest["scenarios"]] == [s.factors for s in plan.scenarios]
    assert manifest["baseline"] == plan.scenarios[plan.baseline].name


def test_load_results_gives_back_the_same_tables(reference):
    _, out, results = reference
    loaded = sim.load_results(out)
    for name in ("runs", "intervals", "tiers", "days", "summary", "differences"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(results, name), obj=name)
    assert loaded.contacts is None
    assert loaded.manifest == results.manifest


def test_runs_and_intervals_tables_cover_every_run_once(reference):
    plan, _, results = reference
    pairs = list(zip(results.runs["scenario"], results.runs["replication"]))
    assert sorted(pairs) == sorted((r.scenario_index, r.replication) for r in plan.runs)
    assert {STAFFING, PATIENCE, "scenario_name", "wall_seconds"} <= set(results.runs.columns)
    n_intervals = plan.scenarios[0].scenario.n_intervals
    assert (results.intervals.groupby(["scenario", "replication"]).size() == n_intervals).all()
    assert len(results.intervals) == len(plan.runs) * n_intervals


def test_days_table_has_every_kpi_and_the_answer_counts_for_each_day_of_each_run(reference):
    plan, _, results = reference
    days = results.days
    assert len(days) == len(plan.runs) and (days["day"] == 0).all()  # one 4-hour day per run
    assert {"service_level", "churn_rate", "net_value", "csat_1", "csat_top", "frustration_0", "frustration_5"} \
        <= set(days.columns)
    totals = days.groupby(["scenario", "replication"])["offered"].sum()
    assert (totals == results.runs.set_index(["scenario", "replication"])["offered"]).all()


def test_intervals_table_has_per_channel_columns(reference):
    intervals = reference[2].intervals
    assert (intervals["phone_offered"] == intervals["offered"]).all()
    assert intervals["phone_mean_queue_length"].to_numpy() == pytest.approx(intervals["mean_queue_length"].to_numpy())
    answered = intervals["offered"] > 0
    assert intervals.loc[answered, "phone_service_level"].to_numpy() == \
        pytest.approx(intervals.loc[answered, "service_level"].to_numpy(), nan_ok=True)


def test_results_without_a_days_table_still_load(reference, tmp_path):
    _, out, _ = reference
    older = tmp_path / "older"
    shutil.copytree(out, older)
    (older / "days.parquet").unlink()
    assert sim.load_results(older).days is None


def test_summary_has_one_row_per_scenario_with_intervals_for_every_kpi(reference):
    plan, out, _ = reference
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary["scenario"]) == [s.index for s in plan.scenarios]
    assert list(summary["scenario_name"]) == [s.name for s in plan.scenarios]
    assert (summary["replications"] == TINY["replications"]).all()
    for kpi in plan.experiment.kpis:
        low, mean, high = (summary[f"{kpi}_{part}"] for part in ("ci_low", "mean", "ci_high"))
        if kpi in UNDEFINED_WITHOUT_BEHAVIOUR:
            assert mean.isna().all()
            continue
        assert ((low <= mean) & (mean <= high)).all(), kpi


def test_baseline_differs_from_itself_by_exactly_zero(reference):
    plan, out, _ = reference
    differences = pd.read_csv(out / "differences.csv")
    assert len(differences) == len(plan.scenarios) * len(plan.experiment.kpis)
    own = differences[differences["scenario"] == plan.baseline]
    assert set(own["kpi"]) == set(plan.experiment.kpis)
    defined = own[~own["kpi"].isin(UNDEFINED_WITHOUT_BEHAVIOUR)]
    assert (defined[["diff_mean", "diff_ci_low", "diff_ci_high"]] == 0).all().all()
    assert (differences[~differences["kpi"].isin(UNDEFINED_WITHOUT_BEHAVIOUR)]["pairs"] == TINY["replications"]).all()


# --- resume ------------------------------------------------------------------------------------


def test_sweep_killed_with_sigkill_resumes_without_redoing_finished_runs(tmp_path):
    path = write_experiment(tmp_path, **RESUMABLE)
    plan = sim.load_experiment(path)
    out = tmp_path / "interrupted"
    process = subprocess.Popen([str(SERVSIM), "sweep", str(path), "--out", str(out), "--jobs", "1", "--no-report"],
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + WAIT_LIMIT
        while len(done_parts(out)) < 2:
            assert process.poll() is None, "the sweep finished before it could be interrupted"
            assert time.monotonic() < deadline, "no run finished within an hour"
            time.sleep(0.005)
        process.send_signal(signal.SIGSTOP)  # frozen where it is: however loaded the machine, it cannot finish now
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    finished = run_keys(out)
    assert 2 <= len(finished) < len(plan.runs), "kill -9 came too late to test resuming"
    before = file_identities(out, finished)

    resumed = servsim("sweep", path, "--out", out, "--jobs", "1", "--resume", "--no-report", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr

    assert file_identities(out, finished) == before  # finished runs were not recomputed
    results = sim.load_results(out)
    assert results.manifest["status"] == "complete" and results.manifest["failures"] == []
    pairs = list(zip(results.runs["scenario"], results.runs["replication"]))
    assert sorted(pairs) == sorted((r.scenario_index, r.replication) for r in plan.runs)
    sim.sweep(plan, tmp_path / "uninterrupted", executor="serial")
    assert_same_tables(results, sim.load_results(tmp_path / "uninterrupted"))


def test_resuming_a_complete_sweep_recomputes_nothing(tmp_path):
    plan = sim.load_experiment(write_experiment(tmp_path, **SMALL))
    out = tmp_path / "out"
    first = sim.sweep(plan, out, executor="serial")
    before = file_identities(out, run_keys(out))
    starts, outcomes = [], []
    again = sim.sweep(plan, out, executor="serial", resume=True, on_start=lambda *a: starts.append(a),
                      on_outcome=outcomes.append)
    assert starts == [(len(plan.runs), len(plan.runs))]
    assert outcomes == []
    assert file_identities(out, run_keys(out)) == before
    assert_same_tables(again, first)


@pytest.mark.parametrize(
    ("edit", "options"),
    [({"seed": 8}, ()), ({}, ("--replications", 2)), ({}, ("--set", f"{PATIENCE}=5min"))],
    ids=["seed changed in the file", "--replications", "--set"],
)
def test_resume_of_a_different_experiment_is_refused(tmp_path, edit, options):
    path = write_experiment(tmp_path, **SMALL)
    out = tmp_path / "out"
    sim.sweep(path, out, executor="serial")
    before = {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*")}
    write_experiment(tmp_path, **{**SMALL, **edit})
    result = invoke("sweep", path, "--out", out, "--resume", "--executor", "serial", *options)
    assert result.exit_code == 2, result.output
    assert "different experiment" in result.stderr
    assert {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*")} == before


# --- failure isolation -------------------------------------------------------------------------


@pytest.mark.parametrize("staffing", [9, 8], ids=["another scenario", "the baseline"])
def test_a_scenario_failing_at_run_time_does_not_stop_the_sweep(tmp_path, failing, staffing):
    plan = sim.load_experiment(write_experiment(tmp_path, **SMALL))
    bad = next(s.index for s in plan.scenarios if s.factors[STAFFING] == staffing)
    failing(staffing)
    results = sim.sweep(plan, tmp_path / "out", executor="serial")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "complete_with_failures"  # every planned run is on disk, three as failures
    assert (manifest["runs_planned"], manifest["runs_done"], manifest["runs_failed"]) == (9, 6, 3)
    failures = manifest["failures"]
    assert sorted((f["scenario"], f["replication"]) for f in failures) == [(bad, r) for r in range(3)]
    assert all(f"injected failure with {staffing} agents" in f["error"] for f in failures)
    good = {(s.index, r) for s in plan.scenarios for r in range(3) if s.index != bad}
    assert set(zip(results.runs["scenario"], results.runs["replication"])) == good
    assert set(results.intervals["scenario"]) == {s for s, _ in good}


def test_resume_retries_only_the_failed_runs(tmp_path, failing, monkeypatch):
    plan = sim.load_experiment(write_experiment(tmp_path, **SMALL))
    out = tmp_path / "out"
    failing(9)
    sim.sweep(plan, out, executor="serial")
    survivors = run_keys(out)
    before = file_identities(out, survivors)
    monkeypatch.undo()
    outcomes = []
    results = sim.sweep(plan, out, executor="serial", resume=True, on_outcome=outcomes.append)
    assert sorted(o.spec.key for o in outcomes) == sorted(r.key for r in plan.runs if r.key not in survivors)
    assert results.manifest["failures"] == []
    assert len(results.runs) == len(plan.runs)
    assert file_identities(out, survivors) == before
    assert not list((out / "runs").glob("*.error.json"))


def test_cli_exits_1_and_counts_the_failed_runs(tmp_path, failing):
    path = write_experiment(tmp_path, **SMALL)
    out = tmp_path / "out"
    failing(9)
    result = invoke("sweep", path, "--out", out, "--executor", "serial", "--no-report")
    assert result.exit_code == 1, result.output
    assert "3 of 9 runs failed" in result.stderr
    assert f"results: {out}/" in result.stdout
    assert "Traceback" not in result.output


# --- the sweep and validate commands -----------------------------------------------------------


def test_sweep_command_prints_a_ranking_and_the_results_directory(tmp_path):
    path = write_experiment(tmp_path, **SMALL)
    out = tmp_path / "out"
    result = invoke("sweep", path, "--out", out, "--executor", "serial")
    assert result.exit_code == 0, result.output
    assert "best 3 of 3 scenarios by service_level" in result.stdout
    assert "baseline: staffing=8" in result.stdout
    assert f"results: {out}/" in result.stdout
    assert {p.name for p in out.iterdir()} == CLI_FILES


def test_a_sweep_says_it_keeps_no_event_trace(tmp_path):
    path = write_experiment(tmp_path, **{**SMALL, "replications": 1})
    out = tmp_path / "out"
    result = invoke("sweep", path, "--out", out, "--executor", "serial", "--no-report", "--set", "output.trace=true")
    assert result.exit_code == 0, result.output
    assert "output.trace is on in 3 scenario(s) but a sweep keeps no event trace" in result.stderr
    assert not list(out.rglob("trace*"))
    quiet = invoke("sweep", path, "--out", tmp_path / "quiet", "--executor", "serial", "--no-report")
    assert "trace" not in quiet.stderr


def test_sweep_replications_option_sets_the_replications(tmp_path):
    out = tmp_path / "out"
    result = invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out, "--executor", "serial", "-r", 2, "--no-report")
    assert result.exit_code == 0, result.output
    results = sim.load_results(out)
    assert results.manifest["replications"] == 2 and results.manifest["runs_planned"] == 6
    assert set(results.runs["replication"]) == {0, 1}
    assert (results.summary["replications"] == 2).all()


def test_sweep_set_option_reaches_every_scenario(tmp_path):
    out = tmp_path / "out"
    result = invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out, "--executor", "serial",
                    "-r", 1, "--set", f"{PATIENCE}=5min", "--set", "service_level.threshold=30s", "--no-report")
    assert result.exit_code == 0, result.output
    configs = [s["config"] for s in sim.load_results(out).manifest["scenarios"]]
    assert len(configs) == 3
    assert all(c["channels"]["phone"]["patience"]["mean"] == 300 for c in configs)
    assert all(c["service_level"]["threshold"] == 30 for c in configs)


@pytest.mark.parametrize(
    ("options", "names"),
    [
        (("--rank-by", "happiness"), "happiness"),
        (("--scheduler", "tcp://127.0.0.1:8786"), "--scheduler"),
    ],
    ids=["unknown --rank-by", "--scheduler without --executor dask"],
)
def test_bad_sweep_option_exits_2_before_anything_runs(tmp_path, options, names):
    out = tmp_path / "out"
    result = invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out, *options)
    assert result.exit_code == 2, result.output
    assert names in result.stderr and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("fields", "names"),
    [
        ({"grid": {STAFFING: [9, -1]}}, "staffing=-1"),
        ({"grid": {STAFFING: [9]}, "colour": "blue"}, "colour"),
        ({"base": "missing.yaml"}, "missing.yaml"),
    ],
    ids=["invalid factor value", "unknown key", "missing base"],
)
def test_bad_experiment_exits_2_before_anything_runs(tmp_path, fields, names):
    out = tmp_path / "out"
    result = invoke("sweep", write_experiment(tmp_path, **fields), "--out", out)
    assert result.exit_code == 2, result.output
    assert names in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("how", ["--rank-by option", "rank_by in the file"])
def test_ranking_by_a_known_kpi_outside_the_kpis_list_ranks_or_is_refused(tmp_path, how):
    """``occupancy`` is a KPI, but not among the experiment's ``kpis``: rank by it, or refuse with exit 2;
    never report 'no finished runs' after every run finished."""
    fields = {**SMALL, "replications": 2, "kpis": ["service_level", "mean_wait_seconds"]}
    option = ("--rank-by", "occupancy") if how == "--rank-by option" else ()
    if not option:
        fields["rank_by"] = "occupancy"
    out = tmp_path / "out"
    result = invoke("sweep", write_experiment(tmp_path, **fields), "--out", out, "--executor", "serial", "--no-report",
                    *option)
    if result.exit_code == 2:
        assert "occupancy" in result.stderr
    else:
        assert result.exit_code == 0, result.output
        assert "no finished runs" not in result.output
        assert "best 3 of 3 scenarios by occupancy" in result.stdout


def test_validate_counts_the_scenarios_and_runs(tmp_path):
    result = invoke("validate", write_experiment(tmp_path, **TINY))
    assert result.exit_code == 0, result.output
    assert "6 scenarios x 4 replications = 24 runs" in result.output


@pytest.mark.parametrize("experiment", EXPERIMENTS, ids=[e.name for e in EXPERIMENTS])
def test_every_shipped_experiment_validates(experiment):
    result = invoke("validate", experiment)
    assert result.exit_code == 0, result.output
    match = re.search(r"(\d+) scenarios x (\d+) replications = (\d+) runs", result.output)
    assert match, result.output
    scenarios, replications, runs = map(int, match.groups())
    assert scenarios * replications == runs
    plan = sim.load_experiment(experiment)
    assert (scenarios, runs) == (len(plan.scenarios), len(plan.runs))


def test_console_script_sweeps_on_local_processes(tmp_path):
    path = write_experiment(tmp_path, **SMALL)
    proc = servsim("sweep", path, "--out", "results/small", "--no-report", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "best 3 of 3 scenarios by service_level" in proc.stdout
    assert "results: results/small/" in proc.stdout
    assert "Traceback" not in proc.stderr
    out = tmp_path / "results" / "small"
    assert {p.name for p in out.iterdir()} == TOP_FILES
    assert not [p for p in out.rglob(".*")]
    assert len(sim.load_results(out).runs) == 9
