"""Shift columns and break variables for the covering model.

A column is one way to work: a shift type started at one time on one day, or, for a type with a weekly
pattern, at the same time on each working day of a days-off pattern (a tour). Its agents are the
model's integer variables.

Breaks are counted per *shift key* (a shift type started at one grid step): y_kgp agents of key k take
break group g at joint placement p, with sum_p y_kgp = the agents working a shift of key k. All agents of
a key have the same span and the same feasible placements, so any pairing of agents with placements is a
valid schedule. This is Dantzig's set covering over start x length x lunch position written implicitly
(Bechtold & Jacobs 1990, Aykin 1996): the same optimum and LP bound as one column per lunch position,
with far fewer variables and none of their symmetry. Groups are breaks whose windows overlap; their
placements are enumerated jointly so no two of an agent's breaks collide.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from sim.config.schema import WEEKDAYS
from sim.config.units import format_duration
from sim.errors import InputError
from sim.scheduling.grid import Grid, open_slots
from sim.scheduling.spec import Break, Shifts, ShiftType

MAX_COLUMNS = 300_000
MAX_PLACEMENTS = 5_000  # joint placements of one group of overlapping breaks

Placement = tuple[tuple[str, int, int], ...]  # (break name, start step after the shift start, steps)


@dataclass(frozen=True)
class Template:
    """A shift type in grid steps: its length, and per break group every feasible joint placement."""

    type_name: str
    length: int
    groups: tuple[tuple[Placement, ...], ...]

    def occupancy(self, group: int, placement: int) -> np.ndarray:
        """1 in the steps of the shift where an agent is on one of ``group``'s breaks at ``placement``."""
        out = np.zeros(self.length)
        for _, start, steps in self.groups[group][placement]:
            out[start:start + steps] = 1.0
        return out


@dataclass(frozen=True)
class Breaks:
    """Break variables: one per shift key x break group x joint placement, and how they link to columns."""

    keys: tuple[tuple[int, int], ...]  # per key: (shift type, start step)
    var_key: np.ndarray  # per variable: its key
    var_group: np.ndarray
    var_placement: np.ndarray
    occupancy: sparse.csc_matrix  # grid steps x variables: agents on a break
    link: sparse.csr_matrix  # (key, group) rows x variables: 1
    link_columns: sparse.csr_matrix  # (key, group) rows x columns: shifts of the key each column works

    def __len__(self) -> int:
        return len(self.var_key)


