"""Every field of the shipped scenarios, broken every way a person can break it, is refused cleanly.

For each leaf of ``configs/*.yaml`` (and the first element of each list) the corpus makes the value the wrong
type, the wrong sign, loses its unit, becomes NaN or infinite, becomes a YAML-1.1 boolean; and each key gets a
typo. Every case must give exit status 2, one ``error:`` line naming the field, no traceback, and write
nothing (the command is ``servsim run FILE --out DIR``, so "nothing written" is checked on a real directory).
Plus the special files and YAML traps found by the fuzzing review (../shared/reviews/reliability.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sim.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = {p.name: yaml.safe_load(p.read_text()) for p in sorted((ROOT / "configs").glob("*.yaml"))}
DURATION_UNITS = ("s", "min", "h", "d", "w", "mo", "y")
NEGATIVE_ALLOWED = {"extra_agents", "priority"}  # documented as taking any integer
FREE_TEXT = {"name", "description"}


def _leaves(node, path=()):
    """(path, value) of every scalar leaf; of a list only its first element."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        if node:
            yield from _leaves(node[0], (*path, 0))
    else:
        yield path, node


def _is_duration(value) -> bool:
    return isinstance(value, str) and value[:1].isdigit() and value.rstrip("0123456789.").endswith(DURATION_UNITS) \
        and ":" not in value and "/" not in value


def _is_rate(value) -> bool:
    return isinstance(value, str) and "/" in value


def _mutations(path, value):
    """(label, new value) for one leaf: only changes that make the file wrong."""
    name = path[-1] if isinstance(path[-1], str) else path[-2]
    if name in FREE_TEXT or name == "dist":
        return
    if isinstance(value, bool):
        yield "number for a switch", 2
        yield "yes for a switch", "yes"
        return
    if isinstance(value, (int, float)):
        yield "text", "lots"
        yield "mapping", {"x": 1}
        yield "nan", float("nan")
        yield "inf", float("inf")
        yield "boolean", True
        yield "yes", "yes"
        if name not in NEGATIVE_ALLOWED and not (isinstance(path[-1], int) and path[-2] == "csat_cuts"):
            yield "negative", -1
        return
    if _is_duration(value):
        number = value.rstrip("abcdefghijklmnopqrstuvwxyz")
        if float(number) != 0:
            yield "missing unit", float(number)
        yield "negative", f"-{value}"
        yield "nan", ".nan"
        yield "unknown unit", f"{number}parsecs"
        yield "boolean", True
        return
    if _is_rate(value):
        yield "missing unit", float(value.split("/")[0])
        yield "negative", f"-{value}"
        yield "boolean", True
        return
    if isinstance(value, str):
        yield "mapping", {"x": 1}


def _set(data, path, value):
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _typo(data, path):
    """Misspell the last named key of ``path``."""
    last = max(i for i, k in enumerate(path) if isinstance(k, str))
    node = data
    for key in path[:last]:
        node = node[key]
    node[path[last] + "x"] = node.pop(path[last])
    return ".".join(str(k) for k in path[:last] + (path[last] + "x",))


def _field(path) -> str:
    return ".".join(str(k) for k in path)


def _cases():
    for config, data in CONFIGS.items():
        for path, value in _leaves(data):
            for label, bad in _mutations(path, value):
                yield pytest.param(config, path, bad, _field(path), id=f"{config}:{_field(path)}:{label}")
            if len(path) < 2 or path[-2] != "skills":  # a skill's name is the user's own, not a key of the schema
                yield pytest.param(config, path, None, None, id=f"{config}:{_field(path)}:typo")


def _broken(config, path, bad):
    data = yaml.safe_load(yaml.safe_dump(CONFIGS[config]))
    if bad is None and path is not None:
        return data, _typo(data, path)
    _set(data, path, bad)
    return data, None


@pytest.mark.parametrize(("config", "path", "bad", "field"), list(_cases()))
def test_every_field_broken_every_way_is_refused_cleanly(tmp_path, config, path, bad, field):
    data, typo = _broken(config, path, bad)
    source = tmp_path / config
    source.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(source), "-r", "1", "--out", str(out)])
    named = typo or field
    assert result.exit_code == 2, (named, result.output)
    assert "Traceback" not in result.output and result.output.lower().count("error:") == 1, result.output
    assert named in result.output or named.rsplit(".", 1)[0] in result.output, (named, result.output)
    assert not out.exists()


# --- YAML traps, written as people write them ---------------------------------------------------------------


PHONE = (ROOT / "configs" / "phone_line.yaml").read_text()


def _run(tmp_path, text: str, *extra: str):
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return CliRunner().invoke(cli, ["validate", str(path), *extra])


@pytest.mark.parametrize(("old", "new", "field"), [
    ("replications: 10", "replications: yes", "replications"),
    ("replications: 10", "replications: on", "replications"),
    ("seed: 2026", "seed: true", "seed"),
    ("handle_time: {dist: lognormal, mean: 6min, cv: 1.0}", "handle_time: {dist: lognormal, mean: 6, cv: 1.0}",
     "channels.phone.handle_time.mean"),
    ("horizon: 5d", "horizon: 5d\nhorizon: 1d", "horizon"),
    ("priority: {share: 0.1", "priority: {share: 0.1, share: 0.2", "share"),
])
def test_yaml_traps_are_errors_not_silent_readings(tmp_path, old, new, field):
    assert old in PHONE
    result = _run(tmp_path, PHONE.replace(old, new, 1))
    assert result.exit_code == 2 and field in result.output and "Traceback" not in result.output, result.output


