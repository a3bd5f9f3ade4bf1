"""Excel workbooks of results, units in every header, for the people who live in Excel.

``write_workbook`` is the one writer (any named tables; ``staff`` and ``schedule`` call it too);
``run_workbook`` and ``sweep_workbook`` choose the sheets of a run and of a sweep. Values stay in
servsim's units (seconds, shares 0-1, the scenario's currency) and each header says which:
``asa_seconds (s)``, ``service_level (share 0-1)``, ``labour_cost (EUR)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from sim.kpis import REGISTRY

MONEY = ("revenue", "labour_cost", "training_cost", "hiring_cost", "revenue_at_risk", "cost_per_contact",
         "net_value", "hourly_cost")
ANNUAL = ("churn_rate", "agent_attrition_rate")
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
# staffing and scheduling columns (agents on the floor, offered load) by name
NAMED = {"offered_load": "Erlang", "arrivals": "count", "offered": "count", "shrinkage": "share 0-1",
         "wait_probability": "share 0-1", "net_fte": "agents", "net_agents": "agents", "gross_fte": "agents",
         "gross_agents": "agents", "required": "agents", "at_work": "agents", "on_break": "agents",
         "on_floor": "agents", "under": "agents", "over": "agents", "on_floor_added": "agents"}
KEYS = ("scenario", "scenario_name", "replication", "interval", "day", "week", "channel", "tier", "issue", "group",
        "kpi", "n", "date", "time")


def unit(column: str, currency: str = "EUR") -> str:
    """The unit of a result column: ``s``, ``share 0-1``, ``per year``, a currency, ``count`` or '' (none).

    KPIs take theirs from the registry (``sim.kpis``); other columns are read from their names.
    """
    base = column.removesuffix("_mean").removesuffix("_ci_low").removesuffix("_ci_high").removeprefix("simulated_")
    if base in NAMED:
        return NAMED[base]
    entry = REGISTRY.get(base)
    if entry is not None:
        return {"share": "share 0-1", "share_per_year": "share per year", "seconds": "s", "money": currency,
                "count": "count", "agents": "agents", "scale_0_1": "0-1", "csat_1_5": "1-5",
                "points": "points", "count_per_day": "per day"}.get(entry.unit, "")
    if base.endswith("_seconds") or base in ("seconds", "wall_seconds"):
        return "s"
    if base.endswith(ANNUAL):
        return "share per year"
    if base.startswith("service_level"):
        return "share 0-1"
    if base.endswith(MONEY):
        return currency
    if base in ("handled", "quits", "hires", "agents_scheduled"):
        return "count"
    if base.endswith(("_hours",)):
        return "h"
    return ""


def with_units(frame: pd.DataFrame, currency: str = "EUR", units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with each header followed by its unit in brackets where it has one (``units`` overrides)."""
    units = units or {}
    names = {c: f"{c} ({u})" if (u := units.get(str(c)) or unit(str(c), currency)) and c not in KEYS else str(c)
             for c in frame.columns}
    return frame.rename(columns=names)


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame | None], currency: str = "EUR",
                   about: Mapping[str, object] | None = None, units: Mapping[str, str] | None = None) -> Path:
    """One sheet per non-empty table (headers with units, columns sized to fit), an ``about`` sheet first
    when given; written atomically. Tables longer than Excel allows are cut, and the cut is noted there."""
    from sim.experiment.store import write_atomic

    path = Path(path)
    notes = dict(about or {})
    tables = {}
    for name, frame in sheets.items():
        if frame is None or frame.empty:
            continue
        if len(frame) > EXCEL_MAX_ROWS:
            notes[f"sheet {name}"] = f"first {EXCEL_MAX_ROWS:,} of {len(frame):,} rows (the CSV/parquet has all)"
            frame = frame.iloc[:EXCEL_MAX_ROWS]
        tables[name[:31]] = with_units(frame, currency, units)

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            if notes:
                pd.DataFrame({"item": list(notes), "value": [str(v) for v in notes.values()]}).to_excel(
                    writer, sheet_name="about", index=False)
            for name, frame in tables.items():
                frame.to_excel(writer, sheet_name=name, index=False)
            for sheet in writer.sheets.values():
                _fit_columns(sheet)

    write_atomic(path, write)
    return path