@dataclass(frozen=True)
class Columns:
    """Every column of the model: its type, shift starts, cost, coverage; and the break variables."""

    grid: Grid
    type_names: tuple[str, ...]
    templates: tuple[Template, ...]  # one per shift type
    type: np.ndarray  # per column: index into type_names
    starts: tuple[tuple[int, ...], ...]  # per column: the grid step each of its shifts starts at
    tour: np.ndarray  # per column: a weekly pattern (one agent, several shifts)
    cost: np.ndarray  # per column: cost of all its shifts
    paid_hours: np.ndarray  # per column: paid hours of all its shifts
    coverage: sparse.csc_matrix  # grid steps x columns: agents at work (breaks not yet taken)
    breaks: Breaks

    def __len__(self) -> int:
        return len(self.type)

    def days(self, j: int) -> tuple[int, ...]:
        """The horizon days column ``j`` works."""
        return tuple(s // self.grid.per_day for s in self.starts[j])

    def on_grid(self, start: int, profile: np.ndarray) -> np.ndarray:
        """``profile`` (one value per step of a shift) laid on the grid from step ``start``."""
        out = np.zeros(self.grid.slots)
        where = self.grid.positions(start, len(profile))
        np.add.at(out, where, profile[: len(where)])
        return out


def build_columns(shifts: Shifts, grid: Grid, interval: float, source: str | Path) -> Columns:
    """Every column the shift types allow on ``grid`` (``interval``: the default start step)."""
    longest = max(grid.slot(s.length) for s in shifts.shift_types.values())
    is_open = open_slots(grid, shifts, longest)
    templates, starts, kinds = [], [], []
    for t, (name, spec) in enumerate(shifts.shift_types.items()):
        where = f"{source}: shift_types.{name}"
        _fits_horizon(spec, grid, where)
        template = make_template(name, spec, grid, where)
        fitting = [s for s in _start_sets(spec, grid, interval, where)
                   if all(is_open[a:a + template.length].all() for a in s)]
        if not fitting:
            raise InputError(f"{where}: no start on its days fits inside the opening hours")
        templates.append(template)
        starts += fitting
        kinds += [t] * len(fitting)
    if len(starts) > MAX_COLUMNS:
        raise InputError(f"{source}: the shift types give {len(starts):,} columns, more than {MAX_COLUMNS:,}; use "
                         f"coarser start steps")
    specs = list(shifts.shift_types.values())
    type_of = np.array(kinds, dtype=int)
    shifts_per_column = np.array([len(s) for s in starts])
    cost = np.array([specs[t].cost() for t in type_of]) * shifts_per_column
    paid = np.array([specs[t].paid_hours for t in type_of]) * shifts_per_column
    tour = np.array([specs[t].work_days is not None for t in type_of], dtype=bool)
    coverage = _coverage(grid, templates, type_of, starts)
    return Columns(grid, tuple(shifts.shift_types), tuple(templates), type_of, tuple(starts), tour, cost, paid,
                   coverage, _breaks(grid, templates, type_of, starts))


def _fits_horizon(spec: ShiftType, grid: Grid, where: str) -> None:
    horizon = grid.days * 86400.0
    if spec.length > horizon:
        raise InputError(f"{where}.length: {format_duration(spec.length)} is longer than the requirement's horizon "
                         f"({format_duration(horizon)})")
    if spec.work_days is not None and grid.days != 7:
        raise InputError(f"{where}.work_days: a weekly pattern needs a requirement of one whole week (7 days), "
                         f"this one has {grid.days}; add the missing days with 0")


def make_template(name: str, spec: ShiftType, grid: Grid, where: str) -> Template:
    """The type's length in steps and, per group of overlapping breaks, every non-colliding joint placement."""
    groups = []
    for group in break_groups(spec.breaks):
        placements = tuple(p for p in itertools.product(*(_positions(b, grid) for b in group)) if not _overlap(p))
        if not placements:
            names = ", ".join(b.name for b in group)
            raise InputError(f"{where}.breaks: {names} cannot all be placed without overlapping; widen their windows")
        if len(placements) > MAX_PLACEMENTS:
            raise InputError(f"{where}.breaks: breaks with overlapping windows have {len(placements):,} joint "
                             f"positions, more than {MAX_PLACEMENTS:,}; give them a coarser step or narrower windows")
        groups.append(placements)
    return Template(name, grid.slot(spec.length), tuple(groups))


def break_groups(breaks: list[Break]) -> list[list[Break]]:
    """Breaks in groups whose windows (earliest start to latest end) overlap, earliest first."""
    groups: list[list[Break]] = []
    reach = -1.0
    for brk in sorted(breaks, key=lambda b: b.window[0]):
        end = brk.window[1] + brk.duration
        if groups and brk.window[0] < reach:
            groups[-1].append(brk)
            reach = max(reach, end)
        else:
            groups.append([brk])
            reach = end
    return groups


def _positions(brk: Break, grid: Grid) -> list[tuple[str, int, int]]:
    step = grid.slot(brk.step) if brk.step is not None else 1
    first, last = grid.slot(brk.window[0]), grid.slot(brk.window[1])
    return [(brk.name, s, grid.slot(brk.duration)) for s in range(first, last + 1, step)]


def _overlap(placement: Placement) -> bool:
    spans = sorted((start, start + steps) for _, start, steps in placement)
    return any(b[0] < a[1] for a, b in zip(spans, spans[1:]))


def _start_sets(spec: ShiftType, grid: Grid, interval: float, where: str) -> list[tuple[int, ...]]:
    """The grid steps one column's shifts start at: one per allowed day, or one per working day of a pattern."""
    earliest, latest, step = spec.starts
    offsets = range(grid.slot(earliest), grid.slot(latest) + 1, grid.slot(step if step is not None else interval))
    allowed = [d for d in range(grid.days) if WEEKDAYS[int(grid.weekday(d * grid.per_day))] in spec.days]
    if spec.work_days is None:
        return [(d * grid.per_day + o,) for d in allowed for o in offsets]
    patterns = day_patterns(spec.work_days, spec.consecutive_days_off, allowed)
    if not patterns:
        raise InputError(f"{where}.work_days: no pattern of {spec.work_days} working days fits its days")
    return [tuple(d * grid.per_day + o for d in days) for days in patterns for o in offsets]


def day_patterns(work_days: int, consecutive_off: bool, allowed: list[int]) -> list[tuple[int, ...]]:
    """Every set of ``work_days`` of the 7 days, inside ``allowed``; with ``consecutive_off`` the days off
    form one unbroken run, counted round the week (Sunday and Monday off is a run)."""
    out = []
    for days in itertools.combinations(range(7), work_days):
        off = [d for d in range(7) if d not in days]
        if not set(days) <= set(allowed):
            continue
        if consecutive_off and off and not any(all((first + k) % 7 in off for k in range(len(off))) for first in off):
            continue
        out.append(days)
    return out


def _coverage(grid: Grid, templates: list[Template], type_of: np.ndarray, starts) -> sparse.csc_matrix:
    row_parts, col_parts = [], []
    for j, (t, start_set) in enumerate(zip(type_of, starts)):
        for start in start_set:
            where = grid.positions(start, templates[t].length)
            row_parts.append(where)
            col_parts.append(np.full(len(where), j))
    rows, cols = np.concatenate(row_parts), np.concatenate(col_parts)
    return sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(grid.slots, len(type_of)))


