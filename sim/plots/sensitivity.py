"""The tornado chart of ``servsim sensitivity``: how far the headline difference moves with each uncertain
coefficient between its low and high value (the table ``sim.experiment.sensitivity.sensitivity_table``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.plots.parts import finish, legend_outside
from sim.plots.style import CURRENCY, MUTED, PALETTE, figure, kpi_label, kpi_name, scale, styled

FLIP = "#D55E00"  # Okabe-Ito vermillion: a bar that crosses to the other answer


@styled
def tornado(table: pd.DataFrame, currency: str = CURRENCY) -> Figure:
    """One bar per coefficient from the difference at its low value to that at its high value, largest swing on
    top; a line at the difference with every coefficient at its default and one at zero (no difference)."""
    kpi, option, baseline = (str(table[c].iloc[0]) for c in ("kpi", "option", "baseline"))
    k = scale(kpi)
    rows = table.iloc[::-1]  # matplotlib draws the first bar at the bottom
    fig, (ax,) = figure(9.0, max(3.0, 0.42 * len(rows) + 1.8))
    y = np.arange(len(rows))
    low, high = rows["diff_low"].to_numpy(float) * k, rows["diff_high"].to_numpy(float) * k
    colours = [FLIP if f else PALETTE[0] for f in rows["flips"]]
    ax.barh(y, high - low, left=low, color=colours, height=0.6)
    for i, (lo, hi, row) in enumerate(zip(low, high, rows.itertuples())):
        if lo == hi:  # no effect at all: a tick where both ends are, and say so
            ax.plot([lo], [i], marker="|", markersize=14, color=colours[i])
            ax.annotate(f"{row.low} and {row.high}: the same", (hi, i), xytext=(6, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=8, color=MUTED)
            continue
        left, right = (row.low, row.high) if lo < hi else (row.high, row.low)
        ax.annotate(f"{left}", (min(lo, hi), i), xytext=(-3, 0), textcoords="offset points", ha="right",
                    va="center", fontsize=8, color=MUTED)
        ax.annotate(f"{right}", (max(lo, hi), i), xytext=(3, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=8, color=MUTED)
    ax.set_yticks(y, [c.removeprefix("behaviour.") for c in rows["coefficient"]])
    ax.axvline(float(table["diff_central"].iloc[0]) * k, color="black", linewidth=1.2)
    ax.axvline(0.0, color=MUTED, linewidth=1, linestyle="--")
    ax.margins(x=0.25)
    handles = [Patch(color=PALETTE[0]), Patch(color=FLIP), Line2D([], [], color="black"),
               Line2D([], [], color=MUTED, linestyle="--")]
    legend_outside(ax, handles, ["same answer", "answer flips", "all at default", "no difference"])
    finish(ax, f"{option} − {baseline}: {kpi_label(kpi, currency)}", "coefficient (low … high value)",
           f"Sensitivity of the {kpi_name(kpi).lower()} difference to the uncertain coefficients")
    return fig
