"""servsim's build: the package as in pyproject.toml, with the engine compiled by mypyc where a C compiler is.

The engine (``sim.compiled.ENGINE``: the event loop and the behavioural equations) is compiled into C
extensions beside its sources: about twice the contacts per second, the same results (the tests compare
both builds). Without a C compiler, or with ``SERVSIM_PURE=1``, servsim installs as plain Python and runs
the same code uncompiled. After a successful build the source hashes go into ``sim/_compiled.json``, which
``sim.compiled`` checks at import, so an edited source is never shadowed by an older compiled module.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def _compiled_module():
    """``sim/compiled.py`` loaded by path (importing ``sim`` would import the engine choice itself)."""
    spec = importlib.util.spec_from_file_location("_servsim_compiled", ROOT / "sim" / "compiled.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildEngine(build_ext):
    """Compiles the engine with mypyc; on any failure it says so and leaves servsim pure Python."""

    def finalize_options(self) -> None:
        if not os.environ.get("SERVSIM_PURE") and not self.distribution.ext_modules:
            try:
                from mypyc.build import mypycify

                os.chdir(ROOT)
                paths = [str(p.relative_to(ROOT)) for p in _compiled_module().engine_sources(ROOT / "sim").values()]
                self.distribution.ext_modules = mypycify(paths, group_name="sim._engine")
            except Exception as error:  # noqa: BLE001  (a mypyc limit: the pure build still works)
                _not_compiled(error)
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        compiled = _compiled_module()
        record = ROOT / "sim" / compiled.BUILD_RECORD
        record.unlink(missing_ok=True)  # until this build succeeds, the engine imports from its sources
        if not self.extensions:
            return
        try:
            super().run()
        except Exception as error:  # noqa: BLE001  (no C compiler: the pure build still works)
            _not_compiled(error)
            return
        hashes = {name: compiled.digest(path) for name, path in compiled.engine_sources(ROOT / "sim").items()}
        inplace = self.inplace or getattr(self, "editable_mode", False)
        for target in {record, *(() if inplace else (Path(self.build_lib) / "sim" / compiled.BUILD_RECORD,))}:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")


def _not_compiled(error: Exception) -> None:
    print(f"servsim: the engine was not compiled ({type(error).__name__}: {error}); it runs as Python, about "
          "half as fast", file=sys.stderr)


class EngineDistribution(Distribution):
    def has_ext_modules(self) -> bool:  # so that ``build_ext`` runs (it makes its extensions itself)
        return not os.environ.get("SERVSIM_PURE")


setup(cmdclass={"build_ext": BuildEngine}, distclass=EngineDistribution)
