"""The people on the floor: agent groups, who is on shift and idle, each agent's skill and exhaustion, and
who quits and who replaces them.

Agents are persistent: when a group's headcount rises, agents who have been off
shift longest come back (exhaustion halved overnight); new agents are hired only
when nobody is off. A group has as many positions as its largest scheduled headcount;
with attrition on, a leaver's position stays vacant, then its new hire trains off the
floor, and the floor is short whenever the schedule needs more people than are
available. Per-agent state lives in parallel lists indexed by agent id.
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING

from sim.behaviour import agents as rules
from sim.behaviour import training as training_rules
from sim.config.behaviour import Exhaustion
from sim.config.schema import DAY, Scenario
from sim.model import development
from sim.rng import Streams

if TYPE_CHECKING:
    from sim.model.lines import Crew


def floor_plan(scenario: Scenario, name: str) -> list[int]:
    """Agents of group ``name`` on the floor per interval: the plan minus training time, spread exactly.

    Training takes ``training_hours / paid_hours_per_year`` of paid time off the floor; the
    agent-time off is accumulated and taken in whole agents (error diffusion), so the total
    matches to within one agent-interval whatever the headcount.
    """
    if development.course_on(scenario) or development.coaching_on(scenario):  # sections 6.1 (course) and 6.2
        return development.floor(scenario, name, training_delivery(scenario))
    group = scenario.agents[name]
    plan = group.plan(scenario.n_intervals, scenario.intervals_per_day)
    share = min(1.0, group.training_hours / group.paid_hours_per_year) * training_delivery(scenario)
    if share == 0.0 or group.lines is not None:  # shift lines are worked as written (schedule training in them)
        return plan
    owed, taken, floor = 0.0, 0, []
    for headcount in plan:
        owed += headcount * share
        off = min(headcount, math.floor(owed + 1e-9) - taken)
        taken += off
        floor.append(headcount - off)
    return floor


def training_delivery(scenario: Scenario) -> float:
    """Share of the training hours asked for that trainers deliver (``behaviour.training.capacity_per_week``):
    the trainee-hours a week all groups' plans ask for, against the capacity; 1 without a cap."""
    b = scenario.behaviour
    if not b.on("training") or b.training.capacity_per_week is None:
        return 1.0
    if b.training.course is not None:  # what the course asks for while it runs
        return training_rules.delivery_factor(b.training, development.course_trainee_hours_a_week(scenario))
    weeks = scenario.horizon / (7 * DAY)
    wanted = sum(sum(spec.plan(scenario.n_intervals, scenario.intervals_per_day)) * scenario.interval / 3600.0
                 * min(1.0, spec.training_hours / spec.paid_hours_per_year) for spec in scenario.agents.values())
    return training_rules.delivery_factor(b.training, wanted / weeks)


class Group:
    """One agent group: its channels, proficiencies and trained traits; idle agents longest-idle first."""

    def __init__(self, index: int, name: str, scenario: Scenario) -> None:
        spec = scenario.agents[name]
        learning = scenario.behaviour.learning
        self.index, self.name, self.spec = index, name, spec
        self.channels = set(spec.channels)
        self.skills = dict(spec.skills)
        self.hours = spec.training_hours + development.full_strength(scenario)  # coaching too with training off
        self.delivered = spec.training_hours * training_delivery(scenario)  # hours a year trainers deliver
        self.delivery = development.delivery(scenario, name, training_delivery(scenario))  # a course, coaching
        self.coached = development.coached(scenario, name)  # agents in a coaching session per interval
        self.natural_empathy = rules.empathy_base(learning, self.hours)  # the agents' own (deep acting)
        self.empathy = spec.empathy if spec.empathy is not None else self.natural_empathy  # what they display
        self.resilience = rules.resilience(learning, self.hours)
        self.skill_ceiling = rules.skill_ceiling(learning, self.hours)
        self.plan = floor_plan(scenario, name)
        self.scheduled = spec.plan(scenario.n_intervals, scenario.intervals_per_day)  # before training time off
        self.positions = max(self.scheduled)
        self.vacant = 0  # positions whose holder left and which are not filled yet
        self.inducting = 0  # positions filled by a hire still in training
        self.ready: deque[float] = deque()  # when each inducting hire starts on the floor
        self.openings: deque[float] = deque()  # when each vacant position is filled
        self.idle: deque[int] = deque()  # longest idle on the left
        self.off: deque[int] = deque()  # off shift, longest off on the left
        self.members: list[int] = []  # every agent ever on this group's floor
        self.leaving = 0  # busy agents whose shift ended: they go when their contact ends
        self.crew: Crew | None = None  # the agents of its shift lines, when it has lines (sim.model.lines)

    def on_floor_target(self, k: int) -> int:
        """Agents to have on the floor in interval ``k``: the plan, less whoever is missing from the schedule."""
        short = self.scheduled[k] - (self.positions - self.vacant - self.inducting)
        return max(0, self.plan[k] - short) if short > 0 else self.plan[k]

    def paid(self, k: int) -> int:
        """Agents paid in interval ``k``: the schedule, less vacant positions (hires in training are paid)."""
        return min(self.scheduled[k], self.positions - self.vacant)


def plan_levels(group: Group, k: int, seconds: float) -> tuple[float, float]:
    """Agent-seconds paid and taken off the floor for training in interval ``k`` (of ``seconds``), as scheduled
    (coaching sessions are not training: their evaluators are priced apart, ``sim.metrics``)."""
    if group.crew is not None:  # shift lines: their paid time (paid breaks included), training in the lines
        return group.crew.paid(k), 0.0
    return group.paid(k) * seconds, (group.scheduled[k] - group.plan[k] - group.coached[k]) * seconds


