"""Shared fixtures: paths to shipped files and a tiny scenario factory."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


def scenario_dict(**phone) -> dict:
    """A minimal valid scenario as a dict; keyword arguments replace parts of the phone channel."""
    channel = {
        "arrivals": {"rate": "2/min"},
        "handle_time": {"dist": "exponential", "mean": "4min"},
        "patience": {"dist": "exponential", "mean": "3min"},
    }
    channel.update(phone)
    return {"horizon": "8h", "interval": "1h", "channels": {"phone": channel}, "agents": {"team": {"staffing": 9}}}


@pytest.fixture
def make_scenario():
    """The ``scenario_dict`` factory, for tests that build scenario files."""
    return scenario_dict
