"""Forecast interval volumes from their history: seasonal naive, and exponential smoothing of daily totals
spread over a weekday x interval profile; holdout accuracy; quantiles to staff to.

- ``naive``: each interval as the same interval a week earlier (the last week, repeated). Its quantiles
  take the spread of daily week-on-week changes, widening with each week ahead (Hyndman &
  Athanasopoulos 2021, section 5.5).
- ``ets``: daily totals by exponential smoothing with additive errors and weekly season (statsmodels
  ``ETSModel``; no trend, or a damped trend, whichever has the lower AICc); its prediction intervals
  give the quantiles. Each day is spread over its intervals by the weekday's average profile over the
  last ``PROFILE_WEEKS`` weeks.

Quantiles are of the expected volume, the rate a scenario takes; Poisson noise around it is the
simulation's own. The method with the lower interval WAPE on the holdout is chosen unless one is named.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

DAY = 86400.0
PROFILE_WEEKS = 8
METHODS = ("naive", "ets")


@dataclass
class Forecast:
    """A method's daily and interval forecasts with quantiles (columns ``volume`` and ``volume_pNN``)."""

    method: str
    daily: pd.DataFrame  # index: dates; volume and quantile columns
    intervals: pd.DataFrame  # index: interval starts; volume and quantile columns
    fitted: pd.Series | None = None  # in-sample daily fit (ets)
    note: str = ""


@dataclass
class ChannelForecast:
    """One channel: accuracy on the holdout, the chosen method, and the forecast from the full history."""

    channel: str
    history: pd.Series
    accuracy: pd.DataFrame = field(default_factory=pd.DataFrame)
    holdout: dict[str, Forecast] = field(default_factory=dict)
    holdout_actual: pd.Series | None = None
    chosen: str = ""
    forecast: Forecast | None = None
    notes: list[str] = field(default_factory=list)


def daily_totals(series: pd.Series) -> pd.Series:
    return series.groupby(series.index.normalize()).sum()


def weekday_profile(series: pd.Series, interval: float) -> np.ndarray:
    """Share of each weekday's volume in each interval (7 x intervals per day), over the last PROFILE_WEEKS weeks."""
    per_day = round(DAY / interval)
    recent = series[series.index >= series.index.max().normalize() - pd.Timedelta(weeks=PROFILE_WEEKS)
                    + pd.Timedelta(days=1)]
    days = recent.to_numpy(float).reshape(-1, per_day)
    weekdays = recent.index[::per_day].day_of_week.to_numpy()
    profile = np.zeros((7, per_day))
    for w in range(7):
        total = days[weekdays == w].sum(axis=0)
        if total.sum() > 0:
            profile[w] = total / total.sum()
    return profile


def _quantile_columns(mean: np.ndarray, sd: np.ndarray, quantiles: tuple[float, ...]) -> dict[str, np.ndarray]:
    columns = {"volume": np.maximum(mean, 0.0)}
    for q in quantiles:
        columns[f"volume_p{round(q * 100)}"] = np.maximum(mean + stats.norm.ppf(q) * sd, 0.0)
    return columns


def _spread(daily: pd.DataFrame, dates: pd.DatetimeIndex, profile: np.ndarray, interval: float) -> pd.DataFrame:
    """Daily forecasts (every column) spread over the intervals by the weekday profile."""
    per_day = profile.shape[1]
    starts = pd.DatetimeIndex(np.repeat(dates.to_numpy(), per_day)) + pd.to_timedelta(
        np.tile(np.arange(per_day) * interval, len(dates)), unit="s")
    shares = profile[dates.day_of_week.to_numpy()].ravel()
    return pd.DataFrame({c: np.repeat(daily[c].to_numpy(float), per_day) * shares for c in daily.columns},
                        index=starts)


def naive(series: pd.Series, interval: float, days: int, quantiles: tuple[float, ...]) -> Forecast:
    """Seasonal naive: the last week of intervals repeated, quantiles from week-on-week daily changes."""
    per_day = round(DAY / interval)
    last_week = series.to_numpy(float)[-7 * per_day:]
    values = np.tile(last_week, math.ceil(days / 7))[: days * per_day]
    totals = daily_totals(series)
    changes = (totals - totals.shift(7)).dropna()
    sigma = float(np.sqrt(np.mean(changes.to_numpy() ** 2))) if len(changes) else 0.0
    dates = pd.date_range(series.index.max().normalize() + pd.Timedelta(days=1), periods=days, freq="D")
    weeks_ahead = np.arange(days) // 7 + 1
    mean_daily = values.reshape(days, per_day).sum(axis=1)
    daily = pd.DataFrame(_quantile_columns(mean_daily, sigma * np.sqrt(weeks_ahead), quantiles), index=dates)
    shape = np.divide(values.reshape(days, per_day), mean_daily[:, None], out=np.zeros((days, per_day)),
                      where=mean_daily[:, None] > 0)
    intervals = _spread(daily, dates, np.zeros((7, per_day)), interval)
    for column in daily.columns:
        intervals[column] = (daily[column].to_numpy()[:, None] * shape).ravel()
    return Forecast("naive", daily, intervals)


