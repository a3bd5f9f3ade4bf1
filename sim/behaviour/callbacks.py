"""Callbacks (virtual hold), docs/model.md section 2.3: when a caller is offered a call back, and what a virtual
wait and a missed call back do to the customer's frustration. Pure functions of the settings."""

from __future__ import annotations

import numpy as np

from sim.config.behaviour import Frustration


def expected_wait(ahead, mean_handle: float, agents):
    """The wait a caller who must queue can expect: ``(ahead + 1) x mean_handle / agents``.

    Every agent is busy (else the caller is answered at once), so the caller is answered at the ``ahead + 1``-th
    departure; with ``agents`` serving at rate 1 / ``mean_handle`` each, departures are ``mean_handle / agents``
    apart on average (exact for exponential handle times and one first-come queue, M/M/c). Inf with no agents.
    Scalars or numpy arrays.
    """
    ahead, agents = np.asarray(ahead, dtype=float), np.asarray(agents, dtype=float)
    with np.errstate(divide="ignore"):
        out = np.where(agents > 0, (ahead + 1.0) * mean_handle / np.maximum(agents, 1.0), np.inf)
    return float(out) if out.ndim == 0 else out


def offered(expected, offer_above: float):
    """Whether a callback is offered: the expected wait exceeds the threshold (strictly)."""
    return np.asarray(expected) > offer_above if np.ndim(expected) else bool(expected > offer_above)


def felt_wait(wait, felt: float):
    """The held wait that frustrates as much as a virtual wait of ``wait``: ``felt x wait``."""
    return felt * wait


def held_wait_equivalent(p: Frustration, missed_frustration: float, tolerance: float) -> float:
    """The perceived held wait that adds as much frustration as a missed call back (below the wait cap):
    ``(missed_frustration / wait_coefficient + 1) x tolerance``; inf when waiting alone can never add that much."""
    if missed_frustration > p.wait_cap or p.wait_coefficient <= 0.0:
        return float("inf")
    return (missed_frustration / p.wait_coefficient + 1.0) * max(tolerance, 1.0)


__all__ = ["expected_wait", "felt_wait", "held_wait_equivalent", "offered"]
