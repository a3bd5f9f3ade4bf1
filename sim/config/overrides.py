"""``--set a.b.c=VALUE`` and experiment factors: change a value of a scenario, never invent one.

Keys are checked against the schema by validation afterwards, but the names of agent groups, tiers,
issue types and skills are the user's own, so a typo there (``agents.phone_tem.staffing``) would
silently create a new group. Such a name must already exist in the base file (or be a default one);
a new entry is added only on purpose, with ``+``: ``agents.+evening.staffing=4``.
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.config import yaml12
from sim.errors import InputError

ADD = "+"  # prefix of a name that adds a new entry to a named collection


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split ``a.b.c=VALUE`` into a key path and a YAML-typed value (``12`` is an int, ``4min`` a string)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip() or any(not part for part in key.strip().split(".")):
        raise InputError(f"--set {text!r}: expected KEY.PATH=VALUE, e.g. agents.phone_team.extra_agents=2")
    try:
        value = yaml12.load(raw) if raw.strip() else ""
    except (yaml12.yaml.YAMLError, RecursionError):
        value = raw
    return key.strip().split("."), value


def set_path(data: dict[str, Any], keys: list[str], value: Any, where: str,
             model: type[BaseModel] | None = None) -> dict[str, Any]:
    """A copy of ``data`` with ``value`` at the key path ``keys``; missing mappings are created.

    With ``model`` (the schema ``data`` follows), a name in a named collection must exist already
    unless it is written ``+name``.
    """
    data = copy.deepcopy(data)
    node, shape = data, model
    names = [*keys]
    for depth, key in enumerate(keys):
        names[depth], shape = _step(node, key, shape, ".".join(names[:depth]), where)
        if depth == len(keys) - 1:
            break
        child = node.get(names[depth])
        if child is None:
            child = node[names[depth]] = {}
        if not isinstance(child, dict):
            raise InputError(f"{where}: {'.'.join(names[: depth + 1])} is a single value, "
                             f"it has no field {keys[depth + 1]!r}")
        node = child
    node[names[-1]] = value
    return data


def apply_overrides(data: dict[str, Any], overrides: Iterable[str], model: type[BaseModel] | None = None
                    ) -> dict[str, Any]:
    """A copy of ``data`` with each ``a.b.c=VALUE`` set; validation happens afterwards."""
    for text in overrides:
        keys, value = parse_override(text)
        data = set_path(data, keys, value, f"--set {text}", model)
    return data


def _step(node: dict[str, Any], key: str, shape: Any, parent: str, where: str) -> tuple[str, Any]:
    """The key to use at this level (``+`` removed) and the schema shape below it."""
    collection = _collection(shape)
    if collection is None:
        if key.startswith(ADD):
            raise InputError(f"{where}: '{ADD}' adds a named entry (an agent group, tier, issue or skill); "
                             f"{parent or 'the top level'} has fixed keys")
        return key, _field(shape, key)
    known, value_shape = collection
    existing = list(node) if node else known
    if key.startswith(ADD):
        name = key[len(ADD):]
        if not name:
            raise InputError(f"{where}: '{ADD}' needs a name after it")
        if name in existing:
            raise InputError(f"{where}: {parent}.{name} exists already; drop the '{ADD}' to change it")
        return name, value_shape
    if key not in existing:
        have = ", ".join(existing) or "none"
        raise InputError(f"{where}: {parent} has no {key!r} (it has: {have}); to add a new one "
                         f"on purpose write {parent}.{ADD}{key}")
    return key, value_shape


def _collection(shape: Any) -> tuple[list[str], Any] | None:
    """For a ``dict[str, V]`` field: (names it has by default, V); None for anything else."""
    if not isinstance(shape, _Field):
        return None
    annotation = _unwrap(shape.annotation)
    if typing.get_origin(annotation) is not dict or _unwrap(typing.get_args(annotation)[0]) is not str:
        return None
    default = shape.default()
    return list(default) if isinstance(default, dict) else [], _Field(typing.get_args(annotation)[1], lambda: None)


def _model_field(model: type[BaseModel], key: str) -> FieldInfo | None:
    """Field ``key`` of ``model``, by name or alias."""
    return model.model_fields.get(key) or next((f for f in model.model_fields.values() if f.alias == key), None)


def _field(shape: Any, key: str) -> Any:
    """The schema shape of field ``key`` of ``shape`` (None where it cannot be told, e.g. inside a union)."""
    if isinstance(shape, _Field):
        shape = _unwrap(shape.annotation)
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        info = _model_field(shape, key)
        if info is not None:
            return _Field(info.annotation, lambda: info.get_default(call_default_factory=True))
    return None


class _Field:
    """A field's annotation and a way to get its default value."""

    def __init__(self, annotation: Any, default) -> None:
        self.annotation, self.default = annotation, default


def _unwrap(annotation: Any) -> Any:
    """``Annotated[X, ...]`` and ``X | None`` -> ``X``; a union of several types stays as it is."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation
