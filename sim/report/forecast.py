"""A forecast's results directory: ``forecast.csv`` (a volumes file a scenario can name), ``arrivals.yaml``
(the scenario block that names it), ``accuracy.csv`` and the charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

import sim
from sim.data.forecast import ChannelForecast, Forecast, daily_totals
from sim.data.volumes import write_csv
from sim.experiment.store import write_atomic


def _fitted(result: ChannelForecast) -> Forecast:
    assert result.forecast is not None, "only fitted channels are written"
    return result.forecast


def forecast_table(results: list[ChannelForecast]) -> pd.DataFrame:
    """Every channel's interval forecast: ``timestamp, channel, volume, volume_pNN...``."""
    parts = []
    for r in results:
        frame = _fitted(r).intervals.round(3)
        parts.append(frame.rename_axis("timestamp").reset_index().assign(channel=r.channel))
    table = pd.concat(parts, ignore_index=True)
    return table[["timestamp", "channel", *[c for c in table.columns if c.startswith("volume")]]]


def arrivals_text(results: list[ChannelForecast], column: str, source: str) -> str:
    """The scenario keys that take the forecast: ``channels.<channel>.arrivals: {file, column}``."""
    first = min(_fitted(r).daily.index.min() for r in results).date()
    header = [f"# Forecast by servsim {sim.__version__} from {source}; staffing to the {column} column of",
              f"# forecast.csv (week starting Monday {first}). Keep forecast.csv beside the scenario, or write its",
              "# path relative to the scenario file. 'volume' is the mean forecast."]
    block = {"channels": {r.channel: {"arrivals": {"file": "forecast.csv", "column": column}} for r in results}}
    return "\n".join(header) + "\n" + yaml.safe_dump(block, sort_keys=False)


def write_forecast(results: list[ChannelForecast], out: Path, column: str, source: str) -> list[Path]:
    """Every output of a forecast in ``out``; returns the paths written."""
    from sim.plots.forecast import forecast_chart, holdout_chart
    from sim.plots.style import save

    out = Path(out)
    written = [out / "forecast.csv", out / "arrivals.yaml"]
    write_csv(forecast_table(results), written[0])
    write_atomic(written[1], lambda tmp: tmp.write_text(arrivals_text(results, column, source), encoding="utf-8"))
    accuracy = pd.concat([r.accuracy for r in results if len(r.accuracy)], ignore_index=True) \
        if any(len(r.accuracy) for r in results) else None
    if accuracy is not None:
        written.append(out / "accuracy.csv")
        write_atomic(written[-1], lambda tmp: accuracy.to_csv(tmp, index=False))
    for r in results:
        history = daily_totals(r.history)
        fitted = _fitted(r)
        written += save(forecast_chart(history, fitted.fitted, fitted.daily, column, r.channel,
                                       fitted.note or r.chosen), out / "charts" / f"{r.channel}_forecast")
        if r.holdout:
            actual = daily_totals(r.holdout_actual)
            written += save(holdout_chart(actual, {m: f.daily["volume"] for m, f in r.holdout.items()}, r.accuracy,
                                          r.channel), out / "charts" / f"{r.channel}_holdout")
    return written
