"""Demand from a contact log: daily volume by weekday, the intraday profile, and day-level over-dispersion.

Every day from the log's first date to its last counts, a day without contacts as 0; a weekday
with no contact at all is closed (its weight is 0). Intervals are from the weekday's mean over
days (Student t); profile shares from the ratio estimator with days as clusters (Cochran 1977,
ch. 6), so a busy or quiet day moves all of its intervals together; the dispersion d of a gamma
day multiplier (Var = mu + d mu^2) by the method of moments per weekday, pooled, with a
parametric-bootstrap interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sim.config.schema import WEEKDAYS
from sim.data.estimate import Estimate, Z, mean_t, normal

BOOTSTRAP = 2000
BOOTSTRAP_SEED = 20240101  # fixed: the same log always gives the same interval


@dataclass
class ArrivalFit:
    """What the arrivals of one channel say: the estimates, the tables behind the charts, the scenario values."""

    channel: str
    daily: pd.DataFrame  # date, weekday, count
    weekdays: pd.DataFrame  # weekday, days, mean, low, high, dispersion, dispersion_low, dispersion_high
    profile: pd.DataFrame  # interval, start_seconds, share, low, high
    estimates: list[Estimate] = field(default_factory=list)
    scenario: dict = field(default_factory=dict)  # daily_volume, day_weights, profile, day_dispersion


def calendar_counts(arrival: pd.Series, first: pd.Timestamp, last: pd.Timestamp, interval: float) -> pd.DataFrame:
    """Contacts per (date, interval of the day) for every date from ``first`` to ``last``; a table of counts."""
    per_day = round(86400 / interval)
    dates = pd.date_range(first.normalize(), last.normalize(), freq="D")
    seconds = (arrival - arrival.dt.normalize()) / pd.Timedelta(seconds=1)
    slot = np.minimum((seconds.to_numpy() // interval).astype(int), per_day - 1)
    table = pd.crosstab(arrival.dt.normalize().to_numpy(), slot)
    return table.reindex(index=dates, columns=range(per_day), fill_value=0)


def fit_arrivals(arrival: pd.Series, channel: str, first: pd.Timestamp, last: pd.Timestamp,
                 interval: float) -> ArrivalFit:
    """Estimates of ``channel``'s demand from its arrival times over the dates ``first`` .. ``last``."""
    counts = calendar_counts(arrival, first, last, interval)
    daily = pd.DataFrame({"date": counts.index, "weekday": counts.index.day_of_week,
                          "count": counts.sum(axis=1).values})
    weekday_rows, estimates = _weekdays(daily, channel)
    dispersion, weekday_dispersion = dispersion_estimates(daily, channel)
    weekday_rows = weekday_rows.merge(weekday_dispersion, on="weekday", how="left")
    profile, profile_estimates = _profile(counts, channel, interval)
    open_days = weekday_rows[weekday_rows["mean"] > 0]
    daily_volume = float(open_days["mean"].mean()) if len(open_days) else 0.0
    se = math.sqrt(float((open_days["se"] ** 2).sum())) / max(len(open_days), 1)
    days = int(open_days["days"].sum())
    estimates = [normal("arrivals.daily_volume", channel, daily_volume, se, "contacts/day", days,
                        "mean of the open weekdays' mean daily volumes", floor=0.0), *estimates,
                 *dispersion, *profile_estimates]
    weights = (weekday_rows.set_index("weekday")["mean"].reindex(range(7), fill_value=0.0) /
               (daily_volume or 1.0)).round(4).tolist()
    pooled = next(e for e in dispersion if e.parameter == "arrivals.day_dispersion")
    scenario = {"daily_volume": round(float(daily_volume), 2), "day_weights": [float(w) for w in weights],
                "profile": [round(float(s), 6) for s in profile["share"]],
                "day_dispersion": round(float(max(pooled.value, 0.0)), 5) if math.isfinite(pooled.value) else 0.0}
    return ArrivalFit(channel, daily, weekday_rows, profile, estimates, scenario)


def _weekdays(daily: pd.DataFrame, channel: str) -> tuple[pd.DataFrame, list[Estimate]]:
    rows, estimates = [], []
    for weekday, group in daily.groupby("weekday"):
        values = group["count"].to_numpy(float)
        name = WEEKDAYS[weekday]
        if values.sum() == 0:
            rows.append({"weekday": weekday, "days": len(values), "mean": 0.0, "low": 0.0, "high": 0.0, "se": 0.0})
            estimates.append(Estimate(f"arrivals.volume.{name}", channel, 0.0, 0.0, 0.0, "contacts/day", len(values),
                                      "no contact on this weekday: closed"))
            continue
        estimate = mean_t(f"arrivals.volume.{name}", channel, values, "contacts/day",
                          "mean daily volume, Student t over days",
                          "" if len(values) >= 4 else f"weak: only {len(values)} {name} day(s)")
        estimates.append(estimate)
        rows.append({"weekday": weekday, "days": len(values), "mean": estimate.value, "low": estimate.low,
                     "high": estimate.high, "se": 0.0 if math.isnan(estimate.se) else estimate.se})
    return pd.DataFrame(rows), estimates


