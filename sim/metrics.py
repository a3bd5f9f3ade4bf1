"""KPIs from a run's tallies: per interval, per day and per run, and across replications with 95% intervals.

Rates use contacts whose fate is known (answered or abandoned); contacts still
queued when the run ends are counted in ``in_queue_end`` and left out of rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.behaviour import coaching as coaching_rules
from sim.config.schema import CHANNELS, DAY, SL_DEFINITIONS, Scenario
from sim.config.traits import TRAITS
from sim.kpis import CHANNEL_KPIS, KPI_DOCS, KPIS, SUMMARY_KPIS
from sim.records import CENTRE_LEVELS, CONTACT_FIELDS, COUNT_FIELDS, LEVEL_FIELDS, SUM_FIELDS, RunOutput
from sim.stability import backlog_growth

YEAR = 365.25 * DAY
SNAPSHOTS = ("snapshot", "customers_end", "loyalty_sum_end")  # taken at day ends: a period keeps its last one

CHANNEL_RUN_KPIS = CHANNEL_KPIS  # run-level KPIs also given per channel (sim.kpis)


def kpis_from_sums(sums: pd.DataFrame, definition: str) -> pd.DataFrame:
    """KPI columns computed row by row from summed tallies (the rows may be intervals, days or runs)."""
    s = sums
    known = s["answered"] + s["abandoned"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(index=s.index)
        for name in ("offered", "answered", "abandoned", "in_queue_end"):
            out[name] = s[name]
        out["service_level_offered"] = s["answered_within"] / known
        out["service_level_answered"] = s["answered_within"] / s["answered"]
        out["service_level_offered_excl_short_abandons"] = s["answered_within"] / (known - s["short_abandoned"])
        out.insert(4, "service_level", out[f"service_level_{definition}"])
        out["asa_seconds"] = s["wait_answered_sum"] / s["answered"]
        out["mean_wait_seconds"] = (s["wait_answered_sum"] + s["wait_abandoned_sum"]) / known
        out["p_wait"] = s["delayed"] / s["offered"]
        out["abandon_rate"] = s["abandoned"] / known
        out["occupancy"] = s["busy_area"] / s["staffed_area"]
        out["aht_seconds"] = s["handle_sum"] / s["answered"]
        out["mean_queue_length"] = s["queue_area"] / s["length_seconds"]
        out["agents_mean"] = s["staffed_area"] / s["length_seconds"]
        out["agents_busy"] = s["busy_area"] / s["length_seconds"]
        out["first_contacts"] = s["offered"] - s["repeats"] - s["redials"]
        out["balked"] = s["balked"]
        out["balk_rate"] = s["balked"] / s["offered"]
        out["fcr"] = s["resolved"] / s["finished"]
        out["transfer_rate"] = s["transfers"] / s["answered"]
        out["repeat_rate"] = s["repeats"] / s["offered"]
        out["redial_rate"] = s["redials"] / s["abandoned"]
        out["channel_switch_rate"] = s["switches"] / s["offered"]
        for name in ("callbacks_offered", "callbacks_accepted", "callbacks_missed"):
            out[name] = s[name]
        out["frustration_mean"] = s["frustration_sum"] / s["frustrated_n"]
        out["frustration_peak_mean"] = s["frustration_peak_sum"] / s["frustrated_n"]
        out["csat_mean"] = s["csat_sum"] / s["rated"]
        out["csat_top_box"] = s["csat_top"] / s["rated"]
        out["csat_top2_box"] = (s["csat_top"] + s["csat_4"]) / s["rated"]
        out["csat_surveyed_mean"] = s["surveyed_csat_sum"] / s["surveyed"]
        out["survey_response_rate"] = s["surveyed"] / s["rated"]
        out["nps"] = 100 * (s["promoters"] - s["detractors"]) / s["rated"]
        out["effort_mean"] = s["effort_sum"] / s["rated"]
        out["defection_rate"] = s["defection_sum"] / s["episodes"]
        out["word_of_mouth_net"] = s["word_of_mouth_sum"] / s["episodes"]
        if "exhaustion_end" in s:
            out["exhaustion_mean"] = s["exhaustion_end"] / s["on_floor_end"]
        if "customer_area" in s:
            _customer_and_money_kpis(s, out)
    return out.replace([np.inf, -np.inf], np.nan)


def _customer_and_money_kpis(s: pd.DataFrame, out: pd.DataFrame) -> None:
    """The customer base, agent attrition and money, from the centre's per-interval columns."""
    taken = s["snapshot"] > 0
    out["churn_rate"] = (s["churned"] / s["customer_area"] * YEAR).where(s["customer_area"] > 0)
    out["active_customers_end"] = s["customers_end"].where(taken)
    out["loyalty_mean"] = (s["loyalty_sum_end"] / s["customers_end"]).where(taken)
    out["agent_attrition_rate"] = s["quits"] / s["employed_area"] * YEAR
    out["agents_employed"] = s["employed_area"] / s["length_seconds"]
    for name in MONEY_COLUMNS:
        out[name] = s[name]
    out["customer_value_lost_background"] = s["customer_value_lost"] - s["customer_value_lost_service"]
    out["margin"] = s["margin"]
    cost = s["labour_cost"] + s["training_cost"] + s["hiring_cost"]
    out["cost_per_contact"] = cost / s["answered"]
    out["cost_per_resolved_issue"] = cost / s["resolved"]
    out["net_value"] = 0.0 - cost - s["customer_value_lost"]  # 0.0 - : no -0.0 in the tables when nothing is spent


