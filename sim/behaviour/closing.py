"""Closing time to the minute (docs/model.md section 2.1): when a channel opens and closes, and where the
customers who would have come while it is closed go instead. Pure functions of the opening hours."""

from __future__ import annotations

import math

from sim.config.schema import CHANNELS, DAY, WEEKDAYS, Hours

SPREAD = 7200.0  # those sent to the next opening arrive over its first two hours (as follow-ups do, section 2)
HOUR = 3600.0
CHANNEL_TARGETS = CHANNELS  # a rule naming one sends customers there


def _open_day(hours: Hours, day: int) -> bool:
    return WEEKDAYS[day % 7] in hours.days


def transitions(hours: Hours, horizon: float) -> list[tuple[float, bool]]:
    """Every opening (True) and closing (False) instant in [0, horizon), in time order (the horizon starts on a
    Monday at 00:00)."""
    out: list[tuple[float, bool]] = []
    for day in range(math.ceil(horizon / DAY)):
        if _open_day(hours, day):
            out += [(day * DAY + hours.open, True), (day * DAY + hours.close, False)]
    return [(t, is_open) for t, is_open in out if t < horizon]


def next_opening(hours: Hours, t: float) -> float:
    """The first opening instant at or after ``t`` (``t`` itself if open then; inf if the channel never opens)."""
    if hours.is_open(t):
        return t
    day, clock = divmod(t, DAY)
    for ahead in range(8):
        d = int(day) + ahead
        if _open_day(hours, d) and (ahead > 0 or clock < hours.open):
            return d * DAY + hours.open
    return math.inf


def back_at_opening(hours: Hours, t: float) -> float:
    """When a customer turned away at ``t`` comes back: the next opening plus ``t`` modulo two hours (or the
    open span, if shorter), so returns spread over the first hours instead of all at the opening second."""
    opening = next_opening(hours, t)
    return opening + t % min(SPREAD, hours.close - hours.open) if opening != t else t


def last_open_hour(hours: Hours, t: float) -> float | None:
    """Where a customer who knows the hours comes instead of at ``t``, after closing on an open day: the same
    offset into the last open hour (close - 1 h + (t - close) mod 1 h; the whole day if open less than an
    hour). None if ``t`` is open, before opening, or on a closed day (there is no earlier hour that day)."""
    day, clock = divmod(t, DAY)
    if not _open_day(hours, int(day)) or clock < hours.close:
        return None
    width = min(HOUR, hours.close - hours.open)
    return day * DAY + hours.close - width + (clock - hours.close) % width


__all__ = ["back_at_opening", "last_open_hour", "next_opening", "transitions"]
