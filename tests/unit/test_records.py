"""The per-interval arrays of ``Levels`` and the plain queue's counts are made by name in ``__init__``; their
class bodies declare the same names for type checkers. The two lists must not drift apart."""

import ast
import inspect
from pathlib import Path

import sim.model
from sim.model.plain import PLAIN_FIELDS, PlainTally
from sim.records import CENTRE_LEVELS, CHANNEL_LEVELS, GROUP_LEVELS, Levels


def test_levels_declares_every_level_it_makes():
    made = set(CHANNEL_LEVELS + GROUP_LEVELS + CENTRE_LEVELS)
    assert set(Levels.__annotations__) == made
    levels = Levels(3, ["phone"], ["team"])
    assert all(hasattr(levels, name) for name in made)


def _declared(path: Path, name: str) -> dict[str, str]:
    """A class's annotated attributes as its source declares them (a compiled class keeps no ``__annotations__``)."""
    body = next(node for node in ast.parse(path.read_text()).body if isinstance(node, ast.ClassDef)
                and node.name == name).body
    return {n.target.id: ast.unparse(n.annotation) for n in body if isinstance(n, ast.AnnAssign)
            and isinstance(n.target, ast.Name)}


def test_plain_tally_declares_every_field_it_makes():
    declared = _declared(Path(inspect.getfile(sim.model)).parent / "plain.py", "PlainTally")
    assert set(declared) == set(PLAIN_FIELDS)
    tally = PlainTally(2)
    for name in PLAIN_FIELDS:
        kind = float if name.endswith("_sum") else int
        assert declared[name] == f"list[{kind.__name__}]"
        assert [type(x) for x in getattr(tally, name)] == [kind, kind]
