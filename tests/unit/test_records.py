"""The per-interval arrays of ``Levels`` and the plain queue's counts are made by name in ``__init__``; their
class bodies declare the same names for type checkers. The two lists must not drift apart."""

from sim.model.plain import PLAIN_FIELDS, PlainTally
from sim.records import CENTRE_LEVELS, CHANNEL_LEVELS, GROUP_LEVELS, Levels


def test_levels_declares_every_level_it_makes():
    made = set(CHANNEL_LEVELS + GROUP_LEVELS + CENTRE_LEVELS)
    assert set(Levels.__annotations__) == made
    levels = Levels(3, ["phone"], ["team"])
    assert all(hasattr(levels, name) for name in made)


def test_plain_tally_declares_every_field_it_makes():
    assert set(PlainTally.__annotations__) == set(PLAIN_FIELDS)
    tally = PlainTally(2)
    for name in PLAIN_FIELDS:
        kind = float if name.endswith("_sum") else int
        assert PlainTally.__annotations__[name] == f"list[{kind.__name__}]"
        assert [type(x) for x in getattr(tally, name)] == [kind, kind]
