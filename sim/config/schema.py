"""The scenario schema: one typed, frozen model per config section, unknown keys rejected.

Times are seconds after parsing (see ``units.py``). Named things (channels,
tiers, agent groups) are mappings keyed by name, so overrides read naturally:
``--set agents.phone_team.staffing=12``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from sim.config.behaviour import Behaviour, BehaviourField, _lognormal_by_median
from sim.config.closing import Closing
from sim.config.distributions import HandleTime, NoDuration, Patience, patience_shorthand
from sim.config.email_policy import EmailPolicy
from sim.config.files import resolve_files
from sim.config.traits import TRAITS
from sim.config.types import ClockTime, Duration, HoursAmount, PositiveDuration, Rate

DAY = 86400.0
Headcount = Annotated[int, Field(ge=0, le=100_000)]
MAX_INTERVALS = 1_000_000  # about 57 years of 30-minute intervals
MAX_EXPECTED_PER_INTERVAL = 10_000_000
SL_DEFINITIONS = ("offered", "answered", "offered_excl_short_abandons")


def n_intervals(horizon: float, interval: float) -> int:
    """Intervals needed to cover the horizon; the last may be partial, and there is always one."""
    return max(1, math.ceil(horizon / interval - 1e-9))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False,
                              validate_default=True,
                              strict=True)  # strict: a boolean is never a number


class ServiceLevel(_Section):
    """How service level is defined: answered within ``threshold`` over a chosen denominator."""

    threshold: Duration = Field(default="20s", validate_default=True)
    definition: Literal["offered", "answered", "offered_excl_short_abandons"] = "offered"
    short_abandon: Duration = Field(default="5s", validate_default=True)


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
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Share = Annotated[float, Field(ge=0, le=1)]


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


def _check_closing(channels: Channels, name: str) -> None:
    """A closing rule needs opening hours, and its displacement a configured channel other than its own."""
    closing = getattr(getattr(channels, name), "closing", None)
    if closing is None:
        return
    if getattr(channels, name).hours is None:
        raise ValueError(f"channels.{name}.closing needs channels.{name}.hours (when it opens and closes)")
    target = closing.displace_to
    if target in CHANNELS and (target == name or target not in channels.names):
        raise ValueError(f"channels.{name}.closing.displace_to: {target} must be another configured channel")
    if closing.queued == "call_back" and name == "walk_in":
        raise ValueError("channels.walk_in.closing.queued: walk-ins inside at closing are always served")


def _clock(seconds: float) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}"


def _dist(**spec) -> Callable[[], dict]:
    return lambda: spec


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


class Tier(_Section):
    """A customer tier: share of arrivals, queue priority (higher first), patience and tolerance factors, value."""

    share: float = Field(ge=0, le=1)
    priority: int = 0
    patience_factor: float = Field(default=1.0, gt=0, le=1000)
    tolerance_factor: float = Field(default=1.0, gt=0, le=1000)  # priority customers expect more: 0.8 (2.2)
    hostility_weight: float = Field(default=1.0, ge=0, le=100)  # weight of their anger on agents: 1.5 (2.8)
    value: float = Field(default=0.0, ge=0)  # revenue per customer per year


class IssueType(_Section):
    """A kind of issue: share of contacts, skill needed, and how it scales handle time and resolution (2.5)."""

    share: float = Field(ge=0, le=1)
    skill: str = "general"
    handle_factor: float = Field(default=1.0, gt=0, le=100)  # simple 0.6, standard 1.0, complex 1.8
    resolution_factor: float = Field(default=1.0, ge=0, le=10)  # simple 1.15, standard 1.0, complex 0.75


def _default_tiers() -> dict[str, Tier]:
    return {"regular": Tier(share=1.0)}


def _default_issues() -> dict[str, IssueType]:
    return {"standard": IssueType(share=1.0)}


def _shares_sum_to_one(named: dict, what: str) -> None:
    total = sum(t.share for t in named.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"{what} shares must sum to 1, they sum to {total:g}")


class CustomerBase(_Section):
    """A population of ``size`` known customers with loyalty and memory; the configured demand is theirs.

    Each arrival is one of them (drawn uniformly); customers who churn stop contacting, so demand
    falls with the base; ``new_per_day`` new customers fill the seats churn left empty (by default as
    many as background churn takes at neutral loyalty, so a neutral base holds steady).
    """

    size: int = Field(ge=1, le=10_000_000)
    new_per_day: float | None = Field(default=None, ge=0, le=1_000_000)


class Customers(_Section):
    tiers: dict[str, Tier] = Field(default_factory=_default_tiers, min_length=1, max_length=100)
    issues: dict[str, IssueType] = Field(default_factory=_default_issues, min_length=1, max_length=100)
    base: CustomerBase | None = None  # none: every contact is an anonymous customer (no loyalty, no churn)

    @model_validator(mode="after")
    def _shares(self) -> Customers:
        _shares_sum_to_one(self.tiers, "tier")
        _shares_sum_to_one(self.issues, "issue")
        return self


def _as_list(value: object) -> object:
    """A single headcount means the same headcount in every interval."""
    return [value] if isinstance(value, (int, float, str)) else value


class AgentGroup(_Section):
    """Agents who serve some channels with some skills. ``staffing``: one headcount, or one per interval of a day,
    of a week (repeated weekly, the horizon starting on a Monday) or of the horizon."""

    channels: list[ChannelName] = Field(default=["phone"], min_length=1)
    # proficiency per skill
    skills: dict[str, Annotated[float, Field(gt=0, le=1)]] = Field(default={"general": 1.0}, min_length=1)
    staffing: Annotated[list[Headcount], BeforeValidator(_as_list), Field(min_length=1)]
    # added to every interval the group is staffed in ("hire 2 more"); never below 0
    extra_agents: int = Field(default=0, ge=-100_000, le=100_000)
    tenure: HandleTime = Field(default_factory=_dist(dist="fixed", value="2y"),
                               validate_default=True)  # time in the job at the start
    training_hours: HoursAmount = Field(default=0.0, ge=0, le=2000)  # per agent per year, beyond a typical programme
    # training time is this share off the floor
    paid_hours_per_year: HoursAmount = Field(default=1800.0, ge=100, le=8784)
    empathy: Share | None = None  # replaces the trained empathy base when given
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(default=list(WEEKDAYS), min_length=1)
    hourly_cost: float = Field(default=30.0, ge=0, le=1e6)  # paid per agent-hour, on-costs included (D)
    hiring_cost: float | None = Field(default=None, ge=0, le=1e9)  # per hire; default two months' pay (2.8)

    @property
    def cost_per_hire(self) -> float:
        """Recruiting a replacement: GCC's 3-4 months of pay less the induction, which is paid as labour."""
        if self.hiring_cost is not None:
            return self.hiring_cost
        return 2 * self.hourly_cost * self.paid_hours_per_year / 12

    def plan(self, n_intervals: int, intervals_per_day: int) -> list[int]:
        """Headcount in each of ``n_intervals``: the day's plan repeated on working ``days``, plus ``extra_agents``
        where staffed (the horizon starts on a Monday)."""
        base = self.staffing
        repeated = len(base) in (1, intervals_per_day, 7 * intervals_per_day)
        values = base * -(-n_intervals // len(base)) if repeated else base
        working = [day in self.days for day in WEEKDAYS]
        return [max(0, v + self.extra_agents) if v > 0 and working[(k // intervals_per_day) % 7] else 0
                for k, v in enumerate(values[:n_intervals])]


ROUTING_POLICIES = ("longest_idle", "most_proficient", "priority_order")


class Routing(_Section):
    """Which idle agent takes an arriving contact, and which waiting contact a freed agent takes.

    ``longest_idle``: the agent idle longest; ``most_proficient``: the group most proficient in the
    contact's skill; ``priority_order``: waiting contacts strictly by ``channel_order``, then tier.
    With ``live_first`` blended agents answer email only when no walk-in or phone customer waits.
    """

    policy: Literal["longest_idle", "most_proficient", "priority_order"] = "longest_idle"
    channel_order: list[ChannelName] = Field(default=list(CHANNELS), min_length=1, validate_default=True)
    live_first: bool = True


class Money(_Section):
    """Rates for the money KPIs; agents' pay and hiring cost are set per group (``agents.NAME.hourly_cost``)."""

    currency: str = Field(default="EUR", min_length=1, max_length=10)
    training_cost_per_hour: float = Field(default=20.0, ge=0, le=1e6)  # trainer and materials per agent-hour (D)
    lost_value_years: float = Field(default=1.0, ge=0, le=100)  # revenue_at_risk: a lost customer's revenue, years
    margin: float = Field(default=0.25, ge=0, le=1)  # contribution margin: share of revenue that is profit (D)
    discount_rate: float = Field(default=0.10, gt=0, le=1)  # a year, for customer lifetime value (D)
    shrinkage: float = Field(default=0.0, ge=0, lt=1)  # share of paid time off the floor (breaks, meetings, absence)


class Output(_Section):
    """What a run keeps beyond its KPIs: the contact log, and an event trace for debugging."""

    contacts: bool = False
    trace: bool = False


class Scenario(_Section):
    """One simulated service operation, over ``horizon``, measured per ``interval``."""

    name: str = "scenario"
    description: str = ""
    horizon: PositiveDuration = Field(default="1d", validate_default=True)
    interval: Annotated[PositiveDuration, Field(ge=1.0)] = Field(default="30min", validate_default=True)
    warmup: Duration = 0.0
    seed: int = Field(default=1, ge=0)
    replications: int = Field(default=5, ge=1)
    service_level: ServiceLevel = ServiceLevel()
    channels: Channels
    customers: Customers = Customers()
    agents: dict[str, AgentGroup] = Field(min_length=1)
    routing: Routing = Routing()
    money: Money = Money()
    behaviour: BehaviourField = Behaviour()
    output: Output = Output()

    @property
    def intervals_per_day(self) -> int:
        return round(DAY / self.interval)

    @property
    def n_intervals(self) -> int:
        return n_intervals(self.horizon, self.interval)

    def threshold_for(self, channel: str) -> float:
        """The service-level threshold on ``channel``: email's response target, a channel's own, or the scenario's."""
        spec = getattr(self.channels, channel)
        if channel == "email":
            return spec.response_target
        return spec.threshold if spec.threshold is not None else self.service_level.threshold

    @model_validator(mode="before")
    @classmethod
    def _read_files(cls, data: object) -> object:
        """Volumes and staffing named as files become their values (``sim/config/files.py``)."""
        return resolve_files(data)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not math.isclose(DAY / self.interval, round(DAY / self.interval)):
            raise ValueError(f"interval must divide a day evenly (e.g. 15min, 30min, 1h), got {self.interval:g}s")
        if self.n_intervals > MAX_INTERVALS:
            raise ValueError(f"horizon / interval gives {self.n_intervals:,} intervals; at most {MAX_INTERVALS:,}")
        if self.warmup >= self.horizon:
            raise ValueError("warmup must be shorter than the horizon")
        if not math.isclose(self.warmup / self.interval, round(self.warmup / self.interval)):
            raise ValueError("warmup must be a whole number of intervals")
        for name in self.channels.names:
            self._check_arrivals(name, getattr(self.channels, name).arrivals)
            spec = getattr(self.channels, name)
            if name != "email" and spec.hours is not None and getattr(spec, "closing", None) is None:
                self._check_open(name, getattr(self.channels, name))
            _check_closing(self.channels, name)
        for name, group in self.agents.items():
            if len(group.staffing) not in (1, self.intervals_per_day, 7 * self.intervals_per_day, self.n_intervals):
                raise ValueError(
                    f"agents.{name}.staffing has {len(group.staffing)} values; give one per interval "
                    f"of a day ({self.intervals_per_day}), of a week ({7 * self.intervals_per_day}) or of the "
                    f"horizon ({self.n_intervals})"
                )
            missing = [c for c in group.channels if c not in self.channels.names]
            if missing:
                raise ValueError(f"agents.{name}.channels: {', '.join(missing)} is not configured under channels")
        self._check_skills()
        return self

    def _check_arrivals(self, channel: str, arrivals: Arrivals) -> None:
        if arrivals.volumes is not None:
            self._check_volumes(channel, arrivals.volumes)
            peak = max(arrivals.volumes)
        elif arrivals.rate is not None:
            peak = arrivals.rate * self.interval
        else:
            assert arrivals.daily_volume is not None, "Arrivals gives exactly one of rate, daily_volume, volumes"
            peak = arrivals.daily_volume * max(arrivals.day_weights)
        if peak > MAX_EXPECTED_PER_INTERVAL:
            raise ValueError(f"channels.{channel}.arrivals: {peak:.3g} contacts expected in one interval or day; "
                             f"at most {MAX_EXPECTED_PER_INTERVAL:,}")
        if arrivals.profile is not None and len(arrivals.profile) != self.intervals_per_day:
            raise ValueError(
                f"channels.{channel}.arrivals.profile has {len(arrivals.profile)} values; "
                f"with interval {self.interval:g}s a day has {self.intervals_per_day}"
            )

    def _check_open(self, channel: str, spec: Channel) -> None:
        """A stated volume must fall in opening hours: arrivals at a closed counter or line would be lost."""
        assert spec.hours is not None, "only channels with opening hours are checked"
        week, arrivals = spec.hours.week_mask(self.interval), spec.arrivals
        if arrivals.volumes is not None:
            self._check_open_volumes(channel, week, arrivals.volumes)
        if arrivals.daily_volume is None:
            return  # a constant rate applies while the channel is open
        for day, weight in zip(WEEKDAYS, arrivals.day_weights):
            if weight > 0 and not week[WEEKDAYS.index(day)].any():
                raise ValueError(f"channels.{channel}.arrivals.day_weights gives {day} a weight of {weight:g}, but "
                                 f"channels.{channel}.hours is closed on {day}: its contacts would be lost "
                                 f"(set the weight to 0 or open that day)")
        if arrivals.profile is None:
            return
        worked = [WEEKDAYS.index(d) for d, w in zip(WEEKDAYS, arrivals.day_weights) if w > 0]
        open_any = np.asarray(week[worked].any(axis=0))  # a 1-d array: numpy types any(axis=0) as maybe a scalar
        closed = [k for k, w in enumerate(arrivals.profile) if w > 0 and not open_any[k]]
        if closed:
            share = sum(arrivals.profile[k] for k in closed) / sum(arrivals.profile)
            raise ValueError(
                f"channels.{channel}.arrivals.profile puts {share:.1%} of the day's volume in intervals when "
                f"channels.{channel}.hours is closed (the first at {_clock(closed[0] * self.interval)}): those "
                f"contacts would be lost; set those entries to 0 or widen the hours")

    def _check_open_volumes(self, channel: str, week: np.ndarray, volumes: list[float]) -> None:
        """Interval volumes must fall in opening hours over the whole horizon."""
        k = np.arange(self.n_intervals)
        per_day = self.intervals_per_day
        lost = (np.asarray(volumes)[k % len(volumes)] > 0) & ~week[(k // per_day) % 7, k % per_day]
        if lost.any():
            first = int(np.argmax(lost))
            raise ValueError(
                f"channels.{channel}.arrivals: volumes put contacts in intervals when channels.{channel}.hours is "
                f"closed (the first on day {first // per_day + 1} at {_clock(first % per_day * self.interval)}): "
                f"those contacts would be lost; set them to 0 or widen the hours")

    def _check_volumes(self, channel: str, volumes: list[float]) -> None:
        """One day (repeated daily), whole weeks (repeated weekly) or at least the horizon."""
        per_day, n = self.intervals_per_day, len(volumes)
        if n != per_day and n % (7 * per_day) and n < self.n_intervals:
            source = f" (from {getattr(self.channels, channel).arrivals.file})" \
                if getattr(self.channels, channel).arrivals.file else ""
            raise ValueError(
                f"channels.{channel}.arrivals: {n} interval volumes{source}; give one day ({per_day}), "
                f"whole weeks ({7 * per_day} each) or at least the horizon ({self.n_intervals})")

    def _check_skills(self) -> None:
        """Every channel x issue skill that has demand must be served by some group."""
        for channel in self.channels.names:
            for issue_name, issue in self.customers.issues.items():
                if issue.share > 0 and not any(
                    channel in g.channels and issue.skill in g.skills for g in self.agents.values()
                ):
                    raise ValueError(
                        f"customers.issues.{issue_name} needs skill '{issue.skill}' on {channel}, "
                        f"but no agent group serving {channel} has it (add it under agents.<group>.skills)"
                    )
