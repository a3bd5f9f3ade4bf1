"""The sensitivity table from hand-built run tables: paired means, swings and when the answer flips. Every
expected number is worked out by hand in the test."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from sim.errors import InputError
from sim.experiment import sensitivity as sens
from sim.experiment.sensitivity import COEFFICIENTS, flips, paired_mean, select, sensitivity_table

ROOT = Path(__file__).resolve().parents[2]


def runs(values: dict[tuple[str, str], dict[str, list[float]]], kpi: str) -> pd.DataFrame:
    """``values[(coefficient, side)][scenario]``: the KPI per replication."""
    return pd.DataFrame([{"coefficient": c, "side": side, "scenario_name": name, "replication": r, kpi: v}
                         for (c, side), by_name in values.items() for name, vs in by_name.items()
                         for r, v in enumerate(vs)])


@pytest.mark.parametrize(("kpi", "central", "varied", "expected"), [
    ("phone_service_level", 0.05, 0.01, False),   # higher is better: still better
    ("phone_service_level", 0.05, -0.01, True),   # better turned worse
    ("phone_service_level", 0.05, 0.0, True),     # better turned no different
    ("phone_service_level", -0.02, 0.03, True),   # worse turned better
    ("asa_seconds", -10.0, -2.0, False),          # lower is better: a shorter wait stays shorter
    ("asa_seconds", -10.0, 4.0, True),            # the option now waits longer
    ("labour_cost", 100.0, 50.0, False),          # dearer stays dearer
    ("phone_service_level", 0.05, math.nan, False),  # nothing measured: no claim
])
def test_an_answer_flips_when_the_difference_changes_side(kpi, central, varied, expected):
    assert flips(kpi, central, varied) is expected


def test_the_paired_mean_is_the_mean_of_the_replication_by_replication_differences():
    # option − base per replication: 0.83 − 0.80 = 0.03, 0.80 − 0.78 = 0.02, 0.86 − 0.82 = 0.04; mean 0.03
    table = pd.DataFrame({"scenario_name": ["base"] * 3 + ["opt"] * 3, "replication": [0, 1, 2] * 2,
                          "sl": [0.80, 0.78, 0.82, 0.83, 0.80, 0.86]})
    assert paired_mean(table, "sl", "base", "opt") == pytest.approx(0.03)
    assert math.isnan(paired_mean(table, "sl", "base", "other"))


def test_the_table_gives_each_coefficient_its_ends_swing_and_flip_largest_swing_first():
    a, b = select(["wait_coefficient", "skill_gain"])
    kpi = "phone_service_level"
    table = sensitivity_table(runs({
        # wait_coefficient: low: +0.04, +0.02 -> +0.03; high: +0.01, +0.01 -> +0.01; swing −0.02; no flip
        (a.key, "low"): {"base": [0.80, 0.80], "opt": [0.84, 0.82]},
        (a.key, "high"): {"base": [0.80, 0.80], "opt": [0.81, 0.81]},
        # skill_gain: low: −0.01, −0.03 -> −0.02 (flips); high: +0.06, +0.06 -> +0.06; swing +0.08
        (b.key, "low"): {"base": [0.80, 0.80], "opt": [0.79, 0.77]},
        (b.key, "high"): {"base": [0.80, 0.80], "opt": [0.86, 0.86]},
    }, kpi), 0.02, kpi, "base", "opt", [a, b])
    assert list(table.columns[:7]) == ["coefficient", "low", "high", "diff_low", "diff_high", "swing", "flips"]
    assert list(table["coefficient"]) == [b.key, a.key]
    first, second = table.iloc[0], table.iloc[1]
    assert (first["low"], first["high"]) == (b.low, b.high)
    assert first["diff_low"] == pytest.approx(-0.02) and first["diff_high"] == pytest.approx(0.06)
    assert first["swing"] == pytest.approx(0.08) and first["flips"]
    assert second["swing"] == pytest.approx(-0.02) and not second["flips"]
    # its swing replication by replication: (0.01 − 0.04, 0.01 − 0.02) = (−0.03, −0.01): mean −0.02, sd 0.01414,
    # half-width t(0.975, 1) 12.706 x 0.01414 / √2 = 0.12706
    assert second["swing_ci_low"] == pytest.approx(-0.02 - 0.12706, abs=1e-4)
    assert second["swing_ci_high"] == pytest.approx(-0.02 + 0.12706, abs=1e-4)
    # skill_gain: (0.06 − (−0.01), 0.06 − (−0.03)) = (0.07, 0.09): the same spread about +0.08
    assert first["swing_ci_low"] == pytest.approx(0.08 - 0.12706, abs=1e-4)
    assert (table["diff_central"] == 0.02).all() and (table["option"] == "opt").all()


def test_coefficients_are_named_by_key_or_short_name_and_an_unknown_one_is_an_input_error():
    assert [c.key for c in select(["learning.skill_gain", "behaviour.learning.skill_gain"])] == [
        "behaviour.learning.skill_gain"]
    assert select([]) == list(COEFFICIENTS)
    with pytest.raises(InputError, match="'skil_gain': is not an uncertain coefficient"):
        select(["skil_gain"])


def test_every_coefficient_is_a_real_key_with_its_default_inside_its_range():
    """Each key exists in the schema with the default stated (so a rename cannot leave the list stale), and
    low ≤ default ≤ high."""
    from sim.config.behaviour import Behaviour
    from sim.config.units import parse_duration

    def number(text: str) -> float:
        return parse_duration(text, require_unit=True) if text[-1].isalpha() else float(text)

    for c in COEFFICIENTS:
        node = Behaviour()
        for part in c.key.split(".")[1:]:
            node = getattr(node, part)
        default = number(c.default)
        scale = 3600.0 if c.key.endswith("_hours") else 1.0
        assert float(node) * scale == pytest.approx(default), c.key
        assert number(c.low) <= default <= number(c.high), c.key


def test_the_documented_table_is_the_list_in_the_code():
    assert sens.markdown() in (ROOT / "docs" / "sensitivity.md").read_text(encoding="utf-8")


def test_the_cost_is_two_values_two_scenarios_per_coefficient_and_replication():
    assert sens.runs_needed(17, 3) == 2 * 17 * 2 * 3
