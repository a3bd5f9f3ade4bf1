"""The people on the floor: agent groups, who is on shift and idle, and each agent's skill and exhaustion.

Agents are persistent: when a group's headcount rises, agents who have been off
shift longest come back (exhaustion halved overnight); new agents are hired only
when nobody is off. Per-agent state lives in parallel lists indexed by agent id.
"""

from __future__ import annotations

import math
from collections import deque

from sim.behaviour import agents as rules
from sim.config.schema import Scenario
from sim.rng import Streams


def floor_plan(scenario: Scenario, name: str) -> list[int]:
    """Agents of group ``name`` on the floor per interval: the plan minus training time, spread exactly.

    Training takes ``training_hours / paid_hours_per_year`` of paid time off the floor; the
    agent-time off is accumulated and taken in whole agents (error diffusion), so the total
    matches to within one agent-interval whatever the headcount.
    """
    group = scenario.agents[name]
    plan = group.plan(scenario.n_intervals, scenario.intervals_per_day)
    share = min(1.0, group.training_hours / group.paid_hours_per_year)
    if share == 0.0:
        return plan
    owed, taken, floor = 0.0, 0, []
    for headcount in plan:
        owed += headcount * share
        off = min(headcount, math.floor(owed + 1e-9) - taken)
        taken += off
        floor.append(headcount - off)
    return floor


class Group:
    """One agent group: its channels, proficiencies and trained traits; idle agents longest-idle first."""

    def __init__(self, index: int, name: str, scenario: Scenario) -> None:
        spec = scenario.agents[name]
        learning = scenario.behaviour.learning
        self.index, self.name, self.spec = index, name, spec
        self.channels = set(spec.channels)
        self.skills = dict(spec.skills)
        self.hours = spec.training_hours
        self.empathy = spec.empathy if spec.empathy is not None else rules.empathy_base(learning, self.hours)
        self.resilience = rules.resilience(learning, self.hours)
        self.skill_ceiling = rules.skill_ceiling(learning, self.hours)
        self.plan = floor_plan(scenario, name)
        self.idle: deque[int] = deque()  # longest idle on the left
        self.off: deque[int] = deque()  # off shift, longest off on the left
        self.members: list[int] = []  # every agent ever on this group's floor
        self.leaving = 0  # busy agents whose shift ended: they go when their contact ends


class Roster:
    """All agents of all groups, and the per-agent state the behaviour model needs."""

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        self.groups = [Group(i, name, scenario) for i, name in enumerate(scenario.agents)]
        self._streams = streams
        self.group: list[int] = []  # agent -> group index
        self.tenure: list[float] = []  # seconds in the job at time 0
        self.exhaustion: list[float] = []
        self.idle_since: list[float] = []

    def hire(self, group: Group, now: float) -> int:
        """A new agent for ``group`` with a tenure drawn from the group's distribution."""
        agent = len(self.group)
        tenure = float(group.spec.tenure.sample(self._streams[f"agents.{group.name}.tenure"], 1)[0])
        self.group.append(group.index)
        group.members.append(agent)
        self.tenure.append(tenure)
        self.exhaustion.append(0.0)
        self.idle_since.append(now)
        return agent

    def on_shift(self, group: Group, now: float, rested: float) -> int:
        """An agent starting a shift: the one off longest, or a new hire; exhaustion x ``rested``."""
        if group.off:
            agent = group.off.popleft()
            self.exhaustion[agent] *= rested
        else:
            agent = self.hire(group, now)
        self.idle_since[agent] = now
        return agent

    def exhaustion_at(self, agent: int, now: float, recovery_time: float) -> float:
        """An idle agent's exhaustion at ``now`` (recovery since going idle), without changing it."""
        return self.exhaustion[agent] * math.exp(-(now - self.idle_since[agent]) / recovery_time)

    def leave(self, agent: int) -> None:
        """``agent`` goes off shift; it comes back before anyone new is hired."""
        self.groups[self.group[agent]].off.append(agent)
