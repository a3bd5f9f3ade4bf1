"""Per-contact customer outcomes (evidence note 2.6, 2.7, 2.9): latent satisfaction, the CSAT and recommend
answers read from it, defection, the loyalty state, survey response and word of mouth.

The engine calls ``latent``, ``defection_probability`` and the loyalty functions once per contact, on
floats; the answers read from z (CSAT, NPS bucket, survey response, word of mouth) are counted for a
day's contacts at once (``sim.model.ledger``), so those functions take numpy arrays as well as numbers.
The random draws (``epsilon`` ~ N(0, 1), the uniform ``u``) come from the caller. ``expected_outcomes``
is the closed-form counterpart for calibration and tests: it integrates the same equations over eps.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import special

from sim.config.satisfaction import CSAT_ANSWERS, Defection, Loyalty, Memory, Satisfaction, Surveys, WordOfMouth

DETRACTOR, PASSIVE, PROMOTER = -1, 0, 1
SCORE_RANGES = {DETRACTOR: (0, 6), PASSIVE: (7, 8), PROMOTER: (9, 10)}  # 0-10 answers of each NPS bucket
_SQRT2 = math.sqrt(2.0)
YEAR_DAYS = 365.25


def phi(x):
    """Standard normal CDF (``erfc`` form: accurate far into the lower tail); a float or an array."""
    if isinstance(x, float):
        return 0.5 * math.erfc(-x / _SQRT2)
    return 0.5 * special.erfc(-np.asarray(x, dtype=float) / _SQRT2)


def service_failure(anger: float, contacts: int) -> bool:
    """Whether a contact involves a failure before its outcome (2.6): the customer arrived angry
    (``anger`` > 0) or this is not the episode's first contact (``contacts`` so far, this one included)."""
    return anger > 0.0 or contacts > 1


def latent(
    p: Satisfaction,
    resolved: bool,
    remembered_frustration: float,
    apology: float,
    epsilon: float,
    failure: bool = False,
) -> float:
    """``z = -b_R (1 - R) - b_F F_eff + b_emp A + eps``; ``apology`` is A in [0, 1] (1: a genuine apology, less
    when surface acted, section 7.1 of docs/model.md).

    ``remembered_frustration`` is the peak-end F of the contact (frustration.remembered). The apology
    counts (A = 1) only when the contact involved a failure: ``failure`` says the customer arrived
    angry/complaining or this is a repeat contact for the issue; an unresolved contact is a failure by
    itself. An apology after a smooth, resolved contact changes nothing (2.6).
    """
    z = epsilon - p.b_F * remembered_frustration
    if not resolved:
        z -= p.b_R
    if apology and (failure or not resolved):
        z += p.b_emp * apology
    return z


def effort(contacts: int, transfers: int, switched: bool) -> int:
    """The effort index (docs/model.md 10.3): the episode's earlier contacts (``contacts - 1``), its transfers so
    far, and 1 if this contact is on another channel than the episode's first (``switched``)."""
    return contacts - 1 + transfers + switched


def csat(p: Satisfaction, z):
    """The 1-5 answer: 1 below the first cut-point, one more for each cut-point reached (``z == cut`` goes up)."""
    return 1 + np.searchsorted(p.csat_cuts, z, side="right")


def recommend_bucket(p: Satisfaction, z, loyalty):
    """NPS bucket of ``z_R = z + gamma L``: -1 detractor, 0 passive, 1 promoter."""
    z_r = np.asarray(z) + p.gamma * np.asarray(loyalty)
    return np.where(z_r < p.nps_detractor, DETRACTOR, np.where(z_r < p.nps_passive, PASSIVE, PROMOTER))


def recommend_score(bucket: int, u: float) -> int:
    """A 0-10 answer uniform within the bucket (detractor 0-6, passive 7-8, promoter 9-10); ``u`` in [0, 1)."""
    lo, hi = SCORE_RANGES[bucket]
    n = hi - lo + 1
    return lo + min(n - 1, max(0, int(u * n)))


def defection_intent(p: Defection, z: float) -> float:
    """Stated intention to leave, ``Phi(intercept + slope z)`` (before the intention-to-behaviour factor)."""
    return phi(p.intercept + p.slope * z)


def defection_probability(p: Defection, z, epsilon=0.0):
    """Probability the customer leaves after this contact (numpy-friendly).

    ``kappa max(0, Phi(intercept + slope z) - Phi(intercept + slope eps))`` with ``p.caused_by_contact``: only
    the intention the contact's failures add to what the same customer (their own eps) would state after a
    perfect contact, which background churn already counts (docs/model.md 10.2); else the note's
    ``kappa Phi(intercept + slope z)``.
    """
    if isinstance(z, float) and isinstance(epsilon, float):  # one contact (the engine): the same arithmetic
        return p.kappa * _defection_intent_of_contact(p, z, epsilon)  # without numpy's per-call overhead
    intent = phi(np.asarray(p.intercept + p.slope * np.asarray(z)))
    if p.caused_by_contact:
        intent = np.maximum(0.0, intent - phi(np.asarray(p.intercept + p.slope * np.asarray(epsilon))))
    return p.kappa * intent if np.ndim(intent) else p.kappa * float(intent)


def _defection_intent_of_contact(p: Defection, z: float, epsilon: float) -> float:
    """``defection_probability``'s intent for floats: the same operations (``special.erfc`` as in ``phi``'s
    array form, so the value is bit for bit the one the array form gives)."""
    intent = 0.5 * float(special.erfc(-(p.intercept + p.slope * z) / _SQRT2))
    if p.caused_by_contact:
        intent = max(0.0, intent - 0.5 * float(special.erfc(-(p.intercept + p.slope * epsilon) / _SQRT2)))
    return intent


