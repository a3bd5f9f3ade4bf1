"""Sensitivity of an experiment's answer to the model's uncertain coefficients (``servsim sensitivity``).

The headline difference (one option against the baseline, on one KPI) is recomputed with each uncertain
behaviour coefficient at the low and at the high end of its range, every other setting as in the experiment.
Every variant runs the same replications with the same root seed, so replication k of every variant sees
the same customers (common random numbers): a coefficient the KPI does not depend on moves nothing.

``COEFFICIENTS`` is the one list of what is varied and between which values; docs/sensitivity.md is made from
it (``python -m sim.experiment.sensitivity``). Ranges are the ones docs/model.md gives (from the evidence
note's parameter table, §2.10); where it gives none, ±50 % of the default, marked *illustrative*.

Cost: 2 x coefficients x 2 (baseline and option) x replications runs, on top of the experiment's own sweep.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.errors import InputError
from sim.experiment.executors import Outcome, Task, execute
from sim.experiment.spec import MAX_RUNS, Plan, RunSpec, load_experiment
from sim.kpis import HIGHER, LOWER, REGISTRY
from sim.metrics import confidence_interval

ILLUSTRATIVE = "illustrative: ±50 % of the default (docs/model.md gives no range)"
COLUMNS = ["coefficient", "low", "high", "diff_low", "diff_high", "swing", "flips", "swing_ci_low", "swing_ci_high",
           "kpi", "option", "baseline", "diff_central", "grade", "range_source"]


@dataclass(frozen=True)
class Coefficient:
    """One uncertain coefficient: its config key, the values tried, and where the range comes from."""

    key: str
    default: str
    low: str
    high: str
    grade: str  # as docs/model.md grades the default
    source: str  # where the low/high range comes from


COEFFICIENTS: tuple[Coefficient, ...] = (
    Coefficient("behaviour.frustration.wait_coefficient", "0.05", "0.02", "0.1", "D",
                "docs/model.md §3 range 0.02–0.10"),
    Coefficient("behaviour.frustration.empathy_factor", "0.7", "0.5", "0.9", "D", "docs/model.md §3 range 0.5–0.9"),
    Coefficient("behaviour.frustration.repeat_contact", "0.18", "0.1", "0.25", "B→D",
                "docs/model.md §3 range 0.10–0.25"),
    Coefficient("behaviour.resolution.repeat_probability", "0.9", "0.7", "1.0", "D",
                "docs/model.md §5 range 0.7–1.0"),
    Coefficient("behaviour.learning.skill_gain", "0.3", "0.15", "0.45", "D", ILLUSTRATIVE),
    Coefficient("behaviour.learning.training_scale_hours", "40h", "20h", "60h", "D", ILLUSTRATIVE),
    Coefficient("behaviour.learning.tenure_scale", "3mo", "2mo", "4mo", "C→D", "docs/model.md §6 range 2–4 months"),
    Coefficient("behaviour.learning.empathy_gain", "0.3", "0.15", "0.45", "D", ILLUSTRATIVE),
    Coefficient("behaviour.training.retention_time", "20mo", "10mo", "30mo", "B→D", ILLUSTRATIVE),
    Coefficient("behaviour.exhaustion.handle_effect", "0.2", "0.1", "0.3", "D", ILLUSTRATIVE),
    Coefficient("behaviour.satisfaction.b_R", "1.17", "0.82", "1.52", "B→D", "docs/model.md §10.1 range ±30 %"),
    Coefficient("behaviour.satisfaction.b_F", "2.2", "1.54", "2.86", "B→D", "docs/model.md §10.1 range ±30 %"),
    Coefficient("behaviour.satisfaction.b_emp", "0.5", "0.3", "1.0", "D", "docs/model.md §10.1 range 0.3–1.0"),
    Coefficient("behaviour.defection.kappa", "0.3", "0.3", "0.8", "D", "docs/model.md §10.2 range 0.3–0.8"),
    Coefficient("behaviour.loyalty.background_churn", "0.1", "0.05", "0.15", "D", ILLUSTRATIVE),
    Coefficient("behaviour.loyalty.churn_sensitivity", "1", "0.5", "1.5", "D", ILLUSTRATIVE),
    Coefficient("behaviour.attrition.exhaustion_multiplier", "3", "1.5", "4.5", "D", ILLUSTRATIVE),
)
BY_KEY = {c.key: c for c in COEFFICIENTS}
RUN_IDS = ["coefficient", "side", "scenario_name", "replication"]


def select(names: list[str] | tuple[str, ...]) -> list[Coefficient]:
    """The coefficients named (full key or its last part); all of them when none is named."""
    if not names:
        return list(COEFFICIENTS)
    chosen = []
    for name in names:
        found = [c for c in COEFFICIENTS if name in (c.key, c.key.removeprefix("behaviour."),
                                                     c.key.rsplit(".", 1)[-1])]
        if len(found) != 1:
            problem = "is ambiguous" if found else "is not an uncertain coefficient servsim varies"
            raise InputError(f"--coefficient {name!r}: {problem}; choose from {', '.join(BY_KEY)}")
        chosen.append(found[0])
    return list(dict.fromkeys(chosen))


def runs_needed(coefficients: int, replications: int) -> int:
    """Runs of the variants: each coefficient low and high, baseline and option, every replication."""
    return 2 * coefficients * 2 * replications


@dataclass(frozen=True)
class Variant:
    coefficient: str
    side: str  # "low" or "high"
    plan: Plan


def variant_plans(path: Path, overrides: list[str], replications: int | None, coefficients: list[Coefficient],
                  max_runs: int = MAX_RUNS) -> list[Variant]:
    """The experiment re-read with each coefficient at its low and at its high value (checked before any run).
    The value goes where ``--set`` goes: after the experiment's ``set``, before each scenario's own values."""
    return [Variant(c.key, side, load_experiment(path, [*overrides, f"{c.key}={getattr(c, side)}"], replications,
                                                  max_runs))
            for c in coefficients for side in ("low", "high")]


def tasks(variants: list[Variant], names: tuple[str, str]) -> list[Task]:
    """Every (variant, baseline or option, replication) as an executor task. Run ids count the variants, the
    seed and replication are the experiment's: the streams are the same in every variant."""
    out = []
    for v, variant in enumerate(variants):
        by_name = {s.name: s for s in variant.plan.scenarios}
        for j, name in enumerate(names):
            for r in range(variant.plan.experiment.replications):
                out.append((by_name[name].scenario, RunSpec(2 * v + j, r, variant.plan.experiment.seed)))
    return out


