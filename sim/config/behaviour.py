"""Coefficients of the behavioural model, each defaulting to the evidence note (research, section 2).

Every part can be switched off (``enabled: false``); with ``behaviour: {enabled: false}``
the engine is the plain queue that Erlang A describes. docs/model.md gives each
equation with its source and grade.
"""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from sim.config.coaching import Coaching
from sim.config.course import Course
from sim.config.distributions import HandleTime
from sim.config.parts import Coefficient, Share, _Part
from sim.config.satisfaction import Defection, Loyalty, Memory, Satisfaction, Surveys, WordOfMouth
from sim.config.types import Duration, HoursAmount, PositiveDuration


def _lognormal_by_median(median_seconds: float, sigma: float) -> dict:
    """A lognormal given as median and log-sd, in the mean/cv form the schema uses."""
    return {"dist": "lognormal", "mean": f"{median_seconds * math.exp(sigma**2 / 2)!r}s",
            "cv": math.sqrt(math.expm1(sigma**2))}


class Frustration(_Part):
    """Per-episode frustration F in [0, 1] (2.4): what raises it, what eases it, how it is remembered."""

    angry_share: Share = 0.15  # SQM 14% complaint callers; Wang et al. 20-25%
    angry_low: Share = 0.2  # F0 ~ Uniform(angry_low, angry_high) for angry arrivals
    angry_high: Share = 0.5
    wait_coefficient: Coefficient = 0.05  # per tolerance multiple of perceived wait beyond tolerance
    wait_cap: Share = 0.4  # most that waiting adds in one episode
    transfer_warm: Share = 0.10
    transfer_cold: Share = 0.15
    repeat_transfer_factor: Coefficient = 2.0  # from the 2nd transfer of an episode on
    repeat_contact: Share = 0.18
    channel_switch: Share = 0.10
    redial: Share = 0.05
    overtaking: Share = 0.05  # walk-in: each later, higher-priority customer served first
    empathy_factor: Share = 0.7  # F <- factor * F when the agent shows empathy (prob. = agent empathy)
    peak_weight: Share = 0.5  # remembered F = w * peak + (1 - w) * end

    @model_validator(mode="after")
    def _ordered(self) -> Frustration:
        if self.angry_low > self.angry_high:
            raise ValueError("angry_low must not exceed angry_high")
        return self


class Resolution(_Part):
    """First-contact resolution, transfers and repeat contacts (2.5)."""

    base: Share = 0.555  # p_res = (base + skill_slope * s) * issue factor * (1 - f_pen F) * (1 - e_pen E)
    skill_slope: Share = 0.275
    frustration_penalty: Share = 0.1
    exhaustion_penalty: Share = 0.15
    transfer_base: Share = 0.12  # P(transfer) = transfer_base + transfer_skill_slope * (1 - s)
    transfer_skill_slope: Share = 0.17
    cold_transfer_share: Share = 0.5
    max_transfers: int = Field(default=3, ge=0, le=10)
    repeat_probability: Share = 0.9  # an unresolved customer comes back ...
    repeat_delay: HandleTime = Field(default_factory=lambda: _lognormal_by_median(86400.0, 1.0), validate_default=True)
    repeat_same_channel: Share = 0.7  # ... on the same channel with this probability
    max_contacts: int = Field(default=6, ge=1, le=50)  # contacts per episode before the customer gives up


class Learning(_Part):
    """Skill, empathy and resilience from training hours and tenure; the tenure learning curve on AHT (2.5, 2.8)."""

    skill_base: Share = 0.6  # s_inf(h) = skill_base + skill_gain * (1 - exp(-h / training_scale))
    skill_gain: Share = 0.3
    training_scale_hours: Annotated[HoursAmount, Field(gt=0, le=10_000)] = 40.0
    new_hire_skill_gap: Share = 0.29  # s = s_inf - gap * exp(-tenure / tenure_scale)
    tenure_scale: PositiveDuration = Field(default="3mo", validate_default=True)
    aht_new_hire_excess: Coefficient = 0.95  # AHT x (1 + excess * exp(-tenure / tenure_scale))
    empathy_base: Share = 0.5  # e = (empathy_base + empathy_gain * (1 - exp(-h / scale))) * (1 - 0.5 E)
    empathy_gain: Share = 0.3
    resilience_gain: Share = 0.5  # r = resilience_gain * (1 - exp(-h / scale))


class Training(_Part):
    """Training as delivered (docs/model.md section 6.1): ``agents.<g>.training_hours`` a year build a retained
    stock that ramps up as they are delivered, transfers in part, and decays without refreshers (``established``
    hours a year before the run, then ``training_hours`` from its start); new hires start with none; trainers
    deliver at most ``capacity_per_week`` trainee-hours a week."""

    transfer: Share = 0.62  # share of training applied on the job (Saks & Belcourt 2006: 62% immediately)
    # decay time constant (fit to Saks & Belcourt: 62/44/34% at 0/6/12 mo)
    retention_time: PositiveDuration = Field(default="20mo", validate_default=True)
    established: Annotated[HoursAmount, Field(ge=0, le=2000)] = 0.0  # staff start with the stock this many hours
    # a year maintained before the run (a programme already running); 0: training starts with the run
    capacity_per_week: Annotated[HoursAmount, Field(gt=0)] | None = None  # trainee-hours a week; none: unlimited
    course: Course | None = None  # the year's hours given in a window of weeks (section 6.1); none: spread evenly


