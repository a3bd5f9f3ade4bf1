"""Durations and rates in human units."""

import pytest

from sim.config.units import format_duration, parse_duration, parse_rate


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("20s", 20), ("4min", 240), ("1.5h", 5400), ("24h", 86400), ("2 days", 172800), ("1w", 604800),
     (30, 30), (2.5, 2.5), ("90", 90), ("500ms", 0.5), (" 3 minutes ", 180)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "per_second"),
    [("120/h", 120 / 3600), ("2/min", 2 / 60), ("30 per 15min", 30 / 900), ("1/s", 1.0), (0.5, 0.5)],
)
def test_rates(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second)


@pytest.mark.parametrize("bad", ["-3min", "abc", "4 parsecs", True, None, [1], "nan"])
def test_bad_durations_say_why(bad):
    with pytest.raises(ValueError, match="duration|unit"):
        parse_duration(bad)


@pytest.mark.parametrize("bad", ["120", "12/fortnight", "-5/h", "3/0h", False])
def test_bad_rates_say_why(bad):
    with pytest.raises(ValueError, match="rate|unit|period"):
        parse_rate(bad)


def test_format_round_trips_common_durations():
    for text in ("20s", "4min", "1.5h", "2d"):
        assert parse_duration(format_duration(parse_duration(text))) == parse_duration(text)
