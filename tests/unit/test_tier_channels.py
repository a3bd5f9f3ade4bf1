"""The tier table with more than one channel: each channel's waits per tier, next to the pooled ones.
Expected values come from the channel table of the same run and from the pooled mean being a weighted mean."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.config.loader import validate
from sim.config.schema import Scenario
from helpers import phone_scenario

EMAIL = {"arrivals": {"rate": "30/h"}, "handle_time": {"dist": "exponential", "mean": "6min"},
         "response_target": "4h"}


def run(tiers: dict | None):
    config = phone_scenario(horizon="6h")
    del config["behaviour"]  # the journey on: tiers, repeats, frustration
    config["channels"]["email"] = EMAIL
    config["agents"] = {"team": {"staffing": 9, "channels": ["phone"]},
                        "desk": {"staffing": 2, "channels": ["email"]}}
    if tiers:
        config["customers"] = {"tiers": tiers}
    return sim.run(validate(Scenario, config, "test"), 1, 4)


def test_one_tier_has_exactly_each_channels_own_waits():
    # With one tier, the tier's contacts on a channel are that channel's contacts: the same sums.
    r = run(None)
    tier, channels = r.tiers.iloc[0], r.channels.set_index("channel")
    for channel in ("phone", "email"):
        for kpi in ("service_level", "asa_seconds", "abandon_rate"):
            assert tier[f"{channel}_{kpi}"] == pytest.approx(channels.loc[channel, kpi], nan_ok=True), (channel, kpi)


def test_a_tiers_pooled_asa_lies_between_its_channels_asa():
    # The pooled ASA is the answered-weighted mean of the channels' ASA, so it lies between them; the email
    # wait (hours) dwarfs the phone wait (seconds), which is why the report charts them apart.
    r = run({"regular": {"share": 0.8}, "priority": {"share": 0.2, "priority": 1}})
    for _, row in r.tiers.iterrows():
        low, high = sorted((row["phone_asa_seconds"], row["email_asa_seconds"]))
        assert low - 1e-9 <= row["asa_seconds"] <= high + 1e-9
        assert np.isfinite(row["phone_service_level"])
