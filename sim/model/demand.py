"""Who arrives: each channel's arrivals and every customer's intrinsic attributes, drawn in blocks.

Every attribute has its own named stream per channel, so customer i of a channel is
the same person (patience, tolerance, issue, base handle time, the uniforms that
decide their fate) in every scenario of a sweep: common random numbers. Follow-up
contacts (repeats, redials, chasers) draw from separate ``followup`` streams.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.behaviour import frustration as fr
from sim.behaviour import waiting
from sim.behaviour.closing import last_open_hour
from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.model.arrivals import arrivals_in, day_volume, expected_counts, interval_grid
from sim.rng import Streams

N_UNIFORMS = 5


class Draw(NamedTuple):
    """One contact's drawn attributes (``ContactDraws.draw`` returns these as columns)."""

    channel: int
    tier: int
    issue: int
    level: int  # queue level of its tier (0 = served first; transferred contacts go ahead of all)
    patience: float
    tolerance: float
    handle: float
    acw: float
    anger: float
    u_resolve: float
    u_transfer: float
    u_empathy: float
    u_next: float
    u_aux: float
    noise: float
    u_survey: float
    u_defect: float


class Demand:
    """Arrivals handed to the centre one block (a day) at a time, so memory does not grow with the horizon."""

    def __init__(self, draw_block, n_intervals: int, block: int) -> None:
        self._draw_block = draw_block
        self._n_intervals = n_intervals
        self._block = block
        self._next_first = 0

    def next_block(self) -> tuple[list, ...] | None:
        """The next non-empty block ``(times, rows)`` (see ``block_drawer``), or None at the end."""
        while self._next_first < self._n_intervals:
            first = self._next_first
            self._next_first = min(first + self._block, self._n_intervals)
            block = self._draw_block(first, self._next_first)
            if block[0]:
                return block
        return None


class Layout:
    """The names behind the codes a contact carries: channels, tiers and issue types, in scenario order."""

    def __init__(self, scenario: Scenario) -> None:
        self.channels = scenario.channels.names
        self.tiers = list(scenario.customers.tiers)
        self.issues = list(scenario.customers.issues)


def cumulative_shares(shares: list[float]) -> np.ndarray:
    """Cumulative shares normalised to end at 1, for ``pick``."""
    return np.cumsum(shares) / sum(shares)


