"""The email policy section: its defaults, and the values it refuses."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sim.config.schema import Scenario


def _scenario(policy) -> dict:
    return {"channels": {"phone": {"arrivals": {"rate": "10/h"}, "handle_time": {"dist": "fixed", "value": "5min"}},
                         "email": {"arrivals": {"rate": "5/h"}, "handle_time": {"dist": "fixed", "value": "5min"},
                                   "response_target": "4h", "policy": policy}},
            "agents": {"team": {"channels": ["phone", "email"], "staffing": 3}}}


def test_defaults_and_left_out():
    policy = Scenario.model_validate(_scenario({})).channels.email.policy
    assert (policy.rise_at, policy.acknowledgement, policy.expectation, policy.chase_after) == (0.75, True, 1.0, 1.25)
    assert Scenario.model_validate(_scenario(None)).channels.email.policy is None


@pytest.mark.parametrize("policy,message", [
    ({"rise_at": 0}, "greater than 0"), ({"rise_at": 1.5}, "less than or equal to 1"),
    ({"expectation": 0}, "greater than 0"), ({"chase_after": -1}, "greater than 0"),
    ({"acknowledgement": "yes"}, "valid boolean"), ({"target": "4h"}, "Extra inputs"),
])
def test_bad_values_are_refused(policy, message):
    with pytest.raises(ValidationError, match=message):
        Scenario.model_validate(_scenario(policy))


def test_only_email_has_a_policy():
    data = _scenario(None)
    data["channels"]["phone"]["policy"] = {}
    with pytest.raises(ValidationError, match="Extra inputs"):
        Scenario.model_validate(data)
