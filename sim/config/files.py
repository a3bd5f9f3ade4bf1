"""Arrivals and staffing read from CSV or Excel files named in a scenario, turned into the values the schema knows.

``channels.phone.arrivals: {file: volumes.csv}`` becomes ``volumes: [...]`` (expected contacts per
interval) and ``agents.team.staffing: {file: staffing.xlsx}`` becomes the list of headcounts per
interval. A relative path is relative to the scenario file (``anchor_files``, called where the YAML
is read); the file is read when the scenario is validated (``resolve_files``), so a bad file is one
validation error naming the file, the row and the column.

Volumes file: ``timestamp``, ``volume`` (or the column named by ``column``), optional ``channel``.
Staffing file: ``timestamp`` (or ``time`` of day, ``"08:00"``, for one day), ``agents``, optional
``group``. Rows are consecutive intervals of the scenario's ``interval`` from 00:00 (a file longer
than a day starts on a Monday, like the horizon); a missing interval is an error.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import warnings
from pathlib import Path
from typing import Any

from sim.config.tables import TableError, numbers, read_table, regular_steps, timestamps, where
from sim.config.units import parse_clock, parse_duration
from sim.errors import InputWarning

DAY = 86400.0


def _file_specs(data: dict[str, Any]):
    """Every ``(mapping, key, kind, owner)`` in a raw scenario whose value names a file: ``volumes`` to read, or
    ``same`` where ``volumes`` are given beside the ``file`` (a dumped scenario keeps both) and must agree."""
    channels = data.get("channels")
    for name, channel in (channels.items() if isinstance(channels, dict) else ()):
        arrivals = channel.get("arrivals") if isinstance(channel, dict) else None
        if isinstance(arrivals, dict) and arrivals.get("file") is not None:
            yield channel, "arrivals", "same" if arrivals.get("volumes") is not None else "volumes", name
    agents = data.get("agents")
    for name, group in (agents.items() if isinstance(agents, dict) else ()):
        staffing = group.get("staffing") if isinstance(group, dict) else None
        if isinstance(staffing, dict) and staffing.get("file") is not None:
            yield group, "staffing", "staffing", name


def anchor_files(data: dict[str, Any], base_dir: str | Path) -> dict[str, Any]:
    """A copy of a raw scenario whose relative ``file`` paths are made relative to ``base_dir`` (the YAML's folder)."""
    data = copy.deepcopy(data)
    for parent, key, _, _ in _file_specs(data):
        file = parent[key]["file"]
        if isinstance(file, str) and not Path(file).is_absolute():
            parent[key]["file"] = str(Path(base_dir) / file)
    return data


def resolve_files(data: Any) -> Any:
    """A copy of a raw scenario with every named file read into ``volumes`` or a staffing list."""
    if not isinstance(data, dict) or not any(True for _ in _file_specs(data)):
        return data
    try:
        interval = parse_duration(data.get("interval", 1800.0))
    except ValueError:
        return data  # the interval's own error is reported by validation
    data = copy.deepcopy(data)
    for parent, key, kind, owner in _file_specs(data):
        spec = parent[key]
        if kind in ("volumes", "same"):
            column = spec.get("column") or "volume"
            if kind == "same" and not Path(str(spec["file"])).is_file():
                warnings.warn(f"channels.{owner}.arrivals: file {spec['file']} not found; using the 'volumes' "
                              "given beside it (as a scenario dumped after loading has them)", InputWarning,
                              stacklevel=2)
                continue
            volumes = read_volumes(str(spec["file"]), column, owner, interval)
            if kind == "same":
                _check_same(spec, volumes, owner, column)
            parent[key] = {**spec, "volumes": list(volumes)}
        else:
            extra = sorted(set(spec) - {"file"})
            if extra:
                raise ValueError(f"agents.{owner}.staffing: unknown key {', '.join(extra)} beside 'file'")
            parent[key] = list(read_staffing(str(spec["file"]), owner, interval))
    return data


def _check_same(spec: dict, volumes: tuple[float, ...], channel: str, column: str) -> None:
    """Inline ``volumes`` beside a ``file`` must be the file's (a dumped scenario); else which one is meant?"""
    inline = spec["volumes"]
    where = f"channels.{channel}.arrivals: 'volumes' and 'file' {spec['file']} (column {column}) both given"
    if not isinstance(inline, list) or len(inline) != len(volumes):
        count = len(inline) if isinstance(inline, list) else "not a list of"
        raise ValueError(f"{where}, with {count} and {len(volumes)} intervals; give one of them")
    for k, (mine, theirs) in enumerate(zip(inline, volumes)):
        if not isinstance(mine, (int, float)) or not math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-12):
            raise ValueError(f"{where}, and they differ at interval {k} ({mine!r} in volumes, {theirs:g} in the "
                             "file); give one of them")


