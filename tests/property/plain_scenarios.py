"""Scenarios the plain queue takes, drawn for the engine-agreement test: every setting the fast path allows
(``PLAIN_SETTINGS``) and every one it ignores with the behaviour model off (``IDLE_WITHOUT_BEHAVIOUR``) varies.

Runs stay small: a few hours at up to 3 calls a minute, or up to 8 days of hourly intervals expecting a few
hundred contacts in all (random day volumes and day weights may double that now and then).
tests/property/test_engines_agree.py checks that the draws vary every allowed path.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st
from test_invariants import MAX_AGENTS, MAX_HORIZON, continuous_handle_times, handle_times, patiences, seconds, seeds

from sim.config.schema import CHANNELS, ROUTING_POLICIES, SL_DEFINITIONS, WEEKDAYS

MAX_CONTACTS = 400  # about the most contacts a multi-day run expects (a few hours: up to 3 calls a minute)
NEAR_ONE = 1.0 - 5e-7  # a share the schema accepts as 1 (shares sum to 1 within 1e-6)

INTERVALS = (300.0, 900.0, 1800.0, 3600.0, 7200.0)
names = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8)
texts = st.text(max_size=20)
unit = st.floats(0.0, 1.0)
often = st.sampled_from([True] * 9 + [False])


def _sometimes_zero(values: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    return often.flatmap(lambda nonzero: values if nonzero else st.just(0.0))


def durations() -> st.SearchStrategy[dict]:
    """Handle times as the other properties draw them, and Weibull and weighted empirical ones."""
    weighted = st.integers(1, 5).flatmap(lambda n: st.builds(
        lambda vs, ws: {"dist": "empirical", "values": vs, "weights": ws},
        st.lists(seconds, min_size=n, max_size=n), st.lists(st.floats(0.1, 5.0), min_size=n, max_size=n)))
    weibull = st.builds(lambda k, s: {"dist": "weibull", "shape": k, "scale": s}, st.floats(0.3, 4.0), seconds)
    return handle_times() | weibull | weighted


def waits() -> st.SearchStrategy[dict]:
    """Patience (or tolerance) as the other properties draw it, and by lognormal, gamma or observed values."""
    return patiences() | continuous_handle_times() | durations().filter(lambda d: d["dist"] == "empirical")


def _horizon(draw) -> tuple[float, int, float]:
    """Interval, intervals and horizon: a few hours, or up to 8 days of hours (so weekdays matter)."""
    if draw(st.integers(0, 2)):  # mostly a few hours
        interval = draw(st.sampled_from(INTERVALS))
        n = draw(st.integers(1, int(MAX_HORIZON / interval)))
    else:
        interval, n = 3600.0, draw(st.integers(25, 8 * 24))
    horizon = (n - 0.5) * interval if draw(st.booleans()) else n * interval
    return interval, n, horizon


def _arrivals(draw, interval: float, n: int) -> dict:
    """A rate, a daily volume (profile, day weights) or interval volumes; sometimes random days. (A volumes
    ``file`` is read into ``volumes`` before validation: the engines never see it.)"""
    per_day = round(86400 / interval)
    most = min(3 / 60 * interval, MAX_CONTACTS / n)  # expected contacts in one interval at most
    volume = st.floats(0.1 * most, most)
    kind = draw(st.sampled_from(["rate", "daily_volume", "volumes"]))
    if kind == "rate":  # now and then a scenario nobody calls
        arrivals: dict = {"rate": draw(volume) / interval if draw(often) else 0.0}
    elif kind == "volumes":
        length = draw(st.sampled_from([per_day, 7 * per_day, n, n + 3]))
        arrivals = {"volumes": draw(st.lists(_sometimes_zero(volume), min_size=length, max_size=length))}
    else:
        weights = draw(st.lists(_sometimes_zero(st.floats(0.2, 2.0)), min_size=7, max_size=7))
        arrivals = {"daily_volume": draw(volume) * per_day / 2, "day_weights": weights}
        if draw(st.booleans()):
            profile = draw(st.lists(unit, min_size=per_day, max_size=per_day).filter(lambda p: sum(p) > 0))
            arrivals["profile"] = profile
    if draw(st.booleans()):
        arrivals["day_dispersion"] = draw(st.floats(0.01, 3.0))
    return arrivals


def _staffing(draw, interval: float, n: int) -> list[int]:
    per_day = round(86400 / interval)
    length = draw(st.sampled_from([1, per_day, 7 * per_day, n]))
    return draw(st.lists(st.integers(0, MAX_AGENTS), min_size=length, max_size=length))


def _phone(draw, interval: float, n: int) -> dict:
    phone = {
        "arrivals": _arrivals(draw, interval, n),
        "handle_time": draw(durations()),
        "patience": draw(waits()),
        "threshold": draw(st.none() | st.integers(0, 60)),
        "queue_position_info": draw(st.booleans()),
        # idle without behaviour
        "tolerance": draw(waits()),
        "tolerance_zero_share": draw(unit),
        "redial": draw(st.none() | st.just({}) | st.builds(
            lambda p, d, f: {"probability": p, "delay": d, "patience_factor": f},
            unit, durations(), st.floats(0.1, 10.0))),
        "perceived_wait_factor": draw(st.floats(0.1, 10.0)),
    }
    if draw(st.booleans()):
        phone["after_contact_work"] = draw(durations())
    return phone


def _tiers(draw) -> dict:
    """One to three tiers, with shares summing to 1 (a single one at 1 or just under)."""
    tier_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    if len(tier_names) == 1:
        shares = [draw(st.sampled_from([1.0, NEAR_ONE]))]
    else:
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(tier_names) - 1,
                                    max_size=len(tier_names) - 1)))
        shares = [(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 100])]
    return {name: {
        "share": share, "priority": draw(st.integers(-2, 2)), "patience_factor": draw(st.floats(0.25, 4.0)),
        # idle without behaviour
        "tolerance_factor": draw(st.floats(0.1, 10.0)), "hostility_weight": draw(st.floats(0.0, 100.0)),
        "value": draw(st.floats(0.0, 1000.0)),
    } for name, share in zip(tier_names, shares)}


def _customers(draw, skill: str) -> dict:
    issue = {"share": draw(st.sampled_from([1.0, NEAR_ONE])), "handle_factor": draw(st.floats(0.25, 4.0)),
             "resolution_factor": draw(st.floats(0.0, 10.0)), "skill": skill}  # the last two idle
    return {"tiers": _tiers(draw), "issues": {draw(names): issue}}


def _group(draw, interval: float, n: int, skill: str) -> dict:
    return {
        "staffing": _staffing(draw, interval, n),
        "extra_agents": draw(st.integers(-3, 3)),
        "training_hours": draw(st.just(0.0) | st.floats(0.0, 2000.0)),
        "paid_hours_per_year": draw(st.floats(100.0, 8784.0)),
        "days": draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True)),
        "hourly_cost": draw(st.floats(0.0, 100.0)),
        # idle without behaviour
        "skills": {skill: draw(st.floats(0.01, 1.0)),
                   **draw(st.dictionaries(names.filter(lambda s: s != skill), st.floats(0.01, 1.0), max_size=2))},
        "tenure": draw(durations()),
        "empathy": draw(st.none() | unit),
        "hiring_cost": draw(st.none() | st.floats(0.0, 1e5)),
    }


def _money(draw) -> dict:
    return {"currency": draw(st.text(string.ascii_uppercase, min_size=1, max_size=10)),
            "training_cost_per_hour": draw(st.floats(0.0, 100.0)), "lost_value_years": draw(st.floats(0.0, 100.0)),
            "margin": draw(unit), "discount_rate": draw(st.floats(0.01, 1.0)), "shrinkage": draw(st.floats(0.0, 0.9))}


def _behaviour(draw) -> dict:
    """The behaviour model off, its parts switched on or off and some of their coefficients moved."""
    behaviour: dict = {"enabled": False}
    parts = ("frustration", "resolution", "learning", "training", "exhaustion", "handle_time", "pressure", "empathy",
             "coaching", "satisfaction", "defection", "loyalty", "surveys", "word_of_mouth", "memory", "attrition")
    for part in draw(st.lists(st.sampled_from(parts), unique=True, max_size=len(parts))):
        behaviour[part] = {"enabled": draw(st.booleans())}
    moved = {
        ("frustration", "angry_share"): unit, ("resolution", "base"): unit, ("learning", "skill_base"): unit,
        ("exhaustion", "handle_effect"): st.floats(0.0, 10.0), ("handle_time", "frustration"): st.floats(0.0, 10.0),
        ("pressure", "target"): st.floats(10.0, 900.0), ("pressure", "cut"): unit,
        ("empathy", "time"): st.floats(0.0, 60.0), ("attrition", "monthly_quit"): unit,
        ("training", "capacity_per_week"): st.floats(1.0, 100.0), ("training", "established"): st.floats(0.0, 200.0),
        ("training", "course"): st.builds(lambda s, n: {"start": s, "length": n},
                                          st.floats(0.0, 86400.0), st.floats(3600.0, 14 * 86400.0)),
        ("coaching", "evaluations_per_month"): st.floats(0.0, 20.0),
        ("coaching", "coaching_time"): st.floats(0.0, 7200.0),
    }
    for part, field in draw(st.lists(st.sampled_from(sorted(moved)), unique=True, max_size=len(moved))):
        behaviour.setdefault(part, {})[field] = draw(moved[part, field])
    return behaviour


@st.composite
def plain_scenario_dicts(draw) -> dict:
    """A scenario the plain queue takes, every allowed setting drawn (see the module's docstring)."""
    interval, n, horizon = _horizon(draw)
    skill = draw(names)
    return {
        "name": draw(texts),
        "description": draw(texts),
        "horizon": horizon,
        "interval": interval,
        "warmup": draw(st.integers(0, n - 1)) * interval,
        "seed": draw(seeds),
        "replications": draw(st.integers(1, 100)),
        "service_level": {"threshold": draw(st.integers(0, 60)), "definition": draw(st.sampled_from(SL_DEFINITIONS)),
                          "short_abandon": draw(st.integers(0, 20))},
        "channels": {"phone": _phone(draw, interval, n)},
        "customers": _customers(draw, skill),
        "agents": {draw(names): _group(draw, interval, n, skill)},
        "money": _money(draw),
        "output": {"contacts": draw(st.booleans())},
        # idle without behaviour
        "behaviour": _behaviour(draw),
        "routing": {"policy": draw(st.sampled_from(ROUTING_POLICIES)),
                    "channel_order": draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=3, unique=True)),
                    "live_first": draw(st.booleans())},
    }
