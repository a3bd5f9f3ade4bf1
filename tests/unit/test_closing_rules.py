"""The closing-time rules (sim/behaviour/closing.py) against hand-computed instants, and the schema's checks of a
closing section. The horizon starts on a Monday at 00:00; a day is 86,400 s."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sim.behaviour.closing import back_at_opening, last_open_hour, next_opening, transitions
from sim.config.schema import Hours, Scenario

H = 3600.0
DAY = 86400.0
COUNTER = Hours(open=9 * H, close=16.25 * H, days=["mon", "tue", "wed", "thu", "fri"])  # 09:00-16:15


def test_transitions_are_each_open_days_opening_and_closing_to_the_minute():
    assert transitions(COUNTER, 2 * DAY) == [(9 * H, True), (16.25 * H, False),
                                             (DAY + 9 * H, True), (DAY + 16.25 * H, False)]
    # Saturday and Sunday are closed: a week has five openings; a horizon ending at 12:00 cuts the closing
    assert len(transitions(COUNTER, 7 * DAY)) == 10
    assert transitions(COUNTER, 12 * H) == [(9 * H, True)]


@pytest.mark.parametrize("t,expected", [
    (10 * H, 10 * H),  # open: now
    (8 * H, 9 * H),  # before opening: today's opening
    (16.25 * H, DAY + 9 * H),  # the closing instant is closed: tomorrow's
    (4 * DAY + 17 * H, 7 * DAY + 9 * H),  # Friday evening: Monday
    (5 * DAY + 12 * H, 7 * DAY + 9 * H),  # Saturday: Monday
])
def test_next_opening(t, expected):
    assert next_opening(COUNTER, t) == expected


def test_a_channel_open_one_day_a_week_opens_again_seven_days_later():
    monday = Hours(open=9 * H, close=10 * H, days=["mon"])
    assert next_opening(monday, 10 * H) == 7 * DAY + 9 * H


@pytest.mark.parametrize("t,expected", [
    (17 * H + 600, DAY + 9 * H + (17 * H + 600) % 7200),  # 17:10 -> tomorrow 09:00 + (t mod 2 h) = 10:10
    (10 * H, 10 * H),  # open: no wait
])
def test_those_turned_away_come_back_over_the_first_two_hours(t, expected):
    assert back_at_opening(COUNTER, t) == expected


def test_a_short_day_spreads_returns_over_its_open_span():
    short = Hours(open=9 * H, close=10 * H)
    assert back_at_opening(short, 11.5 * H) == DAY + 9 * H + (11.5 * H) % H  # 09:30 the next day


@pytest.mark.parametrize("t,expected", [
    (16.25 * H, 15.25 * H),  # at closing: the start of the last open hour (15:15)
    (16.75 * H, 15.75 * H),  # 16:45 -> 15:45
    (17.5 * H, 15.5 * H),  # 17:30 -> 15:30 (offset modulo one hour)
    (DAY + 16.5 * H, DAY + 15.5 * H),  # Tuesday 16:30 -> Tuesday 15:30
    (8 * H, None), (10 * H, None),  # before opening, open: no earlier hour that day
    (5 * DAY + 17 * H, None),  # Saturday: closed all day
])
def test_the_last_open_hour(t, expected):
    assert last_open_hour(COUNTER, t) == expected


def _centre(**closing) -> dict:
    return {"channels": {
        "walk_in": {"arrivals": {"rate": "10/h"}, "handle_time": {"dist": "fixed", "value": "5min"},
                    "hours": {"open": "09:00", "close": "16:15"}, "closing": closing},
        "phone": {"arrivals": {"rate": "10/h"}, "handle_time": {"dist": "fixed", "value": "5min"}}},
        "agents": {"team": {"channels": ["walk_in", "phone"], "staffing": 3}}}


def test_a_closing_section_is_accepted_with_demand_in_closed_hours():
    """A constant rate round the clock would be lost at a closed counter; with a closing rule it is displaced."""
    scenario = Scenario.model_validate(_centre(displace_to="phone", give_up=0.2))
    assert scenario.channels.walk_in.closing.displace_to == "phone"


@pytest.mark.parametrize("closing,message", [
    ({"displace_to": "walk_in"}, "another configured channel"),
    ({"displace_to": "email"}, "another configured channel"),
    ({"queued": "call_back"}, "always served"),
    ({"give_up": 1.5}, "less than or equal to 1"),
    ({"when": "late"}, "Extra inputs"),
])
def test_bad_closing_sections_are_refused(closing, message):
    with pytest.raises(ValidationError, match=message):
        Scenario.model_validate(_centre(**closing))


def test_a_closing_rule_needs_opening_hours():
    data = _centre()
    data["channels"]["phone"]["closing"] = {}
    with pytest.raises(ValidationError, match="needs channels.phone.hours"):
        Scenario.model_validate(data)
