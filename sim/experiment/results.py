"""A sweep's results directory: one part per finished run (written atomically), combined tables at the end.

A run counts as done when its ``runs/<key>.json`` exists; that file is written
last, after the run's interval table. So a sweep killed at any moment (even
with kill -9) loses no finished run, and ``--resume`` redoes only the rest.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

import sim
from sim.errors import InputError
from sim.experiment.executors import Outcome
from sim.experiment.outdir import OutDir, kind_of, read_manifest
from sim.experiment.spec import Plan
from sim.experiment.store import git_commit, write_atomic, write_json
from sim.experiment.summary import paired_differences, summarise_scenarios
from sim.kpis import SUMMARY_KPIS

# Every table of ``RunTables`` a run keeps, a sweep keeps too, per run and combined (the event trace aside).
STORED = ("intervals", "tiers", "days", "weeks", "channels", "issues", "groups", "contacts")
TABLES = ("runs.parquet", *(f"{kind}.parquet" for kind in STORED), "summary.csv", "differences.csv", "results.xlsx")
EXTRA = ("days", "weeks", "channels", "issues", "groups")  # the optional tables of ``SweepResults``
# contacts only when asked for; the EXTRA tables and the workbook absent in older results
OPTIONAL = ("contacts.parquet", *(f"{kind}.parquet" for kind in EXTRA), "results.xlsx")
RUN_TABLES = ("runs.csv", "intervals.parquet", "tiers.csv", "days.csv")  # what a run directory must hold
RUN_OPTIONAL = ("weeks.csv", "channels.csv", "issues.csv", "groups.csv")  # absent in older run directories


@dataclass
class SweepResults:
    """The tables of a finished sweep, as DataFrames."""

    runs: pd.DataFrame
    intervals: pd.DataFrame
    tiers: pd.DataFrame
    summary: pd.DataFrame
    differences: pd.DataFrame
    contacts: pd.DataFrame | None
    manifest: dict
    days: pd.DataFrame | None = None  # one row per (scenario, replication, day); None in older results
    weeks: pd.DataFrame | None = None  # per (scenario, replication, week); these four None in older results
    channels: pd.DataFrame | None = None  # per (scenario, replication, channel)
    issues: pd.DataFrame | None = None  # per (scenario, replication, issue type)
    groups: pd.DataFrame | None = None  # per (scenario, replication, agent group)


class SweepStore:
    """Reads and writes one sweep's results directory (a directory servsim made, see ``outdir``)."""

    def __init__(self, out: Path, plan: Plan) -> None:
        self.out = Path(out)
        self.parts = self.out / "runs"
        self.plan = plan
        self.started = time.time()
        self.dir = OutDir(self.out, "sweep")
        self._report_files: list[str] = []

    def open(self, resume: bool) -> set[str]:
        """Claim and lock the directory; return the keys of runs already done (only when resuming)."""
        previous = self.dir.claim()
        try:
            if resume and previous is not None:
                if previous.get("fingerprint") != self.plan.fingerprint:
                    raise InputError(
                        f"{self.out}: these results come from a different experiment or settings "
                        f"(fingerprint {previous.get('fingerprint')} vs {self.plan.fingerprint}); "
                        "resume with the same file and options, or choose another --out"
                    )
                self.started = previous.get("started_unix", self.started)
                self._report_files = previous.get("report_files", [])
            else:
                self.dir.remove_previous(TABLES)
            self.parts.mkdir(parents=True, exist_ok=True)
            for leftover in self.parts.glob(".*"):  # a write cut short by kill -9
                leftover.unlink(missing_ok=True)
            done = self._done_keys()
            self._write_manifest("running", [])
        except BaseException:
            self.dir.release()
            raise
        return done

    def close(self) -> None:
        """Release the directory for other writers."""
        self.dir.release()

    def _done_keys(self) -> set[str]:
        """Runs whose marker is whole; a damaged one (cut by something outside servsim) is dropped and redone."""
        done = set()
        for path in self.parts.glob("s*_r*.json"):
            if path.name.endswith(".error.json"):
                continue
            try:
                json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                path.unlink()
                continue
            done.add(path.name.removesuffix(".json"))
        return done

    def save(self, outcome: Outcome) -> None:
        """Persist one run: tables first, then the JSON that marks it done (or the error record)."""
        key = outcome.spec.key
        base = {"scenario": outcome.spec.scenario_index,
                "scenario_name": self.plan.scenarios[outcome.spec.scenario_index].name,
                "replication": outcome.spec.replication, "seconds": outcome.seconds}
        if outcome.error is not None:
            write_json(self.parts / f"{key}.error.json", {**base, "error": outcome.error})
            return
        (self.parts / f"{key}.error.json").unlink(missing_ok=True)
        assert outcome.tables is not None
        for kind in STORED:
            frame = getattr(outcome.tables, kind)
            if frame is not None:
                write_atomic(self.parts / f"{key}.{kind}.parquet", frame.to_parquet)
        write_json(self.parts / f"{key}.json", {**base, "kpis": outcome.kpis})

    def finish(self) -> SweepResults:
        """Combine the parts into the final tables; the manifest says how many runs are done and failed."""
        plan, kpis = self.plan, self.plan.experiment.summary_kpis
        runs = self._runs_table()
        factors = self._factor_columns()
        tables: dict[str, pd.DataFrame | None] = {"runs.parquet": runs}
        for kind in STORED:
            tables[f"{kind}.parquet"] = self._stacked(kind) if kind != "contacts" or plan.experiment.contacts else None
        tables["summary.csv"] = summarise_scenarios(runs, kpis, factors) if len(runs) else pd.DataFrame()
        tables["differences.csv"] = paired_differences(runs, plan.baseline, kpis) if len(runs) else pd.DataFrame()
        for name, frame in tables.items():
            if frame is not None:
                writer = frame.to_csv if name.endswith(".csv") else frame.to_parquet
                write_atomic(self.out / name, partial(writer, index=False))
        failures = self.failures()
        done = len(self._done_keys())
        status = "complete" if done == len(plan.runs) else \
            "complete_with_failures" if done + len(failures) >= len(plan.runs) else "incomplete"
        results = SweepResults(runs, tables["intervals.parquet"], tables["tiers.parquet"], tables["summary.csv"],
                               tables["differences.csv"], tables["contacts.parquet"],
                               self._write_manifest(status, failures, done),
                               **{kind: tables[f"{kind}.parquet"] for kind in EXTRA})
        from sim.data.excel import sweep_workbook  # results.xlsx beside the tables

        sweep_workbook(results, self.out)
        results.manifest = self._write_manifest(status, failures, done)  # now listing the workbook too
        return results

    def failures(self) -> list[dict]:
        return [json.loads(p.read_text()) for p in sorted(self.parts.glob("*.error.json"))]

    def _runs_table(self) -> pd.DataFrame:
        rows = []
        for path in sorted(self.parts.glob("s*_r*.json")):
            if path.name.endswith(".error.json"):
                continue
            part = json.loads(path.read_text())
            spec = self.plan.scenarios[part["scenario"]]
            factors = {k: _cell(v) for k, v in spec.factors.items()}
            rows.append({"scenario": spec.index, "scenario_name": spec.name, **factors,
                         "replication": part["replication"], **part["kpis"], "wall_seconds": part["seconds"]})
        return pd.DataFrame(rows).sort_values(["scenario", "replication"], ignore_index=True) if rows else \
            pd.DataFrame(columns=["scenario", "scenario_name", "replication"])

    def _stacked(self, kind: str) -> pd.DataFrame:
        frames = []
        for path in sorted(self.parts.glob(f"s*_r*.{kind}.parquet")):
            if not (self.parts / path.name.replace(f".{kind}.parquet", ".json")).exists():
                continue  # a run killed between its tables and its marker is not done
            scenario, replication = (int(p[1:]) for p in path.name.split(".")[0].split("_"))
            frames.append(pd.read_parquet(path).assign(scenario=scenario, replication=replication))
        if not frames:
            return pd.DataFrame()
        frame = pd.concat(frames, ignore_index=True)
        return frame[["scenario", "replication"] + [c for c in frame.columns if c not in ("scenario", "replication")]]

    def _factor_columns(self) -> list[str]:
        return list(dict.fromkeys(k for s in self.plan.scenarios for k in s.factors))

    def _write_manifest(self, status: str, failures: list[dict], done: int = 0) -> dict:
        plan = self.plan
        manifest = {
            "kind": "sweep",
            "status": status,
            "experiment": plan.name,
            "experiment_file": str(plan.path),
            "experiment_text": plan.path.read_text(encoding="utf-8"),
            "fingerprint": plan.fingerprint,
            "servsim_version": sim.__version__,
            "git_commit": git_commit(),
            "root_seed": plan.experiment.seed,
            "replications": plan.experiment.replications,
            "baseline": plan.scenarios[plan.baseline].name,
            "kpis": plan.experiment.summary_kpis,
            "rank_by": plan.experiment.rank_by,
            "question": plan.experiment.question,
            "service_level_definition": plan.scenarios[0].scenario.service_level.definition,
            "scenarios": [{"index": s.index, "name": s.name, "factors": s.factors,
                           "config": s.scenario.model_dump(mode="json", by_alias=True)} for s in plan.scenarios],
            "runs_planned": len(plan.runs),
            "runs_done": done,
            "runs_failed": len(failures),
            "failures": failures,
            "files": [name for name in TABLES if (self.out / name).exists()],
            "report_files": self._report_files,
            "started_unix": self.started,
            "elapsed_seconds": time.time() - self.started,
        }
        write_json(self.out / "manifest.json", manifest)
        return manifest


