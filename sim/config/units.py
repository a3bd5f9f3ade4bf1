"""Durations and rates written the way people say them: ``20s``, ``4min``, ``24h``, ``120/h``.

Everything inside servsim is in seconds; these parsers are the only place units
are read, so a config file can say ``1.5h`` and the engine sees ``5400.0``.
"""

from __future__ import annotations

import math
import re

_SECONDS = {
    "ms": 0.001,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
    "w": 604800.0, "wk": 604800.0, "week": 604800.0, "weeks": 604800.0,
    "mo": 2629800.0, "month": 2629800.0, "months": 2629800.0,  # 365.25 / 12 days
    "y": 31557600.0, "yr": 31557600.0, "year": 31557600.0, "years": 31557600.0,
}
DAY_SECONDS = 86400.0
_CLOCK = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*$")
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_DURATION = re.compile(rf"^\s*({_NUMBER})\s*([a-zA-Z]*)\s*$")
_RATE = re.compile(rf"^\s*({_NUMBER})\s*(?:/|per)\s*({_NUMBER})?\s*([a-zA-Z]+)\s*$")


UNIT_HINT = "write it with a unit, such as '20s', '4min', '1.5h' or '24h'"


def parse_duration(value: object, require_unit: bool = False) -> float:
    """Seconds from ``20s``, ``4min``, ``1.5h`` or ``2 days``.

    Text needs a unit. A number means seconds only where ``require_unit`` is False (the Python API, which
    works in seconds); in files and on the command line a number other than 0 is ambiguous and refused.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as '20s' or '4min', got {value!r}")
    if isinstance(value, (int, float)):
        seconds = _bare(float(value), value, require_unit, UNIT_HINT)
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"expected a duration such as '20s', '4min' or '24h', got {value!r}")
        number, unit = match.groups()
        if unit and unit.lower() not in _SECONDS:
            raise ValueError(f"unknown time unit {unit!r} in {value!r} (use s, min, h, d, w, mo or y)")
        seconds = float(number) * _SECONDS[unit.lower()] if unit else _bare(float(number), value, True, UNIT_HINT)
    else:
        raise ValueError(f"expected a duration such as '20s' or '4min', got {value!r}")
    if not math.isfinite(seconds):
        raise ValueError(f"a duration must be a finite number, got {value!r}")
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    return seconds


def _bare(number: float, value: object, require_unit: bool, hint: str) -> float:
    """A number given without a unit: fine when it is 0 or units are optional, else refused with ``hint``."""
    if require_unit and number != 0 and math.isfinite(number):
        raise ValueError(f"{value!r} has no unit; {hint}")
    return number


def parse_hours(value: object) -> float:
    """Hours from a bare number (the field's name says hours) or from any duration with a unit (``160h``, ``4d``)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number of hours such as 40 or '40h', got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    return parse_duration(value, require_unit=True) / 3600.0


def parse_clock(value: object, require_unit: bool = False) -> float:
    """Seconds after midnight from a clock time ``"08:30"`` (``"24:00"`` is the end of the day) or a duration."""
    if isinstance(value, str) and (match := _CLOCK.match(value)):
        hours, minutes = int(match.group(1)), int(match.group(2))
        if minutes >= 60 or hours * 60 + minutes > 24 * 60:
            raise ValueError(f"not a time of day: {value!r} (use 00:00 to 24:00)")
        return hours * 3600.0 + minutes * 60.0
    seconds = parse_duration(value, require_unit)
    if seconds > 86400:
        raise ValueError(f"a time of day must be at most 24:00, got {value!r}")
    return seconds


RATE_HINT = "write it with a period, such as '120/h', '2/min' or '30 per 15min'"


def parse_rate(value: object, require_unit: bool = False) -> float:
    """Events per second from ``120/h``, ``2/min`` or ``30 per 15min``; a bare number is per second where
    ``require_unit`` is False (the Python API) and refused otherwise (unless it is 0)."""
    if isinstance(value, bool):
        raise ValueError(f"expected a rate such as '120/h', got {value!r}")
    if isinstance(value, (int, float)):
        rate = _bare(float(value), value, require_unit, RATE_HINT)
    elif isinstance(value, str):
        match = _RATE.match(value)
        if not match and re.match(rf"^\s*{_NUMBER}\s*$", value):
            _bare(float(value), value, True, RATE_HINT)
            return 0.0
        if not match:
            raise ValueError(f"expected a rate such as '120/h' or '2/min', got {value!r}")
        count, per_number, unit = match.groups()
        if unit.lower() not in _SECONDS:
            raise ValueError(f"unknown time unit {unit!r} in {value!r} (use s, min, h, d, w, mo or y)")
        per = float(per_number) if per_number else 1.0
        if per <= 0:
            raise ValueError(f"the period of a rate must be positive, got {value!r}")
        rate = float(count) / (per * _SECONDS[unit.lower()])
    else:
        raise ValueError(f"expected a rate such as '120/h', got {value!r}")
    return _finite_rate(rate, value)


def _finite_rate(rate: float, value: object) -> float:
    if not math.isfinite(rate) or rate < 0:
        raise ValueError(f"a rate must be a finite number >= 0, got {value!r}")
    return rate


def rate_period(value: str) -> float:
    """The period of a rate written as text, in seconds (``2400/day`` -> 86400), or 0 if it has none."""
    match = _RATE.match(value) if isinstance(value, str) else None
    if not match or match.group(3).lower() not in _SECONDS:
        return 0.0
    return (float(match.group(2)) if match.group(2) else 1.0) * _SECONDS[match.group(3).lower()]


def format_duration(seconds: float) -> str:
    """Short human form of a duration, for tables and messages."""
    if not math.isfinite(seconds):
        return "inf"
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size and (seconds / size) == round(seconds / size, 2):
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"
