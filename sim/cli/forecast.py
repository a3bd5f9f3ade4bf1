"""``servsim forecast``: interval volumes forecast from their history, with holdout accuracy and quantiles."""

from __future__ import annotations

import math
import shlex
import sys
from pathlib import Path

import click

from sim.cli.base import DURATION, POSITIVE_DURATION, cli


def _quantiles(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(q) for q in text.split(","))
    except ValueError:
        raise click.BadParameter("expected shares such as 0.5,0.8,0.9", param_hint="--quantiles") from None
    if not all(0 < q < 1 for q in values):
        raise click.BadParameter("each quantile must be between 0 and 1", param_hint="--quantiles")
    return values


@cli.command()
@click.argument("volumes", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--horizon", type=POSITIVE_DURATION, default="4w", show_default=True,
              help="How far ahead, in whole days, from the first Monday after the history.")
@click.option("--holdout", type=DURATION, default="2w", show_default=True,
              help="The last part of the history kept back to measure accuracy (0 for none).")
@click.option("--method", type=click.Choice(["auto", "naive", "ets"]), default="auto", show_default=True,
              help="auto: the method with the lower holdout WAPE.")
@click.option("--quantiles", default="0.5,0.8,0.9", show_default=True, help="Quantile columns of forecast.csv.")
@click.option("--staff-to", "staff_to", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.8,
              show_default=True, help="The quantile arrivals.yaml takes (a plan staffed to the 80th percentile).")
@click.option("--interval", type=POSITIVE_DURATION, help="Interval length (default: read from the timestamps).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write forecast.csv, arrivals.yaml, accuracy.csv, charts and forecast.html here (default: "
                   "forecast/ beside the history).")
def forecast(volumes: Path, horizon, holdout, method, quantiles, staff_to, interval, out) -> None:
    """Forecast interval volumes from a history (CSV or xlsx: timestamp, channel, volume).

    \b
    Example:
      servsim forecast results/calibration/volumes.csv --horizon 4w --out results/forecast
    """
    from sim.config.tables import TableError
    from sim.data.forecast import forecast_channel
    from sim.data.volumes import read_history
    from sim.errors import InputError
    from sim.report.forecast import write_forecast

    if horizon % 86400 or (holdout and holdout % 86400):
        raise click.BadParameter("--horizon and --holdout are whole days (e.g. 4w, 10d)")
    levels = tuple(sorted(set(_quantiles(quantiles)) | {staff_to}))
    try:
        history = read_history(volumes, interval)
    except TableError as exc:
        raise InputError(str(exc)) from None
    if history.days < 14:
        raise InputError(f"{volumes}: column timestamp: the history covers {history.days} day(s); a weekly "
                         "season needs at least two weeks (14 days)")
    results = [forecast_channel(series, channel, history.interval, int(horizon // 86400), int(holdout // 86400),
                                levels, None if method == "auto" else method)
               for channel, series in history.series.items()]
    out = out if out is not None else volumes.parent / "forecast"
    column = f"volume_p{round(staff_to * 100)}"
    command = shlex.join(["servsim", *sys.argv[1:]]) if sys.argv[0].endswith("servsim") else None
    write_forecast(results, out, column, str(volumes), history.notes, command)
    _print(history, results, column, out)


def _print(history, results, column: str, out: Path) -> None:
    from rich.table import Table

    from sim.console import stdout

    console = stdout()
    console.print(f"[bold]{history.source}[/bold]: {history.days} days of {history.interval / 60:g}-min intervals, "
                  f"{', '.join(history.series)}")
    for note in history.notes + [n for r in results for n in r.notes]:
        console.print(f"[yellow]warning[/yellow]: {note}", highlight=False)
    for r in results:
        if len(r.accuracy):
            table = Table(title=f"{r.channel}: holdout accuracy ({len(r.holdout_actual) * history.interval / 86400:g}"
                                " days)")
            for name in ("method", "WAPE", "MAPE", "bias", "WAPE daily", f"days <= p{column[8:]}"):
                table.add_column(name, justify="left" if name == "method" else "right")
            for row in r.accuracy.to_dict("records"):
                table.add_row(row["method"] + (" (chosen)" if row["method"] == r.chosen else ""), _pct(row["wape"]),
                              _pct(row["mape"]), f"{row['bias']:+.1%}", _pct(row["wape_daily"]),
                              _pct(row[f"coverage_p{column[8:]}_daily"]))
            console.print(table)
        f = r.forecast
        console.print(f"{r.channel}: {f.note or r.chosen}, {len(f.daily)} days from {f.daily.index.min().date()}: "
                      f"mean {f.daily['volume'].mean():,.0f} contacts/day, {column} {f.daily[column].mean():,.0f}")
    click.echo(f"forecast.csv, arrivals.yaml, forecast.html and charts written to {out}/")


def _pct(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1%}"
