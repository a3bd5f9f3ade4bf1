"""The SimPy world: customers arriving on several channels, queues, agents on shift, and the contact journey.

Event-lean by design (see DESIGN.md, Performance and docs/engine.md): every handler
is a callback on a SimPy timeout. A contact costs one arrival event, one service-end
event per agent who handles it, and a patience event if it queues; the behaviour
model (``journey``, on the equations of ``sim.behaviour``) is evaluated at those events,
never by polling. Levels (queue per channel, busy and present agents per group) are
integrated exactly (``levelbook``); each contact ends as one row of the ``Ledger``.
"""

from __future__ import annotations

import math

import simpy

from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.model.agents import Group, Roster
from sim.model.callbacks import CallbackDesk
from sim.model.clock import call_in
from sim.model.closing import ClosingDesk
from sim.model.contact import DELAYED, GONE, SERVING, SHORT, WAITING, WITHIN, Contact
from sim.model.customers import CustomerBase
from sim.model.demand import Demand, FollowUps, Layout
from sim.model.journey import Journey
from sim.model.journey.service import ServiceSide
from sim.model.ledger import Ledger
from sim.model.levelbook import LevelBook
from sim.model.lines import Crew
from sim.model.routing import POLICIES, Queues
from sim.model.trace import Trace
from sim.records import OUTCOME_ABANDONED, OUTCOME_ANSWERED, OUTCOME_QUEUED_AT_END, Levels

INF = math.inf


