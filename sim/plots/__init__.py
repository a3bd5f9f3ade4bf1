"""Charts from result tables (the only package that imports matplotlib)."""

from sim.plots.charts import heatmap, intraday, kpi_by_factor, scenario_bars, tier_comparison, tradeoff, wait_cdf
from sim.plots.gallery import charts_for
from sim.plots.style import save

__all__ = [
    "charts_for", "heatmap", "intraday", "kpi_by_factor", "save", "scenario_bars", "tier_comparison", "tradeoff",
    "wait_cdf",
]
