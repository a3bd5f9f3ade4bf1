"""Read a scenario file, apply ``--set`` overrides and validate it once, at the boundary.

Every failure becomes one ``InputError`` whose message names the file, the
field path and the problem, so the CLI can print it and exit 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from sim.config import yaml12
from sim.config.distributions import DIST_NAMES
from sim.config.files import anchor_files
from sim.config.overrides import apply_overrides, parse_override, set_path
from sim.config.schema import Scenario
from sim.config.types import UNITS_REQUIRED
from sim.errors import InputError

__all__ = ["apply_overrides", "format_validation_error", "load_config", "parse_override", "read_yaml", "set_path",
           "validate"]

MAX_ERRORS_SHOWN = 5


MAX_FILE_BYTES = 10_000_000  # a scenario or experiment is a few KB; anything this big is not one
M = TypeVar("M", bound=BaseModel)  # the model ``validate`` builds


def read_yaml(path: str | Path) -> dict[str, Any]:
    """The top-level mapping of a YAML file, or an ``InputError`` saying what is wrong with it."""
    path = Path(path)
    text = _read_text(path)
    try:
        data = yaml12.load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}: not valid YAML{line}: {problem}") from None
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be a servsim file") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of settings (key: value) at the top level")
    return data


def _read_text(path: Path) -> str:
    """The file's text: a regular file of sensible size in UTF-8 (a FIFO or /dev/zero would never end)."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a YAML file")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file (a device, pipe or socket); expected a YAML file")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {path.stat().st_size:,} bytes; a servsim file is at most "
                             f"{MAX_FILE_BYTES:,}")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    return text


def validate(model: type[M], data: dict[str, Any], source: str, units_required: bool = True) -> M:
    """``model`` built from ``data``, or one ``InputError`` listing each bad field path.

    ``units_required``: durations and rates must carry units (what a user wrote); False for data the
    program built in seconds.
    """
    try:
        return model.model_validate(data, context={UNITS_REQUIRED: units_required})
    except ValidationError as exc:
        raise InputError(format_validation_error(exc, source)) from None


def format_validation_error(exc: ValidationError, source: str) -> str:
    """One readable line per problem: ``source: a.b.c: what is wrong``."""
    lines = []
    for error in exc.errors()[:MAX_ERRORS_SHOWN]:
        path = ".".join(str(p) for p in error["loc"] if p not in DIST_NAMES and not _is_type_tag(p))
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; `servsim schema` lists every key)"
        elif error["type"] == "missing":
            message = "required but missing"
        elif error["type"] == "union_tag_invalid":
            message = f"unknown distribution {error['input'].get('dist')!r}; use one of {_dist_list()}"
        elif error["type"] == "union_tag_not_found":
            message = f"needs a 'dist' key, one of {_dist_list()}"
        elif error["type"] == "model_type" or error["type"] == "model_attributes_type":
            message = f"expected a mapping of settings (key: value), got {_shown(error['input'])}"
        elif error["type"].endswith("_type") or error["type"].endswith("_parsing"):
            message = f"{message}, got {_shown(error['input'])}"
        lines.append(f"{source}: {path}: {message}" if path else f"{source}: {message}")
    hidden = len(exc.errors()) - MAX_ERRORS_SHOWN
    if hidden > 0:
        lines.append(f"... and {hidden} more problem(s)")
    return "\n".join(lines)


def _shown(value: object) -> str:
    """A short rendering of the value the user gave."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_type_tag(part: object) -> bool:
    """Pydantic puts union branch names like ``int`` or ``list[...]`` in error paths; users never wrote them."""
    return isinstance(part, str) and (part in {"int", "float", "str", "bool"} or "[" in part)


def _dist_list() -> str:
    return ", ".join(sorted(DIST_NAMES))


def load_config(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """The validated scenario in ``path`` with ``overrides`` (``a.b.c=VALUE``) applied."""
    overrides = list(overrides)
    data = anchor_files(apply_overrides(read_yaml(path), overrides, Scenario), Path(path).parent)
    source = str(path) + (" (with --set)" if overrides else "")
    return validate(Scenario, data, source)
