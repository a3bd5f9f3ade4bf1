"""Charts from sweep result tables (the only package that imports matplotlib; never pyplot)."""

from sim.plots.charts import heatmap, kpi_by_factor, pareto_front, scenario_bars, tier_comparison, tradeoff
from sim.plots.distributions import csat_distribution, frustration_distribution, wait_cdf
from sim.plots.gallery import charts_for, varying_factors
from sim.plots.intraday import intraday
from sim.plots.staffing import staffing_chart
from sim.plots.style import PALETTE, SEQUENTIAL, kpi_label, save
from sim.plots.weeks import over_weeks

__all__ = [
    "PALETTE", "SEQUENTIAL", "charts_for", "csat_distribution", "frustration_distribution", "heatmap", "intraday",
    "kpi_by_factor", "kpi_label", "over_weeks", "pareto_front", "save", "scenario_bars", "staffing_chart",
    "tier_comparison", "tradeoff", "varying_factors", "wait_cdf",
]
