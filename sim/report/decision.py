"""The decision summary: the sweep's answer to its question, on one screen, built once from the paired
differences against the baseline and shown by both the terminal (``servsim sweep``) and ``report.html``.

Which KPIs it shows, their words, units and which way is better all come from the KPI registry
(``sim/kpis.py``), so KPIs added there slot in. Pure: tables in, a ``Decision`` out.

Statistics: every interval is the 95% paired Student-t interval of ``sim.experiment.summary``. When an
interval contains zero, the replications needed to separate the two is estimated from the paired standard
error se = half-width / t: n_needed = n (t se / |difference|)^2 = n (half-width / |difference|)^2, the
number at which the same mean difference would have a half-width equal to itself (Law 2015, §9.3).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from sim.config.traits import TRAITS
from sim.experiment.summary import paired_differences
from sim.kpis import HIGHER, LOWER, REGISTRY, in_sentence
from sim.metrics import confidence_interval

# The measures a manager weighs, in reading order; per-channel ones are shown per channel.
DECISION_BASES = ("service_level", "asa_seconds", "abandon_rate", "fcr", "csat_mean", "nps", "churn_rate",
                  "cost_per_contact", "labour_cost", "training_cost", "hiring_cost", "net_value")
NEEDS_BASE = frozenset({"net_value", "revenue", "revenue_at_risk", "churn_rate", "active_customers_end",
                        "loyalty_mean"})  # undefined, or only minus the cost, without customers.base
MAX_OPTIONS = 4  # columns of the summary table
MAX_REPLICATIONS_SHOWN = 10_000  # beyond this a difference is too small to chase


@dataclass(frozen=True)
class Cell:
    """One option's paired difference from the baseline on one KPI, and what it means."""

    mean: float
    low: float
    high: float
    verdict: str  # "better", "worse", "unclear" (interval contains 0), "same" (no difference), "none"


@dataclass(frozen=True)
class Row:
    kpi: str
    label: str
    unit: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Option:
    name: str
    changes: str  # in plain words: "phone_team extra agents 0 → 2"


@dataclass(frozen=True)
class Decision:
    question: str
    baseline: str
    replications: int
    horizon: str
    options: tuple[Option, ...]
    rows: tuple[Row, ...]
    decider: str | None  # the KPI the recommendation is decided on
    recommendation: str
    condition: str
    notes: tuple[str, ...]
    others: int  # non-baseline scenarios not shown as options
    option: str | None = None  # the headline option: the recommended one, else the closest to being better


def decide(results, sensitivity: pd.DataFrame | None = None) -> Decision:
    """The decision summary of a finished sweep (``SweepResults``); ``sensitivity`` (the table of
    ``servsim sensitivity``) names the coefficients the answer rests on, when given."""
    m, runs = results.manifest, results.runs
    base_spec = next(s for s in m["scenarios"] if s["name"] == m["baseline"])
    has_base = bool((base_spec["config"].get("customers") or {}).get("base"))
    currency = (base_spec["config"].get("money") or {}).get("currency", "EUR")
    channels = [c for c, spec in (base_spec["config"].get("channels") or {}).items() if spec]
    available = [k for k in REGISTRY if k in runs and runs[k].notna().any()]  # every KPI of every run is kept
    kpis = [k for k in decision_kpis(available, channels) if has_base or k not in NEEDS_BASE]
    diffs = paired_differences(runs, base_spec["index"], kpis) if len(runs) else pd.DataFrame(columns=["kpi"])
    decider = _decider(m, kpis, has_base)
    chosen = choose_options(m, runs, decider)
    rows = tuple(r for r in (_row(diffs, k, chosen, currency) for k in kpis) if r is not None)
    notes = [] if has_base else [("No customer base (customers.base): churn, revenue and net value are not "
                                  "modelled, so net value would be only minus the cost; it is not used to decide.")]
    recommendation, condition, more = _recommend(results, rows, chosen, decider, sensitivity)
    more += _unclear_notes(rows, chosen, decider, int(m["replications"]))
    horizon = base_spec["config"].get("horizon", 0) / 86400
    horizon_text = f"{horizon:g} day{'' if horizon == 1 else 's'}"
    return Decision(m.get("question") or "", m["baseline"], int(m["replications"]), horizon_text,
                    tuple(Option(n, changes(m, n)) for n in chosen), rows, decider, recommendation, condition,
                    tuple(notes + more), len(m["scenarios"]) - 1 - len(chosen), headline_option(rows, chosen, decider))


