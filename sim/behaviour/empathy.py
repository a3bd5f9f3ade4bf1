"""What empathy costs (docs/model.md section 7.1): time on the contact, and emotional labour when it is decreed.

An agent's own empathy (from training) is deep acting: it costs time but no emotional labour. Empathy a
decree asks for beyond it is surface acting (Hochschild; Grandey): it tires the agent and helps the customer
less (Huelsheger & Schewe 2011; Clark et al. 2013).
"""

from __future__ import annotations

from sim.config.behaviour import Empathy

NONE, GENUINE, SURFACE = 0, 1, 2  # the empathy an agent shows a contact


def shown(u: float, displayed: float, natural: float) -> int:
    """Which empathy a contact gets from its uniform ``u``: ``GENUINE`` below the agent's own (``natural``),
    ``SURFACE`` between it and what is displayed (a decree above the agent's own), else ``NONE``.

    Both probabilities are already lowered by exhaustion; with no decree ``displayed == natural``, so every
    empathetic response is genuine and the draw is the one the model always made (``u < displayed``).
    """
    if u >= displayed:
        return NONE
    return GENUINE if u < natural else SURFACE


def surface_share(displayed: float, natural: float) -> float:
    """Share of the empathetic responses that are surface acted: ``max(0, displayed - natural) / displayed``."""
    return max(0.0, displayed - natural) / displayed if displayed > 0.0 else 0.0


def effect(p: Empathy, kind: int) -> float:
    """How much of empathy's easing and apology a response delivers: 1 genuine, ``surface_effect`` surface acted."""
    return p.surface_effect if kind == SURFACE else (1.0 if kind == GENUINE else 0.0)


def extra_time(p: Empathy, failure: bool) -> float:
    """Seconds empathy adds to a contact: ``time``, plus ``recovery_time`` when the contact is a failure."""
    return p.time + (p.recovery_time if failure else 0.0)


def labour(p: Empathy, kind: int) -> float:
    """Exhaustion a response adds: ``surface_acting`` when surface acted, else nothing (deep acting)."""
    return p.surface_acting if kind == SURFACE else 0.0
