"""Terminal output: rich tables of KPIs, and the JSON shapes the CLI prints."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pandas as pd
from rich.console import Console, JustifyMethod
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from sim.formatting import fmt, fmt_difference, fmt_interval
from sim.kpis import HEADLINE, LOWER_IS_BETTER, SUMMARY_KPIS


def summary_table(summary: pd.DataFrame, kpis: tuple[str, ...] = SUMMARY_KPIS) -> Table:
    """KPI | mean | 95% interval, for the rows of ``summary`` named in ``kpis``."""
    table = Table()
    table.add_column("KPI")
    table.add_column("mean", justify="right")
    table.add_column("95% interval", justify="right")
    rows = summary.set_index("kpi")
    for kpi in kpis:
        row = rows.loc[kpi]
        table.add_row(kpi, fmt(kpi, row["mean"]), fmt_interval(kpi, row["ci_low"], row["ci_high"]))
    return table


CHANNEL_COLUMNS = {"offered": "offered", "service_level": "service level", "asa_seconds": "ASA s",
                   "abandon_rate": "abandon", "balk_rate": "balk", "fcr": "FCR", "transfer_rate": "transfer",
                   "frustration_mean": "frustration", "backlog_end": "left at end"}


def channel_table(channels: pd.DataFrame, thresholds: dict[str, str]) -> Table:
    """Per channel, the mean over replications of its headline KPIs (threshold shown with the service level)."""
    means = channels.groupby("channel", observed=True)[list(CHANNEL_COLUMNS)].mean()
    table = Table()
    table.add_column("channel")
    for header in CHANNEL_COLUMNS.values():
        table.add_column(header, justify="right", no_wrap=True)
    for channel, row in means.iterrows():
        cells = [fmt(c, row[c]) for c in CHANNEL_COLUMNS]
        cells[1] += f" in {thresholds[channel]}"
        table.add_row(str(channel), *cells)
    return table


def add_columns(table: Table, columns: Iterable[tuple[str, JustifyMethod]]) -> Table:
    """``table`` with a column for each (header, alignment)."""
    for name, justify in columns:
        table.add_column(name, justify=justify)
    return table


def comparison_table(analytic: dict, simulated: dict) -> Table:
    """Analytic value beside the simulated mean and interval, with a mark where the interval misses it."""
    table = add_columns(Table(), (("KPI", "left"), ("analytic", "right"), ("simulated", "right"),
                                  ("95% interval", "right"), ("", "left")))
    for kpi, exact in analytic.items():
        if kpi not in simulated:
            table.add_row(kpi, fmt(kpi, exact), "", "", "")
            continue
        s = simulated[kpi]
        inside = s["ci_low"] <= exact <= s["ci_high"] if not math.isnan(s["ci_low"]) else None
        mark = {True: "✓", False: "outside", None: ""}[inside]
        table.add_row(kpi, fmt(kpi, exact), fmt(kpi, s["mean"]), fmt_interval(kpi, s["ci_low"], s["ci_high"]), mark)
    return table


def summary_json(summary: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """``{kpi: {"mean", "ci_low", "ci_high"}}`` with NaN as null."""
    def clean(x: float) -> float | None:
        return None if x is None or math.isnan(x) else float(x)
    return {
        row.kpi: {"mean": clean(row.mean), "ci_low": clean(row.ci_low), "ci_high": clean(row.ci_high)}
        for row in summary.itertuples()
    }


def headline_json(summary: pd.DataFrame, thresholds: dict[str, float]) -> dict[str, dict]:
    """Per channel: its threshold and the ``HEADLINE`` KPIs (mean and interval), what a run's JSON leads with."""
    kpis = summary_json(summary)
    return {channel: {"threshold_seconds": threshold,
                      **{name: kpis[f"{channel}_{name}"] for name in HEADLINE}}
            for channel, threshold in thresholds.items()}


def _stability_cell(text: str) -> str:
    return f"[bold red]{text}[/bold red]" if text.startswith("UNSTABLE") else text


