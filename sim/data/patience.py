"""Patience from censored waits: how long customers would wait before abandoning.

An abandoner's wait is their patience; an answered customer's wait is only a lower bound on it
(right-censored); so are the waits of those still queued when the log ends. The mean of the
abandoners' waits is therefore biased low and is never used (Brown et al. 2005, section 5).
Three estimators, all using every caller who queued:

- exponential MLE: rate = abandonments / total waiting time of all callers; the mean patience is
  its inverse (log-scale interval, se = 1 / sqrt(abandonments));
- Kaplan & Meier (1958) survival of patience (statsmodels ``SurvfuncRight``), with its median when
  the curve falls below one half within the waits seen;
- Weibull MLE with censoring (scipy), its standard errors from the numerical Hessian (statsmodels).

The scenario takes the exponential unless the Weibull's AIC is lower. Under exponential patience
P(abandon) = E[wait] / mean patience in any period (Mandelbaum & Zeltyn 2007); the chart of those
pairs per interval is a check of the fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sim.data.estimate import Estimate, Z, log_normal, weak


@dataclass
class PatienceFit:
    """Patience of one channel's customers: estimates, the survival curve, the per-interval check, the choice."""

    channel: str
    times: np.ndarray  # waits of every caller who queued
    abandoned: np.ndarray  # True where the wait ended in abandonment
    estimates: list[Estimate] = field(default_factory=list)
    survival: pd.DataFrame | None = None  # time, survival, low, high (Kaplan-Meier)
    exponential_mean: float = math.nan
    weibull: tuple[float, float] | None = None  # shape, scale
    chosen: str = ""
    scenario: dict = field(default_factory=dict)
    by_interval: pd.DataFrame | None = None  # mean_wait, abandon_share, contacts


def exponential_patience(times: np.ndarray, abandoned: np.ndarray, channel: str) -> Estimate:
    """Mean patience = total waiting time / abandonments, with the log-scale interval."""
    events, exposure = int(abandoned.sum()), float(times.sum())
    return log_normal("patience.mean", channel, exposure / events, 1 / math.sqrt(events), "s", events,
                      "exponential MLE: total wait of all callers / abandonments", weak(events, "abandonments"))


def kaplan_meier(times: np.ndarray, abandoned: np.ndarray, channel: str) -> tuple[pd.DataFrame, Estimate]:
    """The Kaplan-Meier curve of patience and its median (NaN when it stays above one half)."""
    from statsmodels.duration.survfunc import SurvfuncRight

    sf = SurvfuncRight(times, abandoned.astype(int))
    se = np.nan_to_num(sf.surv_prob_se)
    curve = pd.DataFrame({"time": sf.surv_times, "survival": sf.surv_prob,
                          "low": np.clip(sf.surv_prob - Z * se, 0, 1), "high": np.clip(sf.surv_prob + Z * se, 0, 1)})
    events = int(abandoned.sum())
    if sf.surv_prob.min() > 0.5:
        note = (f"not estimable: more than half of customers would still wait at the longest wait seen "
                f"({times.max():.0f} s)")
        return curve, Estimate("patience.median_km", channel, math.nan, math.nan, math.nan, "s", events,
                               "Kaplan-Meier median", math.nan, note)
    median = float(sf.quantile(0.5))
    with np.errstate(divide="ignore", invalid="ignore"):  # statsmodels takes log(0) at the curve's ends
        low, high = sf.quantile_ci(0.5)
    return curve, Estimate("patience.median_km", channel, median, float(low), float(np.nan_to_num(high, nan=np.inf)),
                           "s", events, "Kaplan-Meier median, interval by the Brookmeyer-Crowley method",
                           math.nan, weak(events, "abandonments"))


