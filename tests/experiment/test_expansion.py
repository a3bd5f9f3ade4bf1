"""Experiment files expand into scenarios and runs without simulating anything.

Grid = full product, zip = factors moving together, named scenarios x grid,
``set`` and ``--set`` reaching every scenario, baseline by name, the runs list,
the fingerprint, and every validation error raised before anything runs.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.errors import InputError
from sim.experiment.spec import Experiment, expand, fingerprint, load_experiment, run_specs
from helpers import phone_scenario

STAFFING = "agents.team.staffing"
EXTRA = "agents.team.extra_agents"
THRESHOLD = "agents.team.hourly_cost"  # a plain number (durations need units)
PATIENCE = "channels.phone.patience.mean"


def base_scenario() -> dict:
    """A small stationary phone scenario: 2 calls/min, 4 min handling, 3 min patience, 9 agents."""
    return phone_scenario(name="tiny", horizon="4h")


@pytest.fixture
def write_experiment(tmp_path):
    """Write ``base.yaml`` and ``experiment.yaml`` (base: base.yaml plus ``fields``); return the experiment path."""
    def write(filename: str = "experiment.yaml", **fields) -> Path:
        (tmp_path / "base.yaml").write_text(yaml.safe_dump(base_scenario()))
        path = tmp_path / filename
        path.write_text(yaml.safe_dump({"base": "base.yaml", **fields}, sort_keys=False))
        return path
    return write


def expanded(**fields):
    return expand(Experiment(base="base.yaml", **fields), base_scenario(), "test")


def staffing_of(spec) -> int:
    return spec.scenario.agents["team"].staffing[0]


# --- grid, zip, named scenarios ----------------------------------------------------------------

factor_values = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=3, unique=True)


@settings(max_examples=25, deadline=None)
@given(staffing=factor_values, extra=factor_values, threshold=factor_values)
def test_grid_is_the_full_product_with_every_combination_once(staffing, extra, threshold):
    specs = expanded(grid={STAFFING: staffing, EXTRA: extra, THRESHOLD: threshold})
    combos = [(s.factors[STAFFING], s.factors[EXTRA], s.factors[THRESHOLD]) for s in specs]
    assert len(specs) == len(staffing) * len(extra) * len(threshold)
    assert Counter(combos) == Counter(itertools.product(staffing, extra, threshold))
    assert [s.index for s in specs] == list(range(len(specs)))
    for spec in specs:  # the factor values really are in each validated scenario
        assert staffing_of(spec) == spec.factors[STAFFING]
        assert spec.scenario.agents["team"].extra_agents == spec.factors[EXTRA]
        assert spec.scenario.agents["team"].hourly_cost == spec.factors[THRESHOLD]


def test_zip_factors_move_together():
    specs = expanded(zip={STAFFING: [8, 9, 10], THRESHOLD: [10, 20, 30]})
    assert [(s.factors[STAFFING], s.factors[THRESHOLD]) for s in specs] == [(8, 10), (9, 20), (10, 30)]
    assert [(staffing_of(s), s.scenario.agents["team"].hourly_cost) for s in specs] == [(8, 10), (9, 20), (10, 30)]


def test_zip_rows_cross_the_grid():
    specs = expanded(grid={EXTRA: [0, 1]}, zip={STAFFING: [8, 9, 10], THRESHOLD: [10, 20, 30]})
    rows = {(s.factors[EXTRA], s.factors[STAFFING], s.factors[THRESHOLD]) for s in specs}
    assert len(specs) == 6
    assert rows == {(e, n, t) for e in (0, 1) for n, t in [(8, 10), (9, 20), (10, 30)]}


def test_named_scenarios_cross_the_grid():
    scenarios = {"short_patience": {PATIENCE: "1min"}, "long_patience": {PATIENCE: "10min"}}
    specs = expanded(scenarios=scenarios, grid={STAFFING: [8, 9, 10]})
    assert len(specs) == 6
    seen = {(s.name.split(":")[0], s.factors[STAFFING]) for s in specs}
    assert seen == {(label, n) for label in scenarios for n in (8, 9, 10)}
    for spec in specs:
        expected_patience = 60 if spec.name.startswith("short_patience") else 600
        assert spec.scenario.channels.phone.patience.mean == expected_patience
        assert staffing_of(spec) == spec.factors[STAFFING]


def test_named_scenarios_alone_are_named_by_their_label_and_have_no_factors():
    specs = expanded(scenarios={"lean": {STAFFING: 7}, "rich": {STAFFING: 12}})
    assert [(s.name, s.factors, staffing_of(s)) for s in specs] == [("lean", {}, 7), ("rich", {}, 12)]


@pytest.mark.parametrize(
    ("fields", "names"),
    [
        ({}, ["base"]),
        ({"grid": {STAFFING: [8, 9]}}, ["staffing=8", "staffing=9"]),
        ({"grid": {STAFFING: [8], THRESHOLD: [20, 30]}}, ["staffing=8, hourly_cost=20", "staffing=8, hourly_cost=30"]),
        ({"scenarios": {"a": {}}, "grid": {STAFFING: [8, 9]}}, ["a: staffing=8", "a: staffing=9"]),
    ],
    ids=["no factors", "one factor", "two factors", "named x grid"],
)
def test_scenario_names_show_their_factor_values(fields, names):
    specs = expanded(**fields)
    assert [s.name for s in specs] == names
    assert len({s.name for s in specs}) == len(specs)


def test_set_applies_to_every_scenario():
    specs = expanded(set={THRESHOLD: 45, PATIENCE: "5min"}, scenarios={"a": {}, "b": {STAFFING: 12}},
                     grid={EXTRA: [0, 1]})
    assert len(specs) == 4
    for spec in specs:
        assert spec.scenario.agents["team"].hourly_cost == 45
        assert spec.scenario.channels.phone.patience.mean == 300


def test_command_line_overrides_reach_every_scenario(write_experiment):
    path = write_experiment(scenarios={"a": {}, "b": {STAFFING: 12}}, grid={EXTRA: [0, 1]})
    plan = load_experiment(path, overrides=[f"{PATIENCE}=5min", "horizon=2h"])
    assert len(plan.scenarios) == 4
    for spec in plan.scenarios:
        assert spec.scenario.channels.phone.patience.mean == 300
        assert spec.scenario.horizon == 7200



def test_command_line_overrides_win_over_the_experiments_set_but_not_over_factors(write_experiment):
    path = write_experiment(set={"horizon": "3h", THRESHOLD: 45}, grid={STAFFING: [8, 9]})
    plan = load_experiment(path, overrides=["horizon=2h", f"{STAFFING}=12"])
    assert [s.scenario.horizon for s in plan.scenarios] == [7200, 7200]
    assert [s.scenario.agents["team"].hourly_cost for s in plan.scenarios] == [45, 45]
    assert [staffing_of(s) for s in plan.scenarios] == [8, 9]

def test_the_contacts_option_reaches_every_scenario():
    for contacts in (False, True):
        specs = expanded(contacts=contacts, grid={STAFFING: [8, 9]})
        assert all(s.scenario.output.contacts is contacts for s in specs)


# --- baseline ----------------------------------------------------------------------------------


def test_baseline_defaults_to_the_first_scenario(write_experiment):
    plan = load_experiment(write_experiment(grid={STAFFING: [8, 9, 10]}))
    assert plan.baseline == 0


def test_baseline_is_found_by_name(write_experiment):
    plan = load_experiment(write_experiment(grid={STAFFING: [8, 9, 10]}, baseline="staffing=9"))
    assert plan.scenarios[plan.baseline].name == "staffing=9"
    assert plan.baseline == 1


def test_unknown_baseline_is_named_and_the_scenarios_listed(write_experiment):
    path = write_experiment(grid={STAFFING: [8, 9]}, baseline="staffing=99")
    with pytest.raises(InputError) as error:
        load_experiment(path)
    message = str(error.value)
    assert "staffing=99" in message and "baseline" in message
    assert "staffing=8" in message and "staffing=9" in message


# --- validation before anything runs -----------------------------------------------------------

BAD_EXPERIMENTS = [
    ("unknown key", {"colour": "blue", "grid": {STAFFING: [8]}}, ["colour"]),
    ("empty factor list", {"grid": {STAFFING: []}}, [STAFFING, "empty"]),
    ("empty zip list", {"zip": {STAFFING: []}}, [STAFFING, "empty"]),
    ("zip lengths differ", {"zip": {STAFFING: [8, 9], THRESHOLD: [10, 20, 30]}}, ["zip", "2", "3"]),
    ("factor in grid and zip", {"grid": {STAFFING: [8]}, "zip": {STAFFING: [9]}}, [STAFFING, "both"]),
    ("unknown KPI in kpis", {"kpis": ["service_level", "happiness"]}, ["happiness"]),
    ("unknown rank_by KPI", {"rank_by": "happiness"}, ["happiness"]),
    ("zero replications", {"replications": 0}, ["replications"]),
]


@pytest.mark.parametrize(("fields", "names"), [c[1:] for c in BAD_EXPERIMENTS], ids=[c[0] for c in BAD_EXPERIMENTS])
def test_bad_experiment_file_is_one_input_error_naming_the_problem(write_experiment, fields, names):
    path = write_experiment(**fields)
    with pytest.raises(InputError) as error:
        load_experiment(path)
    message = str(error.value)
    assert str(path) in message
    for name in names:
        assert name in message, message


def test_replications_argument_is_validated_like_the_file(write_experiment):
    """The file's ``replications: 0`` is refused; the same value passed as an argument must be too."""
    path = write_experiment(grid={STAFFING: [8, 9]})
    with pytest.raises(InputError, match="replications"):
        load_experiment(path, replications=0)


