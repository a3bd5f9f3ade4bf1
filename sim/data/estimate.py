"""One estimate with its 95% interval: the unit of every calibration output (``calibration.csv``)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95
Z = float(stats.norm.ppf(0.5 + LEVEL / 2))  # 1.96
WEAK_EVENTS = 30  # fewer events (abandonments, days, redials) than this: the estimate is flagged as weak


@dataclass(frozen=True)
class Estimate:
    """``value`` of ``parameter`` (on ``channel``) with a 95% interval [``low``, ``high``] and its standard error.

    ``n``: the observations behind it; ``method``: how it was made; ``note``: a warning when it is weak.
    """

    parameter: str
    channel: str
    value: float
    low: float
    high: float
    unit: str
    n: int
    method: str
    se: float = math.nan
    note: str = ""

    def row(self) -> dict:
        """The estimate as a row of ``calibration.csv``."""
        row = asdict(self)
        return {"parameter": row.pop("parameter"), "channel": row.pop("channel"), "estimate": row.pop("value"),
                "ci_low": row.pop("low"), "ci_high": row.pop("high"), **row}

    def covers(self, truth: float) -> bool:
        """Whether ``truth`` lies in the interval (for tests and round trips)."""
        return self.low <= truth <= self.high


def normal(parameter: str, channel: str, value: float, se: float, unit: str, n: int, method: str,
           note: str = "", floor: float | None = None) -> Estimate:
    """An estimate with the Wald interval value +/- 1.96 se (cut at ``floor``)."""
    low, high = value - Z * se, value + Z * se
    if floor is not None:
        low = max(low, floor)
    return Estimate(parameter, channel, float(value), float(low), float(high), unit, int(n), method, float(se), note)


def log_normal(parameter: str, channel: str, value: float, se_log: float, unit: str, n: int, method: str,
               note: str = "") -> Estimate:
    """A positive estimate whose log is approximately normal: interval value x exp(+/- 1.96 se_log)."""
    return Estimate(parameter, channel, float(value), float(value * math.exp(-Z * se_log)),
                    float(value * math.exp(Z * se_log)), unit, int(n), method, float(value * se_log), note)


def proportion(parameter: str, channel: str, successes: int, trials: int, method: str, note: str = "") -> Estimate:
    """A share with the Wilson score interval (statsmodels), good also near 0 and 1."""
    from statsmodels.stats.proportion import proportion_confint

    p = successes / trials
    low, high = proportion_confint(successes, trials, alpha=1 - LEVEL, method="wilson")
    return Estimate(parameter, channel, p, float(low), float(high), "share", trials, method,
                    math.sqrt(p * (1 - p) / trials), note)


def mean_t(parameter: str, channel: str, values: np.ndarray, unit: str, method: str, note: str = "") -> Estimate:
    """A sample mean with the Student-t interval (NaN interval from one value)."""
    n = len(values)
    mean = float(np.mean(values))
    if n < 2:
        return Estimate(parameter, channel, mean, math.nan, math.nan, unit, n, method, math.nan,
                        note or "one observation: no interval")
    se = float(np.std(values, ddof=1) / math.sqrt(n))
    half = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1)) * se
    return Estimate(parameter, channel, mean, mean - half, mean + half, unit, n, method, se, note)


def weak(n: int, what: str) -> str:
    """The warning for an estimate that rests on few events."""
    return f"weak: only {n} {what}" if n < WEAK_EVENTS else ""