class Roster:
    """All agents of all groups, and the per-agent state the behaviour model needs."""

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        self.groups = [Group(i, name, scenario) for i, name in enumerate(scenario.agents)]
        self._streams = streams
        self.group: list[int] = []  # agent -> group index
        self.tenure: list[float] = []  # seconds in the job at time 0
        self.exhaustion: list[float] = []
        self.idle_since: list[float] = []
        self.strain: list[float] = []  # exhaustion at shift ends, averaged over about 30 days (E30)
        self.left_at: list[float] = []  # when the agent last went off shift
        self.trained_from: list[float] = []  # start of the agent's training (0: staff at the run's start; hires)
        self.stock: list[float] = []  # retained training hours at the agent's latest service start
        self.quitting: list[bool] = []  # will leave the job at the end of this shift
        self.gone: list[bool] = []  # has left the job
        self.serving: list = []  # the contact each agent is serving (None if none)
        self.attrition = scenario.behaviour.attrition if scenario.behaviour.on("attrition") else None

    def hire(self, group: Group, now: float, tenure: float | None = None) -> int:
        """A new agent for ``group``: a tenure drawn from the group's distribution, or ``tenure`` (a replacement)."""
        agent = len(self.group)
        replacement = tenure is not None
        if tenure is None:
            tenure = float(group.spec.tenure.sample(self._streams[f"agents.{group.name}.tenure"], 1)[0])
        self.group.append(group.index)
        group.members.append(agent)
        self.tenure.append(tenure)
        self.exhaustion.append(0.0)
        self.idle_since.append(now)
        self.strain.append(0.0)
        self.left_at.append(now)
        self.trained_from.append(now if replacement else 0.0)  # staff train from the start, hires from hiring
        self.stock.append(0.0)
        self.quitting.append(False)
        self.gone.append(False)
        self.serving.append(None)
        return agent

    def on_shift(self, group: Group, now: float, rested: float) -> int:
        """An agent starting a shift: the one off longest (trained replacement hires among them), or a new agent.

        Exhaustion is multiplied by ``rested`` for each night off (at least one, ``recovered_overnight``): a
        weekend rests more.
        """
        if group.off:
            agent = group.off.popleft()
            nights = int(now // DAY) - int(self.left_at[agent] // DAY)
            self.exhaustion[agent] = rules.recovered_overnight(self.exhaustion[agent], rested, nights)
        else:
            agent = self.hire(group, now)
        self.idle_since[agent] = now
        return agent

    def back_on(self, agent: int, group: Group, now: float, rested: float) -> None:
        """``agent`` (off shift) starts a shift of its own shift line: as ``on_shift``, for a named agent."""
        group.off.remove(agent)
        nights = int(now // DAY) - int(self.left_at[agent] // DAY)
        self.exhaustion[agent] = rules.recovered_overnight(self.exhaustion[agent], rested, nights)
        self.idle_since[agent] = now

    def exhaustion_at(self, agent: int, now: float, p: Exhaustion) -> float:
        """An idle agent's exhaustion at ``now`` (recovery since going idle), without changing it."""
        return rules.recovered(p, self.exhaustion[agent], now - self.idle_since[agent])

    def leave(self, agent: int, now: float) -> None:
        """``agent`` goes off shift; it comes back before anyone new is hired, unless it is quitting."""
        group = self.groups[self.group[agent]]
        self.left_at[agent] = now
        self.strain[agent] = rules.strain_update(self.strain[agent], self.exhaustion[agent])
        if self.quitting[agent]:
            self.depart(agent, now)
        else:
            group.off.append(agent)

    def new_day(self, now: float, days: float = 1.0) -> list[tuple[int, int]]:
        """Attrition at the end of a day (``days``: the time since the last step): per group, (agents who quit,
        positions filled by a new hire).

        Hires whose induction is over join the agents off shift, at tenure 0. Vacant positions whose time
        is up are filled by a hire who starts induction. Everyone employed draws a quit chance for the
        period from their E30; those off shift leave now, those on the floor when the centre lets them go
        (``LevelBook.end_of_day``, ``Centre.free``).
        """
        assert self.attrition is not None, "new_day is the attrition step"
        changes = []
        for group in self.groups:
            while group.ready and group.ready[0] <= now:  # trained: on the floor from the next shift
                group.off.append(self.hire(group, now, tenure=-group.ready.popleft()))
                group.inducting -= 1
            hires = 0
            while group.openings and group.openings[0] <= now:
                group.openings.popleft()
                group.vacant -= 1
                group.inducting += 1
                group.ready.append(now + self.attrition.induction)
                hires += 1
            u = self._streams[f"agents.{group.name}.quit"].random(len(group.members)).tolist()
            staff = [(a, u[i]) for i, a in enumerate(group.members) if not self.gone[a] and not self.quitting[a]]
            chances = rules.quit_probability(self.attrition, [self.strain[a] for a, _ in staff], days).tolist()
            quits = 0
            for (agent, draw), chance in zip(staff, chances):
                if draw < chance:
                    quits += 1
                    self.quitting[agent] = True
                    if agent in group.off:
                        group.off.remove(agent)
                        self.depart(agent, now)
            changes.append((quits, hires))
        return changes

    def depart(self, agent: int, now: float) -> None:
        """``agent`` leaves the job; its position is vacant until ``attrition.vacancy`` has passed."""
        assert self.attrition is not None, "only agents who quit depart"
        group = self.groups[self.group[agent]]
        self.gone[agent] = True
        group.vacant += 1
        group.openings.append(now + self.attrition.vacancy)
