"""Is a run in steady state? The trend of each channel's end-of-day queue over the days after the warm-up.

A plan whose capacity is short of its load does not show it as a bad week: its backlog grows day after day
(emails nobody answers pile up; a queue without abandonment never empties). For each channel we take the
number of contacts still waiting at the end of each full day after the warm-up and fit a least-squares
line through them; with two weeks or more the fit has one level per weekday, so the weekly pattern (the
weekend's email waiting for Monday) is not read as growth. The slope is the growth per day.

A channel is flagged unstable when its backlog grows by more than ``SHARE_OF_DAILY_ARRIVALS`` of its daily
arrivals a day (at least ``MIN_GROWTH`` contacts) and by more than ``T_RATIO`` standard errors of the slope
(so the day-to-day noise of a busy but stable queue is not flagged). With fewer than ``MIN_DAYS`` days
measured there is no verdict (NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY = 86400.0
SHARE_OF_DAILY_ARRIVALS = 0.02  # growth per day, as a share of the channel's mean daily arrivals
MIN_GROWTH = 1.0  # contacts per day: below this nothing is flagged
T_RATIO = 3.0  # the slope must exceed this many standard errors
MIN_DAYS = 3  # full days after the warm-up needed for a verdict
WEEKDAY_FIT_DAYS = 14  # from two weeks on, the fit has a level per weekday


def end_of_day_queues(levels: pd.DataFrame, channels: list[str], warmup: float) -> pd.DataFrame:
    """Contacts waiting at the end of each full day after ``warmup``: one row per day, one column per channel."""
    ends = levels["start_seconds"] + levels["length_seconds"]
    at_day_end = np.isclose(np.mod(ends, DAY), 0.0) & (levels["length_seconds"] > 0)
    after = levels["start_seconds"] >= warmup - 1e-9
    rows = levels[at_day_end & after]
    frame = pd.DataFrame({c: rows[f"backlog_end.{c}"].to_numpy() for c in channels},
                         index=((rows["start_seconds"] + rows["length_seconds"]) // DAY - 1).astype(int).to_numpy())
    frame.index.name = "day"
    return frame


def trend(days: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """Least-squares growth per day of ``values`` observed on ``days`` and its standard error.

    From ``WEEKDAY_FIT_DAYS`` days on, each weekday (day mod 7) has its own level.
    """
    n = len(days)
    if n < MIN_DAYS:
        return float("nan"), float("nan")
    if n >= WEEKDAY_FIT_DAYS:
        weekdays = np.eye(7)[days % 7]
        design = np.column_stack([days, weekdays[:, weekdays.any(axis=0)]])
    else:
        design = np.column_stack([days, np.ones(n)])
    coef, _, rank, _ = np.linalg.lstsq(design, values, rcond=None)
    dof = n - rank
    if dof <= 0:
        return float(coef[0]), float("nan")
    residual = values - design @ coef
    sigma2 = residual @ residual / dof
    cov = sigma2 * np.linalg.pinv(design.T @ design)
    return float(coef[0]), float(np.sqrt(max(cov[0, 0], 0.0)))


def is_unstable(growth: float, error: float, arrivals_per_day: float) -> float:
    """1.0 if the backlog grows beyond the tolerance, 0.0 if not, NaN without a verdict."""
    if np.isnan(growth):
        return float("nan")
    tolerance = max(MIN_GROWTH, SHARE_OF_DAILY_ARRIVALS * arrivals_per_day)
    significant = np.isnan(error) or growth > T_RATIO * error
    return float(growth > tolerance and significant)


def backlog_growth(levels: pd.DataFrame, offered: dict[str, float], channels: list[str],
                   warmup: float) -> dict[str, tuple[float, float]]:
    """Per channel: (growth of the end-of-day queue per day, 1.0 if unstable / 0.0 / NaN).

    ``offered``: each channel's contacts offered after the warm-up, for its daily arrivals.
    """
    queues = end_of_day_queues(levels, channels, warmup)
    days = queues.index.to_numpy()
    measured = (levels["length_seconds"][levels["start_seconds"] >= warmup - 1e-9].sum()) / DAY
    out = {}
    for channel in channels:
        growth, error = trend(days, queues[channel].to_numpy(dtype=float))
        per_day = offered.get(channel, 0.0) / measured if measured > 0 else 0.0
        out[channel] = (growth, is_unstable(growth, error, per_day))
    return out


def verdict(runs: pd.DataFrame) -> dict:
    """Over replications (rows of ``runs`` with ``<channel>_unstable`` and ``<channel>_backlog_growth``):

    ``{"stable": bool | None, "channels": {channel: {"stable", "growth_per_day", "unstable_replications"}}}``.
    A channel is unstable if any replication flags it; ``None`` where no replication could judge.
    """
    channels = {}
    for column in runs.columns:
        if not column.endswith("_unstable") or column == "unstable":
            continue
        channel = column.removesuffix("_unstable")
        flags = runs[column].dropna()
        growth = runs[f"{channel}_backlog_growth"].dropna()
        channels[channel] = {
            "stable": None if flags.empty else bool((flags == 0).all()),
            "growth_per_day": None if growth.empty else float(growth.mean()),
            "unstable_replications": int((flags > 0).sum()),
        }
    judged = [c["stable"] for c in channels.values() if c["stable"] is not None]
    return {"stable": all(judged) if judged else None, "channels": channels}


def describe(result: dict) -> str:
    """One line for a table: ``stable``, ``not judged``, or ``UNSTABLE: email +23.8 a day``."""
    if result["stable"] is None:
        return "not judged"
    unstable = [f"{c} {v['growth_per_day']:+.1f} a day" for c, v in result["channels"].items() if v["stable"] is False]
    return "UNSTABLE: " + ", ".join(unstable) if unstable else "stable"
