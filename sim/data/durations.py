"""Handle time and after-contact work: lognormal and gamma fits by maximum likelihood, the better one by AIC.

Brown et al. (2005) found call-centre service times close to lognormal; the gamma is the usual
alternative. Both have two parameters, so AIC (Akaike 1974) picks the larger likelihood. The
scenario takes a distribution by mean and coefficient of variation; their intervals come from
the MLE's asymptotic covariance by the delta method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import special, stats

from sim.data.estimate import Estimate, mean_t, normal


@dataclass
class DurationFit:
    """Fits of one duration (``what``: handle_time or after_contact_work) on one channel."""

    channel: str
    what: str
    sample: np.ndarray
    fits: dict[str, dict] = field(default_factory=dict)  # name -> {mean, cv, aic, loglik, dist (frozen scipy)}
    chosen: str = ""
    estimates: list[Estimate] = field(default_factory=list)
    scenario: dict = field(default_factory=dict)  # a distribution spec for the scenario


def lognormal_fit(x: np.ndarray) -> dict:
    """MLE of the lognormal (closed form) with mean, cv and their delta-method standard errors."""
    n, logs = len(x), np.log(x)
    mu, s2 = float(logs.mean()), float(logs.var())
    mean, cv = math.exp(mu + s2 / 2), math.sqrt(math.expm1(s2))
    # Var(mu) = s2 / n and Var(s2) = 2 s2^2 / n, independent
    se_mean = mean * math.sqrt(s2 / n + s2**2 / (2 * n))
    se_cv = math.exp(s2) / (2 * cv) * math.sqrt(2 * s2**2 / n) if cv > 0 else 0.0
    dist = stats.lognorm(math.sqrt(s2), scale=math.exp(mu))
    return _with_aic({"mean": mean, "cv": cv, "se_mean": se_mean, "se_cv": se_cv, "dist": dist}, x)


def gamma_fit(x: np.ndarray) -> dict:
    """MLE of the gamma (scipy) with mean, cv and their standard errors from the Fisher information."""
    n = len(x)
    k, _, theta = stats.gamma.fit(x, floc=0)
    info = np.array([[special.polygamma(1, k), 1 / theta], [1 / theta, k / theta**2]])
    cov = np.linalg.inv(info) / n
    grad_mean, grad_cv = np.array([theta, k]), np.array([-0.5 * k**-1.5, 0.0])
    return _with_aic({"mean": k * theta, "cv": 1 / math.sqrt(k), "se_mean": math.sqrt(grad_mean @ cov @ grad_mean),
                      "se_cv": math.sqrt(grad_cv @ cov @ grad_cv), "dist": stats.gamma(k, scale=theta)}, x)


def _with_aic(fit: dict, x: np.ndarray) -> dict:
    fit["loglik"] = float(fit["dist"].logpdf(x).sum())
    fit["aic"] = 2 * 2 - 2 * fit["loglik"]
    return fit


def fit_duration(values: np.ndarray, channel: str, what: str) -> DurationFit | None:
    """Fits of the positive ``values``; None when there are fewer than two. All equal: a fixed duration."""
    x = np.asarray(values, dtype=float)
    dropped = int((x <= 0).sum())
    x = x[x > 0]
    result = DurationFit(channel, what, x)
    if len(x) < 2:
        return None
    note = f"{dropped} zero value(s) left out" if dropped else ""
    empirical = mean_t(f"{what}.mean_observed", channel, x, "s", "sample mean, Student t", note)
    if np.ptp(x) == 0:
        result.chosen = "fixed"
        result.estimates = [empirical]
        result.scenario = {"dist": "fixed", "value": _seconds(x[0])}
        return result
    result.fits = {"lognormal": lognormal_fit(x), "gamma": gamma_fit(x)}
    result.chosen = min(result.fits, key=lambda name: result.fits[name]["aic"])
    best = result.fits[result.chosen]
    other = next(name for name in result.fits if name != result.chosen)
    method = (f"{result.chosen} MLE, chosen by AIC ({best['aic']:.1f} against {other} "
              f"{result.fits[other]['aic']:.1f})")
    result.estimates = [
        normal(f"{what}.mean", channel, best["mean"], best["se_mean"], "s", len(x), method, note, floor=0.0),
        normal(f"{what}.cv", channel, best["cv"], best["se_cv"], "", len(x), method, note, floor=0.0),
        empirical,
    ]
    result.scenario = {"dist": result.chosen, "mean": _seconds(best["mean"]), "cv": round(float(best["cv"]), 4)}
    return result


def _seconds(value: float) -> str:
    """A duration as the scenario writes it: seconds with a unit."""
    return f"{float(value):.4g}s" if value < 1000 else f"{float(value):.1f}s"


def qq_points(fit: DurationFit, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Theoretical quantiles of the chosen fit against the sample's, at ``points`` evenly spaced probabilities."""
    probs = (np.arange(points) + 0.5) / points
    return fit.fits[fit.chosen]["dist"].ppf(probs), np.quantile(fit.sample, probs)
