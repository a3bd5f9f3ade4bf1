"""The plain queue engine (used for behaviour-off, single-queue scenarios because it is faster) and the full
customer-journey centre give the same results wherever both apply: same customers, same tallies, same levels."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from test_invariants import PROPERTY, replications, scenario, scenario_dicts, seeds

from sim.model import simulate
from sim.model.simulate import is_plain


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_plain_and_full_engines_agree_on_every_tally_level_and_contact(data, replication, seed):
    s = scenario(data)
    assert is_plain(s)
    plain, full = simulate(s, replication, seed), simulate(s, replication, seed, engine="full")
    assert (plain.meta["engine"], full.meta["engine"]) == ("plain", "full")
    for table in ("sums", "breakdown", "levels"):
        pd.testing.assert_frame_equal(getattr(plain, table), getattr(full, table), rtol=1e-9, atol=1e-6, obj=table)
    # the same contacts (the plain queue numbers its agents as they come on shift, the centre keeps them; the
    # plain queue draws talk and after-contact work as one time, so only the centre logs the latter apart)
    assert "acw_seconds" not in plain.contacts and "acw_seconds" in full.contacts
    answered = full.contacts["outcome"] == "answered"
    assert (full.contacts.loc[answered, "acw_seconds"] <= full.contacts.loc[answered, "handle_seconds"]).all()
    pd.testing.assert_frame_equal(plain.contacts.drop(columns="agent"),
                                  full.contacts.drop(columns=["agent", "acw_seconds"]), rtol=1e-9, atol=1e-6)


def test_behaviour_on_or_several_groups_use_the_full_centre():
    from helpers import phone_scenario

    assert is_plain(scenario(phone_scenario()))
    assert not is_plain(scenario({**phone_scenario(), "behaviour": {}}))
    two_groups = {**phone_scenario(), "agents": {"a": {"staffing": 4}, "b": {"staffing": 5}}}
    assert not is_plain(scenario(two_groups))
