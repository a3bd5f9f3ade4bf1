"""``servsim calibrate``: a scenario's demand and behaviour estimated from a centre's contact log."""

from __future__ import annotations

import json
import math
import shlex
import sys
from pathlib import Path

import click

from sim.cli.base import POSITIVE_DURATION, _jsonable, cli

SHOWN = ("arrivals.daily_volume", "arrivals.day_dispersion", "handle_time.mean", "handle_time.cv",
         "after_contact_work.mean", "patience.mean", "patience.median_km", "patience.weibull_shape",
         "redial.probability", "redial.delay_mean", "repeat_rate", "fcr_by_customer", "fcr",
         "transfer_rate")


@cli.command()
@click.argument("contacts", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--columns", "mapping", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML naming your export's columns (see docs/data.md).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write calibrated.yaml, calibration.csv, volumes.csv, charts and calibration.html here "
                   "(default: calibration/ beside the log).")
@click.option("--interval", type=POSITIVE_DURATION, default="30min", show_default=True,
              help="Interval of the intraday profile; must divide a day.")
@click.option("--channel", "channels", multiple=True, help="Only this channel (repeatable); it must have rows.")
@click.option("--redial-window", type=POSITIVE_DURATION, default="24h", show_default=True,
              help="A contact this soon after abandoning, by the same customer, counts as a redial.")
@click.option("--repeat-window", type=POSITIVE_DURATION, default="7d", show_default=True,
              help="A contact this soon after an answered one, by the same customer, counts as a repeat.")
@click.option("--json", "as_json", is_flag=True, help="Print every estimate as JSON instead of a table.")
def calibrate(contacts: Path, mapping, out, interval, channels, redial_window, repeat_window, as_json) -> None:
    """Estimate a scenario's arrivals, handle time, patience and redials from a contact log (CSV or xlsx).

    Every estimate comes with a 95% interval; weak ones are flagged.

    \b
    Example:
      servsim calibrate examples/contacts.csv --out results/calibration
    """
    from sim.config.tables import TableError
    from sim.data.calibrate import calibrate as run_calibration
    from sim.data.contacts import read_contacts
    from sim.data.mapping import load_mapping
    from sim.errors import InputError

    if not math.isclose(86400 / interval, round(86400 / interval)):
        raise click.BadParameter("must divide a day evenly (e.g. 15min, 30min, 1h)", param_hint="--interval")
    try:
        log = read_contacts(contacts, load_mapping(mapping), tuple(channels))
    except TableError as exc:
        raise InputError(str(exc)) from None
    result = run_calibration(log, interval, redial_window, repeat_window)
    out = out if out is not None else contacts.parent / "calibration"
    from sim.report.calibration import write_calibration

    write_calibration(result, log, out, command=shlex.join(["servsim", *sys.argv[1:]]))
    if as_json:
        click.echo(json.dumps(_jsonable({"source": str(contacts), "contacts": result.contacts,
                                         "estimates": result.table().to_dict("records"),
                                         "warnings": result.warnings()}), indent=2, default=str))
        return
    _print(result, out)


def _print(result, out: Path) -> None:
    from rich.table import Table

    from sim.console import add_columns, stdout

    console = stdout()
    console.print(f"[bold]{result.source}[/bold]: {result.contacts:,} contacts on {', '.join(result.channels)}, "
                  f"{result.first.date()} to {result.last.date()} ({result.days} days)")
    table = add_columns(Table(), (("channel", "left"), ("parameter", "left"), ("estimate", "right"),
                                  ("95% interval", "right"), ("unit", "left"), ("n", "right")))
    for e in result.estimates:
        if e.parameter in SHOWN or e.parameter.startswith("arrivals.volume."):
            table.add_row(e.channel, e.parameter, _num(e.value), f"{_num(e.low)} – {_num(e.high)}", e.unit,
                          f"{e.n:,}")
    console.print(table)
    for warning in result.warnings():
        console.print(f"[yellow]warning[/yellow]: {warning}", highlight=False)
    click.echo(f"calibrated.yaml, calibration.csv, volumes.csv and calibration.html written to {out}/")


def _num(value: float) -> str:
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
