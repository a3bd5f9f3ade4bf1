"""Exact queueing formulas: Erlang B, Erlang C (M/M/n), Erlang A (M/M/n+M), their asymptotic
approximations, the offered load of time-varying demand, and staffing.

Rates are per second and times in seconds. Nothing here imports the simulator, so these
functions can be used as fast baselines and as oracles for the discrete-event model.
"""

from sim.analytic.approximations import (
    agents_for_blocking,
    erlang_b_kpis,
    gmr_kpis,
    halfin_whitt_kpis,
    halfin_whitt_p_wait,
)
from sim.analytic.erlang import SL_DEFINITIONS, QueueKPIs, erlang_b, erlang_c, erlang_c_kpis
from sim.analytic.erlang_a import (
    erlang_a_kpis,
    queue_kpis,
    stationary_distribution,
    tagged_wait_probabilities,
)
from sim.analytic.offered_load import lagged_rates, offered_load, offered_load_exponential
from sim.analytic.staffing import (
    MODELS,
    Requirement,
    Target,
    agents_for_target,
    kpi_model,
    make_targets,
    requirement,
    square_root_staffing,
)

__all__ = [
    "MODELS",
    "SL_DEFINITIONS",
    "QueueKPIs",
    "Requirement",
    "Target",
    "agents_for_blocking",
    "agents_for_target",
    "erlang_a_kpis",
    "erlang_b",
    "erlang_b_kpis",
    "erlang_c",
    "erlang_c_kpis",
    "gmr_kpis",
    "halfin_whitt_kpis",
    "halfin_whitt_p_wait",
    "kpi_model",
    "lagged_rates",
    "make_targets",
    "offered_load",
    "offered_load_exponential",
    "queue_kpis",
    "requirement",
    "square_root_staffing",
    "stationary_distribution",
    "tagged_wait_probabilities",
]
