"""Exact queueing formulas: Erlang B, Erlang C (M/M/n), Erlang A (M/M/n+M) and staffing.

Rates are per second and times in seconds. Nothing here imports the simulator, so these
functions can be used as fast baselines and as oracles for the discrete-event model.
"""

from sim.analytic.erlang import SL_DEFINITIONS, QueueKPIs, erlang_b, erlang_c, erlang_c_kpis
from sim.analytic.erlang_a import (
    erlang_a_kpis,
    queue_kpis,
    stationary_distribution,
    tagged_wait_probabilities,
)
from sim.analytic.staffing import agents_for_target, square_root_staffing

__all__ = [
    "SL_DEFINITIONS",
    "QueueKPIs",
    "agents_for_target",
    "erlang_a_kpis",
    "erlang_b",
    "erlang_c",
    "erlang_c_kpis",
    "queue_kpis",
    "square_root_staffing",
    "stationary_distribution",
    "tagged_wait_probabilities",
]
