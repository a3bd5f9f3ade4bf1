"""The customer journey at the centre's events: what a contact's arrival, wait, service and end mean for the
customer and the agent.

``Centre`` owns queues, agents and the clock and calls ``Journey`` at its events; ``Journey`` composes the
customer's side (``customer``), the agent's side (``service``) and the contacts the journey creates
(``followups``), all using the pure equations in ``sim.behaviour``. It sees the centre only through
``CentrePort``. With the behaviour model switched off the centre calls it only to end contacts.
"""

from __future__ import annotations

import math
from typing import Protocol

import simpy

from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.model.agents import Group, Roster
from sim.model.contact import (
    CONTINUED,
    FINISHED,
    REDIAL,
    REPEAT,
    RESOLVED,
    SOLVED,
    SWITCHED,
    TRANSFER,
    TRANSFERRED,
    UNRESOLVED,
    WAITING,
    Contact,
)
from sim.model.customers import CustomerBase
from sim.model.demand import FollowUps
from sim.model.journey.customer import CustomerSide
from sim.model.journey.followups import FollowUpScheduler
from sim.model.journey.service import ServiceSide
from sim.model.ledger import Ledger
from sim.model.routing import Queues


class CentrePort(Protocol):
    """What the journey may ask of the centre."""

    env: simpy.Environment
    queues: Queues

    def waiting(self, channel: int) -> int: ...  # contacts queued on a channel now

    def is_open_now(self, channel: int) -> bool: ...

    def next_open(self, channel: str, at: float) -> float: ...

    def book_defection(self, value: float) -> None: ...  # a customer who left after a contact

    def follow_up(self, contact: Contact) -> None: ...  # a follow-up contact is due now


