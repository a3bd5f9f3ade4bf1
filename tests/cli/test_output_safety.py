"""Output never destroys or loses anything: servsim writes only into directories it made or recognises,
one writer at a time, and says plainly when a file cannot be written.

Real files and directories throughout, real subprocesses for the lock and the dead worker.
"""

from __future__ import annotations

import json
import os
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
from sim.cli import cli
from sim.errors import InputError
from sim.experiment.outdir import LOCK, OutDir
from sim.experiment.results import SweepStore
from sim.experiment.executors import run_one
from helpers import phone_scenario

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

# Waits on subprocesses only catch a hang: a loaded machine (CI shares 2 cores) can take many minutes for
# what takes seconds when idle, and a test must never fail by chance.
WAIT_LIMIT = 3600

SERVSIM = Path(sys.executable).parent / "servsim"
BASE = phone_scenario(name="tiny phone line", horizon="2h")
SMALL = {"name": "small", "grid": {"agents.team.staffing": [8, 9]}, "replications": 2, "seed": 7}
SLOW = {"name": "slow", "grid": {"agents.team.staffing": [8, 9, 10]}, "replications": 40, "seed": 3,
        "set": {"horizon": "2d"}}


def write_experiment(directory: Path, **fields) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "base.yaml").write_text(yaml.safe_dump(BASE))
    path = directory / "experiment.yaml"
    path.write_text(yaml.safe_dump({"base": "base.yaml", **fields}, sort_keys=False))
    return path


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_refused(result, *words: str) -> None:
    """Exit 2, one ``error:`` line naming ``words``, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.lower().count("error:") == 1, result.output
    for word in words:
        assert word in result.output, result.output


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


# --- whose directory ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["sweep", "run"])
def test_a_non_empty_directory_servsim_did_not_make_is_refused_and_left_untouched(tmp_path, command):
    mine = tmp_path / "mine"
    (mine / "runs").mkdir(parents=True)
    (mine / "runs" / "thesis.txt").write_text("three years of work")
    (mine / "summary.csv").write_text("my,own\n1,2\n")
    before = snapshot(mine)
    if command == "sweep":
        result = invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", mine, "--no-report")
    else:
        (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE))
        result = invoke("run", tmp_path / "base.yaml", "-r", "1", "--out", mine)
    assert_refused(result, str(mine), "not a servsim results directory")
    assert snapshot(mine) == before


def test_a_fresh_sweep_into_its_own_directory_removes_only_what_servsim_wrote(tmp_path):
    path = write_experiment(tmp_path, **SMALL)
    out = tmp_path / "out"
    assert invoke("sweep", path, "--out", out, "-r", "1").exit_code == 0
    (out / "runs" / "notes.txt").write_text("mine")
    (out / "charts" / "my_chart.png").write_bytes(b"mine")
    (out / "README.txt").write_text("mine")
    result = invoke("sweep", path, "--out", out, "--no-report")
    assert result.exit_code == 0, result.output
    assert (out / "runs" / "notes.txt").read_text() == "mine"
    assert (out / "charts" / "my_chart.png").read_bytes() == b"mine" and (out / "README.txt").read_text() == "mine"
    assert not (out / "report.html").exists()  # the old report (of 1 replication) is gone with the new start
    assert not list((out / "charts").glob("*.svg"))
    assert len(sim.load_results(out).runs) == 4


def test_servsim_run_replaces_its_own_earlier_output_but_not_a_sweep(tmp_path):
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE))
    out = tmp_path / "run_out"
    assert invoke("run", tmp_path / "base.yaml", "-r", "1", "--out", out).exit_code == 0
    (out / "keep.txt").write_text("mine")
    assert invoke("run", tmp_path / "base.yaml", "-r", "2", "--out", out).exit_code == 0
    assert len(pd.read_csv(out / "runs.csv")) == 2 and (out / "keep.txt").read_text() == "mine"
    assert_refused(invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out), "servsim run")


@pytest.mark.parametrize(("field", "value"), [
    ("output", "../../escaped"), ("output", "/tmp/escaped_abs"), ("output", "a/b"), ("name", "../escaped_name"),
    ("output", ".."), ("output", "~/x"),
])
def test_an_experiment_file_cannot_point_its_output_elsewhere(tmp_path, field, value):
    path = write_experiment(tmp_path / "exp", **{**SMALL, field: value})
    for args in (["validate", path], ["sweep", path, "--no-report"]):
        assert_refused(invoke(*args), field, "plain name")
    assert sorted(p.name for p in (tmp_path / "exp").iterdir()) == ["base.yaml", "experiment.yaml"]
    assert not Path("/tmp/escaped_abs").exists()


def test_out_on_the_command_line_goes_wherever_the_user_types(tmp_path):
    out = tmp_path / "deep" / "er" / "results"
    assert invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out, "--no-report").exit_code == 0
    assert (out / "manifest.json").exists()


# --- one writer at a time ---------------------------------------------------------------------------------------


def _wait_for(condition, seconds: float = WAIT_LIMIT) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_second_sweep_into_a_directory_in_use_is_refused_and_the_first_loses_nothing(tmp_path):
    path = write_experiment(tmp_path, **SLOW)
    out = tmp_path / "out"
    first = subprocess.Popen([str(SERVSIM), "sweep", str(path), "--out", str(out), "--jobs", "1", "--no-report"],
                             cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: len(list((out / "runs").glob("s*_r*.json"))) >= 2 if (out / "runs").exists() else False)
        first.send_signal(signal.SIGSTOP)  # paused mid-sweep, so it is still running whatever the machine's load
        holder = (out / LOCK).read_text().split("@")[0]
        assert holder == str(first.pid)
        second = subprocess.run([str(SERVSIM), "sweep", str(path), "--out", str(out), "--no-report"],
                                cwd=tmp_path, capture_output=True, text=True, timeout=WAIT_LIMIT)
        assert first.poll() is None  # the first sweep was still at work while the second was refused
        first.send_signal(signal.SIGCONT)
        assert second.returncode == 2, second.stderr
        assert "in use by another servsim" in second.stderr and str(first.pid) in second.stderr
        assert "Traceback" not in second.stderr
        assert first.wait(timeout=WAIT_LIMIT) == 0, first.stderr.read()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    results = sim.load_results(out)
    assert results.manifest["status"] == "complete" and len(results.runs) == results.manifest["runs_planned"] == 120
    assert not (out / LOCK).exists()


def test_a_lock_left_by_a_process_that_died_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text(f"{dead.pid}@{os.uname().nodename}\n")
    result = invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out, "--no-report")
    assert result.exit_code == 0, result.output
    assert not (out / LOCK).exists()


def test_a_lock_held_by_a_live_process_is_respected(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text(f"1@{os.uname().nodename}\n")  # pid 1 always runs
    assert_refused(invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out), "in use", "pid 1")
    assert (out / LOCK).read_text().startswith("1@")


# --- complete means complete --------------------------------------------------------------------------------


def test_the_manifest_is_complete_only_when_every_planned_run_is_on_disk(tmp_path):
    plan = sim.load_experiment(write_experiment(tmp_path, **SMALL))
    store = SweepStore(tmp_path / "out", plan)
    store.open(resume=False)
    try:
        for spec in plan.runs[:3]:
            store.save(run_one(plan.scenarios[spec.scenario_index].scenario, spec))
        manifest = store.finish().manifest
    finally:
        store.close()
    assert (manifest["status"], manifest["runs_planned"], manifest["runs_done"], manifest["runs_failed"]) == \
        ("incomplete", 4, 3, 0)
    with pytest.raises(InputError, match="did not finish"):
        sim.load_results(tmp_path / "out")


def test_a_damaged_part_is_redone_on_resume_and_the_tables_match_a_clean_sweep(tmp_path):
    plan = sim.load_experiment(write_experiment(tmp_path, **SMALL))
    out = tmp_path / "out"
    sim.sweep(plan, out, executor="serial")
    part = sorted((out / "runs").glob("s*_r*.json"))[1]
    part.write_text(part.read_text()[:20])  # cut short by something outside servsim
    result = invoke("sweep", plan.path, "--out", out, "--resume", "--no-report")
    assert result.exit_code == 0, result.output
    sim.sweep(plan, tmp_path / "clean", executor="serial")
    pd.testing.assert_frame_equal(sim.load_results(out).runs.drop(columns="wall_seconds"),
                                  sim.load_results(tmp_path / "clean").runs.drop(columns="wall_seconds"))


@pytest.mark.parametrize("command", [["sweep", "--resume", "--no-report"], ["report"]])
def test_a_damaged_manifest_is_one_clean_error(tmp_path, command):
    path = write_experiment(tmp_path, **SMALL)
    out = tmp_path / "out"
    assert invoke("sweep", path, "--out", out, "--no-report").exit_code == 0
    (out / "manifest.json").write_text('{"status": "compl')
    args = [command[0], path, "--out", out, *command[1:]] if command[0] == "sweep" else ["report", out]
    assert_refused(invoke(*args), "manifest.json", "damaged")


# --- write errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("out", ["/proc/servsim_out", "/dev/null/servsim_out"])
@pytest.mark.parametrize("command", ["sweep", "run"])
def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, out, command):
    if command == "sweep":
        result = invoke("sweep", write_experiment(tmp_path, **SMALL), "--out", out, "--no-report")
    else:
        (tmp_path / "base.yaml").write_text(yaml.safe_dump(BASE))
        result = invoke("run", tmp_path / "base.yaml", "-r", "1", "--out", out)
    assert_refused(result, out)


def test_a_sweep_in_a_directory_where_results_cannot_be_created_says_where(tmp_path):
    path = write_experiment(tmp_path, **SMALL)
    done = subprocess.run([str(SERVSIM), "sweep", str(path), "--no-report"], cwd="/proc", capture_output=True,
                          text=True, timeout=WAIT_LIMIT)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: results") and done.stderr.count("\n") == 1, done.stderr


def test_a_full_disk_while_writing_tables_names_the_file_and_leaves_the_sweep_resumable(tmp_path, monkeypatch):
    path = write_experiment(tmp_path, **SMALL)
    out = tmp_path / "out"
    real = pd.DataFrame.to_parquet

    def full(self, target, *args, **kwargs):
        if Path(target).name.startswith(".intervals.parquet"):
            raise OSError(28, "No space left on device")  # what pyarrow raises, without a file name
        return real(self, target, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    result = invoke("sweep", path, "--out", out, "--executor", "serial", "--no-report")
    assert_refused(result, str(out / "intervals.parquet"), "No space left on device")
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    assert not [p for p in out.rglob(".*") if p.name != LOCK]  # no temporary files left behind
    monkeypatch.setattr(pd.DataFrame, "to_parquet", real)
    assert invoke("sweep", path, "--out", out, "--resume", "--no-report").exit_code == 0


def test_a_dask_scheduler_address_that_is_not_an_address_is_one_clean_error(tmp_path):
    pytest.importorskip("dask.distributed")
    result = invoke("sweep", write_experiment(tmp_path, **SMALL), "--executor", "dask", "--scheduler", "not a url",
                    "--out", tmp_path / "out", "--no-report")
    assert_refused(result, "--scheduler")


# --- a worker that dies -----------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def test_a_worker_killed_mid_sweep_is_recorded_as_failed_and_resume_finishes_the_sweep(tmp_path):
    path = write_experiment(tmp_path, **SLOW)
    out = tmp_path / "out"
    sweep = subprocess.Popen([str(SERVSIM), "sweep", str(path), "--out", str(out), "--jobs", "2", "--no-report"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: len(list((out / "runs").glob("s*_r*.json"))) >= 2 if (out / "runs").exists() else False)
        workers = _children(sweep.pid)
        assert workers, "no worker processes found"
        os.kill(workers[0], signal.SIGKILL)  # what the out-of-memory killer does
        _, stderr = sweep.communicate(timeout=WAIT_LIMIT)
    finally:
        if sweep.poll() is None:
            sweep.kill()
            sweep.wait()
    assert sweep.returncode == 1, stderr
    assert "Traceback" not in stderr and "runs failed" in stderr and "--resume" in stderr, stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete_with_failures" and manifest["runs_failed"] >= 1
    assert manifest["runs_done"] + manifest["runs_failed"] == manifest["runs_planned"] == 120
    assert all("worker process" in f["error"] for f in manifest["failures"])
    resumed = subprocess.run([str(SERVSIM), "sweep", str(path), "--out", str(out), "--resume", "--no-report"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=WAIT_LIMIT)
    assert resumed.returncode == 0, resumed.stderr
    assert sim.load_results(out).manifest["status"] == "complete"


# --- too much work ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "runs"), [
    ({"grid": {"agents.team.staffing": list(range(100)), "agents.team.extra_agents": list(range(100)),
               "agents.team.hourly_cost": list(range(100))}}, "1,000,000 scenarios x 10 replications"),
    ({"replications": 1_000_000_000}, "1 scenarios x 1,000,000,000 replications"),
])
@pytest.mark.parametrize("command", ["validate", "sweep"])
def test_an_experiment_larger_than_the_cap_is_refused_before_anything_is_expanded(tmp_path, fields, runs, command):
    path = write_experiment(tmp_path, **fields)
    assert_refused(invoke(command, path), runs, "at most 100,000", "--max-runs")
    assert not (tmp_path / "results").exists()


def test_max_runs_lifts_or_lowers_the_cap(tmp_path):
    path = write_experiment(tmp_path, **SMALL)  # 4 runs
    assert_refused(invoke("validate", path, "--max-runs", "3"), "4 runs")
    assert invoke("validate", path, "--max-runs", "4").exit_code == 0


def test_outdir_takes_the_lock_and_gives_it_back(tmp_path):
    with OutDir(tmp_path / "d", "sweep") as directory:
        directory.claim()
        assert (tmp_path / "d" / LOCK).read_text().startswith(f"{os.getpid()}@")
    assert not (tmp_path / "d" / LOCK).exists()
