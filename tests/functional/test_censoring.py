"""Censoring at the horizon (docs/model.md §15.3): an episode still open when the run ends (its repeat or
redial due after the horizon, or its contact still in the centre) is not scored; the warm-up brings in as many
episodes from before the measured window as leave it open at the end, in every scenario alike.

Independent law: in steady state the stock of open episodes is the same at the start and at the end of the
window (both Monday 00:00), so the episodes *ended* in the window equal the episodes *opened* in it, up to
the difference of two stocks of a few hundred (a few tenths of a percent of ~8,700 episodes a week)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config.loader import load_config
from sim.model import simulate

ROOT = Path(__file__).resolve().parents[2]
# one week of warm-up, one measured week: the window starts and ends on a Monday at midnight
SETTINGS = ["horizon=2w", "warmup=1w"]


def ended_per_opened(resolution_base: float) -> float:
    """Episodes scored in the measured window per episode opened in it (common random numbers: seed 11)."""
    scenario = load_config(ROOT / "configs" / "service_centre.yaml",
                           [*SETTINGS, f"behaviour.resolution.base={resolution_base}"])
    sums = simulate(scenario, 0, 11).sums
    window = sums[sums["start_seconds"] >= scenario.warmup].sum(numeric_only=True)
    opened = window["offered"] - window["repeats"] - window["redials"]  # repeats include email chasers
    return float(window["episodes"] / opened)


@pytest.fixture(scope="module")
def low_and_high() -> tuple[float, float]:
    # 0.45 and 0.7 keep the shipped plan stable (0.35 does not: its backlog grows and the balance fails)
    return ended_per_opened(0.45), ended_per_opened(0.7)


def test_every_episode_opened_in_the_window_is_matched_by_one_scored_in_it(low_and_high):
    for share in low_and_high:
        assert share == pytest.approx(1.0, abs=0.02), low_and_high


def test_low_and_high_resolution_score_the_same_share_under_common_random_numbers(low_and_high):
    # the review's bias: unresolved episodes were never scored, ~46% unscored at 0.35 against ~17% at 0.7 in
    # one day without warm-up; scoring them at their last contact instead booked extra losses at the end
    low, high = low_and_high
    assert abs(low - high) < 0.02, low_and_high
