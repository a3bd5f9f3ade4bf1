"""Compact recording of a run: running tallies per (interval, tier) slot, time-weighted levels per interval,
and optional per-contact columns.

The engine only adds numbers to preallocated lists; nothing per contact is kept
unless per-contact records were asked for, and then only as typed arrays.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

# Contact tallies kept per (interval of arrival, tier) slot.
COUNT_FIELDS = (
    "offered",  # arrivals
    "delayed",  # arrivals who found no free agent and queued
    "answered",  # service started
    "answered_within",  # service started within the service-level threshold
    "abandoned",  # left the queue before service
    "short_abandoned",  # abandoned within the short-abandon threshold
    "in_queue_end",  # still waiting when the run ended
)
SUM_FIELDS = (
    "wait_answered_sum",  # seconds waited by answered contacts
    "wait_abandoned_sum",  # seconds waited by abandoners until they left
    "handle_sum",  # agent seconds (handle + after-contact work) of answered contacts
)
# Time integrals kept per interval: (level x seconds).
LEVEL_FIELDS = ("queue_area", "busy_area", "staffed_area")

OUTCOME_ANSWERED, OUTCOME_ABANDONED, OUTCOME_QUEUED_AT_END = 0, 1, 2
OUTCOMES = ("answered", "abandoned", "queued_at_end")


class Tally:
    """Running totals for one run: plain Python lists, indexed by slot = interval * n_tiers + tier."""

    def __init__(self, n_intervals: int, n_tiers: int) -> None:
        self.n_intervals = n_intervals
        self.n_tiers = n_tiers
        n_slots = n_intervals * n_tiers
        for name in COUNT_FIELDS:
            setattr(self, name, [0] * n_slots)
        for name in SUM_FIELDS:
            setattr(self, name, [0.0] * n_slots)
        for name in LEVEL_FIELDS:
            setattr(self, name, [0.0] * n_intervals)

    def slot_frame(self, interval_seconds: float, tier_names: list[str]) -> pd.DataFrame:
        """One row per (interval, tier) with every count and sum."""
        intervals = np.repeat(np.arange(self.n_intervals), self.n_tiers)
        frame = pd.DataFrame(
            {
                "interval": intervals,
                "start_seconds": intervals * interval_seconds,
                "tier": pd.Categorical.from_codes(np.tile(np.arange(self.n_tiers), self.n_intervals), tier_names),
            }
        )
        for name in COUNT_FIELDS:
            frame[name] = np.asarray(getattr(self, name), dtype=np.int64)
        for name in SUM_FIELDS:
            frame[name] = np.asarray(getattr(self, name), dtype=float)
        return frame

    def level_frame(self, interval_seconds: float, horizon: float, staffing: list[int]) -> pd.DataFrame:
        """One row per interval with its length, scheduled staffing and time integrals of the levels."""
        starts = np.arange(self.n_intervals) * interval_seconds
        frame = pd.DataFrame(
            {
                "interval": np.arange(self.n_intervals),
                "start_seconds": starts,
                "length_seconds": np.minimum(starts + interval_seconds, horizon) - starts,
                "agents_scheduled": np.asarray(staffing, dtype=np.int64),
            }
        )
        for name in LEVEL_FIELDS:
            frame[name] = np.asarray(getattr(self, name), dtype=float)
        return frame


class ContactLog:
    """Per-contact records in typed columns, filled only when a run asks for them."""

    def __init__(self) -> None:
        self.arrival = array("d")
        self.tier = array("b")
        self.wait = array("d")
        self.handle = array("d")
        self.outcome = array("b")

    def add(self, arrival: float, tier: int, wait: float, handle: float, outcome: int) -> None:
        self.arrival.append(arrival)
        self.tier.append(tier)
        self.wait.append(wait)
        self.handle.append(handle)
        self.outcome.append(outcome)

    def frame(self, tier_names: list[str]) -> pd.DataFrame:
        """The contacts in arrival order, with categorical tier and outcome."""
        frame = pd.DataFrame(
            {
                "arrival_seconds": np.frombuffer(self.arrival, dtype=float),
                "tier": pd.Categorical.from_codes(np.frombuffer(self.tier, dtype=np.int8), tier_names),
                "wait_seconds": np.frombuffer(self.wait, dtype=float),
                "handle_seconds": np.frombuffer(self.handle, dtype=float),
                "outcome": pd.Categorical.from_codes(np.frombuffer(self.outcome, dtype=np.int8), list(OUTCOMES)),
            }
        )
        return frame.sort_values("arrival_seconds", kind="stable", ignore_index=True)


class RunOutput:
    """What one replication produced: slot and level tables, optional contacts, and how it was made."""

    def __init__(
        self, slots: pd.DataFrame, levels: pd.DataFrame, contacts: pd.DataFrame | None, meta: dict
    ) -> None:
        self.slots = slots
        self.levels = levels
        self.contacts = contacts
        self.meta = meta
