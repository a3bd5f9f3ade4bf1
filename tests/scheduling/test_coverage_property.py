"""coverage.csv agrees with shifts.csv: recomputed here from the text of shifts.csv alone (start, end, count,
break times), on random instances with lunches, rests, start windows, shifts past midnight and weekly tours.

On the floor never counts an agent on a break, every break lies inside its shift and inside its window,
an agent's breaks never overlap, and under / over are the shortfall and surplus against the requirement.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schedule_helpers import write_requirement, write_shifts

from sim.cli import cli

def minutes(clock: str) -> int:
    """``HH:MM`` or ``HH:MM+1d`` as minutes from the start of the row's day."""
    text, _, plus = clock.partition("+")
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins) + 1440 * int(plus.rstrip("d") or 0)


@st.composite
def instances(draw):
    week = draw(st.booleans())
    types = {}
    for i in range(draw(st.integers(1, 3))):
        length = draw(st.sampled_from([4, 6, 8, 9]))  # hours
        earliest = draw(st.integers(0, 23))
        spec = {"start": {"earliest": f"{earliest:02d}:00",
                          "latest": f"{min(23, earliest + draw(st.integers(0, 3))):02d}:{draw(st.sampled_from(['00', '30']))}",
                          "step": draw(st.sampled_from(["30min", "1h"]))},
                "length": f"{length}h", "cost_per_shift": draw(st.integers(1, 9)), "breaks": []}
        if length >= 6:
            spec["breaks"].append({"name": "lunch", "duration": draw(st.sampled_from(["30min", "1h"])), "paid": False,
                                   "window": ["3h", f"{length - 2}h"], "step": draw(st.sampled_from(["15min", "30min"]))})
        if draw(st.sampled_from([True, True, False])):
            spec["breaks"].append({"name": "rest", "duration": "15min", "paid": True, "window": ["1h", "2.5h"]})
        if length >= 8 and draw(st.booleans()):
            spec["breaks"].append({"name": "rest_2", "duration": "15min", "paid": True,
                                   "window": [f"{length - 3}h", f"{length - 1}h"]})
        if week and i == 0:
            spec.update(work_days=draw(st.integers(3, 5)), consecutive_days_off=draw(st.booleans()))
        types[f"t{i}"] = spec
    days = 7 if week else 1
    soft = draw(st.sampled_from([None, 50.0]))
    reach = np.zeros(48, dtype=bool)  # half hours some shift can cover; a hard cover asks nothing elsewhere
    for spec in types.values():
        first = int(spec["start"]["earliest"][:2]) * 2
        last = int(spec["start"]["latest"][:2]) * 2 + (spec["start"]["latest"][3:] == "30")
        reach[np.arange(first, last + 2 * int(spec["length"][:-1])) % 48] = True
    demand = [[draw(st.sampled_from([0, 0, 1, 2, 2.5, 4])) if reach[k] or soft else 0 for k in range(48)]
              for _ in range(days)]
    return types, demand, soft


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(instances())
@pytest.mark.integration
def test_coverage_csv_is_consistent_with_shifts_csv(tmp_path, instance):
    types, demand, soft = instance
    req = write_requirement(tmp_path / "req.csv", demand, 30)
    shifts = write_shifts(tmp_path / "shifts.yaml", types)
    out = tmp_path / "out"
    args = ["schedule", str(req), "--shifts", str(shifts), "--out", str(out), "--no-charts", "--time-limit", "20s", "--json"]
    result = CliRunner().invoke(cli, args + (["--under-penalty", str(soft)] if soft else []))
    if soft is None and result.exit_code == 2:  # no hard cover exists (a step only ever reached by a break)
        assert result.output.count("error:") == 1 and "requires" in result.output
        return
    assert result.exit_code == 0, result.output
    lines = pd.read_csv(out / "shifts.csv", keep_default_na=False)
    coverage = pd.read_csv(out / "coverage.csv")
    summary = json.loads((out / "summary.json").read_text())
    step = round(summary["grid_minutes"])  # 15 with rests, else 30
    slots = len(demand) * 1440 // step
    at_work, on_break = np.zeros(slots), np.zeros(slots)
    for row in lines.itertuples():
        spec = types[row.type]
        day_start = int(row.day) * 1440
        begin, end = minutes(row.start), minutes(row.end)
        end += 1440 * (end <= begin)
        assert end - begin == float(spec["length"][:-1]) * 60
        at_work[(np.arange(day_start + begin, day_start + end, step) // step) % slots] += row.count
        spans = []
        for item in filter(None, row.breaks.split("; ")):
            name, times = item.rsplit(" ", 1)
            first, last = (minutes(t) for t in times.split("-"))
            a = first + 1440 * (first < begin)  # a break after midnight belongs to the next morning
            b = a + (last - first) % 1440
            window = next(x["window"] for x in spec["breaks"] if x["name"] == name)
            assert begin + _minutes(window[0]) <= a <= begin + _minutes(window[1])  # starts inside its window
            assert begin <= a and b <= end  # inside the shift
            spans.append((a, b))
            on_break[(np.arange(day_start + a, day_start + b, step) // step) % slots] += row.count
        assert sorted(n for n, _ in (i.rsplit(" ", 1) for i in filter(None, row.breaks.split("; ")))) == \
            sorted(x["name"] for x in spec["breaks"])  # every break of the type, once
        spans.sort()
        assert all(s2[0] >= s1[1] for s1, s2 in zip(spans, spans[1:]))  # an agent's breaks never overlap
    required = np.repeat(np.array(demand, dtype=float).ravel(), 30 // step)
    on_floor = at_work - on_break
    assert coverage["required"].to_numpy() == pytest.approx(required)
    assert coverage["at_work"].to_numpy() == pytest.approx(at_work)
    assert coverage["on_break"].to_numpy() == pytest.approx(on_break)
    assert coverage["on_floor"].to_numpy() == pytest.approx(on_floor)
    assert (on_floor >= 0).all() and (coverage["on_floor"] <= coverage["at_work"]).all()
    assert coverage["under"].to_numpy() == pytest.approx(np.maximum(0, required - on_floor))
    assert coverage["over"].to_numpy() == pytest.approx(np.maximum(0, on_floor - required))
    assert summary["under_hours"] == pytest.approx(np.maximum(0, required - on_floor).sum() * step / 60)
    if soft is None:
        assert summary["under_hours"] == 0  # hard cover: nobody short after the breaks are placed


def _minutes(duration: str) -> float:
    """``2.5h``, ``90min`` in minutes (the few forms the strategy writes)."""
    return float(duration[:-1]) * 60 if duration.endswith("h") else float(duration[:-3])
