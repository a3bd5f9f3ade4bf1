"""The customer base, attrition and money through the simulation: invariants that hold exactly, and directions
under common random numbers (the same customers and candidate arrivals in every variant)."""

from __future__ import annotations

import gc
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import simpy

import sim
from sim.config.loader import validate
from sim.config.schema import DAY, Scenario
from sim.metrics import channel_kpis, daily_kpis, run_kpis, tier_kpis, weekly_kpis
from sim.model import simulate
from sim.model.agents import floor_plan
from sim.model.contact import Contact
from sim.model.demand import Layout
from sim.model.ledger import Ledger
from sim.model.simulate import _engine as build
from sim.records import Levels
from sim.rng import Streams

ROOT = Path(__file__).resolve().parents[2]
CENTRE = ROOT / "configs" / "service_centre.yaml"
SEED = 2026


def phone(size: int, days: int = 2, agents: int = 6, **behaviour) -> Scenario:
    """One phone line, 1,000 calls a day from a base of ``size`` customers, ``agents`` all day; behaviour on."""
    return validate(Scenario, {
        "horizon": days * DAY, "interval": 3600,
        "channels": {"phone": {"arrivals": {"daily_volume": 1000},
                               "handle_time": {"dist": "exponential", "mean": "4min"}}},
        "customers": {"base": {"size": size, "new_per_day": 0}},
        "agents": {"team": {"staffing": agents}},
        "behaviour": behaviour,
    }, "test", units_required=False)


def test_customers_who_all_defect_after_one_episode_stop_the_demand():
    # every episode ends in defection (p = kappa * Phi(10 - 1.333 z) = 1); nobody new joins
    always = {"defection": {"kappa": 1.0, "intercept": 10.0, "caused_by_contact": False},
              "resolution": {"repeat_probability": 0.0}}
    size = 300
    out = simulate(phone(size, **always), 0, SEED)
    kpis = run_kpis(out, phone(size, **always))
    levels = out.levels
    episodes = out.sums["episodes"].sum()
    assert kpis["active_customers_end"] == size - levels["churned"].sum()
    # at most one episode per customer, but for the few who call again while their first is still open
    assert kpis["first_contacts"] <= 1.05 * size
    assert levels["defected"].sum() <= size and levels["defected"].sum() >= 0.9 * episodes
    free = run_kpis(simulate(phone(size), 0, SEED), phone(size))
    assert free["first_contacts"] > 5 * size  # the same candidate arrivals, nobody lost: ~2,000 calls


def test_customers_lost_and_revenue_at_risk_add_up():
    scenario = phone(2000, days=3, defection={"kappa": 1.0})
    out = simulate(scenario, 1, SEED)
    levels, kpis = out.levels, run_kpis(out, scenario)
    assert levels["churned"].sum() >= levels["defected"].sum() > 0
    assert kpis["active_customers_end"] == 2000 - levels["churned"].sum()  # new_per_day = 0
    assert kpis["revenue_at_risk"] == 0.0  # tier value defaults to 0
    years = scenario.horizon / (365.25 * DAY)
    assert kpis["churn_rate"] == pytest.approx(levels["churned"].sum() / (levels["customer_area"].sum() / DAY / 365.25))
    assert 0 < kpis["churn_rate"] * years < 1


def test_labour_and_training_cost_are_the_schedule_priced_when_nobody_leaves():
    scenario = sim.load_config(CENTRE, ["horizon=2d", "warmup=0s", "behaviour.attrition.enabled=false",
                                        "agents.phone_team.training_hours=90"])
    kpis = run_kpis(simulate(scenario, 0, SEED), scenario)
    hours = scenario.interval / 3600.0
    labour = sum(sum(g.plan(scenario.n_intervals, scenario.intervals_per_day)) * hours * g.hourly_cost
                 for g in scenario.agents.values()) / (1 - scenario.money.shrinkage)  # paid time, not floor time
    group = scenario.agents["phone_team"]
    off = sum(group.plan(scenario.n_intervals, scenario.intervals_per_day)) - sum(floor_plan(scenario, "phone_team"))
    assert kpis["labour_cost"] == pytest.approx(labour)
    assert kpis["training_cost"] == pytest.approx(off * hours * scenario.money.training_cost_per_hour)
    assert off == pytest.approx(sum(group.plan(scenario.n_intervals, scenario.intervals_per_day)) * 90 / 1800, abs=1)
    assert kpis["hiring_cost"] == 0.0 and kpis["agent_attrition_rate"] == 0.0
    cost = kpis["labour_cost"] + kpis["training_cost"]
    assert kpis["cost_per_contact"] == pytest.approx(cost / kpis["answered"])
    assert kpis["net_value"] == pytest.approx(-cost - kpis["customer_value_lost"])
    assert kpis["cost_per_resolved_issue"] > kpis["cost_per_contact"]  # fewer resolutions than answers


