"""One reduction for every command: ``servsim run`` and a sweep keep the same tables of the same runs, and
``servsim report`` reads a ``run --out`` directory as a sweep of one scenario; the event trace is written."""

from __future__ import annotations

import pytest
import pandas as pd
import yaml
from click.testing import CliRunner
from helpers import phone_scenario

import sim
from sim.cli import cli
from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.experiment.executors import execute
from sim.experiment.spec import RunSpec
from sim.reduction import RunTables

SCENARIO = phone_scenario(horizon="6h", warmup="1h", replications=3, seed=5)


def invoke(*args: object):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.integration
def test_run_and_the_executors_keep_identical_tables_of_the_same_runs():
    scenario = validate(Scenario, SCENARIO, "test")
    results = sim.run(scenario)
    outcomes = sorted(execute([(scenario, RunSpec(0, r, 5)) for r in range(3)], "serial"),
                      key=lambda o: o.spec.replication)
    for name in RunTables.tables():
        stacked = [getattr(o.tables, name) for o in outcomes]
        ours = getattr(results, name)
        if ours is None:
            assert all(frame is None for frame in stacked), name
            continue
        theirs = pd.concat([f.assign(replication=o.spec.replication) for f, o in zip(stacked, outcomes)],
                           ignore_index=True)[ours.columns]
        pd.testing.assert_frame_equal(ours, theirs, obj=name)
    pd.testing.assert_frame_equal(results.runs.drop(columns="replication"), pd.DataFrame([o.kpis for o in outcomes]))


@pytest.mark.integration
def test_report_reads_a_run_directory_as_a_sweep_of_one(tmp_path):
    path = tmp_path / "line.yaml"
    path.write_text(yaml.safe_dump(SCENARIO))
    out = tmp_path / "run"
    invoke("run", path, "--out", out)
    loaded = sim.load_results(out)
    runs = pd.read_csv(out / "runs.csv")
    assert list(loaded.runs["replication"]) == [0, 1, 2] and set(loaded.runs["scenario"]) == {0}
    assert loaded.summary.loc[0, "mean_wait_seconds_mean"] == runs["mean_wait_seconds"].mean()
    assert (loaded.differences["diff_mean"].fillna(0) == 0).all()  # the baseline against itself
    report = invoke("report", out)
    page = (out / "report.html").read_text()
    assert "report.html" in report.output and SCENARIO["name"] in page
    invoke("run", path, "--out", out)  # a second run replaces the report it drew, as a sweep does
    assert not (out / "report.html").exists()


def test_the_event_trace_is_written_and_agrees_with_the_contact_log(tmp_path):
    path = tmp_path / "traced.yaml"
    path.write_text(yaml.safe_dump({**SCENARIO, "replications": 1, "output": {"trace": True, "contacts": True}}))
    out = tmp_path / "run"
    invoke("run", path, "--out", out)
    trace = pd.read_csv(out / "trace.csv")
    contacts = pd.read_parquet(out / "contacts.parquet")
    events = trace["event"].value_counts()
    assert events["arrive"] == len(contacts) == trace["contact"].nunique()
    assert events["answer"] == (contacts["outcome"] == "answered").sum()
    assert 0 <= events["answer"] - events["done"] <= 9  # still in service at the horizon: at most the 9 agents
    assert events.get("abandon", 0) == (contacts["outcome"] == "abandoned").sum()
    assert trace["time_seconds"].is_monotonic_increasing


def test_the_trace_follows_customers_through_closing_time():
    """With a closing rule every ended contact's outcome still has its event: those turned away at the closed
    line who give up balk, callers told to call back at closing abandon, and returners are seen coming back."""
    data = phone_scenario(horizon="2d", seed=5, behaviour={}, output={"trace": True, "contacts": True})
    data["channels"]["phone"]["hours"] = {"open": "08:00", "close": "18:00",
                                          "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}
    data["channels"]["phone"]["closing"] = {"queued": "call_back", "give_up": 0.5, "displace_to": "next_opening"}
    data["agents"]["team"]["staffing"] = 3  # short-staffed: callers are still on hold at closing
    out = sim.model.simulate(validate(Scenario, data, "test"), 0, 5)
    events, outcomes = out.trace["event"].value_counts(), out.contacts["outcome"].value_counts()
    assert outcomes["balked"] > 0 and events["balk"] == outcomes["balked"]
    assert events["abandon"] == outcomes["abandoned"]
    assert 0 <= events["answer"] - events["transfer"] - events["done"] <= 3
    assert events["back_at_opening"] > 0 and events["closed"] >= events["balk"] + events["back_at_opening"]


@pytest.mark.integration
def test_a_sweep_keeps_every_table_a_run_keeps(tmp_path):
    """The same scenario, seed and replications: the sweep's stored tables, read back, are the run's."""
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(SCENARIO))
    (tmp_path / "one.yaml").write_text(yaml.safe_dump({"base": "base.yaml", "name": "one", "replications": 3,
                                                        "seed": 5}))
    sim.sweep(tmp_path / "one.yaml", tmp_path / "out", executor="serial")
    swept, ran = sim.load_results(tmp_path / "out"), sim.run(validate(Scenario, SCENARIO, "test"), 3, 5)
    for name in ("intervals", "tiers", "days", "weeks", "channels", "issues", "groups"):
        theirs = getattr(swept, name).drop(columns="scenario")
        ours = getattr(ran, name)
        pd.testing.assert_frame_equal(theirs[ours.columns], ours, obj=name, check_dtype=False)
    run_dir = tmp_path / "run"
    invoke("run", tmp_path / "base.yaml", "--out", run_dir)
    read_back = sim.load_results(run_dir)
    assert all(getattr(read_back, name) is not None for name in ("weeks", "channels", "issues", "groups"))