def _fit_columns(sheet) -> None:
    """Columns as wide as their header (at least 10 characters), the header row frozen."""
    for column in sheet.iter_cols(min_row=1, max_row=1):
        cell = column[0]
        sheet.column_dimensions[cell.column_letter].width = max(10, min(60, len(str(cell.value or "")) + 2))
    sheet.freeze_panes = "A2"


def _by_interval(intervals: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """Per-interval KPIs averaged over replications, with the clock time of each interval."""
    numeric = [c for c in intervals.select_dtypes("number").columns if c not in (*keys, "replication")]
    table = intervals.groupby(list(keys), sort=True)[numeric].mean().reset_index()
    if "start_seconds" in table.columns:
        clock = table["start_seconds"] % 86400
        table.insert(len(keys), "time", [f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}" for s in clock])
    return table


def run_workbook(results, out: Path) -> Path:
    """``results.xlsx`` of a run: about, summary, per-interval and per-channel (means over replications), groups."""
    scenario = results.scenario
    currency = scenario.money.currency
    summary = results.summary.assign(unit=lambda f: [unit(k, currency) for k in f["kpi"]])
    summary = summary[["kpi", "unit", "mean", "ci_low", "ci_high", "n"]]
    channels = results.channels.groupby("channel", observed=True).mean(numeric_only=True).drop(
        columns="replication", errors="ignore").reset_index()
    groups = results.groups.groupby("group", observed=True).mean(numeric_only=True).drop(
        columns="replication", errors="ignore").reset_index()
    about = {"scenario": scenario.name, "replications": results.meta.get("replications"),
             "root seed": results.meta.get("root_seed"),
             "service level": f"answered within {scenario.service_level.threshold:g} s, "
                              f"{scenario.service_level.definition} definition",
             "values": "means over replications; summary has 95% intervals; shares are 0-1"}
    return write_workbook(out / "results.xlsx", {"summary": summary,
                                                 "intervals": _by_interval(results.intervals, ("interval",)),
                                                 "channels": channels, "groups": groups}, currency, about)


def sweep_workbook(results, out: Path) -> Path:
    """``results.xlsx`` of a sweep: about, summary, differences against the baseline, per-interval means."""
    manifest = results.manifest
    baseline = next((s for s in manifest["scenarios"] if s["name"] == manifest["baseline"]), manifest["scenarios"][0])
    currency = (baseline.get("config", {}).get("money") or {}).get("currency", "EUR")
    intervals = _by_interval(results.intervals, ("scenario", "interval")) if len(results.intervals) else None
    about = {"experiment": manifest["experiment"], "replications": manifest["replications"],
             "root seed": manifest["root_seed"], "baseline": manifest["baseline"],
             "service level definition": manifest["service_level_definition"],
             "values": "summary: means with 95% intervals over replications; differences: paired against the "
                       "baseline; shares are 0-1"}
    return write_workbook(out / "results.xlsx", {"summary": results.summary, "differences": results.differences,
                                                 "intervals": intervals}, currency, about)


def write_run_files(results, out: Path) -> list[Path]:
    """What ``servsim run --out`` writes beside its CSV/parquet: ``results.xlsx``, and ``contacts.csv`` (the
    contact-log format) when contacts were recorded."""
    from sim.data.logs import write_contact_log

    written = [run_workbook(results, Path(out))]
    if results.contacts is not None:
        written.append(write_contact_log(results.contacts, results.scenario.horizon, Path(out) / "contacts.csv"))
    return written
