"""Writing a staffing result: the requirements table, the manifest, and the scenario with the plan in it.

Only files servsim staff wrote are ever replaced: a results directory must be new, empty or hold a staff
manifest, and a scenario file must be new or start with the line ``servsim staff`` writes. Every file is
written atomically, the manifest last.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import pandas as pd
import yaml

import sim
from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.errors import InputError
from sim.staffing.plan import Staffing
from sim.staffing.runs import staffing_lists

MARK = "# Written by servsim staff"
TOOL = "servsim staff"


def check_out_dir(out: Path) -> None:
    """Refuse a directory that exists, is not empty and was not written by servsim staff."""
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out}: exists and is not a directory")
    if not out.exists() or not any(out.iterdir()):
        return
    manifest = out / "manifest.json"
    try:
        tool = json.loads(manifest.read_text(encoding="utf-8")).get("tool") if manifest.is_file() else None
    except (OSError, ValueError, AttributeError):
        tool = None
    if tool != TOOL:
        raise InputError(f"--out {out}: the directory is not empty and was not written by servsim staff; "
                         f"choose a new directory (nothing was written)")


def check_scenario_target(path: Path, source: Path) -> None:
    """Refuse to overwrite the source scenario or any file servsim staff did not write."""
    if path.exists() and source.exists() and path.resolve() == source.resolve():
        raise InputError(f"--write-scenario {path}: that is the scenario being staffed; give a new file name")
    if path.is_dir():
        raise InputError(f"--write-scenario {path}: is a directory")
    if path.exists():
        try:
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            first = ""
        if not first.startswith(MARK):
            raise InputError(f"--write-scenario {path}: the file exists and was not written by servsim staff; "
                             f"give a new file name (nothing was written)")


def scenario_data(result: Staffing, source: dict) -> dict:
    """The source scenario's YAML data with each sized group's ``staffing`` replaced by the plan (one headcount
    per interval of the horizon, training time off included) and its ``extra_agents`` dropped; a simulation
    method also sets the replications and seed it searched with, so ``servsim run`` shows what it saw."""
    data = json.loads(json.dumps(source))  # a deep copy of plain YAML values
    plans = {g.group: g.agents for g in result.groups}
    for group, staffing in staffing_lists(result.scenario, plans).items():
        spec = data["agents"][group]
        spec["staffing"] = staffing
        spec.pop("extra_agents", None)
    if result.request.simulated:
        data["replications"], data["seed"] = result.meta["replications"], result.meta["seed"]
    return data


def write_scenario(result: Staffing, source: dict, source_path: Path, path: Path, command: str) -> Path:
    """Write the planned scenario to ``path`` (checked to load as a scenario first)."""
    from sim.experiment.store import write_atomic

    data = scenario_data(result, source)
    validate(Scenario, data, str(path))
    groups = ", ".join(f"agents.{g.group}.staffing" for g in result.groups)
    header = (f"{MARK} ({command}).\n# From {source_path}: {groups} replaced by the requirement "
              f"({result.request.method}; {'; '.join(result.meta['targets'])}), one value per interval of the "
              f"horizon.\n")
    if result.request.simulated:
        header += (f"# replications and seed are those the plan was simulated with "
                   f"({result.meta['replications']}, {result.meta['seed']}).\n")
    text = header + yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=110, allow_unicode=True)
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path


def jsonable(value):
    """Plain JSON values: NaN and infinities become null, numpy scalars Python numbers."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict]:
    return [jsonable(row) for row in frame.to_dict("records")]


def write_results(result: Staffing, table: pd.DataFrame, out: Path, command: str, source_path: Path,
                  also: Sequence[Path] = ()) -> list[Path]:
    """``requirements.csv`` (and ``channels.csv`` when the plan was simulated), then ``manifest.json`` listing
    them and ``also`` (files already written there, e.g. the chart)."""
    from sim.experiment.store import git_commit, write_atomic, write_json

    written = []
    for name, frame in (("requirements.csv", table), ("channels.csv", result.channels)):
        if frame is not None:
            write_atomic(out / name, partial(frame.to_csv, index=False))
            written.append(out / name)
    written.append(write_workbook(result, table, out, command))
    written += list(also)
    manifest = {
        "tool": TOOL, "command": command, "servsim_version": sim.__version__, "git_commit": git_commit(),
        "scenario_file": str(source_path), "scenario": result.scenario.model_dump(mode="json", by_alias=True),
        "request": request_json(result), "meta": jsonable(result.meta), "summary": result.summary(),
        "files": [p.name for p in written],
    }
    write_json(out / "manifest.json", jsonable(manifest))
    return written + [out / "manifest.json"]


# units of the summary's totals (the per-interval columns take theirs from sim.data.excel.unit)
SUMMARY_UNITS = {"net_agent_hours": "agent-hours", "net_fte_hours": "agent-hours", "gross_agent_hours": "agent-hours",
                 "peak_net_agents": "agents", "unmet_intervals": "count"}


def write_workbook(result: Staffing, table: pd.DataFrame, out: Path, command: str) -> Path:
    """``results.xlsx``: about (the request), summary (totals per group), requirements (per interval, as in
    requirements.csv) and, when the plan was simulated, channels (as in channels.csv); units in the headers."""
    from sim.data import excel

    request = request_json(result)
    about = {"scenario": result.scenario.name, "command": command, "method": request["method"],
             "targets": "; ".join(request["targets"]), "service level definition": request["service_level_definition"],
             "thresholds (s)": ", ".join(f"{c} {t:g}" for c, t in request["thresholds_seconds"].items()),
             "shrinkage": request["shrinkage"], "occupancy cap": request["occupancy_cap"] or "none",
             "values": "requirements and channels are requirements.csv and channels.csv; shares are 0-1"}
    summary = pd.DataFrame([{"group": g, **totals} for g, totals in result.summary().items()])
    sheets = {"summary": summary, "requirements": table, "channels": result.channels}
    return excel.write_workbook(out / "results.xlsx", sheets, result.scenario.money.currency, about, SUMMARY_UNITS)


def request_json(result: Staffing) -> dict:
    r = result.request
    return {
        "method": r.method, "targets": result.meta["targets"],
        "service_level_definition": r.sl_definition(result.scenario), "thresholds_seconds": result.meta["thresholds"],
        "occupancy_cap": r.occupancy_cap, "max_agents": r.max_agents, "shrinkage": r.shrinkage.describe(),
        "channel": r.channel, "group": r.group,
        "max_iterations": r.iterations if r.method in ("isa", "simulate") else None, "check": r.check,
    }
