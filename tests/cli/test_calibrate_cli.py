"""``servsim calibrate`` on real files: a column mapping, an xlsx log, and bad input as one line, exit 2."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from sim.cli import cli


def small_log(n_days: int = 3) -> pd.DataFrame:
    stamps = pd.date_range("2024-01-01 08:00", periods=n_days * 20, freq="36min")
    outcome = ["answered", "answered", "abandoned", "answered"] * (len(stamps) // 4)
    return pd.DataFrame({"arrival_time": stamps.strftime("%Y-%m-%d %H:%M:%S"), "channel": "phone",
                         "wait_seconds": [5.0, 30.0, 45.0, 12.0] * (len(stamps) // 4), "outcome": outcome,
                         "handle_seconds": [None if o == "abandoned" else 200.0 + 10 * i for i, o in
                                            enumerate(outcome)]})


def calibrate(tmp_path, frame: pd.DataFrame, *args: str, name: str = "log.csv"):
    path = tmp_path / name
    if name.endswith(".xlsx"):
        frame.to_excel(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return CliRunner().invoke(cli, ["calibrate", str(path), "--out", str(tmp_path / "out"), *args])


@pytest.mark.integration
def test_an_xlsx_log_in_the_documented_format(tmp_path):
    result = calibrate(tmp_path, small_log(), name="log.xlsx")
    assert result.exit_code == 0, result.output
    assert "handle_time.mean" in result.output
    assert "the log covers 2 day(s)" in " ".join(result.output.split())  # weak: fewer than two weeks
    assert "phone patience (mean, median_km, weibull_shape, weibull_scale, weibull_mean): weak: only 15 " \
        "abandonments" in " ".join(result.output.split())
    assert (tmp_path / "out" / "calibrated.yaml").read_text().startswith("# Calibrated by servsim")


@pytest.mark.integration
def test_a_column_mapping_with_units_codes_and_a_constant(tmp_path):
    log = small_log()
    export = pd.DataFrame({"Start": pd.to_datetime(log["arrival_time"]).dt.strftime("%d/%m/%Y %H:%M"),
                           "Queue (min)": log["wait_seconds"] / 60,
                           "Result": log["outcome"].map({"answered": "ANS", "abandoned": "ABN"}),
                           "Talk": log["handle_seconds"].map(lambda s: "" if pd.isna(s) else
                                                             f"0:{int(s // 60):02d}:{int(s % 60):02d}")})
    (tmp_path / "map.yaml").write_text(
        "columns: {arrival_time: Start, wait_seconds: Queue (min), outcome: Result, handle_seconds: Talk}\n"
        "constants: {channel: phone}\n"
        "units: {wait_seconds: min, handle_seconds: 'hh:mm:ss'}\n"
        "values: {outcome: {ANS: answered, ABN: abandoned}}\n"
        "timestamp_format: '%d/%m/%Y %H:%M'\n")
    mapped = calibrate(tmp_path, export, "--columns", str(tmp_path / "map.yaml"), "--json")
    assert mapped.exit_code == 0, mapped.output
    small_log().to_csv(tmp_path / "log.csv", index=False)
    direct = CliRunner().invoke(cli, ["calibrate", str(tmp_path / "log.csv"), "--json", "--out", str(tmp_path / "o2")])
    import json

    first, second = (json.loads(r.output)["estimates"] for r in (mapped, direct))
    pick = {e["parameter"]: e["estimate"] for e in first}
    assert pick["handle_time.mean"] == pytest.approx({e["parameter"]: e["estimate"] for e in second}
                                                     ["handle_time.mean"])
    # every 4 rows wait 5 + 30 + 45 + 12 = 92 s in all with one abandonment: mean patience 92 s
    assert pick["patience.mean"] == pytest.approx(92.0)


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f.assign(arrival_time=f["arrival_time"].where(f.index != 4, "yesterday")),
     "log.csv: row 6, column arrival_time: 'yesterday' is not a date and time"),
    (lambda f: f.assign(wait_seconds=f["wait_seconds"].where(f.index != 7, -3.0)),
     "log.csv: row 9, column wait_seconds: -3 is negative"),
    (lambda f: f.assign(handle_seconds=f["handle_seconds"].where(f.index != 2, 120.0)),
     "log.csv: row 4, column handle_seconds: a contact that was abandoned has handle time 120 s"),
    (lambda f: f.assign(outcome=f["outcome"].where(f.index != 1, "hung up")),
     "log.csv: row 3, column outcome: 'hung up' is not an outcome"),
    (lambda f: f.drop(columns="wait_seconds"), "log.csv: column wait_seconds missing"),
])
def test_bad_logs_are_one_line_naming_file_row_and_column(tmp_path, change, message):
    result = calibrate(tmp_path, change(small_log()))
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.startswith("error: ") and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_a_channel_with_no_rows_is_an_error(tmp_path):
    result = calibrate(tmp_path, small_log(), "--channel", "email")
    assert result.exit_code == 2
    assert "log.csv: column channel: no rows for channel 'email' (found: phone)" in result.output
