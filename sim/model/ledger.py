"""The run's books: a row for every contact that ends, summed once a day into fixed-size tables.

The event loop only records what it must decide on the spot (the latent satisfaction z, when the
customer base needs it; flags; times). Everything that only counts (the CSAT answer and its
distribution, the NPS bucket, the survey response, word of mouth, expected defections, frustration
bins) is computed here for a day's contacts at once, with numpy, from the same equations
(``sim.behaviour``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.behaviour import satisfaction as outcomes
from sim.config.schema import Scenario
from sim.model.contact import (
    CALLED_BACK,
    CHASER,
    DELAYED,
    FINISHED,
    MISSED,
    OFFERED,
    REDIAL,
    REPEAT,
    SHORT,
    SOLVED,
    SWITCHED,
    TRANSFERRED,
    WITHIN,
    Contact,
)
from sim.records import (
    CONTACT_FIELDS,
    COUNT_FIELDS,
    EPISODE_END,
    FRUSTRATED,
    FRUSTRATION_BINS,
    KINDS,
    OUTCOME_ABANDONED,
    OUTCOME_ANSWERED,
    OUTCOME_BALKED,
    OUTCOME_QUEUED_AT_END,
    OUTCOMES,
    RATED,
    SUM_FIELDS,
    ContactRows,
)

FIELD = {name: i for i, name in enumerate(CONTACT_FIELDS)}
PACK = ContactRows.PACK


class Ledger:
    """Contact rows, and their sums per (interval, channel) and per (channel, tier, issue) after the warm-up."""

    def __init__(self, scenario: Scenario, channels: list[str], tiers: list[str], issues: list[str],
                 keep_contacts: bool) -> None:
        self.rows = ContactRows()
        self.channels, self.tiers, self.issues = channels, tiers, issues
        self.n_intervals = scenario.n_intervals
        self.warm = round(scenario.warmup / scenario.interval)  # first interval after the warm-up
        # one column per (interval, channel) / (channel, tier, issue)
        self.sums = Table(self.n_intervals * len(channels))
        self.breakdown = Table(len(channels) * len(tiers) * len(issues))
        self.kept: list[dict[str, np.ndarray]] | None = [] if keep_contacts else None
        self.acw_apart = True  # after-contact work recorded apart from talk (not by the plain queue)
        self.scoring = Scoring(scenario)

    def record(self, c: Contact, outcome: int, wait: float, flags: int, frustration: float = 0.0,
               peak: float = 0.0, z: float = math.nan, loyalty: float = 0.0, effort: float = 0.0) -> None:
        """The row of contact ``c``, which ended with ``outcome`` after waiting ``wait`` (the hot path)."""
        episode = c.episode.number if c.episode is not None else -1
        self.rows.add_bytes(PACK(c.arrival, c.interval, c.channel, c.tier, c.issue, outcome, c.kind, c.flags | flags,
                                 wait, c.busy, frustration, peak, z, loyalty, effort, c.u_survey, c.seat, c.group,
                                 c.agent, episode, c.noise, c.after))

    def record_plain(self, arrival: float, interval: int, tier: int, outcome: int, flags: int, wait: float,
                     busy: float) -> None:
        """The row of a contact of the plain queue (one channel, one issue, no journey; agents not named)."""
        self.rows.add_bytes(PACK(arrival, interval, 0, tier, 0, outcome, 0, flags, wait, busy, 0.0, 0.0, math.nan,
                                 0.0, 0.0, 0.0, -1, 0 if outcome == OUTCOME_ANSWERED else -1, -1, -1, 0.0,
                                 math.nan))  # the plain queue draws handle and after-contact work as one time

    def absorb(self, counts: dict[str, list], n_tiers: int) -> None:
        """Add counts kept per (interval, tier) slot by the plain queue (one channel, one issue) to the tables."""
        for name, values in counts.items():
            table = np.asarray(values, dtype=float).reshape(self.n_intervals, n_tiers)
            self.sums.field(name)[:] += _typed(name, table.sum(axis=1))
            self.breakdown.field(name)[:n_tiers] += _typed(name, table[self.warm:].sum(axis=0))

    def fold(self) -> None:
        """Sum the rows recorded since the last fold into the tables (and keep them if the log was asked for)."""
        if not len(self.rows):
            return
        rows = self.rows.take()
        values = self.scoring.fields(rows)
        n_c, n_t, n_i = len(self.channels), len(self.tiers), len(self.issues)
        by_interval = rows["interval"] * n_c + rows["channel"]
        self.sums.add(by_interval, values)
        after = rows["interval"] >= self.warm
        kind = ((rows["channel"] * n_t + rows["tier"]) * n_i + rows["issue"])[after]
        self.breakdown.add(kind, values[:, after])
        if self.kept is not None:
            self.kept.append(rows)

    def log_only(self) -> None:
        """The rows recorded since the last fold go to the contact log only (their counts came by ``absorb``)."""
        assert self.kept is not None, "log_only is for runs that keep the contact log"
        if len(self.rows):
            self.kept.append(self.rows.take())

    def sums_frame(self, interval_seconds: float) -> pd.DataFrame:
        """One row per (interval, channel): every count and sum (the columns share the ledger's arrays)."""
        n_c = len(self.channels)
        index = np.arange(self.sums.size)
        return self.sums.frame({
            "interval": index // n_c,
            "start_seconds": (index // n_c) * interval_seconds,
            "channel": pd.Categorical.from_codes(index % n_c, self.channels),
        })

    def breakdown_frame(self) -> pd.DataFrame:
        """One row per (channel, tier, issue): the counts and sums of contacts that arrived after the warm-up."""
        n_t, n_i = len(self.tiers), len(self.issues)
        index = np.arange(self.breakdown.size)
        return self.breakdown.frame({
            "channel": pd.Categorical.from_codes(index // (n_t * n_i), self.channels),
            "tier": pd.Categorical.from_codes((index // n_i) % n_t, self.tiers),
            "issue": pd.Categorical.from_codes(index % n_i, self.issues),
        })

    def contacts_frame(self, groups: list[str]) -> pd.DataFrame | None:
        """The contact log: one row per contact in arrival order (None unless it was asked for)."""
        if self.kept is None:
            return None
        parts = self.kept or [ContactRows().take()]
        rows = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
        flags = rows["flags"]
        frame = pd.DataFrame({
            "arrival_seconds": rows["arrival"],
            "channel": pd.Categorical.from_codes(rows["channel"], self.channels),
            "tier": pd.Categorical.from_codes(rows["tier"], self.tiers),
            "issue": pd.Categorical.from_codes(rows["issue"], self.issues),
            "kind": pd.Categorical.from_codes(rows["kind"], list(KINDS)),
            "wait_seconds": rows["wait"],
            "handle_seconds": rows["busy"],  # the agent's whole time on it, after-contact work included
            "acw_seconds": rows["after"],  # ... of which after-contact work (unknown on the plain queue)
            "outcome": pd.Categorical.from_codes(rows["outcome"], list(OUTCOMES)),
            "transferred": (flags & TRANSFERRED) != 0,
            "resolved": pd.array(np.where((flags & FINISHED) != 0, (flags & SOLVED) != 0, pd.NA), dtype="boolean"),
            "frustration": rows["frustration"],
            # the customer: their seat in the base, or without one the episode (each a different person)
            "customer": pd.array(np.where(rows["seat"] >= 0, rows["seat"], rows["episode"]), dtype="Int64"),
            "group": pd.Categorical.from_codes(rows["group"], groups),
            "agent": pd.array(rows["agent"], dtype="Int64"),
        })
        frame.loc[frame["customer"] < 0, "customer"] = pd.NA  # nobody known (behaviour off, no base)
        frame.loc[frame["agent"] < 0, "agent"] = pd.NA  # never served
        if not self.acw_apart:
            frame = frame.drop(columns="acw_seconds")
        return frame.sort_values("arrival_seconds", kind="stable", ignore_index=True)


class Table:
    """The counts (int64, ``COUNT_FIELDS``) and sums (float64, ``SUM_FIELDS``) of ``size`` cells, field-major.

    Each field is one contiguous row, so the output frame wraps the rows as its columns without a copy: a
    year of 30-minute intervals is then held once, not two or three times while the frame is built.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.counts = np.zeros((len(COUNT_FIELDS), size), dtype=np.int64)
        self.sums = np.zeros((len(SUM_FIELDS), size))

    def field(self, name: str) -> np.ndarray:
        """The row of field ``name`` (a view: adding to it adds to the table)."""
        at = FIELD[name]
        return self.counts[at] if at < len(COUNT_FIELDS) else self.sums[at - len(COUNT_FIELDS)]

    def add(self, index: np.ndarray, values: np.ndarray) -> None:
        """Add each column of ``values`` (``CONTACT_FIELDS`` x rows) at cell ``index`` (one cell's rows in order)."""
        if not len(index):
            return
        order = np.argsort(index, kind="stable")
        index = index[order]
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        cells = index[starts]
        n = len(COUNT_FIELDS)
        # each count is a sum of 0/1 (exact in float64), so rounding a day's part loses nothing
        self.counts[:, cells] += np.rint(np.add.reduceat(values[:n, order], starts, axis=1)).astype(np.int64)
        self.sums[:, cells] += np.add.reduceat(values[n:, order], starts, axis=1)

    def frame(self, keys: dict[str, object]) -> pd.DataFrame:
        """``keys`` then one column per field of ``CONTACT_FIELDS``, each a view of this table's row."""
        columns = dict(keys)
        columns.update(zip(COUNT_FIELDS, self.counts))
        columns.update(zip(SUM_FIELDS, self.sums))
        return pd.DataFrame(columns, copy=False)


def _typed(name: str, values: np.ndarray) -> np.ndarray:
    """``values`` of field ``name`` in its table's type (counts are whole numbers: exact in float64)."""
    return np.rint(values).astype(np.int64) if FIELD[name] < len(COUNT_FIELDS) else values


class Scoring:
    """What the rows count: the answers read from z and every count and sum of ``CONTACT_FIELDS``, vectorised."""

    def __init__(self, scenario: Scenario) -> None:
        b = scenario.behaviour
        self.sat = b.satisfaction if b.on("satisfaction") else None
        self.defection = b.defection if b.on("defection") else None
        self.surveys = b.surveys if b.on("surveys") else None
        self.wom = b.word_of_mouth if b.on("word_of_mouth") else None

    def fields(self, rows: dict[str, np.ndarray]) -> np.ndarray:
        """One value per field of ``CONTACT_FIELDS`` and row (a 2-D array, fields x rows)."""
        out = np.zeros((len(CONTACT_FIELDS), len(rows["outcome"])))
        outcome, flags, kind = rows["outcome"], rows["flags"], rows["kind"]

        def put(name: str, values) -> None:
            out[FIELD[name]] = values

        def flag(bit: int) -> np.ndarray:
            return (flags & bit) != 0

        answered, abandoned = outcome == OUTCOME_ANSWERED, outcome == OUTCOME_ABANDONED
        put("offered", 1.0)
        put("delayed", flag(DELAYED))
        put("answered", answered)
        put("answered_within", answered & flag(WITHIN))
        put("abandoned", abandoned)
        put("short_abandoned", abandoned & flag(SHORT))
        put("balked", outcome == OUTCOME_BALKED)
        put("in_queue_end", outcome == OUTCOME_QUEUED_AT_END)
        put("finished", flag(FINISHED))
        put("resolved", flag(FINISHED) & flag(SOLVED))
        put("transfers", flag(TRANSFERRED))
        put("repeats", (kind == REPEAT) | (kind == CHASER))
        put("redials", kind == REDIAL)
        put("chasers", kind == CHASER)
        put("switches", flag(SWITCHED))
        put("callbacks_offered", flag(OFFERED))
        put("callbacks_accepted", flag(CALLED_BACK))
        put("callbacks_missed", flag(MISSED))
        put("wait_answered_sum", np.where(answered, rows["wait"], 0.0))
        put("wait_abandoned_sum", np.where(abandoned, rows["wait"], 0.0))
        put("handle_sum", np.where(answered, rows["busy"], 0.0))
        self._frustration(rows, flag(FRUSTRATED), put)
        self._satisfaction(rows, flag(RATED), flag(EPISODE_END), flag(SOLVED), put)
        return out

    @staticmethod
    def _frustration(rows, frustrated: np.ndarray, put) -> None:
        remembered = np.where(frustrated, rows["frustration"], 0.0)
        put("frustrated_n", frustrated)
        put("frustration_sum", remembered)
        put("frustration_peak_sum", np.where(frustrated, rows["peak"], 0.0))
        bins = np.searchsorted(FRUSTRATION_BINS, remembered, side="right") - 1
        for i in range(len(FRUSTRATION_BINS)):
            put(f"frustration_{i}", frustrated & (bins == i))

    def _satisfaction(self, rows, rated: np.ndarray, ended: np.ndarray, solved: np.ndarray, put) -> None:
        if self.sat is None:
            return
        z = np.nan_to_num(rows["z"])
        answer = outcomes.csat(self.sat, z)
        put("rated", rated)
        for a in range(1, 5):
            put(f"csat_{a}", rated & (answer == a))
        put("csat_top", rated & (answer == 5))
        put("csat_sum", np.where(rated, answer, 0))
        bucket = outcomes.recommend_bucket(self.sat, z, rows["loyalty"])
        put("promoters", rated & (bucket == outcomes.PROMOTER))
        put("detractors", rated & (bucket == outcomes.DETRACTOR))
        put("effort_sum", np.where(rated, rows["effort"], 0.0))
        if self.surveys is not None:
            chance = self.surveys.offer_probability * outcomes.survey_response_probability(self.surveys, answer)
            surveyed = rated & (rows["u_survey"] < chance)
            put("surveyed", surveyed)
            put("surveyed_csat_sum", np.where(surveyed, answer, 0))
        put("episodes", ended)
        if self.defection is not None:
            put("defection_sum", np.where(ended, outcomes.defection_probability(self.defection, z, rows["noise"]),
                                                 0.0))
        if self.wom is not None:
            told = outcomes.word_of_mouth_net(self.wom, solved, answer)
            put("word_of_mouth_sum", np.where(ended, told, 0.0))
