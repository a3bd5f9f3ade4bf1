"""servsim: simulate customer-service operations and predict what staffing does to service.

The public API is loaded on first use, so ``import sim`` stays cheap (no simpy,
pandas or pydantic until a function needs them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from sim import compiled

__version__ = "0.1.0"
ENGINE = compiled.choose()  # "compiled", "pure" or "stale": which build of the engine this process imports

_API = {
    "load_config": "sim.config",
    "run": "sim.runner",
    "Results": "sim.runner",
    "queue_kpis": "sim.analytic",
    "agents_for_target": "sim.analytic",
    "sweep": "sim.experiment.sweep",
    "load_results": "sim.experiment.results",
    "load_experiment": "sim.experiment.spec",
}
__all__ = ["__version__", *_API]

if TYPE_CHECKING:  # pragma: no cover
    from sim.analytic import agents_for_target, queue_kpis
    from sim.config import load_config
    from sim.experiment.results import load_results
    from sim.experiment.spec import load_experiment
    from sim.experiment.sweep import sweep
    from sim.runner import Results, run


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