MONEY_COLUMNS = ("revenue", "labour_cost", "training_cost", "hiring_cost", "revenue_at_risk", "margin",
                 "customer_value_lost", "customer_value_lost_service")
_SUMMED = list(COUNT_FIELDS + SUM_FIELDS + LEVEL_FIELDS + CENTRE_LEVELS + MONEY_COLUMNS[1:]) + [
    "length_seconds", "exhaustion_end", "on_floor_end", "employed_area", "quits", "hires"]


def lifetime_value_factor(scenario: Scenario) -> float:
    """Years of margin a retained customer is worth: margin / (h0 + discount rate).

    A customer who stays leaves at the background hazard h0 a year (``behaviour.loyalty.background_churn``,
    0 with the loyalty part off); their margin, discounted continuously at ``money.discount_rate``, is worth
    the integral of margin e^{-(h0 + d) t} dt = margin / (h0 + d) times their yearly revenue.
    """
    b = scenario.behaviour
    h0 = b.loyalty.background_churn if b.on("loyalty") else 0.0
    return scenario.money.margin / (h0 + scenario.money.discount_rate)


def money_by_interval(levels: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Costs, margin and the value of customers lost per interval, priced from the run's levels.

    Labour is the paid agent-time of each group at its hourly cost, grossed up for shrinkage (the plan
    counts time on the floor; paid time is that / (1 - ``money.shrinkage``)); training, the agent-time
    taken off the floor at ``money.training_cost_per_hour``, plus, with coaching on, the evaluators' time for
    the evaluations of the agents paid (``behaviour.coaching``); hiring, each hire at the group's cost per
    hire; margin, ``money.margin`` of the revenue; customer value lost, each lost customer's lifetime
    value (``lifetime_value_factor``) booked when they leave; revenue at risk, the yearly revenue of the
    customers lost times ``money.lost_value_years`` (the older, revenue-based measure).
    """
    money = scenario.money
    frame = pd.DataFrame(index=levels.index)
    frame["labour_cost"] = sum(levels[f"paid_area.{g}"] / 3600.0 * spec.hourly_cost
                               for g, spec in scenario.agents.items()) / (1.0 - money.shrinkage)
    frame["training_cost"] = levels["training_area"] / 3600.0 * money.training_cost_per_hour
    if scenario.behaviour.on("coaching"):  # the evaluators' time, with the training it complements (section 6.2)
        coaching = scenario.behaviour.coaching
        frame["training_cost"] += sum(coaching_rules.cost(coaching, levels[f"paid_area.{g}"] / 3600.0,
                                                          spec.paid_hours_per_year)
                                      for g, spec in scenario.agents.items())
    frame["hiring_cost"] = sum(levels[f"hires.{g}"] * spec.cost_per_hire for g, spec in scenario.agents.items())
    frame["revenue_at_risk"] = levels["value_lost"] * money.lost_value_years
    frame["margin"] = levels["revenue"] * money.margin
    clv = lifetime_value_factor(scenario)
    frame["customer_value_lost"] = levels["value_lost"] * clv
    frame["customer_value_lost_service"] = levels["value_defected"] * clv
    return frame


def _aggregate(sums: pd.DataFrame, key) -> pd.DataFrame:
    """Sum interval rows per ``key`` (a day, a week, the run); snapshots keep the period's last value."""
    how = {name: ("last" if name in SNAPSHOTS else "sum") for name in _SUMMED}
    return sums[_SUMMED].groupby(key).agg(how)


def _interval_sums(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """Contact sums over channels, joined to the interval levels and the money they price."""
    counts = output.sums.groupby("interval", observed=True)[list(CONTACT_FIELDS)].sum()
    levels = output.levels.set_index("interval")
    return counts.join(levels).join(money_by_interval(levels, scenario))


def interval_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per interval: start time, day, scheduled agents and every KPI."""
    sums = _interval_sums(output, scenario)
    frame = kpis_from_sums(sums, scenario.service_level.definition)
    frame.insert(0, "start_seconds", sums["start_seconds"])
    frame.insert(1, "day", (sums["start_seconds"] // DAY).astype(int))
    frame.insert(2, "agents_scheduled", sums["agents_scheduled"])
    return frame.reset_index()


def _after_warmup(sums: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    return sums[sums["start_seconds"] >= scenario.warmup - 1e-9]


def run_kpis(output: RunOutput, scenario: Scenario) -> dict[str, float]:
    """The whole run's KPIs (intervals before the warm-up left out), with headline KPIs per channel."""
    sums = _after_warmup(_interval_sums(output, scenario), scenario)
    total = _aggregate(sums, np.zeros(len(sums), dtype=int))
    kpis = kpis_from_sums(total, scenario.service_level.definition).iloc[0].to_dict()
    by_channel = channel_kpis(output, scenario).set_index("channel")
    for channel in CHANNELS:
        for name in CHANNEL_RUN_KPIS:
            known = channel in by_channel.index and name in by_channel.columns
            kpis[f"{channel}_{name}"] = by_channel.at[channel, name] if known else np.nan
    growth = [kpis[f"{c}_backlog_growth"] for c in by_channel.index]
    flags = [kpis[f"{c}_unstable"] for c in by_channel.index]
    kpis["backlog_growth"] = float(np.nansum(growth)) if not np.isnan(growth).all() else np.nan
    kpis["unstable"] = float(np.nansum(flags)) if not np.isnan(flags).all() else np.nan
    for channel, traits in TRAITS.items():
        if traits.backlog:
            backlog = output.levels.get(f"backlog_end.{channel}")
            kpis[f"{channel}_backlog_end"] = float(backlog.iloc[-1]) if backlog is not None else np.nan
    return {name: float(value) for name, value in kpis.items()}  # plain floats: numpy ints would reach JSON as strings


def daily_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per day (after the warm-up)."""
    return _periodic(output, scenario, DAY, "day")


def weekly_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per week of the horizon (after the warm-up; the last week may be partial)."""
    return _periodic(output, scenario, 7 * DAY, "week")


def _periodic(output: RunOutput, scenario: Scenario, period: float, name: str) -> pd.DataFrame:
    sums = _after_warmup(_interval_sums(output, scenario), scenario)
    key = (sums["start_seconds"] // period).astype(int).rename(name)
    return kpis_from_sums(_aggregate(sums, key), scenario.service_level.definition).reset_index()


def _by(output: RunOutput, scenario: Scenario, column: str | list[str]) -> pd.DataFrame:
    """Contact KPIs per channel, tier or issue type (after the warm-up); agent-level KPIs are left out."""
    sums = output.breakdown.groupby(column, observed=False)[list(CONTACT_FIELDS)].sum()
    for name in LEVEL_FIELDS + ("length_seconds",):
        sums[name] = np.nan
    frame = kpis_from_sums(sums, scenario.service_level.definition)
    return frame.drop(columns=["occupancy", "mean_queue_length", "agents_mean", "agents_busy"]).reset_index()


TIER_CHANNEL_KPIS = ("service_level", "asa_seconds", "abandon_rate")  # a tier's waits, channel by channel


def tier_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per customer tier; with more than one channel also each channel's waits for the tier
    (``phone_asa_seconds`` ...), since a tier's pooled ASA averages email hours with phone seconds; with a
    customer base also the tier's churn and the value of the customers it lost."""
    frame = _by(output, scenario, "tier")
    channels = list(output.breakdown["channel"].cat.categories)
    if len(channels) >= 2:
        per = _by(output, scenario, ["tier", "channel"]).pivot(index="tier", columns="channel",
                                                               values=list(TIER_CHANNEL_KPIS))
        per.columns = [f"{channel}_{kpi}" for kpi, channel in per.columns]
        frame = frame.merge(per.reset_index().astype({"tier": frame["tier"].dtype}), on="tier", how="left")
    return _with_tier_churn(frame, output, scenario)


def _with_tier_churn(frame: pd.DataFrame, output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """Each tier's churn rate and customer value lost, from the per-tier levels of the customer base."""
    levels = _after_warmup(output.levels, scenario)
    tiers = [str(t) for t in frame["tier"]]
    if not tiers or any(f"tier_churned.{t}" not in levels for t in tiers):
        return frame

    def total(field: str) -> np.ndarray:
        return np.array([levels[f"{field}.{t}"].sum() for t in tiers])

    area, clv = total("tier_customer_area"), lifetime_value_factor(scenario)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["churn_rate"] = np.where(area > 0, total("tier_churned") / area * YEAR, np.nan)
    frame["customer_value_lost"] = total("tier_value_lost") * clv
    frame["customer_value_lost_service"] = total("tier_value_defected") * clv
    return frame


def issue_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per issue type."""
    return _by(output, scenario, "issue")


def channel_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per channel, with its own queue length and the backlog left at the end."""
    frame = _by(output, scenario, "channel")
    levels = _after_warmup(output.levels, scenario)
    channels = list(frame["channel"])
    frame["mean_queue_length"] = [levels[f"queue_area.{c}"].sum() / levels["length_seconds"].sum() for c in channels]
    frame["backlog_end"] = [output.levels[f"backlog_end.{c}"].iloc[-1] for c in channels]
    trends = backlog_growth(output.levels, dict(zip(channels, frame["offered"].astype(float))), channels,
                            scenario.warmup)
    frame["backlog_growth"] = [trends[c][0] for c in channels]
    frame["unstable"] = [trends[c][1] for c in channels]
    if "customer_area" in levels:  # the full engine prices its levels
        frame["cost_per_contact"] = _allocated_cost(levels, scenario, frame)
    return frame


def _allocated_cost(levels: pd.DataFrame, scenario: Scenario, frame: pd.DataFrame) -> pd.Series:
    """Each channel's fully loaded cost per answered contact: the cost shared by handle time (activity-based).

    Groups serve several channels, so labour (idle time included), training and hiring are allocated to a
    channel in proportion to the agent-time its answered contacts took (handle time, after-contact work
    included); the channels' costs add up to the run's.
    """
    money = money_by_interval(levels, scenario)
    cost = float(money[["labour_cost", "training_cost", "hiring_cost"]].to_numpy().sum())
    handle = frame["aht_seconds"].fillna(0.0) * frame["answered"]
    total = float(handle.sum())
    return (cost * handle / total / frame["answered"]) if total > 0 else handle * np.nan


def group_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per agent group: agents on the floor, occupancy, contacts handled and their share, exhaustion."""
    levels = _after_warmup(output.levels, scenario)
    length = levels["length_seconds"].sum()
    handled_total = levels["handled"].sum()
    rows = []
    for group in scenario.agents:
        busy, staffed = levels[f"busy_area.{group}"].sum(), levels[f"staffed_area.{group}"].sum()
        handled, on_floor = levels[f"handled.{group}"].sum(), levels[f"on_floor_end.{group}"].sum()
        quits, employed = levels[f"quits.{group}"].sum(), levels[f"employed_area.{group}"].sum()
        rows.append({
            "group": group,
            "agents_mean": staffed / length,
            "occupancy": busy / staffed if staffed else np.nan,
            "handled": handled,
            "handled_share": handled / handled_total if handled_total else np.nan,
            "exhaustion_mean": levels[f"exhaustion_end.{group}"].sum() / on_floor if on_floor else np.nan,
            "quits": quits,
            "hires": levels[f"hires.{group}"].sum(),
            "agent_attrition_rate": quits / employed * YEAR if employed else np.nan,
        })
    return pd.DataFrame(rows)


def confidence_interval(values: pd.Series, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t interval over replications (NaN bounds with fewer than two)."""
    values = values.dropna()
    n = len(values)
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def summarise(runs: pd.DataFrame, kpis: tuple[str, ...] = KPIS, level: float = 0.95) -> pd.DataFrame:
    """One row per KPI: mean, ci_low, ci_high and the number of replications."""
    rows = []
    for name in kpis:
        mean, low, high = confidence_interval(runs[name], level)
        rows.append({"kpi": name, "mean": mean, "ci_low": low, "ci_high": high, "n": int(runs[name].notna().sum())})
    return pd.DataFrame(rows)


__all__ = [
    "KPIS", "KPI_DOCS", "SL_DEFINITIONS", "SUMMARY_KPIS", "channel_kpis", "confidence_interval", "daily_kpis",
    "group_kpis", "interval_kpis", "issue_kpis", "kpis_from_sums", "run_kpis", "summarise", "tier_kpis",
    "weekly_kpis",
]
