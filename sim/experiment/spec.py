"""Experiment files: a base scenario, what to vary, and how many replications; expanded purely into runs.

Expansion never simulates anything: ``expand`` turns an experiment into
validated scenarios (each with its factor values) and ``run_specs`` into the
(scenario, replication) pairs to run. Replication k of every scenario uses the
same random streams (common random numbers).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.config.files import anchor_files
from sim.config.loader import apply_overrides, read_yaml, set_path, validate
from sim.config.schema import Scenario
from sim.errors import InputError
from sim.kpis import EXPERIMENT_KPIS, KPIS


class Experiment(BaseModel):
    """What an experiment file may say; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str | None = None
    description: str = ""
    question: str = ""
    base: str
    set: dict[str, Any] = {}
    grid: dict[str, list[Any]] = {}
    zip: dict[str, list[Any]] = {}
    scenarios: dict[str, dict[str, Any]] = {}
    baseline: str | None = None
    replications: int = Field(default=10, ge=1)
    seed: int = Field(default=1, ge=0)
    kpis: list[str] = list(EXPERIMENT_KPIS)
    rank_by: str = "service_level"
    contacts: bool = False
    output: str | None = None

    @model_validator(mode="after")
    def _names_stay_put(self) -> Experiment:
        """``output`` and ``name`` name a folder under results/: no path of their own (``--out`` may go anywhere)."""
        for field in ("output", "name"):
            value = getattr(self, field)
            if value is not None and (not value.strip() or value in (".", "..") or "/" in value or "\\" in value
                                      or value.startswith("~")):
                raise ValueError(f"{field}: {value!r} must be a plain name (it becomes results/<name>); to write "
                                 "elsewhere use --out on the command line")
        return self

    @model_validator(mode="after")
    def _consistent(self) -> Experiment:
        for key, values in {**self.grid, **self.zip}.items():
            if not values:
                raise ValueError(f"factor {key!r} has an empty list of values")
        lengths = {len(v) for v in self.zip.values()}
        if len(lengths) > 1:
            raise ValueError(f"zip factors must have equal lengths, got {sorted(lengths)}")
        overlap = set(self.grid) & set(self.zip)
        if overlap:
            raise ValueError(f"a factor cannot be in both grid and zip: {sorted(overlap)}")
        unknown = [k for k in [*self.kpis, self.rank_by] if k not in KPIS]
        if unknown:
            raise ValueError(f"unknown KPI(s) {unknown}; known: {', '.join(KPIS)}")
        for key, values in self.grid.items():
            seen = [json.dumps(v, sort_keys=True, default=str) for v in values]
            if len(set(seen)) < len(seen):
                raise ValueError(f"grid factor {key!r} lists a value twice")
        return self

    @property
    def summary_kpis(self) -> list[str]:
        """The KPIs summarised per scenario: ``kpis``, plus ``rank_by`` if it is not among them."""
        return self.kpis if self.rank_by in self.kpis else [*self.kpis, self.rank_by]


@dataclass(frozen=True)
class ScenarioSpec:
    """One expanded scenario: its position, name, factor values and validated config."""

    index: int
    name: str
    factors: dict[str, Any]
    scenario: Scenario


@dataclass(frozen=True)
class RunSpec:
    """One simulation to run: a scenario's replication, from the experiment's root seed."""

    scenario_index: int
    replication: int
    seed: int

    @property
    def key(self) -> str:
        return f"s{self.scenario_index:04d}_r{self.replication:04d}"


@dataclass(frozen=True)
class Plan:
    """An experiment made concrete: every scenario validated, every run listed, and a fingerprint."""

    experiment: Experiment
    path: Path
    name: str
    scenarios: list[ScenarioSpec]
    baseline: int
    runs: list[RunSpec]
    fingerprint: str


MAX_RUNS = 100_000  # scenarios x replications a sweep may plan unless told otherwise (--max-runs)


