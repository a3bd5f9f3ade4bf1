"""Read a scenario file, apply ``--set`` overrides and validate it once, at the boundary.

Every failure becomes one ``InputError`` whose message names the file, the
field path and the problem, so the CLI can print it and exit 2.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from sim.config.distributions import DIST_NAMES
from sim.config.files import anchor_files
from sim.config.schema import Scenario
from sim.errors import InputError

MAX_ERRORS_SHOWN = 5


def read_yaml(path: str | Path) -> dict[str, Any]:
    """The top-level mapping of a YAML file, or an ``InputError`` saying what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a YAML file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{path}: not valid YAML{line}: {problem}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping of settings (key: value) at the top level")
    return data


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``a.b.c=VALUE`` into a key path and a YAML-typed value (``12`` is an int, ``4min`` a string)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip() or any(not part for part in key.strip().split(".")):
        raise InputError(f"--set {text!r}: expected KEY.PATH=VALUE, e.g. agents.phone_team.staffing=12")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key.strip().split("."), value


def set_path(data: dict[str, Any], keys: list[str], value: Any, where: str) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at the key path ``keys``; missing mappings are created."""
    data = copy.deepcopy(data)
    node = data
    for depth, key in enumerate(keys[:-1]):
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            path = ".".join(keys[: depth + 1])
            raise InputError(f"{where}: {path} is a single value, it has no field {keys[depth + 1]!r}")
        node = child
    node[keys[-1]] = value
    return data


def apply_overrides(data: dict[str, Any], overrides: Iterable[str]) -> dict[str, Any]:
    """A copy of ``data`` with each ``a.b.c=VALUE`` set; validation happens afterwards."""
    for text in overrides:
        keys, value = parse_override(text)
        data = set_path(data, keys, value, f"--set {text}")
    return data


def validate(model: type[BaseModel], data: dict[str, Any], source: str) -> BaseModel:
    """``model`` built from ``data``, or one ``InputError`` listing each bad field path."""
    try:
        return model.model_validate(data)
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
        lines.append(f"{source}: {path}: {message}" if path else f"{source}: {message}")
    hidden = len(exc.errors()) - MAX_ERRORS_SHOWN
    if hidden > 0:
        lines.append(f"... and {hidden} more problem(s)")
    return "\n".join(lines)


def _is_type_tag(part: object) -> bool:
    """Pydantic puts union branch names like ``int`` or ``list[...]`` in error paths; users never wrote them."""
    return isinstance(part, str) and (part in {"int", "float", "str", "bool"} or "[" in part)


def _dist_list() -> str:
    return ", ".join(sorted(DIST_NAMES))


def load_config(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """The validated scenario in ``path`` with ``overrides`` (``a.b.c=VALUE``) applied."""
    overrides = list(overrides)
    data = anchor_files(apply_overrides(read_yaml(path), overrides), Path(path).parent)
    source = str(path) + (" (with --set)" if overrides else "")
    return validate(Scenario, data, source)