class Journey:
    """Behaviour of customers and agents at the centre's events."""

    def __init__(self, scenario: Scenario, port: CentrePort, roster: Roster, ledger: Ledger, draws: FollowUps,
                 base: CustomerBase | None) -> None:
        channels = scenario.channels.names
        b = scenario.behaviour
        self.port, self.channels, self.base = port, channels, base
        self.active = b.enabled
        self.customer = CustomerSide(scenario, channels, ledger, base, port.book_defection)
        self.service = ServiceSide(scenario, roster)
        self.followups = FollowUpScheduler(scenario, channels, draws, port.env, port.next_open,
                                           lambda contact, kind: port.follow_up(contact))
        self.res = self.service.res
        self.fr = self.customer.fr
        self.redials = [TRAITS[c].redials and self.followups.redial is not None for c in channels]
        self.chaser = [self._chaser(scenario, c) for c in channels]
        self.chase_after = [self._chase_after(scenario, c) for c in channels]

    def _chaser(self, scenario: Scenario, channel: str):
        """The chaser settings of ``channel`` when its customers can chase on a configured channel, else None."""
        target = TRAITS[channel].chased_on
        spec = getattr(scenario.channels, channel)
        if not scenario.behaviour.enabled or target is None or target not in self.channels:
            return None
        return getattr(spec, "chaser", None)

    @staticmethod
    def _chase_after(scenario: Scenario, channel: str) -> float:
        """Multiples of the tolerance after which a waiting written contact is chased: the promise's under an
        acknowledging email policy, else the chaser's own."""
        spec = getattr(scenario.channels, channel)
        policy, chaser = getattr(spec, "policy", None), getattr(spec, "chaser", None)
        if policy is not None and policy.acknowledgement:
            return policy.chase_after
        return chaser.after if chaser is not None else 0.0

    # --- arrival and waiting ----------------------------------------------------------------------------------

    def arrived(self, contact: Contact, now: float) -> bool:
        """A contact opens or continues its episode; False if its customer turns away at once."""
        self.customer.started(contact)
        return not self.customer.balks(contact, self.port.waiting(contact.channel), now)

    def queued(self, contact: Contact, now: float) -> None:
        """A written contact that waits may be chased once the customer's tolerance has long passed."""
        chaser = self.chaser[contact.channel]
        if chaser is not None and contact.tolerance > 0 and contact.u_aux < chaser.probability:
            self.port.env.timeout(self.chase_after[contact.channel] * contact.tolerance,
                                  contact).callbacks.append(self._on_chase)

    def _on_chase(self, event) -> None:
        email: Contact = event.value
        if email.state == WAITING:
            self.followups.chase(email)

    def abandoned(self, contact: Contact, wait: float, now: float) -> tuple[float, int]:
        """A customer who hung up may try again later, more frustrated and less patient; else the episode ends.

        Returns the latent satisfaction and flags for the contact's row (see ``CustomerSide.gave_up``).
        """
        self.customer.waited(contact, wait)
        redial = self.followups.redial
        if self.redials[contact.channel] and redial is not None and contact.u_next < redial.probability:
            # a redial due after the run is not simulated: its episode stays open, like one in the centre
            self.followups.schedule(contact, self.channels[contact.channel], REDIAL, self.followups.redial_delay())
            return math.nan, 0
        return self.customer.gave_up(contact, now)  # for good

    def came_back(self, contact: Contact) -> bool:
        """A follow-up is due: False if its customer left meanwhile (it never happens); else one more contact."""
        if self.base is not None and contact.seat >= 0 and self.customer.customer(contact) < 0:
            return False
        self.customer.came_back(contact, contact.kind == REDIAL)
        ep = contact.episode
        assert ep is not None, "every contact has its episode from arrival (started)"
        if contact.channel != ep.first_channel:
            contact.flags |= SWITCHED
        return True

    # --- service ----------------------------------------------------------------------------------------------

    def served(self, agent: int, group: Group, contact: Contact, wait: float, now: float) -> float:
        """Service starts: frustration from the wait, empathy, skill; returns the handle time and sets the result."""
        customer, service = self.customer, self.service
        customer.waited(contact, wait)
        customer.overtaken(contact, self.port.queues)
        exhaustion = service.exhaustion(agent, now)
        service.update_training(agent, group, now)
        if service.shows_empathy(group, contact, exhaustion, agent):
            customer.eased(contact, service.empathy_effect(contact))
        ep = contact.episode
        assert ep is not None, "every contact has its episode from arrival (started)"
        contact.f_start = ep.frustration
        return service.handle_time(agent, group, contact, exhaustion, now)

    def done(self, agent: int, group: Group, contact: Contact, now: float) -> bool:
        """Service ends: the agent tires; True if the contact is to be transferred, else it ends (resolved or not)."""
        self.service.tired(agent, group, contact)
        if contact.cut > 0.0:  # only under a handle-time target
            self.customer.rushed(contact, self.service.rushed(contact))
        result = contact.result
        if result == TRANSFER and not TRAITS[self.channels[contact.channel]].backlog \
                and not self.port.is_open_now(contact.channel):
            contact.result = result = UNRESOLVED  # after closing there is nobody to transfer to: call back tomorrow
        if result == TRANSFER:
            self._transfer(contact, now)
            return True
        if self.res is not None:
            contact.flags |= FINISHED  # fcr = resolved / finished: only where resolution is modelled
        if result == RESOLVED:
            contact.flags |= SOLVED
        elif self.service.comes_back(contact):
            assert self.res is not None, "only resolution brings customers back"
            channel = self.followups.repeat_channel(contact)
            # a repeat due after the run is not simulated: the episode stays open (unscored), docs/model.md §15.3
            self.followups.schedule(contact, channel, REPEAT, self.followups.delay("repeat", self.res.repeat_delay))
            contact.result = CONTINUED
        return False

    def _transfer(self, contact: Contact, now: float) -> None:
        if not contact.segment:  # the transfer rate counts contacts transferred at least once (SQM's 19%)
            contact.flags |= TRANSFERRED
        assert self.res is not None, "only resolution transfers contacts"
        cold = self.fr is not None and contact.u_aux < self.res.cold_transfer_share
        self.customer.transferred(contact, cold)
        self.followups.refresh(contact)
        contact.segment += 1
        contact.level = 0
        contact.queued_at = now  # its next wait starts now; the centre places it once the agent has moved on
