"""What happens after a contact: redials after abandoning, repeat contacts, first-contact resolution, transfers.

Redials and repeats need ``customer_id``; resolution needs ``resolved``; transfers ``transferred``.
Without the column the estimate is skipped with a note.

Redials: a customer who abandoned and called again on the same channel within ``redial_window``.
Each abandoner redials with probability p after an exponential delay of mean tau, or never (a
"cure" model); those who abandoned near the end of the log are censored at its end. (p, tau) by
maximum likelihood, intervals from the numerical Hessian on logit / log scale.
Repeat contacts: a contact whose customer's previous contact was answered within ``repeat_window``
(7 days by default, the usual first-contact-resolution window), as a share of contacts (servsim's
``repeat_rate``); FCR by customer: answered contacts not followed by another within the window.
Contacts too close to the log's start or end for the window to be seen whole are left out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.data.estimate import Estimate, Z, proportion, weak

REDIAL_WINDOW = 86400.0
REPEAT_WINDOW = 7 * 86400.0


@dataclass
class JourneyFit:
    """Estimates about what follows a contact, and the scenario values they give (phone redial)."""

    estimates: list[Estimate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    redial_delays: dict[str, np.ndarray] = field(default_factory=dict)  # channel -> observed delays (s)
    redial_scenario: dict[str, dict] = field(default_factory=dict)  # channel -> {probability, delay}
    redials: pd.Series | None = None  # True for contacts that are a redial (index of the log)
    repeats: pd.Series | None = None  # True for contacts that repeat an unresolved answered one (index of the log)


def _seconds_since(log: pd.DataFrame, start: pd.Timestamp) -> np.ndarray:
    return ((log["arrival_time"] - start) / pd.Timedelta(seconds=1)).to_numpy(float)


def next_contact(log: pd.DataFrame, same_channel: bool) -> pd.DataFrame:
    """For each contact, the customer's next contact: its arrival ``t`` (seconds from the log's start, NaN if
    none) and its index label ``row``."""
    start = log["arrival_time"].min()
    keys = ["customer_id", "channel"] if same_channel else ["customer_id"]
    ordered = log.assign(t=_seconds_since(log, start), row=log.index).sort_values([*keys, "t"], kind="stable")
    following = ordered.groupby(keys, sort=False)[["t", "row"]].shift(-1)
    return following.reindex(log.index)


def redial_mle(delays: np.ndarray, censored_at: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(p, tau, covariance of (logit p, log tau)) of the cure model: redial with p after Exp(tau), else never.

    ``delays``: observed redial delays; ``censored_at``: for abandoners not seen to redial, how long they
    were watched (up to the window or the end of the log).
    """
    from scipy.optimize import minimize
    from statsmodels.tools.numdiff import approx_hess

    def negloglik(theta: np.ndarray) -> float:
        p, tau = 1 / (1 + math.exp(-theta[0])), math.exp(theta[1])
        seen = len(delays) * math.log(p) - len(delays) * math.log(tau) - delays.sum() / tau
        unseen = np.log1p(-p + p * np.exp(-censored_at / tau)).sum()
        return -(seen + unseen)

    n = len(delays) + len(censored_at)
    p0 = min(max(len(delays) / n, 0.01), 0.99)
    start = np.array([math.log(p0 / (1 - p0)), math.log(max(delays.mean(), 1.0))])
    theta = minimize(negloglik, start, method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-10}).x
    cov = np.linalg.inv(approx_hess(theta, negloglik))
    return 1 / (1 + math.exp(-theta[0])), math.exp(theta[1]), cov


def fit_redials(log: pd.DataFrame, window: float) -> JourneyFit:
    """Redial probability and delay per channel with abandonments, from customer ids."""
    redials = pd.Series(False, index=log.index)
    fit = JourneyFit(redials=redials)
    start = log["arrival_time"].min()
    end = _seconds_since(log, start).max()
    following = next_contact(log, same_channel=True)
    for channel, rows in log[log["outcome"] == "abandoned"].groupby("channel"):
        left = _seconds_since(rows, start) + rows["wait_seconds"].to_numpy(float)
        gap = following.loc[rows.index, "t"].to_numpy(float) - left
        seen = np.isfinite(gap) & (gap >= 0) & (gap <= window)
        delays, censored_at = gap[seen], np.minimum(window, end - left[~seen]).clip(min=0)
        if len(delays) < 2:
            fit.notes.append(f"{channel}: redials not estimable ({len(delays)} redial(s) within the window)")
            continue
        p, tau, cov = redial_mle(delays, censored_at)
        se_logit, se_log_tau = np.sqrt(np.diag(cov))
        logit = math.log(p / (1 - p))
        note = weak(len(delays), "redials")
        method = f"cure-model MLE: redial with p after an exponential delay, within {window / 3600:g} h"
        fit.estimates += [
            Estimate("redial.probability", channel, p, _logistic(logit - Z * se_logit), _logistic(logit + Z * se_logit),
                     "share", len(rows), method, p * (1 - p) * se_logit, note),
            Estimate("redial.delay_mean", channel, tau, tau * math.exp(-Z * se_log_tau), tau * math.exp(Z * se_log_tau),
                     "s", len(delays), method, tau * se_log_tau, note),
        ]
        fit.redial_delays[channel] = delays
        fit.redial_scenario[channel] = {"probability": round(float(p), 4),
                                        "delay": {"dist": "exponential", "mean": f"{tau:.4g}s"}}
        redials.loc[following.loc[rows.index, "row"].to_numpy()[seen].astype(np.int64)] = True
    return fit