class Centre:
    """Agents of several groups serving queues per (channel, skill, level), staffed per interval."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, demand: Demand, roster: Roster, layout: Layout,
                 ledger: Ledger, levels: Levels, draws: FollowUps, base: CustomerBase | None = None,
                 trace: Trace | None = None) -> None:
        self.env, self.demand, self.roster, self.ledger, self.levels = env, demand, roster, ledger, levels
        self.base = base  # a ``CustomerBase``, or None: every contact is an anonymous customer
        self.trace = trace
        self.per_day = scenario.intervals_per_day
        self.interval = scenario.interval
        self.n_intervals = scenario.n_intervals
        self.channels = layout.channels
        self.groups = roster.groups
        n_levels = 1 + len({t.priority for t in scenario.customers.tiers.values()})
        skills = sorted({i.skill for i in scenario.customers.issues.values()})
        self.queues = Queues(self.channels, skills, n_levels)
        self.policy = POLICIES[scenario.routing.policy](scenario, roster, self.queues)
        self.policy.now = lambda: env.now
        issues = list(scenario.customers.issues.values())
        self.route = [[(c, [self.queues.index[(c, i.skill, v)] for v in range(n_levels)],
                        self.policy.candidates[(c, i.skill)]) for i in issues] for c in self.channels]
        self.journey = Journey(scenario, self, roster, ledger, draws, base)
        self.active = self.journey.active
        self.customer = self.journey.customer
        self.followups = self.journey.followups
        self.threshold = [scenario.threshold_for(c) for c in self.channels]
        self.abandons = [TRAITS[c].abandons for c in self.channels]
        self.short_abandon = scenario.service_level.short_abandon
        self.is_open = {c: True for c in self.channels}
        self.open_plan: dict[str, list[bool]] = {}
        self.book = LevelBook(levels, len(self.channels), self.groups, roster, base, self.interval, self.per_day,
                              self.n_intervals, self.journey.service.group_exhaustion)
        self.bump = self.book.bump
        self._n_c, self._n_g = self.book.n_c, self.book.n_g
        # the book's lists, changed in place on the hot path (``bump`` inlined)
        self.level, self._since, self._area = self.book.level, self.book.since, self.book.area
        self._block: tuple[list, ...] = ()
        self._i = 0
        self.k = 0  # current interval
        self._handled_at = 0
        closing = any(getattr(getattr(scenario.channels, c), "closing", None) for c in self.channels)
        self.closing = ClosingDesk(scenario, self, draws.streams) if closing else None
        for group in self.groups:  # named shift lines replace the group's staffing per interval
            if group.spec.lines is not None:
                group.crew = Crew(self, group, scenario)
        wanted = CallbackDesk.wanted(scenario, self.channels)
        self.callbacks = CallbackDesk(scenario, self, draws.streams) if wanted else None

    # --- what the journey and the desks may ask (``journey.CentrePort``, ``callbacks.DeskPort``, ``closing.GatePort``)

    def waiting(self, channel: int) -> int:
        return self.level[channel]

    def on_floor(self, group: int) -> int:
        return self.level[self._n_c + self._n_g + group]

    def is_open_now(self, channel: int) -> bool:
        return self.is_open[self.channels[channel]]

    def next_open(self, channel: str, at: float) -> float:
        """``at`` if ``channel`` is open then, else a time in the first two hours after it next opens (inf if never).

        Customers who meant to come back while it was closed return after opening, spread over
        two hours by the time they first meant to (not all at the opening second).
        """
        if self.closing is not None and channel in self.closing.rules:
            return self.closing.next_open(channel, at)
        plan = self.open_plan[channel]
        k = int(at // self.interval)
        if k >= len(plan) or plan[k]:
            return at
        for later in range(k + 1, len(plan)):
            if plan[later]:
                return later * self.interval + at % 7200.0
        return INF

    def book_defection(self, value: float) -> None:
        """A customer left right after a contact: counted, with their yearly revenue, in this interval."""
        levels, k = self.levels, self.k
        levels.value_lost[k] += value
        levels.value_defected[k] += value
        levels.churned[k] += 1
        levels.defected[k] += 1

    def follow_up(self, contact: Contact) -> None:
        """A follow-up contact (repeat, redial, chaser) is due now."""
        if not self.journey.came_back(contact):
            return  # the customer churned in the meantime and does not come back
        now = self.env.now
        contact.interval = self.k
        contact.arrival = contact.queued_at = now
        if self.trace is not None:
            self.trace.event(now, "follow_up", contact)
        self.arrive(contact, now)

    # --- set-up, staffing, wrap-up -----------------------------------------------------------------------

    def start(self, open_plan: dict[str, list[bool]]) -> None:
        """Staff interval 0 and schedule the first arrival and interval boundary."""
        self.open_plan = open_plan
        if self.closing is not None:
            self.policy.held = self.closing.held()
            self.closing.start(self.env)
        self._set_interval(0)
        if self.n_intervals > 1:
            call_in(self.env, self.interval, 1, self._on_interval)
        self._load_next_block()

    def finish(self, horizon: float) -> None:
        """End the last day and interval; every contact still queued or in service ends as a row."""
        day = self.per_day * self.interval
        self.book.end_of_day(self.n_intervals - 1, horizon, (horizon - math.floor((horizon - 1e-9) / day) * day) / day)
        self.book.flush(self.n_intervals - 1, horizon)
        for queue in self.queues.queues:
            for contact in queue:
                if contact.state == WAITING:
                    contact.state = GONE
                    if contact.segment == 0:  # never answered
                        self.customer.ended(contact, OUTCOME_QUEUED_AT_END, horizon - contact.arrival, horizon)
                    else:  # answered, and waiting again after a transfer
                        self.customer.ended(contact, OUTCOME_ANSWERED, contact.wait, horizon, counted=False)
        for contact in self.roster.serving:
            if contact is not None:
                self.customer.ended(contact, OUTCOME_ANSWERED, contact.wait, horizon, counted=False)
        self.ledger.fold()

    def _on_interval(self, event: simpy.events.Event) -> None:
        k: int = event.value  # type: ignore[assignment]  # simpy types every Event.value Optional[Any]
        if k % self.per_day == 0:
            self.book.end_of_day(k - 1, self.env.now)
            self.ledger.fold()  # the day's ended contacts into the tables
        self.book.flush(k - 1, self.env.now)
        self._set_interval(k)
        if k + 1 < self.n_intervals:
            call_in(self.env, self.interval, k + 1, self._on_interval)

    def _set_interval(self, k: int) -> None:
        """Open or close channels, bring every group to its headcount, then put idle agents to work."""
        self.k = k
        self._handled_at = k * self._n_g
        for channel, plan in self.open_plan.items():
            self.is_open[channel] = plan[k]
        for group in self.groups:
            if group.crew is None:
                self._set_staffing(group, group.on_floor_target(k))
        self.dispatch()

    def dispatch(self) -> None:
        """Put idle agents to work on whatever waits for them (at an interval's start, or a channel's opening)."""
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
                group.idle.append(self.roster.on_shift(group, now, self.journey.service.rested))
        elif target < current:
            released = min(current - target, len(group.idle))
            for _ in range(released):
                self.journey.service.off_shift(group.idle.pop(), now, idle=True)
            self.bump(present, -released, now)
            group.leaving += current - target - released

    # --- shift lines (``sim.model.lines.FloorPort``) -----------------------------------------------------

    @property
    def service(self) -> ServiceSide:
        return self.journey.service

    def come_on(self, agent: int, group: Group, now: float) -> None:
        """``agent`` comes onto the floor (its line starts, or its break ends): it takes what waits or goes idle."""
        self.bump(self._n_c + self._n_g + group.index, 1, now)
        contact = self.policy.next_contact(group, self.is_open)
        if contact is None:
            group.idle.append(agent)
        else:
            self.bump(self._n_c + group.index, 1, now)
            self._take(agent, group, contact, now, True)

    def go_off(self, agent: int, group: Group, now: float, busy: bool) -> None:
        """``agent`` leaves the floor: idle, or ``busy`` until now (its contact just ended)."""
        if busy:
            self.bump(self._n_c + group.index, -1, now)
        else:
            group.idle.remove(agent)
        self.bump(self._n_c + self._n_g + group.index, -1, now)

    def serve_held(self, agent: int, group: Group, now: float) -> bool:
        """Whether ``agent``, whose shift has ended, takes one of those a closed channel still holds."""
        contact = self.policy.next_contact(group, self.is_open, after_closing=True)
        if contact is not None:
            self._take(agent, group, contact, now, True)
        return contact is not None

    # --- arrivals -----------------------------------------------------------------------------------------

    def _load_next_block(self) -> None:
        block = self.demand.next_block()
        if block is not None:
            self._block, self._i = block, 0
            call_in(self.env, block[0][0] - self.env.now, None, self._on_arrival)

    def _on_arrival(self, event: simpy.events.Event) -> None:
        now, i = self.env.now, self._i
        times, rows = self._block
        self._i = i + 1
        if i + 1 < len(times):
            call_in(self.env, times[i + 1] - now, None, self._on_arrival)
        else:
            self._load_next_block()
        contact = Contact(*rows[i])
        base = self.base
        if base is not None:
            seat = contact.seat
            if not base.active[seat]:
                return  # this customer has churned: the contact never happens
            contact.patience *= base.patience_factor(seat, now)
        contact.arrival = contact.queued_at = now  # the clock's own value: waits never come out a hair below zero
        if self.trace is not None:
            self.trace.event(now, "arrive", contact)
        self.arrive(contact, now)

    def arrive(self, contact: Contact, now: float) -> None:
        """A contact (new or follow-up) balks, is answered, or queues; or meets a closed counter or line."""
        if self.closing is not None and not self.is_open[self.channels[contact.channel]] \
                and self.channels[contact.channel] in self.closing.rules:
            self.closing.turned_away(contact, now)
            return
        if self.active and not self.journey.arrived(contact, now):
            if self.trace is not None:
                self.trace.event(now, "balk", contact)
            return
        self.place(contact, now)

    def place(self, contact: Contact, now: float) -> None:
        """Give ``contact`` to an idle eligible agent or queue it (with a patience clock unless transferred)."""
        channel, queue_ids, candidates = self.route[contact.channel][contact.issue]
        if self.is_open[channel]:
            group = self.policy.group_for(candidates)
            if group is not None:
                i = self._n_c + group.index  # one more busy agent (``bump`` inlined: the hot path)
                self._area[i] += self.level[i] * (now - self._since[i])
                self._since[i] = now
                self.level[i] += 1
                self._take(group.idle.popleft(), group, contact, now, False)
                return
        contact.state, contact.queued_at = WAITING, now
        self.queues.queues[queue_ids[contact.level]].append(contact)
        self.bump(contact.channel, 1, now)
        if contact.segment == 0:
            contact.flags |= DELAYED
            held = self.callbacks is not None and self.callbacks.offer(contact)  # virtual hold: no patience clock
            if not held and contact.patience != INF and self.abandons[contact.channel]:
                call_in(self.env, contact.patience, contact, self._on_abandon)
            if self.active:
                self.journey.queued(contact, now)
        if self.trace is not None:
            self.trace.event(now, "queue", contact)

    # --- service ------------------------------------------------------------------------------------------

    def _take(self, agent: int, group: Group, contact: Contact, now: float, queued: bool) -> None:
        """``agent`` (already counted busy) starts ``contact``, just taken off a queue if ``queued``."""
        if queued:  # one less queued (``bump`` inlined: the hot path)
            c = contact.channel
            self._area[c] += self.level[c] * (now - self._since[c])
            self._since[c] = now
            self.level[c] -= 1
        contact.state = SERVING
        wait = now - contact.queued_at
        if contact.segment == 0:
            contact.wait = wait
            if wait <= self.threshold[contact.channel]:
                contact.flags |= WITHIN
        self.levels.handled[self._handled_at + group.index] += 1
        contact.group, contact.agent = group.index, agent
        self.roster.serving[agent] = contact
        if self.callbacks is not None and self.callbacks.call_back(agent, group, contact, wait, now):
            return  # a call back: the agent dials (the desk runs it to its end)
        if self.active:
            busy = self.journey.served(agent, group, contact, wait, now) + contact.acw
        else:
            busy = contact.handle + contact.acw
        contact.busy += busy
        contact.after += contact.acw
        if self.trace is not None:
            self.trace.event(now, "answer", contact, agent)
        call_in(self.env, busy, (agent, group, contact), self._on_done)  # ``serve_for`` inlined: the hot path

    def serve_for(self, busy: float, agent: int, group: Group, contact: Contact) -> None:
        """``agent`` works on ``contact`` for ``busy`` seconds, then it is done (transferred or ended)."""
        call_in(self.env, busy, (agent, group, contact), self._on_done)

    def _on_done(self, event: simpy.events.Event) -> None:
        now = self.env.now
        agent, group, contact = event.value  # type: ignore[misc]  # simpy types every Event.value Optional[Any]
        self.roster.serving[agent] = None
        transferred = self.active and self.journey.done(agent, group, contact, now)
        if self.trace is not None:
            self.trace.event(now, "transfer" if transferred else "done", contact, agent)
        if not transferred:
            self.customer.ended(contact, OUTCOME_ANSWERED, contact.wait, now)
        self.free(agent, group, now)
        if transferred:  # placed after the agent moved on, so it goes to another agent if one is free
            self.place(contact, now)

    def free(self, agent: int, group: Group, now: float) -> None:
        """``agent`` has finished a contact: it takes the next one, goes idle, or leaves if its shift is over."""
        self.roster.idle_since[agent] = now  # exhaustion recovers only from here, and only while idle
        if self.roster.quitting[agent]:  # leaves the job (one of the group's leavers, if it has any)
            group.leaving -= 1 if group.leaving else 0
            self.bump(self._n_c + group.index, -1, now)
            self.bump(self._n_c + self._n_g + group.index, -1, now)
            self.roster.depart(agent, now)
            return
        if group.crew is not None and agent in group.crew.due:  # its line says go: a break or the shift's end
            group.crew.finished(agent, now)
            return
        if group.leaving:
            nxt = self.policy.next_contact(group, self.is_open, after_closing=True)
            if nxt is None:
                group.leaving -= 1
                self.bump(self._n_c + group.index, -1, now)
                self.bump(self._n_c + self._n_g + group.index, -1, now)
                self.journey.service.off_shift(agent, now, idle=False)
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
        contact: Contact = event.value  # type: ignore[assignment]  # simpy types every Event.value Optional[Any]
        if contact.state != WAITING or contact.segment:  # answered before its patience ran out (a transferred
            return  # contact waiting again for its next agent does not hang up: its first clock is stale)
        now = self.env.now
        contact.state = GONE
        self.bump(contact.channel, -1, now)
        wait = now - contact.queued_at
        if wait <= self.short_abandon:
            contact.flags |= SHORT
        z, flags = self.journey.abandoned(contact, wait, now) if self.active else (math.nan, 0)
        if self.trace is not None:
            self.trace.event(now, "abandon", contact)
        self.customer.ended(contact, OUTCOME_ABANDONED, wait, now, z, flags)