def stability_line(runs: pd.DataFrame) -> str:
    """Below a run's table: whether any channel's end-of-day backlog grows (``sim.stability``)."""
    from sim.stability import verdict

    result = verdict(runs)
    if result["stable"] is None:
        return "stability: not judged (fewer than 3 full days after the warm-up)"
    unstable = {c: v for c, v in result["channels"].items() if v["stable"] is False}
    if not unstable:
        return "stability: stable (no channel's end-of-day backlog grows after the warm-up)"
    parts = [f"{c} backlog grows {v['growth_per_day']:+.1f} a day (in {v['unstable_replications']} of "
             f"{len(runs)} replications)" for c, v in unstable.items()]
    return "[bold red]UNSTABLE[/bold red]: " + "; ".join(parts) + ": results are not a steady state"


def stdout() -> Console:
    """The console for results: on a terminal its width; piped or captured, wide enough for the tables."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=120)


@contextmanager
def progress_callbacks(name: str) -> Iterator[dict]:
    """A progress bar (runs done, failures, ETA) as ``sweep`` callbacks; silent when not on a terminal."""
    console = stdout()
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
        console=console, disable=not console.is_terminal, transient=False,
    )
    task = progress.add_task(name, total=None, failed=0)

    def on_start(total: int, done: int) -> None:
        progress.update(task, total=total, completed=done)

    def on_outcome(outcome) -> None:
        failed = progress.tasks[task].fields["failed"] + (outcome.error is not None)
        progress.update(task, advance=1, failed=failed)

    with progress:
        yield {"on_start": on_start, "on_outcome": on_outcome}


def _twins(summary, a: str, b: str) -> bool:
    """Zipped factors with the same name and values (e.g. every group's training hours) are shown once."""
    return a.rsplit(".", 1)[-1] == b.rsplit(".", 1)[-1] and a in summary and b in summary \
        and summary[a].equals(summary[b])


def print_ranking(results, plan, kpi: str, top: int = 5) -> None:
    """The best scenarios by ``kpi``, with intervals and the paired difference from the baseline."""
    from sim.experiment.summary import rank

    console = stdout()
    summary = results.summary
    if summary.empty or f"{kpi}_mean" not in summary:
        console.print(f"no finished runs to rank by {kpi}")
        return
    diffs = results.differences
    diffs = diffs[diffs["kpi"] == kpi].set_index("scenario") if not diffs.empty else diffs
    factors = list(dict.fromkeys(k for spec in plan.scenarios for k in spec.factors)) or ["scenario_name"]
    factors = [f for i, f in enumerate(factors) if not any(_twins(summary, f, g) for g in factors[:i])]
    better = "lowest" if kpi in LOWER_IS_BETTER else "highest"
    console.print(f"best {min(top, len(summary))} of {len(summary)} scenarios by {kpi} ({better} first); "
                  f"differences are paired against the baseline: {plan.scenarios[plan.baseline].name}")
    table = Table()
    for column in factors:
        table.add_column("scenario" if column == "scenario_name" else column.rsplit(".", 1)[-1], no_wrap=True)
    for column in (kpi, "95% interval", "vs baseline", "95% interval"):
        table.add_column(column, justify="right", no_wrap=True)
    if "stability" in summary:
        table.add_column("stability")
    for row in rank(summary, kpi, kpi in LOWER_IS_BETTER).head(top).to_dict("records"):
        d = diffs.loc[row["scenario"]] if row["scenario"] in diffs.index else None
        table.add_row(
            *(str(row.get(column, "")) for column in factors),
            fmt(kpi, row[f"{kpi}_mean"]), fmt_interval(kpi, row[f"{kpi}_ci_low"], row[f"{kpi}_ci_high"]),
            "–" if d is None else fmt_difference(kpi, d["diff_mean"]),
            "–" if d is None else f"{fmt_difference(kpi, d['diff_ci_low'])} – {fmt_difference(kpi, d['diff_ci_high'])}",
            *([_stability_cell(row["stability"])] if "stability" in summary else []),
        )
    console.print(table)