def weibull_patience(times: np.ndarray, abandoned: np.ndarray, channel: str) -> tuple[dict, list[Estimate]]:
    """Weibull MLE with right-censoring: shape, scale and mean with Hessian-based intervals."""
    from statsmodels.tools.numdiff import approx_hess

    t = times.copy()
    events = abandoned.astype(bool)
    if (t[events] <= 0).any():  # an abandonment after no wait at all: half the shortest positive one
        t[events & (t <= 0)] = 0.5 * t[events & (t > 0)].min()
    data = stats.CensoredData.right_censored(t, ~events)
    with np.errstate(all="ignore"):  # the optimiser tries extreme shapes on its way
        shape, _, scale = stats.weibull_min.fit(data, floc=0)

    def negloglik(theta: np.ndarray) -> float:
        k, s = np.exp(theta)
        return -(stats.weibull_min.logpdf(t[events], k, scale=s).sum() +
                 stats.weibull_min.logsf(t[~events], k, scale=s).sum())

    theta = np.log([shape, scale])
    with np.errstate(all="ignore"):
        cov = np.linalg.inv(approx_hess(theta, negloglik))
    se_log_k, se_log_s = np.sqrt(np.diag(cov))
    mean = scale * math.gamma(1 + 1 / shape)
    # d log(mean) / d(log k, log s) = (-digamma(1 + 1/k) / k, 1)
    from scipy.special import digamma

    grad = np.array([-digamma(1 + 1 / shape) / shape, 1.0])
    se_log_mean = math.sqrt(grad @ cov @ grad)
    n_events = int(events.sum())
    method = "Weibull MLE with censoring, Hessian intervals"
    note = weak(n_events, "abandonments")
    fit = {"shape": shape, "scale": scale, "loglik": -negloglik(theta), "aic": 4 + 2 * negloglik(theta)}
    return fit, [log_normal("patience.weibull_shape", channel, shape, se_log_k, "", n_events, method, note),
                 log_normal("patience.weibull_scale", channel, scale, se_log_s, "s", n_events, method, note),
                 log_normal("patience.weibull_mean", channel, mean, se_log_mean, "s", n_events, method, note)]


def fit_patience(queued: pd.DataFrame, channel: str, interval: float) -> PatienceFit | None:
    """Patience estimates from the contacts of ``channel`` that queued (answered, abandoned or still queued)."""
    times = queued["wait_seconds"].to_numpy(float)
    abandoned = (queued["outcome"] == "abandoned").to_numpy()
    fit = PatienceFit(channel, times, abandoned)
    if not abandoned.any():
        return None
    exponential = exponential_patience(times, abandoned, channel)
    fit.exponential_mean = exponential.value
    fit.survival, median = kaplan_meier(times, abandoned, channel)
    weibull, weibull_estimates = weibull_patience(times, abandoned, channel)
    fit.weibull = (weibull["shape"], weibull["scale"])
    rate = 1 / exponential.value
    exp_aic = 2 - 2 * (abandoned.sum() * math.log(rate) - rate * times.sum())
    fit.chosen = "weibull" if weibull["aic"] < exp_aic else "exponential"
    choice = (f"{fit.chosen} chosen by AIC (exponential {exp_aic:.1f}, Weibull {weibull['aic']:.1f})")
    fit.estimates = [exponential, median, *weibull_estimates,
                     Estimate("patience.choice", channel, math.nan, math.nan, math.nan, "", int(abandoned.sum()),
                              choice)]
    fit.scenario = {"dist": "exponential", "mean": f"{exponential.value:.4g}s"} if fit.chosen == "exponential" else \
        {"dist": "weibull", "shape": round(float(weibull["shape"]), 4),
                                       "scale": f"{float(weibull['scale']):.4g}s"}
    fit.by_interval = _by_interval(queued, interval)
    return fit


def _by_interval(queued: pd.DataFrame, interval: float) -> pd.DataFrame:
    """Per interval of arrival: mean wait of those who queued and the share who abandoned (Mandelbaum-Zeltyn)."""
    start = queued["arrival_time"].dt.floor(f"{int(interval)}s")
    table = queued.assign(start=start, ab=queued["outcome"] == "abandoned").groupby("start").agg(
        mean_wait=("wait_seconds", "mean"), abandon_share=("ab", "mean"), contacts=("ab", "size"))
    return table[table["contacts"] >= 20].reset_index()
