"""The plain queue engine (used for behaviour-off, single-queue scenarios because it is faster) and the full
customer-journey centre give the same results wherever both apply: same customers, same tallies, same levels.

The scenarios vary every setting the fast path allows (``PLAIN_SETTINGS``) and every one it ignores while the
behaviour model is off (``IDLE_WITHOUT_BEHAVIOUR``); a test checks the draws reach every such path, so a path
added to the allow-list fails here until ``plain_scenarios`` draws it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from plain_scenarios import plain_scenario_dicts
from test_invariants import PROPERTY, replications, scenario, seeds

from sim.model import simulate
from sim.model.simulate import IDLE_WITHOUT_BEHAVIOUR, PLAIN_SETTINGS, _template, is_plain

ALLOWED = PLAIN_SETTINGS + IDLE_WITHOUT_BEHAVIOUR


def assert_same_output(a, b, acw_apart: tuple[bool, bool] = (False, False)) -> None:
    """The same tallies, breakdown, levels and contacts (or none in both); ``acw_apart``: which of the two logs
    after-contact work apart (only the full centre does; the plain queue draws it with the talk as one time)."""
    for table in ("sums", "breakdown", "levels"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table), rtol=1e-9, atol=1e-6, obj=table)
    if a.contacts is None or b.contacts is None:
        assert a.contacts is None and b.contacts is None
        return
    for contacts, apart in zip((a.contacts, b.contacts), acw_apart):
        assert ("acw_seconds" in contacts) == apart
        if apart:
            answered = contacts["outcome"] == "answered"
            assert (contacts.loc[answered, "acw_seconds"] <= contacts.loc[answered, "handle_seconds"]).all()
    # the plain queue numbers its agents as they come on shift, the centre keeps them
    pd.testing.assert_frame_equal(a.contacts.drop(columns=["agent", "acw_seconds"], errors="ignore"),
                                  b.contacts.drop(columns=["agent", "acw_seconds"], errors="ignore"),
                                  rtol=1e-9, atol=1e-6, obj="contacts")


def without_idle_settings(data: dict) -> dict:
    """``data`` with every setting of ``IDLE_WITHOUT_BEHAVIOUR`` back at its default (behaviour plainly off)."""
    data = _copy(data)
    for path in IDLE_WITHOUT_BEHAVIOUR:
        _drop(data, path.split("."))
    return {**data, "behaviour": "off"}


def _copy(node: Any) -> Any:
    return {k: _copy(v) for k, v in node.items()} if isinstance(node, dict) else node


def _drop(node: Any, keys: list[str]) -> None:
    if not isinstance(node, dict):
        return
    for name in list(node) if keys[0] == "*" else [keys[0]]:
        if name in node:
            if len(keys) == 1:
                del node[name]
            else:
                _drop(node[name], keys[1:])


@settings(PROPERTY, max_examples=80)  # more than the other properties: the scenarios vary more
@given(data=plain_scenario_dicts(), replication=replications, seed=st.none() | seeds)
def test_plain_and_full_engines_agree_on_every_tally_level_and_contact(data, replication, seed):
    s = scenario(data)
    assert is_plain(s)
    plain, full = simulate(s, replication, seed), simulate(s, replication, seed, engine="full")
    assert (plain.meta["engine"], full.meta["engine"]) == ("plain", "full")
    assert (plain.contacts is None) == (full.contacts is None) == (not s.output.contacts)
    assert_same_output(plain, full, acw_apart=(False, True))
    # the settings idle without behaviour change nothing: the plain queue gives the same with them at default
    assert_same_output(plain, simulate(scenario(without_idle_settings(data)), replication, seed))


def _at(node: Any, keys: list[str], where: tuple = ()) -> dict[tuple, Any]:
    """The values at a path of the scenario's dump (``*``: every key), by where they are."""
    if not keys:
        return {where: node}
    if not isinstance(node, dict):
        return {}
    found: dict[tuple, Any] = {}
    for name in list(node) if keys[0] == "*" else [keys[0]]:
        if name in node:
            found.update(_at(node[name], keys[1:], (*where, name)))
    return found


def varied(data: dict) -> set[str]:
    """The allowed paths at which this drawn scenario differs from the plain queue's template."""
    s = scenario(data)
    mine, template = s.model_dump(mode="json"), _template(s).model_dump(mode="json")
    return {path for path in ALLOWED if _at(mine, path.split(".")) != _at(template, path.split("."))}


def test_the_drawn_scenarios_vary_every_setting_the_plain_queue_allows():
    seen: set[str] = set()

    @settings(PROPERTY, max_examples=60)
    @given(data=plain_scenario_dicts())
    def draw(data):
        seen.update(varied(data))

    draw()
    assert not set(ALLOWED) - seen, f"never drawn: {sorted(set(ALLOWED) - seen)} (teach plain_scenarios)"


def test_behaviour_on_or_several_groups_use_the_full_centre():
    from helpers import phone_scenario

    assert is_plain(scenario(phone_scenario()))
    assert not is_plain(scenario({**phone_scenario(), "behaviour": {}}))
    two_groups = {**phone_scenario(), "agents": {"a": {"staffing": 4}, "b": {"staffing": 5}}}
    assert not is_plain(scenario(two_groups))
