"""The channels section of the scenario: demand, opening hours, and how each channel's customers wait."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from sim.config.behaviour import _lognormal_by_median
from sim.config.callbacks import Callbacks
from sim.config.closing import Closing
from sim.config.distributions import HandleTime, NoDuration, Patience, patience_shorthand
from sim.config.email_policy import EmailPolicy
from sim.config.section import DAY, WEEKDAYS, Share, _dist, _Section
from sim.config.traits import TRAITS
from sim.config.types import ClockTime, Duration, PositiveDuration, Rate


class Arrivals(_Section):
    """Demand for one channel: a constant ``rate``, ``daily_volume`` shaped by profiles, or ``volumes`` per interval.

    ``file`` names a CSV or xlsx of interval volumes (read into ``volumes``; see ``sim/config/files.py``).
    ``day_dispersion`` d makes each day's volume random: every day's expected counts are multiplied by
    one gamma draw with mean 1 and variance d, so a day's count is negative binomial with variance
    mu + d mu^2 (0: Poisson days, the default).
    """

    rate: Rate | None = None
    daily_volume: float | None = Field(default=None, ge=0)
    profile: list[Annotated[float, Field(ge=0)]] | None = None
    day_weights: list[Annotated[float, Field(ge=0)]] = Field(default=[1.0] * 7, min_length=7, max_length=7)
    volumes: list[Annotated[float, Field(ge=0)]] | None = Field(default=None, min_length=1)
    file: str | None = None
    column: str | None = None  # the volumes file's column to use (default ``volume``; e.g. ``volume_p80``)
    day_dispersion: float = Field(default=0.0, ge=0, le=10)

    @model_validator(mode="after")
    def _one_way(self) -> Arrivals:
        given = [k for k in ("rate", "daily_volume", "volumes") if getattr(self, k) is not None]
        given = ["file" if k == "volumes" and self.file is not None else k for k in given]
        if len(given) != 1:
            raise ValueError("give one of 'rate' (e.g. 120/h), 'daily_volume' or 'file' (a volumes file), "
                             f"not {' and '.join(given) if given else 'none'}")
        if self.profile is not None and self.daily_volume is None:
            raise ValueError("'profile' shapes a 'daily_volume'; with a constant 'rate' or volumes leave it out")
        if self.profile is not None and sum(self.profile) <= 0:
            raise ValueError("'profile' must have at least one positive weight")
        if self.column is not None and self.file is None:
            raise ValueError("'column' picks a column of a volumes 'file'; give the file too")
        return self


CHANNELS = tuple(TRAITS)  # also the default order in which agents serve them
ChannelName = Literal["walk_in", "phone", "email"]


class Hours(_Section):
    """When a channel is open: walk-in and phone take arrivals only then; email is answered only then."""

    open: ClockTime
    close: ClockTime
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(default=list(WEEKDAYS), min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Hours:
        if self.close <= self.open:
            raise ValueError("close must be later than open (e.g. open: '08:00', close: '18:00')")
        return self

    def week_mask(self, interval: float) -> np.ndarray:
        """Open (True) or not, for each weekday (rows, Monday first) and interval of the day (columns)."""
        clock = np.arange(round(DAY / interval)) * interval
        in_hours = (clock >= self.open) & (clock < self.close)
        return np.array([[day in self.days] for day in WEEKDAYS]) & in_hours

    def is_open(self, seconds: float) -> bool:
        """Whether ``seconds`` from the start of the horizon (a Monday 00:00) falls in opening hours."""
        day, clock = divmod(seconds, DAY)
        return WEEKDAYS[int(day) % 7] in self.days and self.open <= clock < self.close


class Channel(_Section):
    """A channel's demand, its contacts' durations, and how its customers wait."""

    arrivals: Arrivals
    handle_time: HandleTime
    after_contact_work: HandleTime | None = None
    patience: Annotated[Patience, BeforeValidator(patience_shorthand)] = Field(
        default_factory=_dist(dist="none"), validate_default=True)
    tolerance: Annotated[Patience, BeforeValidator(patience_shorthand)] = Field(
        default_factory=_dist(**_lognormal_by_median(75.0, 1.0)),
        validate_default=True)  # onset of dissatisfaction (2.2)
    tolerance_zero_share: Share = 0.0  # customers who accept no wait at all
    hours: Hours | None = None
    perceived_wait_factor: float = Field(default=1.0, gt=0, le=10)  # perceived wait = factor x wait
    threshold: Duration | None = None  # this channel's service-level threshold; default service_level.threshold


class Balking(_Section):
    """Walk-in customers who see ``n`` people ahead turn away with probability
    1 / (1 + exp(-(n - midpoint) / scale))."""

    midpoint: float = Field(default=8.0, ge=0, le=10_000)
    scale: float = Field(default=1.5, gt=0, le=1000)


class WalkIn(Channel):
    """A counter with a visible queue: balking on its length, reneging, unoccupied waits feel longer (2.2, 2.3)."""

    patience: Annotated[Patience, BeforeValidator(patience_shorthand)] = Field(
        default_factory=_dist(dist="exponential", mean="20min"), validate_default=True)
    tolerance: Annotated[Patience, BeforeValidator(patience_shorthand)] = Field(
        default_factory=_dist(**_lognormal_by_median(240.0, 0.5)), validate_default=True)
    perceived_wait_factor: float = Field(default=1.36, gt=0, le=10)  # unoccupied waits (Larson)
    balking: Balking | None = Balking()
    closing: Closing | None = None  # hours to the minute, closed hours' demand displaced (closing.py)


class Redial(_Section):
    """Callers who hang up and call again later (2.3)."""

    probability: Share = 0.5
    delay: HandleTime = Field(default_factory=_dist(dist="exponential", mean="15min"), validate_default=True)
    patience_factor: float = Field(default=0.8, gt=0, le=10)


class Phone(Channel):
    """A hold queue; callers abandon, some redial; optional queue-position announcements (2.2, 2.3)."""

    patience: Annotated[Patience, BeforeValidator(patience_shorthand)] = Field(
        default_factory=_dist(dist="exponential", mean="5min"), validate_default=True)  # evidence range 90-600 s (2.3)
    tolerance_zero_share: Share = 0.13  # Arise: 13% accept no hold at all
    redial: Redial | None = Redial()
    queue_position_info: bool = False  # patience x 2 and perceived wait x 0.8 when announced
    closing: Closing | None = None  # hours to the minute, a closed message, the queue at closing (closing.py)
    callbacks: Callbacks | None = None  # virtual hold: a call back instead of holding (callbacks.py)


class Chaser(_Section):
    """Email customers with no reply after ``after`` x their tolerance phone in with this probability (2.3)."""

    probability: Share = 0.3
    after: float = Field(default=2.0, gt=0, le=100)


def _never_abandons(value: object) -> object:
    """Email customers never abandon: their ``patience`` is left out or says none (``{dist: none}``)."""
    if value is None or value == "none":
        return {"dist": "none"}
    if isinstance(value, NoDuration) or value == {"dist": "none"}:
        return value
    raise ValueError("emails never abandon; leave patience out or write 'none'")


class Email(Channel):
    """A written backlog answered in opening hours against a response-time target; no abandonment (2.2, 2.3)."""

    patience: Annotated[NoDuration, BeforeValidator(_never_abandons)] = Field(
        default_factory=_dist(dist="none"), validate_default=True)
    tolerance: Annotated[Patience, BeforeValidator(patience_shorthand)] = Field(default_factory=_dist(
        dist="empirical", values=["15min", "1h", "4h", "24h", "48h"], weights=[0.11, 0.19, 0.14, 0.43, 0.13]),
        validate_default=True)
    # the email service level: reply started within this (its threshold)
    response_target: PositiveDuration = Field(default="24h", validate_default=True)
    chaser: Chaser | None = Chaser()
    policy: EmailPolicy | None = None  # the target drives routing, expectation and chasers (email_policy.py)

    @model_validator(mode="after")
    def _no_threshold(self) -> Email:
        if self.threshold is not None:
            raise ValueError("email's service-level threshold is 'response_target' (e.g. response_target: 24h)")
        return self


class Channels(_Section):
    """The channels one customer population uses; at least one."""

    walk_in: WalkIn | None = None
    phone: Phone | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> Channels:
        if not self.names:
            raise ValueError("configure at least one of walk_in, phone, email")
        return self

    @property
    def names(self) -> list[str]:
        """The configured channels, in ``CHANNELS`` order."""
        return [c for c in CHANNELS if getattr(self, c) is not None]