def _profile(counts: pd.DataFrame, channel: str, interval: float) -> tuple[pd.DataFrame, list[Estimate]]:
    """Share of a day's contacts in each interval: ratio estimator over open days, days as clusters."""
    x = counts.to_numpy(float)
    x = x[x.sum(axis=1) > 0]
    n_days = len(x)
    totals = x.sum(axis=1)
    share = x.sum(axis=0) / totals.sum()
    residual = x - np.outer(totals, share)
    se = np.sqrt(n_days / max(n_days - 1, 1) * (residual ** 2).sum(axis=0)) / totals.sum() \
        if n_days > 1 else np.full(len(share), np.nan)
    starts = np.arange(len(share)) * interval
    table = pd.DataFrame({"interval": np.arange(len(share)), "start_seconds": starts, "share": share,
                          "low": np.maximum(share - Z * se, 0), "high": share + Z * se})
    note = "" if n_days >= 5 else f"weak: only {n_days} day(s) with contacts"
    estimates = [normal(f"arrivals.profile.{_clock(s)}", channel, p, e, "share of the day", n_days,
                        "ratio estimator, days as clusters", note, floor=0.0)
                 for s, p, e in zip(starts, share, se)]
    return table, estimates


def _clock(seconds: float) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}"


def mom_dispersion(counts: list[np.ndarray]) -> tuple[float, list[float]]:
    """Pooled and per-group method-of-moments d from groups of daily counts: (s^2 - m) / m^2, pooled with
    weights K - 1 (the degrees of freedom of each group's variance). Groups need 2+ days and a positive mean."""
    per_group, numerator, denominator = [], 0.0, 0.0
    for values in counts:
        m, s2, k = values.mean(), values.var(ddof=1), len(values)
        per_group.append((s2 - m) / m**2)
        numerator += (k - 1) * (s2 - m)
        denominator += (k - 1) * m**2
    return numerator / denominator, per_group


def dispersion_estimates(daily: pd.DataFrame, channel: str) -> tuple[list[Estimate], pd.DataFrame]:
    """d per open weekday with 2+ days, and pooled; intervals by parametric bootstrap (negative binomial at the
    pooled estimate); plus the index-of-dispersion test of Poisson days (Fisher)."""
    groups = [(w, g["count"].to_numpy(float)) for w, g in daily.groupby("weekday")]
    groups = [(w, v) for w, v in groups if len(v) >= 2 and v.sum() > 0]
    empty = pd.DataFrame(columns=["weekday", "dispersion", "dispersion_low", "dispersion_high"])
    if not groups:
        note = "not estimable: needs at least two days of the same weekday (two weeks of data)"
        return [Estimate("arrivals.day_dispersion", channel, math.nan, math.nan, math.nan, "", 0,
                         "method of moments", math.nan, note)], empty
    values = [v for _, v in groups]
    pooled, per_group = mom_dispersion(values)
    boot = _bootstrap(values, max(pooled, 0.0))
    index = sum(((v - v.mean()) ** 2).sum() / v.mean() for v in values)
    df = sum(len(v) - 1 for v in values)
    p_poisson = float(stats.chi2.sf(index, df))
    days = sum(len(v) for v in values)
    note = "" if df >= 8 else f"weak: only {days} days over {len(values)} weekday(s)"
    estimates = [_basic("arrivals.day_dispersion", channel, pooled, boot[:, 0], days,
                        f"method of moments pooled over weekdays, parametric bootstrap; Poisson days "
                        f"{'rejected' if p_poisson < 0.05 else 'not rejected'} (index of dispersion p={p_poisson:.3g})",
                        note)]
    rows = []
    for j, ((weekday, v), d) in enumerate(zip(groups, per_group)):
        e = _basic(f"arrivals.day_dispersion.{WEEKDAYS[weekday]}", channel, d, boot[:, j + 1], len(v),
                   "method of moments, parametric bootstrap", "" if len(v) >= 8 else f"weak: only {len(v)} days")
        estimates.append(e)
        rows.append({"weekday": weekday, "dispersion": e.value, "dispersion_low": e.low, "dispersion_high": e.high})
    return estimates, pd.DataFrame(rows)


def _bootstrap(values: list[np.ndarray], d: float) -> np.ndarray:
    """Pooled and per-group estimates from ``BOOTSTRAP`` logs drawn with the observed means and dispersion d."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = []
    for v in values:
        mean = np.full((BOOTSTRAP, len(v)), v.mean())
        if d > 0:
            mean = mean * rng.gamma(1 / d, d, mean.shape)
        draws.append(rng.poisson(mean).astype(float))
    out = np.empty((BOOTSTRAP, len(values) + 1))
    for b in range(BOOTSTRAP):
        groups = [x[b] if x[b].sum() > 0 else x[b] + 1e-9 for x in draws]
        out[b, 0], out[b, 1:] = mom_dispersion(groups)
    return out


def _basic(parameter: str, channel: str, value: float, boot: np.ndarray, n: int, method: str,
           note: str) -> Estimate:
    """The basic bootstrap interval [2 v - q97.5, 2 v - q2.5], cut at 0 (d cannot be negative)."""
    low_q, high_q = np.quantile(boot, [0.025, 0.975])
    return Estimate(parameter, channel, float(value), max(0.0, 2 * value - high_q), max(0.0, 2 * value - low_q),
                    "", n, method, float(np.std(boot, ddof=1)), note)