class Exhaustion(_Part):
    """Agent exhaustion E in [0, 1]: builds with hostile contacts, recovers when idle (2.8)."""

    per_contact: Coefficient = 0.002  # E += (per_contact + hostility * F_start) * (1 - 0.5 r) * tier weight
    hostility: Coefficient = 0.04
    # idle: E <- E exp(-idle / recovery_time)
    recovery_time: PositiveDuration = Field(default="30min", validate_default=True)
    between_shifts: Share = 0.5  # E <- factor * E when an agent comes back on shift
    empathy_effect: Share = 0.5  # empathy x (1 - effect * E)
    handle_effect: Coefficient = 0.2  # AHT x (1 + effect * E)


class Empathy(_Part):
    """What empathy costs (docs/model.md section 7.1): time on the contact, more for a recovery; and, when a
    decree (``agents.<g>.empathy``) asks for more empathy than the agent's own, surface acting, which tires
    the agent and helps the customer less. Empathy the agent has (from training) is deep acting, at no
    emotional-labour cost."""

    # added to an empathetic contact (Singh et al. 2018: ~7 s before it crowds out solving)
    time: Duration = Field(default="7s", validate_default=True)
    # more on a failure (arrived angry, or a follow-up): listen, apologise (illustrative)
    recovery_time: Duration = Field(default="30s", validate_default=True)
    surface_acting: Coefficient = 0.01  # E += this per surface-acted contact (illustrative; Huelsheger & Schewe 2011)
    surface_effect: Share = 0.5  # share of the easing and of the apology that surface acting delivers (illustrative)


class Attrition(_Part):
    """Agents quit with a monthly probability q0 exp(ln(multiplier) E30), E30 = their exhaustion at shift ends
    averaged over about 30 days; a leaver's seat stays empty for ``vacancy``, then a hire trains for ``induction``
    off the floor and starts at tenure 0 (2.8: GCC report, QATC, Cinareo)."""

    monthly_quit: Share = 0.024  # about 25% a year at low stress (Global Call Center Report lower bound, B->D)
    exhaustion_multiplier: Annotated[float, Field(ge=1, le=100)] = 3.0  # a fully exhausted agent quits 3x as often (D)
    vacancy: PositiveDuration = Field(default="34d", validate_default=True)  # days a seat stays empty (Cinareo, C)
    # a hire's training before taking contacts (Cinareo, C)
    induction: PositiveDuration = Field(default="40d", validate_default=True)


class HandleTimeEffects(_Part):
    """How the customer's frustration at the start of service lengthens handling (2.5)."""

    frustration: Coefficient = 0.15  # AHT x (1 + coefficient * F_start)


class Pressure(_Part):
    """A handle-time target and both its sides (docs/model.md section 9): long contacts are cut short, which
    frees capacity, at a cost in resolution, agent strain, customers who feel rushed, and, under strong
    pressure, contacts got rid of (passed on early or released unresolved). Off by default."""

    enabled: bool = False
    target: PositiveDuration = Field(default="5min", validate_default=True)  # contacts running longer are cut ...
    cut: Share = 0.5  # ... by this share of the time beyond the target
    resolution_penalty: Coefficient = 1.0  # p_res x max(0, 1 - penalty * share of the contact cut) (illustrative)
    strain: Coefficient = 0.002  # E += (strain + strain_cut * share cut) (1 - r/2) per contact worked to a target
    strain_cut: Coefficient = 0.02  # (illustrative; direction: Deery et al. 2002, Wegge et al. 2007)
    rushed: Share = 0.3  # F += rushed * share cut: the customer feels rushed (illustrative)
    dumping: Share = 0.2  # chance a contact running past dump_after x target is got rid of (illustrative)
    dump_after: Annotated[float, Field(ge=1, le=100)] = 2.0  # strong pressure: beyond this multiple of the target
    dump_transfer_share: Share = 0.5  # of those got rid of: passed on early (a transfer); the rest released unresolved


def _off_shorthand(value: object) -> object:
    """``behaviour: off`` (or ``false``) switches the whole model off."""
    return {"enabled": False} if value in (False, "off") else value


class Behaviour(_Part):
    """The behavioural model; ``enabled: false`` switches every part off at once."""

    frustration: Frustration = Frustration()
    resolution: Resolution = Resolution()
    learning: Learning = Learning()
    training: Training = Training()
    exhaustion: Exhaustion = Exhaustion()
    handle_time: HandleTimeEffects = HandleTimeEffects()
    pressure: Pressure = Pressure()
    empathy: Empathy = Empathy()
    coaching: Coaching = Coaching()
    satisfaction: Satisfaction = Satisfaction()
    defection: Defection = Defection()
    loyalty: Loyalty = Loyalty()
    surveys: Surveys = Surveys()
    word_of_mouth: WordOfMouth = WordOfMouth()
    memory: Memory = Memory()
    attrition: Attrition = Attrition()

    def on(self, part: str) -> bool:
        """Whether ``part`` is active (the master switch and its own)."""
        return self.enabled and getattr(self, part).enabled


BehaviourField = Annotated[Behaviour, BeforeValidator(_off_shorthand)]
