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
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from sim.scheduling.columns import Columns
from sim.scheduling.spec import Shifts

OBJECTIVES = ("cost", "headcount", "paid-hours")
STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}
STAGE_ONE = 0.6  # share of --time-limit for the weekly patterns when they are solved first (``_tours_first``)
WHOLE_SHARE = 0.5  # ... and the share that must be left to try the one model as well


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


def solve_cover(columns: Columns, shifts: Shifts, required: np.ndarray, options: Options,
                tours: np.ndarray | None = None) -> Solved:
    """Solve the covering model for ``required`` agents per grid step, one independent part at a time;
    with weekly patterns beside daily shifts, the patterns first (``_tours_first``). ``tours``: agents per
    column to keep on the weekly patterns (the rest of the model is solved around them; the bound is then
    that of the restricted model, NaN here, since it bounds nothing else)."""
    model = build_model(columns, shifts, required, options)
    started = time.perf_counter()
    is_tour = np.r_[columns.tour, np.zeros(len(model.c) - model.n_columns, dtype=bool)]
    if tours is not None:
        fixed = np.where(is_tour, np.r_[tours, np.zeros(len(model.c) - model.n_columns)], np.nan)
        run = _solve_parts(model, model.integrality, fixed, options.time_limit, options.mip_gap)
        return _combine(run, model, time.perf_counter() - started, bound=float("nan"), how="weekly patterns kept")
    if staged(columns):
        return _tours_first(model, is_tour, options, started)
    run = _solve_parts(model, model.integrality, None, options.time_limit, options.mip_gap)
    return _combine(run, model, time.perf_counter() - started)


@dataclass(frozen=True)
class _Run:
    """One pass of HiGHS over a model's independent parts (with some variables fixed, or none)."""

    results: list
    values: np.ndarray
    parts: int
    fixed_cost: float  # the objective of the fixed variables, not in the parts' answers

    @property
    def found(self) -> bool:
        return len(self.results) == self.parts and all(r.x is not None for r in self.results)

    @property
    def objective(self) -> float:
        return sum(r.fun for r in self.results) + self.fixed_cost if self.found else float("nan")

    @property
    def bound(self) -> float:
        return sum(_number(r, "mip_dual_bound", r.fun) for r in self.results) + self.fixed_cost \
            if self.found else float("nan")

    @property
    def status(self) -> int:
        return max((r.status for r in self.results), key=lambda s: (s != 0, s), default=2)


def _solve_parts(model: Model, integrality: np.ndarray, fixed: np.ndarray | None, budget: float, gap: float) -> _Run:
    """HiGHS on each independent part in turn, each with a share of ``budget`` in proportion to its size.
    ``fixed``: a value per variable, NaN where free; fixed variables leave the model (their rows' bounds move),
    so fixing the weekly patterns splits a week into its days."""
    started, values = time.perf_counter(), np.zeros(len(model.c))
    free = np.ones(len(model.c), dtype=bool) if fixed is None else np.isnan(fixed)
    lower, upper, fixed_cost = model.lower, model.upper, 0.0
    if fixed is not None:
        values[~free] = fixed[~free]
        activity = model.matrix[:, np.flatnonzero(~free)] @ fixed[~free]
        lower, upper, fixed_cost = lower - activity, upper - activity, float(model.c[~free] @ fixed[~free])
    index = np.flatnonzero(free)
    matrix = model.matrix[:, index].tocsr()
    empty = np.diff(matrix.indptr) == 0
    if ((lower[empty] > 1e-9) | (upper[empty] < -1e-9)).any():  # a row only the fixed variables reach, broken
        return _Run([], values, 1, fixed_cost)
    parts = independent_parts(matrix, integrality[index])
    sizes = np.array([len(v) for v, _ in parts], dtype=float)
    results = []
    for i, (variables, rows) in enumerate(parts):
        left = max(1.0, budget - (time.perf_counter() - started))
        result = milp(model.c[index[variables]], integrality=integrality[index[variables]], bounds=Bounds(0, np.inf),
                      constraints=[LinearConstraint(matrix[rows][:, variables], lower[rows], upper[rows])],
                      options={"time_limit": left * sizes[i] / sizes[i:].sum(), "mip_rel_gap": gap,
                               "presolve": True})
        results.append(result)
        if result.x is None:
            break
        values[index[variables]] = result.x
    return _Run(results, values, len(parts), fixed_cost)


