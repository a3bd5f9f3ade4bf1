"""A training course given in a window of weeks (docs/model.md section 6.1): the year's training hours are
delivered between ``start`` and ``start + length`` of each year of the run instead of spread over the year."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.config.types import Duration, PositiveDuration

YEAR = 365.25 * 86400.0


class Course(BaseModel):
    """When the course runs: from ``start`` (time since the run began) for ``length``, again every year."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, validate_default=True, strict=True)

    start: Annotated[Duration, Field(ge=0)] = 0.0
    length: PositiveDuration = Field(default="2w", validate_default=True)

    @model_validator(mode="after")
    def _within_a_year(self) -> Course:
        if self.start + self.length > YEAR:
            raise ValueError("a course must start and end within the run's first year (it is given again every year)")
        return self