def load_experiment(path: str | Path, overrides: list[str] | None = None, replications: int | None = None,
                    max_runs: int = MAX_RUNS) -> Plan:
    """Read, validate and expand an experiment file; every scenario is checked before anything runs.

    An experiment of more than ``max_runs`` runs is refused before anything is expanded.
    """
    path = Path(path)
    data = read_yaml(path)
    if replications is not None:
        data = {**data, "replications": replications}
    experiment = validate(Experiment, data, str(path) + (" (with --replications)" if replications else ""))
    _check_size(experiment, path, max_runs)
    base_path = (path.parent / experiment.base).resolve()
    base = anchor_files(read_yaml(base_path), base_path.parent)  # volumes and staffing files beside the base
    scenarios = expand(experiment, base, f"{path} (base {experiment.base})", overrides or [])
    baseline = _baseline_index(experiment, scenarios, path)
    runs = run_specs(len(scenarios), experiment.replications, experiment.seed)
    return Plan(experiment, path, experiment.output or experiment.name or path.stem, scenarios, baseline, runs,
                fingerprint(experiment, scenarios))


def expand(experiment: Experiment, base: dict[str, Any], source: str,
           overrides: list[str] | tuple[str, ...] = ()) -> list[ScenarioSpec]:
    """Named scenarios x full grid x zipped rows, each validated as a scenario.

    Settings apply in this order, later ones winning: the base file, the experiment's ``set``, the command
    line's ``--set`` ``overrides``, then each scenario's factors.
    """
    base = apply_overrides(_with(base, experiment.set, source), overrides, Scenario)
    named = list(experiment.scenarios.items()) or [("", {})]
    grid_keys = list(experiment.grid)
    grid_rows = [dict(zip(grid_keys, values)) for values in itertools.product(*experiment.grid.values())]
    zip_rows = [dict(zip(experiment.zip, values)) for values in zip(*experiment.zip.values())] or [{}]
    specs: list[ScenarioSpec] = []
    for (label, named_values), grid_row, zip_row in itertools.product(named, grid_rows, zip_rows):
        factors = {**grid_row, **zip_row}
        parts = ", ".join(dict.fromkeys(f"{_short(k)}={v}" for k, v in factors.items()))  # zipped twins once
        name = label or parts or "base"
        if label and factors:
            name = f"{label}: {parts}"
        where = f"{source}, scenario {name!r}"
        data = _with(_with(base, named_values, where), factors, where)
        data = set_path(data, ["output", "contacts"], experiment.contacts, where, Scenario)
        scenario = validate(Scenario, data, where)
        specs.append(ScenarioSpec(len(specs), name, factors, scenario))
    return specs


def _check_size(experiment: Experiment, path: Path, max_runs: int) -> None:
    """Refuse, before allocating anything, an experiment with more runs than ``max_runs``."""
    scenarios = max(1, len(experiment.scenarios)) * math.prod(len(v) for v in experiment.grid.values())
    scenarios *= len(next(iter(experiment.zip.values()))) if experiment.zip else 1
    runs = scenarios * experiment.replications
    if runs > max_runs:
        raise InputError(f"{path}: {scenarios:,} scenarios x {experiment.replications:,} replications = {runs:,} "
                         f"runs; at most {max_runs:,} unless you raise the cap with --max-runs")


def run_specs(n_scenarios: int, replications: int, seed: int) -> list[RunSpec]:
    """Every (scenario, replication) pair, replication-major so early results cover all scenarios."""
    return [RunSpec(s, r, seed) for r in range(replications) for s in range(n_scenarios)]


def fingerprint(experiment: Experiment, scenarios: list[ScenarioSpec]) -> str:
    """A hash of everything that decides the results: resume refuses a different one."""
    payload = {
        "replications": experiment.replications,
        "seed": experiment.seed,
        "contacts": experiment.contacts,
        "scenarios": [(s.name, s.scenario.model_dump(mode="json")) for s in scenarios],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _with(data: dict[str, Any], values: dict[str, Any], source: str) -> dict[str, Any]:
    for dotted, value in values.items():
        data = set_path(data, dotted.split("."), value, f"{source}: {dotted}", Scenario)
    return data


def _short(dotted: str) -> str:
    """``agents.phone_team.extra_agents`` -> ``extra_agents``: enough to tell factors apart in a name."""
    return dotted.rsplit(".", 1)[-1]


def _baseline_index(experiment: Experiment, scenarios: list[ScenarioSpec], path: Path) -> int:
    if experiment.baseline is None:
        return 0
    for spec in scenarios:
        if spec.name == experiment.baseline:
            return spec.index
    names = ", ".join(repr(s.name) for s in scenarios[:10])
    raise InputError(f"{path}: baseline: no scenario is named {experiment.baseline!r}; scenarios: {names}")
