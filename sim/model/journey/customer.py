"""The customer's side of a contact: the episode it opens, frustration from waiting, being overtaken and
transferred, turning away at a crowded counter, and how a contact or an episode ends (its row, its latent
satisfaction, and what it does to the customer's loyalty, memory and staying)."""

from __future__ import annotations

import math

from sim.behaviour import frustration as fr
from sim.behaviour import satisfaction as outcomes
from sim.behaviour import waiting
from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.model.contact import CONTINUED, GONE, RESOLVED, UNRESOLVED, WAITING, Contact, Episode
from sim.model.customers import CustomerBase
from sim.model.ledger import Ledger
from sim.records import EPISODE_END, FRUSTRATED, OUTCOME_ANSWERED, OUTCOME_BALKED, RATED


class CustomerSide:
    """Episodes, frustration and satisfaction; the rows of ended contacts."""

    def __init__(self, scenario: Scenario, channels: list[str], ledger: Ledger, base: CustomerBase | None,
                 book_defection) -> None:
        b = scenario.behaviour
        self.book_defection = book_defection  # (yearly value of a customer who left after a contact) -> None
        self.active = b.enabled
        self.fr = b.frustration if b.on("frustration") else None
        self.sat = b.satisfaction if b.on("satisfaction") else None
        self.defection = b.defection if b.on("defection") else None
        self.ledger, self.base = ledger, base
        specs = [getattr(scenario.channels, c) for c in channels]
        self.perceived = [s.perceived_wait_factor * waiting.position_perceived_factor(
                          getattr(s, "queue_position_info", False)) for s in specs]
        self.balking = [getattr(s, "balking", None) if TRAITS[c].balks and b.enabled else None
                        for c, s in zip(channels, specs)]
        self.sees_overtaking = [TRAITS[c].overtaking_visible for c in channels]
        self.episodes = 0  # opened so far (their numbers)

    # --- on arrival ----------------------------------------------------------------------------------------

    def started(self, contact: Contact) -> None:
        """A new contact opens an episode (follow-ups continue theirs)."""
        if contact.episode is None:
            seat, base = contact.seat, self.base
            generation = base.generation[seat] if base is not None and seat >= 0 else 0
            contact.episode = Episode(contact.anger, contact.channel, generation, self.episodes)
            self.episodes += 1

    def balks(self, contact: Contact, ahead: int, now: float) -> bool:
        """Customers who see ``ahead`` people queued may turn away (recorded as balked; the episode ends)."""
        balking = self.balking[contact.channel]
        if balking is None or contact.u_next >= fr.balk_probability(balking.midpoint, balking.scale, ahead):
            return False
        contact.state = GONE
        self.ended(contact, OUTCOME_BALKED, 0.0, now, *self.gave_up(contact, now))
        return True

    # --- while waiting and at service start ----------------------------------------------------------------

    def waited(self, contact: Contact, wait: float) -> None:
        """Frustration from the wait just ended (perceived wait beyond tolerance)."""
        p = self.fr
        if p is None or wait <= 0.0:
            return
        ep = contact.episode
        assert ep is not None, "every contact has its episode from arrival (started)"
        increment = fr.wait_increment(p, self.perceived[contact.channel] * wait, contact.tolerance, ep.waited)
        if increment > 0.0:
            ep.waited += increment
            ep.raise_by(increment)

    def overtaken(self, served: Contact, queues) -> None:
        """Waiting customers of lower priority who came earlier see ``served`` go first, and are annoyed."""
        if self.fr is None or served.level < 1 or not self.sees_overtaking[served.channel]:
            return
        channel = queues.channels[served.channel]
        for q, (name, _, level) in enumerate(queues.keys):
            if name == channel and level > served.level:
                for waiting in queues.queues[q]:
                    if waiting.state == WAITING and waiting.arrival < served.arrival:
                        ep = waiting.episode
                        assert ep is not None, "every contact has its episode from arrival (started)"
                        ep.raise_by(self.fr.overtaking)

    def eased(self, contact: Contact, weight: float = 1.0) -> None:
        """The agent showed empathy or apologised: frustration eases (less when surface acted, ``weight`` < 1)."""
        ep, p = contact.episode, self.fr
        assert ep is not None, "every contact has its episode from arrival (started)"
        assert p is not None, "empathy eases frustration only where frustration is modelled"
        ep.frustration = fr.eased(p, ep.frustration, weight)
        ep.apology = max(ep.apology, weight)

    def rushed(self, contact: Contact, increment: float) -> None:
        """Cut short by a handle-time target: the customer feels rushed."""
        self._frustrated(contact, increment)

    def missed_callback(self, contact: Contact, felt_wait: float, missed: float) -> None:
        """A promised call back did not reach the customer: the virtual wait frustrates as a held wait of
        ``felt_wait`` would, and the broken promise adds ``missed``."""
        self.waited(contact, felt_wait)
        self._frustrated(contact, missed)

    def _frustrated(self, contact: Contact, increment: float) -> None:
        """Frustration rises by ``increment`` (where frustration is modelled)."""
        if self.fr is not None:
            ep = contact.episode
            assert ep is not None, "every contact has its episode from arrival (started)"
            ep.raise_by(increment)

    def transferred(self, contact: Contact, cold: bool) -> None:
        """Passed to another agent: one more transfer, and more frustration (cold transfers more)."""
        ep = contact.episode
        assert ep is not None, "every contact has its episode from arrival (started)"
        ep.transfers += 1
        if self.fr is not None:
            ep.raise_by(fr.transfer_increment(self.fr, ep.transfers, cold))

    def came_back(self, contact: Contact, redial: bool) -> None:
        """The customer is back (a redial, repeat or chaser): one more contact, and more frustrated."""
        ep, p = contact.episode, self.fr
        assert ep is not None, "every contact has its episode from arrival (started)"
        ep.contacts += 1
        if p is not None:
            ep.raise_by(fr.comeback_increment(p, redial, contact.channel != ep.first_channel))

    # --- the end of a contact and of an episode --------------------------------------------------------------

    def ended(self, contact: Contact, outcome: int, wait: float, now: float, z: float = math.nan, flags: int = 0,
              counted: bool = True) -> None:
        """Write the contact's row; a served contact is rated and may end its episode.

        ``z``, ``flags``: the latent satisfaction and row flags of an episode given up (``gave_up``).
        ``counted=False``: a contact still unfinished when the run ends (its row counts it as answered,
        nothing more).
        """
        ep = contact.episode
        remembered = peak = 0.0
        if ep is not None and self.fr is not None:
            remembered, peak = fr.remembered(self.fr, ep.peak, ep.frustration), ep.peak
            flags |= FRUSTRATED if counted else 0
        if not (counted and outcome == OUTCOME_ANSWERED):
            self.ledger.record(contact, outcome, wait, flags, remembered, peak, z)
            return
        if self.sat is None:
            if contact.result == UNRESOLVED and self.base is not None and self.customer(contact) >= 0:
                self.base.went_badly(contact.seat, now)
            self.ledger.record(contact, outcome, wait, flags, remembered, peak)
            return
        self._rated(contact, wait, flags, remembered, peak, now)

    def _rated(self, contact: Contact, wait: float, flags: int, remembered: float, peak: float, now: float) -> None:
        """A served contact's latent satisfaction (2.6); its answers are read from it in the ledger."""
        ep, sat, base = contact.episode, self.sat, self.base
        assert ep is not None, "every contact has its episode from arrival (started)"
        assert sat is not None, "only with satisfaction on"
        resolved = contact.result == RESOLVED
        failure = outcomes.service_failure(contact.anger, ep.contacts)
        z = outcomes.latent(sat, resolved, remembered, ep.apology, contact.noise, failure)
        seat = self.customer(contact)
        loyalty = base.loyalty_now(seat, now) if base is not None and seat >= 0 else 0.0
        effort = outcomes.effort(ep.contacts, ep.transfers, contact.channel != ep.first_channel)
        flags |= RATED
        if contact.result != CONTINUED:
            flags |= EPISODE_END
            self._episode_end(contact, z, resolved, now, seat, loyalty)
        self.ledger.record(contact, OUTCOME_ANSWERED, wait, flags, remembered, peak, z, loyalty, effort)

    def gave_up(self, contact: Contact, now: float) -> tuple[float, int]:
        """A customer who leaves unserved (balked, or abandoned for good) ends the episode unresolved.

        Returns the latent satisfaction and row flags for the contact's row (nan, 0 without satisfaction).
        """
        if self.sat is not None:
            ep = contact.episode
            assert ep is not None, "every contact has its episode from arrival (started)"
            remembered = fr.remembered(self.fr, ep.peak, ep.frustration) if self.fr is not None else 0.0
            z = outcomes.latent(self.sat, False, remembered, False, contact.noise)
            self._episode_end(contact, z, False, now)
            return z, EPISODE_END
        if self.base is not None and self.customer(contact) >= 0:
            self.base.went_badly(contact.seat, now)
        return math.nan, 0

    def _episode_end(self, contact: Contact, z: float, resolved: bool, now: float, seat: int | None = None,
                     loyalty: float | None = None) -> None:
        """The episode is over (2.7): the customer's loyalty and memory move, and they may leave.

        ``seat``, ``loyalty``: the customer's seat and loyalty now, when the caller has them already."""
        base = self.base
        if seat is None:
            seat = self.customer(contact)
        if seat < 0 or base is None:  # (no base: seat is -1)
            return
        if not resolved:
            base.went_badly(seat, now)
        base.rate(seat, z, now, loyalty)
        p_defect, d = 0.0, self.defection
        if d is not None and contact.u_defect < d.kappa:  # p_defect <= kappa: at or above it, nobody defects
            p_defect = outcomes.defection_probability(d, z, contact.noise)
        if contact.u_defect < p_defect:
            self.book_defection(base.churn(seat, now, defected=True))

    def customer(self, contact: Contact) -> int:
        """The contact's seat in the customer base while its customer still holds it, else -1 (no base, or the
        customer churned: the seat is empty or has been given to someone new)."""
        seat, base, ep = contact.seat, self.base, contact.episode
        assert ep is not None, "every contact has its episode from arrival (started)"
        if base is None or seat < 0 or not base.active[seat] or base.generation[seat] != ep.generation:
            return -1
        return seat

