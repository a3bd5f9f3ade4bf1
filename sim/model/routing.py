"""Skills-based routing: named policies deciding which idle agent takes a contact and which contact a freed agent takes.

Queues are one FIFO per (channel, skill, level); level 0 holds transferred contacts,
then one level per tier priority. A policy is a class with ``group_for`` and
``next_contact`` (usually by overriding ``sort_groups`` or ``rank``); add one to ``POLICIES`` (and to
``ROUTING_POLICIES`` in the schema) to plug it in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from sim.config.schema import ROUTING_POLICIES, Scenario
from sim.config.traits import TRAITS
from sim.model.agents import Group, Roster
from sim.model.contact import WAITING, Contact


class Queues:
    """All queues, indexed; ``key(channel, skill, level)`` -> index."""

    def __init__(self, channels: list[str], skills: list[str], n_levels: int) -> None:
        self.channels = channels
        self.keys = [(c, s, v) for c in channels for s in skills for v in range(n_levels)]
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.queues: list[deque] = [deque() for _ in self.keys]

    def head(self, q: int) -> Contact | None:
        """The first contact still waiting in queue ``q`` (dropping those who left)."""
        queue = self.queues[q]
        while queue:
            if queue[0].state == WAITING:
                return queue[0]
            queue.popleft()
        return None


class LongestIdle:
    """The agent idle longest takes an arriving contact; a freed agent takes live contacts before email,
    then the highest tier, then the one waiting longest."""

    def __init__(self, scenario: Scenario, roster: Roster, queues: Queues) -> None:
        self.roster, self.queues = roster, queues
        self.live_first = scenario.routing.live_first
        self.order = scenario.routing.channel_order
        self.candidates: dict[tuple[str, str], list[Group]] = {}
        for channel, skill, _ in queues.keys:
            groups = [g for g in roster.groups if channel in g.channels and skill in g.skills]
            self.candidates[(channel, skill)] = self.sort_groups(groups, skill)
        self.buckets = {g.index: self._buckets(g) for g in roster.groups}
        self.held = {c: False for c in queues.channels}  # closed, but those waiting are served (closing rule)
        self.rising = self._rising(scenario, queues)  # per group: written queues whose old contacts go first
        self.now: Callable[[], float] = lambda: 0.0  # the centre's clock (set by the centre when ``rising``)

    def sort_groups(self, groups: list[Group], skill: str) -> list[Group]:
        return groups

    def _rising(self, scenario: Scenario, queues: Queues) -> dict[int, list[tuple[int, float]]]:
        """Per group, its written channels' queues with the wait after which their contacts rise above live work
        (an email policy's ``rise_at`` x the response target); empty without one."""
        out: dict[int, list[tuple[int, float]]] = {}
        for group in self.roster.groups:
            for q, (channel, skill, _) in enumerate(queues.keys):
                policy = getattr(getattr(scenario.channels, channel), "policy", None)
                if policy is not None and policy.rise_at is not None and channel in group.channels \
                        and skill in group.skills:
                    spec = getattr(scenario.channels, channel)
                    out.setdefault(group.index, []).append((q, policy.rise_at * spec.response_target))
        return out

    def _urgent(self, group: Group, is_open: dict[str, bool]) -> Contact | None:
        """The longest-waiting written contact of ``group``'s queues that has waited past its rise, taken off its
        queue; None if there is none."""
        now, head, keys = self.now(), self.queues.head, self.queues.keys
        best, best_q = None, -1
        for q, rise in self.rising[group.index]:
            contact = head(q)
            if contact is not None and is_open[keys[q][0]] and now - contact.queued_at >= rise \
                    and (best is None or contact.queued_at < best.queued_at):
                best, best_q = contact, q
        if best is not None:
            self.queues.queues[best_q].popleft()
        return best

    def rank(self, channel: str, level: int) -> tuple:
        """Sort key of a queue for a freed agent: lower is served first."""
        return (self.live_first and not TRAITS[channel].live, level)

    def _buckets(self, group: Group) -> list[list[int]]:
        """The group's queues, grouped by rank; within a bucket the longest-waiting head wins."""
        ranked: dict[tuple, list[int]] = {}
        for q, (channel, skill, level) in enumerate(self.queues.keys):
            if channel in group.channels and skill in group.skills:
                ranked.setdefault(self.rank(channel, level), []).append(q)
        return [ranked[k] for k in sorted(ranked)]

    def group_for(self, candidates: list[Group]) -> Group | None:
        """Of the ``candidates`` for a contact, the group whose agent should take it; None if nobody is idle."""
        if len(candidates) == 1:
            return candidates[0] if candidates[0].idle else None
        best, since = None, None
        idle_since = self.roster.idle_since
        for group in candidates:
            if group.idle and (since is None or idle_since[group.idle[0]] < since):
                best, since = group, idle_since[group.idle[0]]
        return best

    def next_contact(self, group: Group, is_open: dict[str, bool], after_closing: bool = False) -> Contact | None:
        """The contact a freed agent of ``group`` takes, removed from its queue; None if nobody waits.

        ``after_closing``: the agent's shift has ended; it only serves those a closed channel still holds:
        walk-ins inside the counter, and callers on hold after a transfer (they have no patience clock).
        """
        head, keys = self.queues.head, self.queues.keys
        if not after_closing and group.index in self.rising:
            urgent = self._urgent(group, is_open)
            if urgent is not None:
                return urgent
        for bucket in self.buckets[group.index]:
            best, best_q = None, -1
            for q in bucket:
                if after_closing and not self._held_after_closing(keys[q], is_open):
                    continue
                contact = head(q)
                if contact is not None and (best is None or contact.queued_at < best.queued_at) \
                        and (after_closing or is_open[keys[q][0]] or self.held[keys[q][0]]):
                    best, best_q = contact, q
            if best is not None:
                self.queues.queues[best_q].popleft()
                return best
        return None

    def _held_after_closing(self, key: tuple[str, str, int], is_open: dict[str, bool]) -> bool:
        """Still served after closing: those a counter holds, live customers on hold after a transfer, and those
        a closing rule holds (callers on hold at closing, when they are to be served)."""
        channel, _, level = key
        traits = TRAITS[channel]
        return not is_open[channel] and (traits.held_after_closing or self.held[channel]
                                         or (level == 0 and traits.live))


class MostProficient(LongestIdle):
    """An arriving contact goes to the group most proficient in its skill (longest idle within it)."""

    def sort_groups(self, groups: list[Group], skill: str) -> list[Group]:
        return sorted(groups, key=lambda g: -g.skills[skill])

    def group_for(self, candidates: list[Group]) -> Group | None:
        for group in candidates:
            if group.idle:
                return group
        return None


class PriorityOrder(LongestIdle):
    """A freed agent serves channels strictly in ``routing.channel_order``, then tiers by priority."""

    def rank(self, channel: str, level: int) -> tuple:
        order = self.order
        return (order.index(channel) if channel in order else len(order), level)


POLICIES = {"longest_idle": LongestIdle, "most_proficient": MostProficient, "priority_order": PriorityOrder}
assert tuple(POLICIES) == ROUTING_POLICIES