def test_each_channels_cost_per_contact_shares_the_whole_cost_by_handle_time():
    """Activity-based allocation: the channels' costs add up to the run's, each in proportion to its agent-time."""
    scenario = sim.load_config(CENTRE, ["horizon=2d", "warmup=0s"])
    output = simulate(scenario, 0, SEED)
    kpis, channels = run_kpis(output, scenario), channel_kpis(output, scenario)
    cost = kpis["labour_cost"] + kpis["training_cost"] + kpis["hiring_cost"]
    allocated = channels["cost_per_contact"] * channels["answered"]
    assert allocated.sum() == pytest.approx(cost)
    handle = channels["aht_seconds"] * channels["answered"]
    assert list(allocated / cost) == pytest.approx(list(handle / handle.sum()))
    for row in channels.itertuples():
        assert kpis[f"{row.channel}_cost_per_contact"] == pytest.approx(row.cost_per_contact)


def attrition(**settings) -> Scenario:
    return validate(Scenario, {
        "horizon": 28 * DAY, "interval": 3600,
        "channels": {"phone": {"arrivals": {"daily_volume": 1500},
                               "handle_time": {"dist": "exponential", "mean": "4min"},
                               "patience": {"dist": "exponential", "mean": "3min"}}},
        "agents": {"team": {"staffing": 6, "hiring_cost": 1000}},
        "behaviour": {"attrition": {"monthly_quit": 0.6, "vacancy": 7 * DAY, "induction": 7 * DAY, **settings}},
    }, "test", units_required=False)


@lru_cache(maxsize=None)
def attrition_runs(enabled: bool):
    scenario = attrition(enabled=enabled)
    return scenario, [simulate(scenario, rep, SEED) for rep in range(3)]


def test_leavers_leave_gaps_that_hires_fill_after_the_vacancy_and_the_induction():
    scenario, outputs = attrition_runs(True)
    for out in outputs:
        kpis = run_kpis(out, scenario)
        levels = out.levels
        quits, hires = levels["quits"].sum(), levels["hires"].sum()
        assert quits > 0 and hires <= quits
        assert kpis["hiring_cost"] == 1000 * hires
        first_quit = levels.loc[levels["quits"] > 0, "start_seconds"].min()
        if hires:  # nobody is hired before a vacancy has lasted its 7 days
            assert levels.loc[levels["hires"] > 0, "start_seconds"].min() >= first_quit + 7 * DAY
        assert kpis["agents_employed"] < 6
        assert kpis["agent_attrition_rate"] == pytest.approx(quits / (levels["employed_area"].sum() / DAY / 365.25))


def test_attrition_leaves_the_floor_short_and_waits_longer_under_common_random_numbers():
    scenario, with_quits = attrition_runs(True)
    _, without = attrition_runs(False)
    on = np.mean([run_kpis(o, scenario)["service_level"] for o in with_quits])
    off = np.mean([run_kpis(o, scenario)["service_level"] for o in without])
    assert on < off
    assert all(o.levels["quits"].sum() == 0 for o in without)


# --- directions on the shipped service centre (two days, eight replications) -------------------------

@lru_cache(maxsize=None)
def centre(overrides: tuple[str, ...] = (), days: int = 2, replications: int = 8):
    return sim.run(sim.load_config(CENTRE, (f"horizon={days}d", "warmup=0s") + overrides), replications, SEED).runs


def test_better_resolution_raises_csat_nps_and_loyalty_and_lowers_churn():
    # a week: within a day or two, the unresolved customers' defections wait for their repeat contacts
    low, high = centre(days=7, replications=4), centre(("behaviour.resolution.base=0.7",), days=7, replications=4)
    for kpi in ("csat_mean", "nps", "loyalty_mean"):
        assert high[kpi].mean() > low[kpi].mean(), kpi
    assert high["churn_rate"].mean() < low["churn_rate"].mean()
    assert high["defection_rate"].mean() < low["defection_rate"].mean()


def test_longer_waits_are_not_better_for_satisfaction_loyalty_or_churn():
    staffed, short = centre(), centre(("agents.phone_team.extra_agents=-5",))
    assert short["phone_asa_seconds"].mean() > 2 * staffed["phone_asa_seconds"].mean()
    for kpi in ("csat_mean", "nps", "loyalty_mean"):
        assert short[kpi].mean() <= staffed[kpi].mean(), kpi
    assert short["churn_rate"].mean() >= staffed["churn_rate"].mean()


