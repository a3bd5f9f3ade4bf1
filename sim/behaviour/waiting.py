"""Waiting (docs/model.md sections 1 and 2): how long a customer waits before abandoning, how long a wait
feels, and how long one is tolerated (a follow-up's, rescaled to the customer's tier; the promise of an
acknowledgement); a queue-position announcement changes the first two (Munichor & Rafaeli). Pure functions
of the settings."""

from __future__ import annotations

from sim.config.email_policy import EmailPolicy

POSITION_PATIENCE = 2.0  # patience multiplier when the queue position is announced (§2, range 1.5-2.7)
POSITION_PERCEIVED = 0.8  # perceived-wait multiplier when the queue position is announced (§1, m_info)


def position_patience_factor(announced: bool) -> float:
    """Patience multiplier of a channel that announces (``announced``) the caller's queue position: 2, else 1."""
    return POSITION_PATIENCE if announced else 1.0


def position_perceived_factor(announced: bool) -> float:
    """Perceived-wait multiplier ``m_info``: 0.8 where the queue position is announced, else 1."""
    return POSITION_PERCEIVED if announced else 1.0


def to_tier(drawn: float, own_factor: float, drawn_factor: float) -> float:
    """A follow-up's patience or tolerance, drawn for a customer of tier factor ``drawn_factor``, rescaled to the
    customer's own: ``drawn x own_factor / drawn_factor``."""
    return drawn * own_factor / drawn_factor


def follow_up_patience(drawn: float, own_factor: float, drawn_factor: float, redial_factor: float | None) -> float:
    """A follow-up's patience: ``to_tier``, times ``redial_factor`` on a redial (None: not one)."""
    patience = to_tier(drawn, own_factor, drawn_factor)
    if redial_factor is not None:
        patience *= redial_factor
    return patience


def promised_tolerance(policy: EmailPolicy, target: float) -> float | None:
    """The tolerance an acknowledgement sets (docs/model.md section 2.2): ``expectation x target``, before the
    tier's tolerance factor; None under a policy without acknowledgement (customers keep their own)."""
    if not policy.acknowledgement:
        return None
    return policy.expectation * target


__all__ = ["follow_up_patience", "position_perceived_factor", "position_patience_factor", "promised_tolerance",
           "to_tier"]
