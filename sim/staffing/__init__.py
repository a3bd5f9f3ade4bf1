"""Staffing requirements per interval: formula methods (SIPP, lag-SIPP, MOL), the iterative staffing algorithm
and a search with the whole simulated journey. The simulator is reached only through the experiment
executors, never SimPy directly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_API = {"staff": "sim.staffing.solve", "Request": "sim.staffing.request", "METHODS": "sim.staffing.request",
        "Shrinkage": "sim.staffing.shrinkage", "Staffing": "sim.staffing.plan"}
__all__ = list(_API)

if TYPE_CHECKING:  # pragma: no cover
    from sim.staffing.plan import Staffing
    from sim.staffing.request import METHODS, Request
    from sim.staffing.shrinkage import Shrinkage
    from sim.staffing.solve import staff


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'sim.staffing' has no attribute {name!r}")