def _tours_first(model: Model, tours: np.ndarray, options: Options, started: float) -> Solved:
    """Weekly patterns first, then the daily shifts around them.

    One model of a week of tours and daily shifts leaves HiGHS with a weak schedule long after its bound has
    settled (1.4% after 60 s on the benchmark). Stage 1 solves it with only the patterns whole (daily shifts
    and breaks continuous): a relaxation, so its bound is a valid bound of the whole problem, and with far
    fewer integers HiGHS finds good pattern counts in seconds. Stage 2 fixes the patterns; what is left falls
    apart into independent days, each solved whole. If that does not reach ``mip_gap`` and half the time is
    left (the stages ended early: small instances), the one model is solved as well and the better schedule
    kept, so small instances get their proven optimum.
    """
    first = _solve_parts(model, np.where(tours, model.integrality, 0), None, STAGE_ONE * options.time_limit,
                         options.mip_gap / 2)
    if not first.found:  # no relaxed schedule: the whole problem has none either
        return _combine(first, model, time.perf_counter() - started)
    fixed = np.where(tours, np.round(first.values), np.nan)
    second = _solve_parts(model, model.integrality, fixed, _left(options, started), options.mip_gap / 10)
    staged = _combine(second, model, 0.0, bound=first.bound, how="tours first")
    if staged.x is not None and staged.gap <= options.mip_gap:
        return replace(staged, status="optimal", seconds=time.perf_counter() - started,
                       nodes=staged.nodes + _nodes(first))
    left = _left(options, started)
    if staged.x is not None and left < WHOLE_SHARE * options.time_limit:  # HiGHS overran a 19 s limit by 50 s
        return replace(staged, status="time_limit", seconds=time.perf_counter() - started)
    whole = _combine(_solve_parts(model, model.integrality, None, left, options.mip_gap), model, 0.0)
    if staged.x is None or (whole.x is not None and whole.objective < staged.objective):
        best = whole
    else:
        best = staged
    if best.x is None:
        return replace(best, seconds=time.perf_counter() - started)
    bound = max(first.bound, whole.bound if whole.x is not None else -np.inf)
    gap = abs(best.objective - bound) / max(abs(best.objective), 1e-9)
    return replace(best, bound=bound, gap=gap, status="optimal" if gap <= options.mip_gap else "time_limit",
                   seconds=time.perf_counter() - started)


def staged(columns: Columns) -> bool:
    """Whether the model is solved weekly patterns first: it has patterns and daily shifts."""
    return bool(columns.tour.any() and (~columns.tour).any())


def _left(options: Options, started: float) -> float:
    return max(1.0, options.time_limit - (time.perf_counter() - started))


def _nodes(run: _Run) -> int:
    return int(sum(_number(r, "mip_node_count", 0) for r in run.results))


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


def _combine(run: _Run, model: Model, seconds: float, bound: float | None = None, how: str = "") -> Solved:
    """One answer from the parts' answers: objectives and bounds add up, the worst status wins. ``bound``:
    a better bound known from elsewhere (a relaxation's)."""
    found, objective = run.found, run.objective
    bound = run.bound if bound is None or not found else bound
    gap = abs(objective - bound) / max(abs(objective), 1e-9) if found else float("nan")
    messages = sorted({r.message for r in run.results}) or ["the fixed variables break a constraint"]
    status = STATUS.get(run.status, "error") if run.results else "infeasible"
    n, m = model.n_columns, model.n_breaks
    note = (f" ({run.parts} independent parts)" if run.parts > 1 else "")
    return Solved(
        status, (how + ": " if how else "") + "; ".join(messages) + note,
        np.round(run.values[:n]).astype(int) if found else None, run.values[n:n + m] if found else None,
        objective, bound, gap, seconds, _nodes(run), len(model.c), model.matrix.shape[0], run.parts)


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
