"""The customer journey inside the centre: frustration, balking, empathy, resolution, transfers, repeats,
redials, email chasers, and agent exhaustion, each applied at the event where it happens.

``Centre`` owns queues and agents; ``Journey`` decides what a contact's events mean for
the customer and the agent, using the pure equations in ``sim.behaviour``. With the
behaviour model switched off (``behaviour.enabled: false``) ``active`` is False and the
centre never calls it, apart from recording ended contacts.
"""

from __future__ import annotations

from bisect import bisect_right

from sim.behaviour import agents as agent_rules
from sim.behaviour import frustration as fr
from sim.behaviour import satisfaction as outcomes
from sim.behaviour import service
from sim.model.agents import Group
from sim.model.contact import (ACW, ANGRY, ARRIVAL, CH, EP, EPS, FSTART, GONE, HANDLE, ISSUE, LEVEL, OUT, PAT, QAT, SEAT,
                               SEG, SLOT, ST, TIER, TOL, U_AUX, U_DEFECT, U_EMP, U_NEXT, U_RES, U_SURVEY, U_XFER, WAITING)
from sim.records import FRUSTRATION_BINS, OUTCOME_ANSWERED, OUTCOME_BALKED

F, PEAK, WAITED, TRANSFERS, CONTACTS, FIRST_CHANNEL, APOLOGY, GENERATION = range(8)  # episode fields
RESOLVED, UNRESOLVED, TRANSFER, CONTINUED = 0, 1, 2, 3  # CONTINUED: unresolved, and the customer will be back
REPEAT, REDIAL, CHASER = 0, 1, 2


