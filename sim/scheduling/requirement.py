"""The requirement a schedule must cover: agents needed per interval, read from a ``servsim staff`` table.

The file has one row per day x interval (x group): ``day`` (0 = the Monday the horizon starts on, 1, ...,
or a weekday name), ``interval_start`` (``HH:MM``) and the requirement in a numeric column (``net_fte`` by
default; fractions are kept). Every day must list every interval of the day from 00:00, once: a missing
interval is an error, never a silent zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.schema import WEEKDAYS
from sim.config.units import parse_clock
from sim.errors import InputError

DAY = 86400.0
KEY_COLUMNS = ("day", "interval_start")


@dataclass(frozen=True)
class Requirement:
    """Agents needed in each interval of ``days`` consecutive days, the first on weekday ``first_weekday``."""

    path: Path
    column: str
    group: str | None
    channel: str | None
    interval: float  # seconds
    days: int
    first_weekday: int  # 0 = Monday
    day_labels: tuple[str, ...]  # each day as the file wrote it
    values: np.ndarray  # days x intervals per day, flattened day by day
    rows: pd.DataFrame  # the file's rows for this group, in day x interval order

    @property
    def per_day(self) -> int:
        return round(DAY / self.interval)

    def where(self, index: int) -> str:
        """``tue 08:30`` for interval ``index``, for messages."""
        day, k = divmod(index, self.per_day)
        return f"{self.day_labels[day]} {clock(k * self.interval)}"


def clock(seconds: float) -> str:
    """``HH:MM`` of a time of day in seconds (``24:00`` and later wrap)."""
    minutes = round(seconds / 60) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def read_requirement(path: str | Path, column: str = "net_fte", group: str | None = None) -> Requirement:
    """The requirement in ``path`` (one group's rows), checked for gaps, duplicates and bad values."""
    path = Path(path)
    frame = _read_csv(path)
    missing = [c for c in (*KEY_COLUMNS, column) if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column {missing[0]!r} (the file has: {', '.join(frame.columns)})")
    frame = frame.assign(_line=np.arange(len(frame)) + 2)  # line numbers as an editor shows them
    frame, group = _one_group(frame, path, group)
    values = _numbers(frame, column, path)
    days, labels, first = _days(frame, path)
    starts = _clocks(frame, path)
    interval = _interval(starts, path)
    per_day = round(DAY / interval)
    slot = days * per_day + np.round(starts / interval).astype(int)
    grid = np.full(len(labels) * per_day, np.nan)
    order = np.argsort(slot, kind="stable")
    _no_duplicates(slot[order], frame["_line"].to_numpy()[order], labels, per_day, interval, path)
    grid[slot] = values
    if np.isnan(grid).any():
        gap = int(np.flatnonzero(np.isnan(grid))[0])
        day, k = divmod(gap, per_day)
        raise InputError(f"{path}: missing interval {labels[day]} {clock(k * interval)} (every day needs all "
                         f"{per_day} intervals from 00:00; write 0 where no agent is needed)")
    channel = _single(frame, "channel")
    rows = frame.iloc[order].drop(columns="_line").reset_index(drop=True)
    return Requirement(path, column, group, channel, interval, len(labels), first, tuple(labels), grid, rows)


def file_groups(path: str | Path) -> list[str]:
    """The groups a requirement file has rows for, in file order (none without a ``group`` column)."""
    frame = _read_csv(Path(path))
    return list(dict.fromkeys(frame["group"])) if "group" in frame.columns else []


def read_requirements(path: str | Path, column: str = "net_fte", group: str | None = None) -> list[Requirement]:
    """Each group's requirement in ``path`` (only ``group``'s if given); one without a ``group`` column. All
    groups must share the days and the interval: their schedules share one time grid."""
    groups = file_groups(path) if group is None else [group]
    out = [read_requirement(path, column, g) for g in groups] or [read_requirement(path, column)]
    for other in out[1:]:
        if (other.days, other.first_weekday, other.interval) != (out[0].days, out[0].first_weekday, out[0].interval):
            raise InputError(f"{path}: group: {other.group!r} covers other days or intervals than {out[0].group!r}; "
                             f"every group needs the same days and interval")
    return out


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a CSV file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({str(exc).splitlines()[0]})") from None
    if frame.empty:
        raise InputError(f"{path}: no rows")
    frame.columns = [c.strip() for c in frame.columns]
    return frame


def _one_group(frame: pd.DataFrame, path: Path, group: str | None) -> tuple[pd.DataFrame, str | None]:
    """The rows of ``group``; a file with several groups needs one chosen."""
    if "group" not in frame.columns:
        return frame, group
    groups = list(dict.fromkeys(frame["group"]))
    if group is None:
        if len(groups) > 1:
            raise InputError(f"{path}: group: the file has several groups ({', '.join(groups)}); "
                             f"choose one with --group")
        return frame, groups[0]
    if group not in groups:
        raise InputError(f"{path}: group: no rows for --group {group!r} (the file has: {', '.join(groups)})")
    return frame[frame["group"] == group], group


def _single(frame: pd.DataFrame, column: str) -> str | None:
    if column not in frame.columns:
        return None
    values = list(dict.fromkeys(frame[column]))
    return values[0] if len(values) == 1 else None


def _numbers(frame: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
    for problem, bad in (("not a number", ~np.isfinite(values)), ("negative", values < 0)):
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{path}: line {frame['_line'].iloc[i]}: {column}: {problem} "
                             f"({frame[column].iloc[i]!r}); agents needed must be a number >= 0")
    return values


def _days(frame: pd.DataFrame, path: Path) -> tuple[np.ndarray, list[str], int]:
    """Each row's day as 0, 1, ... from the first day; the labels of the days; the first day's weekday."""
    raw = frame["day"].str.strip()
    numeric = raw.str.fullmatch(r"\d+").to_numpy(bool)
    named = raw.str.lower().isin([*WEEKDAYS, *_FULL_NAMES]).to_numpy(bool)
    if numeric.all():
        numbers = raw.astype(int).to_numpy()
    elif named.all():
        numbers = raw.str.lower().str[:3].map(WEEKDAYS.index).to_numpy()
    else:
        i = int(np.flatnonzero(~(numeric if numeric[0] else named))[0])
        raise InputError(f"{path}: line {frame['_line'].iloc[i]}: day: {raw.iloc[i]!r} is not a day "
                         f"{'number (0 = Monday)' if numeric[0] else 'of the week (mon ... sun)'}, as the first "
                         f"row's is; use one kind throughout")
    weekday = numbers
    first, last = int(numbers.min()), int(numbers.max())
    present = set(numbers.tolist())
    gap = next((d for d in range(first, last + 1) if d not in present), None)
    if gap is not None:
        label = str(gap) if numeric.all() else WEEKDAYS[gap % 7]
        raise InputError(f"{path}: missing day {label} (the days must follow each other)")
    labels = [raw[numbers == d].iloc[0] for d in range(first, last + 1)]
    return numbers - first, labels, int(weekday.min()) % 7


_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _clocks(frame: pd.DataFrame, path: Path) -> np.ndarray:
    out = np.empty(len(frame))
    for i, text in enumerate(frame["interval_start"]):
        try:
            seconds = parse_clock(text.strip()) if ":" in text else math.nan
        except ValueError:
            seconds = math.nan
        if not 0 <= seconds < DAY:
            raise InputError(f"{path}: line {frame['_line'].iloc[i]}: interval_start: {text!r} is not a time of day "
                             f"(HH:MM, 00:00 to 23:59)")
        out[i] = seconds
    return out


def _interval(starts: np.ndarray, path: Path) -> float:
    """The interval length: the smallest gap between distinct starts; it must divide the day and fit every start."""
    distinct = np.unique(starts)
    step = float(np.diff(distinct).min()) if len(distinct) > 1 else DAY
    if not math.isclose(DAY / step, round(DAY / step)) or not np.allclose(distinct / step, np.round(distinct / step)):
        raise InputError(f"{path}: interval_start: the starts ({clock(distinct[0])}, {clock(distinct[1])}, ...) are "
                         f"not a regular grid of intervals that divide the day (e.g. every 15 or 30 minutes)")
    return step


def _no_duplicates(slots: np.ndarray, lines: np.ndarray, labels: list[str], per_day: int, interval: float,
                   path: Path) -> None:
    twice = np.flatnonzero(np.diff(slots) == 0)
    if twice.size:
        k = int(twice[0])
        day, index = divmod(int(slots[k]), per_day)
        raise InputError(f"{path}: line {lines[k + 1]}: {labels[day]} {clock(index * interval)} appears twice "
                         f"(also line {lines[k]}); one row per day and interval")