def run_variants(variants: list[Variant], baseline: str, option: str, executor: str = "local",
                 jobs: int | None = None, scheduler: str | None = None,
                 on_outcome: Callable[[Outcome], None] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """One row per finished run (coefficient, side, scenario_name, replication and every KPI), and a line per
    failed run; a failed run leaves its pair out of the paired mean."""
    rows, failed = [], []
    for outcome in execute(tasks(variants, (baseline, option)), executor, jobs, scheduler):
        if on_outcome is not None:
            on_outcome(outcome)
        variant = variants[outcome.spec.scenario_index // 2]
        ids = {"coefficient": variant.coefficient, "side": variant.side,
               "scenario_name": (baseline, option)[outcome.spec.scenario_index % 2],
               "replication": outcome.spec.replication}
        if outcome.error is not None:
            failed.append(f"{ids['coefficient']} {ids['side']}, {ids['scenario_name']}, replication "
                          f"{ids['replication']}: {outcome.error}")
            continue
        rows.append({**ids, **(outcome.kpis or {})})
    return pd.DataFrame(rows, columns=None if rows else RUN_IDS), failed


def paired(runs: pd.DataFrame, kpi: str, baseline: str, option: str) -> pd.Series:
    """Option − baseline on ``kpi``, replication by replication (replication k of both saw the same customers)."""
    wide = runs.pivot_table(index="replication", columns="scenario_name", values=kpi, dropna=False)
    if option not in wide or baseline not in wide:
        return pd.Series(dtype=float)
    return (wide[option] - wide[baseline]).dropna()


def paired_mean(runs: pd.DataFrame, kpi: str, baseline: str, option: str) -> float:
    """Mean over replications of option − baseline on ``kpi``."""
    diffs = paired(runs, kpi, baseline, option)
    return float(diffs.mean()) if len(diffs) else math.nan


def flips(kpi: str, central: float, varied: float) -> bool:
    """Whether the difference ``varied`` tells the other story than ``central``: better against the baseline
    turned into no better (or worse), or the other way round. For a KPI with no better direction, a change of
    sign."""
    if not (math.isfinite(central) and math.isfinite(varied)):
        return False
    direction = REGISTRY[kpi].better if kpi in REGISTRY and REGISTRY[kpi].better in (HIGHER, LOWER) else HIGHER
    return _sign(direction * central) != _sign(direction * varied)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def sensitivity_table(runs: pd.DataFrame, central: float, kpi: str, baseline: str, option: str,
                      coefficients: list[Coefficient]) -> pd.DataFrame:
    """One row per coefficient: its low and high values, the headline difference at each, the swing
    (diff_high − diff_low) and whether either end flips the answer; largest swing first."""
    rows = []
    for c in coefficients:
        ends = {side: paired(runs[(runs["coefficient"] == c.key) & (runs["side"] == side)], kpi, baseline, option)
                for side in ("low", "high")}
        diffs = {side: float(d.mean()) if len(d) else math.nan for side, d in ends.items()}
        _, swing_low, swing_high = confidence_interval((ends["high"] - ends["low"]).dropna())
        rows.append({"coefficient": c.key, "low": c.low, "high": c.high, "diff_low": diffs["low"],
                     "diff_high": diffs["high"], "swing": diffs["high"] - diffs["low"],
                     "flips": flips(kpi, central, diffs["low"]) or flips(kpi, central, diffs["high"]),
                     "swing_ci_low": swing_low, "swing_ci_high": swing_high,
                     "kpi": kpi, "option": option, "baseline": baseline, "diff_central": central,
                     "grade": c.grade, "range_source": c.source})
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.iloc[table["swing"].abs().fillna(-1).argsort()[::-1]].reset_index(drop=True)


def markdown() -> str:
    """docs/sensitivity.md's table of coefficients (``python -m sim.experiment.sensitivity``)."""
    lines = ["| coefficient | default | low | high | grade | source of the range |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| `{c.key}` | {c.default} | {c.low} | {c.high} | {c.grade} | {c.source} |" for c in COEFFICIENTS]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
