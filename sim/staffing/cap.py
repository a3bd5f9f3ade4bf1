"""The occupancy cap in the simulation search (``--occupancy-cap``): where a plan keeps a group busier than the
cap, the fewest agents that would not, and the raise applied to the plan the search found.

A group that only serves a backlog (email) is judged over each open day, like its targets: its busy time that
day against the cap times its agent time. Other groups are judged per slot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.staffing.measure import Measurement

if TYPE_CHECKING:
    from sim.staffing.search import Problem


def _days(problem: Problem, group: str, cells: np.ndarray):
    """The masks of ``cells`` on each open day of a backlog group."""
    days = problem.units[problem.serves[group][0]]
    return [cells & (days == day) for day in np.unique(days[cells])]


def crowded(problem: Problem, m: Measurement, plan: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per group, the slots where its simulated occupancy is above the cap (a backlog group: its whole day)."""
    out = {g: np.zeros(problem.slots.count, bool) for g in problem.groups}
    cap = problem.occupancy_cap
    if cap is None:
        return out
    for g in problem.groups:
        busy, cells = m.busy[g].mean(axis=0), problem.variable[g] & (plan[g] > 0)
        if problem.daily(g):
            for whole in _days(problem, g, cells):
                out[g][whole] = busy[whole].sum() > cap * plan[g][whole].sum() + 1e-9
        else:
            out[g] = cells & (busy > cap * plan[g] + 1e-9)
    return out


def floor(problem: Problem, m: Measurement, group: str) -> np.ndarray:
    """Per slot, the fewest agents that keep the group's occupancy under the cap at the measured busy time."""
    if problem.occupancy_cap is None:
        return np.zeros(problem.slots.count, int)
    return np.ceil(m.busy[group].mean(axis=0) / problem.occupancy_cap - 1e-9).astype(int)


def day_fits(problem: Problem, m: Measurement, group: str, plan: np.ndarray, whole: np.ndarray) -> bool:
    """Whether a backlog group keeps under the cap on a day (``whole``) with one agent fewer all day."""
    cap = problem.occupancy_cap
    return cap is None or m.busy[group].mean(axis=0)[whole].sum() <= cap * (plan[whole] - 1).sum()


def raised(problem: Problem, m: Measurement, plan: dict[str, np.ndarray],
           over: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], int]:
    """The plan raised wherever it is ``over`` the cap: to busy / cap per slot, or, for a backlog group, evenly over
    the day until its busy time that day is at most the cap times its agent time; and how many slots were raised."""
    plan = {g: p.copy() for g, p in plan.items()}
    count = 0
    for g, cells in over.items():
        if problem.daily(g):
            busy = m.busy[g].mean(axis=0)
            for whole in _days(problem, g, cells):
                short = busy[whole].sum() / problem.occupancy_cap - plan[g][whole].sum()
                plan[g][whole] += int(np.ceil(short / whole.sum() - 1e-9))
        else:
            plan[g][cells] = np.maximum(plan[g][cells], floor(problem, m, g)[cells])
        count += int(cells.sum())
    return plan, count
