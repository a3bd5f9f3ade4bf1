"""The SimPy world (the only package that imports simpy)."""

from sim.model.simulate import simulate, staffing_plan

__all__ = ["simulate", "staffing_plan"]
