"""The customers section of the scenario: tiers, issue types and the optional base of known customers."""

from __future__ import annotations

import math

from pydantic import Field, model_validator

from sim.config.section import _Section


class Tier(_Section):
    """A customer tier: share of arrivals, queue priority (higher first), patience and tolerance factors, value."""

    share: float = Field(ge=0, le=1)
    priority: int = 0
    patience_factor: float = Field(default=1.0, gt=0, le=1000)
    tolerance_factor: float = Field(default=1.0, gt=0, le=1000)  # priority customers expect more: 0.8 (2.2)
    hostility_weight: float = Field(default=1.0, ge=0, le=100)  # weight of their anger on agents: 1.5 (2.8)
    value: float = Field(default=0.0, ge=0)  # revenue per customer per year


class IssueType(_Section):
    """A kind of issue: share of contacts, skill needed, and how it scales handle time and resolution (2.5)."""

    share: float = Field(ge=0, le=1)
    skill: str = "general"
    handle_factor: float = Field(default=1.0, gt=0, le=100)  # simple 0.6, standard 1.0, complex 1.8
    resolution_factor: float = Field(default=1.0, ge=0, le=10)  # simple 1.15, standard 1.0, complex 0.75


def _default_tiers() -> dict[str, Tier]:
    return {"regular": Tier(share=1.0)}


def _default_issues() -> dict[str, IssueType]:
    return {"standard": IssueType(share=1.0)}


def _shares_sum_to_one(named: dict, what: str) -> None:
    total = sum(t.share for t in named.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"{what} shares must sum to 1, they sum to {total:g}")


class CustomerBase(_Section):
    """A population of ``size`` known customers with loyalty and memory; the configured demand is theirs.

    Each arrival is one of them (drawn uniformly); customers who churn stop contacting, so demand
    falls with the base; ``new_per_day`` new customers fill the seats churn left empty (by default as
    many as background churn takes at neutral loyalty, so a neutral base holds steady).
    """

    size: int = Field(ge=1, le=10_000_000)
    new_per_day: float | None = Field(default=None, ge=0, le=1_000_000)


class Customers(_Section):
    tiers: dict[str, Tier] = Field(default_factory=_default_tiers, min_length=1, max_length=100)
    issues: dict[str, IssueType] = Field(default_factory=_default_issues, min_length=1, max_length=100)
    base: CustomerBase | None = None  # none: every contact is an anonymous customer (no loyalty, no churn)

    @model_validator(mode="after")
    def _shares(self) -> Customers:
        _shares_sum_to_one(self.tiers, "tier")
        _shares_sum_to_one(self.issues, "issue")
        return self
