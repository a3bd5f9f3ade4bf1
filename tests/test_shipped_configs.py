"""Every scenario shipped in ``configs/`` validates and runs, shortened to about a day, with finite service levels.

The short horizon is one day (a whole number of intervals, since an interval
divides a day) after the file's own warm-up, so demand profiles that only open
during office hours still see calls.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import cli
from sim.config import load_config
from sim.config.schema import DAY

CONFIGS = sorted((Path(__file__).resolve().parents[1] / "configs").glob("*.yaml"))
SERVICE_LEVELS = (
    "service_level", "service_level_offered", "service_level_answered", "service_level_offered_excl_short_abandons",
)


def short_horizon(config: Path) -> float:
    """One day after the warm-up, in seconds: a multiple of the interval, longer than the warm-up."""
    return load_config(config).warmup + DAY


def test_there_are_shipped_configs():
    assert CONFIGS


@pytest.mark.parametrize("config", CONFIGS, ids=[c.name for c in CONFIGS])
@pytest.mark.integration
def test_shipped_config_validates_and_runs_briefly_with_finite_service_levels(config):
    horizon = short_horizon(config)
    shortened = load_config(config, [f"horizon={horizon}s"])
    assert shortened.warmup < shortened.horizon
    assert math.isclose(shortened.horizon / shortened.interval, round(shortened.horizon / shortened.interval))

    result = CliRunner().invoke(cli, ["run", str(config), "--set", f"horizon={horizon}s", "-r", "1", "--json"])
    assert result.exit_code == 0, result.output
    kpis = json.loads(result.stdout)["kpis"]
    assert kpis["offered"]["mean"] > 0
    for name in SERVICE_LEVELS:
        value = kpis[name]["mean"]
        assert value is not None and 0 <= value <= 1, (name, value)
