"""Coefficients of the per-contact customer outcomes: satisfaction, recommendation, defection, loyalty,
surveys and word of mouth, each defaulting to the evidence note (research, sections 2.6, 2.7, 2.9, 2.10).

Grades as in the note: A peer-reviewed, B practitioner benchmark, C vendor/poll, D assumption or
calibration made in the note; "B->D" is a calibration of an assumed form to a B source. Table 2.11 of
the note (reproduced by tests/unit/test_satisfaction.py) checks these defaults against SQM.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from sim.config.parts import Coefficient, Share, _Part
from sim.config.types import PositiveDuration

CutPoint = Annotated[float, Field(ge=-10, le=10)]  # on the latent scale, where eps ~ N(0, 1)


def _answer_keys(value: object) -> object:
    """CSAT answers as keys: ``1`` and ``"1"`` (as JSON writes it) are the same answer."""
    if isinstance(value, dict):
        return {int(k) if isinstance(k, str) and k.strip().isdigit() else k: v for k, v in value.items()}
    return value


def _as_tuple(value: object) -> object:
    """YAML gives lists; the schema keeps a fixed number of cut points as a tuple."""
    return tuple(value) if isinstance(value, list) else value


DAY = 86400.0
CSAT_ANSWERS = (1, 2, 3, 4, 5)


class Satisfaction(_Part):
    """Latent satisfaction of a contact, z = -b_R (1 - R) - b_F F_eff + b_emp A + eps, and the two answers
    read from it by ordered probit: CSAT 1-5 and the recommend (NPS) bucket (2.6)."""

    b_R: Coefficient = 1.17  # cost of leaving the issue unresolved; calibrated to SQM NPS -27 / top box (B->D)
    b_F: Coefficient = 2.2  # per unit of remembered frustration; SQM -15% top box per extra call (B->D)
    b_emp: Coefficient = 0.5  # apology/empathy after a failure; half of CCMC's 37->74% shift, range 0.3-1.0 (D)
    # z < cut[k] -> CSAT k + 1, else 5; a resolved calm contact gives 82% "5" (SQM non-complaint top box, B),
    # 12% "4", 4% "3", 1% "2", 1% "1" (D)
    csat_cuts: Annotated[tuple[CutPoint, CutPoint, CutPoint, CutPoint], BeforeValidator(_as_tuple)] = (
        -2.326, -2.054, -1.555, -0.915)
    # z_R = z + gamma L: detractor below nps_detractor, passive below nps_passive, else promoter;
    # a resolved calm contact: 10% detractors, 65% promoters, NPS +55 (SQM pattern, B->D)
    nps_detractor: CutPoint = -1.282
    nps_passive: CutPoint = -0.385
    gamma: Coefficient = 0.5  # weight of the loyalty state L on recommendation (D)

    @model_validator(mode="after")
    def _increasing(self) -> Satisfaction:
        if any(a >= b for a, b in zip(self.csat_cuts, self.csat_cuts[1:])):
            raise ValueError(f"csat_cuts must be strictly increasing, got {list(self.csat_cuts)}")
        if self.nps_detractor >= self.nps_passive:
            raise ValueError("nps_detractor must be below nps_passive")
        return self


class Defection(_Part):
    """Immediate defection after a contact, p = kappa Phi(intercept + slope z) (2.7)."""

    # Phi(intercept + slope z) is the *stated* intention, averaging 5% / 9% / 24% over eps for a resolved
    # calm / one-repeat / unresolved contact: SQM 5 / 9 / 25% (B->D)
    intercept: Annotated[float, Field(ge=-10, le=10)] = -2.742
    slope: Annotated[float, Field(ge=-10, le=0)] = -1.333  # must not rise with satisfaction
    # intention -> behaviour (Mittal & Kamakura response bias; D, range 0.3-0.8): the low end, so that the shipped
    # centre's annual churn lands in the industry's 10-20% with service-caused churn a minority (issue 14)
    kappa: Share = 0.3
    # only the intention the contact's failures add over a perfect contact to the same customer (their eps)
    # turns into defection: the 5% a resolved calm contact states is background churn (servsim, issue 14)
    caused_by_contact: bool = True


class Loyalty(_Part):
    """Slow loyalty state L, updated asymmetrically outside an indifference band and decaying between
    contacts: dL = alpha_n [gain_weight max(0, z - delta_plus) - max(0, -delta_minus - z)],
    alpha_n = alpha / (1 + alpha_decay n) (2.7; Bolton anchoring, Mittal et al./CEB asymmetry)."""

    delta_plus: Coefficient = 0.99  # P(z > delta_plus) = 16% for a good contact: CEB "delight 16%" (B->D)
    delta_minus: Coefficient = 1.34  # P(z < -delta_minus) = 9% for a good contact: CEB 9% more disloyal (B->D)
    gain_weight: Share = 0.25  # delight adds little: loss weight 4x gain weight (CEB, B->D)
    alpha: Share = 0.3  # learning rate of the first episode (D; Bolton anchoring)
    alpha_decay: Coefficient = 0.1  # alpha_n = alpha / (1 + alpha_decay n), n = episodes so far (D)
    # L decays toward 0 between contacts (D; cf. Aflaki & Popescu)
    time_constant: PositiveDuration = Field(default="180d", validate_default=True)
    # background churn hazard h = background_churn exp(-churn_sensitivity L) per year (2.7; business-specific, D)
    background_churn: Share = 0.10
    churn_sensitivity: Coefficient = 1.0


class Memory(_Part):
    """A customer whose last episode went badly (abandoned, balked or unresolved) is less patient next time:
    patience x (1 - (1 - patience_factor) exp(-since / time_constant)) (Emadi & Swaminathan, direction A;
    size as the redial factor of 2.3, D)."""

    patience_factor: Share = 0.8
    time_constant: PositiveDuration = Field(default="90d", validate_default=True)  # a bad episode's memory fades (D)


class Surveys(_Part):
    """Post-contact survey: offered with a probability, answered with r0 m(CSAT) (2.9)."""

    offer_probability: Share = 1.0  # share of contacts offered a survey (servsim scenario choice)
    response_base: Share = 0.10  # r0, automated post-contact survey (VocaLabs: automated < 1%, live 20-40%; C)
    # m(CSAT): extreme answers respond more (D; the direction of non-response bias is disputed)
    response_factor: Annotated[dict[int, Annotated[float, Field(ge=0, le=100)]], BeforeValidator(_answer_keys)] = Field(
        default_factory=lambda: {1: 1.5, 2: 1.2, 3: 1.0, 4: 1.0, 5: 1.2}
    )

    @model_validator(mode="after")
    def _every_answer(self) -> Surveys:
        if sorted(self.response_factor) != list(CSAT_ANSWERS):
            raise ValueError(f"response_factor needs exactly the CSAT answers 1-5, got {sorted(self.response_factor)}")
        return self


class WordOfMouth(_Part):
    """Who tells others at the end of an episode, and how many people on average (2.7, SQM via the note)."""

    positive_probability: Share = 0.41  # CSAT 5 and resolved: 41% tell (SQM, B)
    positive_mean: Coefficient = 1.0  # ... about 1 person (SQM, B)
    negative_probability: Share = 0.74  # unresolved and CSAT <= 2: 74% tell (SQM, B)
    negative_mean: Coefficient = 5.0  # ... about 5 people (SQM, B; high-stakes 9-10 TARP, 28 CCMC 2013)
    other_probability: Share = 0.3  # any other outcome (D)
    other_mean: Coefficient = 1.0  # (D)
