"""``sim/config/schema.py`` was split by section into sibling modules (issue 13: modules under ~400 lines);
every name it exported before the split is still importable from it, and is the section module's own object
(not a copy that could drift)."""

from __future__ import annotations

import importlib

import sim.config.schema as schema

# The public names sim.config.schema defined before the split (git show 521b62a:sim/config/schema.py).
BEFORE_THE_SPLIT = (
    "AgentGroup", "Arrivals", "Balking", "CHANNELS", "Channel", "ChannelName", "Channels", "Chaser",
    "CustomerBase", "Customers", "DAY", "Email", "Headcount", "Hours", "IssueType", "MAX_EXPECTED_PER_INTERVAL",
    "MAX_INTERVALS", "Money", "Output", "Phone", "ROUTING_POLICIES", "Redial", "Routing", "SL_DEFINITIONS",
    "Scenario", "ServiceLevel", "Share", "Tier", "WEEKDAYS", "WalkIn", "Weekday", "n_intervals",
)


def test_every_name_of_the_schema_is_still_exported():
    assert set(BEFORE_THE_SPLIT) <= set(schema.__all__)
    for name in schema.__all__:
        assert hasattr(schema, name), name


def test_the_sections_are_the_section_modules_own_classes():
    for module, names in (("channels", ("Arrivals", "Hours", "Channel", "WalkIn", "Phone", "Email", "Channels")),
                          ("customers", ("Tier", "IssueType", "CustomerBase", "Customers")),
                          ("agents", ("AgentGroup", "Routing")),
                          ("section", ("DAY", "WEEKDAYS"))):
        section = importlib.import_module(f"sim.config.{module}")
        for name in names:
            assert getattr(schema, name) is getattr(section, name), (module, name)
