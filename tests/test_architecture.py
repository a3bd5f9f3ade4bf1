"""Layering rules, read from the source with ``ast``: who may import simpy, matplotlib and click, and what
the pure layers (config, streams, analytic formulas) may not depend on. Also: ``import sim`` stays light.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "sim"
SOURCES = sorted(PACKAGE.rglob("*.py"))

# third-party package -> the only place (a file or a folder under sim/) allowed to import it
OWNERS = {"simpy": "model/", "matplotlib": "plots/", "click": "cli/"}
# layers that must not reach up into the simulator, the KPIs, the runner or the CLI
PURE_LAYERS = ("config/", "rng.py", "analytic/")
UPPER_MODULES = ("sim.model", "sim.metrics", "sim.run", "sim.runner", "sim.cli")


def package_of(path: Path) -> str:
    """The package relative imports in ``path`` are resolved against."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1])


def imported_modules(source: str, package: str) -> set[str]:
    """Every module ``source`` imports, anywhere in it; ``from a import b`` counts as ``a`` and ``a.b``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def imports_of(path: Path) -> set[str]:
    return imported_modules(path.read_text(encoding="utf-8"), package_of(path))


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def in_place(path: Path, place: str) -> bool:
    rel = relative(path)
    return rel.startswith(place) if place.endswith("/") else rel == place


def imports_package(path: Path, package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in imports_of(path))


def test_the_package_sources_are_found():
    assert PACKAGE / "cli" / "__init__.py" in SOURCES and any(in_place(p, "model/") for p in SOURCES)


def test_import_parsing_sees_relative_nested_and_dotted_imports():
    source = "from ..model import simulate\nfrom . import units\ndef f():\n    import simpy.events\n"
    assert imported_modules(source, "sim.config") == {
        "sim.model", "sim.model.simulate", "sim.config", "sim.config.units", "simpy.events",
    }
    assert package_of(PACKAGE / "config" / "__init__.py") == "sim.config"
    assert package_of(PACKAGE / "config" / "schema.py") == "sim.config"


@pytest.mark.parametrize(("package", "owner"), OWNERS.items(), ids=list(OWNERS))
def test_only_its_owner_imports_a_heavy_dependency(package, owner):
    offenders = [relative(p) for p in SOURCES if imports_package(p, package) and not in_place(p, owner)]
    assert not offenders, f"{package} may only be imported in sim/{owner}; also imported by {offenders}"


@pytest.mark.parametrize("layer", PURE_LAYERS)
def test_pure_layers_do_not_depend_on_the_simulator_runner_or_cli(layer):
    offenders = {
        relative(p): sorted(m for m in UPPER_MODULES if imports_package(p, m))
        for p in SOURCES
        if in_place(p, layer)
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"sim/{layer} must not import {UPPER_MODULES}: {offenders}"


# A fresh interpreter imports one module and reports, for each heavy package it ended up importing,
# the chain of sim source lines that pulled it in.
PROBE = """
import importlib, json, sys, traceback
target, heavy, sources = sys.argv[1], set(sys.argv[2].split(",")), sys.argv[3]
culprits = {}

class Spy:
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in heavy and top not in culprits:
            culprits[top] = [f"{f.filename}:{f.lineno}" for f in traceback.extract_stack()
                             if f.filename.startswith(sources)]
        return None

sys.meta_path.insert(0, Spy())
importlib.import_module(target)
print(json.dumps({m: culprits.get(m, []) for m in sorted(heavy) if m in sys.modules}))
"""
HEAVY = ("simpy", "click", "matplotlib")
LAZY_IMPORTS = [
    ("sim", HEAVY + ("pandas", "pydantic", "scipy")),  # sim/__init__.py promises a lazy public API
    ("sim.config", HEAVY),
    ("sim.analytic", HEAVY),
    ("sim.rng", HEAVY),
    ("sim.scheduling.schedule", HEAVY),  # the solver needs neither the simulator, the CLI nor charts
]


@pytest.mark.parametrize(("module", "heavy"), LAZY_IMPORTS, ids=[m for m, _ in LAZY_IMPORTS])
def test_importing_does_not_pull_in_heavy_packages(module, heavy):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, module, ",".join(heavy), str(PACKAGE)],
        capture_output=True, text=True, cwd=ROOT, timeout=3600,
    )
    assert proc.returncode == 0, proc.stderr
    pulled_in = json.loads(proc.stdout)
    assert not pulled_in, f"import {module} imported {sorted(pulled_in)}; import chains: {pulled_in}"


CHANNEL_NAMES = {"walk_in", "phone", "email"}
# The only channel names written out in sim/ outside traits.py's TRAITS keys: (file, the expression) -> why
NAMED_CHANNELS = {
    ("config/channels.py", '"walk_in", "phone", "email"'): "ChannelName, the names the schema accepts: it defines them",
    ("config/closing.py", '"last_open_hour", "next_opening", "walk_in", "phone", "email"'):
        "the values of the displace_to field: a closing rule may send customers to any channel (a union with "
        "ChannelName would split pydantic's error message in two)",
    ("config/agents.py", '["phone"]'): "the default of a schema field: a group serves phone unless it says otherwise",
    ("plots/gallery.py", 'contacts["channel"] == "phone"'): "the wait chart is a chart of answered calls by design",
}


def _names_a_channel(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in CHANNEL_NAMES


def channel_names_used(source: str) -> list[tuple[int, str]]:
    """(line, expression) wherever a channel's name is compared (``==``, ``in``, ...), matched (``case``) or
    listed (a tuple, list or set) as a string literal, or read as an attribute (``channels.phone``): code that
    decides by the name what kind of channel it is."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            hit = any(map(_names_a_channel, [node.left, *node.comparators]))
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            hit = any(map(_names_a_channel, node.elts))
        elif isinstance(node, ast.Attribute):
            hit = node.attr in CHANNEL_NAMES  # scenario.channels.phone: one channel's settings picked by name
        else:
            hit = isinstance(node, ast.MatchValue) and _names_a_channel(node.value)
        if hit:
            found.append((node.lineno, ast.get_source_segment(source, node) or ""))
    return sorted(found)


def test_channel_names_used_are_found():
    source = ('x = c == "walk_in"\ny = c in ("phone", "x")\nz = c == "counter"\nLIVE = ["email"]\n'
              'match c:\n    case "phone":\n        pass\nw = {"phone": 1}\nv = s.channels.email.chaser\n')
    assert [line for line, _ in channel_names_used(source)] == [1, 2, 4, 6, 9]


def unexplained_channel_names(path: Path) -> list[str]:
    """The channel names ``path`` uses that ``NAMED_CHANNELS`` does not explain, as ``line: expression``."""
    return [f"{line}: {expression}" for line, expression in channel_names_used(path.read_text(encoding="utf-8"))
            if (relative(path), expression) not in NAMED_CHANNELS]


@pytest.mark.parametrize("path", [p for p in SOURCES if not in_place(p, "config/traits.py")], ids=relative)
def test_the_code_asks_traits_not_channel_names(path):
    """Adding a channel touches the schema and one entry of sim/config/traits.py, nothing that asks its name."""
    assert unexplained_channel_names(path) == [], "ask sim/config/traits.py (TRAITS[channel]) instead"


def test_every_named_channel_exception_is_still_needed():
    used = {(relative(p), e) for p in SOURCES for _, e in channel_names_used(p.read_text(encoding="utf-8"))}
    assert set(NAMED_CHANNELS) <= used, f"stale entries: {set(NAMED_CHANNELS) - used}"