@pytest.mark.parametrize(
    ("fields", "scenario"),
    [
        ({"grid": {STAFFING: [9, -1]}}, "staffing=-1"),
        ({"zip": {STAFFING: [9, -3], THRESHOLD: [20, 30]}}, "staffing=-3, hourly_cost=30"),
        ({"scenarios": {"ok": {}, "broken": {STAFFING: -2}}}, "broken"),
    ],
    ids=["grid", "zip", "named"],
)
def test_factor_value_making_an_invalid_scenario_names_the_scenario_and_field(write_experiment, fields, scenario):
    with pytest.raises(InputError) as error:
        load_experiment(write_experiment(**fields))
    message = str(error.value)
    assert repr(scenario) in message, message
    assert STAFFING in message, message


def test_missing_base_file_is_named(write_experiment, tmp_path):
    path = write_experiment(grid={STAFFING: [8]})
    data = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({**data, "base": "no_such_base.yaml"}))
    with pytest.raises(InputError) as error:
        load_experiment(path)
    assert str((tmp_path / "no_such_base.yaml").resolve()) in str(error.value)
    assert "not found" in str(error.value)


# --- runs and the plan -------------------------------------------------------------------------


@pytest.mark.parametrize(("n_scenarios", "replications"), [(1, 1), (3, 4), (12, 10)])
def test_run_specs_list_every_scenario_replication_pair_once(n_scenarios, replications):
    runs = run_specs(n_scenarios, replications, seed=7)
    pairs = [(r.scenario_index, r.replication) for r in runs]
    assert Counter(pairs) == Counter(itertools.product(range(n_scenarios), range(replications)))
    assert len({r.key for r in runs}) == len(runs)
    assert {r.seed for r in runs} == {7}
    # replication-major: the first replication of every scenario comes first
    assert sorted(pairs[:n_scenarios]) == [(s, 0) for s in range(n_scenarios)]


