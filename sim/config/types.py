"""Annotated field types shared by the config schema: durations, rates and clock times in human units.

Files and the command line must give units (``UNITS_REQUIRED`` in the validation context, set by
``loader.validate``); the Python API may give plain seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, ValidationInfo, WithJsonSchema

from sim.config.units import parse_clock, parse_duration, parse_hours, parse_rate

UNITS_REQUIRED = "units_required"  # validation-context key: a bare number is not a duration or a rate

_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "number", "const": 0, "description": "zero needs no unit"},
        {"type": "string", "pattern": r"^\s*[0-9.]+\s*[a-zA-Z]+\s*$", "examples": ["20s", "4min", "1.5h", "24h"]},
    ]
}
_RATE_SCHEMA = {"anyOf": [{"type": "number", "const": 0}, {"type": "string", "examples": ["120/h", "2/min"]}]}
_HOURS_SCHEMA = {"anyOf": [{"type": "number", "minimum": 0, "description": "hours"},
                           {"type": "string", "examples": ["40h", "2d"]}]}


def _units(parse: Callable[[object, bool], float]) -> Callable[[object, ValidationInfo], float]:
    """A validator calling ``parse`` with units required when the context says so."""

    def validate(value: object, info: ValidationInfo) -> float:
        return parse(value, bool(info.context and info.context.get(UNITS_REQUIRED)))

    return validate


def _positive(value: float) -> float:
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


Duration = Annotated[float, BeforeValidator(_units(parse_duration)), WithJsonSchema(_DURATION_SCHEMA)]
PositiveDuration = Annotated[Duration, AfterValidator(_positive)]
Rate = Annotated[float, BeforeValidator(_units(parse_rate)), WithJsonSchema(_RATE_SCHEMA)]
ClockTime = Annotated[
    float, BeforeValidator(_units(parse_clock)),
    WithJsonSchema({"anyOf": [{"type": "string", "examples": ["08:00", "17:30"]}, {"type": "number"}]}),
]
HoursAmount = Annotated[float, BeforeValidator(parse_hours), WithJsonSchema(_HOURS_SCHEMA)]
