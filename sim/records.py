"""Compact recording of a run: one row per ended contact (typed columns), their sums per interval and channel,
time-weighted levels per interval, and what one replication hands to the KPIs.

The engine appends a row when a contact ends and adds numbers to preallocated arrays; rows are summed
into fixed-size tables once a day and then dropped (unless the contact log was asked for), so memory
grows with the horizon only by the per-interval tables, a few hundred bytes per interval.
"""

from __future__ import annotations

import struct
from array import array

import numpy as np
import pandas as pd

# Lower edges of the remembered-frustration bins counted in ``frustration_0`` .. ``frustration_5``.
FRUSTRATION_BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.6)
# Contact counts, per (interval of arrival, channel) and per (channel, tier, issue).
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
    "callbacks_offered",  # callers offered a call back (expected wait above the threshold)
    "callbacks_accepted",  # ... who accepted it (kept their place without holding)
    "callbacks_missed",  # ... whose call back did not reach them (ended as abandoned)
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
CONTACT_FIELDS = COUNT_FIELDS + SUM_FIELDS
# Time integrals and snapshots kept per interval, one column per channel or group (see ``Levels``).
CHANNEL_LEVELS = ("queue_area", "backlog_end")
GROUP_LEVELS = ("busy_area", "staffed_area", "handled", "exhaustion_end", "on_floor_end",
                "employed_area",  # agent-seconds employed (positions not vacant, hires in training included)
                "paid_area",  # agent-seconds paid (the schedule, less vacant positions)
                "training_area",  # agent-seconds of training taken off the floor
                "quits", "hires")  # agents who left the job; vacant positions filled by a new hire
# Per interval and customer tier, columns ``<field>.<tier>`` only (the totals are the centre's levels below).
TIER_LEVELS = ("tier_customer_area", "tier_churned", "tier_defected", "tier_value_lost", "tier_value_defected")
# Per interval, for the whole centre: the customer base.
CENTRE_LEVELS = (
    "snapshot",  # 1 where the two below were taken
    "customers_end",  # active customers at the end of the day (last interval of each day and of the run)
    "loyalty_sum_end",  # their summed loyalty state L, at the same moments
    "customer_area",  # customer-seconds of active customers (exposure for the churn rate)
    "churned",  # customers lost: defections after a contact plus background churn
    "defected",  # ... of which right after a contact
    "acquired",  # new customers who filled an empty seat
    "revenue",  # revenue earned by active customers
    "value_lost",  # yearly revenue of the customers lost (what money.lost_value_years multiplies)
    "value_defected",  # ... of which customers who left right after a contact
)
LEVEL_FIELDS = ("queue_area", "busy_area", "staffed_area")

OUTCOME_ANSWERED, OUTCOME_ABANDONED, OUTCOME_QUEUED_AT_END, OUTCOME_BALKED = 0, 1, 2, 3
OUTCOMES = ("answered", "abandoned", "queued_at_end", "balked")
KINDS = ("first", "repeat", "redial", "chaser")
# Flags of a row beyond the contact's own (``sim.model.contact``): set when it ended.
FRUSTRATED, RATED, EPISODE_END = 1 << 10, 1 << 11, 1 << 12
# The columns of a contact row and their array type codes.
ROW_COLUMNS = (
    ("arrival", "d"), ("interval", "q"), ("channel", "b"), ("tier", "b"), ("issue", "b"), ("outcome", "b"),
    ("kind", "b"), ("flags", "q"), ("wait", "d"), ("busy", "d"), ("frustration", "d"), ("peak", "d"), ("z", "d"),
    ("loyalty", "d"), ("effort", "d"), ("u_survey", "d"), ("seat", "q"), ("group", "b"), ("agent", "q"),
    ("episode", "q"), ("noise", "d"), ("after", "d"),
)


_DTYPES = {"d": np.float64, "q": np.int64, "b": np.int8}