def _stat(path: str) -> tuple[str, int, int]:
    try:
        info = Path(path).stat()
    except OSError:
        raise TableError(f"{path}: file not found") from None
    return path, info.st_mtime_ns, info.st_size


def read_volumes(path: str, column: str, channel: str, interval: float) -> tuple[float, ...]:
    """Expected contacts per interval for ``channel`` from a volumes file (cached while the file is unchanged)."""
    return _read_volumes(_stat(path), column, channel, interval)


@functools.lru_cache(maxsize=64)
def _read_volumes(stat: tuple[str, int, int], column: str, channel: str, interval: float) -> tuple[float, ...]:
    path = stat[0]
    frame = _rows_of(read_table(path, ("timestamp", column)), "channel", channel, path)
    stamps = timestamps(frame, "timestamp", path)
    _check_grid(stamps, path, "timestamp", interval)
    return tuple(numbers(frame, column, path).tolist())


def read_staffing(path: str, group: str, interval: float) -> tuple[int, ...]:
    """Agents per interval for ``group`` from a staffing file (cached while the file is unchanged)."""
    return _read_staffing(_stat(path), group, interval)


@functools.lru_cache(maxsize=64)
def _read_staffing(stat: tuple[str, int, int], group: str, interval: float) -> tuple[int, ...]:
    path = stat[0]
    frame = read_table(path, ("agents",))
    frame = _rows_of(frame, "group", group, path)
    if "timestamp" in frame.columns:
        _check_grid(timestamps(frame, "timestamp", path), path, "timestamp", interval)
    elif "time" in frame.columns:
        _check_clock(frame, path, interval)
    else:
        raise TableError(f"{path}: column timestamp (or time of day, 'time') missing "
                         f"(found: {', '.join(frame.columns)})")
    agents = numbers(frame, "agents", path)
    fractional = agents[agents != agents.round()]
    if len(fractional):
        raise TableError(f"{where(path, fractional.index[0], 'agents')}: {fractional.iloc[0]:g} is not a whole number")
    return tuple(int(a) for a in agents)


def _rows_of(frame, column: str, name: str, path: str):
    """The rows whose ``column`` is ``name`` when the file has that column (several channels or groups in one file)."""
    if column not in frame.columns:
        return frame
    labels = frame[column].astype(str).str.strip()
    rows = frame[labels == name]
    if rows.empty:
        raise TableError(f"{path}: no rows for {column} {name!r} (found: {', '.join(sorted(set(labels)))})")
    return rows


def _check_grid(stamps, path: str, column: str, interval: float) -> None:
    """Consecutive intervals of ``interval`` from 00:00, starting on a Monday when longer than a day."""
    step = regular_steps(stamps, path, column, None if len(stamps) > 1 else interval)
    if abs(step - interval) > 1e-6:
        raise TableError(f"{path}: rows are {step / 60:g}min apart; the scenario's interval is {interval / 60:g}min")
    first = stamps.iloc[0]
    if first != first.normalize():
        raise TableError(f"{where(path, stamps.index[0], column)}: the first interval starts at "
                         f"{first.time()}; start at 00:00 (closed intervals are rows with 0)")
    if len(stamps) * step > DAY + 1e-9 and first.day_of_week != 0:
        raise TableError(f"{where(path, stamps.index[0], column)}: {first.date()} is a {first.day_name()}; "
                         "a file longer than a day starts on a Monday, like the horizon")


def _check_clock(frame, path: str, interval: float) -> None:
    """A ``time`` column of one day: 00:00, then every ``interval``."""
    for pos, (label, value) in enumerate(frame["time"].items()):
        try:
            seconds = parse_clock(value.strftime("%H:%M") if isinstance(value, dt.time) else value)
        except ValueError as exc:
            raise TableError(f"{where(path, label, 'time')}: {exc}") from None
        if abs(seconds - pos * interval) > 1e-6:
            expected = f"{int(pos * interval // 3600):02d}:{int(pos * interval % 3600 // 60):02d}"
            raise TableError(f"{where(path, label, 'time')}: {value} where {expected} was expected "
                             f"(one row per {interval / 60:g}min from 00:00)")
