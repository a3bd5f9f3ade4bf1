"""A results directory servsim may write into: its own (a servsim manifest is there) or a new or empty one.

Nothing a user put there is ever deleted or overwritten: a non-empty directory without a servsim
manifest is refused, and starting afresh removes only the files the previous manifest lists as
servsim's. A lock file holding the writer's pid keeps two writers out of one directory; a lock left
by a process that no longer runs is taken over.
"""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path

from sim.errors import InputError

MANIFEST = "manifest.json"
LOCK = ".servsim.lock"
PART = re.compile(r"^s\d{4,}_r\d{4,}(\.[a-z]+)?\.(json|parquet)$|^s\d{4,}_r\d{4,}\.error\.json$")


def read_manifest(directory: Path) -> dict | None:
    """The directory's servsim manifest, None if it has none; a damaged one is an ``InputError``."""
    path = directory / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: damaged, not a servsim manifest ({exc}); move the directory away or "
                         "choose another --out") from None
    if not isinstance(manifest, dict) or "servsim_version" not in manifest:
        raise InputError(f"{path}: not written by servsim; servsim writes only into an empty directory or one "
                         "it made (choose another --out)")
    return manifest


def kind_of(manifest: dict) -> str:
    """``sweep`` or ``run`` (manifests from before the ``kind`` key are told apart by their fields)."""
    return manifest.get("kind") or ("sweep" if "fingerprint" in manifest else "run")


class OutDir:
    """Holds a results directory for one writer: checked, locked, and cleaned of servsim's old files only."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind = Path(path), kind
        self.previous: dict | None = None
        self._locked = False
        self._created = False

    def claim(self) -> dict | None:
        """Create or check the directory and lock it; returns the previous manifest (None if there was none)."""
        path = self.path
        if path.exists() and not path.is_dir():
            raise InputError(f"{path}: exists and is not a directory; choose another --out")
        if path.is_dir() and any(p.name != LOCK for p in path.iterdir()):
            self.previous = read_manifest(path)
            if self.previous is None:
                raise InputError(f"{path}: not empty and not a servsim results directory (no {MANIFEST}); "
                                 "servsim writes only into a new or empty directory or one it made, so nothing of "
                                 "yours is touched: choose another --out")
            if kind_of(self.previous) != self.kind:
                raise InputError(f"{path}: holds the results of `servsim {kind_of(self.previous)}`, not of "
                                 f"`servsim {self.kind}`; choose another --out")
        self._created = not path.exists()
        path.mkdir(parents=True, exist_ok=True)
        self._lock()
        return self.previous

    def remove_previous(self, also: tuple[str, ...] = ()) -> None:
        """Start afresh: delete the files the previous manifest lists (and servsim's run parts and ``also``)."""
        if self.previous is None:
            return
        names = [*self.previous.get("files", []), *self.previous.get("report_files", []), *also]
        for name in names:
            target = (self.path / name).resolve()
            if target.parent == self.path.resolve() or self.path.resolve() in target.parents:
                target.unlink(missing_ok=True)
        parts = self.path / "runs"
        if parts.is_dir():
            for part in parts.iterdir():
                if PART.match(part.name):
                    part.unlink()

    def release(self) -> None:
        """Remove the lock (only if this process holds it)."""
        if self._locked:
            (self.path / LOCK).unlink(missing_ok=True)
            self._locked = False

    def __enter__(self) -> OutDir:
        return self

    def __exit__(self, error_type, *_) -> None:
        self.release()
        if error_type is not None and self._created and not any(self.path.iterdir()):
            self.path.rmdir()  # made for a write that never happened: leave no trace

    def _lock(self) -> None:
        lock = self.path / LOCK
        me = f"{os.getpid()}@{socket.gethostname()}"
        for _ in range(3):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = _read(lock)
                if holder is not None and _alive(holder):
                    raise InputError(f"{self.path}: in use by another servsim (pid {holder}); wait until it "
                                     "finishes or choose another --out") from None
                lock.unlink(missing_ok=True)  # left by a process that died: take it over
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(me + "\n")
            self._locked = True
            return
        raise InputError(f"{lock}: cannot take the lock (another servsim keeps taking it)")


def _read(lock: Path) -> str | None:
    try:
        return lock.read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _alive(holder: str) -> bool:
    """Whether the process ``pid@host`` still runs; one on another host is assumed to."""
    pid, _, host = holder.partition("@")
    if host and host != socket.gethostname():
        return True
    if pid == str(os.getpid()):
        return False  # this very process left it (an earlier call that was interrupted)
    try:
        os.kill(int(pid), 0)
    except ValueError:
        return False
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
