"""Per-episode frustration F in [0, 1] (evidence note 2.2-2.4): what raises it, what eases it, how it is remembered."""

from __future__ import annotations

import math

import numpy as np

from sim.config.behaviour import Frustration


def raised(frustration: float, increment: float) -> float:
    """F after an increment, clipped at 1."""
    return min(1.0, frustration + increment)


def initial_anger(p: Frustration, u: np.ndarray) -> np.ndarray:
    """F0 of arriving customers from their uniforms ``u``: 0, except for ``u < angry_share`` (an angry arrival),
    ``angry_low + (angry_high - angry_low) u / angry_share``, uniform on [angry_low, angry_high)."""
    angry = np.zeros(len(u))
    is_angry = u < p.angry_share
    angry[is_angry] = p.angry_low + (p.angry_high - p.angry_low) * u[is_angry] / max(p.angry_share, 1e-12)
    return angry


def wait_increment(p: Frustration, perceived_wait: float, tolerance: float, already: float) -> float:
    """What a wait of ``perceived_wait`` adds: ``coef * max(0, P/T - 1)``, within the per-episode cap.

    ``already`` is what waiting has added earlier in the episode. A tolerance of zero
    (customers who accept no wait) is read as one second.
    """
    excess = perceived_wait / max(tolerance, 1.0) - 1.0
    if excess <= 0.0:
        return 0.0
    return max(0.0, min(p.wait_coefficient * excess, p.wait_cap - already))


def transfer_increment(p: Frustration, nth: int, cold: bool) -> float:
    """What the ``nth`` transfer of an episode adds (1-based): warm or cold, multiplied from the 2nd on."""
    base = p.transfer_cold if cold else p.transfer_warm
    return base * (p.repeat_transfer_factor if nth >= 2 else 1.0)


def comeback_increment(p: Frustration, redial: bool, switched: bool) -> float:
    """What coming back adds (§3): ``redial`` for a redial, else ``repeat_contact`` (a repeat or a chaser),
    plus ``channel_switch`` when the customer comes back on another channel than the episode's first."""
    bump = p.redial if redial else p.repeat_contact
    if switched:
        bump += p.channel_switch
    return bump


def eased(p: Frustration, frustration: float, weight: float = 1.0) -> float:
    """F after the agent's empathy or apology: ``factor * F``; a response of ``weight`` < 1 (surface acted)
    delivers that share of the easing, ``(1 - weight (1 - factor)) F``."""
    if weight == 1.0:
        return p.empathy_factor * frustration
    return (1.0 - weight * (1.0 - p.empathy_factor)) * frustration


def remembered(p: Frustration, peak: float, end: float) -> float:
    """Peak-end memory of a contact: ``w * peak + (1 - w) * end``."""
    return p.peak_weight * peak + (1.0 - p.peak_weight) * end


def balk_probability(midpoint: float, scale: float, ahead: int) -> float:
    """Walk-in: probability of turning away on seeing ``ahead`` people queued (logistic in queue length)."""
    return 1.0 / (1.0 + math.exp(-(ahead - midpoint) / scale))
