"""The plain queue: one phone line, one agent group, one issue type, behaviour off (the Erlang-A case).

``simulate`` uses it instead of the full centre for such scenarios (``is_plain``: an allow-list of the
settings it understands), because it is faster there; tests/property/test_engines_agree.py draws every
allowed setting and checks that both engines give identical results. Event-lean by design (see
DESIGN.md, Performance): each contact costs one
arrival event, one service-end event if answered, and one patience event if
it had to queue. Handlers are callbacks on SimPy timeouts, not processes; the
contact's fate is decided at those events, never by polling. Levels (queue,
busy agents, agents present) are integrated exactly between events.
"""

from __future__ import annotations

import math
from collections import deque

import simpy

from sim.model.clock import call_in
from sim.model.contact import DELAYED, SHORT, WITHIN
from sim.model.ledger import Ledger
from sim.records import OUTCOME_ABANDONED, OUTCOME_ANSWERED, OUTCOME_QUEUED_AT_END, Levels

INF = math.inf
# What the plain queue counts, per (interval, tier) slot; the ledger takes them at the end (``Ledger.absorb``).
PLAIN_FIELDS = ("offered", "delayed", "answered", "answered_within", "abandoned", "short_abandoned", "in_queue_end",
                "wait_answered_sum", "wait_abandoned_sum", "handle_sum")


class PlainTally:
    """The plain queue's counts in plain lists: a few increments per contact, the cheapest record there is."""

    # PLAIN_FIELDS, made in ``__init__`` (declared for type checkers; tests/unit/test_records.py checks them)
    offered: list[int]
    delayed: list[int]
    answered: list[int]
    answered_within: list[int]
    abandoned: list[int]
    short_abandoned: list[int]
    in_queue_end: list[int]
    wait_answered_sum: list[float]
    wait_abandoned_sum: list[float]
    handle_sum: list[float]

    def __init__(self, n_slots: int) -> None:
        for name in PLAIN_FIELDS:
            setattr(self, name, [0] * n_slots if not name.endswith("_sum") else [0.0] * n_slots)

    def columns(self) -> dict[str, list]:
        return {name: getattr(self, name) for name in PLAIN_FIELDS}


