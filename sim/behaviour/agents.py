"""Agents (evidence note 2.8): skill, empathy and resilience from training and tenure; exhaustion; attrition."""

from __future__ import annotations

import math

import numpy as np

from sim.config.behaviour import Attrition, Exhaustion, Learning

MONTH_DAYS = 365.25 / 12


def trained(p: Learning, hours: float) -> float:
    """The share of the training benefit reached after ``hours`` (diminishing returns): ``1 - exp(-h / scale)``."""
    return 1.0 - math.exp(-hours / p.training_scale_hours)


def skill_ceiling(p: Learning, hours: float) -> float:
    """``s_inf(h) = base + gain * trained(h)``: the skill a fully tenured agent with ``hours`` of training reaches."""
    return p.skill_base + p.skill_gain * trained(p, hours)


def newness(p: Learning, tenure: float) -> float:
    """``exp(-tenure / scale)``: 1 for a new hire, towards 0 with tenure (shared by skill and the AHT curve)."""
    return math.exp(-tenure / p.tenure_scale)


def skill_at(p: Learning, ceiling: float, new: float) -> float:
    """``s = s_inf - gap * newness``, in [0, 1] (the engine computes ceiling and newness once)."""
    return min(1.0, max(0.0, ceiling - p.new_hire_skill_gap * new))


def skill(p: Learning, hours: float, tenure: float) -> float:
    """``s = s_inf(h) - gap * exp(-tenure / scale)``, ``s_inf(h) = base + gain * trained(h)``; in [0, 1]."""
    return skill_at(p, skill_ceiling(p, hours), newness(p, tenure))


def empathy_base(p: Learning, hours: float) -> float:
    """Probability of an empathetic response from a rested agent: ``base + gain * trained(h)``."""
    return min(1.0, p.empathy_base + p.empathy_gain * trained(p, hours))


def resilience(p: Learning, hours: float) -> float:
    """How much hostility an agent shrugs off: ``gain * trained(h)``."""
    return p.resilience_gain * trained(p, hours)


def empathy(p: Exhaustion, base: float, exhaustion: float) -> float:
    """Empathy of an agent at exhaustion E: ``base * (1 - effect * E)``."""
    return base * (1.0 - p.empathy_effect * exhaustion)


def after_contact(p: Exhaustion, exhaustion: float, frustration: float, resilience: float, weight: float) -> float:
    """E after a contact with a customer at frustration F: ``+ (per_contact + hostility w F) (1 - r/2)``, at most 1.

    ``w`` weighs the customer's hostility (priority-tier aggression weighs 1.5, evidence note 2.8).
    """
    return min(1.0, exhaustion + (p.per_contact + p.hostility * weight * frustration) * (1.0 - 0.5 * resilience))


def recovered(p: Exhaustion, exhaustion: float, idle_seconds: float) -> float:
    """E after ``idle_seconds`` without a contact: exponential recovery."""
    return exhaustion * math.exp(-idle_seconds / p.recovery_time)


def recovered_overnight(exhaustion: float, between_shifts: float, nights: int) -> float:
    """E of an agent back on shift after ``nights`` off the floor (at least one): ``between_shifts^nights x E``."""
    return exhaustion * between_shifts ** max(1, nights)


STRAIN_DAYS = 30.0  # E30: exhaustion at shift ends, averaged over about this many shifts


def strain_update(strain: float, exhaustion: float) -> float:
    """E30 after a shift ending at ``exhaustion``: an exponential moving average over ~30 shifts."""
    return strain + (exhaustion - strain) / STRAIN_DAYS


def quit_probability(p: Attrition, exhaustion_30d, days: float):
    """Chance an agent quits within ``days``: monthly ``q0 multiplier^E30`` as a constant hazard (2.8; numpy-
    friendly)."""
    monthly = np.minimum(1.0, p.monthly_quit * p.exhaustion_multiplier ** np.asarray(exhaustion_30d))
    return -np.expm1(np.log1p(-np.minimum(monthly, 1.0 - 1e-12)) * days / MONTH_DAYS)
