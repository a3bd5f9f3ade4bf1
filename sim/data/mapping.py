"""Column mapping: how a centre's own export (ACD, CRM) names the fields of servsim's contact-log format.

A small YAML, validated like every servsim file::

    columns:            # servsim field: the export's column
      arrival_time: Call Start
      wait_seconds: Queue Time
      outcome: Disposition
      handle_seconds: Talk Time
      customer_id: ANI
    constants:          # a field the export lacks, the same on every row
      channel: phone
    units:              # durations not in seconds: s, min, h or hh:mm:ss
      wait_seconds: hh:mm:ss
    values:             # the export's codes for servsim's values
      outcome: {ANS: answered, ABN: abandoned}
    timestamp_format: "%d/%m/%Y %H:%M:%S"   # default ISO 8601 (2024-01-01 08:30:00)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field

from sim.config.loader import read_yaml, validate

FIELDS = ("arrival_time", "channel", "queue", "tier", "wait_seconds", "outcome", "handle_seconds", "acw_seconds",
          "agent_id", "customer_id", "resolved", "transferred")
DURATION_FIELDS = ("wait_seconds", "handle_seconds", "acw_seconds")
Field_ = Literal["arrival_time", "channel", "queue", "tier", "wait_seconds", "outcome", "handle_seconds",
                 "acw_seconds", "agent_id", "customer_id", "resolved", "transferred"]
Unit = Literal["s", "min", "h", "hh:mm:ss"]
K = TypeVar("K", bound=str)
V = TypeVar("V")


class ColumnMap(BaseModel):
    """Which column of the file is which field of the contact-log format (``docs/data.md``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[Field_, str] = Field(default_factory=dict)
    constants: dict[Literal["channel", "queue", "tier"], str] = Field(default_factory=dict)
    units: dict[Literal["wait_seconds", "handle_seconds", "acw_seconds"], Unit] = Field(default_factory=dict)
    values: dict[Literal["channel", "outcome", "resolved", "transferred", "tier", "queue"], dict[str, str]] = \
        Field(default_factory=dict)
    timestamp_format: str | None = None

    def column(self, field: str) -> str:
        """The file's column for ``field`` (the field's own name when not mapped)."""
        return _read(self.columns).get(field, field)

    def codes(self, field: str) -> dict[str, str] | None:
        """The export's codes for ``field``'s values (code -> servsim value), when mapped."""
        return _read(self.values).get(field)

    def unit(self, field: str) -> Unit:
        """The unit of duration ``field`` in the file (seconds when not mapped)."""
        return _read(self.units).get(field, "s")


def _read(mapping: Mapping[K, V]) -> Mapping[str, V]:
    """A mapping keyed by field names (Literal types) read with any name: a lookup, never a write, so it is safe."""
    return cast("Mapping[str, V]", mapping)


def load_mapping(path: str | Path | None) -> ColumnMap:
    """The mapping in ``path``, or the identity mapping (the file uses servsim's names)."""
    if path is None:
        return ColumnMap()
    return validate(ColumnMap, read_yaml(path), str(path))