def test_churn_lowers_later_demand():
    kept = centre(("behaviour.defection.enabled=false",), days=21, replications=3)
    lost = centre((), days=21, replications=3)
    assert (lost["active_customers_end"] < kept["active_customers_end"]).all()
    scenario = sim.load_config(CENTRE, ["horizon=21d", "warmup=0s"])
    quiet = sim.load_config(CENTRE, ["horizon=21d", "warmup=0s", "behaviour.defection.enabled=false"])
    for rep in range(2):
        week = weekly_kpis(simulate(scenario, rep, SEED), scenario).set_index("week")
        calm = weekly_kpis(simulate(quiet, rep, SEED), quiet).set_index("week")
        assert week.at[2, "first_contacts"] < calm.at[2, "first_contacts"]
        assert week.at[0, "first_contacts"] == pytest.approx(calm.at[0, "first_contacts"], rel=0.02)


def test_a_customer_who_gave_up_is_less_patient_next_time():
    # 500 customers calling a busy line twice a day each: many come back after a bad episode
    def abandon(memory: dict) -> float:
        scenario = phone(500, days=4, agents=3, memory=memory, resolution={"repeat_probability": 0.0})
        return np.mean([run_kpis(simulate(scenario, rep, SEED), scenario)["abandon_rate"] for rep in range(3)])

    assert abandon({"patience_factor": 0.3}) > abandon({"enabled": False}) + 0.01


# --- memory stays flat -------------------------------------------------------------------------------

def live_contacts(weeks: int) -> tuple[int, int, int, int]:
    """When a run of ``weeks`` ends: contacts still referenced, contacts the centre still holds (queued, in
    service, or a follow-up due later), contacts offered, and the bytes of the customer base's arrays."""
    scenario = sim.load_config(CENTRE, [f"horizon={weeks}w", "warmup=0s"])
    streams, layout = Streams(SEED, 0), Layout(scenario)
    ledger = Ledger(scenario, layout.channels, layout.tiers, layout.issues, False)
    levels = Levels(scenario.n_intervals, layout.channels, list(scenario.agents))
    env = simpy.Environment()
    centre = build(scenario, streams, layout, env, ledger, levels, False, None)
    env.run(until=scenario.horizon)
    centre.finish(scenario.horizon)
    gc.collect()
    alive = sum(1 for o in gc.get_objects() if type(o) is Contact)
    held = sum(centre.level[:len(layout.channels)]) + sum(len(g.members) for g in centre.groups) + len(env._queue)
    base = centre.base
    arrays = sum(a.itemsize * len(a) for a in (base.loyalty, base.loyalty_at, base.episodes, base.bad_at))
    return alive, held, int(ledger.sums.field("offered").sum()), arrays


def test_long_runs_keep_no_contact_beyond_its_end_and_a_fixed_size_customer_base():
    for weeks in (2, 6):
        alive, held, offered, arrays = live_contacts(weeks)
        assert alive <= held < 0.1 * offered, weeks  # every live contact is one the centre still holds
        assert arrays == 150_000 * 8 * 4  # loyalty, its time, episodes, last bad episode: one each per customer



# --- regressions found in review -----------------------------------------------------------------------

def test_a_contact_is_scored_before_its_repeat_adds_effort_and_frustration():
    # nobody waits or is angry; every contact unresolved; one repeat each, an hour later: the first contact
    # has effort 0 and no frustration, the repeat effort 1 and the repeat's +0.18, so the means are halves
    scenario = validate(Scenario, {
        "horizon": 10 * DAY, "interval": 3600,
        "channels": {"phone": {"arrivals": {"daily_volume": 500}, "handle_time": {"dist": "exponential", "mean": "4min"}}},
        "agents": {"team": {"staffing": 40}},
        "behaviour": {"frustration": {"angry_share": 0.0}, "exhaustion": {"enabled": False},
                      "resolution": {"base": 0.0, "skill_slope": 0.0, "transfer_base": 0.0, "transfer_skill_slope": 0.0,
                                     "repeat_probability": 1.0, "max_contacts": 2,
                                     "repeat_delay": {"dist": "fixed", "value": 3600}}},
    }, "test", units_required=False)
    kpis = run_kpis(simulate(scenario, 0, SEED), scenario)
    assert kpis["effort_mean"] == pytest.approx(0.5, abs=0.02)
    assert kpis["frustration_mean"] < 0.18 / 2 + 0.01


