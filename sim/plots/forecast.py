"""Charts of a forecast: history, fit and forecast with its quantile band; holdout accuracy of each method."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

from sim.plots.parts import finish, legend_outside
from sim.plots.style import MUTED, PALETTE, figure, styled


@styled
def forecast_chart(history: pd.Series, fitted: pd.Series | None, forecast: pd.DataFrame, quantile: str,
                   channel: str, method: str) -> Figure:
    """Daily totals: the history, the in-sample fit, and the forecast with the band up to ``quantile``."""
    fig, (ax,) = figure(10.0, 4.5)
    ax.plot(history.index, history.to_numpy(), color="black", linewidth=1, label="history")
    if fitted is not None:
        ax.plot(fitted.index, fitted.to_numpy(), color=PALETTE[0], linewidth=1, alpha=0.7, label="fit")
    ax.plot(forecast.index, forecast["volume"], color=PALETTE[3], linewidth=1.6, label="forecast (mean)")
    if quantile in forecast.columns:
        ax.fill_between(forecast.index, forecast["volume"], forecast[quantile], color=PALETTE[3], alpha=0.2,
                        label=f"up to the {quantile.removeprefix('volume_p')}th percentile")
    ax.tick_params(axis="x", rotation=30)
    legend_outside(ax, *ax.get_legend_handles_labels())
    finish(ax, "Date", "Contacts per day", f"{channel}: history, fit and forecast ({method})")
    return fig


@styled
def holdout_chart(actual: pd.Series, forecasts: Mapping[str, pd.Series], accuracy: pd.DataFrame,
                  channel: str) -> Figure:
    """Daily totals over the holdout: what happened against what each method forecast, with its WAPE."""
    fig, (ax,) = figure(10.0, 4.5)
    ax.plot(actual.index, actual.to_numpy(), "o-", color="black", ms=3, label="actual")
    wape = accuracy.set_index("method")["wape"]
    for (name, values), colour in zip(forecasts.items(), PALETTE):
        ax.plot(values.index, values.to_numpy(), "--", color=colour, label=f"{name} (WAPE {wape[name]:.1%})")
    ax.axhline(0, color=MUTED, linewidth=0.5)
    ax.tick_params(axis="x", rotation=30)
    legend_outside(ax, *ax.get_legend_handles_labels())
    finish(ax, "Date", "Contacts per day", f"{channel}: holdout, actual against forecast (WAPE over intervals)")
    return fig