def load_results(directory: str | Path) -> SweepResults:
    """The tables of a finished sweep's results directory, or of ``servsim run --out`` as a sweep of one
    scenario (so ``servsim report`` and the charts read both)."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest is None:
        raise InputError(f"{directory}: no manifest.json here; is it a sweep's results directory?")
    if kind_of(manifest) == "run":
        return _run_results(directory, manifest)
    if kind_of(manifest) != "sweep":
        raise InputError(f"{directory}: holds the results of `servsim {kind_of(manifest)}`, not of a run or sweep")
    if manifest.get("status") not in ("complete", "complete_with_failures"):
        raise InputError(f"{directory}: the sweep did not finish; run it again with --resume")
    missing = [name for name in TABLES if name not in OPTIONAL and not (directory / name).exists()]
    if missing:
        raise InputError(f"{directory}: {', '.join(missing)} missing; run the sweep again to rebuild the tables")
    return SweepResults(
        pd.read_parquet(directory / "runs.parquet"),
        pd.read_parquet(directory / "intervals.parquet"),
        pd.read_parquet(directory / "tiers.parquet"),
        pd.read_csv(directory / "summary.csv"),
        pd.read_csv(directory / "differences.csv"),
        _optional(directory / "contacts.parquet"),
        manifest,
        **{kind: _optional(directory / f"{kind}.parquet") for kind in EXTRA},
    )


def _run_results(directory: Path, manifest: dict) -> SweepResults:
    """A ``servsim run --out`` directory read as a sweep whose only scenario is its baseline."""
    missing = [name for name in RUN_TABLES if not (directory / name).exists()]
    if missing:
        raise InputError(f"{directory}: {', '.join(missing)} missing; run the scenario again with --out")
    name = manifest["scenario"].get("name", "scenario")
    ids = {"scenario": 0, "scenario_name": name}

    def read(file: str) -> pd.DataFrame:
        frame = pd.read_csv(directory / file) if file.endswith(".csv") else pd.read_parquet(directory / file)
        return frame.assign(**ids)[[*ids, *frame.columns]]

    runs = read("runs.csv")
    kpis = [k for k in SUMMARY_KPIS if k in runs.columns]
    contacts = directory / "contacts.parquet"
    as_sweep = {
        "experiment": name, "experiment_file": None, "baseline": name, "kpis": kpis, "rank_by": "service_level",
        "question": "", "runs_planned": len(runs), "runs_done": len(runs), "runs_failed": 0, "failures": [],
        "status": "complete", "scenarios": [{"index": 0, "name": name, "factors": {}, "config": manifest["scenario"]}],
    }
    extra = {file.removesuffix(".csv"): read(file) for file in RUN_OPTIONAL if (directory / file).exists()}
    return SweepResults(runs, read("intervals.parquet"), read("tiers.csv"), summarise_scenarios(runs, kpis, []),
                        paired_differences(runs, 0, kpis), read("contacts.parquet") if contacts.exists() else None,
                        {**manifest, **as_sweep}, read("days.csv"), **extra)


def record_report_files(directory: str | Path, paths: list[Path]) -> None:
    """Note in the manifest the report's files, so that a fresh sweep into the directory removes them (and only
    them: a file a user put in ``charts/`` stays)."""
    directory = Path(directory)
    manifest = read_manifest(directory) or {}
    names = [Path(p).resolve().relative_to(directory.resolve()).as_posix() for p in paths]
    manifest["report_files"] = sorted({*manifest.get("report_files", []), *names})
    write_json(directory / "manifest.json", manifest)


def _optional(path: Path) -> pd.DataFrame | None:
    """A table that a results directory may lack: None when it does."""
    return pd.read_parquet(path) if path.exists() else None


def _cell(value: object) -> object:
    """Factor values as table cells: lists and mappings become their JSON text."""
    return json.dumps(value) if isinstance(value, (list, dict)) else value
