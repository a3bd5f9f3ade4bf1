"""Closing time as a lever (docs/model.md section 2.1): exact opening hours, and what happens to the demand
that meets a closed counter or line. Off (left out) means today's model: hours act per interval and the
closed hours' demand does not exist."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DISPLACE_RULES = ("last_open_hour", "next_opening")


class Closing(BaseModel):
    """A channel's hours kept to the minute, and its closed hours' demand displaced.

    ``displace_to``: where the customers who would have come while it is closed go: ``last_open_hour``
    (they know the hours and come in the hour before closing; those who would have come before opening
    or on a closed day are turned away and come back at the next opening), ``next_opening`` (they are
    turned away and come back after it opens), or a channel's name (they are turned away and contact
    that channel instead). Those turned away are one more contact of their episode (its frustration,
    section 3) and a share ``give_up`` of them leave without being served (an episode ended unresolved,
    with its defection chance; recorded as balked). ``queued``: phone callers still on hold at closing
    are ``served`` (agents on shift answer them) or told to ``call_back`` (after the next opening, or
    they give up in the same share); walk-ins inside at closing are always served.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True,
                              strict=True)

    displace_to: Literal["last_open_hour", "next_opening", "walk_in", "phone", "email"] = "next_opening"
    give_up: float = Field(default=0.1, ge=0, le=1)  # of those turned away (illustrative)
    queued: Literal["served", "call_back"] = "served"
