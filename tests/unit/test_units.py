"""Durations and rates in human units."""

import pytest

from sim.config.units import format_duration, parse_duration, parse_hours, parse_rate, rate_period


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("20s", 20), ("4min", 240), ("1.5h", 5400), ("24h", 86400), ("2 days", 172800), ("1w", 604800),
     (30, 30), (2.5, 2.5), ("0", 0), ("500ms", 0.5), (" 3 minutes ", 180)],
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


@pytest.mark.parametrize("bare", [5, 2.5, "5", "90", 1e3])
def test_where_units_are_required_a_bare_number_is_refused_with_the_accepted_forms(bare):
    with pytest.raises(ValueError, match="has no unit; write it with a unit, such as '20s'"):
        parse_duration(bare, require_unit=True)


@pytest.mark.parametrize("bare", [120, 0.5])
def test_where_units_are_required_a_bare_rate_is_refused_with_the_accepted_forms(bare):
    with pytest.raises(ValueError, match="has no unit; write it with a period, such as '120/h'"):
        parse_rate(bare, require_unit=True)


def test_zero_needs_no_unit():
    assert parse_duration(0, require_unit=True) == 0 and parse_duration("0", require_unit=True) == 0
    assert parse_rate(0, require_unit=True) == 0


@pytest.mark.parametrize(("value", "hours"), [(160, 160), (40.5, 40.5), ("160h", 160), ("2d", 48), ("90min", 1.5)])
def test_hours_fields_take_a_number_of_hours_or_any_duration(value, hours):
    assert parse_hours(value) == pytest.approx(hours)


@pytest.mark.parametrize("bad", [True, "160", "lots", "-3h"])
def test_hours_fields_refuse_booleans_and_unitless_text(bad):
    with pytest.raises(ValueError):
        parse_hours(bad)


@pytest.mark.parametrize(("text", "period"), [("2400/day", 86400), ("120/h", 3600), ("30 per 15min", 900),
                                              ("nonsense", 0)])
def test_the_period_of_a_rate_is_read_from_its_text(text, period):
    assert rate_period(text) == period


def test_arabic_indic_digits_are_not_numbers():
    with pytest.raises(ValueError):
        parse_duration("٥min")
