"""What a staffing run is asked for: method, targets, limits, shrinkage, scope and simulation settings.

Everything is checked here, once, so a bad request is one ``InputError`` before any work starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sim.analytic import SL_DEFINITIONS, Target, make_targets
from sim.config.schema import Scenario
from sim.errors import InputError
from sim.staffing.demand import channels_with_demand
from sim.staffing.shrinkage import Shrinkage

METHODS = ("sipp", "lag-sipp", "mol", "isa", "simulate")
SIMULATED = ("isa", "simulate")
DEFAULT_TARGET_SL = 0.8
MIN_REPLICATIONS = {"isa": 40, "simulate": 10}  # formula plans checked by simulation: 10
MAX_ITERATIONS = {"isa": 10, "simulate": 25}


@dataclass(frozen=True)
class Request:
    """A staffing question; ``None`` means "as the scenario says" (threshold, definition, seed, replications)."""

    method: str = "mol"
    target_sl: float | None = None
    target_asa: float | None = None
    target_abandon: float | None = None
    target_wait_probability: float | None = None
    threshold: float | None = None
    definition: str | None = None
    occupancy_cap: float | None = None
    max_agents: int | None = None
    shrinkage: Shrinkage = field(default_factory=Shrinkage)
    channel: str | None = None
    group: str | None = None
    replications: int | None = None
    seed: int | None = None
    jobs: int | None = None
    executor: str = "local"
    max_iterations: int | None = None
    check: bool = False  # simulate a formula method's plan too

    @property
    def simulated(self) -> bool:
        """Whether the result has simulated KPIs (a simulation method, or a checked formula plan)."""
        return self.method in SIMULATED or self.check

    def targets(self, scenario: Scenario) -> list[Target]:
        """The targets given (80% within the threshold if none is), validated."""
        goals = (self.target_sl, self.target_asa, self.target_abandon, self.target_wait_probability)
        sl = DEFAULT_TARGET_SL if all(g is None for g in goals) else self.target_sl
        try:
            return make_targets(self.sl_definition(scenario), sl, self.target_asa, self.target_abandon,
                                self.target_wait_probability)
        except ValueError as exc:
            raise InputError(str(exc)) from None

    def sl_definition(self, scenario: Scenario) -> str:
        return self.definition or scenario.service_level.definition

    def threshold_for(self, scenario: Scenario, channel: str) -> float:
        return self.threshold if self.threshold is not None else scenario.threshold_for(channel)

    def runs(self, scenario: Scenario) -> tuple[int, int]:
        """(replications, seed) for the simulation methods: the scenario's unless given, with at least
        ``MIN_REPLICATIONS`` (a quantile per interval needs more data than a mean)."""
        replications = self.replications or max(scenario.replications, MIN_REPLICATIONS.get(self.method, 10))
        return replications, scenario.seed if self.seed is None else self.seed

    @property
    def iterations(self) -> int:
        return self.max_iterations or MAX_ITERATIONS.get(self.method, 1)


def check(request: Request, scenario: Scenario) -> tuple[list[str], list[str]]:
    """Validate ``request`` against ``scenario``; return the channels whose targets count and the groups sized."""
    _check_values(request)
    with_demand = channels_with_demand(scenario)
    if request.channel is not None:
        if request.channel not in scenario.channels.names:
            raise InputError(f"--channel {request.channel}: not configured under channels "
                             f"({', '.join(scenario.channels.names)})")
        if request.channel not in with_demand:
            raise InputError(f"--channel {request.channel}: has no demand in the horizon")
    channels = [request.channel] if request.channel else with_demand
    if not channels:
        raise InputError("no channel has demand in the horizon: nothing to staff")
    if request.threshold is not None and len(channels) > 1:
        raise InputError(f"--threshold applies to one channel, and {', '.join(channels)} have demand "
                         f"(each has its own threshold in the scenario): add --channel")
    if request.group is not None:
        if request.group not in scenario.agents:
            raise InputError(f"--group {request.group}: no such agent group ({', '.join(scenario.agents)})")
        served: list[str] = [c for c in scenario.agents[request.group].channels if c in channels]
        if not served:
            raise InputError(f"agents.{request.group}: serves {', '.join(scenario.agents[request.group].channels)}, "
                             f"which has no demand in the horizon" if request.channel is None else
                             f"--group {request.group} does not serve --channel {request.channel}")
        channels = served
        groups = [request.group]
    else:
        groups = [g for g, spec in scenario.agents.items() if any(c in channels for c in spec.channels)]
    request.targets(scenario)
    return channels, groups


def _check_values(request: Request) -> None:
    if request.method not in METHODS:
        raise InputError(f"--method {request.method}: use one of {', '.join(METHODS)}")
    if request.definition is not None and request.definition not in SL_DEFINITIONS:
        raise InputError(f"--definition {request.definition}: use one of {', '.join(SL_DEFINITIONS)}")
    for name, value in (("--target-sl", request.target_sl), ("--target-abandon", request.target_abandon),
                        ("--target-wait-probability", request.target_wait_probability)):
        if value is not None and not (math.isfinite(value) and 0.0 < value < 1.0):
            raise InputError(_fraction_problem(name, value))
    if request.target_asa is not None and not request.target_asa > 0:
        raise InputError("--target-asa: must be greater than zero (e.g. 30s)")
    if request.occupancy_cap is not None and not 0.0 < request.occupancy_cap <= 1.0:
        raise InputError(f"--occupancy-cap {request.occupancy_cap:g}: give a share in (0, 1], e.g. 0.85")
    if request.max_agents is not None and request.max_agents < 1:
        raise InputError("--max-agents: must be at least 1")
    if request.max_iterations is not None and request.max_iterations < 1:
        raise InputError("--max-iterations: must be at least 1")


def _fraction_problem(name: str, value: float) -> str:
    if name == "--target-sl" and value >= 1.0:
        return (f"{name} {value:g}: no finite number of agents answers every contact within the threshold "
                f"(the wait is unbounded); give a value below 1, e.g. 0.8")
    if value <= 0.0 and name != "--target-sl":
        return f"{name} {value:g}: no finite number of agents makes it zero; give a value above 0, e.g. 0.05"
    return f"{name} {value:g}: give a share strictly between 0 and 1"