def headline_option(rows: tuple[Row, ...], options: list[str], decider: str | None) -> str | None:
    """The option the recommendation is about: the best of those better than the baseline on ``decider``, else
    the closest to being better (the one ``servsim sensitivity`` recomputes)."""
    row = next((r for r in rows if r.kpi == decider), None)
    if row is None or decider is None or not options:
        return None
    good = [(n, c) for n, c in zip(options, row.cells) if c.verdict == "better"] or list(zip(options, row.cells))
    return max(good, key=lambda oc: _goodness(decider, oc[1].mean))[0]


def decision_kpis(available: list[str], channels: list[str]) -> list[str]:
    """The KPIs of the summary, per channel where the registry reports them per channel (never a blend of
    channels with different thresholds when the channels' own are there)."""
    out = []
    for base in DECISION_BASES:
        if REGISTRY[base].per_channel:
            variants = [f"{c}_{base}" for c in channels if f"{c}_{base}" in available
                        and (base != "abandon_rate" or TRAITS[c].abandons)]
            if variants:
                out += variants
                continue
            if base == "asa_seconds" and len(channels) > 1:
                continue  # a pooled ASA averages email hours with phone seconds
        if base in available:
            out.append(base)
    return out


def _decider(m: dict, kpis: list[str], has_base: bool) -> str | None:
    """Net value when it means something (it prices service, cost and lost customers together), else the
    experiment's ranking KPI, else the first service level."""
    if "net_value" in kpis and has_base:
        return "net_value"
    if m.get("rank_by") in kpis:
        return m["rank_by"]
    return next((k for k in kpis if k.endswith("service_level")), kpis[0] if kpis else None)


def choose_options(m: dict, runs: pd.DataFrame, decider: str | None) -> list[str]:
    """Every other scenario when there are few; else, of those that change one thing from the baseline, the
    best of each kind of change by ``decider``, then the best overall."""
    names = [s["name"] for s in m["scenarios"] if s["name"] != m["baseline"]]
    if len(names) <= MAX_OPTIONS:
        return names
    means = runs.groupby("scenario_name")[decider].mean() if decider else pd.Series(dtype=float)
    order = sorted(names, key=lambda n: _goodness(decider, means.get(n, math.nan)), reverse=True)
    chosen: dict[str, str] = {}
    for name in order:
        kinds = _changed_keys(m, name)
        if len(kinds) == 1 and kinds[0] not in chosen:
            chosen[kinds[0]] = name
    picked = list(chosen.values())[:MAX_OPTIONS - 1]
    return picked + [n for n in order if n not in picked][:MAX_OPTIONS - len(picked)]


def _goodness(kpi: str | None, value: float) -> float:
    if kpi is None or not math.isfinite(value):
        return -math.inf
    return -value if REGISTRY[kpi].better == LOWER else value


def _flat(config: object, prefix: str = "") -> dict[str, object]:
    if isinstance(config, dict):
        return {k: v for key, sub in config.items() for k, v in _flat(sub, f"{prefix}{key}.").items()}
    return {prefix.rstrip("."): config}


def _config(m: dict, name: str) -> dict[str, object]:
    return _flat(next(s for s in m["scenarios"] if s["name"] == name)["config"])


def _changed_keys(m: dict, name: str) -> list[str]:
    """What a scenario changes from the baseline, by kind: ``training_hours`` for every group counts once."""
    base, other = _config(m, m["baseline"]), _config(m, name)
    keys = [k for k in sorted(set(base) | set(other)) if base.get(k) != other.get(k) and not k.startswith("name")]
    return list(dict.fromkeys(k.rsplit(".", 1)[-1] for k in keys))


