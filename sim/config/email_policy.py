"""The email response target as a policy (docs/model.md section 2.2): it drives routing, an acknowledgement
sets the customer's expectation, and chasers follow a missed expectation. Left out, the target is only the
threshold of the email service level (today's model)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EmailPolicy(BaseModel):
    """``rise_at``: an email that has waited this share of ``response_target`` is served before live work by
    every agent who answers email. ``acknowledgement``: an automatic reply promises an answer within the target,
    so the customer's tolerance becomes ``expectation`` x the target (x their tier's tolerance factor) instead
    of their own expectation; they chase by phone (with ``chaser.probability``) once ``chase_after`` x the
    promise has passed without a reply."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True,
                              strict=True)

    rise_at: float | None = Field(default=0.75, gt=0, le=1)  # None: emails stay behind live work (illustrative)
    acknowledgement: bool = True
    expectation: float = Field(default=1.0, gt=0, le=10)  # tolerance = expectation x target (illustrative)
    chase_after: float = Field(default=1.25, gt=0, le=100)  # x the promise (illustrative)