class Journey:
    """Behaviour of customers and agents at the centre's events."""

    def __init__(self, centre, scenario, followups) -> None:
        b = scenario.behaviour
        self.centre = centre
        self.active = b.enabled
        self.fr = b.frustration if b.on("frustration") else None
        self.res = b.resolution if b.on("resolution") else None
        self.learn = b.learning if b.on("learning") else None
        self.exh = b.exhaustion if b.on("exhaustion") else None
        self.hte = b.handle_time if b.on("handle_time") else None
        self.pressure = b.pressure if b.on("pressure") else None
        self.sat = b.satisfaction if b.on("satisfaction") else None
        self.defection = b.defection if b.on("defection") else None
        self.surveys = b.surveys if b.on("surveys") else None
        self.wom = b.word_of_mouth if b.on("word_of_mouth") else None
        self.rested = b.exhaustion.between_shifts if self.exh else 1.0
        self.skill_off = b.learning.skill_base  # skill of every agent when learning is off
        channels = scenario.channels
        self.names = centre.channels
        specs = [getattr(channels, c) for c in self.names]
        self.perceived = [s.perceived_wait_factor * (0.8 if getattr(s, "queue_position_info", False) else 1.0)
                          for s in specs]
        walk_in = channels.walk_in
        self.balking = walk_in.balking if walk_in is not None and b.enabled else None
        self.walk_in = self.names.index("walk_in") if walk_in is not None else -1
        self.email = self.names.index("email") if "email" in self.names else -1
        self.redial = channels.phone.redial if channels.phone is not None and b.enabled else None
        self.chaser = channels.email.chaser if channels.email is not None and "phone" in self.names \
            and b.enabled else None
        tiers = list(scenario.customers.tiers.values())
        self.hostility = [t.hostility_weight for t in tiers]
        self.patience_factor = [t.patience_factor for t in tiers]
        issues = list(scenario.customers.issues.values())
        self.resolution_factor = [i.resolution_factor for i in issues]
        self.skill_of = [i.skill for i in issues]
        self.log = centre.log
        self.base = centre.base
        self.horizon = scenario.horizon
        self._followups = followups  # a ``FollowUps``: attributes of repeats, redials, chasers, transfer segments
        self._delays: dict[str, list[float]] = {}

    # --- customers ----------------------------------------------------------------------------------------

    def started(self, contact: list) -> None:
        """A new contact opens an episode (follow-ups continue theirs)."""
        if contact[EP] is None:
            angry = contact[ANGRY]
            seat = contact[SEAT]
            generation = self.base.generation[seat] if self.base is not None and seat >= 0 else 0
            contact[EP] = [angry, angry, 0.0, 0, 1, contact[CH], 0, generation]

    def balks(self, contact: list) -> bool:
        """Walk-ins who see too many ahead turn away (recorded as balked)."""
        if contact[CH] != self.walk_in or self.balking is None:
            return False
        ahead = self.centre.level[self.walk_in]
        if contact[U_NEXT] >= fr.balk_probability(self.balking.midpoint, self.balking.scale, ahead):
            return False
        contact[ST] = GONE
        self.centre.tally.balked[contact[SLOT]] += 1
        self.ended(contact, 0.0, 0.0, OUTCOME_BALKED)
        self._gave_up(contact)
        return True

    def queued(self, contact: list, now: float) -> None:
        """An email that waits may be chased by phone once the customer's tolerance has long passed."""
        if self.chaser is not None and self.names[contact[CH]] == "email" and contact[TOL] > 0 \
                and contact[U_AUX] < self.chaser.probability:
            self.centre.env.timeout(self.chaser.after * contact[TOL], contact).callbacks.append(self._on_chase)

    def _on_chase(self, event) -> None:
        email = event.value
        if email[ST] == WAITING:
            self._follow_up(email, "phone", CHASER, 0.0)

    def _waited(self, contact: list, wait: float) -> None:
        """Frustration from the wait just ended (perceived wait beyond tolerance)."""
        ep, p = contact[EP], self.fr
        if p is None or wait <= 0.0:
            return
        inc = fr.wait_increment(p, self.perceived[contact[CH]] * wait, contact[TOL], ep[WAITED])
        if inc > 0.0:
            ep[WAITED] += inc
            ep[F] = fr.raised(ep[F], inc)
            ep[PEAK] = max(ep[PEAK], ep[F])

    def abandoned(self, contact: list, wait: float, now: float) -> None:
        """A caller who hung up may redial later, more frustrated and less patient."""
        self._waited(contact, wait)
        if self.redial is not None and self.names[contact[CH]] == "phone" \
                and contact[U_NEXT] < self.redial.probability:
            self._follow_up(contact, "phone", REDIAL, self._delay("redial", self.redial.delay))
        else:
            self._gave_up(contact)

    def ended(self, contact: list, wait: float, handle: float, outcome: int, count: bool = True) -> None:
        """Record the customer's remembered frustration (and the contact, if contacts are logged).

        ``count=False``: only log it (a contact still in service when the run ends has not ended).
        """
        ep = contact[EP]
        remembered = 0.0
        if ep is not None and self.fr is not None:
            remembered = fr.remembered(self.fr, ep[PEAK], ep[F])
        if count and ep is not None and self.fr is not None:
            slot, tally = contact[SLOT], self.centre.tally
            tally.frustration_sum[slot] += remembered
            tally.frustration_peak_sum[slot] += ep[PEAK]
            tally.frustrated_n[slot] += 1
            tally.frustration_bins[bisect_right(FRUSTRATION_BINS, remembered) - 1][slot] += 1
        if count and outcome == OUTCOME_ANSWERED:
            if self.sat is not None:
                self._rate(contact, remembered)
            elif contact[OUT] == UNRESOLVED and self._customer(contact) >= 0:
                self.base.went_badly(contact[SEAT], self.centre.env.now)
        if self.log is not None:
            self.log.add(contact[ARRIVAL], contact[CH], contact[TIER], wait, handle, outcome, remembered)

    def _rate(self, contact: list, remembered: float) -> None:
        """A served contact's answers (2.6, 2.9): true CSAT, NPS bucket (with the customer's loyalty), effort,
        survey; and the episode's outcomes if it ends here (the issue is not coming back)."""
        ep, p, tally, slot = contact[EP], self.sat, self.centre.tally, contact[SLOT]
        resolved = contact[OUT] == RESOLVED
        failure = contact[ANGRY] > 0.0 or ep[CONTACTS] > 1
        z = outcomes.latent(p, resolved, remembered, bool(ep[APOLOGY]), contact[EPS], failure)
        answer = outcomes.csat(p, z)
        tally.rated[slot] += 1
        tally.csat_sum[slot] += answer
        tally.csat_counts[answer - 1][slot] += 1
        seat = self._customer(contact)
        loyalty = self.base.loyalty_now(seat, self.centre.env.now) if seat >= 0 else 0.0
        bucket = outcomes.recommend_bucket(p, z, loyalty)
        if bucket == outcomes.PROMOTER:
            tally.promoters[slot] += 1
        elif bucket == outcomes.DETRACTOR:
            tally.detractors[slot] += 1
        tally.effort_sum[slot] += ep[CONTACTS] - 1 + ep[TRANSFERS] + (contact[CH] != ep[FIRST_CHANNEL])
        if self.surveys is not None and contact[U_SURVEY] < (
                self.surveys.offer_probability * outcomes.survey_response_probability(self.surveys, answer)):
            tally.surveyed[slot] += 1
            tally.surveyed_csat_sum[slot] += answer
        if contact[OUT] != CONTINUED:
            self._episode_end(contact, z, resolved, answer)

    def _customer(self, contact: list) -> int:
        """The contact's seat in the customer base while its customer still holds it, else -1 (no base, or the
        customer churned: the seat is empty or has been given to someone new)."""
        seat, base = contact[SEAT], self.base
        if base is None or seat < 0 or not base.active[seat] or base.generation[seat] != contact[EP][GENERATION]:
            return -1
        return seat

    def _gave_up(self, contact: list) -> None:
        """A customer who leaves unserved (balked, or abandoned for good) ends the episode unresolved."""
        if self.sat is not None:
            ep = contact[EP]
            remembered = fr.remembered(self.fr, ep[PEAK], ep[F]) if self.fr is not None else 0.0
            z = outcomes.latent(self.sat, False, remembered, False, contact[EPS])
            self._episode_end(contact, z, False, outcomes.csat(self.sat, z))
        elif self._customer(contact) >= 0:
            self.base.went_badly(contact[SEAT], self.centre.env.now)

    def _episode_end(self, contact: list, z: float, resolved: bool, answer: int) -> None:
        """The episode is over (2.7): defection, word of mouth, and the customer's loyalty and memory."""
        tally, slot = self.centre.tally, contact[SLOT]
        tally.episodes[slot] += 1
        p_defect = outcomes.defection_probability(self.defection, z) if self.defection is not None else 0.0
        tally.defection_sum[slot] += p_defect
        if self.wom is not None:
            probability, mean, sign = outcomes.word_of_mouth(self.wom, resolved, answer)
            tally.word_of_mouth_sum[slot] += probability * mean * sign
        seat, base = self._customer(contact), self.base
        if seat < 0:
            return
        now = self.centre.env.now
        if not resolved:
            base.went_badly(seat, now)
        base.rate(seat, z, now)
        if contact[U_DEFECT] < p_defect:
            k = self.centre.k
            tally.revenue_at_risk[k] += base.churn(seat, now)
            tally.churned[k] += 1
            tally.defected[k] += 1

    # --- service ------------------------------------------------------------------------------------------

    def served(self, agent: int, group: Group, contact: list, wait: float, now: float) -> float:
        """Service starts: frustration from the wait, empathy, skill; returns the handle time and sets the outcome."""
        ep = contact[EP]
        self._waited(contact, wait)
        if self.fr is not None and contact[CH] == self.walk_in and contact[LEVEL] >= 1:
            self._overtake(contact)
        roster = self.centre.roster
        exhaustion = 0.0
        if self.exh is not None:
            exhaustion = roster.exhaustion_at(agent, now, self.exh.recovery_time)
            roster.exhaustion[agent] = exhaustion
        if self.fr is not None and contact[SEG] == 0:  # once per contact, not again after a transfer
            empathy = agent_rules.empathy(self.exh, group.empathy, exhaustion) if self.exh else group.empathy
            if contact[U_EMP] < empathy:
                ep[F] = fr.eased(self.fr, ep[F])
                ep[APOLOGY] = 1
        frustration = ep[F]
        contact[FSTART] = frustration
        proficiency = group.skills[self.skill_of[contact[ISSUE]]]
        handle = contact[HANDLE] * (2.0 - proficiency)
        if self.learn is not None:
            new = agent_rules.newness(self.learn, roster.tenure[agent] + now)
            skill = agent_rules.skill_at(self.learn, group.skill_ceiling, new) * proficiency
            handle *= service.learning_factor_at(self.learn, new)
        else:
            skill = self.skill_off * proficiency
        if self.hte is not None:
            handle *= service.frustration_factor(self.hte, frustration)
        if self.exh is not None:
            handle *= service.exhaustion_factor(self.exh, exhaustion)
        cut = 0.0
        if self.pressure is not None:
            handle, cut = service.pressured(self.pressure, handle)
        contact[OUT] = self._outcome(contact, skill, frustration, exhaustion, cut)
        return handle

    def _outcome(self, contact: list, skill: float, frustration: float, exhaustion: float, cut: float) -> int:
        p = self.res
        if p is None:
            return RESOLVED
        if contact[EP][TRANSFERS] < p.max_transfers and contact[U_XFER] < service.transfer_probability(p, skill):
            return TRANSFER
        chance = service.resolution_probability(p, skill, self.resolution_factor[contact[ISSUE]], frustration, exhaustion)
        if self.pressure is not None:
            chance *= 1.0 - self.pressure.resolution_penalty * cut
        return RESOLVED if contact[U_RES] < chance else UNRESOLVED

    def _overtake(self, served: list) -> None:
        """Walk-ins of lower priority who arrived earlier and see this customer served first get annoyed."""
        for q, (channel, _, level) in enumerate(self.centre.queues.keys):
            if channel == "walk_in" and level > served[LEVEL]:
                for waiting in self.centre.queues.queues[q]:
                    if waiting[ST] == WAITING and waiting[ARRIVAL] < served[ARRIVAL]:
                        ep = waiting[EP]
                        ep[F] = fr.raised(ep[F], self.fr.overtaking)
                        ep[PEAK] = max(ep[PEAK], ep[F])

    def done(self, agent: int, group: Group, contact: list, now: float) -> bool:
        """Service ends: the agent tires; the contact is to be transferred (True), or ends resolved or not."""
        if self.exh is not None:
            roster = self.centre.roster
            roster.exhaustion[agent] = agent_rules.after_contact(
                self.exh, roster.exhaustion[agent], contact[FSTART], group.resilience, self.hostility[contact[TIER]])
        outcome, ep, tally = contact[OUT], contact[EP], self.centre.tally
        if outcome == TRANSFER and contact[CH] != self.email and not self.centre.is_open[self.names[contact[CH]]]:
            contact[OUT] = outcome = UNRESOLVED  # after closing there is nobody to transfer to: call back tomorrow
        if outcome == TRANSFER:
            ep[TRANSFERS] += 1
            if contact[SEG] == 0:  # the transfer rate counts contacts transferred at least once (SQM's 19%)
                tally.transfers[contact[SLOT]] += 1
            if self.fr is not None:
                cold = contact[U_AUX] < self.res.cold_transfer_share
                ep[F] = fr.raised(ep[F], fr.transfer_increment(self.fr, ep[TRANSFERS], cold))
                ep[PEAK] = max(ep[PEAK], ep[F])
            self._refresh(contact)
            contact[SEG] += 1
            contact[LEVEL] = 0
            contact[QAT] = now  # its next wait starts now; the centre places it once the agent has moved on
            return True
        if self.res is not None:
            tally.finished[contact[SLOT]] += 1  # fcr = resolved / finished: only where resolution is modelled
        if outcome == RESOLVED and self.res is not None:
            tally.resolved[contact[SLOT]] += 1
        elif self.res is not None and ep[CONTACTS] < self.res.max_contacts \
                and contact[U_NEXT] < self.res.repeat_probability:
            channel = self.names[contact[CH]]
            if len(self.names) > 1 and contact[U_AUX] >= self.res.repeat_same_channel:
                others = [c for c in self.names if c != channel]
                scaled = (contact[U_AUX] - self.res.repeat_same_channel) / (1.0 - self.res.repeat_same_channel)
                channel = others[min(int(scaled * len(others)), len(others) - 1)]
            self._follow_up(contact, channel, REPEAT, self._delay("repeat", self.res.repeat_delay))
            contact[OUT] = CONTINUED  # (a repeat due after the run leaves the episode open at the end)
        return False

    # --- follow-up contacts -------------------------------------------------------------------------------

    def _delay(self, name: str, dist) -> float:
        buffer = self._delays.setdefault(name, [])
        if not buffer:
            buffer.extend(reversed(self._followups.delays(name, dist)))
        return buffer.pop()

    def _refresh(self, contact: list) -> None:
        """A new handle time and new uniforms for the next segment of a transferred contact."""
        fresh = self._followups.next(self.names[contact[CH]])
        contact[HANDLE] = fresh[6] * self._issue_scale(fresh[2], contact[ISSUE])
        contact[ACW] = fresh[7]
        contact[U_RES:U_AUX + 1] = fresh[9:14]

    def _issue_scale(self, drawn_issue: int, issue: int) -> float:
        factors = self._followups.handle_factors
        return factors[issue] / factors[drawn_issue]

    def _follow_up(self, contact: list, channel: str, kind: int, delay: float) -> None:
        """Schedule the same customer's next contact on ``channel`` (same episode, tier and issue)."""
        at = self.centre.next_open(channel, self.centre.env.now + delay) if channel != "email" else \
            self.centre.env.now + delay
        if at >= self.horizon:
            return
        delay = at - self.centre.env.now
        ep = contact[EP]
        c = self.names.index(channel)
        d = self._followups.next(channel)  # channel, tier, issue, level, patience, tolerance, handle, acw, angry, u x 5
        tier, issue = contact[TIER], contact[ISSUE]
        patience = d[4] * self.patience_factor[tier] / self.patience_factor[d[1]]
        if kind == REDIAL:
            patience *= self.redial.patience_factor
        tolerance = d[5] * self._followups.tolerance_factors[tier] / self._followups.tolerance_factors[d[1]]
        follow = [WAITING, c, tier, issue, self._followups.levels[tier] + 1, at, 0, d[6]
                  * self._issue_scale(d[2], issue), d[7], patience, tolerance, 0.0, *d[9:17], contact[SEAT], at, 0, ep, 0,
                  0.0, 0.0, 0.0]
        self.centre.env.timeout(delay, (follow, kind)).callbacks.append(self._on_follow_up)

    def _on_follow_up(self, event) -> None:
        (contact, kind), centre = event.value, self.centre
        if self.base is not None and contact[SEAT] >= 0 and self._customer(contact) < 0:
            return  # the customer churned in the meantime and does not come back
        now = centre.env.now
        ep, f = contact[EP], self.fr
        ep[CONTACTS] += 1  # the customer is back: one more contact, and more frustrated (not before they come)
        if f is not None:
            bump = f.redial if kind == REDIAL else f.repeat_contact
            if contact[CH] != ep[FIRST_CHANNEL]:
                bump += f.channel_switch
            ep[F] = fr.raised(ep[F], bump)
            ep[PEAK] = max(ep[PEAK], ep[F])
        contact[SLOT] = centre.k * centre.layout.size + centre.layout.base(contact[CH], contact[TIER], contact[ISSUE])
        contact[ARRIVAL] = contact[QAT] = now
        tally, slot = centre.tally, contact[SLOT]
        tally.offered[slot] += 1
        if kind == REDIAL:
            tally.redials[slot] += 1
        else:
            tally.repeats[slot] += 1
            if kind == CHASER:
                tally.chasers[slot] += 1
        if contact[CH] != contact[EP][FIRST_CHANNEL]:
            tally.switches[slot] += 1
        centre.arrive(contact, now)

    # --- agents -------------------------------------------------------------------------------------------

    def off_shift(self, agent: int, now: float, idle: bool) -> None:
        """An agent leaves the floor, keeping the recovery of its idle time so far."""
        roster = self.centre.roster
        if self.exh is not None and idle:
            roster.exhaustion[agent] = roster.exhaustion_at(agent, now, self.exh.recovery_time)
        roster.leave(agent, now)

    def group_exhaustion(self, group: Group, now: float) -> float:
        """Summed exhaustion of the group's agents on the floor at ``now`` (idle ones recovered so far)."""
        if self.exh is None:
            return 0.0
        roster, tau = self.centre.roster, self.exh.recovery_time
        off, idle = set(group.off), set(group.idle)
        return sum(roster.exhaustion_at(a, now, tau) if a in idle else roster.exhaustion[a]
                   for a in group.members if a not in off and not roster.gone[a])
