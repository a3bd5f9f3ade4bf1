"""The warm-up leaves out exactly its days from every KPI, the money and the customer base, and changes nothing
in the simulation itself (same seed: the days after it are the same days)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.config.loader import load_config

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ["horizon=4d", "customers.base.size=20000", "replications=1"]
ADDITIVE = ["offered", "answered", "abandoned", "balked", "first_contacts", "labour_cost", "training_cost",
            "hiring_cost", "revenue", "revenue_at_risk", "net_value"]


@pytest.fixture(scope="module")
def pair():
    cold = sim.run(load_config(ROOT / "configs" / "service_centre.yaml", [*SETTINGS, "warmup=0s"]))
    warm = sim.run(load_config(ROOT / "configs" / "service_centre.yaml", [*SETTINGS, "warmup=2d"]))
    return cold, warm


def test_the_days_after_the_warm_up_are_the_same_days(pair):
    cold, warm = pair
    after = cold.days[cold.days["day"] >= 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(after, warm.days.reset_index(drop=True), check_dtype=False)


def test_every_additive_kpi_and_the_money_are_the_sum_of_the_days_after_the_warm_up(pair):
    cold, warm = pair
    after = cold.days[cold.days["day"] >= 2]
    for name in ADDITIVE:
        assert warm.runs[name].iloc[0] == pytest.approx(after[name].sum(), rel=1e-9, abs=1e-6), name


def test_the_customer_base_and_per_group_tables_start_after_the_warm_up(pair):
    cold, warm = pair
    after = cold.days[cold.days["day"] >= 2]
    assert warm.runs["active_customers_end"].iloc[0] == after["active_customers_end"].iloc[-1]
    # churn per customer-year over the days after the warm-up, from the days' own rates and exposures
    assert np.isfinite(warm.runs["churn_rate"].iloc[0])
    for table in (warm.tiers, warm.channels, warm.issues):
        assert table["offered"].sum() == warm.runs["offered"].iloc[0]
    assert warm.groups["handled"].sum() < cold.groups["handled"].sum()
