"""An optional event trace for debugging: one line per event (time, event, contact, channel, agent).

Off by default (``output.trace: true`` switches it on); the engine then calls ``event`` at each arrival,
queueing, answer, transfer, end, abandonment, balk and follow-up (and, with callbacks, ``callback`` when the
agent dials and ``callback_missed`` when the dial does not reach the customer; with closing rules, ``closed``
when a customer meets a closed channel, ``balk`` if they give up, ``back_at_opening`` when they return, and
``abandon`` for a caller told to call back at closing). Every ended contact's outcome thus has its event.
Contacts are numbered in the order the trace first sees them.
"""

from __future__ import annotations

import pandas as pd

from sim.model.contact import Contact
from sim.records import KINDS


class Trace:
    """Events in the order they happen."""

    def __init__(self, channels: list[str], groups: list[str], roster) -> None:
        self.channels, self.groups, self.roster = channels, groups, roster
        self.rows: list[tuple] = []
        self._ids: dict[int, int] = {}
        self._alive: dict[int, Contact] = {}  # keeps traced contacts alive so their ids are not reused

    def event(self, now: float, name: str, contact: Contact, agent: int = -1) -> None:
        key = id(contact)
        number = self._ids.get(key)
        if number is None:
            number = self._ids[key] = len(self._ids)
            self._alive[key] = contact
        group = self.groups[self.roster.group[agent]] if agent >= 0 else ""
        self.rows.append((now, name, number, self.channels[contact.channel], KINDS[contact.kind],
                          contact.seat, agent, group))

    def move(self, now: float, name: str, agent: int) -> None:
        """An agent of a shift line moves (``shift_start``, ``break``, ``back``, ``shift_end``): no contact."""
        self.rows.append((now, name, -1, "", "", -1, agent, self.groups[self.roster.group[agent]]))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["time_seconds", "event", "contact", "channel", "kind", "customer",
                                                "agent", "group"])