def test_background_churn_and_quits_run_every_day_so_annual_rates_come_out_right():
    # a week with h0 = 1 a year and no defection: the run's churn rate is h0, and day 0 churns like the others
    scenario = validate(Scenario, {
        "horizon": 7 * DAY, "interval": 3600,
        "channels": {"phone": {"arrivals": {"daily_volume": 10}, "handle_time": {"dist": "exponential", "mean": "4min"}}},
        "customers": {"base": {"size": 200_000, "new_per_day": 0}},
        "agents": {"team": {"staffing": 3000}},
        "behaviour": {"loyalty": {"background_churn": 1.0}, "defection": {"enabled": False},
                      "attrition": {"monthly_quit": 0.5, "vacancy": 100 * DAY}, "exhaustion": {"enabled": False}},
    }, "test", units_required=False)
    out = simulate(scenario, 0, SEED)
    kpis, days = run_kpis(out, scenario), daily_kpis(out, scenario)
    assert kpis["churn_rate"] == pytest.approx(1.0, abs=0.06)  # about 3,800 leave: 1.6% standard error
    monthly = -math.log(1 - 0.5)  # hazard per month of q = 0.5
    assert kpis["agent_attrition_rate"] == pytest.approx(monthly * 12, rel=0.1)  # about 400 quits
    assert (days["churn_rate"] > 0.8).all()


def test_replacement_hires_reach_the_floor_after_their_induction():
    # six agents round the clock; a quit leaves a gap of 3 days' vacancy and 3 days' induction, then it closes
    scenario = attrition(vacancy=3 * DAY, induction=3 * DAY)
    for rep in range(3):
        levels = simulate(scenario, rep, SEED).levels
        quits = levels.loc[levels["quits"] > 0, ["start_seconds", "quits"]]
        # a gap lasts vacancy + induction, plus up to a day each way: steps run at the end of each day
        recent = quits.loc[quits["start_seconds"] >= scenario.horizon - 9 * DAY, "quits"].sum()
        assert levels["on_floor_end"].iloc[-1] >= 6 - recent
        assert levels["hires"].sum() >= quits.loc[quits["start_seconds"] < scenario.horizon - 4 * DAY, "quits"].sum()


def test_lost_customers_are_valued_at_their_discounted_lifetime_margin_split_by_cause():
    """Each lost customer costs value x margin / (h0 + d): the integral of their margin over a lifetime ended by the
    background hazard h0 and discounted at d (closed form); service-caused and background parts add up."""
    scenario = sim.load_config(CENTRE, ["horizon=2d", "warmup=0s", "customers.base.size=20000", "money.margin=0.3",
                                        "money.discount_rate=0.05"])
    out = simulate(scenario, 0, SEED)
    kpis, levels = run_kpis(out, scenario), out.levels
    factor = 0.3 / (scenario.behaviour.loyalty.background_churn + 0.05)
    assert kpis["customer_value_lost"] == pytest.approx(levels["value_lost"].sum() * factor)
    assert kpis["customer_value_lost_service"] == pytest.approx(levels["value_defected"].sum() * factor)
    assert kpis["customer_value_lost_service"] + kpis["customer_value_lost_background"] == \
        pytest.approx(kpis["customer_value_lost"])
    assert kpis["margin"] == pytest.approx(0.3 * kpis["revenue"])


@lru_cache(maxsize=None)
def tiered(priority_value: int):
    scenario = sim.load_config(CENTRE, ["horizon=6d", "warmup=2d", f"customers.tiers.priority.value={priority_value}"])
    output = simulate(scenario, 0, SEED)
    return tier_kpis(output, scenario).set_index("tier"), run_kpis(output, scenario), output


def test_per_tier_churn_and_value_lost_add_up_to_the_run():
    tiers, kpis, output = tiered(2000)
    assert tiers["customer_value_lost"].sum() == pytest.approx(kpis["customer_value_lost"])
    assert tiers["customer_value_lost_service"].sum() == pytest.approx(kpis["customer_value_lost_service"])
    levels = output.levels[output.levels["start_seconds"] >= 2 * DAY]
    for field in ("customer_area", "churned", "defected"):
        assert sum(levels[f"tier_{field}.{t}"].sum() for t in tiers.index) == pytest.approx(levels[field].sum())
    # the run's churn rate is the tiers' rates weighted by their exposure
    area = np.array([levels[f"tier_customer_area.{t}"].sum() for t in tiers.index])
    assert float((tiers["churn_rate"] * area).sum() / area.sum()) == pytest.approx(kpis["churn_rate"])


def test_a_tier_worth_twice_as_much_loses_twice_the_value_and_nothing_else_moves():
    """Under common random numbers a tier's yearly value only prices its customers: churn is the same."""
    base, _, _ = tiered(2000)
    doubled, _, _ = tiered(4000)
    assert doubled.at["priority", "customer_value_lost"] == pytest.approx(2 * base.at["priority", "customer_value_lost"])
    assert doubled.at["regular", "customer_value_lost"] == pytest.approx(base.at["regular", "customer_value_lost"])
    assert list(doubled["churn_rate"]) == pytest.approx(list(base["churn_rate"]))
