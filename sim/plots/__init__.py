"""Charts from sweep result tables (the only package that imports matplotlib; never pyplot)."""

from sim.plots.charts import (
    heatmap, intraday, kpi_by_factor, pareto_front, scenario_bars, tier_comparison, tradeoff, wait_cdf,
)
from sim.plots.gallery import charts_for, varying_factors
from sim.plots.style import PALETTE, SEQUENTIAL, kpi_label, save

__all__ = [
    "PALETTE", "SEQUENTIAL", "charts_for", "heatmap", "intraday", "kpi_by_factor", "kpi_label", "pareto_front",
    "save", "scenario_bars", "tier_comparison", "tradeoff", "varying_factors", "wait_cdf",
]
