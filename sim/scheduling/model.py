"""The covering model (Dantzig 1954; soft cover after Keith 1979), built and solved with scipy's HiGHS.

    minimise   sum_j c_j x_j + p_under h sum_t u_t + p_over h sum_t o_t
    subject to sum_j a_tj x_j - sum_v b_tv y_v + u_t - o_t = r_t   every grid step t  (hard cover: no u_t)
               sum_{v of key k, group g} y_v = sum_j m_kj x_j        every shift key k, break group g
               limits on counts and shares of shift types
               x_j integer >= 0;  y_v, u_t, o_t >= 0

x_j: agents on column j; a_tj = 1 if its shifts are at work in step t; y_v: agents of a shift key on one
joint placement of a break group, b_tv = 1 if that placement is a break in step t; m_kj: shifts of key k
column j works (``columns.py``); r_t: agents required; h: hours per step, so the penalties are per
agent-hour short or over. With no u_t (hard cover) the requirement is rounded up: the floor is whole agents.

The break counts y are continuous by default: the model reserves the break time of every shift, and
``breaks.py`` places whole agents' breaks afterwards. That is a relaxation with the same LP bound, and it
lets HiGHS branch on the shifts alone: on a week of tours with three breaks per shift it found schedules
within 1.4% of the bound in a minute where integer y stopped at 7-8%. When whole breaks cannot keep what
the fractions promised (one agent's lunch half here, half there), ``schedule.py`` solves again with
``integer_breaks`` (exact) and keeps the better schedule.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from sim.scheduling.columns import Columns
from sim.scheduling.spec import Shifts

OBJECTIVES = ("cost", "headcount", "paid-hours")
STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}


@dataclass(frozen=True)
class Options:
    """What to minimise and how hard to try. ``under_penalty`` None means hard cover."""

    objective: str = "cost"
    under_penalty: float | None = None
    over_penalty: float = 0.0
    time_limit: float = 60.0
    mip_gap: float = 0.005
    integer_breaks: bool = False  # whole-number break counts: exact, slower (see the module's docstring)

    @property
    def soft(self) -> bool:
        return self.under_penalty is not None


@dataclass(frozen=True)
class Solved:
    """The solver's answer: counts per column, and how good they are known to be."""

    status: str
    message: str
    x: np.ndarray | None  # agents per column (integers), None if no schedule was found
    y: np.ndarray | None  # agents per break variable (a fractional count: placed in whole agents later)
    objective: float
    bound: float
    gap: float
    seconds: float
    nodes: int
    variables: int
    constraints: int
    parts: int  # independent parts solved one after the other


def column_costs(columns: Columns, objective: str) -> np.ndarray:
    """The objective's price of one agent on each column."""
    if objective == "cost":
        return columns.cost
    if objective == "paid-hours":
        return columns.paid_hours
    return np.ones(len(columns))  # headcount: one line (a day's shift, or a week's pattern) per agent


@dataclass(frozen=True)
class Model:
    """The covering model as arrays: minimise c @ v subject to lower <= matrix @ v <= upper, v >= 0."""

    c: np.ndarray
    integrality: np.ndarray
    matrix: sparse.csr_matrix
    lower: np.ndarray
    upper: np.ndarray
    n_columns: int
    n_breaks: int


def build_model(columns: Columns, shifts: Shifts, required: np.ndarray, options: Options) -> Model:
    """The model's arrays. Variables, in order: x (agents per column), y (break variables, see
    ``columns.Breaks``), then u (under) with a soft cover and o (over) with an over-penalty."""
    n, breaks, slots = len(columns), columns.breaks, columns.grid.slots
    h = columns.grid.hours
    blocks, cost = [columns.coverage, -breaks.occupancy], [column_costs(columns, options.objective),
                                                           np.zeros(len(breaks))]
    if options.under_penalty is not None:  # a soft cover (``options.soft``)
        blocks.append(sparse.identity(slots, format="csc"))
        cost.append(np.full(slots, options.under_penalty * h))
    else:  # the floor is a whole number of agents: covering r covers ceil(r)
        required = np.ceil(required - 1e-9)
    if options.over_penalty > 0:
        blocks.append(-sparse.identity(slots, format="csc"))
        cost.append(np.full(slots, options.over_penalty * h))
    c = np.concatenate(cost)
    width = len(c)
    rows = [sparse.hstack(blocks, format="csr")]
    lower = [required]
    upper = [required if options.over_penalty > 0 else np.full(slots, np.inf)]
    if len(breaks):
        rows.append(_pad(sparse.hstack([-breaks.link_columns, breaks.link]), width))
        lower.append(np.zeros(rows[-1].shape[0]))
        upper.append(np.zeros(rows[-1].shape[0]))
    limits = limit_rows(columns, shifts)
    if limits is not None:
        rows.append(_pad(limits[0], width))
        lower.append(np.full(len(limits[1]), -np.inf))
        upper.append(limits[1])
    whole = n + (len(breaks) if options.integer_breaks else 0)
    integrality = np.r_[np.ones(whole), np.zeros(width - whole)]
    return Model(c, integrality, sparse.vstack(rows, format="csr"), np.concatenate(lower), np.concatenate(upper),
                 n, len(breaks))


