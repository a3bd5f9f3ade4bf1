"""Volumes and staffing from CSV/xlsx files named in a scenario: read relative to the YAML, validated cell by cell."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from helpers import phone_scenario

import sim
from sim.cli import cli
from sim.errors import InputError, InputWarning
from sim.model.arrivals import expected_counts


def write_scenario(tmp_path, **phone):
    data = phone_scenario(horizon="2d", interval="6h")
    data["channels"]["phone"].update(phone)
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def volumes_frame(values, start="2024-01-01", step="6h", **extra):
    stamps = pd.date_range(start, periods=len(values), freq=step)
    return pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%d %H:%M"), "volume": values, **extra})


def test_a_volumes_file_beside_the_scenario_becomes_volumes_per_interval(tmp_path):
    volumes_frame([0, 40, 60, 0]).to_csv(tmp_path / "volumes.csv", index=False)
    scenario = sim.load_config(write_scenario(tmp_path, arrivals={"file": "volumes.csv"}))
    arrivals = scenario.channels.phone.arrivals
    assert arrivals.volumes == [0, 40, 60, 0]
    # one day of volumes repeats every day of the 2-day horizon
    assert expected_counts(arrivals, 6 * 3600, 2 * 86400).tolist() == [0, 40, 60, 0, 0, 40, 60, 0]


def test_an_xlsx_file_with_channels_and_a_quantile_column(tmp_path):
    frame = pd.concat([volumes_frame([1, 2, 3, 4], channel="phone", volume_p80=[2, 3, 4, 5]),
                       volumes_frame([9, 9, 9, 9], channel="email", volume_p80=[9, 9, 9, 9])])
    frame.to_excel(tmp_path / "forecast.xlsx", index=False)
    scenario = sim.load_config(write_scenario(tmp_path, arrivals={"file": "forecast.xlsx", "column": "volume_p80"}))
    assert scenario.channels.phone.arrivals.volumes == [2, 3, 4, 5]


def test_a_staffing_file_by_time_of_day(tmp_path):
    pd.DataFrame({"time": ["00:00", "06:00", "12:00", "18:00"], "agents": [0, 5, 7, 2]}).to_csv(
        tmp_path / "staffing.csv", index=False)
    data = phone_scenario(horizon="2d", interval="6h")
    data["agents"]["team"]["staffing"] = {"file": "staffing.csv"}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    assert sim.load_config(tmp_path / "s.yaml").agents["team"].staffing == [0, 5, 7, 2]


@pytest.mark.parametrize(("frame", "message"), [
    (volumes_frame([1, -2, 3, 4]), "volumes.csv: row 3, column volume: -2 is negative"),
    (volumes_frame([1, 2, 3, 4]).drop(index=2), "volumes.csv: row 4, column timestamp: 2024-01-01 18:00:00 follows "
                                                "2024-01-01 06:00:00: 1 interval(s) of 360min missing"),
    (volumes_frame([1, 2, 3, 4]).rename(columns={"volume": "calls"}), "volumes.csv: column volume missing"),
    (volumes_frame([1, "x", 3, 4]), "volumes.csv: row 3, column volume: 'x' is not a number"),
    (volumes_frame([1, 2, 3, 4]).assign(timestamp=["2024-01-01 00:00", "soon", "b", "c"]),
     "volumes.csv: row 3, column timestamp: 'soon' is not a date and time"),
    (volumes_frame([1, 2, 3, 4], start="2024-01-01 06:00"), "the first interval starts at 06:00:00; start at 00:00"),
    (volumes_frame([1] * 8, start="2024-01-02"), "2024-01-02 is a Tuesday; a file longer than a day starts on a Monday"),
    (volumes_frame([1] * 4, step="4h"), "volumes.csv: rows are 240min apart; the scenario's interval is 360min"),
    (volumes_frame([1] * 6), "6 interval volumes (from"),
])
def test_bad_volume_files_are_one_error_naming_file_row_and_column(tmp_path, frame, message):
    frame.to_csv(tmp_path / "volumes.csv", index=False)
    with pytest.raises(InputError, match=None) as error:
        sim.load_config(write_scenario(tmp_path, arrivals={"file": "volumes.csv"}))
    assert message in str(error.value)
    assert str(tmp_path / "scenario.yaml") in str(error.value)


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(InputError, match="nowhere.csv: file not found"):
        sim.load_config(write_scenario(tmp_path, arrivals={"file": "nowhere.csv"}))


def test_a_dumped_scenario_validates_again_without_reading_its_files(tmp_path):
    from sim.config.loader import validate
    from sim.config.schema import Scenario

    volumes_frame([0, 40, 60, 0]).to_csv(tmp_path / "volumes.csv", index=False)
    scenario = sim.load_config(write_scenario(tmp_path, arrivals={"file": "volumes.csv"}))
    dumped = scenario.model_dump(by_alias=True)
    assert validate(Scenario, dumped, "dump", units_required=False) == scenario  # the file agrees: no warning
    (tmp_path / "volumes.csv").unlink()
    with pytest.warns(InputWarning, match="volumes.csv not found; using the 'volumes' given beside it"):
        again = validate(Scenario, dumped, "dump", units_required=False)  # seconds
    assert again.channels.phone.arrivals.volumes == [0, 40, 60, 0]
    assert validate(Scenario, sim.load_config(write_scenario(tmp_path, arrivals={"rate": "2/min"})).model_dump(
        by_alias=True), "dump", units_required=False).channels.phone.arrivals.rate > 0


def test_a_sweep_reads_files_beside_its_base_scenario(tmp_path):
    volumes_frame([0, 40, 60, 0]).to_csv(tmp_path / "volumes.csv", index=False)
    write_scenario(tmp_path, arrivals={"file": "volumes.csv"})
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "exp.yaml").write_text(yaml.safe_dump(
        {"base": "../scenario.yaml", "grid": {"agents.team.staffing": [8, 9]}, "replications": 1}))
    plan = sim.load_experiment(tmp_path / "sub" / "exp.yaml")
    assert [s.scenario.channels.phone.arrivals.volumes for s in plan.scenarios] == [[0, 40, 60, 0]] * 2


def test_day_dispersion_is_a_non_negative_arrivals_key(tmp_path):
    scenario = sim.load_config(write_scenario(tmp_path, arrivals={"rate": "2/min", "day_dispersion": 0.05}))
    assert scenario.channels.phone.arrivals.day_dispersion == 0.05
    with pytest.raises(InputError, match="day_dispersion"):
        sim.load_config(write_scenario(tmp_path, arrivals={"rate": "2/min", "day_dispersion": -1}))


def test_volumes_beside_a_file_that_gives_others_are_one_error_naming_file_field_and_interval(tmp_path):
    volumes_frame([0, 40, 60, 0]).to_csv(tmp_path / "volumes.csv", index=False)
    path = write_scenario(tmp_path, arrivals={"file": "volumes.csv", "volumes": [0, 40, 50, 0]})
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = result.output.strip()
    assert line.count("\n") == 0 and line.startswith("error: ")
    assert "channels.phone.arrivals: 'volumes' and 'file'" in line and "volumes.csv (column volume)" in line
    assert "differ at interval 2 (50 in volumes, 60 in the file); give one of them" in line
    short = write_scenario(tmp_path, arrivals={"file": "volumes.csv", "volumes": [0, 40]})
    with pytest.raises(InputError, match="with 2 and 4 intervals; give one of them"):
        sim.load_config(short)
    same = write_scenario(tmp_path, arrivals={"file": "volumes.csv", "volumes": [0, 40, 60, 0]})
    assert sim.load_config(same).channels.phone.arrivals.volumes == [0, 40, 60, 0]


def test_volumes_beside_a_missing_file_are_used_with_a_one_line_warning(tmp_path):
    path = write_scenario(tmp_path, arrivals={"file": "gone.csv", "volumes": [0, 40, 60, 0]})
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "channels.phone.arrivals: file" in warnings[0] and "gone.csv not found" in warnings[0]


def test_a_file_beside_a_daily_volume_is_an_error_naming_the_file(tmp_path):
    volumes_frame([0, 40, 60, 0]).to_csv(tmp_path / "volumes.csv", index=False)
    with pytest.raises(InputError, match="channels.phone.arrivals: give one of .*, not daily_volume and file"):
        sim.load_config(write_scenario(tmp_path, arrivals={"file": "volumes.csv", "daily_volume": 100}))
