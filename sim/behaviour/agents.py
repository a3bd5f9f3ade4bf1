"""Agents (evidence note 2.8): skill, empathy and resilience from training and tenure; exhaustion."""

from __future__ import annotations

import math

from sim.config.behaviour import Exhaustion, Learning


def trained(p: Learning, hours: float) -> float:
    """The share of the training benefit reached after ``hours`` (diminishing returns): ``1 - exp(-h / scale)``."""
    return 1.0 - math.exp(-hours / p.training_scale_hours)


def skill(p: Learning, hours: float, tenure: float) -> float:
    """``s = s_inf(h) - gap * exp(-tenure / scale)``, ``s_inf(h) = base + gain * trained(h)``; in [0, 1]."""
    value = p.skill_base + p.skill_gain * trained(p, hours) - p.new_hire_skill_gap * math.exp(-tenure / p.tenure_scale)
    return min(1.0, max(0.0, value))


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
