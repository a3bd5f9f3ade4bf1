"""Annotated field types shared by the config schema: durations and rates in human units."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from sim.config.units import parse_clock, parse_duration, parse_rate

_DURATION_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "description": "seconds"},
        {"type": "string", "pattern": r"^\s*[0-9.]+\s*[a-zA-Z]*\s*$", "examples": ["20s", "4min", "1.5h", "24h"]},
    ]
}
_RATE_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "description": "per second"},
        {"type": "string", "examples": ["120/h", "2/min"]},
    ]
}


def _positive(value: float) -> float:
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


Duration = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(_DURATION_SCHEMA)]
PositiveDuration = Annotated[Duration, AfterValidator(_positive)]
Rate = Annotated[float, BeforeValidator(parse_rate), WithJsonSchema(_RATE_SCHEMA)]
ClockTime = Annotated[
    float, BeforeValidator(parse_clock),
    WithJsonSchema({"anyOf": [{"type": "string", "examples": ["08:00", "17:30"]}, {"type": "number"}]}),
]
