"""Contact logs drawn with numpy from KNOWN parameters, for testing the calibration estimators.

Waits are min(patience, offered wait) with the offered wait (how long until an agent would have
answered) independent of patience: the non-informative censoring the patience estimators assume.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

START = pd.Timestamp("2024-01-01")  # a Monday


@dataclass
class Truth:
    """The parameters a synthetic log is drawn from."""

    days: int = 28
    weekday_volume: tuple[float, ...] = (1200, 1100, 1000, 1000, 900, 0, 0)
    profile: np.ndarray = field(default_factory=lambda: np.r_[np.zeros(16), np.linspace(1, 3, 10),
                                                              np.linspace(3, 1, 10), np.zeros(12)])
    day_dispersion: float = 0.0
    patience_mean: float = 300.0
    patience_shape: float = 1.0  # Weibull shape; 1 = exponential
    offered_wait_mean: float = 60.0
    handle_mean: float = 360.0
    handle_cv: float = 0.8
    handle_dist: str = "lognormal"
    acw_mean: float | None = None
    redial_probability: float = 0.0
    redial_delay_mean: float = 900.0
    fcr: float | None = None  # resolved share of answered contacts; unresolved ones come back
    repeat_delay_mean: float = 86400.0
    transfer_rate: float | None = None
    customers: bool = False
    interval: float = 1800.0


def draw_log(truth: Truth, seed: int = 1) -> pd.DataFrame:
    """A phone contact log in servsim's format drawn from ``truth``."""
    rng = np.random.default_rng(seed)
    shares = truth.profile / truth.profile.sum()
    times = []
    for day in range(truth.days):
        mean = truth.weekday_volume[day % 7]
        if mean == 0:
            continue
        if truth.day_dispersion > 0:
            mean *= rng.gamma(1 / truth.day_dispersion, truth.day_dispersion)
        counts = rng.multinomial(rng.poisson(mean), shares)
        slots = np.repeat(np.arange(len(shares)), counts)
        times.append(day * 86400.0 + (slots + rng.random(slots.size)) * truth.interval)
    t = np.sort(np.concatenate(times))
    customer = np.arange(t.size)
    rows = _contacts(truth, rng, t, customer)
    rows = _follow_ups(truth, rng, rows)
    frame = pd.DataFrame(rows).sort_values("t", kind="stable", ignore_index=True)
    out = pd.DataFrame({"arrival_time": START + pd.to_timedelta(frame["t"], unit="s"), "channel": "phone",
                        "wait_seconds": frame["wait"], "outcome": frame["outcome"],
                        "handle_seconds": frame["handle"]})
    if truth.acw_mean is not None:
        out["acw_seconds"] = frame["acw"]
    if truth.customers:
        out["customer_id"] = frame["customer"].astype(int).map(lambda c: f"C{c}")
    if truth.fcr is not None:
        out["resolved"] = frame["resolved"]
    if truth.transfer_rate is not None:
        out["transferred"] = frame["transferred"]
    out.attrs["source"] = "synthetic"
    return out


def _patience(truth: Truth, rng, n: int) -> np.ndarray:
    k = truth.patience_shape
    scale = truth.patience_mean / np.exp(np.log(np.e) * 0) if k == 1 else \
        truth.patience_mean / float(__import__("math").gamma(1 + 1 / k))
    return scale * rng.weibull(k, n)


def _contacts(truth: Truth, rng, t: np.ndarray, customer: np.ndarray) -> dict:
    n = t.size
    patience = _patience(truth, rng, n)
    offered = truth.offered_wait_mean * rng.standard_exponential(n)
    abandoned = patience < offered
    wait = np.minimum(patience, offered)
    if truth.handle_dist == "lognormal":
        s2 = np.log1p(truth.handle_cv ** 2)
        handle = np.exp(np.log(truth.handle_mean) - s2 / 2 + np.sqrt(s2) * rng.standard_normal(n))
    else:
        k = 1 / truth.handle_cv ** 2
        handle = rng.gamma(k, truth.handle_mean / k, n)
    acw = truth.acw_mean * rng.standard_exponential(n) if truth.acw_mean else np.zeros(n)
    resolved = rng.random(n) < (truth.fcr if truth.fcr is not None else 1.0)
    transferred = rng.random(n) < (truth.transfer_rate or 0.0)
    return {"t": t, "customer": customer, "wait": wait, "outcome": np.where(abandoned, "abandoned", "answered"),
            "handle": np.where(abandoned, np.nan, handle), "acw": np.where(abandoned, np.nan, acw),
            "resolved": np.where(abandoned, None, resolved), "transferred": np.where(abandoned, None, transferred)}


def _follow_ups(truth: Truth, rng, rows: dict, rounds: int = 6) -> dict:
    """Redials after abandoning and repeats after unresolved contacts, for a few generations."""
    new = rows
    everything = {k: [v] for k, v in rows.items()}
    for _ in range(rounds):
        abandoned = new["outcome"] == "abandoned"
        redial = abandoned & (rng.random(abandoned.size) < truth.redial_probability)
        unresolved = (new["outcome"] == "answered") & (new["resolved"] == False)  # noqa: E712
        left = new["t"] + new["wait"]
        t = np.concatenate([left[redial] + truth.redial_delay_mean * rng.standard_exponential(redial.sum()),
                            left[unresolved] + truth.repeat_delay_mean * rng.standard_exponential(unresolved.sum())])
        customer = np.concatenate([new["customer"][redial], new["customer"][unresolved]])
        keep = t < truth.days * 86400.0
        if not keep.any():
            break
        new = _contacts(truth, rng, t[keep], customer[keep])
        for k, v in new.items():
            everything[k].append(v)
    return {k: np.concatenate(v) for k, v in everything.items()}