def test_a_key_written_twice_is_reported_with_its_line(tmp_path):
    result = _run(tmp_path, PHONE.replace("horizon: 5d", "horizon: 5d\nhorizon: 1d", 1))
    assert "found the key 'horizon' twice" in result.output and "at line" in result.output, result.output


def test_an_unquoted_clock_time_is_a_time_of_day_not_base_60(tmp_path):
    assert "channels:\n  phone:\n" in PHONE
    path = tmp_path / "s.yaml"
    path.write_text(PHONE.replace("channels:\n  phone:\n", "channels:\n  phone:\n    hours: {open: 8:00, close: 18:00}\n"))
    from sim.config import load_config

    hours = load_config(path).channels.phone.hours
    assert (hours.open, hours.close) == (8 * 3600, 18 * 3600)


def test_a_group_name_misspelt_in_set_is_an_error_and_plus_adds_one(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(PHONE)
    result = CliRunner().invoke(cli, ["validate", str(path), "--set", "agents.phone_tem.staffing=20"])
    assert result.exit_code == 2 and "agents has no 'phone_tem'" in result.output and "agents.+phone_tem" \
        in result.output, result.output
    from sim.config import load_config

    added = load_config(path, ["agents.+evening.staffing=4"])
    assert list(added.agents) == ["phone_team", "evening"] and added.agents["evening"].staffing == [4]


@pytest.mark.parametrize("key", ["agents.phone_tem.staffing", "customers.tiers.prority.share",
                                 "agents.phone_team.skills.genral"])
def test_an_experiment_factor_through_a_misspelt_name_is_refused(tmp_path, key):
    (tmp_path / "base.yaml").write_text(PHONE)
    (tmp_path / "exp.yaml").write_text(yaml.safe_dump({"base": "base.yaml", "grid": {key: [0.5, 1]}}))
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "exp.yaml")])
    assert result.exit_code == 2 and "has no" in result.output and "Traceback" not in result.output, result.output


# --- special files -------------------------------------------------------------------------------------------


def _servsim(*args, timeout=3600):
    return subprocess.run([str(Path(sys.executable).parent / "servsim"), *map(str, args)], capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_devices_and_pipes_are_refused_at_once(tmp_path, special):
    if special == "fifo":
        special = tmp_path / "fifo"
        os.mkfifo(special)
    done = _servsim("validate", special)
    assert done.returncode == 2 and "not a regular file" in done.stderr and "Traceback" not in done.stderr


def test_a_file_nested_too_deeply_is_one_clean_error(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 5000 + "]" * 5000 + "\n" + PHONE)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output


def test_a_file_too_large_to_be_a_scenario_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(PHONE + "#" * 10_000_001)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2 and "at most 10,000,000" in result.output, result.output


# --- demand that would be lost ---------------------------------------------------------------------------------


def test_volume_in_closed_hours_is_refused_naming_the_field(tmp_path):
    data = yaml.safe_load(PHONE)
    data["channels"]["phone"]["hours"] = {"open": "09:00", "close": "18:00"}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2 and "arrivals.profile puts" in result.output and "08:00" in result.output, \
        result.output


def test_a_day_weight_on_a_closed_day_is_refused(tmp_path):
    data = yaml.safe_load(PHONE)
    data["channels"]["phone"]["hours"] = {"open": "08:00", "close": "18:00", "days": ["mon", "tue", "wed", "thu"]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2 and "day_weights gives fri" in result.output, result.output


# --- the calculator -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "words"), [
    (["--arrival-rate", "2400/day", "--aht", "5min", "--target-sl", "0.8"], "--open-hours"),
    (["--arrival-rate", "2/week", "--aht", "5min", "--target-sl", "0.8"], "per day or per a shorter period"),
    (["--arrival-rate", "120/h", "--aht", "5", "--target-sl", "0.8"], "has no unit"),
    (["--arrival-rate", "120", "--aht", "5min", "--target-sl", "0.8"], "has no unit"),
    (["--arrival-rate", "1e300/s", "--aht", "1e10s", "--target-sl", "0.8"], "not a finite number"),
    (["--arrival-rate", "120/h", "--open-hours", "10h", "--aht", "5min", "--target-sl", "0.8"], "--open-hours"),
])
def test_the_calculator_refuses_silent_mistakes(args, words):
    result = CliRunner().invoke(cli, ["erlang", *args])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output, result.output


def test_a_daily_volume_with_open_hours_is_spread_over_them():
    result = CliRunner().invoke(cli, ["erlang", "--arrival-rate", "2400/day", "--open-hours", "10h", "--aht",
                                      "5min", "--agents", "25", "--json"])
    direct = CliRunner().invoke(cli, ["erlang", "--arrival-rate", "240/h", "--aht", "5min", "--agents", "25",
                                      "--json"])
    assert result.exit_code == 0 and result.output == direct.output