def _breaks(grid: Grid, templates: Sequence[Template], type_of: np.ndarray, starts: Sequence[Sequence[int]]) -> Breaks:
    """Shift keys, one variable per key x break group x placement, and the rows tying them to the columns
    (``type_of``, ``starts``: per column)."""
    keys: dict[tuple[int, int], int] = {}
    member_key, member_column = [], []
    for j, (t, start_set) in enumerate(zip(type_of, starts)):
        for start in start_set:
            member_key.append(keys.setdefault((int(t), start), len(keys)))
            member_column.append(j)
    var_key, var_group, var_placement, var_row, occupied = [], [], [], [], []
    row_key: list[int] = []
    for (t, start), key in keys.items():
        template = templates[t]
        span = grid.positions(start, template.length)  # cut short at the end of a plain horizon
        for g, group in enumerate(template.groups):
            for p in range(len(group)):
                occupied.append(span[template.occupancy(g, p)[: len(span)] > 0])
                var_key.append(key)
                var_group.append(g)
                var_placement.append(p)
                var_row.append(len(row_key))
            row_key.append(key)
    n, rows = len(var_key), len(row_key)
    cols = np.repeat(np.arange(n), [len(o) for o in occupied])
    matrix = sparse.csc_matrix((np.ones(len(cols)), (np.concatenate(occupied or [np.zeros(0, int)]).astype(int), cols)),
                               shape=(grid.slots, n))
    link = sparse.csr_matrix((np.ones(n), (var_row, np.arange(n))), shape=(rows, n))
    row_of_key = sparse.csr_matrix((np.ones(rows), (np.arange(rows), row_key)), shape=(rows, len(keys)))
    key_columns = sparse.csr_matrix((np.ones(len(member_key)), (member_key, member_column)),
                                    shape=(len(keys), len(type_of)))
    return Breaks(tuple(keys), np.array(var_key, dtype=int), np.array(var_group, dtype=int),
                  np.array(var_placement, dtype=int), matrix, link, (row_of_key @ key_columns).tocsr())
