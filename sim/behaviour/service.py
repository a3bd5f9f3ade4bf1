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


def rescaled_handle(drawn: float, own_factor: float, drawn_factor: float) -> float:
    """A handle time drawn for an issue of handle factor ``drawn_factor``, rescaled to the contact's own issue
    (a follow-up, a transferred contact's next segment): ``drawn x (own_factor / drawn_factor)``."""
    return drawn * (own_factor / drawn_factor)


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


KEEP, PASS_ON, RELEASE = 0, 1, 2  # what an agent under strong pressure does with a long contact (``dump_choice``)


def pressure_resolution_factor(p: Pressure, cut: float) -> float:
    """Resolution probability multiplier when ``cut`` of the contact was cut short: ``max(0, 1 - penalty * cut)``."""
    return max(0.0, 1.0 - p.resolution_penalty * cut)


def pressured(p: Pressure, handle: float) -> tuple[float, float]:
    """Handle time under a handle-time target, and the share of the contact that was cut."""
    if handle <= p.target:
        return handle, 0.0
    cut = p.cut * (handle - p.target)
    return handle - cut, cut / handle


def dumped(p: Pressure, handle: float) -> tuple[float, float]:
    """A contact got rid of at the target: the time spent on it, and the share of it cut."""
    return p.target, 1.0 - p.target / handle


def dump_choice(p: Pressure, handle: float, u_transfer: float, transfer_chance: float) -> int:
    """Under strong pressure (``handle`` beyond ``dump_after * target``) the agent gets rid of the contact with
    probability ``dumping``: passed on early (``PASS_ON``, share ``dump_transfer_share``) or released unresolved
    (``RELEASE``); else ``KEEP``.

    ``u_transfer`` is the contact's transfer uniform, and the ordinary transfer (``u < transfer_chance``) comes
    first: given that it did not happen, ``(u - chance) / (1 - chance)`` is again uniform, so dumping needs no
    draw of its own and leaves every other decision's draws as they were.
    """
    if handle <= p.dump_after * p.target or u_transfer < transfer_chance or transfer_chance >= 1.0:
        return KEEP
    v = (u_transfer - transfer_chance) / (1.0 - transfer_chance)
    if v >= p.dumping:
        return KEEP
    return PASS_ON if v < p.dumping * p.dump_transfer_share else RELEASE


def pressure_strain(p: Pressure, cut: float, resilience: float) -> float:
    """Exhaustion a contact worked against the clock adds: ``(strain + strain_cut * cut) * (1 - r/2)``."""
    return (p.strain + p.strain_cut * cut) * (1.0 - 0.5 * resilience)


def rushed_increment(p: Pressure, cut: float) -> float:
    """Frustration of a customer whose contact was cut by ``cut`` (a share): ``rushed * cut``."""
    return p.rushed * cut
