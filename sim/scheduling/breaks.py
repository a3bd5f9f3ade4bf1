"""Breaks placed once the shifts are fixed, where they take the floor down least, and handed out to lines.

The covering model counted breaks per shift key (``columns.Breaks``) as continuous amounts, reserving their
time exactly. With the agents per column fixed, this step places each agent's breaks (whole agents) where
they keep the floor as far above the requirement as they can: with d_t = r_t - on_floor_t the shortfall
in step t, it minimises

    sum_t  SHORT * max(0, d_t) + max(0, d_t + 1)

(first as little under-cover as it can, then a margin of one agent where there can be). Then each key's
agents are paired with its placements, giving shift lines.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from sim.scheduling.columns import Columns

SHORT = 100.0  # weight of an agent-step of under-cover against an agent-step without a margin of one

# A line's breaks: per shift of its column, per break group of its type, the joint placement taken.
Taken = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Lines:
    """The schedule as shift lines: ``count[i]`` agents work column ``column[i]`` taking breaks ``taken[i]``."""

    column: np.ndarray
    taken: tuple[Taken, ...]
    count: np.ndarray
    status: str  # of the break placement
    seconds: float


def place_breaks(columns: Columns, x: np.ndarray, y: np.ndarray, required: np.ndarray, time_limit: float) -> Lines:
    """Lines from the agents per column ``x``, breaks placed to keep the floor clear of ``required``
    (``y``, the covering model's fractional placement, rounded, if no placement is found in time)."""
    breaks = columns.breaks
    agents = breaks.link_columns @ x  # agents per shift key x break group
    used = np.flatnonzero(breaks.link.T @ (agents > 0))  # variables of keys with agents
    counts, status, seconds = np.zeros(len(breaks), dtype=int), "no breaks", 0.0
    if used.size:
        started = time.perf_counter()
        counts, status = _place(columns, x, y, required, used, agents, time_limit)
        seconds = time.perf_counter() - started
    return _lines(columns, x, counts, status, seconds)


def _place(columns: Columns, x, y, required, used, agents, time_limit) -> tuple[np.ndarray, str]:
    """Break counts for the variables in ``used`` minimising the shortfall objective, given ``x``."""
    breaks, slots, n = columns.breaks, columns.grid.slots, len(used)
    occupancy = breaks.occupancy[:, used]
    rows = np.flatnonzero(agents > 0)
    gap = required - columns.coverage @ x  # d_t = gap_t + occupancy @ z
    eye, zero = sparse.identity(slots, format="csc"), sparse.csc_matrix((slots, slots))
    constraints = [
        LinearConstraint(sparse.hstack([-occupancy, eye, zero]), gap, np.inf),
        LinearConstraint(sparse.hstack([-occupancy, zero, eye]), gap + 1, np.inf),
        LinearConstraint(sparse.hstack([breaks.link[rows][:, used], sparse.csr_matrix((len(rows), 2 * slots))]),
                         agents[rows], agents[rows]),
    ]
    cost = np.r_[np.zeros(n), np.full(slots, SHORT), np.ones(slots)]
    result = milp(cost, integrality=np.r_[np.ones(n), np.zeros(2 * slots)], bounds=Bounds(0, np.inf),
                  constraints=constraints, options={"time_limit": time_limit, "mip_rel_gap": 1e-4})
    if result.x is None:
        return round_in_rows(np.asarray(y, dtype=float), breaks.link, agents), "rounded_from_model"
    counts = np.zeros(len(breaks), dtype=int)
    counts[used] = np.round(result.x[:n]).astype(int)
    return counts, "optimal" if result.status == 0 else "time_limit"


def round_in_rows(values: np.ndarray, rows: sparse.csr_matrix, totals: np.ndarray) -> np.ndarray:
    """Whole numbers close to ``values`` whose sums over each row of ``rows`` are ``totals`` (largest
    remainders get the leftover units); every variable is in exactly one row."""
    out = np.floor(values + 1e-9).astype(int)
    for r in range(rows.shape[0]):
        members = rows.indices[rows.indptr[r]:rows.indptr[r + 1]]
        short = int(round(totals[r])) - int(out[members].sum())
        if short > 0:
            order = members[np.argsort(-(values[members] - out[members]), kind="stable")]
            out[order[:short]] += 1
        elif short < 0:
            order = members[np.argsort(-out[members], kind="stable")]
            for m in order[: -short]:
                out[m] -= 1
    return out


def _lines(columns: Columns, x: np.ndarray, counts: np.ndarray, status: str, seconds: float) -> Lines:
    """Pair the agents of each shift key (column by column) with its placements (group by group)."""
    breaks = columns.breaks
    key_of = {key: k for k, key in enumerate(breaks.keys)}
    members: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # key -> (column, agent, shift)
    for j in np.flatnonzero(x > 0):
        for shift, start in enumerate(columns.starts[j]):
            members[key_of[(int(columns.type[j]), start)]] += [(int(j), a, shift) for a in range(int(x[j]))]
    choice: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for key, agents in members.items():
        mine = np.flatnonzero(breaks.var_key == key)
        for g in range(len(columns.templates[breaks.keys[key][0]].groups)):
            in_group = mine[breaks.var_group[mine] == g]
            placements = np.repeat(breaks.var_placement[in_group], counts[in_group].astype(int))
            if len(placements) != len(agents):
                raise RuntimeError(f"shift key {key}: {len(agents)} agents but {len(placements)} placements")
            for (column, a, shift), p in zip(agents, placements):
                choice[(column, a)][shift].append(int(p))
    tally: Counter[tuple[int, tuple[tuple[int, ...], ...]]] = Counter()
    for j in np.flatnonzero(x > 0):
        for a in range(int(x[j])):
            taken = tuple(tuple(choice[(int(j), a)][shift]) for shift in range(len(columns.starts[j])))
            tally[(int(j), taken)] += 1
    items = sorted(tally.items())
    return Lines(np.array([j for (j, _), _ in items], dtype=int), tuple(t for (_, t), _ in items),
                 np.array([c for _, c in items], dtype=int), status, seconds)