def changes(m: dict, name: str) -> str:
    """What ``name`` changes from the baseline, in words: ``extra agents (phone_team) 0 → 2``."""
    base, other = _config(m, m["baseline"]), _config(m, name)
    groups: dict[tuple[str, str, str], list[str]] = {}
    for key in sorted(set(base) | set(other)):
        if base.get(key) == other.get(key) or key.startswith("name"):
            continue
        owner, _, leaf = key.rpartition(".")
        groups.setdefault((leaf, _short(base.get(key)), _short(other.get(key))), []).append(owner.rsplit(".", 1)[-1])
    parts = [f"{leaf.replace('_', ' ')} ({', '.join(owners)}) {old} → {new}" if owners != [""] else
             f"{leaf.replace('_', ' ')} {old} → {new}" for (leaf, old, new), owners in groups.items()]
    return "; ".join(parts) or "nothing (the same settings as the baseline)"


def _short(value: object) -> str:
    text = f"{value:g}" if isinstance(value, float) else json.dumps(value) if isinstance(value, (list, dict)) \
        else "none" if value is None else str(value)
    return text if len(text) <= 24 else text[:21] + "…"


def diff_unit(kpi: str, currency: str) -> str:
    """The unit a difference of ``kpi`` is read in."""
    unit = REGISTRY[kpi].unit
    return {"share": "pts", "share_per_year": "pts a year", "seconds": "s", "money": currency, "csat_1_5": "on 1-5",
            "points": "NPS points", "scale_0_1": "on 0-1"}.get(unit, unit)


def signed(kpi: str, value: float) -> str:
    """A difference as it reads in the summary: ``+3.2``, ``−1,200`` (rates in points, money whole)."""
    if not math.isfinite(value):
        return "–"
    entry = REGISTRY[kpi]
    shown = value * 100 if entry.unit in ("share", "share_per_year") else value
    digits = 0 if entry.unit == "count" or abs(shown) >= 100 else 2 if entry.unit == "money" or (
        abs(shown) < 1 and entry.unit not in ("share", "share_per_year")) else 1
    text = f"{abs(shown):,.{digits}f}"
    return ("−" if shown < 0 and float(text.replace(",", "")) else "+") + text


def verdict(kpi: str, mean: float, low: float, high: float) -> str:
    """Whether an option is better, worse or not distinguishable from the baseline on ``kpi``."""
    if not math.isfinite(mean):
        return "none"
    if mean == 0 and (not math.isfinite(low) or low == high == 0):
        return "same"
    if not (math.isfinite(low) and math.isfinite(high)) or low <= 0 <= high or REGISTRY[kpi].better not in (HIGHER,
                                                                                                          LOWER):
        return "unclear"
    return "better" if (low > 0) == (REGISTRY[kpi].better == HIGHER) else "worse"


def _row(diffs: pd.DataFrame, kpi: str, options: list[str], currency: str) -> Row | None:
    part = diffs[diffs["kpi"] == kpi].set_index("scenario_name")
    cells = []
    for name in options:
        d = part.loc[name] if name in part.index else None
        mean, low, high = (math.nan,) * 3 if d is None else (float(d["diff_mean"]), float(d["diff_ci_low"]),
                                                           float(d["diff_ci_high"]))
        cells.append(Cell(mean, low, high, verdict(kpi, mean, low, high)))
    if all(c.verdict in ("none", "same") for c in cells):
        return None  # undefined in this sweep (FCR with resolution off) or the same in every option
    return Row(kpi, REGISTRY[kpi].label, diff_unit(kpi, currency), tuple(cells))


def replications_needed(n: int, mean: float, low: float, high: float) -> int | None:
    """n (half-width / |difference|)^2, rounded up: the replications at which this paired difference would
    be told from zero; None when it is exactly zero (no number would do)."""
    if not (math.isfinite(low) and math.isfinite(high)) or mean == 0:
        return None
    return max(n + 1, math.ceil(n * ((high - low) / 2 / abs(mean)) ** 2))


