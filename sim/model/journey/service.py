"""The agent's side of a contact: how long it takes (skill, tenure, frustration, exhaustion, pressure), whether
it is resolved, transferred or comes back, and what it does to the agent's exhaustion."""

from __future__ import annotations

from sim.behaviour import agents as agent_rules
from sim.behaviour import empathy as empathy_rules
from sim.behaviour import satisfaction as outcomes
from sim.behaviour import service as rules
from sim.behaviour import training as training_rules
from sim.config.schema import Scenario
from sim.model.agents import Group, Roster
from sim.model.contact import RESOLVED, TRANSFER, UNRESOLVED, Contact


class ServiceSide:
    """Handle time and outcome at service start; the agent's exhaustion at service end."""

    def __init__(self, scenario: Scenario, roster: Roster) -> None:
        b = scenario.behaviour
        self.roster = roster
        self.res = b.resolution if b.on("resolution") else None
        self.learn = b.learning if b.on("learning") else None
        self.exh = b.exhaustion if b.on("exhaustion") else None
        self.hte = b.handle_time if b.on("handle_time") else None
        self.pressure = b.pressure if b.on("pressure") else None
        self.empathy_on = b.on("frustration")  # empathy eases frustration; without it, it does nothing
        self.empathy_costs = b.empathy if b.on("empathy") else None  # time and emotional labour
        self.training = b.training if b.on("training") else None  # training as delivered (ramp, transfer, decay)
        self.learning = b.learning  # skill, empathy and resilience from training (also with learning off: section 7)
        self.rested = b.exhaustion.between_shifts if self.exh else 1.0
        self.skill_off = b.learning.skill_base  # skill of every agent when learning is off
        issues = list(scenario.customers.issues.values())
        self.resolution_factor = [i.resolution_factor for i in issues]
        self.skill_of = [i.skill for i in issues]
        tiers = list(scenario.customers.tiers.values())
        self.hostility = [t.hostility_weight for t in tiers]
        self._trains = [self._carries_stock(g) for g in roster.groups]  # per group index (asked per contact)

    def exhaustion(self, agent: int, now: float) -> float:
        """The agent's exhaustion at service start (recovered while idle), kept as its new value."""
        if self.exh is None:
            return 0.0
        roster = self.roster
        value = roster.exhaustion_at(agent, now, self.exh)
        roster.exhaustion[agent] = value
        return value

    def _carries_stock(self, group: Group) -> bool:
        """Whether the group's agents carry their own training stock (else the group's constants apply)."""
        return self.training is not None and (group.hours > 0.0 or self.training.established > 0.0
                                              or group.delivery is not None)

    def update_training(self, agent: int, group: Group, now: float) -> None:
        """The agent's retained training hours now (ramping up while delivered, decaying without), kept."""
        if self._trains[group.index]:
            p, roster = self.training, self.roster
            assert p is not None, "only a group that trains reaches here"
            staff = roster.trained_from[agent] == 0.0  # hires start untrained
            if group.delivery is not None:  # a course or coaching (sections 6.1, 6.2)
                roster.stock[agent] = group.delivery.stock(roster.trained_from[agent], staff, now)
                return
            start = training_rules.steady(p, p.established) if staff else 0.0
            roster.stock[agent] = training_rules.stock(p, group.delivered, now - roster.trained_from[agent], start)

    def _ceiling(self, agent: int, group: Group) -> float:
        if self._trains[group.index]:
            return agent_rules.skill_ceiling(self.learning, self.roster.stock[agent])
        return group.skill_ceiling

    def _own_empathy(self, agent: int, group: Group) -> float:
        if self._trains[group.index]:
            return agent_rules.empathy_base(self.learning, self.roster.stock[agent])
        return group.natural_empathy

    def _resilience(self, agent: int, group: Group) -> float:
        if self._trains[group.index]:
            return agent_rules.resilience(self.learning, self.roster.stock[agent])
        return group.resilience

    def shows_empathy(self, group: Group, contact: Contact, exhaustion: float, agent: int) -> bool:
        """Whether the agent is empathetic with this customer (once per contact, not again after a transfer);
        with the empathy costs on, whether it is the agent's own or surface acted (``contact.shown``)."""
        if not self.empathy_on or contact.segment:
            return False
        own = self._own_empathy(agent, group)
        displayed = group.empathy if group.spec.empathy is not None else own  # a decree, or the agent's own
        if self.exh:
            displayed = agent_rules.empathy(self.exh, displayed, exhaustion)
            own = agent_rules.empathy(self.exh, own, exhaustion)
        if self.empathy_costs is None:
            return contact.u_empathy < displayed
        natural = own
        contact.shown = empathy_rules.shown(contact.u_empathy, displayed, natural)
        return contact.shown != empathy_rules.NONE

    def empathy_effect(self, contact: Contact) -> float:
        """How much of empathy's easing and apology this contact's response delivers (1 without the costs)."""
        return 1.0 if self.empathy_costs is None else empathy_rules.effect(self.empathy_costs, contact.shown)

    def handle_time(self, agent: int, group: Group, contact: Contact, exhaustion: float, now: float) -> float:
        """Handle time of this segment; sets the contact's result (resolved, unresolved or to be transferred)."""
        frustration = contact.f_start
        proficiency = group.skills[self.skill_of[contact.issue]]
        handle = contact.handle * rules.proficiency_factor(proficiency)
        if self.learn is not None:
            new = agent_rules.newness(self.learn, self.roster.tenure[agent] + now)
            skill = agent_rules.skill_at(self.learn, self._ceiling(agent, group), new) * proficiency
            handle *= rules.learning_factor_at(self.learn, new)
        else:
            skill = self.skill_off * proficiency
        if self.hte is not None:
            handle *= rules.frustration_factor(self.hte, frustration)
        if self.exh is not None:
            handle *= rules.exhaustion_factor(self.exh, exhaustion)
        if contact.shown and not contact.segment and self.empathy_costs is not None:  # listening, apologising
            ep = contact.episode
            failure = outcomes.service_failure(contact.anger, ep.contacts if ep is not None else 1)
            handle += empathy_rules.extra_time(self.empathy_costs, failure)
        if self.pressure is not None:
            return self._pressured(contact, handle, skill, frustration, exhaustion)
        contact.result = self._result(contact, skill, frustration, exhaustion, 0.0)
        return handle

    def _pressured(self, contact: Contact, handle: float, skill: float, frustration: float,
                   exhaustion: float) -> float:
        """Handle time under a target: cut short, or, under strong pressure, got rid of (section 9)."""
        p, res = self.pressure, self.res
        assert p is not None
        choice = rules.KEEP
        episode = contact.episode
        may_transfer = res is not None and episode is not None and episode.transfers < res.max_transfers
        if res is not None:
            chance = rules.transfer_probability(res, skill) if may_transfer else 0.0
            choice = rules.dump_choice(p, handle, contact.u_transfer, chance)
        if choice == rules.KEEP:
            handle, contact.cut = rules.pressured(p, handle)
            contact.result = self._result(contact, skill, frustration, exhaustion, contact.cut)
        else:
            handle, contact.cut = rules.dumped(p, handle)
            contact.result = TRANSFER if choice == rules.PASS_ON and may_transfer else UNRESOLVED
        return handle

    def _result(self, contact: Contact, skill: float, frustration: float, exhaustion: float, cut: float) -> int:
        p = self.res
        if p is None:
            return RESOLVED
        ep = contact.episode
        assert ep is not None, "every contact has its episode from arrival (started)"
        if ep.transfers < p.max_transfers and contact.u_transfer < rules.transfer_probability(p, skill):
            return TRANSFER
        chance = rules.resolution_probability(p, skill, self.resolution_factor[contact.issue], frustration, exhaustion)
        if self.pressure is not None:
            chance *= rules.pressure_resolution_factor(self.pressure, cut)
        return RESOLVED if contact.u_resolve < chance else UNRESOLVED

    def rushed(self, contact: Contact) -> float:
        """How much frustration the cut of this service adds (under a handle-time target)."""
        return rules.rushed_increment(self.pressure, contact.cut) if self.pressure is not None else 0.0

    def tired(self, agent: int, group: Group, contact: Contact) -> None:
        """After the contact the agent is more exhausted, the more so the angrier the customer was."""
        if self.exh is not None:
            roster = self.roster
            resilience = self._resilience(agent, group)
            value = agent_rules.after_contact(
                self.exh, roster.exhaustion[agent], contact.f_start, resilience, self.hostility[contact.tier])
            if self.pressure is not None:  # working against the clock wears too
                value = min(1.0, value + rules.pressure_strain(self.pressure, contact.cut, resilience))
            if contact.shown == empathy_rules.SURFACE and self.empathy_costs is not None and not contact.segment:
                value = min(1.0, value + empathy_rules.labour(self.empathy_costs, contact.shown))  # emotional labour
            roster.exhaustion[agent] = value

    def comes_back(self, contact: Contact) -> bool:
        """An unresolved customer comes back (a repeat contact) unless they have tried too often."""
        p, ep = self.res, contact.episode
        assert ep is not None, "every contact has its episode from arrival (started)"
        return p is not None and ep.contacts < p.max_contacts and contact.u_next < p.repeat_probability

    def off_shift(self, agent: int, now: float, idle: bool) -> None:
        """An agent leaves the floor, keeping the recovery of its idle time so far."""
        roster = self.roster
        if self.exh is not None and idle:
            roster.exhaustion[agent] = roster.exhaustion_at(agent, now, self.exh)
        roster.leave(agent, now)

    def group_exhaustion(self, group: Group, now: float) -> float:
        """Summed exhaustion of the group's agents on the floor at ``now`` (idle ones recovered so far)."""
        if self.exh is None:
            return 0.0
        roster, p = self.roster, self.exh
        off, idle = set(group.off), set(group.idle)
        return sum(roster.exhaustion_at(a, now, p) if a in idle else roster.exhaustion[a]
                   for a in group.members if a not in off and not roster.gone[a])