def loyalty_change(p: Loyalty, z: float, n_episodes: int) -> float:
    """``alpha_n [gain_weight max(0, z - delta_plus) - max(0, -delta_minus - z)]``, ``alpha_n = alpha / (1 + decay n)``.

    Zero inside the indifference band ``[-delta_minus, delta_plus]``; a loss of the same size beyond the
    band weighs ``1 / gain_weight`` times a gain. ``n_episodes`` is the customer's episodes so far.
    """
    alpha = p.alpha / (1.0 + p.alpha_decay * n_episodes)
    return alpha * (p.gain_weight * max(0.0, z - p.delta_plus) - max(0.0, -p.delta_minus - z))


def loyalty_update(p: Loyalty, loyalty: float, z: float, n_episodes: int) -> float:
    """L after a contact with latent satisfaction ``z``."""
    return loyalty + loyalty_change(p, z, n_episodes)


def loyalty_decay(p: Loyalty, loyalty, seconds):
    """L after ``seconds`` without contact: exponential decay toward 0 (floats, or arrays for the whole base)."""
    if isinstance(seconds, float):
        return loyalty * math.exp(-seconds / p.time_constant)
    return loyalty * np.exp(-np.asarray(seconds) / p.time_constant)


def churn_probability(p: Loyalty, loyalty, days: float):
    """Chance of leaving in ``days`` from the background hazard ``h0 exp(-beta L)`` per year (numpy-friendly)."""
    return -np.expm1(-p.background_churn * np.exp(-p.churn_sensitivity * loyalty) * days / YEAR_DAYS)


def patience_memory(p: Memory, since_bad: float) -> float:
    """Patience factor ``seconds`` after a bad episode: ``patience_factor`` at once, fading back to 1."""
    return 1.0 - (1.0 - p.patience_factor) * math.exp(-since_bad / p.time_constant)


def survey_response_probability(p: Surveys, csat_answer):
    """Probability that an offered survey is answered: ``r0 m(CSAT)``, at most 1."""
    factor = np.array([p.response_factor[a] for a in CSAT_ANSWERS])
    return np.minimum(1.0, p.response_base * factor[np.asarray(csat_answer) - 1])


def word_of_mouth(p: WordOfMouth, resolved: bool, csat_answer: int) -> tuple[float, float, int]:
    """(probability of telling others, mean number told, sign) at the end of an episode.

    Resolved with CSAT 5: positive (+1); unresolved with CSAT <= 2: negative (-1); anything else: the
    note gives only a probability and a mean, no valence, so the sign is 0 (neutral/mixed).
    """
    if resolved and csat_answer == 5:
        return p.positive_probability, p.positive_mean, 1
    if not resolved and csat_answer <= 2:
        return p.negative_probability, p.negative_mean, -1
    return p.other_probability, p.other_mean, 0


def word_of_mouth_net(p: WordOfMouth, resolved, csat_answer):
    """Expected net people told at the end of an episode (``word_of_mouth``: probability x mean x sign)."""
    resolved, answer = np.asarray(resolved, dtype=bool), np.asarray(csat_answer)
    positive, negative = resolved & (answer == 5), ~resolved & (answer <= 2)
    return np.where(positive, p.positive_probability * p.positive_mean,
                    np.where(negative, -p.negative_probability * p.negative_mean, 0.0))


def expected_outcomes(
    p: Satisfaction,
    mu: Any,
    defection: Defection | None = None,
    loyalty: Loyalty | None = None,
    loyalty_state: float = 0.0,
) -> dict[str, Any]:
    """Exact outcome shares for latent mean(s) ``mu`` with eps ~ N(0, 1) (vectorised over ``mu``).

    Keys: ``csat_shares`` (P(CSAT = 1..5), last axis), ``top_box``, ``mean_csat``, ``detractors``,
    ``promoters``, ``nps`` (promoters - detractors in points, recommendation at loyalty ``loyalty_state``),
    ``defection_intent`` (E[Phi(intercept + slope z)] = Phi((intercept + slope mu) / sqrt(1 + slope^2)),
    before kappa), ``loyalty_gain`` / ``loyalty_loss`` (P(z > delta_plus), P(z < -delta_minus)).
    Scalars for a scalar ``mu``, arrays otherwise; defaults for the sections not given.
    """
    import numpy as np
    from scipy.stats import norm

    defection = defection or Defection()
    loyalty = loyalty or Loyalty()
    m = np.asarray(mu, dtype=float)
    below = norm.cdf(np.asarray(p.csat_cuts) - m[..., None])  # P(z < cut_k)
    shares = np.diff(below, prepend=0.0, append=1.0, axis=-1)
    z_r = m + p.gamma * loyalty_state
    detractors = norm.cdf(p.nps_detractor - z_r)
    promoters = norm.sf(p.nps_passive - z_r)
    out = {
        "csat_shares": shares,
        "top_box": shares[..., -1],
        "mean_csat": 1.0 + (1.0 - below).sum(axis=-1),
        "detractors": detractors,
        "promoters": promoters,
        "nps": 100.0 * (promoters - detractors),
        "defection_intent": norm.cdf((defection.intercept + defection.slope * m) / math.sqrt(1.0 + defection.slope**2)),
        "loyalty_gain": norm.sf(loyalty.delta_plus - m),
        "loyalty_loss": norm.cdf(-loyalty.delta_minus - m),
    }
    if m.ndim == 0:
        return {k: (v if k == "csat_shares" else float(v)) for k, v in out.items()}
    return out
