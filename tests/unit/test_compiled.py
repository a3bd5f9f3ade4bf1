"""The compiled engine is used only while it matches its source (``sim.compiled``)."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys

import pytest

from sim import compiled


def _package(tmp_path):
    """A package shaped like sim: two engine sub-packages, one nested, and a module outside the engine."""
    root = tmp_path / "pkg"
    for path in ("model/__init__.py", "model/centre.py", "model/journey/__init__.py", "model/journey/side.py",
                 "behaviour/__init__.py", "behaviour/rules.py", "cli.py"):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(f"WHERE = {path!r}\n")
    return root


def _built(root):
    """Pretend a build: the record of the sources' hashes and the group's shared library."""
    hashes = {name: compiled.digest(path) for name, path in compiled.engine_sources(root).items()}
    (root / compiled.BUILD_RECORD).write_text(json.dumps(hashes))
    (root / (compiled.LIBRARY + importlib.machinery.EXTENSION_SUFFIXES[0])).write_bytes(b"")


def test_the_engine_is_every_module_below_model_and_behaviour_but_their_own_init(tmp_path):
    root = _package(tmp_path)
    assert set(compiled.engine_sources(root)) == {"pkg.model.centre", "pkg.model.journey", "pkg.model.journey.side",
                                                  "pkg.behaviour.rules"}
    assert compiled.engine_sources(root)["pkg.model.journey"] == root / "model/journey/__init__.py"


def test_status_is_compiled_only_while_every_source_matches_its_build(tmp_path, monkeypatch):
    monkeypatch.delenv("SERVSIM_PURE", raising=False)
    root = _package(tmp_path)
    assert compiled.status(root) == "pure"  # never built
    _built(root)
    assert compiled.status(root) == "compiled"
    (root / "cli.py").write_text("WHERE = 'elsewhere'\n")
    assert compiled.status(root) == "compiled"  # outside the engine: not compiled, not checked
    (root / "model/journey/side.py").write_text("WHERE = 'edited'\n")
    assert compiled.status(root) == "stale"
    _built(root)
    (root / "model/new.py").write_text("")
    assert compiled.status(root) == "stale"  # a module the build does not have
    _built(root)
    monkeypatch.setenv("SERVSIM_PURE", "1")
    assert compiled.status(root) == "pure"


def test_without_its_library_a_build_record_is_not_enough(tmp_path, monkeypatch):
    monkeypatch.delenv("SERVSIM_PURE", raising=False)
    root = _package(tmp_path)
    _built(root)
    for library in root.glob(compiled.LIBRARY + "*"):
        library.unlink()
    assert compiled.status(root) == "pure"


def test_sources_win_over_a_compiled_module_beside_them(tmp_path):
    """A broken 'compiled' module beside its source: a plain import loads it (and fails); the engine's finder
    loads the source instead, packages included."""
    root = _package(tmp_path)
    (root / ("model/centre" + importlib.machinery.EXTENSION_SUFFIXES[0])).write_bytes(b"not a library")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from pathlib import Path\n"
        "from sim import compiled\n"
        "if sys.argv[2] == 'sources':\n"
        "    sys.meta_path.insert(0, compiled._FromSource(compiled.engine_sources(Path(sys.argv[1]) / 'pkg')))\n"
        "import pkg.model.centre, pkg.model.journey.side\n"
        "print(pkg.model.centre.WHERE, pkg.model.journey.side.WHERE)\n"
    )
    plain = subprocess.run([sys.executable, "-c", script, str(tmp_path), "plain"], capture_output=True, text=True)
    assert plain.returncode != 0 and "ImportError" in plain.stderr
    sources = subprocess.run([sys.executable, "-c", script, str(tmp_path), "sources"], capture_output=True,
                             text=True)
    assert sources.returncode == 0, sources.stderr
    assert sources.stdout.split() == ["model/centre.py", "model/journey/side.py"]


@pytest.mark.parametrize("pure", ["", "1"])
def test_this_process_imports_the_engine_the_status_names(pure, monkeypatch):
    """``sim.ENGINE`` says which build runs, and the modules imported are that build."""
    script = ("import sim, sim.model.centre as c, sim.behaviour.satisfaction as s\n"
              "print(sim.ENGINE, c.__file__.endswith('.py'), s.__file__.endswith('.py'))")
    env = {"SERVSIM_PURE": pure} if pure else {}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if k != "SERVSIM_PURE"}, **env})
    assert done.returncode == 0, done.stderr
    engine, centre_py, rules_py = done.stdout.split()
    monkeypatch.delenv("SERVSIM_PURE", raising=False)
    assert engine == ("pure" if pure else compiled.status())
    assert centre_py == rules_py == str(engine != "compiled")


FINGERPRINT = r"""
import hashlib, sys
import sim
from sim.config.loader import load_config
res = sim.run(load_config(sys.argv[1], sys.argv[2:]), 2, 7)
print(sim.ENGINE)
for name in ("runs", "intervals", "days", "channels", "groups", "issues", "tiers"):
    frame = getattr(res, name)
    print(name, hashlib.sha256(frame.to_csv(float_format="%.12g").encode()).hexdigest())
"""


@pytest.mark.integration
@pytest.mark.parametrize("overrides", [
    ["horizon=3d", "warmup=0s"],
    ["horizon=3d", "warmup=0s", "channels.phone.callbacks={offer_above: 20s}", "behaviour.pressure.enabled=true",
     "behaviour.pressure.target=240s"],
])
def test_compiled_and_pure_engines_give_the_same_tables(overrides):
    """The build changes speed, not results: every table of the shipped centre (and of callbacks and a
    handle-time target) is the same from the compiled engine as from its Python source."""
    if compiled.status() != "compiled":
        pytest.skip(f"the engine is not compiled here ({compiled.status()}): `make build` compiles it")
    env = {k: v for k, v in os.environ.items() if k != "SERVSIM_PURE"}
    args = [sys.executable, "-c", FINGERPRINT, "configs/service_centre.yaml", *overrides]
    fast = subprocess.run(args, capture_output=True, text=True, env=env, check=True).stdout.split("\n")
    pure = subprocess.run(args, capture_output=True, text=True, env={**env, "SERVSIM_PURE": "1"},
                          check=True).stdout.split("\n")
    assert (fast[0], pure[0]) == ("compiled", "pure")
    assert fast[1:] == pure[1:]



def test_version_says_which_engine_runs():
    from click.testing import CliRunner

    import sim
    from sim.cli.base import ENGINE, cli

    assert set(ENGINE) == {"compiled", "pure", "stale"}
    out = CliRunner().invoke(cli, ["--version"]).output
    assert out.strip() == f"servsim {sim.__version__} (engine: {ENGINE[sim.ENGINE]})"
