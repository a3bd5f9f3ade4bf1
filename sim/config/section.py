"""What every section of the scenario shares: the strict frozen base model, the days of the week, shares.

The sections themselves live by subject: ``channels.py`` (demand, opening hours, each channel's waiting),
``customers.py`` (tiers, issues, the customer base), ``agents.py`` (agent groups, routing) and ``schema.py``
(the scenario, which ties them together and checks them against each other).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

DAY = 86400.0
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Share = Annotated[float, Field(ge=0, le=1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False,
                              validate_default=True,
                              strict=True)  # strict: a boolean is never a number


def _dist(**spec) -> Callable[[], dict]:
    return lambda: spec
