"""Whether the engine runs compiled: mypyc's build of the engine's modules is used only while it matches its source.

``setup.py`` compiles the modules of ``ENGINE`` (the event loop and the behavioural equations) with mypyc
when it can, and then writes ``BUILD_RECORD``: each compiled module's source hash. A compiled module sits
beside its source and Python would import it first, even after the source has been edited. So at
``import sim`` the record is checked; unless every source still has its hash and the compiled library is
there, each engine module is imported from its source (all of them: compiled modules call each other
directly, so a mix is not allowed). ``SERVSIM_PURE=1`` always imports the sources.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ENGINE = ("model", "behaviour")  # sub-packages compiled, all modules below them except their own __init__
BUILD_RECORD = "_compiled.json"
LIBRARY = "_engine__mypyc"  # mypyc's shared library of the group (``group_name="sim._engine"``)


def engine_sources(package: Path = PACKAGE) -> dict[str, Path]:
    """The modules compiled (``sim.model.centre``, ...) and their source files."""
    found = {}
    for sub in ENGINE:
        for path in sorted((package / sub).rglob("*.py")):
            if path.parent == package / sub and path.name == "__init__.py":
                continue  # the package's own __init__ stays Python (it imports the compiled modules)
            parts = path.relative_to(package).with_suffix("").parts
            parts = parts[:-1] if parts[-1] == "__init__" else parts
            found[".".join((package.name, *parts))] = path
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def status(package: Path = PACKAGE) -> str:
    """``compiled``; ``pure`` (never built, or ``SERVSIM_PURE``); or ``stale`` (a source edited since its build)."""
    if os.environ.get("SERVSIM_PURE"):
        return "pure"
    record = package / BUILD_RECORD
    libraries = [package / (LIBRARY + suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES]
    if not record.is_file() or not any(lib.is_file() for lib in libraries):
        return "pure"
    built = json.loads(record.read_text())
    now = {name: digest(path) for name, path in engine_sources(package).items()}
    return "compiled" if built == now else "stale"


class _FromSource(importlib.abc.MetaPathFinder):
    """Imports the engine's modules from their ``.py`` files, ahead of a compiled module beside them."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        file = self.sources.get(name)
        if file is None:
            return None
        search = [str(file.parent)] if file.name == "__init__.py" else None
        return importlib.util.spec_from_file_location(name, file, submodule_search_locations=search)


def choose() -> str:
    """Make the engine's imports use the compiled build if it is current, else the sources; returns ``status``."""
    state = status()
    if state != "compiled" and not any(isinstance(f, _FromSource) for f in sys.meta_path):
        sys.meta_path.insert(0, _FromSource(engine_sources()))
    if state == "stale":
        warnings.warn("servsim: the engine's source changed since it was compiled, so it runs uncompiled (about "
                      "half as fast); `make build` compiles it again", RuntimeWarning, stacklevel=2)
    return state
