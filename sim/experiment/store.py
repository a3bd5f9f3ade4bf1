"""Results on disk: every file is written to a temporary name and renamed, so none is ever half-written."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

import sim
from sim.experiment.outdir import OutDir
from sim.runner import Results


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place (what ``write`` returns
    is ignored)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(exc.filename or path)) from None
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)  # mkstemp makes files private; results are ordinary files
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # name the file meant, not the temporary one (or none, as pyarrow does)
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        raise


def write_json(path: Path, data: dict) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, default=str) + "\n"))


def git_commit() -> str | None:
    """The commit of the servsim source tree, when it is a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(sim.__file__).parent, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def save_results(results: Results, out: Path | OutDir, command: str | None = None) -> list[Path]:
    """Write a self-describing results directory; the manifest goes last, so its presence means complete.

    ``out`` must be new, empty, or an earlier ``servsim run --out`` directory (whose files are replaced);
    pass an ``OutDir`` already claimed to check that before simulating.
    """
    if isinstance(out, OutDir):
        out.remove_previous()
        return _write_tables(results, out.path, command)
    with OutDir(Path(out), "run") as directory:
        directory.claim()
        directory.remove_previous()
        return _write_tables(results, directory.path, command)


def _write_tables(results: Results, out: Path, command: str | None) -> list[Path]:
    tables: dict[str, pd.DataFrame | None] = {
        "runs.csv": results.runs,
        "summary.csv": results.summary,
        "days.csv": results.days,
        "weeks.csv": results.weeks,
        "tiers.csv": results.tiers,
        "channels.csv": results.channels,
        "issues.csv": results.issues,
        "groups.csv": results.groups,
        "intervals.parquet": results.intervals,
        "contacts.parquet": results.contacts,
        "trace.csv": results.trace,
    }
    written = []
    for name, frame in tables.items():
        if frame is None:
            continue
        path = out / name
        if name.endswith(".csv"):
            write_atomic(path, partial(frame.to_csv, index=False))
        else:
            write_atomic(path, partial(frame.to_parquet, index=False))
        written.append(path)
    from sim.data.excel import write_run_files  # results.xlsx, and contacts.csv in the contact-log format

    written += write_run_files(results, out)
    manifest = {
        "kind": "run",
        "servsim_version": sim.__version__,
        "git_commit": git_commit(),
        "command": command,
        "scenario": results.scenario.model_dump(mode="json", by_alias=True),
        "files": [p.name for p in written],
        **results.meta,
    }
    write_json(out / "manifest.json", manifest)
    return written + [out / "manifest.json"]
