"""The SimPy world: customers arriving on several channels, queues, agents on shift, and the contact journey.

Event-lean by design (see DESIGN.md, Performance and docs/engine.md): every handler
is a callback on a SimPy timeout. A contact costs one arrival event, one service-end
event per agent who handles it, and a patience event if it queues; the behaviour
model (sim/behaviour) is evaluated in closed form at those events, never by polling.
Levels (queue per channel, busy and present agents per group) are integrated exactly.
"""

from __future__ import annotations

import math

import simpy

from sim.model.agents import Group, Roster, interval_costs
from sim.model.contact import (ACW, ARRIVAL, CH, GONE, HANDLE, BUSY, ISSUE, LEVEL, PAT, QAT, SEAT, SEG, SERVING, SLOT,
                               ST, WAIT, WAITING)
from sim.model.journey import Journey
from sim.model.routing import POLICIES, Queues
from sim.records import OUTCOME_ABANDONED, OUTCOME_ANSWERED, OUTCOME_QUEUED_AT_END

INF = math.inf


class Centre:
    """Agents of several groups serving queues per (channel, skill, level), staffed per interval."""

    def __init__(self, env: simpy.Environment, scenario, demand, roster: Roster, layout, tally, log=None,
                 followups=None, base=None) -> None:
        self.env, self.demand, self.roster, self.layout = env, demand, roster, layout
        self.base = base  # a ``CustomerBase``, or None: every contact is an anonymous customer
        self.money = scenario.money
        self.per_day = scenario.intervals_per_day
        self.tally, self.log = tally, log
        self.interval = scenario.interval
        self.n_intervals = scenario.n_intervals
        self.channels = layout.channels
        self.groups = roster.groups
        n_levels = 1 + len({t.priority for t in scenario.customers.tiers.values()})
        skills = sorted({i.skill for i in scenario.customers.issues.values()})
        self.queues = Queues(self.channels, skills, n_levels)
        self.policy = POLICIES[scenario.routing.policy](scenario, roster, self.queues)
        issues = list(scenario.customers.issues.values())
        self.route = [[(c, [self.queues.index[(c, i.skill, v)] for v in range(n_levels)],
                        self.policy.candidates[(c, i.skill)]) for i in issues] for c in self.channels]
        self.journey = Journey(self, scenario, followups)
        self.active = self.journey.active
        self.threshold = [scenario.threshold_for(c) for c in self.channels]
        self.short_abandon = scenario.service_level.short_abandon
        self.is_open = {c: True for c in self.channels}
        self.open_plan = {}
        n_c, n_g = len(self.channels), len(self.groups)
        self._n_c, self._n_g = n_c, n_g
        self.level = [0] * (n_c + 2 * n_g)  # queue per channel, busy per group, present per group
        self._since = [0.0] * len(self.level)
        self._area = [0.0] * len(self.level)
        self.serving: dict[int, list] | None = {} if log is not None else None  # only to log contacts in service at the end
        self._block: tuple[list, ...] = ((),)
        self._i = 0
        self.k = 0  # current interval

    # --- levels -------------------------------------------------------------------------------------------

    def bump(self, i: int, delta: int, now: float) -> None:
        """Change level ``i`` by ``delta`` at ``now``, integrating it up to then."""
        self._area[i] += self.level[i] * (now - self._since[i])
        self._since[i] = now
        self.level[i] += delta

    def _flush(self, k: int, now: float) -> None:
        """Close interval ``k``: level integrals, backlogs and agent snapshots into the tally."""
        tally, n_c, n_g = self.tally, self._n_c, self._n_g
        for i in range(len(self.level)):
            self.bump(i, 0, now)
        for c in range(n_c):
            tally.queue_area[k * n_c + c] += self._area[c]
            tally.backlog_end[k * n_c + c] += self.level[c]
        length = now - k * self.interval
        for g, group in enumerate(self.groups):
            tally.busy_area[k * n_g + g] += self._area[n_c + g]
            tally.staffed_area[k * n_g + g] += self._area[n_c + n_g + g]
            tally.on_floor_end[k * n_g + g] += self.level[n_c + n_g + g]
            tally.exhaustion_end[k * n_g + g] += self.journey.group_exhaustion(group, now)
            tally.employed_area[k * n_g + g] += (group.positions - group.vacant) * length
            labour, training = interval_costs(group, k, length / 3600.0, self.money)
            tally.labour_cost[k] += labour
            tally.training_cost[k] += training
        self._area = [0.0] * len(self.level)
        base = self.base
        if base is not None:
            tally.customer_area[k], tally.revenue[k] = base.take_areas(now)
            if (k + 1) % self.per_day == 0 or k == self.n_intervals - 1:
                tally.snapshot[k] = 1
                tally.customers_end[k] = base.count
                tally.loyalty_sum_end[k] = base.loyalty_sum(now)

    def _end_of_day(self, k: int, now: float, days: float = 1.0) -> None:
        """A day ends (``days``: the part of a day the run's last one had), booked in its last interval ``k``:
        the customer base churns and grows; agents quit and vacant positions are filled."""
        tally = self.tally
        if self.base is not None:
            churned, at_risk, joined = self.base.new_day(now, days)
            tally.churned[k] += churned
            tally.revenue_at_risk[k] += at_risk
            tally.acquired[k] += joined
        roster = self.roster
        if roster.attrition is not None:
            for g, (quits, hires) in enumerate(roster.new_day(now, days)):
                group = self.groups[g]
                tally.quits[k * self._n_g + g] += quits
                tally.hires[k * self._n_g + g] += hires
                tally.hiring_cost[k] += hires * group.spec.cost_per_hire
                for agent in [a for a in group.idle if roster.quitting[a]]:  # idle quitters go now, busy ones
                    group.idle.remove(agent)  # when their contact ends (``_free``)
                    self.bump(self._n_c + self._n_g + g, -1, now)
                    roster.depart(agent, now)

    # --- set-up, staffing, wrap-up -----------------------------------------------------------------------

    def start(self, open_plan: dict[str, list[bool]]) -> None:
        """Staff interval 0 and schedule the first arrival and interval boundary."""
        self.open_plan = open_plan
        self._set_interval(0)
        if self.n_intervals > 1:
            self.env.timeout(self.interval, 1).callbacks.append(self._on_interval)
        self._load_next_block()

    def finish(self, horizon: float) -> None:
        """End the last day, close the last interval and count contacts still queued at ``horizon``."""
        day = self.per_day * self.interval
        self._end_of_day(self.n_intervals - 1, horizon, (horizon - math.floor((horizon - 1e-9) / day) * day) / day)
        self._flush(self.n_intervals - 1, horizon)
        for queue in self.queues.queues:
            for contact in queue:
                if contact[ST] == WAITING and contact[SEG] == 0:
                    contact[ST] = GONE
                    self.tally.in_queue_end[contact[SLOT]] += 1
                    self.journey.ended(contact, horizon - contact[ARRIVAL], 0.0, OUTCOME_QUEUED_AT_END)
        for contact in (self.serving or {}).values():
            self.journey.ended(contact, contact[WAIT], contact[BUSY], OUTCOME_ANSWERED, count=False)

    def next_open(self, channel: str, at: float) -> float:
        """``at`` if ``channel`` is open then, else a time in the first two hours after it next opens (inf if never).

        Customers who meant to come back while it was closed return after opening, spread over
        two hours by the time they first meant to (not all at the opening second).
        """
        plan = self.open_plan[channel]
        k = int(at // self.interval)
        if k >= len(plan) or plan[k]:
            return at
        for later in range(k + 1, len(plan)):
            if plan[later]:
                return later * self.interval + at % 7200.0
        return INF

    def _on_interval(self, event: simpy.events.Event) -> None:
        k = event.value
        if k % self.per_day == 0:
            self._end_of_day(k - 1, self.env.now)
        self._flush(k - 1, self.env.now)
        self._set_interval(k)
        if k + 1 < self.n_intervals:
            self.env.timeout(self.interval, k + 1).callbacks.append(self._on_interval)

    def _set_interval(self, k: int) -> None:
        """Open or close channels, bring every group to its headcount, then put idle agents to work."""
        self.k = k
        self._handled_at = k * self._n_g
        for channel, plan in self.open_plan.items():
            self.is_open[channel] = plan[k]
        for group in self.groups:
            self._set_staffing(group, group.on_floor_target(k))
        for group in self.groups:
            while group.idle:
                contact = self.policy.next_contact(group, self.is_open)
                if contact is None:
                    break
                self.bump(self._n_c + group.index, 1, self.env.now)
                self._take(group.idle.popleft(), group, contact, self.env.now, True)

    def _set_staffing(self, group: Group, target: int) -> None:
        """Bring ``group`` to ``target`` agents on the floor; busy leavers finish their contact first."""
        now, present = self.env.now, self._n_c + self._n_g + group.index
        current = self.level[present] - group.leaving
        if target > current:
            recalled = min(target - current, group.leaving)
            group.leaving -= recalled
            for _ in range(target - current - recalled):
                self.bump(present, 1, now)
                group.idle.append(self.roster.on_shift(group, now, self.journey.rested))
        elif target < current:
            released = min(current - target, len(group.idle))
            for _ in range(released):
                self.journey.off_shift(group.idle.pop(), now, idle=True)
            self.bump(present, -released, now)
            group.leaving += current - target - released

    # --- arrivals -----------------------------------------------------------------------------------------

    def _load_next_block(self) -> None:
        block = self.demand.next_block()
        if block is not None:
            self._block, self._i = block, 0
            self.env.timeout(block[0][0] - self.env.now).callbacks.append(self._on_arrival)

    def _on_arrival(self, event: simpy.events.Event) -> None:
        now, i = self.env.now, self._i
        times, rows = self._block
        self._i = i + 1
        if i + 1 < len(times):
            self.env.timeout(times[i + 1] - now).callbacks.append(self._on_arrival)
        else:
            self._load_next_block()
        contact = [WAITING, *rows[i], 0, None, 0, 0.0, 0.0, 0.0]
        if self.base is not None:
            seat = contact[SEAT]
            if not self.base.active[seat]:
                return  # this customer has churned: the contact never happens
            contact[PAT] *= self.base.patience_factor(seat, now)
        contact[ARRIVAL] = contact[QAT] = now  # the clock's own value: waits never come out a hair below zero
        self.tally.offered[contact[SLOT]] += 1
        if self.active:
            self.arrive(contact, now)
        else:
            self.place(contact, now)

    def arrive(self, contact: list, now: float) -> None:
        """A contact (new or follow-up, already counted as offered) balks, is answered, or queues."""
        journey = self.journey
        if journey.active:
            journey.started(contact)
            if journey.balks(contact):
                return
        self.place(contact, now)

    def place(self, contact: list, now: float) -> None:
        """Give ``contact`` to an idle eligible agent or queue it (with a patience clock unless transferred)."""
        channel, queue_ids, candidates = self.route[contact[CH]][contact[ISSUE]]
        if self.is_open[channel]:
            group = self.policy.group_for(candidates)
            if group is not None:
                i = self._n_c + group.index  # one more busy agent (``bump`` inlined: the hot path)
                self._area[i] += self.level[i] * (now - self._since[i])
                self._since[i] = now
                self.level[i] += 1
                self._take(group.idle.popleft(), group, contact, now, False)
                return
        contact[ST], contact[QAT] = WAITING, now
        self.queues.queues[queue_ids[contact[LEVEL]]].append(contact)
        self.bump(contact[CH], 1, now)
        if contact[SEG] == 0:
            self.tally.delayed[contact[SLOT]] += 1
            if contact[PAT] != INF:
                self.env.timeout(contact[PAT], contact).callbacks.append(self._on_abandon)
            if self.active:
                self.journey.queued(contact, now)

    # --- service ------------------------------------------------------------------------------------------

    def _take(self, agent: int, group: Group, contact: list, now: float, queued: bool) -> None:
        """``agent`` (already counted busy) starts ``contact``, just taken off a queue if ``queued``."""
        if queued:
            self.bump(contact[CH], -1, now)
        contact[ST] = SERVING
        wait = now - contact[QAT]
        slot = contact[SLOT]
        tally = self.tally
        if contact[SEG] == 0:
            contact[WAIT] = wait
            tally.answered[slot] += 1
            tally.wait_answered_sum[slot] += wait
            if wait <= self.threshold[contact[CH]]:
                tally.answered_within[slot] += 1
        tally.handled[self._handled_at + group.index] += 1
        if self.serving is not None:
            self.serving[id(contact)] = contact
        if self.active:
            busy = self.journey.served(agent, group, contact, wait, now) + contact[ACW]
        else:
            busy = contact[HANDLE] + contact[ACW]
        tally.handle_sum[slot] += busy
        contact[BUSY] += busy
        self.env.timeout(busy, (agent, group, contact)).callbacks.append(self._on_done)

    def _on_done(self, event: simpy.events.Event) -> None:
        now = self.env.now
        agent, group, contact = event.value
        journey = self.journey
        transferred = self.active and journey.done(agent, group, contact, now)
        if not transferred:
            if self.serving is not None:
                del self.serving[id(contact)]
            if self.active or self.log is not None:
                journey.ended(contact, contact[WAIT], contact[BUSY], OUTCOME_ANSWERED)
        self._free(agent, group, now)
        if transferred:  # placed after the agent moved on, so it goes to another agent if one is free
            self.place(contact, now)

    def _free(self, agent: int, group: Group, now: float) -> None:
        """``agent`` has finished a contact: it takes the next one, goes idle, or leaves if its shift is over."""
        self.roster.idle_since[agent] = now  # exhaustion recovers only from here, and only while idle
        if self.roster.quitting[agent]:  # leaves the job (one of the group's leavers, if it has any)
            group.leaving -= 1 if group.leaving else 0
            self.bump(self._n_c + group.index, -1, now)
            self.bump(self._n_c + self._n_g + group.index, -1, now)
            self.roster.depart(agent, now)
            return
        if group.leaving:
            nxt = self.policy.next_contact(group, self.is_open, after_closing=True)
            if nxt is None:
                group.leaving -= 1
                self.bump(self._n_c + group.index, -1, now)
                self.bump(self._n_c + self._n_g + group.index, -1, now)
                self.journey.off_shift(agent, now, idle=False)
                return
        else:
            nxt = self.policy.next_contact(group, self.is_open)
        if nxt is not None:
            self._take(agent, group, nxt, now, True)
        else:
            i = self._n_c + group.index  # one less busy agent (``bump`` inlined: the hot path)
            self._area[i] += self.level[i] * (now - self._since[i])
            self._since[i] = now
            self.level[i] -= 1
            group.idle.append(agent)

    def _on_abandon(self, event: simpy.events.Event) -> None:
        contact = event.value
        if contact[ST] != WAITING or contact[SEG]:  # answered before its patience ran out (a transferred
            return  # contact waiting again for its next agent does not hang up: its first clock is stale)
        now = self.env.now
        contact[ST] = GONE
        self.bump(contact[CH], -1, now)
        slot, wait = contact[SLOT], now - contact[QAT]
        tally = self.tally
        tally.abandoned[slot] += 1
        tally.wait_abandoned_sum[slot] += wait
        if wait <= self.short_abandon:
            tally.short_abandoned[slot] += 1
        if self.journey.active:
            self.journey.abandoned(contact, wait, now)
        self.journey.ended(contact, wait, 0.0, OUTCOME_ABANDONED)
