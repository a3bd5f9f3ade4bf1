"""The customer base over weeks: known customers with a loyalty state and a memory, who churn and are replaced.

Every customer is a seat in fixed-size numpy arrays, so memory does not grow with the
horizon. Arrivals are drawn for the full base and each one is a seat (drawn uniformly);
an arrival whose seat is empty (the customer churned) does not happen, so churn lowers
demand while every remaining customer is the same person in every scenario (common
random numbers). New customers fill empty seats, oldest vacancy first.
"""

from __future__ import annotations

import math
from array import array
from collections import deque

import numpy as np

from sim.behaviour import satisfaction as outcomes
from sim.config.schema import DAY, Scenario
from sim.model.demand import cumulative_shares, pick
from sim.records import TIER_LEVELS
from sim.rng import Streams

YEAR = 365.25 * DAY


class CustomerBase:
    """Who the customers are (tier per seat), their loyalty L, memory of the last bad episode, and churn.

    Per-seat state lives in typed arrays (``array.array``): the engine reads single seats as plain Python
    numbers, and the daily steps see the same memory as numpy arrays (``np.frombuffer``, no copy).
    """

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        spec, b = scenario.customers.base, scenario.behaviour
        tiers = list(scenario.customers.tiers.values())
        assert spec is not None, "a customer base is built only when one is configured"
        n = spec.size
        self.tier = pick(cumulative_shares([t.share for t in tiers]), streams["customers.tier"].random(n))
        self.value = array("d", np.array([t.value for t in tiers])[self.tier].tobytes())  # revenue per year
        self.active = bytearray(b"\x01") * n
        self.loyalty = array("d", bytes(8 * n))
        self.loyalty_at = array("d", bytes(8 * n))  # when L was last updated (it decays from there)
        self.episodes = array("q", bytes(8 * n))  # episodes ended so far (the n of alpha_n)
        self.bad_at = array("d", np.full(n, -np.inf).tobytes())  # end of the last bad episode
        self.generation = array("q", bytes(8 * n))  # customers the seat has had before this one
        self.size = n
        self.loyalty_model = b.loyalty if b.on("loyalty") else None
        self.memory = b.memory if b.on("memory") else None
        h0 = b.loyalty.background_churn if self.loyalty_model is not None else 0.0
        self.new_per_day = spec.new_per_day if spec.new_per_day is not None else n * h0 / 365.25
        self._churn_u = streams["customers.churn"]
        self._day_u, self._scratch = np.empty(n), np.empty(n)  # per seat, for the daily steps (kept: no fresh pages)
        self._new = streams["customers.new"]
        self._vacated: deque[int] = deque()
        self.count = n
        self.value_active = float(np.frombuffer(self.value).sum())
        self._since = 0.0
        self.customer_area = 0.0  # customer-seconds since the last ``take_areas``
        self.revenue = 0.0  # revenue earned since the last ``take_areas``
        # per tier, since the last ``take_tiers``: TIER_LEVELS of sim.records (customer-seconds, churned,
        # defected after a contact, yearly revenue lost, ... of which after a contact)
        self.n_tiers = len(tiers)
        self._tier_count = np.bincount(self.tier, minlength=self.n_tiers).astype(float)
        self._tiers = np.zeros((len(TIER_LEVELS), self.n_tiers))

    # --- per contact ---------------------------------------------------------------------------------------

    def loyalty_now(self, seat: int, now: float) -> float:
        """The customer's L at ``now``, decayed since it was last updated."""
        if self.loyalty_model is None:
            return 0.0
        return outcomes.loyalty_decay(self.loyalty_model, self.loyalty[seat], now - self.loyalty_at[seat])

    def patience_factor(self, seat: int, now: float) -> float:
        """How much of their patience a customer has left after their last bad episode (1 if none)."""
        bad = self.bad_at[seat]
        if self.memory is None or bad == -math.inf:
            return 1.0
        return outcomes.patience_memory(self.memory, now - bad)

    def rate(self, seat: int, z: float, now: float, loyalty: float | None = None) -> None:
        """Fold a contact's latent satisfaction ``z`` into the customer's loyalty (asymmetric, slowing with n);
        ``loyalty``: ``loyalty_now(seat, now)`` if the caller has it already."""
        if self.loyalty_model is None:
            return
        n = self.episodes[seat]
        if loyalty is None:
            loyalty = self.loyalty_now(seat, now)
        self.loyalty[seat] = outcomes.loyalty_update(self.loyalty_model, loyalty, z, n)
        self.loyalty_at[seat] = now
        self.episodes[seat] = n + 1

    def went_badly(self, seat: int, now: float) -> None:
        """Remember a bad episode (abandoned, balked, unresolved): less patience next time."""
        self.bad_at[seat] = now

    def churn(self, seat: int, now: float, defected: bool = False) -> float:
        """The customer leaves (``defected``: right after a contact): the seat empties. Returns their yearly
        revenue (the value lost)."""
        self._integrate(now)
        self.active[seat] = 0
        self.count -= 1
        value = self.value[seat]
        self.value_active -= value
        self._vacated.append(seat)
        tier = self.tier[seat]
        self._tier_count[tier] -= 1
        self._tiers[1:, tier] += (1.0, float(defected), value, value if defected else 0.0)
        return value

    # --- per day -------------------------------------------------------------------------------------------

    def new_day(self, now: float, days: float = 1.0) -> tuple[int, float, int]:
        """``days`` (a day, or the end of a run's last) have passed: background churn, then new customers.

        Returns (churned, their yearly revenue, joined).
        """
        churned, at_risk = 0, 0.0
        if self.loyalty_model is not None:
            u = self._churn_u.random(out=self._day_u)
            touched = self._touched()  # the rest have L = 0: one churn probability for all of them
            chance = self._scratch
            chance.fill(outcomes.churn_probability(self.loyalty_model, np.zeros(1), days)[0])
            chance[touched] = outcomes.churn_probability(self.loyalty_model, self._decayed(now, touched), days)
            leaving = np.flatnonzero((u < chance) & np.frombuffer(self.active, dtype=np.uint8).astype(bool))
            for seat in leaving.tolist():
                at_risk += self.churn(seat, now)
            churned = leaving.size
        joined = min(int(self._new.poisson(self.new_per_day * days)), len(self._vacated))
        self._integrate(now)
        for _ in range(joined):
            seat = self._vacated.popleft()
            self.active[seat] = 1
            self.loyalty[seat], self.loyalty_at[seat], self.episodes[seat] = 0.0, now, 0
            self.bad_at[seat] = -math.inf
            self.generation[seat] += 1  # contacts still in flight from the previous customer are not this one's
            self.value_active += self.value[seat]
            self._tier_count[self.tier[seat]] += 1
        self.count += joined
        return churned, at_risk, joined

    def loyalty_sum(self, now: float) -> float:
        """Sum of L over the active customers at ``now``."""
        if self.loyalty_model is None:
            return 0.0
        active = np.frombuffer(self.active, dtype=np.uint8).astype(bool)
        every = self._scratch  # every seat's L, summed in seat order (the same sum as over all seats)
        every.fill(0.0)
        touched = self._touched()
        every[touched] = self._decayed(now, touched)
        return float(every[active].sum())

    def _touched(self) -> np.ndarray:
        """The seats whose L is not 0 (their customer has ended an episode); every other seat's L stays 0."""
        return np.flatnonzero(np.frombuffer(self.loyalty))

    def _decayed(self, now: float, seats: np.ndarray) -> np.ndarray:
        """The L of ``seats`` at ``now``."""
        assert self.loyalty_model is not None, "only with loyalty on"
        elapsed = now - np.frombuffer(self.loyalty_at)[seats]
        return outcomes.loyalty_decay(self.loyalty_model, np.frombuffer(self.loyalty)[seats], elapsed)

    def take_areas(self, now: float) -> tuple[float, float]:
        """Customer-seconds and revenue since the last call (for one interval's tally)."""
        self._integrate(now)
        area, revenue = self.customer_area, self.revenue
        self.customer_area = self.revenue = 0.0
        return area, revenue

    def take_tiers(self, now: float) -> np.ndarray:
        """Per tier since the last call: rows TIER_LEVELS (customer-seconds, churned, defected, value lost,
        value lost after a contact), one column per tier."""
        self._integrate(now)
        taken, self._tiers = self._tiers, np.zeros_like(self._tiers)
        return taken

    def _integrate(self, now: float) -> None:
        dt = now - self._since
        self.customer_area += self.count * dt
        self._tiers[0] += self._tier_count * dt
        self.revenue += self.value_active * dt / YEAR
        self._since = now
