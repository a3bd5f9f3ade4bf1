"""Compact recording of a run: running tallies per (interval, tier) slot, time-weighted levels per interval,
and optional per-contact columns.

The engine only adds numbers to preallocated lists; nothing per contact is kept
unless per-contact records were asked for, and then only as typed arrays.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

# Lower edges of the remembered-frustration bins counted in ``frustration_0`` .. ``frustration_5``.
FRUSTRATION_BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.6)
# Contact tallies kept per (interval of arrival, channel, tier, issue) slot.
COUNT_FIELDS = (
    "offered",  # arrivals (new contacts, repeats, redials and chasers alike)
    "delayed",  # arrivals who found no free agent and queued
    "answered",  # service started
    "answered_within",  # service started within the channel's threshold
    "abandoned",  # left the queue before service
    "short_abandoned",  # abandoned within the short-abandon threshold
    "balked",  # walk-ins who saw the queue and turned away
    "in_queue_end",  # still waiting when the run ended
    "finished",  # service (including any transfers) completed, counted where resolution is modelled
    "resolved",  # finished with the issue resolved
    "transfers",  # contacts transferred to another agent at least once
    "repeats",  # contacts that are a repeat of an unresolved issue (including chasers)
    "redials",  # contacts that are a redial after abandoning
    "chasers",  # phone contacts chasing an unanswered email
    "switches",  # contacts on another channel than the episode's first
    "frustrated_n",  # contacts that ended (finished, abandoned or balked) with a frustration state
    *(f"frustration_{i}" for i in range(len(FRUSTRATION_BINS))),  # ... by remembered F, bins FRUSTRATION_BINS
    "rated",  # served contacts given a satisfaction outcome (everyone's true CSAT)
    "csat_1", "csat_2", "csat_3", "csat_4",  # ... whose CSAT is 1, 2, 3, 4 (the distribution)
    "csat_top",  # ... whose CSAT is 5
    "promoters",  # ... in the promoter bucket (recommend 9-10)
    "detractors",  # ... in the detractor bucket (recommend 0-6)
    "surveyed",  # ... who answered the post-contact survey
    "episodes",  # episodes that ended here: served with no repeat to come, or given up (balked, abandoned for good)
)
SUM_FIELDS = (
    "wait_answered_sum",  # seconds waited by answered contacts
    "wait_abandoned_sum",  # seconds waited by abandoners until they left
    "handle_sum",  # agent seconds (handle + after-contact work) of answered contacts
    "frustration_sum",  # remembered (peak-end) frustration of ended contacts
    "frustration_peak_sum",  # peak frustration of ended contacts
    "csat_sum",  # CSAT answers (1-5) of rated contacts
    "surveyed_csat_sum",  # CSAT answers of those who answered the survey
    "defection_sum",  # defection probabilities at the end of episodes (expected defections)
    "effort_sum",  # effort of rated contacts: earlier contacts of the episode + transfers + channel switch
    "word_of_mouth_sum",  # expected net people told (positive minus negative) at the end of episodes
)
# Time integrals and snapshots kept per interval, one column per channel or group (see ``Tally``).
CHANNEL_LEVELS = ("queue_area", "backlog_end")
GROUP_LEVELS = ("busy_area", "staffed_area", "handled", "exhaustion_end", "on_floor_end",
                "employed_area",  # agent-seconds employed (positions not vacant, hires in training included)
                "quits", "hires")  # agents who left the job; vacant positions filled by a new hire
# Per interval, for the whole centre: the customer base and money.
CENTRE_LEVELS = (
    "snapshot",  # 1 where the two below were taken
    "customers_end",  # active customers at the end of the day (last interval of each day and of the run)
    "loyalty_sum_end",  # their summed loyalty state L, at the same moments
    "customer_area",  # customer-seconds of active customers (exposure for the churn rate)
    "churned",  # customers lost: defections after a contact plus background churn
    "defected",  # ... of which right after a contact
    "acquired",  # new customers who filled an empty seat
    "revenue",  # revenue earned by active customers
    "revenue_at_risk",  # revenue churned customers would have brought after the run (money.lost_value_years)
    "labour_cost",  # paid agent-hours x hourly cost
    "training_cost",  # training agent-hours off the floor x money.training_cost_per_hour
    "hiring_cost",  # new hires x cost per hire
)
LEVEL_FIELDS = ("queue_area", "busy_area", "staffed_area")

OUTCOME_ANSWERED, OUTCOME_ABANDONED, OUTCOME_QUEUED_AT_END, OUTCOME_BALKED = 0, 1, 2, 3
OUTCOMES = ("answered", "abandoned", "queued_at_end", "balked")


class Tally:
    """Running totals for one run: plain Python lists.

    Contact counts are indexed by slot (see ``sim.model.demand.Layout``); levels by
    ``interval * n + i`` for channel or group ``i`` of ``n``.
    """

    def __init__(self, n_intervals: int, n_slots_per_interval: int, channels: list[str], groups: list[str]) -> None:
        self.n_intervals = n_intervals
        self.per_interval = n_slots_per_interval
        self.channels, self.groups = channels, groups
        n_slots = n_intervals * n_slots_per_interval
        for name in COUNT_FIELDS:
            setattr(self, name, [0] * n_slots)
        for name in SUM_FIELDS:
            setattr(self, name, [0.0] * n_slots)
        self.csat_counts = [getattr(self, f"csat_{a}") for a in (1, 2, 3, 4)] + [self.csat_top]  # by answer 1-5
        self.frustration_bins = [getattr(self, f"frustration_{i}") for i in range(len(FRUSTRATION_BINS))]
        for name in CHANNEL_LEVELS:
            setattr(self, name, [0.0] * (n_intervals * len(channels)))
        for name in GROUP_LEVELS:
            setattr(self, name, [0.0] * (n_intervals * len(groups)))
        for name in CENTRE_LEVELS:
            setattr(self, name, [0.0] * n_intervals)

    def slot_frame(self, interval_seconds: float, channels: list[str], tiers: list[str], issues: list[str]) -> pd.DataFrame:
        """One row per (interval, channel, tier, issue) with every count and sum."""
        n_c, n_t, n_i = len(channels), len(tiers), len(issues)
        index = np.arange(self.n_intervals * self.per_interval)
        intervals = index // self.per_interval
        frame = pd.DataFrame({
            "interval": intervals,
            "start_seconds": intervals * interval_seconds,
            "channel": pd.Categorical.from_codes((index // (n_t * n_i)) % n_c, channels),
            "tier": pd.Categorical.from_codes((index // n_i) % n_t, tiers),
            "issue": pd.Categorical.from_codes(index % n_i, issues),
        })
        for name in COUNT_FIELDS:
            frame[name] = np.asarray(getattr(self, name), dtype=np.int64)
        for name in SUM_FIELDS:
            frame[name] = np.asarray(getattr(self, name), dtype=float)
        return frame

    def level_frame(self, interval_seconds: float, horizon: float, staffing: dict[str, list[int]]) -> pd.DataFrame:
        """One row per interval: length, scheduled agents, and levels in total and per channel / group.

        Per-channel columns are named ``queue_area.<channel>``; per-group ``busy_area.<group>`` etc.
        """
        starts = np.arange(self.n_intervals) * interval_seconds
        columns = {
            "interval": np.arange(self.n_intervals),
            "start_seconds": starts,
            "length_seconds": np.minimum(starts + interval_seconds, horizon) - starts,
            "agents_scheduled": np.sum([staffing[g] for g in self.groups], axis=0).astype(np.int64),
        }
        for names, fields in ((self.channels, CHANNEL_LEVELS), (self.groups, GROUP_LEVELS)):
            for field in fields:
                values = np.asarray(getattr(self, field), dtype=float).reshape(self.n_intervals, len(names))
                columns[field] = values.sum(axis=1)
                for i, name in enumerate(names):
                    columns[f"{field}.{name}"] = values[:, i]
        for name in CENTRE_LEVELS:
            columns[name] = np.asarray(getattr(self, name), dtype=float)
        for g in self.groups:
            columns[f"agents_scheduled.{g}"] = np.asarray(staffing[g], dtype=np.int64)
        return pd.DataFrame(columns)


class ContactLog:
    """Per-contact records in typed columns, filled only when a run asks for them."""

    def __init__(self) -> None:
        self.arrival = array("d")
        self.channel = array("b")
        self.tier = array("b")
        self.wait = array("d")
        self.handle = array("d")
        self.outcome = array("b")
        self.frustration = array("d")

    def add(self, arrival: float, channel: int, tier: int, wait: float, handle: float, outcome: int,
            frustration: float = 0.0) -> None:
        self.arrival.append(arrival)
        self.channel.append(channel)
        self.tier.append(tier)
        self.wait.append(wait)
        self.handle.append(handle)
        self.outcome.append(outcome)
        self.frustration.append(frustration)

    def frame(self, channels: list[str], tier_names: list[str]) -> pd.DataFrame:
        """The contacts in arrival order, with categorical channel, tier and outcome."""
        frame = pd.DataFrame(
            {
                "arrival_seconds": np.frombuffer(self.arrival, dtype=float),
                "channel": pd.Categorical.from_codes(np.frombuffer(self.channel, dtype=np.int8), channels),
                "tier": pd.Categorical.from_codes(np.frombuffer(self.tier, dtype=np.int8), tier_names),
                "wait_seconds": np.frombuffer(self.wait, dtype=float),
                "handle_seconds": np.frombuffer(self.handle, dtype=float),
                "outcome": pd.Categorical.from_codes(np.frombuffer(self.outcome, dtype=np.int8), list(OUTCOMES)),
                "frustration": np.frombuffer(self.frustration, dtype=float),
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
