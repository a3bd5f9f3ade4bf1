"""The look of every chart in one place: colour-blind-safe colours, readable fonts, labels with units,
and atomic saving as PNG and SVG. Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no
global state, no display needed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from sim.formatting import PERCENT_KPIS

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SEQUENTIAL = "cividis"  # perceptually uniform and colour-blind safe
RC = {"font.size": 10, "axes.titlesize": 12, "axes.labelsize": 10, "legend.fontsize": 9,
      "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "axes.spines.top": False, "axes.spines.right": False}
LABELS = {
    "service_level": "Service level (%)",
    "abandon_rate": "Abandon rate (%)",
    "p_wait": "Callers who waited (%)",
    "occupancy": "Occupancy (%)",
    "asa_seconds": "Average speed of answer (s)",
    "mean_wait_seconds": "Mean wait (s)",
    "aht_seconds": "Average handle time (s)",
    "mean_queue_length": "Callers waiting (time-average)",
    "agents_mean": "Agents on duty (time-average)",
    "offered": "Contacts offered",
    "answered": "Contacts answered",
}


def figure(width: float = 7.5, height: float = 4.5, rows: int = 1, sharex: bool = False):
    """A new figure with the house style, and its axes."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(rows, 1, sharex=sharex, squeeze=False)[:, 0]
    return fig, (axes[0] if rows == 1 else axes)


def label(kpi: str) -> str:
    """The axis label of a KPI or factor, with its unit."""
    return LABELS.get(kpi, kpi.rsplit(".", 1)[-1].replace("_", " "))


def scale(kpi: str) -> float:
    """Rates are drawn as percentages."""
    return 100.0 if kpi.startswith(PERCENT_KPIS) else 1.0


def save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem``.png and ``stem``.svg atomically, then release the figure."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, options in ((".png", {"dpi": 150}), (".svg", {})):
        path = stem.with_suffix(suffix)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
        try:
            fig.savefig(tmp, format=suffix[1:], **options)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        paths.append(path)
    fig.clear()
    return paths