def _needed_words(n: int | None) -> str:
    if n is None:
        return "no number of replications would separate them (they do not differ)"
    if n > MAX_REPLICATIONS_SHOWN:
        return (f"more than {MAX_REPLICATIONS_SHOWN:,} replications would be needed: the difference is too small "
                "to matter")
    return f"about {n:,} replications would separate them"


def _recommend(results, rows: tuple[Row, ...], options: list[str], decider: str | None,
               sensitivity: pd.DataFrame | None) -> tuple[str, str, list[str]]:
    """The one-sentence recommendation, its condition, and notes on what cannot be told apart."""
    row = next((r for r in rows if r.kpi == decider), None)
    n, baseline = int(results.manifest["replications"]), results.manifest["baseline"]
    if row is None:
        return "No measure to decide on: the sweep summarised none of the KPIs above.", "", []
    decider = row.kpi  # not None from here on
    words = in_sentence(row.label)
    good = [(name, c) for name, c in zip(options, row.cells) if c.verdict == "better"]
    if not good:
        closest = max(zip(options, row.cells), key=lambda oc: _goodness(decider, oc[1].mean))
        c = closest[1]
        need = replications_needed(n, c.mean, c.low, c.high)
        elsewhere = [f"{name} on " + ", ".join(in_sentence(r.label) for r in rows if r.cells[i].verdict == "better")
                     for i, name in enumerate(options) if any(r.cells[i].verdict == "better" for r in rows)]
        return (f"Keep {baseline}: no option is distinguishably better on {words} at {n} replications"
                + (f" (better elsewhere: {'; '.join(elsewhere)})." if elsewhere else "."),
                (f"The closest, {closest[0]} ({signed(decider, c.mean)} {row.unit}, 95% interval "
                 f"{signed(decider, c.low)} to {signed(decider, c.high)}), is not distinguishable from the baseline; "
                 f"{_needed_words(need)}" + (f"; {_sensitivity_words(sensitivity)}" if sensitivity is not None
                                              and not sensitivity.empty else "") + "."), [])
    best, cell = max(good, key=lambda oc: _goodness(decider, oc[1].mean))
    i = options.index(best)
    worse = [r for r in rows if r.cells[i].verdict == "worse"]
    sentence = (f"{best}: {words} {signed(decider, cell.mean)} {row.unit} against {baseline} "
                f"(95% interval {signed(decider, cell.low)} to {signed(decider, cell.high)})")
    sentence += (", no worse on any measure shown." if not worse else ", but worse on " + ", ".join(
        f"{in_sentence(r.label)} ({signed(r.kpi, r.cells[i].mean)} {r.unit})" for r in worse) + ".")
    also = [f"Also better on {words}: {name} ({signed(decider, c.mean)} {row.unit}"
            + "".join(f", {in_sentence(r.label)} {signed(r.kpi, r.cells[options.index(name)].mean)} {r.unit}"
                      for r in rows if REGISTRY[r.kpi].unit == "money"
                      and r.cells[options.index(name)].verdict != "same" and r.kpi != decider) + ")."
            for name, c in good if name != best]
    return (sentence, _condition(decider, worse, sensitivity, results),
            _runner_up(results, options, best, decider) + also)


def _unclear_notes(rows: tuple[Row, ...], options: list[str], decider: str | None, n: int) -> list[str]:
    """For each option not told apart from the baseline on the deciding KPI: how many replications would."""
    row = next((r for r in rows if r.kpi == decider), None)
    if row is None or not any(c.verdict == "better" for c in row.cells):
        return []  # the recommendation already says so of the closest
    return [f"{name} is not distinguishable from the baseline on {in_sentence(row.label)} at {n} replications "
            f"({signed(row.kpi, c.mean)} {row.unit}, 95% interval {signed(row.kpi, c.low)} to "
            f"{signed(row.kpi, c.high)}); {_needed_words(replications_needed(n, c.mean, c.low, c.high))}."
            for name, c in zip(options, row.cells) if c.verdict == "unclear"]


