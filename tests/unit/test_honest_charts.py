"""Charts that cannot mislead: no blended service level or ASA across channels, cell values that differ where
their colours do, titles that wrap instead of being clipped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.plots.charts import cell_labels, scenario_bars
from sim.plots.gallery import chart_kpis


def summary_with(*kpis: str) -> pd.DataFrame:
    return pd.DataFrame({"scenario": [0, 1], "scenario_name": ["a", "b"],
                         **{f"{k}_{p}": [0.5, 0.6] for k in kpis for p in ("mean", "ci_low", "ci_high")}})


def test_several_channels_are_charted_one_by_one_never_blended():
    s = summary_with("service_level", "asa_seconds", "abandon_rate", "phone_service_level", "email_service_level",
                     "phone_asa_seconds", "email_abandon_rate", "fcr")
    kpis = chart_kpis(s, ["phone", "email"])
    assert "service_level" not in kpis and "asa_seconds" not in kpis and "abandon_rate" not in kpis
    assert kpis[:3] == ["phone_service_level", "email_service_level", "phone_asa_seconds"]
    assert "email_abandon_rate" not in kpis  # email has no abandonment (its channel trait)
    assert chart_kpis(summary_with("service_level"), ["phone", "email"]) == []  # only the blend: not drawn
    assert chart_kpis(summary_with("service_level"), ["phone"]) == ["service_level"]  # one channel: it is that one


def test_cells_of_different_value_never_read_the_same():
    raw = np.array([[0.1312, 0.1338], [0.1251, np.nan]])  # all "0.13" at two decimals
    labels = cell_labels("frustration_mean", raw)
    finite = [labels[0, 0], labels[0, 1], labels[1, 0]]
    assert len(set(finite)) == 3 and labels[1, 1] == "–"
    assert list(cell_labels("frustration_mean", np.array([[0.1, 0.2]]))[0]) == ["0.10", "0.20"]  # enough already


def test_a_long_title_wraps_inside_a_narrow_chart():
    s = summary_with("fcr")
    fig = scenario_bars(s, "fcr", "a")
    title = fig.axes[0].get_title()
    assert "\n" in title and title.replace("\n", " ") == "First-contact resolution by scenario (mean and 95% interval)"
    fig.canvas.draw()
    box = fig.axes[0].title.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width  # inside the figure: nothing clipped


def test_money_cells_carry_the_scenarios_currency_and_other_cells_do_not():
    # 662,861.9 -> "662.9 k" (sim.plots.parts.compact), then the currency the scenario's money section names
    labels = cell_labels("net_value", np.array([[662_861.9, np.nan], [1_234.5, -2_500_000.0]]), "GBP")
    assert labels[0, 0] == "662.9 k GBP" and labels[1, 1] == "-2.50 M GBP" and labels[0, 1] == "–"
    assert labels[1, 0].endswith(" GBP")
    assert not cell_labels("frustration_mean", np.array([[0.1, 0.2]]), "GBP")[0, 0].endswith("GBP")


def test_a_money_heatmap_writes_the_currency_in_every_cell():
    from sim.plots.charts import heatmap

    summary = pd.DataFrame({"a": [1, 1, 2, 2], "b": [1, 2, 1, 2], "net_value_mean": [100.0, 200.0, 300.0, 400.0]})
    fig = heatmap(summary, "a", "b", "net_value", "USD")
    # below 10,000 a cell reads as sim.formatting.fmt writes money (one decimal: "-28,500.0"), then the currency
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["100.0 USD", "200.0 USD", "300.0 USD", "400.0 USD"]
