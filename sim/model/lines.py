"""Named shift lines in the engine: each agent of a line comes on at its start, leaves for each break and
at its end after finishing the contact in hand (taking no new one once due), and comes back from a break
after the break's full length, counted from when it actually left. The same agent works its seat every day
the line runs.

Exhaustion recovers on a break as while idle, ``E * exp(-t / recovery_time)`` (docs/model.md section 8,
grade D). Paid time is the line's span less its unpaid breaks, as scheduled (a contact finished after the
end is not paid overtime); a seat whose agent quit is unpaid while its position is vacant (attrition).
A group with lines is never staffed per interval (``Centre._set_interval`` leaves it alone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np
import simpy

from sim.config.lines import per_line
from sim.config.schema import Scenario
from sim.model.agents import Group, Roster

if TYPE_CHECKING:
    from sim.model.journey.service import ServiceSide
    from sim.model.trace import Trace

OFF, ON, DUE, AWAY = 0, 1, 2, 3  # off shift, on the floor, due to leave after the contact in hand, on a break
END = -1.0  # the length of the last item of a shift: its end


class FloorPort(Protocol):
    """What a crew may ask of the centre (``Centre`` implements it)."""

    env: simpy.Environment
    roster: Roster
    trace: Trace | None

    @property
    def service(self) -> ServiceSide: ...

    def come_on(self, agent: int, group: Group, now: float) -> None: ...

    def go_off(self, agent: int, group: Group, now: float, busy: bool) -> None: ...

    def serve_held(self, agent: int, group: Group, now: float) -> bool: ...


class Seat:
    """One agent's place on a line: who holds it and where it is in its current shift."""

    __slots__ = ("line", "agent", "hired", "state", "shift", "item", "emptied")

    def __init__(self, line: int) -> None:
        self.line, self.hired, self.state = line, False, OFF
        self.agent: int | None = None
        self.shift, self.item, self.emptied = 0.0, 0, 0.0


