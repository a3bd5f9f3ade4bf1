"""Contacts the journey creates: a caller who redials, an unresolved customer who comes back (on the same
channel or another), an email customer who chases by phone; and the fresh draws of a transferred contact.

A follow-up is the same customer with the same episode, tier and issue; its other attributes come from the
``followup`` streams (``demand.FollowUps``), scaled to the customer's tier and issue.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.behaviour import service, waiting
from sim.config.schema import Redial, Scenario
from sim.config.traits import TRAITS
from sim.model.clock import call_in
from sim.model.contact import CHASER, REDIAL, Contact
from sim.model.demand import FollowUps


def _redial(scenario: Scenario, channels: list[str]) -> Redial | None:
    """The redial settings of the channel whose callers redial (its ``redials`` trait), if it is configured."""
    settings = [getattr(getattr(scenario.channels, c), "redial", None) for c in channels if TRAITS[c].redials]
    assert len(settings) <= 1, "one channel's callers redial: a second needs its own settings in the journey"
    return settings[0] if settings else None


class FollowUpScheduler:
    """Schedules follow-up contacts on the centre's clock; ``arrive(contact, kind)`` receives them when due."""

    def __init__(self, scenario: Scenario, channels: list[str], draws: FollowUps, env,
                 next_open: Callable[[str, float], float], arrive: Callable[[Contact, int], None]) -> None:
        self.channels, self.draws, self.env = channels, draws, env
        self.next_open, self.arrive = next_open, arrive
        self.horizon = scenario.horizon
        b = scenario.behaviour
        self.redial = _redial(scenario, channels) if b.enabled else None
        self.res = b.resolution if b.on("resolution") else None
        self.patience_factor = [t.patience_factor for t in scenario.customers.tiers.values()]
        self._delays: dict[str, list[float]] = {}

    def delay(self, name: str, dist) -> float:
        """The next delay of kind ``name`` (redial, repeat), from its own stream in blocks."""
        buffer = self._delays.setdefault(name, [])
        if not buffer:
            buffer.extend(reversed(self.draws.delays(name, dist)))
        return buffer.pop()

    def redial_delay(self) -> float:
        assert self.redial is not None, "only a redialling channel's callers redial, where redial is configured"
        return self.delay("redial", self.redial.delay)

    def repeat_channel(self, contact: Contact) -> str:
        """Where an unresolved customer comes back: the same channel, or (``u_aux``) one of the others."""
        assert self.res is not None, "only resolution brings customers back"
        channel, names, same = self.channels[contact.channel], self.channels, self.res.repeat_same_channel
        if len(names) > 1 and contact.u_aux >= same:
            others = [c for c in names if c != channel]
            scaled = (contact.u_aux - same) / (1.0 - same)
            channel = others[min(int(scaled * len(others)), len(others) - 1)]
        return channel

    def schedule(self, contact: Contact, channel: str, kind: int, delay: float) -> bool:
        """The same customer's next contact on ``channel`` after ``delay`` (at opening if it is then closed).

        False if it would come after the horizon: nothing is scheduled and the episode stays open, unscored,
        like one still in the centre (censoring, docs/model.md §15.3: the warm-up balances it in steady state).
        """
        now = self.env.now
        at = now + delay if TRAITS[channel].backlog else self.next_open(channel, now + delay)
        if at >= self.horizon:
            return False
        d = self.draws.next(channel)
        tier, issue = contact.tier, contact.issue
        # (a caller told to call back at closing redials without redial settings: no redial factor)
        redial = self.redial.patience_factor if kind == REDIAL and self.redial is not None else None
        patience = waiting.follow_up_patience(d.patience, self.patience_factor[tier], self.patience_factor[d.tier],
                                              redial)
        factors = self.draws.tolerance_factors
        tolerance = waiting.to_tier(d.tolerance, factors[tier], factors[d.tier])
        follow = Contact(self.channels.index(channel), tier, issue, self.draws.levels[tier] + 1, at, 0,
                         self._handle(d.handle, d.issue, issue), d.acw, patience, tolerance, 0.0,
                         d.u_resolve, d.u_transfer, d.u_empathy, d.u_next, d.u_aux, d.noise, d.u_survey, d.u_defect,
                         contact.seat, at, kind, contact.episode)
        call_in(self.env, at - now, follow, self._due)
        return True

    def chase(self, email: Contact) -> None:
        """An email customer with no reply phones in now."""
        target = TRAITS[self.channels[email.channel]].chased_on
        assert target is not None, "only a channel with a chaser channel is chased"
        self.schedule(email, target, CHASER, 0.0)

    def _due(self, event) -> None:
        follow: Contact = event.value
        self.arrive(follow, follow.kind)

    def refresh(self, contact: Contact) -> None:
        """A new handle time and new uniforms for the next segment of a transferred contact."""
        fresh = self.draws.next(self.channels[contact.channel])
        contact.handle = self._handle(fresh.handle, fresh.issue, contact.issue)
        contact.acw = fresh.acw
        contact.u_resolve, contact.u_transfer, contact.u_empathy = fresh.u_resolve, fresh.u_transfer, fresh.u_empathy
        contact.u_next, contact.u_aux = fresh.u_next, fresh.u_aux

    def _handle(self, drawn: float, drawn_issue: int, issue: int) -> float:
        """A handle time ``drawn`` for an issue ``drawn_issue``, rescaled to the contact's ``issue``."""
        factors = self.draws.handle_factors
        return service.rescaled_handle(drawn, factors[issue], factors[drawn_issue])
