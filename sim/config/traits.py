"""What kind of channel each one is: the engine, the KPIs, staffing, calibration and the charts ask these traits,
never a channel's name.

Adding a channel means a schema class for its settings (``channels.py``) and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelTraits:
    """How contacts on a channel behave, independent of any scenario's numbers."""

    label: str  # how people name it in tables and charts
    live: bool  # a person waits on the line or at the counter (live-first routing serves these first)
    backlog: bool  # written: contacts arrive round the clock and wait for opening hours, no patience clock
    abandons: bool  # waiting customers may give up (they have a patience)
    balks: bool  # arrivals see the queue and may turn away at once
    redials: bool  # those who gave up may try again on the same channel
    chased_on: str | None  # where an unanswered contact's customer chases it (a live channel's name), if anywhere
    held_after_closing: bool  # those already waiting at closing time are still served
    overtaking_visible: bool  # waiting customers see later, higher-priority customers served first
    virtual_hold: bool = False  # a caller may leave the line and keep the place: an agent calls back (callbacks)


TRAITS: dict[str, ChannelTraits] = {
    "walk_in": ChannelTraits("walk-in", live=True, backlog=False, abandons=True, balks=True, redials=False,
                             chased_on=None, held_after_closing=True, overtaking_visible=True),
    "phone": ChannelTraits("phone", live=True, backlog=False, abandons=True, balks=False, redials=True,
                           chased_on=None, held_after_closing=False, overtaking_visible=False, virtual_hold=True),
    "email": ChannelTraits("email", live=False, backlog=True, abandons=False, balks=False, redials=False,
                           chased_on="phone", held_after_closing=False, overtaking_visible=False),
}
