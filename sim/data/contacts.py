"""The contact-log format (``docs/data.md``): read a centre's log from CSV or xlsx, check every cell, and
return it with servsim's column names and types.

One row per contact. Required: ``arrival_time``, ``channel``, ``wait_seconds``, ``outcome``,
``handle_seconds``. Optional: ``queue``, ``tier``, ``acw_seconds``, ``agent_id``, ``customer_id``,
``resolved``, ``transferred``; estimates that need an absent column are skipped with a note.
A bad cell is a ``TableError`` naming the file, the row and the column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.schema import CHANNELS
from sim.config.tables import TableError, numbers, read_table, timestamps, where
from sim.data.mapping import DURATION_FIELDS, ColumnMap

REQUIRED = ("arrival_time", "channel", "wait_seconds", "outcome", "handle_seconds")
OPTIONAL = ("queue", "tier", "acw_seconds", "agent_id", "customer_id", "resolved", "transferred")
OUTCOMES = ("answered", "abandoned", "balked", "queued_at_end")
TRUE, FALSE = {"true", "yes", "y", "1", "1.0"}, {"false", "no", "n", "0", "0.0"}
UNIT_SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0}


def read_contacts(path: str | Path, mapping: ColumnMap | None = None, channels: tuple[str, ...] = ()) -> pd.DataFrame:
    """The log in ``path`` with servsim's columns (``REQUIRED`` plus the ``OPTIONAL`` ones present), in file order.

    ``channels``: only these channels, each of which must have rows. ``frame.attrs["source"]`` is the path;
    the index is each row's place in the file (for messages).
    """
    mapping = mapping or ColumnMap()
    path = Path(path)
    raw = read_table(path, tuple(mapping.column(f) for f in REQUIRED if f not in mapping.constants))
    frame = pd.DataFrame(index=raw.index)
    for field in (*REQUIRED, *OPTIONAL):
        if field in mapping.constants:
            frame[field] = mapping.constants[field]
        elif mapping.column(field) in raw.columns:
            frame[field] = _field(raw, field, mapping, path)
    _check_outcomes(frame, mapping, path)
    frame = _only_channels(frame, channels, mapping, path)
    frame.attrs["source"] = str(path)
    return frame


def _field(raw: pd.DataFrame, field: str, mapping: ColumnMap, path: Path) -> pd.Series:
    column = mapping.column(field)
    codes = mapping.codes(field)
    if field == "arrival_time":
        return timestamps(raw, column, path, mapping.timestamp_format)
    if field in DURATION_FIELDS:
        return _seconds(raw, column, mapping.unit(field), path, allow_blank=field != "wait_seconds")
    if field in ("resolved", "transferred"):
        return _flags(raw, column, codes, path)
    text = raw[column].map(lambda v: str(v).strip() if pd.notna(v) else v)
    if codes:
        text = text.map(lambda v: codes.get(v, v))
    if field == "channel":
        bad = ~text.isin(CHANNELS)
        if bad.any():
            label = bad.idxmax()
            raise TableError(f"{where(path, label, column)}: {text[label]!r} is not a channel; use one of "
                             f"{', '.join(CHANNELS)} (or map your names under values.channel)")
    elif field == "outcome":
        bad = ~text.isin(OUTCOMES)
        if bad.any():
            label = bad.idxmax()
            raise TableError(f"{where(path, label, column)}: {text[label]!r} is not an outcome; use one of "
                             f"{', '.join(OUTCOMES)} (or map your codes under values.outcome)")
    return text


def _seconds(raw: pd.DataFrame, column: str, unit: str, path: Path, allow_blank: bool) -> pd.Series:
    """A duration column in seconds: numbers in ``unit``, ``hh:mm:ss`` text, or Excel times."""
    cells = raw[column]
    if unit == "hh:mm:ss" or cells.map(lambda v: isinstance(v, (dt.time, dt.timedelta))).any():
        def to_seconds(v):
            if isinstance(v, dt.time):
                return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
            if isinstance(v, dt.timedelta):
                return v.total_seconds()
            if pd.isna(v) or (isinstance(v, str) and not v.strip()):
                return np.nan
            try:
                return pd.to_timedelta(str(v).strip()).total_seconds()
            except ValueError:
                return str(v)
        cells = cells.map(to_seconds)
        frame = pd.DataFrame({column: cells}, index=raw.index)
        return numbers(frame, column, path, minimum=0.0, allow_blank=allow_blank)
    return numbers(raw, column, path, minimum=0.0, allow_blank=allow_blank) * UNIT_SECONDS[unit]


def _flags(raw: pd.DataFrame, column: str, codes: dict[str, str] | None, path: Path) -> pd.Series:
    def flag(value):
        if pd.isna(value) or (isinstance(value, str) and not value.strip()):
            return pd.NA
        text = str(value).strip()
        text = (codes or {}).get(text, text).lower()
        return True if text in TRUE else False if text in FALSE else text
    flags = raw[column].map(flag)
    bad = flags.map(lambda v: not (v is pd.NA or isinstance(v, bool)))
    if bad.any():
        label = bad.idxmax()
        raise TableError(f"{where(path, label, column)}: {raw[column][label]!r} is not true or false")
    return flags.astype("boolean")


def _check_outcomes(frame: pd.DataFrame, mapping: ColumnMap, path: Path) -> None:
    """Only answered contacts have handle time and after-contact work; answered ones need a handle time."""
    served = frame["outcome"] == "answered"
    for field in ("handle_seconds", "acw_seconds"):
        if field not in frame.columns:
            continue
        wrong = ~served & frame[field].fillna(0.0).gt(0)
        if wrong.any():
            label = wrong.idxmax()
            raise TableError(f"{where(path, label, mapping.column(field))}: a contact that was "
                             f"{frame['outcome'][label]} has {field.removesuffix('_seconds')} time "
                             f"{frame[field][label]:g} s; only answered contacts are handled")
    missing = served & frame["handle_seconds"].isna()
    if missing.any():
        label = missing.idxmax()
        raise TableError(f"{where(path, label, mapping.column('handle_seconds'))}: an answered contact "
                         "needs its handle time")


def _only_channels(frame: pd.DataFrame, channels: tuple[str, ...], mapping: ColumnMap, path: Path) -> pd.DataFrame:
    for channel in channels:
        if channel not in CHANNELS:
            raise TableError(f"{path}: {channel!r} is not a channel; use one of {', '.join(CHANNELS)}")
        if not (frame["channel"] == channel).any():
            found = ", ".join(sorted(frame["channel"].unique()))
            raise TableError(f"{where(path, None, mapping.column('channel'))}: no rows for channel {channel!r} "
                             f"(found: {found})")
    return frame[frame["channel"].isin(channels)] if channels else frame
