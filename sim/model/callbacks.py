"""Callbacks (virtual hold) at the centre (docs/model.md section 2.3): a caller who must queue is offered a call
back when the expected wait exceeds the threshold; one who accepts keeps the place without holding (no patience
clock), and when it comes up the agent dials: the customer is reached (served as any call, the agent's time longer
by the dial) or not (a missed call back: the customer calls again later or gives up).

Built only for channels with a ``callbacks`` section and the ``virtual_hold`` trait; without one the centre never
calls it (today's model).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

import simpy

from sim.behaviour import callbacks as rules
from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.model.agents import Group, Roster
from sim.model.contact import CALLED_BACK, GONE, MISSED, OFFERED, REDIAL, Contact
from sim.records import OUTCOME_ABANDONED
from sim.rng import Streams

if TYPE_CHECKING:
    from sim.model.journey.ports import CustomerPort, FollowUpPort, ServePort
    from sim.model.trace import Trace


class DeskPort(Protocol):
    """What the callback desk may ask of the centre (``Centre`` implements it)."""

    env: simpy.Environment
    channels: list[str]
    groups: list[Group]
    roster: Roster
    trace: Trace | None
    active: bool  # the behaviour model is on

    @property
    def journey(self) -> ServePort: ...  # a call back that reaches the customer starts its service

    @property
    def customer(self) -> CustomerPort: ...  # the customer's side of the journey

    @property
    def followups(self) -> FollowUpPort: ...  # the contacts the journey creates

    def waiting(self, channel: int) -> int: ...  # contacts queued on a channel now

    def on_floor(self, group: int) -> int: ...  # agents of a group present now

    def serve_for(self, busy: float, agent: int, group: Group, contact: Contact) -> None: ...  # busy, then done

    def free(self, agent: int, group: Group, now: float) -> None: ...  # the agent has finished a contact


class CallbackDesk:
    """Who is offered and accepts a call back, and what the call back does."""

    BLOCK = 256

    def __init__(self, scenario: Scenario, centre: DeskPort, streams: Streams) -> None:
        self.centre, self.streams = centre, streams
        specs = [getattr(scenario.channels, c) for c in centre.channels]
        self.rules = [getattr(s, "callbacks", None) if TRAITS[c].virtual_hold else None
                      for c, s in zip(centre.channels, specs)]
        self.mean_handle = [s.handle_time.mean + (s.after_contact_work.mean if s.after_contact_work else 0.0)
                            for s in specs]
        self.serving = [[g.index for g in centre.groups if c in g.channels] for c in centre.channels]
        self.held: set[Contact] = set()  # accepted, waiting for their call back
        self._uniforms: dict[str, list[float]] = {}

    @staticmethod
    def wanted(scenario: Scenario, channels: list[str]) -> bool:
        """Whether any channel of the run offers callbacks."""
        return any(TRAITS[c].virtual_hold and getattr(getattr(scenario.channels, c), "callbacks", None) is not None
                   for c in channels)

    def _u(self, name: str) -> float:
        """The next uniform of stream ``callbacks.<name>`` (drawn in blocks)."""
        buffer = self._uniforms.setdefault(name, [])
        if not buffer:
            buffer.extend(self.streams[f"callbacks.{name}"].random(self.BLOCK).tolist()[::-1])
        return buffer.pop()

    def offer(self, contact: Contact) -> bool:
        """A new contact has just queued: offer a call back if its expected wait exceeds the threshold; True if the
        customer accepts (the centre then starts no patience clock)."""
        rule = self.rules[contact.channel]
        if rule is None:
            return False
        centre = self.centre
        agents = sum(centre.on_floor(g) for g in self.serving[contact.channel])
        ahead = centre.waiting(contact.channel) - 1  # it is already counted in the queue
        expected = rules.expected_wait(ahead, self.mean_handle[contact.channel], agents)
        if not rules.offered(expected, rule.offer_above):
            return False
        contact.flags |= OFFERED
        if self._u(f"{centre.channels[contact.channel]}.take_up") >= rule.take_up:
            return False
        contact.flags |= CALLED_BACK
        self.held.add(contact)
        return True

    def call_back(self, agent: int, group: Group, contact: Contact, wait: float, now: float) -> bool:
        """``agent`` (counted busy, the contact taken off the queue) starts on ``contact``: False if it holds (the
        centre serves it as usual), else the agent dials and the call back runs to its end here."""
        if contact not in self.held:
            return False
        self.held.discard(contact)
        centre, rule = self.centre, self.rules[contact.channel]
        assert rule is not None, "only contacts of a channel with callbacks are held"
        if self._u(f"{centre.channels[contact.channel]}.reached") < rule.missed:
            contact.flags |= MISSED
            contact.busy += rule.dial
            if centre.trace is not None:
                centre.trace.event(now, "callback_missed", contact, agent)
            centre.env.timeout(rule.dial, (agent, group, contact)).callbacks.append(self._on_missed)
            return True
        felt = rules.felt_wait(wait, rule.felt)
        if centre.active:
            busy = centre.journey.served(agent, group, contact, felt, now) + contact.acw + rule.dial
        else:
            busy = contact.handle + contact.acw + rule.dial
        contact.busy += busy
        contact.after += contact.acw
        if centre.trace is not None:
            centre.trace.event(now, "callback", contact, agent)
        centre.serve_for(busy, agent, group, contact)
        return True

    def _on_missed(self, event: simpy.events.Event) -> None:
        """Nobody answered: the contact ends as abandoned (the customer was not reached), with the virtual wait's
        and the broken promise's frustration; the customer calls again later (``recall``) or gives up."""
        agent, group, contact = event.value  # type: ignore[misc]  # simpy types every Event.value Optional[Any]
        centre = self.centre
        now, rule, channel = centre.env.now, self.rules[contact.channel], centre.channels[contact.channel]
        centre.roster.serving[agent] = None
        contact.state = GONE
        z, flags = math.nan, 0
        if centre.active:
            customer, followups = centre.customer, centre.followups
            customer.missed_callback(contact, rules.felt_wait(contact.wait, rule.felt), rule.missed_frustration)
            if self._u(f"{channel}.recall") < rule.recall:  # a call due after the run: the episode stays open (15.3)
                followups.schedule(contact, channel, REDIAL, followups.delay("callback_recall", rule.recall_after))
            else:
                z, flags = customer.gave_up(contact, now)
        if centre.trace is not None:
            centre.trace.event(now, "abandon", contact)
        centre.customer.ended(contact, OUTCOME_ABANDONED, contact.wait, now, z, flags)
        centre.free(agent, group, now)
