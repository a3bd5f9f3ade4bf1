"""Shared fixtures: paths to shipped files and a tiny scenario factory."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import phone_scenario

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


def scenario_dict(**phone) -> dict:
    """A minimal valid scenario as a dict; keyword arguments replace parts of the phone channel."""
    data = phone_scenario()
    data["channels"]["phone"].update(phone)
    return data


@pytest.fixture
def make_scenario():
    """The ``scenario_dict`` factory, for tests that build scenario files."""
    return scenario_dict
