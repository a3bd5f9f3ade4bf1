"""The staffing chart: per interval, each group's requirement against the load it is for, and the service
level the formula predicts against the one simulated (with its 95% band) when the plan was simulated."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MultipleLocator

from sim.plots.style import MUTED, PALETTE, figure, styled

WEEKDAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"}


@styled
def staffing_chart(requirements: pd.DataFrame, interval_seconds: float, target: float | None = None,
                   name: str | None = None):
    """Two panels over the staffed days, each cut to the hours with a requirement: agents and offered load;
    the service level predicted, and simulated with its 95% band when the plan was simulated."""
    staffed = requirements[requirements["net_agents"] > 0]
    days = sorted(staffed["day"].unique()) or [0]
    clock = _clock(staffed) if not staffed.empty else np.array([0.0])
    first, width = float(clock.min()), interval_seconds / 3600.0
    span = float(clock.max()) + width - first
    rows = requirements[requirements["day"].isin(days)]
    rows = rows[(_clock(rows) >= first) & (_clock(rows) < first + span)]
    fig, (top, bottom) = figure(10.0, 6.5, rows=2, sharex=True)
    for colour, (group, part) in zip(PALETTE, rows.groupby("group", sort=False)):
        x = part["day"].map({d: i for i, d in enumerate(days)}).to_numpy(float) * span + _clock(part) - first
        _draw_group(top, bottom, part, x, width, colour, group)
    if target is not None:
        bottom.axhline(100 * target, color=MUTED, linestyle="--", linewidth=1, label="target")
    top.set_ylabel("Agents / Erlangs")
    bottom.set_ylabel("Service level (%)")
    column = "simulated_service_level" if "simulated_service_level" in rows else "service_level"
    shown = 100 * rows.loc[rows["net_agents"] > 0, column].to_numpy(float)
    low = np.nanpercentile(shown, 5) if np.isfinite(shown).any() else 60.0
    bottom.set_ylim(max(0.0, min(60.0, low - 5)), 100.5)  # the rare point below (an overloaded formula) is cut
    for ax in (top, bottom):
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        for k in range(1, len(days)):
            ax.axvline(k * span, color=MUTED, linewidth=0.5)
    weekday = {d: rows.loc[rows["day"] == d, "weekday"].iloc[0] for d in days}
    bottom.set_xticks([k * span for k in range(len(days))],
                      [f"{WEEKDAY_NAMES.get(weekday[d], d)} {int(first):02d}:{round(first % 1 * 60):02d}"
                       for d in days])
    bottom.xaxis.set_minor_locator(MultipleLocator(1))
    bottom.set_xlim(0, len(days) * span)
    bottom.set_xlabel("Interval (each day from its first to its last staffed interval)")
    top.set_title(f"Staffing requirement per interval{': ' + name if name else ''}")
    return fig


def _draw_group(top, bottom, part: pd.DataFrame, x: np.ndarray, width: float, colour: str, group: str) -> None:
    mid = x + width / 2
    top.step(x, part["net_agents"], where="post", color=colour, label=f"{group}: agents (net)")
    top.plot(mid, part["offered_load"], color=colour, linestyle=":", label=f"{group}: offered load")
    bottom.plot(mid, 100 * part["service_level"].to_numpy(float), color=colour, marker=".", linestyle="none",
                markersize=4, label=f"{group}: predicted")
    if "simulated_service_level" in part:
        bottom.fill_between(mid, 100 * part["simulated_service_level_ci_low"],
                            100 * part["simulated_service_level_ci_high"], color=colour, alpha=0.2, linewidth=0)
        bottom.plot(mid, 100 * part["simulated_service_level"], color=colour, linewidth=1,
                    label=f"{group}: simulated (95% band)")


def _clock(part: pd.DataFrame) -> np.ndarray:
    """Hours since midnight of each row's interval start."""
    text = part["interval_start"].astype(str)
    return (text.str.slice(0, 2).astype(int) + text.str.slice(3, 5).astype(int) / 60).to_numpy(float)
