"""The simulation method: the plan it returns meets the targets in the runs it was searched on, ``servsim run``
on the written scenario reproduces those runs exactly, it staffs for the load the journey creates, and a
pooled multi-skill plan never has fewer agents than the offered load."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import phone_scenario

import sim
from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.staffing import Request, staff
from sim.staffing.output import scenario_data

TARGET = 0.8


def pooled_service_level(results) -> np.ndarray:
    """Per interval: answered within the threshold over answered + abandoned, summed over replications."""
    t = results.intervals
    known = t["answered"] + t["abandoned"]
    frame = pd.DataFrame({"within": t["service_level_offered"].fillna(0) * known, "known": known,
                          "interval": t["interval"]}).groupby("interval").sum()
    return (frame["within"] / frame["known"]).to_numpy()


PROFILE = [0] * 9 + [3, 6, 4, 5, 2, 4] + [0] * 9  # calls from 09:00 to 15:00, hourly


def queue_data(volume: float = 480) -> dict:
    """The test phone line (M/M/n+M, behaviour off) over 15 hours with a shaped day of ``volume`` calls."""
    data = phone_scenario(horizon="15h", interval="1h")
    data["channels"]["phone"]["arrivals"] = {"daily_volume": volume, "profile": PROFILE}
    return data


@pytest.mark.integration
def test_the_plan_meets_the_target_and_servsim_run_shows_the_same_runs():
    source = queue_data()
    scenario = validate(Scenario, source, "test")
    result = staff(scenario, Request(method="simulate", target_sl=TARGET, replications=6, seed=4, executor="serial"))
    rows = result.requirements()
    assert result.meta["search"]["all_targets_met"]
    staffed = rows["net_agents"] > 0
    assert (rows.loc[staffed, "simulated_service_level"] >= TARGET).all()
    written = validate(Scenario, scenario_data(result, source), "written")
    assert written.replications == 6 and written.seed == 4
    back = sim.run(written)
    np.testing.assert_allclose(pooled_service_level(back)[staffed.to_numpy()],
                               rows.loc[staffed, "simulated_service_level"].to_numpy(), rtol=1e-12)


def journey_scenario() -> Scenario:
    """A phone line with the customer journey on: unresolved callers call back, abandoners redial."""
    data = queue_data(420)
    data["channels"]["phone"]["redial"] = {"probability": 0.6, "delay": {"dist": "exponential", "mean": "10min"}}
    data["behaviour"] = {"resolution": {"repeat_delay": {"dist": "exponential", "mean": "30min"}}}
    return validate(Scenario, data, "test")


@pytest.mark.integration
def test_the_simulated_plan_staffs_for_the_load_the_journey_creates():
    scenario = journey_scenario()
    mol = staff(scenario, Request(method="mol", target_sl=TARGET)).requirements()
    simulated = staff(scenario, Request(method="simulate", target_sl=TARGET, replications=6, seed=2,
                                        executor="serial"))
    rows = simulated.requirements()
    assert simulated.meta["search"]["all_targets_met"]
    assert rows["net_agents"].sum() > mol["net_agents"].sum()
    channels = simulated.channels[simulated.channels["offered"] > 0]
    fresh = mol.loc[mol["arrivals"] > 0, "arrivals"].sum()
    assert channels["offered"].sum() > 1.1 * fresh  # repeats and redials on top of the fresh calls


def test_a_pooled_multi_skill_plan_never_has_fewer_agents_than_the_load():
    data = queue_data(600)
    data["customers"] = {"issues": {"billing": {"share": 0.6}, "technical": {"share": 0.4, "skill": "tech",
                                                                              "handle_factor": 1.5}}}
    data["agents"] = {"billing": {"staffing": 4}, "flexible": {"skills": {"general": 1.0, "tech": 1.0}, "staffing": 4}}
    scenario = validate(Scenario, data, "test")
    result = staff(scenario, Request(method="simulate", target_sl=TARGET, replications=6, seed=1, executor="serial"))
    rows = result.requirements()
    total = rows.groupby("interval_start")["net_agents"].sum()
    load = result.channels.set_index("interval_start")["offered_load"]
    assert (total >= load.reindex(total.index) - 1e-9).all()
    assert result.meta["search"]["all_targets_met"]
    assert set(rows["group"]) == {"billing", "flexible"}


@pytest.mark.parametrize("group", ["flexible"])
def test_only_the_requested_group_moves(group):
    data = queue_data(600)
    data["customers"] = {"issues": {"billing": {"share": 0.6}, "technical": {"share": 0.4, "skill": "tech"}}}
    data["agents"] = {"billing": {"staffing": 5}, "flexible": {"skills": {"general": 1.0, "tech": 1.0}, "staffing": 4}}
    scenario = validate(Scenario, data, "test")
    result = staff(scenario, Request(method="simulate", group=group, replications=4, seed=1, executor="serial",
                                     max_iterations=4))
    assert [g.group for g in result.groups] == [group]
    written = validate(Scenario, scenario_data(result, data), "written")
    assert written.agents["billing"].staffing == [5]


@pytest.mark.parametrize("hours", [0.0, 80.0, 400.0])
def test_the_written_staffing_puts_the_requirement_on_the_floor_after_training(hours):
    """The engine takes training time off the floor (error diffusion); what is written must leave the plan on it."""
    from sim.model.agents import floor_plan
    from sim.staffing.runs import staffing_lists

    data = phone_scenario(horizon="2d", interval="1h")
    data["agents"]["team"]["training_hours"] = hours
    scenario = validate(Scenario, data, "test")
    net = np.random.default_rng(1).integers(0, 40, scenario.n_intervals)
    written = staffing_lists(scenario, {"team": net})["team"]
    planned = scenario.model_copy(update={"agents": {"team": scenario.agents["team"].model_copy(
        update={"staffing": written})}})
    assert (np.array(floor_plan(planned, "team")) >= net).all()
    if hours == 0.0:
        assert written == net.tolist()


def simulated_occupancy(result) -> pd.Series:
    """Per staffed interval of the plan, the busy agents the search measured over the agents on the floor."""
    rows = result.requirements()
    return rows.loc[rows["net_agents"] > 0].set_index("interval_start")["simulated_occupancy"]


@pytest.mark.parametrize("cap", [0.6, 0.75])
def test_an_occupancy_cap_holds_in_every_interval_of_the_simulated_plan(cap):
    """Without a cap the 80% target alone runs this line's peak above 80% busy; with one, no interval of the plan is
    busier than the cap on the searched runs, and the targets are still met."""
    scenario = validate(Scenario, queue_data(900), "test")
    free = staff(scenario, Request(method="simulate", target_sl=TARGET, replications=4, seed=3, executor="serial"))
    assert simulated_occupancy(free).max() > 0.8
    capped = staff(scenario, Request(method="simulate", target_sl=TARGET, occupancy_cap=cap, replications=4, seed=3,
                                     executor="serial"))
    assert capped.meta["search"]["all_targets_met"]
    assert (simulated_occupancy(capped) <= cap + 1e-9).all()
    assert capped.requirements()["net_agents"].sum() > free.requirements()["net_agents"].sum()


def test_an_occupancy_cap_on_a_backlog_desk_holds_over_each_day():
    """An email desk is judged per day (docs/staffing.md §5): its busy time over a day is at most the cap times its
    agent time that day."""
    data = phone_scenario(horizon="3d", interval="1h")
    data["channels"] = {"email": {"arrivals": {"daily_volume": 240}, "handle_time": {"dist": "exponential",
                                                                                    "mean": "6min"},
                                  "hours": {"open": "08:00", "close": "18:00"}, "response_target": "24h"}}
    data["agents"] = {"desk": {"channels": ["email"], "staffing": 3}}
    scenario = validate(Scenario, data, "test")
    result = staff(scenario, Request(method="simulate", target_sl=TARGET, occupancy_cap=0.5, replications=4,
                                     seed=2, executor="serial"))
    rows = result.requirements()
    staffed = rows[rows["net_agents"] > 0].assign(busy=lambda r: r["simulated_occupancy"] * r["net_agents"])
    per_day = staffed.groupby("day")[["busy", "net_agents"]].sum()
    assert result.meta["search"]["all_targets_met"]
    assert (per_day["busy"] <= 0.5 * per_day["net_agents"] + 1e-9).all()
