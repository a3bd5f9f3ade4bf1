"""The centre's levels, integrated exactly over time and closed into ``Levels`` per interval and per day.

Three kinds of level, one flat list (so the centre's hot path can change one with a few list operations):
contacts queued per channel, busy agents per group and agents present on the floor per group. Each change is
integrated up to its time (``bump``); at an interval's end the integrals, backlogs and agent snapshots go into
the interval's row of ``Levels`` (``flush``); at a day's end the customer base and the agents' attrition move
on (``end_of_day``).
"""

from __future__ import annotations

from collections.abc import Callable

from sim.model.agents import Group, Roster, plan_levels
from sim.model.customers import CustomerBase
from sim.records import Levels


class LevelBook:
    """Queue, busy and present levels of a centre, and what is booked at interval and day ends."""

    def __init__(self, levels: Levels, n_channels: int, groups: list[Group], roster: Roster,
                 base: CustomerBase | None, interval: float, per_day: int, n_intervals: int,
                 exhaustion: Callable[[Group, float], float]) -> None:
        self.levels, self.groups, self.roster, self.base = levels, groups, roster, base
        self.interval, self.per_day, self.n_intervals = interval, per_day, n_intervals
        self.exhaustion = exhaustion  # summed exhaustion of a group's agents on the floor at a time
        self.n_c, self.n_g = n_channels, len(groups)
        n = n_channels + 2 * self.n_g
        # ``level[i]`` now, since when, and its integral since the interval began; the centre's hot path changes
        # these lists in place, as ``bump`` does (they are never replaced)
        self.level = [0] * n
        self.since = [0.0] * n
        self.area = [0.0] * n

    def busy(self, group: int) -> int:
        """Index of the busy level of ``group``."""
        return self.n_c + group

    def present(self, group: int) -> int:
        """Index of the present (on the floor) level of ``group``."""
        return self.n_c + self.n_g + group

    def bump(self, i: int, delta: int, now: float) -> None:
        """Change level ``i`` by ``delta`` at ``now``, integrating it up to then."""
        self.area[i] += self.level[i] * (now - self.since[i])
        self.since[i] = now
        self.level[i] += delta

    def flush(self, k: int, now: float) -> None:
        """Close interval ``k``: level integrals, backlogs, agent snapshots and paid time into the levels."""
        levels, n_c, n_g, level, area = self.levels, self.n_c, self.n_g, self.level, self.area
        for i in range(len(level)):
            self.bump(i, 0, now)
        for c in range(n_c):
            levels.queue_area[k * n_c + c] += area[c]
            levels.backlog_end[k * n_c + c] += level[c]
        length = now - k * self.interval
        for g, group in enumerate(self.groups):
            at = k * n_g + g
            levels.busy_area[at] += area[n_c + g]
            levels.staffed_area[at] += area[n_c + n_g + g]
            levels.on_floor_end[at] += level[n_c + n_g + g]
            levels.exhaustion_end[at] += self.exhaustion(group, now)
            levels.employed_area[at] += (group.positions - group.vacant) * length
            paid, training = plan_levels(group, k, length)
            levels.paid_area[at] += paid
            levels.training_area[at] += training
        area[:] = [0.0] * len(area)
        if self.base is not None:
            self._flush_base(k, now, self.base)

    def _flush_base(self, k: int, now: float, base: CustomerBase) -> None:
        """The customer base's areas of interval ``k``, and its snapshot at a day's (or the run's) end."""
        levels = self.levels
        levels.customer_area[k], levels.revenue[k] = base.take_areas(now)
        tiers = base.take_tiers(now)
        if levels.tiers:  # per-tier columns were asked for (sim.model.simulate does)
            levels.tier_levels[:, k, :] += tiers
        if (k + 1) % self.per_day == 0 or k == self.n_intervals - 1:
            levels.snapshot[k] = 1
            levels.customers_end[k] = base.count
            levels.loyalty_sum_end[k] = base.loyalty_sum(now)

    def end_of_day(self, k: int, now: float, days: float = 1.0) -> None:
        """A day ends (``days``: the part of a day the run's last one had), booked in its last interval ``k``:
        the customer base churns and grows; agents quit, vacancies are filled."""
        levels = self.levels
        if self.base is not None:
            churned, value, joined = self.base.new_day(now, days)
            levels.churned[k] += churned
            levels.value_lost[k] += value
            levels.acquired[k] += joined
        roster = self.roster
        if roster.attrition is not None:
            for g, (quits, hires) in enumerate(roster.new_day(now, days)):
                group = self.groups[g]
                levels.quits[k * self.n_g + g] += quits
                levels.hires[k * self.n_g + g] += hires
                for agent in [a for a in group.idle if roster.quitting[a]]:  # idle quitters go now, busy ones
                    group.idle.remove(agent)  # when their contact ends (``Centre.free``)
                    self.bump(self.present(g), -1, now)
                    roster.depart(agent, now)
