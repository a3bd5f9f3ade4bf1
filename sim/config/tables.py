"""Tables users keep in CSV or Excel: read them, and say exactly where a cell is wrong.

Every reader of a user's table (volumes and staffing named in a scenario, contact logs,
volume histories) goes through here, so a bad cell is always reported the same way:
``FILE: row R, column C: problem``, with R the row number a spreadsheet shows (the header
is row 1).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
TABLE_SUFFIXES = (".csv", *EXCEL_SUFFIXES)


class TableError(ValueError):
    """A problem in a user's table; the message names the file and, where there is one, the row and column."""


def where(path: str | Path, row: int | None = None, column: str | None = None) -> str:
    """``FILE: row R, column C`` for messages; ``row`` is the frame's index label (0 = the first data row)."""
    parts = [str(path)]
    if row is not None:
        parts.append(f"row {row + 2}")
    if column is not None:
        parts.append(f"column {column}")
    return ": ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "")


def read_table(path: str | Path, required: tuple[str, ...] = (), sheet: str | int = 0):
    """The table in a CSV or xlsx file as a DataFrame of the cells as written (headers stripped of blanks).

    Raises ``TableError`` when the file is missing, unreadable, empty, or lacks a ``required`` column.
    """
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise TableError(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise TableError(f"{path}: expected a .csv or .xlsx file")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True)
        else:
            frame = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl")
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError, KeyError) as exc:
        raise TableError(f"{path}: cannot be read ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") \
            from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.dropna(how="all")  # the index keeps each row's place in the file, for messages
    if frame.empty:
        raise TableError(f"{path}: the table has no rows")
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise TableError(f"{path}: column {', '.join(missing)} missing (found: {', '.join(frame.columns)})")
    return frame


def numbers(frame, column: str, path: str | Path, minimum: float | None = 0.0, allow_blank: bool = False):
    """``column`` as floats; a cell that is not a number, or below ``minimum``, is a ``TableError``."""
    import numpy as np
    import pandas as pd

    raw = frame[column]
    values = pd.to_numeric(raw.map(lambda v: v.strip() if isinstance(v, str) else v), errors="coerce")
    bad = values.isna() & (raw.notna() | (not allow_blank))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        shown = raw.iloc[pos]
        problem = "is blank" if pd.isna(shown) else f"{shown!r} is not a number"
        raise TableError(f"{where(path, frame.index[pos], column)}: {problem}")
    values = values.astype(float)
    if not np.isfinite(values.dropna()).all():
        pos = int(np.flatnonzero(~np.isfinite(values.fillna(0.0).to_numpy()))[0])
        raise TableError(f"{where(path, frame.index[pos], column)}: {raw.iloc[pos]!r} is not a finite number")
    if minimum is not None and (values < minimum).any():
        pos = int(np.flatnonzero((values < minimum).to_numpy())[0])
        problem = "is negative" if minimum == 0 else f"is below {minimum:g}"
        raise TableError(f"{where(path, frame.index[pos], column)}: {values.iloc[pos]:g} {problem}")
    return values


def timestamps(frame, column: str, path: str | Path, fmt: str | None = None):
    """``column`` as pandas timestamps (ISO 8601 unless ``fmt``); an unparseable cell is a ``TableError``."""
    import numpy as np
    import pandas as pd

    raw = frame[column]
    if fmt is None and pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw
    else:
        text = raw.map(_timestamp_text)
        parsed = pd.to_datetime(text, format=fmt or "ISO8601", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        shown = raw.iloc[pos]
        problem = "is blank" if pd.isna(shown) else \
            f"{shown!r} is not a date and time ({'format ' + fmt if fmt else 'e.g. 2024-01-01 08:30:00'})"
        raise TableError(f"{where(path, frame.index[pos], column)}: {problem}")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed


def _timestamp_text(value: object) -> object:
    """Excel hands over datetimes; CSV cells are text. Both become text pandas can parse."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value.strip() if isinstance(value, str) else value


def regular_steps(stamps, path: str | Path, column: str, step_seconds: float | None = None) -> float:
    """The interval length of consecutive ``stamps`` (their most common step, or ``step_seconds``).

    Timestamps out of order, repeated, or with a gap (a missing interval) are a ``TableError``.
    """
    import numpy as np
    import pandas as pd

    seconds = ((stamps - stamps.iloc[0]) / pd.Timedelta(seconds=1)).to_numpy(float)
    if len(seconds) < 2:
        if step_seconds is None:
            raise TableError(f"{path}: one row only; cannot tell the interval length")
        return float(step_seconds)
    steps = np.diff(seconds)
    if step_seconds is None:
        values, counts = np.unique(steps, return_counts=True)
        step_seconds = float(values[np.argmax(counts)])
    wrong = np.flatnonzero(~np.isclose(steps, step_seconds))
    if wrong.size:
        i = int(wrong[0]) + 1
        gap = steps[i - 1]
        if gap <= 0:
            problem = f"{stamps.iloc[i]} is {'a repeat of' if gap == 0 else 'earlier than'} the row above"
        else:
            missing = gap / step_seconds - 1
            problem = (f"{stamps.iloc[i]} follows {stamps.iloc[i - 1]}: "
                       + (f"{missing:g} interval(s) of {step_seconds / 60:g}min missing" if missing > 0 and
                          float(missing).is_integer() else f"not a whole {step_seconds / 60:g}min step"))
        raise TableError(f"{where(path, stamps.index[i], column)}: {problem}")
    return float(step_seconds)
