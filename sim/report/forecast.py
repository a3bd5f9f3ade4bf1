"""A forecast's results directory: ``forecast.csv`` (a volumes file a scenario can name), ``arrivals.yaml``
(the scenario block that names it), ``accuracy.csv``, the charts and ``forecast.html``, a self-contained page
in the calibration page's style (charts embedded, no network)."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import yaml

import sim
from sim.data.forecast import ChannelForecast, Forecast, daily_totals
from sim.data.volumes import write_csv
from sim.experiment.store import write_atomic
from sim.report.html import CSS, _figure, _section

SOURCES = """<ul>
<li>Hyndman, R. J. &amp; Athanasopoulos, G. (2021). <em>Forecasting: principles and practice</em>, 3rd ed.,
OTexts: the seasonal naive method (§5.2) and its prediction intervals (§5.5); exponential smoothing, ETS
(ch. 8); WAPE, MAPE and bias (§5.8).</li>
<li>statsmodels <code>ETSModel</code>: the ETS fit and its prediction intervals.</li>
</ul>"""


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


def write_forecast(results: list[ChannelForecast], out: Path, column: str, source: str,
                   notes: Sequence[str] = (), command: str | None = None) -> list[Path]:
    """Every output of a forecast in ``out``, ``forecast.html`` last; returns the paths written. ``notes``:
    warnings about the history, shown on the page with the channels' own."""
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
    charts = []
    for r in results:
        history = daily_totals(r.history)
        fitted = _fitted(r)
        paths = save(forecast_chart(history, fitted.fitted, fitted.daily, column, r.channel,
                                    fitted.note or r.chosen), out / "charts" / f"{r.channel}_forecast")
        charts.append({"png": str(paths[0]), "title": f"{r.channel}: history, fit and forecast",
                       "caption": f"Contacts per day: the history, the in-sample fit where the method has one, and "
                                  f"the forecast with its {column} quantile (the column arrivals.yaml staffs to)."})
        written += paths
        if r.holdout:
            actual = daily_totals(r.holdout_actual)
            paths = save(holdout_chart(actual, {m: f.daily["volume"] for m, f in r.holdout.items()}, r.accuracy,
                                       r.channel), out / "charts" / f"{r.channel}_holdout")
            charts.append({"png": str(paths[0]), "title": f"{r.channel}: holdout",
                           "caption": "The last part of the history, kept back, against each method's forecast "
                                      "from the history before it."})
            written += paths
    page = render(results, charts, column, source, [*notes, *(n for r in results for n in r.notes)], command)
    write_atomic(out / "forecast.html", lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return written + [out / "forecast.html"]


def render(results: list[ChannelForecast], charts: list[dict], column: str, source: str, notes: Sequence[str],
           command: str | None = None) -> str:
    """The whole page as one string: what was forecast, warnings, charts, holdout accuracy, the scenario block."""
    sections = [
        _header(results, source, command),
        _section("Warnings", "<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"
                 if notes else "<p>None.</p>"),
        _section("Forecast", _forecast_table(results, column)),
        _section("Charts", "".join(_figure(c) for c in charts)),
        _section("Holdout accuracy (accuracy.csv)", _accuracy_table(results)),
        _section("Scenario block (arrivals.yaml)", f"<pre>{html.escape(arrivals_text(results, column, source))}</pre>"),
        _section("Sources", SOURCES),
    ]
    title = html.escape(f"servsim forecast: {Path(source).name}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{CSS}</style></head><body>{''.join(sections)}</body></html>\n")


def _header(results: list[ChannelForecast], source: str, command: str | None) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    days = max(len(daily_totals(r.history)) for r in results)
    run = f"<p class=\"meta\">Command: <code>{html.escape(command)}</code></p>" if command else ""
    return (f"<h1>Forecast from {html.escape(Path(source).name)}</h1>"
            f"<p class=\"meta\">{days} days of history on {html.escape(', '.join(r.channel for r in results))}; "
            f"made {when} with servsim {html.escape(sim.__version__)}. Volumes are expected contacts.</p>{run}")


def _forecast_table(results: list[ChannelForecast], column: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("channel", "method", "first day", "days", "mean per day",
                                              f"{column} per day"))
    rows = []
    for r in results:
        f = _fitted(r)
        cells = [r.channel, f.note or r.chosen, str(f.daily.index.min().date()), str(len(f.daily)),
                 f"{f.daily['volume'].mean():,.1f}", f"{f.daily[column].mean():,.1f}"]
        rows.append("<tr>" + "".join(f"<td class=\"name\">{html.escape(c)}</td>" if i < 3 else f"<td>{c}</td>"
                                     for i, c in enumerate(cells)) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _accuracy_table(results: list[ChannelForecast]) -> str:
    """Every row of accuracy.csv, shares as percentages; the chosen method marked."""
    frames = [r.accuracy.assign(chosen=r.accuracy["method"] == r.chosen) for r in results if len(r.accuracy)]
    if not frames:
        return "<p>No holdout: the history is too short to keep part of it back (or --holdout 0).</p>"
    table = pd.concat(frames, ignore_index=True)
    shares = [c for c in table.columns if c not in ("channel", "method", "chosen")]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ("channel", "method", *shares))
    rows = []
    for row in table.to_dict("records"):
        method = row["method"] + (" (chosen)" if row["chosen"] else "")
        values = [_pct(row[c], signed=c.startswith("bias")) for c in shares]
        rows.append(f"<tr><td class=\"name\">{html.escape(row['channel'])}</td><td class=\"name\">{method}</td>"
                    + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    return ("<p>WAPE: sum |forecast - actual| / sum actual; MAPE: the mean of |forecast - actual| / actual over "
            "intervals with contacts; bias: sum (forecast - actual) / sum actual; per interval, and per day "
            "(<code>_daily</code>). coverage_pNN_daily: the share of holdout days at or below that quantile "
            "(near NN% when the quantiles are honest).</p>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table>")


def _pct(value: float, signed: bool = False) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"{value:+.1%}" if signed else f"{value:.1%}"