class Crew:
    """The seats of one group's lines, moved on and off the floor at their lines' times."""

    def __init__(self, centre: FloorPort, group: Group, scenario: Scenario) -> None:
        lines = group.spec.lines
        assert lines is not None, "a crew is built for a group with lines"
        self.centre, self.group, self.roster, self.env = centre, group, centre.roster, centre.env
        # per line: (offset from the start, length) of each break in time order, then (span, END)
        self.items = [[(line.offset(b.start), b.length) for b in line.breaks] + [(line.span, END)] for line in lines]
        self.seats = [Seat(i) for i, line in enumerate(lines) for _ in range(line.count)]
        self.by_line = [[s for s in self.seats if s.line == i] for i in range(len(lines))]
        self.owner: dict[int, Seat] = {}  # agent -> its seat
        self.due: dict[int, Seat] = {}  # busy agents who leave when their contact ends
        self.paid_per_agent = np.array(per_line(lines, scenario.n_intervals, scenario.interval, scenario.horizon,
                                                paid=True))
        group.positions = len(self.seats)
        for i, line in enumerate(lines):
            for start in line.shift_starts(scenario.horizon):
                self.env.timeout(max(0.0, start), (i, start)).callbacks.append(self._on_start)

    # --- a shift starts ---------------------------------------------------------------------------------

    def _on_start(self, event: simpy.events.Event) -> None:
        line, start = event.value  # type: ignore[misc]  # simpy types every Event.value Optional[Any]
        now = self.env.now
        for seat in self.by_line[line]:
            self._start(seat, start, now)

    def _start(self, seat: Seat, start: float, now: float) -> None:
        seat.shift, seat.item = start, 0
        agent = self._holder(seat, now)
        if agent is None:
            return  # a vacant seat: nobody works this shift
        if seat.state == DUE:  # still finishing the last shift's contact: stays on
            del self.due[agent]
            seat.state = ON
        elif seat.state == OFF:
            self.roster.back_on(agent, self.group, now, self.centre.service.rested)
            seat.state = ON
            self._trace(now, "shift_start", agent)
            self.centre.come_on(agent, self.group, now)
        if seat.state == ON:  # (on a break, the return carries on with this shift)
            self._next(seat, now)

    def _holder(self, seat: Seat, now: float) -> int | None:
        """The seat's agent: its own, a new hire the first time, or a trained replacement after a quit."""
        if seat.agent is not None and self.roster.gone[seat.agent]:
            self._vacate(seat, now)
        if seat.agent is None:
            agent = None
            if not seat.hired:
                agent, seat.hired = self.roster.hire(self.group, now), True
                self.group.off.append(agent)
            else:
                agent = next((a for a in self.group.off if a not in self.owner), None)
            if agent is not None:
                seat.agent, self.owner[agent] = agent, seat
        return seat.agent

    def _vacate(self, seat: Seat, now: float) -> None:
        """The seat's agent has left the job."""
        assert seat.agent is not None
        self.owner.pop(seat.agent, None)
        self.due.pop(seat.agent, None)
        seat.agent, seat.state, seat.emptied = None, OFF, now

    # --- breaks and the end -------------------------------------------------------------------------------

    def _next(self, seat: Seat, now: float) -> None:
        """Wait for the seat's next break or its shift's end (breaks before the run started are skipped)."""
        items = self.items[seat.line]
        while items[seat.item][1] != END and seat.shift + items[seat.item][0] < 0.0:
            seat.item += 1
        at = seat.shift + items[seat.item][0]
        self.env.timeout(max(0.0, at - now), (seat, seat.shift, seat.item)).callbacks.append(self._on_due)

    def _on_due(self, event: simpy.events.Event) -> None:
        seat, shift, item = event.value  # type: ignore[misc]
        if seat.shift != shift or seat.item != item or seat.state != ON or seat.agent is None:
            return  # a later shift took over, or the agent quit
        now, agent = self.env.now, seat.agent
        if self.roster.gone[agent]:
            self._vacate(seat, now)
        elif self.roster.serving[agent] is None:
            self.centre.go_off(agent, self.group, now, busy=False)
            self._left(seat, agent, now, idle=True)
        else:
            seat.state = DUE
            self.due[agent] = seat

    def finished(self, agent: int, now: float) -> None:
        """A due agent's contact has ended: it goes (at the shift's end, after serving those a closed channel
        still holds, as every leaving agent does)."""
        seat = self.due[agent]
        if self.items[seat.line][seat.item][1] == END and self.centre.serve_held(agent, self.group, now):
            return
        del self.due[agent]
        self.centre.go_off(agent, self.group, now, busy=True)
        self._left(seat, agent, now, idle=False)

    def _left(self, seat: Seat, agent: int, now: float, idle: bool) -> None:
        roster, service = self.roster, self.centre.service
        offset, length = self.items[seat.line][seat.item]
        if length == END:
            seat.state = OFF
            self._trace(now, "shift_end", agent)
            service.off_shift(agent, now, idle)  # off shift, or out of the job if quitting
            if roster.gone[agent]:
                self._vacate(seat, now)
            return
        seat.state = AWAY
        self._trace(now, "break", agent)
        if service.exh is not None:  # recovery so far kept; the break recovers from now
            roster.exhaustion[agent] = roster.exhaustion_at(agent, now, service.exh)
        roster.idle_since[agent] = now
        self.group.off.append(agent)  # off the floor (not counted in the floor's exhaustion)
        self.env.timeout(length, (seat, seat.shift, seat.item)).callbacks.append(self._on_back)

    def _on_back(self, event: simpy.events.Event) -> None:
        seat, shift, item = event.value  # type: ignore[misc]
        now, agent = self.env.now, seat.agent
        if agent is None or self.roster.gone[agent]:  # quit during the break
            if agent is not None:
                self._vacate(seat, now)
            return
        roster, service = self.roster, self.centre.service
        self.group.off.remove(agent)
        if service.exh is not None:  # recovered over the break at the idle rate
            roster.exhaustion[agent] = roster.exhaustion_at(agent, now, service.exh)
        roster.idle_since[agent] = now
        if seat.shift == shift:
            seat.item = item + 1
        self._trace(now, "back", agent)
        if seat.shift + self.items[seat.line][seat.item][0] <= now:  # its next break or its end fell due while
            self._left(seat, agent, now, idle=True)  # it was away: straight on to it
            return
        seat.state = ON
        self.centre.come_on(agent, self.group, now)
        self._next(seat, now)

    # --- paid time ----------------------------------------------------------------------------------------

    def paid(self, k: int) -> float:
        """Agent-seconds paid in interval ``k``: each seat's line, less seats whose position is vacant (the
        latest emptied; a replacement hire in induction is paid, as in ``Group.paid``)."""
        now = self.env.now
        for seat in self.seats:
            if seat.agent is not None and self.roster.gone[seat.agent]:
                self._vacate(seat, now)
        empty = sorted((s for s in self.seats if s.agent is None and s.hired), key=lambda s: s.emptied)
        unpaid = empty[len(empty) - min(self.group.vacant, len(empty)):]
        paid = self.paid_per_agent[:, k] @ np.array([len(seats) for seats in self.by_line], dtype=float)
        return float(paid - sum(self.paid_per_agent[s.line, k] for s in unpaid))

    def _trace(self, now: float, name: str, agent: int) -> None:
        if self.centre.trace is not None:
            self.centre.trace.move(now, name, agent)
