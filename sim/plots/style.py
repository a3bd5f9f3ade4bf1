"""The look of every chart in one place: colour-blind-safe colours, readable fonts, labels with units, and
atomic saving as PNG and SVG.

Figures are built with ``matplotlib.figure.Figure`` directly (never pyplot): no display, no global state,
nothing to close by hand except through ``save``.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.rcsetup import cycler
from matplotlib.ticker import FuncFormatter, MultipleLocator

from sim.config.traits import TRAITS
from sim.formatting import is_percent
from sim.kpis import LOWER_IS_BETTER, REGISTRY, describe

if TYPE_CHECKING:  # only the type checker reads it (matplotlib.typing grows with matplotlib)
    from matplotlib.typing import RcKeyType

# Okabe & Ito (2008): told apart with every common colour-vision deficiency, and in greyscale by lightness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
BASELINE = "#D55E00"  # vermilion: the baseline and the Pareto frontier stand out from the blue default
MUTED = "#8C8C8C"  # reference lines, error bars, annotations
SEQUENTIAL = "viridis"  # perceptually uniform and colour-blind safe; reversed for lower-is-better KPIs
DPI = 150
RC: dict[RcKeyType, object] = {
    "font.size": 10, "axes.titlesize": 12, "axes.labelsize": 10, "xtick.labelsize": 9, "ytick.labelsize": 9,
    "legend.fontsize": 9, "legend.frameon": False, "axes.prop_cycle": cycler(color=PALETTE),
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "axes.grid.axis": "y",
    "grid.alpha": 0.3, "figure.titlesize": 12,
    "svg.fonttype": "none", "svg.hashsalt": "servsim",  # text stays text; the same chart gives the same file
}
CURRENCY = "EUR"  # money.currency's default; charts take the scenario's
CHANNEL_NAMES = {name: traits.label for name, traits in TRAITS.items()}
CHANNEL_COLOURS = dict(zip(TRAITS, (PALETTE[2], PALETTE[0], PALETTE[1], *PALETTE[3:])))
F = TypeVar("F", bound=Callable)
# KPIs that are a cost on a trade-off chart: less is better there although no ranking says so.
COSTS = frozenset({"agents_mean"})


def styled(chart: F) -> F:
    """Build a chart inside the house style (fonts and colours are read as each artist is made)."""
    @functools.wraps(chart)
    def wrapper(*args, **kwargs):
        """The chart, drawn with the house rc settings."""
        with matplotlib.rc_context(RC):
            return chart(*args, **kwargs)
    return wrapper  # type: ignore[return-value]


def figure(width: float = 7.5, height: float = 4.5, rows: int = 1, sharex: bool = False) -> tuple[Figure, list[Axes]]:
    """A new figure and its axes (a list, one per row), laid out without overlaps; call inside ``styled``."""
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, list(fig.subplots(rows, 1, sharex=sharex, squeeze=False)[:, 0])


def kpi_label(kpi: str, currency: str = CURRENCY) -> str:
    """A KPI's axis label with its unit (money in ``currency``); unknown names (factors) read as their last
    dotted component."""
    entry = describe(kpi)
    return entry.axis(currency) if entry is not None else factor_label(kpi)


def kpi_name(kpi: str) -> str:
    """A KPI's label without its unit, for titles and captions."""
    entry = REGISTRY.get(kpi)
    return entry.label if entry is not None else kpi_label(kpi).split(" (")[0]


def currency_of(manifest: dict) -> str:
    """The money unit of a sweep: the baseline scenario's ``money.currency`` (the default if absent)."""
    specs = manifest.get("scenarios") or [{}]
    spec = next((s for s in specs if s.get("name") == manifest.get("baseline")), specs[0])
    return (spec.get("config", {}).get("money") or {}).get("currency", CURRENCY)


def factor_label(column: str) -> str:
    """``agents.phone_team.extra_agents`` -> ``Extra agents``: the last path component, readable."""
    words = column.rsplit(".", 1)[-1].replace("_", " ")
    return words[:1].upper() + words[1:]


def scale(kpi: str) -> float:
    """The factor from stored value to display unit: rates are drawn as percentages."""
    return 100.0 if is_percent(kpi) else 1.0


def floor(kpi: str) -> float:
    """The smallest value ``kpi`` can take in display units: most KPIs are at least 0."""
    entry = describe(kpi)
    return entry.floor if entry is not None else 0.0


def ceiling(kpi: str) -> float:
    """The largest value ``kpi`` can take in display units: 100 for a share, none otherwise."""
    entry = describe(kpi)
    return 100.0 if entry is not None and entry.unit == "share" else float("inf")  # annualised rates may pass 100


def lower_is_better(kpi: str) -> bool:
    """Whether less of ``kpi`` is better (the ranking rule, plus staffing as a cost)."""
    return kpi in LOWER_IS_BETTER or kpi in COSTS


def colormap(kpi: str) -> str:
    """The sequential colormap oriented so brighter always means better."""
    return SEQUENTIAL + ("_r" if lower_is_better(kpi) else "")


def time_of_day_axis(ax: Axes, span_hours: float) -> None:
    """Ticks on ``ax``'s x axis (in hours since midnight) as HH:MM, spaced to stay readable."""
    step = next(s for s in (0.5, 1, 2, 3, 4, 6, 12, 24) if span_hours / s <= 12)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda h, _: f"{int(h // 1) % 24:02d}:{round(h % 1 * 60):02d}"))


def save(fig: Figure, path_stem: str | Path) -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` atomically (temp file + ``os.replace``), then free the figure."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(RC):
        paths = [_write_atomic(fig, stem.parent / f"{stem.name}.{fmt}", fmt) for fmt in ("png", "svg")]
    fig.clear()
    return paths


def _write_atomic(fig: Figure, path: Path, fmt: str) -> Path:
    """Render ``fig`` to a hidden temp file beside ``path`` and move it into place in one step."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            fig.savefig(handle, format=fmt, dpi=DPI, metadata={"Date": None} if fmt == "svg" else None)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
