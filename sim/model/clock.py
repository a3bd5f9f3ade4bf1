"""The engine's two hottest SimPy operations, done with less machinery: scheduling a callback and running the
event loop.

Every handler of the engine is a callback on a timeout (docs/engine.md, "Why callbacks and not processes"), so
a timeout needs nothing of ``simpy.Timeout`` but its place in the environment's queue, its callbacks and its
value. ``Due`` is that; ``call_in`` pushes it exactly where ``env.timeout(delay, value)`` would put it (same
time, priority and event id, so the order of events is unchanged), and ``run`` processes the queue as
``env.run(until)`` does when no event fails (none of the engine's can: they are never failed, and it starts
no processes). Both read SimPy's environment attributes ``_queue``, ``_now`` and ``_eid`` (simpy 4).
"""

from __future__ import annotations

from collections.abc import Callable
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.events import NORMAL


class Due:
    """A timeout as the engine uses it: a value and the callbacks to call with it when its time comes."""

    __slots__ = ("callbacks", "value")
    _ok = True  # read by ``simpy.Environment.step``: never failed

    def __init__(self, value: Any, callback: Callable[[Any], None]) -> None:
        self.value = value
        self.callbacks: list[Callable[[Any], None]] | None = [callback]


def call_in(env: simpy.Environment, delay: float, value: Any, callback: Callable[[Any], None]) -> None:
    """Call ``callback(event)`` after ``delay`` seconds, ``event.value`` being ``value``: the same as
    ``env.timeout(delay, value).callbacks.append(callback)``."""
    if delay < 0:
        raise ValueError(f"Negative delay {delay}")
    queue: list[Any] = env._queue  # type: ignore[attr-defined]
    heappush(queue, (env._now + delay, NORMAL, next(env._eid), Due(value, callback)))  # type: ignore[attr-defined]


def run(env: simpy.Environment, until: float) -> None:
    """Process every event before ``until`` and stop the clock there: ``env.run(until)`` for an engine whose
    events never fail (an event at ``until`` itself is left, as ``env.run`` leaves it)."""
    if until <= env.now:
        raise ValueError(f"until ({until}) must be greater than the current simulation time")
    queue: list[Any] = env._queue  # type: ignore[attr-defined]
    event: Any
    while queue and queue[0][0] < until:
        env._now, _, _, event = heappop(queue)  # type: ignore[attr-defined]
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
    env._now = until  # type: ignore[attr-defined]
