"""``sim.model.clock`` against SimPy itself: ``call_in`` and ``run`` must process events in exactly the order, and
at exactly the times, that ``env.timeout(...).callbacks.append`` and ``env.run(until)`` do (ties included: equal
times go in scheduling order), and stop the same way at ``until``."""

from __future__ import annotations

import pytest
import simpy

from sim.model.clock import call_in, run

# (delay, label): ties at 1.0 and 2.0, an event exactly at the horizon 5.0 and one after it
PLAN = [(2.0, "a"), (1.0, "b"), (1.0, "c"), (0.0, "d"), (2.0, "e"), (5.0, "at_horizon"), (7.0, "after")]


def trace(schedule, run_until) -> tuple[list[tuple[float, str]], float]:
    """What a small model does: each event logs (time, label) and the first ones schedule more (with ties)."""
    env = simpy.Environment()
    seen: list[tuple[float, str]] = []

    def handler(event) -> None:
        seen.append((env.now, event.value))
        if event.value in ("b", "d"):  # chained events, some tying with ones scheduled earlier
            schedule(env, 1.0, event.value + "+1", handler)
            schedule(env, 0.0, event.value + "+0", handler)

    for delay, label in PLAN:
        schedule(env, delay, label, handler)
    run_until(env, 5.0)
    return seen, env.now


def with_simpy(env, delay, value, callback) -> None:
    env.timeout(delay, value).callbacks.append(callback)


def test_call_in_and_run_give_simpys_order_times_and_stop():
    expected = trace(with_simpy, lambda env, until: env.run(until=until))
    assert trace(call_in, run) == expected
    assert trace(call_in, lambda env, until: env.run(until=until)) == expected  # SimPy's loop runs them too
    assert trace(with_simpy, run) == expected
    seen, now = expected
    assert now == 5.0 and (5.0, "at_horizon") not in seen and seen[0] == (0.0, "d")


def test_call_in_refuses_a_negative_delay_and_run_a_past_horizon():
    env = simpy.Environment()
    with pytest.raises(ValueError):
        call_in(env, -1.0, None, lambda event: None)
    run(env, 1.0)
    with pytest.raises(ValueError):
        run(env, 1.0)
