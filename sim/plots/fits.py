"""Charts of a calibration: the data beside each fitted model, so a reader can judge the fit by eye.

Every function takes tables or arrays (never a model run) and returns a Figure for ``style.save``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.plots.parts import finish
from sim.plots.style import MUTED, PALETTE, styled, time_of_day_axis

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _panels(n: int, width: float = 11.0, height: float = 4.2):
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, list(np.atleast_1d(fig.subplots(1, n)))


@styled
def daily_volumes(daily: pd.DataFrame, weekdays: pd.DataFrame, channel: str) -> Figure:
    """Left: contacts per day over the log, coloured by weekday. Right: each weekday's mean with its 95%
    interval, the spread of its days, and the spread Poisson days would have (mean +/- 1.96 sqrt(mean))."""
    fig, (left, right) = _panels(2)
    for weekday, rows in daily.groupby("weekday"):
        left.plot(rows["date"], rows["count"], "o", ms=4, color=PALETTE[weekday % len(PALETTE)],
                  label=WEEKDAY_NAMES[weekday])
    left.plot(daily["date"], daily["count"], color=MUTED, linewidth=0.7, zorder=0)
    left.legend(ncol=7, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.28), handletextpad=0.1)
    left.tick_params(axis="x", rotation=30)
    finish(left, "Date", "Contacts per day", f"{channel}: daily volume")
    x = weekdays["weekday"].to_numpy()
    mean = weekdays["mean"].to_numpy(float)
    right.bar(x, mean, color=PALETTE[0], alpha=0.35, label="mean")
    right.errorbar(x, mean, yerr=np.nan_to_num(np.vstack([mean - weekdays["low"], weekdays["high"] - mean])),
                   fmt="none", ecolor=PALETTE[0], capsize=4, label="95% interval of the mean")
    for weekday, rows in daily.groupby("weekday"):
        right.plot(np.full(len(rows), weekday + 0.25), rows["count"], "_", color="black", ms=10)
    spread = 1.96 * np.sqrt(mean)
    right.errorbar(x - 0.25, mean, yerr=spread, fmt="none", ecolor=PALETTE[1], capsize=3,
                   label="spread of Poisson days (±1.96√mean)")
    right.plot([], [], "_", color="black", label="observed days")
    right.set_xticks(range(7), WEEKDAY_NAMES)
    right.legend(fontsize=8)
    finish(right, "Weekday", "Contacts per day", f"{channel}: volume by weekday")
    return fig


@styled
def intraday_profile(profile: pd.DataFrame, channel: str, interval: float) -> Figure:
    """Share of a day's contacts in each interval with its 95% interval."""
    fig, (ax,) = _panels(1, 8.0, 4.0)
    hours = profile["start_seconds"].to_numpy(float) / 3600
    width = interval / 3600
    share = profile["share"].to_numpy(float) * 100
    ax.bar(hours, share, width=width * 0.9, align="edge", color=PALETTE[0], alpha=0.6, label="share")
    ax.errorbar(hours + width / 2, share, yerr=np.nan_to_num(np.vstack(
        [share - profile["low"] * 100, profile["high"] * 100 - share])), fmt="none", ecolor="black", capsize=2,
        linewidth=0.8, label="95% interval")
    ax.set_xlim(0, 24)
    time_of_day_axis(ax, 24)
    ax.legend()
    finish(ax, "Time of day", "Share of the day's contacts (%)", f"{channel}: intraday profile")
    return fig


@styled
def duration_fit(sample: np.ndarray, densities: Mapping[str, tuple[np.ndarray, np.ndarray]],
                 qq: tuple[np.ndarray, np.ndarray], chosen: str, title: str) -> Figure:
    """Left: histogram of ``sample`` (s) with each fitted density. Right: QQ plot of the ``chosen`` fit."""
    fig, (left, right) = _panels(2)
    top = np.quantile(sample, 0.99)
    left.hist(sample[sample <= top], bins=60, density=True, color=MUTED, alpha=0.5, label="observed")
    for (name, (x, pdf)), colour in zip(densities.items(), PALETTE):
        left.plot(x, pdf, color=colour, linewidth=2 if name == chosen else 1.2,
                  linestyle="-" if name == chosen else "--", label=f"{name}{' (chosen)' if name == chosen else ''}")
    left.legend()
    finish(left, "Seconds", "Density", f"{title}: distribution")
    theoretical, empirical = qq
    right.plot(theoretical, empirical, "o", ms=3, color=PALETTE[0])
    lim = [0, max(theoretical.max(), empirical.max())]
    right.plot(lim, lim, color=MUTED, linestyle="--", label="perfect fit")
    right.legend()
    right.grid(True, axis="both")
    finish(right, f"{chosen} quantile (s)", "Observed quantile (s)", f"{title}: QQ plot ({chosen})")
    return fig


@styled
def patience_fit(survival: pd.DataFrame, curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
                 by_interval: pd.DataFrame, mean_patience: float, channel: str) -> Figure:
    """Left: Kaplan-Meier survival of patience with its 95% band and the fitted curves. Right: per interval,
    share abandoning against mean wait, with the line P(abandon) = E[wait] / mean patience."""
    fig, (left, right) = _panels(2)
    left.step(survival["time"], survival["survival"], where="post", color="black", label="Kaplan-Meier")
    left.fill_between(survival["time"], survival["low"], survival["high"], step="post", color=MUTED, alpha=0.3,
                      label="95% band")
    for (name, (t, s)), colour in zip(curves.items(), PALETTE):
        left.plot(t, s, color=colour, linestyle="--", label=name)
    left.set_ylim(0, 1.02)
    left.legend()
    finish(left, "Wait (s)", "Share still willing to wait", f"{channel}: patience (censored waits)")
    if by_interval is not None and len(by_interval):
        right.scatter(by_interval["mean_wait"], by_interval["abandon_share"] * 100,
                      s=np.clip(by_interval["contacts"], 5, 200) / 4, color=PALETTE[0], alpha=0.6,
                      label="intervals (size: contacts)")
        x = np.linspace(0, by_interval["mean_wait"].max() * 1.05, 50)
        right.plot(x, x / mean_patience * 100, color=PALETTE[3], label=f"E[wait] / {mean_patience:.0f} s")
        right.legend()
    right.grid(True, axis="both")
    finish(right, "Mean wait in the interval (s)", "Abandoned (%)", "Abandonment against waiting "
           "(Mandelbaum-Zeltyn check)")
    return fig


@styled
def redial_delays(delays: np.ndarray, mean: float, channel: str) -> Figure:
    """Observed redial delays with the fitted exponential density."""
    fig, (ax,) = _panels(1, 8.0, 4.0)
    top = np.quantile(delays, 0.99)
    ax.hist(delays[delays <= top] / 60, bins=50, density=True, color=MUTED, alpha=0.5, label="observed")
    x = np.linspace(0, top, 200)
    ax.plot(x / 60, np.exp(-x / mean) / mean * 60, color=PALETTE[0], label=f"exponential, mean {mean / 60:.1f} min")
    ax.legend()
    finish(ax, "Minutes from abandoning to calling again", "Density (per minute)", f"{channel}: redial delay")
    return fig


__all__ = ["daily_volumes", "duration_fit", "intraday_profile", "patience_fit", "redial_delays"]
