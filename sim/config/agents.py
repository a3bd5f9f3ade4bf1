"""The agents and routing sections of the scenario: who serves which channels when, and who takes which contact."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from sim.config.channels import CHANNELS, ChannelName
from sim.config.distributions import HandleTime
from sim.config.lines import Lines, lines_instead_of_staffing, on_floor
from sim.config.section import WEEKDAYS, Share, _dist, _Section
from sim.config.types import HoursAmount

Headcount = Annotated[int, Field(ge=0, le=100_000)]


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
    lines: Lines | None = None  # named shift lines (sim/config/lines.py): they replace staffing

    _lines_instead_of_staffing = model_validator(mode="before")(lines_instead_of_staffing)

    @property
    def cost_per_hire(self) -> float:
        """Recruiting a replacement: GCC's 3-4 months of pay less the induction, which is paid as labour."""
        if self.hiring_cost is not None:
            return self.hiring_cost
        return 2 * self.hourly_cost * self.paid_hours_per_year / 12

    def plan(self, n_intervals: int, intervals_per_day: int) -> list[int]:
        """Headcount in each of ``n_intervals``: the day's plan repeated on working ``days``, plus ``extra_agents``
        where staffed (the horizon starts on a Monday); with ``lines``, the agents they put on the floor."""
        if self.lines is not None:
            return on_floor(self.lines, n_intervals, intervals_per_day)
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
