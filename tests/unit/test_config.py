"""Scenario files: valid ones load, every kind of bad input gets one message naming file and field."""

from __future__ import annotations

import pytest
import yaml

from sim.config import load_config
from sim.errors import InputError


@pytest.fixture
def write(tmp_path):
    def _write(data, name="scenario.yaml"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
        return path
    return _write


def test_minimal_scenario_loads_with_units_in_seconds(write, make_scenario):
    s = load_config(write(make_scenario()))
    assert s.horizon == 8 * 3600 and s.interval == 3600
    assert s.channels.phone.arrivals.rate == pytest.approx(2 / 60)
    assert s.channels.phone.handle_time.mean == 240
    assert s.n_intervals == 8 and s.intervals_per_day == 24


def test_overrides_are_typed_and_validated(write, make_scenario):
    path = write(make_scenario())
    s = load_config(path, ["agents.team.staffing=12", "service_level.threshold=30s", "channels.phone.patience=none"])
    assert s.agents["team"].staffing == [12]
    assert s.service_level.threshold == 30
    assert not s.channels.phone.patience.finite


def test_override_can_add_a_tier_mapping(write, make_scenario):
    path = write(make_scenario())
    s = load_config(path, ["customers.tiers={gold: {share: 0.2, priority: 1}, regular: {share: 0.8}}"])
    assert set(s.customers.tiers) == {"gold", "regular"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["channels"]["phone"].update(colour="blue"), r"channels\.phone\.colour: unknown key"),
        (lambda d: d["channels"]["phone"]["handle_time"].update(mean="-3min"),
         r"channels\.phone\.handle_time\.mean: a duration cannot be negative"),
        (lambda d: d["channels"]["phone"]["handle_time"].update(dist="cauchy"),
         r"channels\.phone\.handle_time: unknown distribution 'cauchy'"),
        (lambda d: d.update(horizon="soon"), r"horizon: expected a duration"),
        (lambda d: d["agents"]["team"].update(staffing="many"), r"agents\.team\.staffing"),
        (lambda d: d["agents"]["team"].update(staffing=[1, 2, 3]), r"agents\.team\.staffing has 3 values"),
        (lambda d: d.update(customers={"tiers": {"a": {"share": 0.5}, "b": {"share": 0.4}}}),
         r"customers: tier shares must sum to 1, they sum to 0\.9"),
        (lambda d: d["channels"]["phone"].update(arrivals={"daily_volume": 100, "profile": [1, 2]}),
         r"profile has 2 values; with interval 3600s a day has 24"),
        (lambda d: d["channels"]["phone"].update(arrivals={"daily_volume": 100, "rate": "2/min"}),
         r"channels\.phone\.arrivals: give one of 'rate'"),
        (lambda d: d["channels"].pop("phone"), r"channels: configure at least one of walk_in, phone, email"),
        (lambda d: d.update(interval="7min"), r"interval must divide a day"),
        (lambda d: d.update(warmup="9h"), r"warmup must be shorter than the horizon"),
        (lambda d: d.update(replications=0), r"replications: Input should be greater than or equal to 1"),
    ],
)
def test_bad_field_is_named_with_the_file(write, make_scenario, change, expected):
    data = make_scenario()
    change(data)
    path = write(data)
    with pytest.raises(InputError, match=expected) as err:
        load_config(path)
    assert str(err.value).startswith(str(path))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "the file is empty"), ("   \n", "the file is empty"), ("a: [1, 2\n", "not valid YAML at line"),
     ("- 1\n- 2\n", "expected a mapping")],
)
def test_unreadable_files(write, text, expected):
    with pytest.raises(InputError, match=expected):
        load_config(write(text))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize("bad", ["staffing", "=3", "a..b=1"])
def test_malformed_override(write, make_scenario, bad):
    with pytest.raises(InputError, match="expected KEY.PATH=VALUE"):
        load_config(write(make_scenario()), [bad])


def test_override_below_a_single_value(write, make_scenario):
    with pytest.raises(InputError, match="horizon is a single value"):
        load_config(write(make_scenario()), ["horizon.days=3"])


def test_extra_agents_add_to_staffed_intervals_only_and_never_go_negative(write, make_scenario):
    from sim.model import staffing_plan

    data = make_scenario()
    data["agents"]["team"]["staffing"] = [0] * 8 + [5] * 10 + [1] * 6
    plan = staffing_plan(load_config(write(data), ["agents.team.extra_agents=2", "horizon=1d"]))
    assert plan == [0] * 8 + [7] * 10 + [3] * 6
    plan = staffing_plan(load_config(write(data), ["agents.team.extra_agents=-3", "horizon=1d"]))
    assert plan == [0] * 8 + [2] * 10 + [0] * 6


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("channels.phone.handle_time={dist: lognormal, mean: 1min, cv: .inf}", r"handle_time\.cv: Input should be a finite"),
        ("channels.phone.handle_time={dist: gamma, mean: 1min, cv: 1e-200}", r"handle_time\.cv: Input should be greater"),
        ("channels.phone.handle_time={dist: weibull, shape: 1e-9, scale: 1min}", r"handle_time\.shape"),
        ("channels.phone.arrivals={daily_volume: .inf}", r"daily_volume: Input should be a finite"),
        ("channels.phone.arrivals.rate=1e30/h", r"contacts expected in one interval"),
        ("agents.team.staffing=1000000000", r"staffing\.0: Input should be less than or equal"),
        ("interval=1ms", r"interval: Input should be greater than or equal to 1"),
        ("horizon=100000d", r"intervals; at most"),
    ],
)
def test_values_that_would_break_the_engine_are_refused(write, make_scenario, override, expected):
    with pytest.raises(InputError, match=expected):
        load_config(write(make_scenario()), [override])
