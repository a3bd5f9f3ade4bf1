"""Every KPI servsim reports, in one registry: what it means, how it is labelled, its unit, which way is better.

The metrics compute them; the console, the charts, the report, the experiment files and the docs read their
names, words and units from here (``tests/test_kpis.py`` checks that every KPI computed is registered and
every registered one is computed). Per-channel KPIs (``phone_service_level``) are derived from their
all-channel entry and the channel traits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sim.config.traits import TRAITS

# Units: how a value reads. ``share`` is a fraction shown as %; ``share_per_year`` an annualised one (may pass 100%).
UNITS = ("share", "share_per_year", "seconds", "count", "money", "agents", "scale_0_1", "csat_1_5", "points",
         "people", "number", "count_per_day")
HIGHER, LOWER, NEITHER = 1, -1, 0


@dataclass(frozen=True)
class KPI:
    """One KPI: ``label`` names it in charts and tables (without its unit), ``doc`` says how it is computed."""

    name: str
    doc: str
    label: str
    unit: str
    better: int = NEITHER
    per_channel: bool = False  # also reported per channel as <channel>_<name>
    floor: float = 0.0  # the smallest value it can take (most KPIs are at least 0)

    def axis(self, currency: str = "EUR") -> str:
        """The label with its unit, for an axis or a column header."""
        unit = {"share": "%", "share_per_year": "% a year", "seconds": "s", "money": currency,
                "scale_0_1": "0-1", "csat_1_5": "1-5", "points": "points, -100 to 100",
                "count_per_day": "a day"}.get(self.unit)
        return f"{self.label} ({unit})" if unit else self.label


def _k(name: str, doc: str, label: str, unit: str, better: int = NEITHER, per_channel: bool = False,
       floor: float = 0.0) -> KPI:
    return KPI(name, doc, label, unit, better, per_channel, floor)


_BASE = (
    _k("offered", "contacts that arrived", "Contacts offered", "count", NEITHER, per_channel=True),
    _k("answered", "contacts whose service started", "Contacts answered", "count"),
    _k("abandoned", "contacts that left the queue before service", "Contacts abandoned", "count", LOWER),
    _k("in_queue_end", "contacts still queued when the run ended (not in any rate)",
       "Still queued at the end", "count", LOWER),
    _k("service_level", "answered within the threshold, over the denominator of the chosen definition",
       "Service level", "share", HIGHER, per_channel=True),
    _k("service_level_offered", "answered within the threshold / (answered + abandoned)",
       "Service level (of offered)", "share", HIGHER),
    _k("service_level_answered", "answered within the threshold / answered",
       "Service level (of answered)", "share", HIGHER),
    _k("service_level_offered_excl_short_abandons", "answered within the threshold / (answered + "
       "abandoned - short abandons)",
       "Service level (short abandons excluded)", "share", HIGHER),
    _k("asa_seconds", "average speed of answer: mean wait of answered contacts",
       "Average speed of answer", "seconds", LOWER, per_channel=True),
    _k("mean_wait_seconds", "mean wait of all contacts, abandoners counting their time until they "
       "left",
       "Mean wait", "seconds", LOWER),
    _k("p_wait", "share of arrivals who found no free agent and queued", "Contacts that waited", "share", LOWER),
    _k("abandon_rate", "abandoned / (answered + abandoned)", "Abandonment", "share", LOWER, per_channel=True),
    _k("occupancy", "agent time busy (handling + after-contact work) / agent time on duty", "Occupancy", "share"),
    _k("aht_seconds", "average handle time of answered contacts, including after-contact work",
       "Average handle time", "seconds"),
    _k("mean_queue_length", "time-average number of contacts waiting", "Queue length (time-average)", "number", LOWER),
    _k("agents_mean", "time-average number of agents on duty (all hours of the horizon, closed ones "
       "included)",
       "Agents on duty (time-average)", "agents"),
    _k("agents_busy", "time-average number of agents busy with a contact (handling or after-contact "
       "work)",
       "Agents busy (time-average)", "agents"),
    _k("first_contacts", "contacts that open an episode: offered minus repeats and redials (the same "
       "in every scenario of a sweep)",
       "First contacts", "count"),
    _k("balked", "walk-ins who saw the queue and turned away", "Walk-ins who balked", "count", LOWER),
    _k("balk_rate", "balked / offered", "Walk-ins who balked", "share", LOWER),
    _k("fcr", "first-contact resolution: contacts finished with the issue resolved / contacts "
       "finished (undefined with behaviour.resolution off)",
       "First-contact resolution", "share", HIGHER),
    _k("transfer_rate", "answered contacts transferred at least once / answered contacts",
       "Contacts transferred", "share", LOWER),
    _k("repeat_rate", "repeat contacts for an unresolved issue (including email chasers) / offered",
       "Repeat contacts (of offered)", "share", LOWER),
    _k("redial_rate", "redials / abandoned contacts", "Redials (of abandoned)", "share", LOWER),
    _k("callbacks_offered", "callers who had to queue with an expected wait above the callback threshold and were "
       "offered a call back (channels.phone.callbacks)", "Callbacks offered", "count"),
    _k("callbacks_accepted", "callbacks offered and accepted: the caller kept the place without holding",
       "Callbacks accepted", "count"),
    _k("callbacks_missed", "accepted callbacks whose call back did not reach the customer (each also counted "
       "abandoned)", "Callbacks missed", "count", LOWER),
    _k("channel_switch_rate", "contacts on another channel than their episode's first / offered",
       "Channel switches (of offered)", "share", LOWER),
    _k("frustration_mean", "remembered (peak-end) frustration of contacts that ended, 0-1",
       "Remembered frustration", "scale_0_1", LOWER),
    _k("frustration_peak_mean", "peak frustration of contacts that ended, 0-1",
       "Peak frustration", "scale_0_1", LOWER),
    _k("exhaustion_mean", "mean exhaustion (0-1) of agents on the floor, sampled at interval ends",
       "Agent exhaustion", "scale_0_1", LOWER),
    _k("csat_mean", "mean true CSAT (1-5) of served contacts, everyone's answer whether surveyed or "
       "not",
       "CSAT (mean of all served contacts)", "csat_1_5", HIGHER, floor=1.0),
    _k("csat_top_box", "share of served contacts whose true CSAT is 5",
       "CSAT top box (answering 5)", "share", HIGHER),
    _k("csat_top2_box", "share of served contacts whose true CSAT is 4 or 5 (the top-2-box benchmarks quote)",
       "CSAT top-2-box (answering 4 or 5)", "share", HIGHER),
    _k("csat_surveyed_mean", "mean CSAT of the contacts who answered the survey (response bias "
       "included)",
       "Surveyed CSAT (mean)", "csat_1_5", HIGHER, floor=1.0),
    _k("survey_response_rate", "served contacts who answered the survey / served contacts rated",
       "Survey response", "share"),
    _k("nps", "net promoter score of served contacts: % promoters - % detractors (-100 to 100)",
       "NPS", "points", HIGHER, floor=-100.0),
    _k("effort_mean", "customer effort per served contact: earlier contacts for the issue + transfers"
       " + channel switch",
       "Customer effort (extra contacts, transfers, switches)", "number", LOWER),
    _k("defection_rate", "expected share of episodes after which the customer defects at once (sum of"
       " probabilities / episodes ended, served or given up)",
       "Defection after a contact", "share", LOWER),
    _k("word_of_mouth_net", "expected net people told per episode ended (positive minus negative)",
       "Word of mouth (net people told per episode)", "people", HIGHER, floor=-math.inf),
    _k("churn_rate", "customers lost (defections after an episode plus background churn) per "
       "customer-year, annualised (needs customers.base)",
       "Churn", "share_per_year", LOWER),
    _k("active_customers_end", "active customers at the end of the period (needs customers.base)",
       "Active customers (at the end)", "count", HIGHER),
    _k("loyalty_mean", "mean loyalty state L of active customers at the end of the period, 0 = "
       "neutral (needs customers.base)",
       "Loyalty (mean state, 0 = neutral)", "number", HIGHER, floor=-math.inf),
    _k("agent_attrition_rate", "agents who quit per agent-year employed, annualised",
       "Agent attrition", "share_per_year", LOWER),
    _k("agents_employed", "time-average agents employed (positions not vacant, hires in training "
       "included)",
       "Agents employed (time-average)", "agents"),
    _k("revenue", "revenue earned by active customers during the period (tier value per year, pro "
       "rata)",
       "Revenue", "money", HIGHER),
    _k("margin", "contribution margin earned by active customers in the period: revenue x money.margin",
       "Contribution margin", "money", HIGHER),
    _k("labour_cost", "paid agent-hours x agents.NAME.hourly_cost; paid hours = the schedule (less vacant "
       "positions; with shift lines, each line's span less its unpaid breaks) / (1 - money.shrinkage), as the "
       "schedule counts time on the floor",
       "Labour cost", "money", LOWER),
    _k("training_cost", "training agent-hours off the floor x money.training_cost_per_hour, plus (with "
       "behaviour.coaching on) the evaluators' hours x behaviour.coaching.evaluator_cost_per_hour",
       "Training cost", "money", LOWER),
    _k("hiring_cost", "new hires x agents.NAME.hiring_cost (default two months' pay)", "Hiring cost", "money", LOWER),
    _k("cost_per_contact", "(labour + training + hiring cost) / answered contacts (falls when repeats pad the "
       "denominator: read it beside cost_per_resolved_issue); per channel, the cost is shared among channels by "
       "the agent-time their answered contacts took (handle time with after-contact work; idle time shared alike)",
       "Cost per contact", "money", LOWER, per_channel=True),
    _k("cost_per_resolved_issue", "(labour + training + hiring cost) / contacts that resolved their issue "
       "(COPC's cost per resolution)",
       "Cost per resolved issue", "money", LOWER),
    _k("revenue_at_risk", "yearly revenue of the customers lost in the period x money.lost_value_years (revenue, "
       "not margin: for reference; net value uses customer_value_lost)",
       "Revenue at risk", "money", LOWER),
    _k("customer_value_lost", "lifetime value of the customers lost in the period, booked at the date each "
       "leaves: yearly revenue x money.margin / (background churn + money.discount_rate)",
       "Customer value lost", "money", LOWER),
    _k("customer_value_lost_service", "customer_value_lost of customers who left right after a contact "
       "(service-caused)",
       "Customer value lost (after a contact)", "money", LOWER),
    _k("customer_value_lost_background", "customer_value_lost of customers who left by background churn",
       "Customer value lost (background churn)", "money", LOWER),
    _k("net_value", "-(labour + training + hiring cost + customer value lost): what the period costs, service "
       "and customers lost together (the margin the base earns anyway is left out, or customers lost would "
       "count twice)",
       "Net value", "money", HIGHER, floor=-math.inf),
    _k("backlog_growth", "growth per day of the contacts still waiting at the end of each day after the warm-up "
       "(least-squares trend over the days; one level per weekday from two weeks on; all channels: their sum; "
       "needs 3 days; sim/stability.py)",
       "Backlog growth", "count_per_day", LOWER, per_channel=True),
    _k("unstable", "1 if the end-of-day backlog grows by more than 2% of the daily arrivals a day (at least 1) "
       "and by more than 3 standard errors, else 0 (all channels: the number of channels flagged; "
       "sim/stability.py)",
       "Unstable channels", "count", LOWER, per_channel=True),
    _k("backlog_end", "contacts of a written channel still waiting when the run ended",
       "Backlog left at the end", "count", LOWER),
)


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: ``Service level`` -> ``service level``, ``NPS`` stays."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _per_channel(kpi: KPI, channel: str) -> KPI:
    label = TRAITS[channel].label
    doc = f"{label}: {kpi.doc}"
    if kpi.name == "service_level" and TRAITS[channel].backlog:
        doc = f"{label}: answered within the response target / answered"
    return replace(kpi, name=f"{channel}_{kpi.name}", doc=doc, label=f"{label.capitalize()} {in_sentence(kpi.label)}",
                   per_channel=False)


def _registry() -> dict[str, KPI]:
    registry = {k.name: k for k in _BASE if k.name != "backlog_end"}
    for channel, traits in TRAITS.items():
        for kpi in _BASE:
            if kpi.per_channel:
                registry[f"{channel}_{kpi.name}"] = _per_channel(kpi, channel)
        if traits.backlog:
            backlog = next(k for k in _BASE if k.name == "backlog_end")
            registry[f"{channel}_backlog_end"] = _per_channel(backlog, channel)
    return registry


REGISTRY: dict[str, KPI] = _registry()
KPIS = tuple(REGISTRY)
SUMMARY_KPIS = (  # the default summary of a run or sweep after the per-channel headline, in reading order
    "mean_wait_seconds", "p_wait", "occupancy", "aht_seconds", "mean_queue_length", "offered", "answered",
    "abandoned", "fcr", "transfer_rate", "repeat_rate", "balk_rate", "frustration_mean", "exhaustion_mean",
    "csat_mean", "csat_top_box", "csat_surveyed_mean", "nps", "defection_rate",
    "churn_rate", "loyalty_mean", "agent_attrition_rate", "cost_per_contact", "net_value",
)
# What a run leads with, per channel: each channel against its own threshold. The all-channel service level
# and ASA are not in the headline: they mix a 20 s phone target with a 24 h email one (and ASA is then mostly
# email), so they stay in the tables for whoever asks for them, never first.
HEADLINE = ("service_level", "asa_seconds", "abandon_rate")
# An experiment file that lists no ``kpis``: the all-channel headline first (right for one channel; a
# multi-channel experiment should list the per-channel ones it means, as the shipped ones do).
EXPERIMENT_KPIS = ("service_level", "asa_seconds", "abandon_rate") + SUMMARY_KPIS
CHANNEL_KPIS = tuple(k.name for k in _BASE if k.per_channel)  # reported per channel too
LOWER_IS_BETTER = frozenset(name for name, k in REGISTRY.items() if k.better == LOWER)
KPI_DOCS = {name: k.doc for name, k in REGISTRY.items()}


def headline_kpis(channels) -> tuple[str, ...]:
    """The KPIs a run's summary shows, in order: ``HEADLINE`` per channel of ``channels`` (abandonment only where
    customers can abandon), then ``SUMMARY_KPIS``."""
    return tuple(f"{c}_{name}" for c in channels for name in HEADLINE
                 if name != "abandon_rate" or TRAITS[c].abandons) + SUMMARY_KPIS


# Columns of the output tables that are not KPIs of a run (listed in docs/kpis.md): the keys, and counts and
# levels kept per interval, day or group. Charts, the Excel export and the test of every column read them from here.
KEYS = ("scenario", "scenario_name", "replication", "interval", "start_seconds", "day", "week", "tier", "channel",
        "issue", "group")
COLUMNS: dict[str, KPI] = {c.name: c for c in (
    _k("agents_scheduled", "agents on the floor by the plan in the interval, after training time off",
       "Agents scheduled", "agents"),
    _k("agents_quit", "agents who quit that day", "Agents who quit", "people", LOWER),
    _k("agents_hired", "agents hired that day (their positions were vacant)", "Agents hired", "people"),
    _k("customers_lost", "customers who churned that day (needs customers.base)", "Customers lost", "people",
       LOWER),
    _k("customers_acquired", "new customers acquired that day (needs customers.base)", "Customers acquired",
       "people"),
    _k("backlog_end", "contacts of the channel still waiting when the run ended", "Backlog left at the end",
       "count", LOWER),
    _k("handled", "contacts the group answered", "Contacts handled", "count"),
    _k("handled_share", "the group's share of all contacts answered", "Share of contacts handled", "share"),
    _k("hires", "agents the group hired over the run", "Agents hired", "people"),
    _k("quits", "agents of the group who quit over the run", "Agents who quit", "people", LOWER),
)}
# Families of columns: ``<channel>_<kpi>`` per interval, ``<group>_agents_busy``, and the day table's
# histogram bins ``csat_<1..4>``, ``csat_top`` and ``frustration_<0..5>``.
BINS = {"csat": "Served contacts with CSAT", "frustration": "Contacts ending in frustration bin"}


def describe(column: str, groups: tuple[str, ...] = ()) -> KPI | None:
    """What an output-table column is: a KPI, another registered column, one of a family (per channel, per
    agent group of ``groups``, a histogram bin), or None for a key or a name servsim does not write."""
    entry = REGISTRY.get(column) or COLUMNS.get(column)
    if entry is not None or column in KEYS:
        return entry
    for channel in TRAITS:
        if column.startswith(channel + "_") and column[len(channel) + 1:] in REGISTRY:
            return _per_channel(REGISTRY[column[len(channel) + 1:]], channel)
    group = next((g for g in groups if column == f"{g}_agents_busy"), None)
    if group is not None:
        return replace(REGISTRY["agents_busy"], name=column, label=f"{REGISTRY['agents_busy'].label}: {group}",
                       doc=f"{group}: {REGISTRY['agents_busy'].doc}")
    family, _, level = column.rpartition("_")
    if family in BINS and (level.isdigit() or level == "top"):
        return _k(column, f"{BINS[family]} {level}", f"{BINS[family]} {level}", "count")
    return None


CEILINGS = {"share": 1.0, "scale_0_1": 1.0, "csat_1_5": 5.0, "points": 100.0}  # units with a largest value


def bounds(name: str) -> tuple[float, float]:
    """The smallest and largest value ``name`` can take (unbounded for a name servsim does not describe)."""
    entry = describe(name)
    if entry is None:
        return -math.inf, math.inf
    return entry.floor, CEILINGS.get(entry.unit, math.inf)


def kpi(name: str) -> KPI:
    """The registry entry of ``name`` (``KeyError`` for a name servsim does not report)."""
    return REGISTRY[name]


def is_percent(name: str) -> bool:
    """Whether ``name`` (a KPI or another output column) is a share shown as a percentage."""
    entry = describe(name)
    return entry is not None and entry.unit in ("share", "share_per_year")


def markdown() -> str:
    """docs/kpis.md: every KPI with its unit, which way is better, and its definition (``python -m sim.kpis``)."""
    better = {HIGHER: "higher", LOWER: "lower", NEITHER: ""}
    lines = ["# KPIs", "", "Generated from the registry in `sim/kpis.py` (`python -m sim.kpis > docs/kpis.md`; a test",
             "checks it is current). Rates use contacts whose fate is known by the end of the run (answered or",
             "abandoned); contacts are counted in the interval they arrived in; each contact is measured against its",
             "own channel's threshold (`threshold`, or `response_target` for a written channel). Every KPI is also",
             "computed per day and per week: counts and money add up, customers and loyalty are the period's end,",
             "and churn and attrition are annualised.", "",
             "| KPI | unit | better | definition |", "| --- | --- | --- | --- |"]
    for name, entry in REGISTRY.items():
        lines.append(f"| `{name}` | {entry.unit.replace('_', ' ')} | {better[entry.better]} | {entry.doc} |")
    lines += ["", "## Other columns of the output tables", "",
              "Besides the KPIs and their keys (" + ", ".join(f"`{k}`" for k in KEYS) + "), the tables hold:",
              "per interval, each channel's KPIs as `<channel>_<KPI>` and each agent group's `<group>_agents_busy`;",
              "per day, the distributions `csat_1` ... `csat_4`, `csat_top` (CSAT 5) and `frustration_0` ...",
              "`frustration_5`; and these:", "", "| column | unit | better | definition |", "| --- | --- | --- | --- |"]
    for name, entry in COLUMNS.items():
        lines.append(f"| `{name}` | {entry.unit.replace('_', ' ')} | {better[entry.better]} | {entry.doc} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - the docs generator
    print(markdown(), end="")
