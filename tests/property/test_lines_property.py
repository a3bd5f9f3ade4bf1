"""Shift lines on random line sets (hypothesis): whatever the lines, every agent's breaks last their length,
nobody answers a contact while away or once its break or shift end is due, contacts are conserved, and the
paid time is the lines' spans less their unpaid breaks."""

from __future__ import annotations

import pytest
from helpers import phone_scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.config.schema import Scenario
from sim.model import simulate

PROPERTY = settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
BREAK = 900.0  # every break lasts 15 minutes, so a return is checked without knowing the agent's line


def clock(quarters: int) -> str:
    return f"{quarters // 4:02d}:{15 * (quarters % 4):02d}"


@st.composite
def lines(draw) -> list[dict]:
    """1 to 3 lines inside one day (no night lines), each with up to 2 non-overlapping 15-minute breaks."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, 80))  # quarter hours
        span = draw(st.integers(2, min(40, 96 - start)))
        offsets = sorted(draw(st.sets(st.integers(0, span - 1), max_size=2)))
        offsets = [o for i, o in enumerate(offsets) if i == 0 or o > offsets[i - 1]]  # 15-min breaks never overlap
        breaks = [{"start": clock(start + o), "length": "15min", "paid": draw(st.booleans())} for o in offsets]
        out.append({"start": clock(start), "end": clock(start + span), "count": draw(st.integers(1, 3)),
                    "breaks": breaks})
    return out


@PROPERTY
@given(lines(), st.integers(0, 2**31), st.sampled_from(["20/h", "60/h"]))
def test_any_lines_are_followed_and_paid_as_written(drawn, seed, rate):
    data = phone_scenario(horizon="1d", interval="15min", seed=seed)
    data["channels"]["phone"]["arrivals"] = {"rate": rate}
    data["agents"] = {"team": {"lines": drawn, "hourly_cost": 1.0}}
    data["output"] = {"trace": True}
    scenario = Scenario.model_validate(data)
    run = simulate(scenario)
    trace = run.trace
    for _, events in trace[trace["agent"] >= 0].groupby("agent"):
        away = None
        for t, event in zip(events["time_seconds"], events["event"]):
            if event == "break":
                away = t
            elif event == "back":
                assert t == pytest.approx(away + BREAK)
                away = None
            elif event == "answer":
                assert away is None  # nothing answered while on a break
    tallies = run.sums
    assert tallies["offered"].sum() == tallies["answered"].sum() + tallies["abandoned"].sum() \
        + tallies["in_queue_end"].sum()
    # one day, no night lines: each agent works its line once and is paid its span less its unpaid breaks
    paid = sum(line["count"] * (scenario.agents["team"].lines[i].span - 900.0 * sum(not b["paid"]
                                                                                       for b in line["breaks"]))
               for i, line in enumerate(drawn))
    assert run.levels["paid_area.team"].sum() == pytest.approx(paid)