def ets(series: pd.Series, interval: float, days: int, quantiles: tuple[float, ...]) -> Forecast:
    """ETS of daily totals (no trend or damped trend, by AICc), spread by the weekday x interval profile."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    totals = daily_totals(series).asfreq("D")
    fits = []
    for trend in (None, "add"):
        model = ETSModel(totals.astype(float), error="add", trend=trend, damped_trend=trend is not None,
                         seasonal="add", seasonal_periods=7)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fits.append(model.fit(disp=False))
    result = min(fits, key=lambda f: f.aicc)
    start = len(totals)
    prediction = result.get_prediction(start=start, end=start + days - 1)
    frame = prediction.summary_frame(alpha=0.5)  # mean and its standard error come from the same prediction
    mean = frame["mean"].to_numpy(float)
    sd = (frame["pi_upper"].to_numpy(float) - mean) / stats.norm.ppf(0.75)
    dates = pd.date_range(totals.index.max() + pd.Timedelta(days=1), periods=days, freq="D")
    profile = weekday_profile(series, interval)
    daily = pd.DataFrame(_quantile_columns(mean, sd, quantiles), index=dates)
    daily.loc[profile[dates.day_of_week].sum(axis=1) == 0] = 0.0  # closed weekdays stay closed
    trend = "damped trend" if result.model.trend else "no trend"
    return Forecast("ets", daily, _spread(daily, dates, profile, interval),
                    result.fittedvalues.clip(lower=0), f"ETS(A,{'Ad' if result.model.trend else 'N'},A), {trend}")


def accuracy(actual: pd.Series, forecast: pd.Series) -> dict[str, float]:
    """WAPE (sum |f - a| / sum a), MAPE (mean |f - a| / a over a > 0) and bias (sum (f - a) / sum a)."""
    a, f = actual.to_numpy(float), forecast.to_numpy(float)
    positive = a > 0
    total = a.sum()
    return {"wape": float(np.abs(f - a).sum() / total) if total else math.nan,
            "mape": float(np.mean(np.abs(f - a)[positive] / a[positive])) if positive.any() else math.nan,
            "bias": float((f - a).sum() / total) if total else math.nan}


def forecast_channel(series: pd.Series, channel: str, interval: float, horizon_days: int,
                     holdout_days: int, quantiles: tuple[float, ...], method: str | None = None) -> ChannelForecast:
    """Holdout accuracy of both methods, the chosen method, and its forecast from the whole history.

    The forecast starts on the first Monday after the history (a scenario's horizon starts on a Monday) and
    covers ``horizon_days`` from there.
    """
    result = ChannelForecast(channel, series)
    per_day = round(DAY / interval)
    days = len(series) // per_day
    if holdout_days and days - holdout_days >= 14:
        train, test = series.iloc[: -holdout_days * per_day], series.iloc[-holdout_days * per_day:]
        result.holdout_actual = test
        rows = []
        for name, fn in (("naive", naive), ("ets", ets)):
            f = fn(train, interval, holdout_days, quantiles)
            result.holdout[name] = f
            daily_actual = daily_totals(test)
            row = {"channel": channel, "method": name, **accuracy(test, f.intervals["volume"])}
            row |= {f"{k}_daily": v for k, v in accuracy(daily_actual, f.daily["volume"]).items()}
            for q in quantiles:
                row[f"coverage_p{round(q * 100)}_daily"] = float(
                    np.mean(daily_actual.to_numpy() <= f.daily[f"volume_p{round(q * 100)}"].to_numpy()))
            rows.append(row)
        result.accuracy = pd.DataFrame(rows)
    elif holdout_days:
        result.notes.append(f"{channel}: {days} days of history leave fewer than two weeks to fit after a "
                            f"{holdout_days}-day holdout; no holdout accuracy")
    if method is None:
        method = result.accuracy.sort_values("wape")["method"].iloc[0] if len(result.accuracy) else "ets"
    result.chosen = method
    last = series.index.max().normalize()
    gap = (7 - (last + pd.Timedelta(days=1)).day_of_week) % 7
    full = {"naive": naive, "ets": ets}[method](series, interval, gap + horizon_days, quantiles)
    keep_from = last + pd.Timedelta(days=1 + gap)
    full.daily = full.daily[full.daily.index >= keep_from]
    full.intervals = full.intervals[full.intervals.index >= keep_from]
    result.forecast = full
    return result
