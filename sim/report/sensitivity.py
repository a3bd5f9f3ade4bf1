"""The report's and the terminal's account of ``servsim sensitivity``: which uncertain coefficients the headline
difference rests on, and which would flip the answer within their range (``sensitivity.csv`` in a results
directory; the coefficients and their ranges are ``sim.experiment.sensitivity.COEFFICIENTS``)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from sim.kpis import REGISTRY, in_sentence
from sim.report.decision import diff_unit, signed

FILE = "sensitivity.csv"
RUNS_FILE = "sensitivity_runs.parquet"
TITLE = "Sensitivity to uncertain coefficients"


def read_sensitivity(directory: Path) -> pd.DataFrame | None:
    """The directory's sensitivity table, None when ``servsim sensitivity`` has not been run into it."""
    path = Path(directory) / FILE
    if not path.exists():
        return None
    table = pd.read_csv(path)
    table["flips"] = table["flips"].astype(bool)
    return table


def verdict_sentence(table: pd.DataFrame, currency: str) -> str:
    """One sentence: what was recomputed, and which coefficients flip it (or that none does)."""
    kpi, option, baseline = (str(table[c].iloc[0]) for c in ("kpi", "option", "baseline"))
    central = float(table["diff_central"].iloc[0])
    flipping = table[table["flips"]]["coefficient"].tolist()
    head = (f"{option} against {baseline} on {in_sentence(REGISTRY[kpi].label)}: "
            f"{signed(kpi, central)} {diff_unit(kpi, currency)} with every coefficient at its default")
    head += (f"; the answer flips within the range of {', '.join(flipping)}." if flipping else
             "; no coefficient flips the answer within its range.")
    clear = table[(table["swing_ci_low"] > 0) | (table["swing_ci_high"] < 0)]["coefficient"].tolist()
    return head + (f" Swings told apart from zero (95% interval): {', '.join(clear)}." if clear else
                   " No swing is told apart from zero at this number of replications (95% intervals).")


def section_html(table: pd.DataFrame, figure: str, currency: str) -> str:
    """The report section: the verdict, the tornado chart (``figure``, HTML) and the table, largest swing first."""
    kpi = str(table["kpi"].iloc[0])
    unit = html.escape(diff_unit(kpi, currency))
    flip = {True: "<tr class=\"worse\">", False: "<tr>"}
    rows = "".join(
        f"{flip[bool(r.flips)]}<td class=\"name\">{html.escape(r.coefficient)}</td>"
        f"<td>{html.escape(str(r.low))}</td><td>{html.escape(str(r.high))}</td>"
        f"<td>{signed(kpi, r.diff_low)}</td><td>{signed(kpi, r.diff_high)}</td><td>{signed(kpi, r.swing)}</td>"
        f"<td>{signed(kpi, r.swing_ci_low)} to {signed(kpi, r.swing_ci_high)}</td>"
        f"<td>{'yes' if r.flips else 'no'}</td><td class=\"name\">{html.escape(str(r.grade))}</td>"
        f"<td class=\"name\">{html.escape(str(r.range_source))}</td></tr>" for r in table.itertuples())
    return (f"<p><strong>{html.escape(verdict_sentence(table, currency))}</strong></p>"
            "<p>Each uncertain coefficient (graded C or D in docs/model.md) was set to the low and then the high "
            "end of its range, everything else as in the experiment, with the same simulated customers (common "
            "random numbers). A coefficient flips the answer when the mean paired difference at either end lies "
            "on the other side of zero (docs/sensitivity.md).</p>" + figure +
            f"<div class=\"scroll\"><table><tr><th class=\"name\">coefficient</th><th>low</th><th>high</th>"
            f"<th>difference at low ({unit})</th><th>at high ({unit})</th><th>swing</th>"
            "<th>swing, 95% interval</th><th>flips</th>"
            f"<th class=\"name\">grade</th><th class=\"name\">range from</th></tr>{rows}</table></div>")


def print_sensitivity(table: pd.DataFrame, currency: str, console) -> None:
    """The same on a terminal (a rich ``Console``)."""
    from rich.table import Table

    kpi = str(table["kpi"].iloc[0])
    out = Table(title=f"difference in {diff_unit(kpi, currency)}, largest swing first")
    for name, justify in (("coefficient", "left"), ("low", "right"), ("high", "right"), ("at low", "right"),
                          ("at high", "right"), ("swing", "right"), ("swing 95% interval", "right"),
                          ("flips", "left")):
        out.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in table.itertuples():
        out.add_row(str(r.coefficient).removeprefix("behaviour."), str(r.low), str(r.high), signed(kpi, r.diff_low),
                    signed(kpi, r.diff_high), signed(kpi, r.swing),
                    f"{signed(kpi, r.swing_ci_low)} to {signed(kpi, r.swing_ci_high)}",
                    "[red]yes[/red]" if r.flips else "no")
    console.print(out)
    console.print(f"[bold]Sensitivity[/bold]: {verdict_sentence(table, currency)}")