def test_plan_lists_every_run_with_the_experiment_seed(write_experiment):
    path = write_experiment(grid={STAFFING: [8, 9, 10], THRESHOLD: [20, 30]}, replications=4, seed=11)
    plan = load_experiment(path)
    assert len(plan.scenarios) == 6 and len(plan.runs) == 24
    assert {(r.scenario_index, r.replication) for r in plan.runs} == set(itertools.product(range(6), range(4)))
    assert {r.seed for r in plan.runs} == {11}
    shorter = load_experiment(path, replications=2)
    assert len(shorter.runs) == 12 and shorter.experiment.replications == 2


def test_plan_name_comes_from_output_then_name_then_file_stem(write_experiment):
    assert load_experiment(write_experiment("stem.yaml")).name == "stem"
    assert load_experiment(write_experiment("stem.yaml", name="named")).name == "named"
    assert load_experiment(write_experiment("stem.yaml", name="named", output="elsewhere")).name == "elsewhere"


# --- fingerprint -------------------------------------------------------------------------------

FINGERPRINT_BASE = {"grid": {STAFFING: [8, 9]}, "replications": 3, "seed": 5, "description": "first"}


@pytest.mark.parametrize(
    ("change", "differs"),
    [
        ({"replications": 4}, True),
        ({"seed": 6}, True),
        ({"grid": {STAFFING: [8, 10]}}, True),
        ({"contacts": True}, True),
        ({"description": "second"}, False),
        ({"question": "why?"}, False),
    ],
    ids=["replications", "seed", "factor value", "contacts", "description", "question"],
)
def test_fingerprint_changes_exactly_when_the_results_would(write_experiment, change, differs):
    before = load_experiment(write_experiment(**FINGERPRINT_BASE)).fingerprint
    after = load_experiment(write_experiment(**{**FINGERPRINT_BASE, **change})).fingerprint
    assert (before != after) is differs


def test_fingerprint_sees_command_line_overrides_and_replications(write_experiment):
    path = write_experiment(**FINGERPRINT_BASE)
    plain = load_experiment(path).fingerprint
    assert load_experiment(path).fingerprint == plain  # stable
    assert load_experiment(path, overrides=[f"{PATIENCE}=5min"]).fingerprint != plain
    assert load_experiment(path, replications=7).fingerprint != plain


def test_fingerprint_function_is_pure():
    experiment = Experiment(base="base.yaml", grid={STAFFING: [8, 9]})
    specs = expand(experiment, base_scenario(), "test")
    assert fingerprint(experiment, specs) == fingerprint(experiment, expand(experiment, base_scenario(), "test"))
