"""Callbacks (virtual hold) as a lever (docs/model.md section 2.3): a caller facing a long expected wait is offered
a call back and keeps the place in the queue without holding. Off (left out) means today's model: every caller
holds."""

from __future__ import annotations

from pydantic import Field

from sim.config.distributions import HandleTime
from sim.config.section import Share, _dist, _Section
from sim.config.types import Duration, PositiveDuration


class Callbacks(_Section):
    """Offered to a caller who must queue when the expected wait, (queue ahead + 1) x mean handle time / agents
    on the floor for the channel, exceeds ``offer_above``; a share ``take_up`` accepts. Accepted callers keep
    their place without a patience clock; when it comes up an agent calls back, taking ``dial`` on top of the
    call. A share ``missed`` is not reached: the agent spends ``dial`` for nothing and the customer, more
    frustrated by ``missed_frustration``, calls again after ``recall_after`` (with probability ``recall``) or
    gives up. A virtual wait frustrates as ``felt`` x a held wait of the same length."""

    offer_above: Duration = Field(default="60s", validate_default=True)
    take_up: Share = 0.37  # Hathaway, Emadi & Deshpande: 37% of those offered accept (B)
    dial: PositiveDuration = Field(default="30s", validate_default=True)  # agent time to dial and connect (D)
    missed: Share = 0.07  # ibid.: 7% of accepted callbacks unanswered (B)
    felt: Share = 0.2  # a virtual wait's frustration per second of a held one: direction B, size D
    missed_frustration: Share = 0.2  # a broken promise, added to the episode's frustration (D)
    recall: Share = 0.5  # missed customers who call again (as redial.probability, D)
    recall_after: HandleTime = Field(
        default_factory=_dist(dist="exponential", mean="15min"), validate_default=True)  # as redial.delay (D)
