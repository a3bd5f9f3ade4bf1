"""Builders shared by the tests (importable because pytest puts tests/ on the path: see pyproject.toml)."""

from __future__ import annotations


def phone_scenario(**top) -> dict:
    """A small stationary phone scenario as a dict: M/M/9+M, 2 calls/min, 4 min handling, 3 min patience, behaviour off.

    Keyword arguments replace top-level keys (``horizon="2d"``, ``customers={...}``).
    """
    data = {
        "name": "M/M/9+M test scenario",
        "horizon": "8h",
        "interval": "1h",
        "channels": {"phone": {
            "arrivals": {"rate": "2/min"},
            "handle_time": {"dist": "exponential", "mean": "4min"},
            "patience": {"dist": "exponential", "mean": "3min"},
        }},
        "agents": {"team": {"staffing": 9}},
        "behaviour": "off",  # the plain M/M/n+M queue, so Erlang A is the exact answer
    }
    data.update(top)
    return data


def day_tables(config, seed: int, overrides: tuple[str, ...] = ()) -> dict:
    """Every table of two one-day replications of ``config`` (no warm-up), wall time left out: what the
    off-means-off tests compare exactly."""
    import sim

    res = sim.run(sim.load_config(config, ("horizon=1d", "warmup=0s") + overrides), 2, seed)
    return {name: getattr(res, name).drop(columns=["wall_seconds"], errors="ignore")
            for name in ("runs", "intervals", "days", "tiers", "channels", "issues", "groups")}


def assert_same_tables(a: dict, b: dict) -> None:
    """The same tables, value for value."""
    import pandas as pd

    for name, frame in a.items():
        pd.testing.assert_frame_equal(frame, b[name], check_exact=True, obj=name)
