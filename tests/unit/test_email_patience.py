"""Email customers never abandon. ``patience: none`` on email used to stay the string "none", and sizing the
email desk (``servsim staff``: ``staffing.demand.mean_patience``) then failed with an AttributeError; now
every way of saying it is the never-happens distribution, the same as on the other channels."""

import math

import pytest

from sim.config import load_config
from sim.config.distributions import NoDuration
from sim.errors import InputError
from sim.staffing.demand import mean_patience, queues

CENTRE = "configs/service_centre.yaml"  # has an email desk


@pytest.mark.parametrize("overrides", [[], ["channels.email.patience=none"], ["channels.email.patience=null"],
                                       ["channels.email.patience={dist: none}"]])
def test_email_patience_is_never_however_it_is_written(overrides):
    scenario = load_config(CENTRE, overrides)
    patience = scenario.channels.email.patience
    assert isinstance(patience, NoDuration) and not patience.finite and patience.mean == math.inf
    assert mean_patience(scenario, "email") is None  # nobody abandons: the formulas' Erlang C case
    email = [q for q in queues(scenario, ["email"], list(scenario.agents)) if q.channel == "email"]
    assert email and all(q.patience is None for q in email)


def test_email_patience_other_than_none_is_refused():
    with pytest.raises(InputError, match="channels.email.patience: emails never abandon"):
        load_config(CENTRE, ["channels.email.patience=5min"])