def print_decision(decision: Decision, console) -> None:
    """The summary on a terminal (a rich ``Console``): the same content as the report's first section."""
    from rich.table import Table

    console.print()
    console.print("[bold]Decision summary[/bold]" + (f": {decision.question}" if decision.question else ""))
    console.print(f"Options against the baseline {decision.baseline} (paired differences over "
                  f"{decision.replications} replications of {decision.horizon}, 95% intervals):")
    for option in decision.options:
        console.print(f"  {option.name}: {option.changes}")
    table = Table()
    table.add_column("measure")
    table.add_column("unit")
    for option in decision.options:
        table.add_column(option.name, justify="right")
    marks = {"better": "[green]✓[/green]", "worse": "[red]✗[/red]"}
    for row in decision.rows:
        table.add_row(row.label, row.unit, *(f"{signed(row.kpi, c.mean)} {marks.get(c.verdict, '~')}\n"
                                            f"[dim]{signed(row.kpi, c.low)} to {signed(row.kpi, c.high)}[/dim]"
                                            if c.verdict not in ("none", "same") else
                                            ("0" if c.verdict == "same" else "–") for c in row.cells))
    console.print(table)
    console.print("✓ better, ✗ worse, ~ not distinguishable from the baseline (the interval contains 0)."
                  + (f" {decision.others} more scenarios are in the report." if decision.others else ""))
    console.print(f"[bold]Recommendation[/bold]: {decision.recommendation}")
    if decision.condition:
        console.print(f"Condition: {decision.condition}")
    for note in decision.notes:
        console.print(f"Note: {note}")


def _condition(decider: str, worse: list[Row], sensitivity: pd.DataFrame | None, results) -> str:
    parts = []
    if worse and decider != "net_value":
        parts.append(f"Worth it if the gain in {in_sentence(REGISTRY[decider].label)} outweighs what it costs above")
    if decider == "net_value":
        parts.append("Net value prices each lost customer at their lifetime margin (money.margin over background "
                     "churn + money.discount_rate, docs/model.md §13) and defection at κ (behaviour.defection.kappa)")
    if sensitivity is not None and not sensitivity.empty:
        parts.append(_sensitivity_words(sensitivity))
    else:
        parts.append(f"how far this rests on the model's uncertain coefficients (grades C/D in docs/model.md): "
                     f"servsim sensitivity {results.manifest.get('experiment_file', 'EXPERIMENT')}")
    return "; ".join(parts) + "."


def _sensitivity_words(sensitivity: pd.DataFrame) -> str:
    """What ``servsim sensitivity`` found: the coefficient the difference rests on most, and those that flip it."""
    flips = sensitivity[sensitivity["flips"]]["coefficient"].tolist()
    swings = sensitivity["swing"].abs()
    top = sensitivity.loc[swings.idxmax(), "coefficient"] if swings.notna().any() else None
    return ((f"the difference rests most on {top}; " if top is not None and swings.max() > 0 else "")
            + (f"the answer flips within the range of {', '.join(flips)}" if flips else
               "no uncertain coefficient flips it within its range") + " (servsim sensitivity)")


def _runner_up(results, options: list[str], best: str, decider: str) -> list[str]:
    """When the best option's lead over the next one is not distinguishable, say so and how many replications
    would separate them (paired: replication k of both saw the same customers)."""
    runs = results.runs
    means = runs.groupby("scenario_name")[decider].mean()
    rivals = sorted((n for n in means.index if n != best and n in options + [results.manifest["baseline"]]),
                    key=lambda n: _goodness(decider, means[n]), reverse=True)
    if not rivals or decider not in runs:
        return []
    wide = runs.pivot_table(index="replication", columns="scenario_name", values=decider)
    if rivals[0] not in wide or best not in wide:
        return []
    mean, low, high = confidence_interval((wide[best] - wide[rivals[0]]).dropna())
    if verdict(decider, mean, low, high) == "better":
        return []
    n = int(results.manifest["replications"])
    return [(f"{best} and {rivals[0]} are not distinguishable on {in_sentence(REGISTRY[decider].label)} at {n} "
            f"replications (difference {signed(decider, mean)}, 95% interval {signed(decider, low)} to "
            f"{signed(decider, high)}); {_needed_words(replications_needed(n, mean, low, high))} "
            "(n × (half-width / difference)²).")]
