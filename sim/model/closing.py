"""Closing time at the centre (docs/model.md section 2.1): channels open and close at the minute, customers
who meet a closed counter or line are turned away (they give up, come back at the next opening, or use
another channel), and phone callers on hold at closing are served or told to call back.

Built only for channels with a ``closing`` section; without one the centre never calls it (today's model).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

import simpy

from sim.behaviour import closing as rules
from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.model.contact import GONE, REDIAL, REPEAT, WAITING, Contact
from sim.records import OUTCOME_ABANDONED, OUTCOME_BALKED
from sim.rng import Streams

if TYPE_CHECKING:
    from sim.model.journey.ports import CustomerPort, FollowUpPort
    from sim.model.routing import Queues
    from sim.model.trace import Trace


class GatePort(Protocol):
    """What the closing desk may ask of the centre (``Centre`` implements it)."""

    env: simpy.Environment
    channels: list[str]
    interval: float
    n_intervals: int
    is_open: dict[str, bool]
    queues: Queues
    trace: Trace | None

    @property
    def customer(self) -> CustomerPort: ...  # the customer's side of the journey

    @property
    def followups(self) -> FollowUpPort: ...  # the contacts the journey creates

    def dispatch(self) -> None: ...  # idle agents take what now waits

    def bump(self, i: int, delta: int, now: float) -> None: ...  # level i (a channel's queue length) moves

    def arrive(self, contact: Contact, now: float) -> None: ...  # a contact joins the centre


class ClosingDesk:
    """What closing means at the centre for the channels that have a closing rule."""

    BLOCK = 256

    def __init__(self, scenario: Scenario, centre: GatePort, streams: Streams) -> None:
        self.centre, self.streams = centre, streams
        self.horizon = scenario.horizon
        self.rules = {c: getattr(scenario.channels, c).closing for c in centre.channels
                      if getattr(getattr(scenario.channels, c), "closing", None) is not None}
        self.hours = {c: getattr(scenario.channels, c).hours for c in self.rules}
        self._uniforms: dict[str, list[float]] = {}

    def held(self) -> dict[str, bool]:
        """Per channel, whether those waiting at closing are still served (walk-ins inside; callers if ``served``)."""
        return {c: c in self.rules and (TRAITS[c].held_after_closing or self.rules[c].queued == "served")
                for c in self.centre.channels}

    def start(self, env: simpy.Environment) -> None:
        """Schedule every opening and closing instant that falls inside an interval (at interval starts the
        centre's own interval event opens and closes, reading the same hours), and every closing where callers
        are told to call back. Scheduled now, each runs before the interval event at the same instant."""
        for channel, hours in self.hours.items():
            call_back = self.rules[channel].queued == "call_back"
            for t, opens in rules.transitions(hours, self.horizon):
                if t % self.centre.interval or (call_back and not opens):
                    env.timeout(t, (channel, opens)).callbacks.append(self._on_transition)

    def _on_transition(self, event) -> None:
        channel, opens = event.value
        self.centre.is_open[channel] = opens
        if opens:
            self.centre.dispatch()
        else:
            self.closed(channel)

    def closed(self, channel: str) -> None:
        """The channel has just closed: on hold callers are told to call back if that is the rule."""
        if self.rules[channel].queued != "call_back":
            return
        centre, now = self.centre, self.centre.env.now
        index = centre.channels.index(channel)
        for q, (name, _, level) in enumerate(centre.queues.keys):
            if name != channel or level == 0:  # transferred callers on hold are still served
                continue
            queue = centre.queues.queues[q]
            for contact in [c for c in queue if c.state == WAITING]:
                contact.state = GONE
                centre.bump(index, -1, now)
                if centre.trace is not None:
                    centre.trace.event(now, "abandon", contact)
                self._call_back(contact, now - contact.queued_at, now)
            queue.clear()

    def _call_back(self, contact: Contact, wait: float, now: float) -> None:
        """A caller told to call back: an abandoned contact whose customer redials after the next opening, or
        (a share ``give_up``) does not."""
        customer, channel = self.centre.customer, self.centre.channels[contact.channel]
        customer.waited(contact, wait)
        back = rules.back_at_opening(self.hours[channel], now + 1.0) - now
        if self._stays(channel):  # a redial due after the run stays open, unscored (docs/model.md §15.3)
            self.centre.followups.schedule(contact, channel, REDIAL, back)
            z, flags = math.nan, 0
        else:
            z, flags = customer.gave_up(contact, now)
        customer.ended(contact, OUTCOME_ABANDONED, wait, now, z, flags)

    def turned_away(self, contact: Contact, now: float) -> None:
        """A customer meets the closed counter or line: gives up, comes back at the next opening, or (the rule
        naming a channel) contacts that channel instead. A returner's comeback is one more contact of the
        episode; the turned-away attempt itself is no contact row (a closed message is not an offered call)."""
        customer, channel, trace = self.centre.customer, self.centre.channels[contact.channel], self.centre.trace
        customer.started(contact)
        if trace is not None:
            trace.event(now, "closed", contact)
        target = self.rules[channel].displace_to
        if self._stays(channel):  # a comeback due after the run is not simulated; the episode stays open (§15.3)
            if target in rules.CHANNEL_TARGETS:
                self.centre.followups.schedule(contact, target, REPEAT, 0.0)
                return
            at = rules.back_at_opening(self.hours[channel], now)
            if at < self.horizon:
                customer.came_back(contact, False)
                self.centre.env.timeout(at - now, contact).callbacks.append(self._back)
            return
        contact.state = GONE
        if trace is not None:
            trace.event(now, "balk", contact)
        customer.ended(contact, OUTCOME_BALKED, 0.0, now, *customer.gave_up(contact, now))

    def _back(self, event) -> None:
        contact: Contact = event.value
        now = self.centre.env.now
        contact.interval = min(int(now // self.centre.interval), self.centre.n_intervals - 1)
        contact.arrival = contact.queued_at = now
        if self.centre.trace is not None:
            self.centre.trace.event(now, "back_at_opening", contact)
        self.centre.arrive(contact, now)

    def _stays(self, channel: str) -> bool:
        """Whether a customer turned away (or told to call back) still wants service: 1 - ``give_up``."""
        buffer = self._uniforms.setdefault(channel, [])
        if not buffer:
            buffer.extend(self.streams[f"closing.{channel}"].random(self.BLOCK).tolist()[::-1])
        return buffer.pop() >= self.rules[channel].give_up

    def next_open(self, channel: str, at: float) -> float:
        """``at`` if open then, else after the next opening, to the minute."""
        return rules.back_at_opening(self.hours[channel], at)
