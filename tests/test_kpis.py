"""One KPI registry: every KPI the metrics compute is registered, every registered one is computed, and the
docs, labels and rankings come from it."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.config.loader import load_config
from sim.kpis import (KPIS, LOWER, LOWER_IS_BETTER, REGISTRY, SUMMARY_KPIS, UNITS, is_percent, kpi, markdown)
from sim.metrics import run_kpis
from sim.model import simulate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def centre_kpis() -> dict:
    scenario = load_config(ROOT / "configs" / "service_centre.yaml", ["horizon=1d", "warmup=0s", "customers.base.size=5000"])
    return run_kpis(simulate(scenario, 0, 1), scenario)


def test_every_kpi_a_run_computes_is_registered_and_every_registered_one_is_computed(centre_kpis):
    assert set(centre_kpis) == set(KPIS)


def test_every_column_of_every_output_table_is_registered():
    """Each column ``sim.run`` writes is a key, a KPI, a registered column or one of a described family."""
    from sim.kpis import KEYS, describe

    scenario = load_config(ROOT / "configs" / "service_centre.yaml", ["horizon=8d", "warmup=1d",
                                                                      "customers.base.size=5000"])
    results = sim.run(scenario, 1, 1)
    groups = tuple(scenario.agents)
    for table in ("runs", "intervals", "days", "weeks", "tiers", "channels", "issues", "groups"):
        frame = getattr(results, table)
        unknown = [c for c in frame.columns if c not in KEYS and describe(c, groups) is None]
        assert not unknown, (table, unknown)
    assert describe("not_a_column", groups) is None and describe("replication") is None
    assert describe("phone_team_agents_busy", groups).unit == "agents"
    assert describe("phone_mean_wait_seconds").unit == "seconds" and describe("frustration_3").unit == "count"


def test_bounds_and_percent_come_from_the_registry():
    from sim.plots.style import ceiling, floor, kpi_label

    assert floor("nps") == -100 and floor("net_value") == float("-inf") and floor("service_level") == 0
    assert ceiling("abandon_rate") == 100 and ceiling("churn_rate") == float("inf")  # annualised: may pass 100%
    assert is_percent("handled_share") and kpi_label("agents_quit") == "Agents who quit"


def test_the_plain_queue_computes_the_same_kpis():
    scenario = load_config(ROOT / "configs" / "erlang_a_benchmark.yaml", ["horizon=1d"])
    out = simulate(scenario, 0, 1)
    assert out.meta["engine"] == "plain" and set(run_kpis(out, scenario)) == set(KPIS)


def test_each_entry_says_what_it_is():
    for name, entry in REGISTRY.items():
        assert entry.name == name and entry.doc and entry.label and entry.unit in UNITS, name
    assert set(SUMMARY_KPIS) <= set(KPIS)


def test_per_channel_kpis_follow_their_all_channel_entry():
    for channel in ("walk_in", "phone", "email"):
        for name in ("service_level", "asa_seconds", "abandon_rate", "offered"):
            assert kpi(f"{channel}_{name}").unit == kpi(name).unit
            assert kpi(f"{channel}_{name}").better == kpi(name).better
    assert "response target" in kpi("email_service_level").doc
    assert kpi("phone_service_level").label == "Phone service level"


def test_directions_units_and_formats_agree():
    assert "abandon_rate" in LOWER_IS_BETTER and "service_level" not in LOWER_IS_BETTER
    assert kpi("net_value").unit == "money" and kpi("churn_rate").axis() == "Churn (% a year)"
    assert is_percent("phone_abandon_rate") and not is_percent("asa_seconds") and not is_percent("not_a_kpi")
    assert all(kpi(k).better == LOWER for k in LOWER_IS_BETTER)


def test_the_kpi_docs_are_generated_from_the_registry():
    assert (ROOT / "docs" / "kpis.md").read_text() == markdown(), "regenerate: python -m sim.kpis > docs/kpis.md"


def test_the_report_and_charts_read_their_words_from_the_registry():
    from sim.plots.style import kpi_label
    from sim.report.findings import headline

    assert kpi_label("cost_per_contact", "GBP") == "Cost per contact (GBP)"
    assert headline("abandon_rate") == "Lowest abandonment" and headline("nps") == "Highest NPS"
    assert sim.__version__


def test_intervals_are_shown_within_what_a_kpi_can_take():
    from sim.formatting import fmt_interval
    from sim.kpis import bounds

    assert bounds("phone_service_level") == (0.0, 1.0) and bounds("nps") == (-100.0, 100.0)
    assert bounds("csat_mean") == (1.0, 5.0) and bounds("net_value") == (float("-inf"), float("inf"))
    assert fmt_interval("service_level", 0.579, 1.01) == "57.9% – 100.0%"
    assert fmt_interval("abandoned", -221.0, 923.0) == "0 – 923"
    assert fmt_interval("net_value", -5.0, 7.0) == "-5.00 – 7.00"  # money has no bound: nothing cut


def test_no_negative_zero_in_the_tables():
    """Hours with nothing spent and nothing lost have a net value of 0, not -0 (which prints as "-0")."""
    import numpy as np

    results = sim.run(load_config(ROOT / "configs" / "phone_line.yaml", ["horizon=1d"]), 1, 1)
    value = results.intervals["net_value"]
    assert (value == 0).any() and not (np.signbit(value) & (value == 0)).any()
