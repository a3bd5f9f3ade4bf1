"""A contact in flight and the episode it belongs to: named fields in ``__slots__`` classes.

A contact exists from its arrival until it ends; then it becomes one row of the run's contact
records (``sim.model.ledger``) and nothing else of it is kept.
"""

from __future__ import annotations

from sim.behaviour.frustration import raised

WAITING, SERVING, GONE = 0, 1, 2  # Contact.state
FIRST, REPEAT, REDIAL, CHASER = 0, 1, 2, 3  # Contact.kind: what brought the customer
RESOLVED, UNRESOLVED, TRANSFER, CONTINUED = 0, 1, 2, 3  # Contact.result of a service; CONTINUED: back later
# Contact.flags, one bit each
DELAYED, WITHIN, SHORT, TRANSFERRED, FINISHED, SOLVED, SWITCHED = (1 << i for i in range(7))
OFFERED, CALLED_BACK, MISSED = 1 << 7, 1 << 8, 1 << 9  # a callback offered, accepted, not reached (callbacks)


class Contact:
    """One customer contact: who (channel, tier, issue, seat), when, the draws that decide its fate, and its state.

    The first twenty fields come from the demand block in this order (``demand.block_drawer``), so the
    centre builds a contact in one call.
    """

    __slots__ = ("channel", "tier", "issue", "level", "arrival", "interval", "handle", "acw", "patience",
                 "tolerance", "anger", "u_resolve", "u_transfer", "u_empathy", "u_next", "u_aux", "noise",
                 "u_survey", "u_defect", "seat", "queued_at", "state", "kind", "segment", "episode", "result",
                 "flags", "f_start", "cut", "shown", "wait", "busy", "after", "group", "agent")

    def __init__(self, channel: int, tier: int, issue: int, level: int, arrival: float, interval: int,
                 handle: float, acw: float, patience: float, tolerance: float, anger: float, u_resolve: float,
                 u_transfer: float, u_empathy: float, u_next: float, u_aux: float, noise: float, u_survey: float,
                 u_defect: float, seat: int, queued_at: float, kind: int = FIRST,
                 episode: Episode | None = None) -> None:
        self.channel, self.tier, self.issue, self.level = channel, tier, issue, level  # level 0: transferred
        self.arrival, self.interval = arrival, interval  # the interval of arrival keeps its KPIs
        self.handle, self.acw = handle, acw  # base handle time and after-contact work (seconds)
        self.patience, self.tolerance, self.anger = patience, tolerance, anger
        self.u_resolve, self.u_transfer, self.u_empathy = u_resolve, u_transfer, u_empathy
        self.u_next, self.u_aux = u_next, u_aux  # what happens next (repeat, redial, balk); transfer and chaser
        self.noise, self.u_survey, self.u_defect = noise, u_survey, u_defect  # eps of z; survey; defection
        self.seat = seat  # place in the customer base (-1 without one)
        self.queued_at = queued_at  # when its current wait began
        self.state, self.kind, self.segment = WAITING, kind, 0  # segment: 0 until the first transfer
        self.episode = episode
        self.result = RESOLVED
        self.flags = 0
        self.f_start = 0.0  # frustration when service started
        self.cut = 0.0  # share of the current service cut short by a handle-time target
        self.shown = 0  # the empathy its first agent showed (sim.behaviour.empathy: NONE, GENUINE, SURFACE)
        self.wait = 0.0  # until first answered
        self.busy = 0.0  # agent time over all its segments, after-contact work included
        self.after = 0.0  # ... of which after-contact work
        self.group = self.agent = -1  # who served it last


class Episode:
    """A customer's issue across contacts: frustration, its peak, transfers, contacts so far, apology."""

    __slots__ = ("frustration", "peak", "waited", "transfers", "contacts", "first_channel", "apology", "generation",
                 "number")

    def __init__(self, anger: float, first_channel: int, generation: int, number: int = -1) -> None:
        self.frustration = self.peak = anger
        self.waited = 0.0  # what waiting has added so far (capped per episode)
        self.transfers = 0
        self.contacts = 1
        self.first_channel = first_channel
        self.apology = 0.0  # the strongest apology so far: 1 genuine, less when surface acted (model 7.1)
        self.generation = generation  # which holder of the seat opened it (a seat may change hands)
        self.number = number  # episodes are numbered as they open

    def raise_by(self, amount: float) -> None:
        """Add ``amount`` to the frustration (at most 1) and keep the peak."""
        frustration = raised(self.frustration, amount)
        self.frustration = frustration
        if frustration > self.peak:
            self.peak = frustration
