"""Service outcomes (evidence note 2.5): resolution, transfers and what lengthens handling."""

from __future__ import annotations

import math

from sim.config.behaviour import Exhaustion, HandleTimeEffects, Learning, Pressure, Resolution


def resolution_probability(
    p: Resolution, skill: float, issue_factor: float, frustration: float, exhaustion: float
) -> float:
    """``(base + slope * s) * c_x * (1 - f_pen * F) * (1 - e_pen * E)``, clipped to [0, 1]."""
    value = (p.base + p.skill_slope * skill) * issue_factor
    value *= (1.0 - p.frustration_penalty * frustration) * (1.0 - p.exhaustion_penalty * exhaustion)
    return min(1.0, max(0.0, value))


def transfer_probability(p: Resolution, skill: float) -> float:
    """``base + slope * (1 - s)``: less skilled agents pass more contacts on."""
    return min(1.0, max(0.0, p.transfer_base + p.transfer_skill_slope * (1.0 - skill)))


def learning_factor(p: Learning, tenure: float) -> float:
    """Handle-time multiplier of an agent ``tenure`` seconds into the job: ``1 + excess * exp(-t / scale)``."""
    return learning_factor_at(p, math.exp(-tenure / p.tenure_scale))


def learning_factor_at(p: Learning, new: float) -> float:
    """The same from the agent's newness ``exp(-t / scale)`` (see ``agents.newness``)."""
    return 1.0 + p.aht_new_hire_excess * new


def proficiency_factor(proficiency: float) -> float:
    """Handle-time multiplier of an agent with ``proficiency`` (0-1] in the contact's skill: ``2 - proficiency``."""
    return 2.0 - proficiency


def frustration_factor(p: HandleTimeEffects, frustration: float) -> float:
    """Handle-time multiplier for a customer starting service at frustration F."""
    return 1.0 + p.frustration * frustration


def exhaustion_factor(p: Exhaustion, exhaustion: float) -> float:
    """Handle-time multiplier for an agent at exhaustion E."""
    return 1.0 + p.handle_effect * exhaustion


def pressure_resolution_factor(p: Pressure, cut: float) -> float:
    """Resolution probability multiplier when ``cut`` of the contact was cut short: ``1 - penalty * cut``."""
    return 1.0 - p.resolution_penalty * cut


def pressured(p: Pressure, handle: float) -> tuple[float, float]:
    """Handle time under a handle-time target, and the share of the contact that was cut."""
    if handle <= p.target:
        return handle, 0.0
    cut = p.cut * (handle - p.target)
    return handle - cut, cut / handle