def pick(cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The category each uniform in ``u`` falls in."""
    return np.minimum(np.searchsorted(cumulative, u, side="right"), len(cumulative) - 1)


class ContactDraws:
    """Draws the attributes of ``n`` contacts of one channel from that channel's streams."""

    def __init__(self, scenario: Scenario, layout: Layout, channel: str, streams: Streams, prefix: str) -> None:
        spec = getattr(scenario.channels, channel)
        tiers = list(scenario.customers.tiers.values())
        issues = list(scenario.customers.issues.values())
        priorities = sorted({t.priority for t in tiers}, reverse=True)
        self.spec, self.streams, self.prefix = spec, streams, f"{prefix}{channel}"
        self.index = layout.channels.index(channel)
        self.layout = layout
        self.tier_cum = cumulative_shares([t.share for t in tiers])
        self.issue_cum = cumulative_shares([i.share for i in issues])
        self.levels = np.array([priorities.index(t.priority) for t in tiers])
        announced = waiting.position_patience_factor(getattr(spec, "queue_position_info", False))
        self.patience_factor = np.array([t.patience_factor for t in tiers]) * announced
        self.tolerance_factor = np.array([t.tolerance_factor for t in tiers])
        self.handle_factor = np.array([i.handle_factor for i in issues])
        self.frustration = scenario.behaviour.frustration if scenario.behaviour.on("frustration") else None
        policy = getattr(spec, "policy", None)
        self.promise = waiting.promised_tolerance(policy, spec.response_target) if policy is not None else None

    def _stream(self, name: str) -> np.random.Generator:
        return self.streams[f"{self.prefix}.{name}"]

    def draw(self, n: int, plain: bool = False, tier: np.ndarray | None = None) -> list[np.ndarray]:
        """Per-contact columns, the fields of ``Draw`` in order, for ``n`` contacts.

        ``plain``: only what the plain queue reads (tier, level, patience, handle, after-contact work);
        the other columns are zeros. Each column has its own stream, so the ones drawn are unchanged.
        ``tier``: the customers' tiers when they are known (a customer base), else drawn.
        """
        spec = self.spec
        drawn = pick(self.tier_cum, self._stream("tier").random(n))
        tier = drawn if tier is None else tier
        issue = pick(self.issue_cum, self._stream("issue").random(n))
        if spec.patience is None or not getattr(spec.patience, "finite", False):
            patience = np.full(n, np.inf)
        else:
            patience = spec.patience.sample(self._stream("patience"), n) * self.patience_factor[tier]
        handle = spec.handle_time.sample(self._stream("handle_time"), n) * self.handle_factor[issue]
        acw = spec.after_contact_work.sample(self._stream("after_contact_work"), n) \
            if spec.after_contact_work is not None else np.zeros(n)
        if plain:
            zeros = np.zeros(n)
            return [np.full(n, self.index), tier, issue, self.levels[tier], patience, zeros, handle, acw, zeros,
                    *[zeros] * (N_UNIFORMS + 3)]
        tolerance = spec.tolerance.sample(self._stream("tolerance"), n) * self.tolerance_factor[tier]
        if self.promise is not None:  # an acknowledgement promised a reply within the target: that is the expectation
            tolerance = self.promise * self.tolerance_factor[tier]
        if spec.tolerance_zero_share:
            tolerance[self._stream("tolerance_zero").random(n) < spec.tolerance_zero_share] = 0.0
        if self.frustration is None:
            angry = np.zeros(n)
        else:
            angry = fr.initial_anger(self.frustration, self._stream("angry").random(n))
        uniforms = self._stream("uniforms").random((N_UNIFORMS, n))
        epsilon = self._stream("satisfaction").standard_normal(n)
        survey = self._stream("survey").random(n)
        defect = self._stream("defect").random(n)
        return [np.full(n, self.index), tier, issue, self.levels[tier], patience, tolerance, handle, acw, angry,
                *uniforms, epsilon, survey, defect]


def _open_mask(scenario: Scenario, channel: str) -> np.ndarray:
    """1 for intervals in the channel's opening hours (all of them when it has none)."""
    hours = getattr(scenario.channels, channel).hours
    starts, _ = interval_grid(scenario.interval, scenario.horizon)
    if hours is None:
        return np.ones(len(starts))
    return np.array([hours.is_open(s) for s in starts], dtype=float)


def open_by_interval(scenario: Scenario) -> dict[str, list[bool]]:
    """Per channel, whether it is open in each interval."""
    return {c: (_open_mask(scenario, c) > 0).tolist() for c in scenario.channels.names}


def block_drawer(scenario: Scenario, streams: Streams, layout: Layout, plain: bool = False, seat_tiers=None):
    """A function drawing all channels' arrivals in intervals [first, stop), merged in time order.

    It returns the arrival times and one tuple per arrival holding the first fields of
    ``sim.model.contact.Contact`` in order, so the centre builds a contact in one call.
    ``plain``: the columns ``PlainCentre`` reads instead (times, (interval, tier) slots, levels, patience, busy time).
    ``seat_tiers``: with a customer base, every arrival is one of its seats (uniformly, from the channel's
    ``customer`` stream) and has that customer's tier; the seat is -1 without one.
    """
    starts, lengths = interval_grid(scenario.interval, scenario.horizon)
    per_channel = []
    for channel in layout.channels:
        spec, traits = getattr(scenario.channels, channel), TRAITS[channel]
        arrivals = spec.arrivals
        hours = None if traits.backlog else spec.hours  # written contacts arrive round the clock
        expected = expected_counts(arrivals, scenario.interval, scenario.horizon, hours)
        if arrivals.day_dispersion > 0:  # the stream is never touched without day-level randomness
            expected = day_volume(expected, scenario.intervals_per_day, arrivals.day_dispersion,
                                  streams[f"{channel}.day_volume"])
        if not traits.backlog and getattr(spec, "closing", None) is None:  # a counter or line takes arrivals
            expected = expected * _open_mask(scenario, channel)  # only while open (with a closing rule: displaced)
        per_channel.append((channel, expected, ContactDraws(scenario, layout, channel, streams, "")))

    earlier = {c: getattr(scenario.channels, c).hours for c in layout.channels
               if getattr(getattr(scenario.channels, c), "closing", None) is not None
               and getattr(scenario.channels, c).closing.displace_to == "last_open_hour"}

    def draw(first: int, stop: int) -> tuple[list, ...]:
        parts = []
        for channel, expected, draws in per_channel:
            times, interval = arrivals_in(
                expected[first:stop], starts[first:stop], lengths[first:stop], first, streams[f"{channel}.arrivals"]
            )
            if earlier.get(channel) is not None:
                times, interval = _to_last_open_hour(times, interval, earlier[channel], scenario.interval)
            if seat_tiers is None:
                seat = np.full(times.size, -1)
                columns = draws.draw(times.size, plain)
            else:
                seat = (streams[f"{channel}.customer"].random(times.size) * len(seat_tiers)).astype(np.int64)
                columns = draws.draw(times.size, plain, seat_tiers[seat])
            parts.append([times, interval, *columns, seat])
        merged = [np.concatenate(c) for c in zip(*parts)] if len(parts) > 1 else parts[0]
        if len(parts) > 1 or earlier:
            order = np.argsort(merged[0], kind="stable")
            merged = [c[order] for c in merged]
        times, interval, chan, tier, issue, level, patience, tolerance, handle, acw, anger, *uniforms, seat = merged
        if plain:  # the slot is (interval, tier)
            slot = interval * len(layout.tiers) + tier
            return tuple(c.tolist() for c in (times, slot, level, patience, handle + acw))
        columns = [chan, tier, issue, level + 1, times, interval, handle, acw, patience, tolerance, anger,
                   *uniforms, seat, times]
        return times.tolist(), list(zip(*(c.tolist() for c in columns)))

    return draw


def _to_last_open_hour(times: np.ndarray, interval: np.ndarray, hours, length: float):
    """Arrivals after closing on an open day move to the same offset in its last open hour (customers who know
    the hours come earlier; ``sim.behaviour.closing.last_open_hour``), in time order again. Each arrival keeps
    its draws (the caller draws them in this order, then sorts), so the same customers come in every scenario."""
    moved = [last_open_hour(hours, t) for t in times.tolist()]
    if all(m is None for m in moved):
        return times, interval
    times = np.array([t if m is None else m for t, m in zip(times.tolist(), moved)])
    interval = np.where([m is None for m in moved], interval, (times // length).astype(np.int64))
    return times, interval


class FollowUps:
    """Attributes for contacts created during the run (repeats, redials, chasers), drawn 256 at a time."""

    BLOCK = 256

    def __init__(self, scenario: Scenario, layout: Layout, streams: Streams) -> None:
        self._draws = {c: ContactDraws(scenario, layout, c, streams, "followup.") for c in layout.channels}
        any_draws = next(iter(self._draws.values()))
        self.handle_factors = any_draws.handle_factor.tolist()  # per issue
        self.tolerance_factors = any_draws.tolerance_factor.tolist()  # per tier
        self.levels = any_draws.levels.tolist()  # queue level per tier (0 = served first)
        self._buffers: dict[str, list] = {c: [] for c in layout.channels}
        self._delay_streams = streams
        self.streams = streams  # for the few run-time draws of other parts (closing: who gives up)

    def next(self, channel: str) -> Draw:
        """One contact's drawn attributes for ``channel``."""
        buffer = self._buffers[channel]
        if not buffer:
            columns = [c.tolist() for c in self._draws[channel].draw(self.BLOCK)]
            buffer.extend(map(Draw._make, zip(*columns)))
            buffer.reverse()
        return buffer.pop()

    def delays(self, name: str, dist, n: int = 256) -> list[float]:
        """A block of follow-up delays from their own stream."""
        return dist.sample(self._delay_streams[f"followup.{name}"], n).tolist()


__all__ = ["ContactDraws", "Demand", "Draw", "FollowUps", "Layout", "block_drawer", "cumulative_shares",
           "open_by_interval", "pick"]
