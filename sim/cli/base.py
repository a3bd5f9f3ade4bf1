"""The ``servsim`` command group and what its commands share: errors as exit 2, human units, JSON."""

from __future__ import annotations

import math
import warnings

import click

import sim
from sim.errors import InputError, InputWarning


class _Group(click.Group):
    """Turns an ``InputError`` anywhere below into ``error: ...`` on stderr and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("default", InputWarning)  # each one once
                shown = warnings.showwarning

                def show(message, category, *args, **kwargs):
                    if issubclass(category, InputWarning):
                        click.echo(f"warning: {message}", err=True)
                    else:
                        shown(message, category, *args, **kwargs)
                warnings.showwarning = show
                return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)
        except OSError as exc:  # a file servsim could not write (read-only, disk full, a path under /proc ...)
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(2)


class _Duration(click.ParamType):
    name = "DURATION"

    def __init__(self, positive: bool = False) -> None:
        self.positive = positive

    def convert(self, value, param, ctx):
        from sim.config.units import parse_duration

        try:
            seconds = value if isinstance(value, float) else parse_duration(value, require_unit=True)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if self.positive and seconds <= 0:
            self.fail("must be greater than zero", param, ctx)
        return seconds


class _Rate(click.ParamType):
    name = "RATE"

    def convert(self, value, param, ctx):
        from sim.config.units import parse_rate

        try:
            rate = value if isinstance(value, float) else parse_rate(value, require_unit=True)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if rate <= 0:
            self.fail("must be greater than zero", param, ctx)
        return rate


DURATION, POSITIVE_DURATION, RATE = _Duration(), _Duration(positive=True), _Rate()


ENGINE = {"compiled": "compiled", "pure": "Python", "stale": "Python, as its compiled build is out of date: make build"}


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(sim.__version__, prog_name="servsim",
                      message=f"%(prog)s %(version)s (engine: {ENGINE[sim.ENGINE]})")
def cli() -> None:
    """Simulate customer-service operations and see what staffing does to service.

    \b
    Examples:
      servsim run configs/phone_line.yaml
      servsim erlang --arrival-rate 2/min --aht 4min --patience 3min --agents 9 --simulate
    """


def _jsonable(value):
    """Replace non-finite floats (not valid JSON) by null."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