class ContactRows:
    """Rows of ended contacts (``ROW_COLUMNS``, in order) packed in one typed buffer, taken in batches.

    A row goes in packed as bytes (the hot path: ``array.extend`` of a tuple is several times slower);
    ``take`` unpacks the columns with numpy.
    """

    WIDTH = len(ROW_COLUMNS)
    PACK = struct.Struct(f"{WIDTH}d").pack

    def __init__(self) -> None:
        self.buffer = array("d")
        self.add_bytes = self.buffer.frombytes  # ``add_bytes(PACK(*row))``: one row, the fastest way in

    def __len__(self) -> int:
        return len(self.buffer) // self.WIDTH

    def take(self) -> dict[str, np.ndarray]:
        """The rows so far as numpy columns; the buffer starts empty again."""
        table = np.frombuffer(self.buffer, dtype=np.float64).reshape(-1, self.WIDTH)
        taken = {name: table[:, j].astype(_DTYPES[code]) for j, (name, code) in enumerate(ROW_COLUMNS)}
        self.buffer = array("d")
        self.add_bytes = self.buffer.frombytes
        return taken


class Levels:
    """Per-interval levels and counts that are not tied to one contact: queues, agents, the customer base.

    Indexed ``interval * n + i`` for channel or group ``i`` of ``n``; centre-wide ones by interval.
    """

    # The arrays named in CHANNEL_LEVELS, GROUP_LEVELS and CENTRE_LEVELS, made in ``__init__`` (declared for
    # type checkers; tests/unit/test_records.py checks the two lists agree).
    queue_area: array[float]
    backlog_end: array[float]
    busy_area: array[float]
    staffed_area: array[float]
    handled: array[float]
    exhaustion_end: array[float]
    on_floor_end: array[float]
    employed_area: array[float]
    paid_area: array[float]
    training_area: array[float]
    quits: array[float]
    hires: array[float]
    snapshot: array[float]
    customers_end: array[float]
    loyalty_sum_end: array[float]
    customer_area: array[float]
    churned: array[float]
    defected: array[float]
    acquired: array[float]
    revenue: array[float]
    value_lost: array[float]
    value_defected: array[float]

    def __init__(self, n_intervals: int, channels: list[str], groups: list[str],
                 tiers: list[str] | None = None) -> None:
        self.n_intervals = n_intervals
        self.channels, self.groups, self.tiers = channels, groups, tiers or []
        # per tier (a customer base only): one (interval x tier) block per TIER_LEVELS field
        self.tier_levels = np.zeros((len(TIER_LEVELS), n_intervals, len(self.tiers)))
        for name in CHANNEL_LEVELS:
            setattr(self, name, array("d", bytes(8 * n_intervals * len(channels))))
        for name in GROUP_LEVELS:
            setattr(self, name, array("d", bytes(8 * n_intervals * len(groups))))
        for name in CENTRE_LEVELS:
            setattr(self, name, array("d", bytes(8 * n_intervals)))

    def frame(self, interval_seconds: float, horizon: float, staffing: dict[str, list[int]]) -> pd.DataFrame:
        """One row per interval: length, scheduled agents, and levels in total and per channel / group.

        Per-channel columns are named ``queue_area.<channel>``; per-group ``busy_area.<group>`` etc. The columns
        are views of the arrays (per channel / group a strided one), not copies: only the totals are new.
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
                values = np.frombuffer(getattr(self, field)).reshape(self.n_intervals, len(names))
                columns[field] = values.sum(axis=1)
                for i, name in enumerate(names):
                    columns[f"{field}.{name}"] = values[:, i]
        for name in CENTRE_LEVELS:
            columns[name] = np.frombuffer(getattr(self, name))
        for g in self.groups:
            columns[f"agents_scheduled.{g}"] = np.asarray(staffing[g], dtype=np.int64)
        for field, block in zip(TIER_LEVELS, self.tier_levels):
            for i, tier in enumerate(self.tiers):
                columns[f"{field}.{tier}"] = block[:, i]
        return pd.DataFrame(columns, copy=False)


class RunOutput:
    """What one replication produced, for the KPIs.

    ``sums``: contact counts and sums per (interval of arrival, channel); ``breakdown``: the same per
    (channel, tier, issue) over the contacts that arrived after the warm-up; ``levels``: per interval;
    ``contacts``: one row per contact, only when the contact log was asked for; ``meta``: how it was made;
    ``trace``: one row per event, only when the trace was asked for.
    """

    def __init__(self, sums: pd.DataFrame, breakdown: pd.DataFrame, levels: pd.DataFrame,
                 contacts: pd.DataFrame | None, meta: dict, trace: pd.DataFrame | None = None) -> None:
        self.sums, self.breakdown, self.levels, self.contacts, self.meta = sums, breakdown, levels, contacts, meta
        self.trace = trace