class PlainCentre:
    """Agents serving one FCFS-within-priority queue, staffed per interval."""

    def __init__(
        self,
        env: simpy.Environment,
        demand,
        staffing: list[int],
        interval: float,
        per_day: int,
        n_levels: int,
        threshold: float,
        short_abandon: float,
        n_tiers: int,
        ledger: Ledger,
        levels: Levels,
    ) -> None:
        self.env = env
        self.demand = demand
        self.staffing = staffing
        self.interval = interval
        self.per_day = per_day
        self.threshold = threshold
        self.short_abandon = short_abandon
        self.n_tiers = n_tiers
        self.tally = PlainTally(len(staffing) * n_tiers)
        self.log = ledger.record_plain if ledger.kept is not None else None  # the contact log, if asked for
        ledger.acw_apart = False  # talk and after-contact work are one drawn time here
        self.ledger, self.levels = ledger, levels
        self.queues: list[deque[int]] = [deque() for _ in range(n_levels)]  # index 0 = highest priority
        self.waiting: dict[int, tuple] = {}  # queued contact id -> (arrival, slot, busy time)
        self.idle: deque[int] = deque()  # agent ids, longest idle on the left
        self.present = 0  # agents on the floor: idle + busy
        self.busy = 0
        self.leaving = 0  # busy agents whose shift ended: they go when their contact ends
        self.queued = 0
        self._next_agent = 0
        self._next_contact = 0
        self._last = 0.0
        self._areas = [0.0, 0.0, 0.0]  # queue, busy, present: level x seconds since the interval began
        self._block: tuple[list, ...] = ()
        self._i = 0
        self._k = 0  # current interval

    # --- set-up and wrap-up -------------------------------------------------------------------

    def start(self) -> None:
        """Staff interval 0 and schedule the first arrival and interval boundary."""
        self._set_staffing(0)
        if len(self.staffing) > 1:
            call_in(self.env, self.interval, 1, self._on_interval)
        self._load_next_block()

    def finish(self, horizon: float) -> None:
        """Close the last interval and count contacts still queued at ``horizon``."""
        self._advance(horizon)
        self._flush(len(self.staffing) - 1)
        in_queue_end = self.tally.in_queue_end
        for arrival, slot, _ in self.waiting.values():
            in_queue_end[slot] += 1
            if self.log is not None:
                self.log(arrival, slot // self.n_tiers, slot % self.n_tiers, OUTCOME_QUEUED_AT_END, DELAYED,
                         horizon - arrival, 0.0)
        self.ledger.absorb(self.tally.columns(), self.n_tiers)
        if self.log is not None:
            self.ledger.log_only()

    # --- levels ---------------------------------------------------------------------------------

    def _advance(self, now: float) -> None:
        """Integrate the levels up to ``now``; call before any level changes."""
        dt = now - self._last
        if dt:
            areas = self._areas
            areas[0] += self.queued * dt
            areas[1] += self.busy * dt
            areas[2] += self.present * dt
            self._last = now

    def _flush(self, k: int) -> None:
        """Move the level integrals of interval ``k`` into the levels."""
        levels, areas = self.levels, self._areas
        levels.queue_area[k] += areas[0]
        levels.busy_area[k] += areas[1]
        levels.staffed_area[k] += areas[2]
        levels.backlog_end[k] += self.queued
        levels.on_floor_end[k] += self.present
        self._areas = [0.0, 0.0, 0.0]

    # --- staffing -------------------------------------------------------------------------------

    def _on_interval(self, event: simpy.events.Event) -> None:
        k: int = event.value  # type: ignore[assignment]  # simpy types every Event.value Optional[Any]
        self._advance(self.env.now)
        self._flush(k - 1)
        if k % self.per_day == 0 and self.log is not None:
            self.ledger.log_only()  # the day's logged contacts
        self._k = k
        self._set_staffing(k)
        if k + 1 < len(self.staffing):
            call_in(self.env, self.interval, k + 1, self._on_interval)

    def _set_staffing(self, k: int) -> None:
        """Bring the floor to this interval's headcount; busy leavers finish their contact first."""
        target = self.staffing[k]
        current = self.present - self.leaving
        if target > current:
            recalled = min(target - current, self.leaving)
            self.leaving -= recalled
            for _ in range(target - current - recalled):
                self.present += 1
                agent = self._next_agent
                self._next_agent += 1
                if self._serve_next(agent, self.env.now):
                    self.busy += 1
                else:
                    self.idle.append(agent)
        elif target < current:
            released = min(current - target, len(self.idle))
            for _ in range(released):
                self.idle.pop()
            self.present -= released
            self.leaving += current - target - released

    # --- contacts -------------------------------------------------------------------------------

    def _load_next_block(self) -> None:
        block = self.demand.next_block()
        if block is not None:
            self._block, self._i = block, 0
            call_in(self.env, block[0][0] - self.env.now, None, self._on_arrival)

    def _on_arrival(self, event: simpy.events.Event) -> None:
        env = self.env
        now = env.now
        i = self._i
        times, slots, levels, patience, handle = self._block
        self._i = i + 1
        if i + 1 < len(times):
            call_in(env, times[i + 1] - now, None, self._on_arrival)
        else:
            self._load_next_block()
        slot = slots[i]
        self.tally.offered[slot] += 1
        self._advance(now)
        if self.idle:
            self.busy += 1
            self._answer(self.idle.popleft(), now, now, slot, handle[i], 0)
            return
        self.queued += 1
        self.tally.delayed[slot] += 1
        cid = self._next_contact
        self._next_contact = cid + 1
        self.waiting[cid] = (now, slot, handle[i])
        self.queues[levels[i]].append(cid)
        if patience[i] != INF:
            call_in(env, patience[i], cid, self._on_abandon)

    def _answer(self, agent: int, now: float, arrival: float, slot: int, handle: float, delayed: int = DELAYED) -> None:
        """Record an answered contact and keep ``agent`` busy for its handle time."""
        tally = self.tally
        wait = now - arrival
        tally.answered[slot] += 1
        tally.wait_answered_sum[slot] += wait
        tally.handle_sum[slot] += handle
        within = wait <= self.threshold
        if within:
            tally.answered_within[slot] += 1
        self.levels.handled[self._k] += 1
        if self.log is not None:
            self.log(arrival, slot // self.n_tiers, slot % self.n_tiers, OUTCOME_ANSWERED,
                     delayed | (WITHIN if within else 0), wait, handle)
        call_in(self.env, handle, agent, self._on_done)

    def _serve_next(self, agent: int, now: float) -> bool:
        """Give ``agent`` the head of the highest-priority queue; False if nobody waits.

        The caller has integrated the levels up to ``now`` and keeps ``busy`` right.
        """
        waiting = self.waiting
        for queue in self.queues:
            while queue:
                entry = waiting.pop(queue.popleft(), None)
                if entry is not None:  # else it abandoned earlier: skip
                    self.queued -= 1
                    self._answer(agent, now, *entry)
                    return True
        return False

    def _on_done(self, event: simpy.events.Event) -> None:
        now = self.env.now
        agent: int = event.value  # type: ignore[assignment]  # simpy types every Event.value Optional[Any]
        self._advance(now)
        if self.leaving:
            self.leaving -= 1
            self.present -= 1
            self.busy -= 1
        elif not self._serve_next(agent, now):
            self.busy -= 1
            self.idle.append(agent)

    def _on_abandon(self, event: simpy.events.Event) -> None:
        entry = self.waiting.pop(event.value, None)  # type: ignore[arg-type]  # simpy: Event.value is Optional[Any]
        if entry is None:  # answered before its patience ran out
            return
        now = self.env.now
        arrival, slot, _ = entry
        self._advance(now)
        self.queued -= 1
        tally = self.tally
        wait = now - arrival
        tally.abandoned[slot] += 1
        tally.wait_abandoned_sum[slot] += wait
        short = wait <= self.short_abandon
        if short:
            tally.short_abandoned[slot] += 1
        if self.log is not None:
            self.log(arrival, slot // self.n_tiers, slot % self.n_tiers, OUTCOME_ABANDONED,
                     DELAYED | (SHORT if short else 0), wait, 0.0)