def solve_cover(columns: Columns, shifts: Shifts, required: np.ndarray, options: Options) -> Solved:
    """Solve the covering model for ``required`` agents per grid step, one independent part at a time."""
    model = build_model(columns, shifts, required, options)
    parts = independent_parts(model.matrix, model.integrality)
    sizes = np.array([len(v) for v, _ in parts], dtype=float)
    started = time.perf_counter()
    values = np.zeros(len(model.c))
    results = []
    for i, (variables, rows) in enumerate(parts):
        left = max(1.0, options.time_limit - (time.perf_counter() - started))
        budget = left * sizes[i] / sizes[i:].sum()
        result = milp(model.c[variables], integrality=model.integrality[variables], bounds=Bounds(0, np.inf),
                      constraints=[LinearConstraint(model.matrix[rows][:, variables], model.lower[rows],
                                                    model.upper[rows])],
                      options={"time_limit": budget, "mip_rel_gap": options.mip_gap, "presolve": True})
        results.append(result)
        if result.x is None:
            break
        values[variables] = result.x
    return _combine(results, values, model, len(parts), time.perf_counter() - started)


def independent_parts(matrix: sparse.csr_matrix, integrality: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(variables, rows) of each part of the model that shares no constraint with another, largest first;
    the parts without integer variables (steps no shift reaches) are solved together as one.

    A week of daily shifts that never cross midnight is seven independent days; a week of tours is one part.
    """
    pattern = (matrix != 0).astype(int)
    n_rows, n_vars = pattern.shape
    graph = sparse.bmat([[None, pattern], [pattern.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    row_label, var_label = labels[:n_rows], labels[n_rows:]
    integer = np.zeros(labels.max() + 1, dtype=bool)
    integer[var_label[integrality > 0]] = True
    var_label = np.where(integer[var_label], var_label, -1)
    row_label = np.where(integer[row_label], row_label, -1)
    parts = [(np.flatnonzero(var_label == lab), np.flatnonzero(row_label == lab)) for lab in np.unique(var_label)]
    return sorted(parts, key=lambda part: -len(part[0]))


def _combine(results, values: np.ndarray, model: Model, n_parts: int, seconds: float) -> Solved:
    """One answer from the parts' answers: objectives and bounds add up, the worst status wins."""
    found = len(results) == n_parts and all(r.x is not None for r in results)
    worst = max((r.status for r in results), key=lambda s: (s != 0, s))
    objective = sum(r.fun for r in results) if found else float("nan")
    bound = sum(_number(r, "mip_dual_bound", r.fun) for r in results) if found else float("nan")
    gap = abs(objective - bound) / max(abs(objective), 1e-9) if found else float("nan")
    messages = sorted({r.message for r in results})
    n, m = model.n_columns, model.n_breaks
    return Solved(
        STATUS.get(worst, "error"), "; ".join(messages) + (f" ({n_parts} independent parts)" if n_parts > 1 else ""),
        np.round(values[:n]).astype(int) if found else None, values[n:n + m] if found else None,
        objective, bound, gap, seconds, int(sum(_number(r, "mip_node_count", 0) for r in results)),
        len(model.c), model.matrix.shape[0], n_parts)


def _number(result, name: str, missing: float = float("nan")) -> float:
    value = getattr(result, name, None)
    return missing if value is None else float(value)


def _pad(matrix, width: int) -> sparse.csr_matrix:
    """``matrix`` with zero columns added on the right up to ``width``."""
    return sparse.hstack([matrix, sparse.csr_matrix((matrix.shape[0], width - matrix.shape[1]))], format="csr")


def working_days(columns: Columns) -> sparse.csr_matrix:
    """Days x columns: 1 where a column works that day."""
    rows, cols = [], []
    for j in range(len(columns)):
        for day in set(columns.days(j)):
            rows.append(day % columns.grid.days)
            cols.append(j)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(columns.grid.days, len(columns)))


def limit_rows(columns: Columns, shifts: Shifts) -> tuple[sparse.csr_matrix, np.ndarray] | None:
    """Rows ``matrix @ x <= bound`` for each type's ``max_count`` and ``max_share``.

    ``max_count``: shifts of the type per day, or agents on the type's weekly patterns. ``max_share``: the
    type's share of all shifts worked each day (an agent on a weekly pattern counts on each day worked).
    """
    works = working_days(columns)
    rows, bounds = [], []
    for t, spec in enumerate(shifts.shift_types.values()):
        mine = sparse.diags((columns.type == t).astype(float))
        if spec.max_count is not None:
            if spec.work_days is not None:
                rows.append(sparse.csr_matrix((columns.type == t).astype(float)[None, :]))
                bounds.append(np.array([spec.max_count]))
            else:
                rows.append(works @ mine)
                bounds.append(np.full(columns.grid.days, spec.max_count))
        if spec.max_share is not None:
            rows.append(works @ mine - spec.max_share * works)
            bounds.append(np.zeros(columns.grid.days))
    if not rows:
        return None
    return sparse.vstack(rows, format="csr"), np.concatenate(bounds).astype(float)
