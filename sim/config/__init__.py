"""Scenario configuration: schema, YAML loading, ``--set`` overrides, human units."""

from sim.config.loader import apply_overrides, load_config, read_yaml
from sim.config.schema import SL_DEFINITIONS, Scenario
from sim.config.units import format_duration, parse_duration, parse_rate

__all__ = [
    "SL_DEFINITIONS",
    "Scenario",
    "apply_overrides",
    "format_duration",
    "load_config",
    "parse_duration",
    "parse_rate",
    "read_yaml",
]
