"""Forecasting on histories whose answer is known: a strictly weekly series, hand-computed accuracy, bad histories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from helpers import phone_scenario

import sim
from sim.cli import cli
from sim.data.forecast import accuracy, ets, forecast_channel, naive
from sim.data.volumes import read_history

INTERVAL = 6 * 3600.0  # four intervals a day keep the series small
WEEK = np.array([[0, 40, 60, 0], [0, 30, 50, 0], [0, 30, 50, 0], [0, 30, 50, 0], [0, 20, 40, 0], [0, 5, 5, 0],
                 [0, 0, 0, 0]], dtype=float)


def weekly_series(weeks: int, start: str = "2024-01-01") -> pd.Series:
    values = np.tile(WEEK.ravel(), weeks)
    return pd.Series(values, index=pd.date_range(start, periods=values.size, freq="6h"))


def test_accuracy_by_hand():
    # |f - a| = 2, 0, 3 over a = 10, 0, 5: WAPE 5 / 15; MAPE over a > 0: (0.2 + 0.6) / 2; bias (-2 + 0 + 3) / 15
    result = accuracy(pd.Series([10.0, 0.0, 5.0]), pd.Series([8.0, 0.0, 8.0]))
    assert result == pytest.approx({"wape": 1 / 3, "mape": 0.4, "bias": 1 / 15})


@pytest.mark.integration
def test_a_strictly_weekly_history_is_forecast_exactly_by_both_methods():
    series = weekly_series(6)
    for method in (naive, ets):
        f = method(series, INTERVAL, 14, (0.8,))
        assert f.intervals["volume"].to_numpy() == pytest.approx(np.tile(WEEK.ravel(), 2), abs=0.5), method
    # the naive method's quantiles come from week-on-week changes: none here, so no spread
    assert naive(series, INTERVAL, 7, (0.8,)).daily["volume_p80"].tolist() == WEEK.sum(axis=1).tolist()


@pytest.mark.integration
def test_holdout_accuracy_and_a_forecast_that_starts_on_a_monday():
    series = weekly_series(6).iloc[:-8]  # ends on a Friday evening
    result = forecast_channel(series, "phone", INTERVAL, 14, 14, (0.5, 0.8))
    assert set(result.accuracy["method"]) == {"naive", "ets"}
    assert result.accuracy["wape"].max() < 0.02  # a weekly series is almost perfectly forecast by both
    assert result.forecast.daily.index[0] == pd.Timestamp("2024-02-12") and len(result.forecast.daily) == 14
    assert result.forecast.daily.index[0].day_of_week == 0


def write_history(tmp_path, series: pd.Series, name: str = "history.csv"):
    frame = pd.DataFrame({"timestamp": series.index.strftime("%Y-%m-%d %H:%M"), "channel": "phone",
                          "volume": series.to_numpy()})
    path = tmp_path / name
    frame.to_excel(path, index=False) if name.endswith(".xlsx") else frame.to_csv(path, index=False)
    return path


@pytest.mark.integration
def test_forecast_cli_writes_a_volumes_file_a_scenario_can_name(tmp_path):
    path = write_history(tmp_path, weekly_series(6), "history.xlsx")
    result = CliRunner().invoke(cli, ["forecast", str(path), "--horizon", "2w", "--out", str(tmp_path / "fc")])
    assert result.exit_code == 0, result.output
    assert "holdout accuracy" in result.output and "WAPE" in result.output
    block = yaml.safe_load((tmp_path / "fc" / "arrivals.yaml").read_text())
    assert block["channels"]["phone"]["arrivals"] == {"file": "forecast.csv", "column": "volume_p80"}
    data = phone_scenario(horizon="2w", interval="6h")
    data["channels"]["phone"]["arrivals"] = block["channels"]["phone"]["arrivals"]
    (tmp_path / "fc" / "scenario.yaml").write_text(yaml.safe_dump(data))
    scenario = sim.load_config(tmp_path / "fc" / "scenario.yaml")
    assert len(scenario.channels.phone.arrivals.volumes) == 14 * 4
    assert (tmp_path / "fc" / "charts" / "phone_forecast.png").exists()


def test_a_history_shorter_than_two_weeks_is_an_error(tmp_path):
    path = write_history(tmp_path, weekly_series(1))
    result = CliRunner().invoke(cli, ["forecast", str(path), "--out", str(tmp_path / "fc")])
    assert result.exit_code == 2
    assert "history.csv: column timestamp: the history covers 7 day(s); a weekly season needs at least two weeks" \
        in result.output
    assert not (tmp_path / "fc").exists()


def test_absent_intervals_count_as_zero_and_are_reported(tmp_path):
    series = weekly_series(3)
    path = write_history(tmp_path, series[series > 0])  # an export that skips empty intervals
    history = read_history(path)
    assert history.interval == INTERVAL
    assert history.series["phone"].sum() == series.sum() and len(history.series["phone"]) == len(series) - 4
    assert any("counted as 0" in n for n in history.notes)


def test_duplicated_and_negative_rows_are_errors(tmp_path):
    frame = pd.DataFrame({"timestamp": ["2024-01-01 00:00", "2024-01-01 06:00", "2024-01-01 06:00"],
                          "volume": [1, 2, 3]})
    frame.to_csv(tmp_path / "h.csv", index=False)
    with pytest.raises(ValueError, match="h.csv: row 4, column timestamp: 2024-01-01 06:00:00 appears twice"):
        read_history(tmp_path / "h.csv")
    frame.assign(timestamp=["2024-01-01 00:00", "2024-01-01 06:00", "2024-01-01 12:00"],
                 volume=[1, -2, 3]).to_csv(tmp_path / "h.csv", index=False)
    with pytest.raises(ValueError, match="h.csv: row 3, column volume: -2 is negative"):
        read_history(tmp_path / "h.csv")


@pytest.mark.integration
def test_forecast_writes_a_self_contained_html_page_with_the_holdout_accuracy_table(tmp_path):
    import re

    rng = np.random.default_rng(3)
    series = weekly_series(6) * rng.uniform(0.8, 1.2, 6 * 28)  # noisy weeks, so the two methods differ
    series = series[series.index.normalize() != pd.Timestamp("2024-01-07")]  # an export that skips a Sunday
    path = write_history(tmp_path, series.round(1))
    out = tmp_path / "fc"
    result = CliRunner().invoke(cli, ["forecast", str(path), "--horizon", "2w", "--holdout", "2w", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "forecast.html" in result.output
    page = (out / "forecast.html").read_text()
    # self-contained: both charts embedded, nothing fetched
    assert page.count("data:image/png;base64,") == 2 and not re.search(r"src=\"https?:", page)
    assert "history, fit and forecast" in page and "phone: holdout" in page
    assert "counted as 0" in page  # the history's warning is on the page too
    assert "channels:" in page and "volume_p80" in page  # the arrivals.yaml block
    # the accuracy table: one row per row of accuracy.csv, its shares as printed percentages
    accuracy = pd.read_csv(out / "accuracy.csv")
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", page)]
    shown = {r[1].removesuffix(" (chosen)"): r for r in rows if len(r) == len(accuracy.columns)}
    assert set(shown) == set(accuracy["method"])
    for row in accuracy.to_dict("records"):
        cells = dict(zip(accuracy.columns, shown[row["method"]]))
        assert cells["wape"] == f"{row['wape']:.1%}" and cells["mape"] == f"{row['mape']:.1%}"
        assert cells["bias"] == f"{row['bias']:+.1%}"
        assert cells["coverage_p80_daily"] == f"{row['coverage_p80_daily']:.1%}"
    # with --method auto the method of lower interval WAPE is chosen, and marked so
    best = accuracy.sort_values("wape")["method"].iloc[0]
    assert shown[best][1] == f"{best} (chosen)" and sum("(chosen)" in r[1] for r in shown.values()) == 1
