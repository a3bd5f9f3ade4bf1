"""The validation mode: one stationary M/M/n(+M) system, solved exactly and simulated side by side."""

from __future__ import annotations

import math

from sim.analytic import queue_kpis
from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.console import summary_json
from sim.errors import InputError
from sim.runner import run

COMPARED = (
    "p_wait", "service_level_offered", "service_level_answered", "service_level_offered_excl_short_abandons",
    "asa_seconds", "mean_wait_seconds", "abandon_rate", "occupancy", "mean_queue_length",
)


INTERVALS = (3600.0, 1800.0, 900.0, 600.0, 300.0, 60.0, 30.0, 10.0, 1.0)


def stationary_scenario(
    arrival_rate: float, aht: float, agents: int, patience: float | None, threshold: float,
    horizon: float, warmup: float, short_abandon: float = 5.0,
) -> Scenario:
    """A scenario with Poisson arrivals, exponential handling and patience, constant staffing, no behaviour.

    Its interval is the longest of an hour, half hour, ... that the warm-up fills exactly.
    """
    interval = next((i for i in INTERVALS if abs(warmup / i - round(warmup / i)) < 1e-9), None)
    if interval is None:
        raise InputError(f"--warmup {warmup:g}s: give a whole number of seconds")
    data = {
        "name": "stationary M/M/n" + ("" if patience is None else "+M"),
        "horizon": horizon,
        "interval": interval,
        "warmup": warmup,
        "service_level": {"threshold": threshold, "short_abandon": short_abandon},
        "channels": {"phone": {
            "arrivals": {"rate": arrival_rate},
            "handle_time": {"dist": "exponential", "mean": aht},
            "patience": {"dist": "none"} if patience is None else {"dist": "exponential", "mean": patience},
        }},
        "agents": {"agents": {"staffing": agents}},
        "behaviour": "off",
    }
    return validate(Scenario, data, "erlang --simulate", units_required=False)


def compare(
    arrival_rate: float, aht: float, agents: int, patience: float | None, threshold: float,
    horizon: float, warmup: float, replications: int, seed: int, short_abandon: float = 5.0,
) -> dict[str, dict]:
    """``{"analytic": {kpi: value}, "simulated": {kpi: {mean, ci_low, ci_high}}}`` for the same system."""
    exact = queue_kpis(arrival_rate, aht, agents, patience, threshold, short_abandon).as_dict()
    scenario = stationary_scenario(arrival_rate, aht, agents, patience, threshold, horizon, warmup, short_abandon)
    simulated = summary_json(run(scenario, replications, seed).summary)
    analytic = {k: exact[k] for k in COMPARED if k in exact and _finite(exact[k])}
    return {"analytic": analytic, "simulated": {k: simulated[k] for k in analytic}}


def _finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)
