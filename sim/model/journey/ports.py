"""What the centre's desks (closing, callbacks) may ask of the journey's parts: the customer's side and the
follow-ups, and the start of a service. ``CustomerSide``, ``FollowUpScheduler`` and ``Journey`` implement them;
the desks see them through the centre's ``customer``, ``followups`` and ``journey``, typed by these ports."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sim.config.distributions import HandleTime
    from sim.model.agents import Group
    from sim.model.contact import Contact


class CustomerPort(Protocol):
    """The customer's side of a contact, as the desks use it (``CustomerSide`` implements it)."""

    def started(self, contact: Contact) -> None: ...  # a new contact opens its episode

    def waited(self, contact: Contact, wait: float) -> None: ...  # frustration from the wait just ended

    def came_back(self, contact: Contact, redial: bool) -> None: ...  # one more contact of the episode

    def missed_callback(self, contact: Contact, felt_wait: float, missed: float) -> None: ...  # a broken promise

    def gave_up(self, contact: Contact, now: float) -> tuple[float, int]: ...  # the episode ends unserved

    def ended(self, contact: Contact, outcome: int, wait: float, now: float, z: float = math.nan, flags: int = 0,
              counted: bool = True) -> None: ...  # the contact's row


class FollowUpPort(Protocol):
    """The contacts the journey creates, as the desks use them (``FollowUpScheduler`` implements it)."""

    def schedule(self, contact: Contact, channel: str, kind: int, delay: float) -> bool: ...  # the next contact

    def delay(self, name: str, dist: HandleTime) -> float: ...  # the next delay of kind ``name``


class ServePort(Protocol):
    """The start of a service, as the callback desk uses it (``Journey`` implements it)."""

    def served(self, agent: int, group: Group, contact: Contact, wait: float, now: float) -> float: ...


__all__ = ["CustomerPort", "FollowUpPort", "ServePort"]