def _logistic(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def follow_ups(log: pd.DataFrame, window: float) -> pd.Series:
    """True for a contact whose customer's previous contact was answered, not resolved (where the log says),
    at most ``window`` before: the repeats a scenario's resolution model makes, left out of fresh demand."""
    t = _seconds_since(log, log["arrival_time"].min())
    resolved = (log["resolved"].astype("boolean").fillna(False).to_numpy(bool) if "resolved" in log.columns
                else np.zeros(len(log), dtype=bool))  # unknown: it may have been left unresolved
    ordered = log.assign(t=t, open=(log["outcome"] == "answered").to_numpy(bool) & ~resolved).sort_values(
        ["customer_id", "t"], kind="stable")
    before = ordered.groupby("customer_id", sort=False)[["t", "open"]].shift(1).reindex(log.index)
    return pd.Series(before["open"].eq(True).to_numpy(bool) & (t - before["t"].to_numpy(float) <= window),
                     index=log.index)


def fit_repeats(log: pd.DataFrame, window: float) -> list[Estimate]:
    """Repeat-contact rate and FCR by customer id, per channel.

    ``repeat_rate`` (servsim's KPI of that name): contacts whose customer's previous contact was answered
    at most ``window`` before / contacts, over the contacts arriving at least ``window`` after the log's
    start (an earlier one's previous contact may be before the log). ``fcr_by_customer``: answered contacts
    not followed by another of the same customer within ``window`` / answered contacts watched that long.
    """
    start = log["arrival_time"].min()
    end = _seconds_since(log, start).max()
    following = next_contact(log, same_channel=False)
    t_all = _seconds_since(log, start)
    ordered = log.assign(t=t_all, answered=log["outcome"] == "answered").sort_values(["customer_id", "t"],
                                                                                    kind="stable")
    before = ordered.groupby("customer_id", sort=False)[["t", "answered"]].shift(1).reindex(log.index)
    is_repeat = (before["answered"].eq(True) & (t_all - before["t"].to_numpy(float) <= window)).to_numpy(bool)
    estimates = []
    for channel in sorted(log["channel"].unique()):
        on = (log["channel"] == channel).to_numpy()
        seen = on & (t_all >= window)
        if seen.any():
            estimates.append(proportion("repeat_rate", channel, int(is_repeat[seen].sum()), int(seen.sum()),
                                        f"contacts following an answered contact of the same customer within "
                                        f"{window / 86400:g} d / contacts (after the first {window / 86400:g} d)"))
        rows = log[on & (log["outcome"] == "answered").to_numpy()]
        t = _seconds_since(rows, start)
        watched = t + window <= end
        if watched.sum() == 0:
            continue
        gap = following.loc[rows.index, "t"].to_numpy(float)[watched] - t[watched]
        repeats = int((np.isfinite(gap) & (gap <= window)).sum())
        n = int(watched.sum())
        note = "" if n >= 30 else f"weak: only {n} answered contacts watched for the whole window"
        estimates.append(proportion("fcr_by_customer", channel, n - repeats, n, f"answered contacts not followed "
                                    f"by another of the same customer within {window / 86400:g} d", note))
    return estimates


def fit_flags(log: pd.DataFrame, column: str, parameter: str) -> list[Estimate]:
    """The share of answered contacts whose ``column`` flag is true, per channel (Wilson interval)."""
    estimates = []
    answered = log[(log["outcome"] == "answered") & log[column].notna()]
    for channel, rows in answered.groupby("channel"):
        estimates.append(proportion(parameter, channel, int(rows[column].sum()), len(rows),
                                    f"share of answered contacts with {column} true"))
    return estimates


def fit_journey(log: pd.DataFrame, redial_window: float = REDIAL_WINDOW,
                repeat_window: float = REPEAT_WINDOW) -> JourneyFit:
    """Every journey estimate the log's columns allow; a note for each one they do not."""
    if "customer_id" in log.columns and log["customer_id"].notna().any():
        fit = fit_redials(log[log["customer_id"].notna()], redial_window)
        assert fit.redials is not None, "fit_redials marks every contact"
        fit.redials = fit.redials.reindex(log.index, fill_value=False)
        fit.estimates += fit_repeats(log[log["customer_id"].notna()], repeat_window)
        fit.repeats = follow_ups(log[log["customer_id"].notna()], repeat_window).reindex(log.index, fill_value=False)
    else:
        fit = JourneyFit(notes=["redial probability and delay, repeat-contact rate and FCR by customer: "
                                "skipped, the log has no customer_id column"])
    for column, parameter in (("resolved", "fcr"), ("transferred", "transfer_rate")):
        if column in log.columns and log[column].notna().any():
            fit.estimates += fit_flags(log, column, parameter)
        else:
            fit.notes.append(f"{parameter}: skipped, the log has no {column} column")
    return fit
