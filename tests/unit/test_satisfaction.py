"""Per-contact customer outcomes (sim/behaviour/satisfaction.py) against the evidence note
(docs/evidence/satisfaction-evidence.md, sections 2.6, 2.7, 2.9 and the calibration table 2.11)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sim.behaviour import frustration as fr
from sim.behaviour import satisfaction as sat
from sim.config.behaviour import Frustration
from sim.config.satisfaction import Defection, Loyalty, Satisfaction, Surveys, WordOfMouth

S, D, LO, SV, W, F = Satisfaction(), Defection(), Loyalty(), Surveys(), WordOfMouth(), Frustration()
DAY = 86400.0
share = st.floats(0, 1)
z_values = st.floats(-8, 8)
loyalty_values = st.floats(-5, 5)


def mean_z(resolved: bool, frustration: float) -> float:
    """Latent mean of a contact (eps = 0, no apology), remembered frustration from its F path."""
    return sat.latent(S, resolved, fr.remembered(F, frustration, frustration), False, 0.0)


# --- table 2.11: each row's latent mean from the equation and the default increments ------------------------

ROWS = {  # contact type -> (F_eff, resolved, note's mu, top box, mean CSAT, NPS)
    "resolved, calm": (0.0, True, 0.0, 0.82, 4.73, 55),
    "resolved after 1 repeat": (fr.raised(0.0, F.repeat_contact), True, -0.40, 0.70, 4.50, 31),
    "resolved, 1 warm transfer": (fr.transfer_increment(F, 1, cold=False), True, -0.22, 0.76, 4.61, 42),
    "resolved after 2 repeats": (fr.raised(F.repeat_contact, F.repeat_contact), True, -0.79, 0.55, 4.16, 3),
    "unresolved, calm": (0.0, False, -1.17, 0.40, 3.74, -24),
    "angry caller (F0 = 0.35), resolved": (0.35, True, -0.77, 0.56, 4.18, 5),
    "waited 4 x tolerance, resolved": (fr.wait_increment(F, 240.0, 60.0, 0.0), True, -0.33, 0.72, 4.55, 35),
}


@pytest.mark.parametrize(("frustration", "resolved", "mu_note"), [r[:3] for r in ROWS.values()], ids=list(ROWS))
def test_each_rows_latent_mean_follows_from_the_equation(frustration, resolved, mu_note):
    assert mean_z(resolved, frustration) == pytest.approx(mu_note, abs=0.01)


@pytest.mark.parametrize(("frustration", "resolved", "top", "mean", "nps"),
                         [r[:2] + r[3:] for r in ROWS.values()], ids=list(ROWS))
def test_table_2_11_csat_and_nps(frustration, resolved, top, mean, nps):
    out = sat.expected_outcomes(S, mean_z(resolved, frustration))
    assert out["top_box"] == pytest.approx(top, abs=0.02)
    assert out["mean_csat"] == pytest.approx(mean, abs=0.05)
    assert out["nps"] == pytest.approx(nps, abs=2)


def test_a_resolved_calm_contact_has_the_answer_shares_the_cut_points_encode():
    out = sat.expected_outcomes(S, 0.0)
    assert out["csat_shares"] == pytest.approx([0.01, 0.01, 0.04, 0.12, 0.82], abs=0.005)
    assert out["csat_shares"].sum() == pytest.approx(1.0)
    assert (out["detractors"], out["promoters"]) == pytest.approx((0.10, 0.65), abs=0.005)


@pytest.mark.parametrize(("frustration", "resolved", "intent"),
                         [(0.0, True, 0.05), (F.repeat_contact, True, 0.093), (0.0, False, 0.239)],
                         ids=["resolved calm", "one repeat", "unresolved"])
def test_average_defection_intent_is_sqm_5_9_25(frustration, resolved, intent):
    assert sat.expected_outcomes(S, mean_z(resolved, frustration))["defection_intent"] == pytest.approx(intent, abs=0.01)


@pytest.mark.parametrize(("mu", "gain", "loss"), [(0.0, 0.16, 0.09), (-1.17, 0.015, 0.43), (-2.2, 0.001, 0.80)],
                         ids=["good contact", "unresolved", "very bad"])
def test_loyalty_band_probabilities_are_the_ceb_calibration(mu, gain, loss):
    out = sat.expected_outcomes(S, mu)
    assert out["loyalty_gain"] == pytest.approx(gain, abs=0.005)
    assert out["loyalty_loss"] == pytest.approx(loss, abs=0.01)


def test_expected_outcomes_is_vectorised_and_loyalty_shifts_recommendation_only():
    mus = np.array([0.0, -0.4, -1.17])
    out = sat.expected_outcomes(S, mus)
    assert out["csat_shares"].shape == (3, 5) and out["nps"].shape == (3,)
    for i, mu in enumerate(mus):
        assert out["nps"][i] == pytest.approx(sat.expected_outcomes(S, float(mu))["nps"])
    loyal = sat.expected_outcomes(S, 0.0, loyalty_state=1.0)
    assert loyal["nps"] == pytest.approx(sat.expected_outcomes(S, S.gamma * 1.0)["nps"])
    assert loyal["top_box"] == pytest.approx(sat.expected_outcomes(S, 0.0)["top_box"])


# --- Monte Carlo: the scalar functions on N(mu, 1) draws agree with the closed form --------------------------


@pytest.mark.parametrize("mu", [0.0, -0.4, -1.17, -2.2])
def test_scalar_answers_on_normal_draws_match_the_closed_form(mu):
    n = 40_000
    eps = np.random.default_rng(20240604 + int(-100 * mu)).standard_normal(n)
    zs = [sat.latent(S, True, 0.0, False, float(e)) + mu for e in eps]
    answers = np.array([sat.csat(S, z) for z in zs])
    buckets = np.array([sat.recommend_bucket(S, z, 0.0) for z in zs])
    intents = np.array([sat.defection_intent(D, z) for z in zs])
    exact = sat.expected_outcomes(S, mu)

    def close(observed: float, p: float) -> None:  # within 4 binomial standard errors
        assert abs(observed - p) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-9

    for k in range(5):
        close(float(np.mean(answers == k + 1)), float(exact["csat_shares"][k]))
    close(float(np.mean(buckets == sat.PROMOTER)), exact["promoters"])
    close(float(np.mean(buckets == sat.DETRACTOR)), exact["detractors"])
    se_mean = math.sqrt(float((exact["csat_shares"] * (np.arange(1, 6) - exact["mean_csat"]) ** 2).sum()) / n)
    assert abs(answers.mean() - exact["mean_csat"]) <= 4 * se_mean
    assert abs(intents.mean() - exact["defection_intent"]) <= 4 * intents.std() / math.sqrt(n)


# --- the scalar equations, by hand ----------------------------------------------------------------------------


def test_latent_is_the_linear_index_of_the_note():
    assert sat.latent(S, False, 0.2, False, 0.3) == pytest.approx(-1.17 - 2.2 * 0.2 + 0.3)
    assert sat.latent(S, False, 0.2, True, 0.3) == pytest.approx(-1.17 - 2.2 * 0.2 + 0.5 + 0.3)


def test_an_apology_counts_only_after_a_failure():
    assert sat.latent(S, True, 0.1, True, 0.0) == sat.latent(S, True, 0.1, False, 0.0)
    assert sat.latent(S, True, 0.1, True, 0.0, failure=True) == pytest.approx(-0.22 + 0.5)
    assert sat.latent(S, False, 0.0, True, 0.0) == pytest.approx(-1.17 + 0.5)  # unresolved is itself a failure


@pytest.mark.parametrize(("anger", "contacts", "failure"), [
    (0.0, 1, False),  # a calm customer's first contact
    (0.3, 1, True),  # arrived angry
    (0.0, 2, True),  # a repeat, redial or chaser
    (0.3, 3, True),
])
def test_a_failure_is_an_angry_arrival_or_a_contact_after_the_first(anger, contacts, failure):
    assert sat.service_failure(anger, contacts) is failure


@pytest.mark.parametrize(("contacts", "transfers", "switched", "effort"), [
    (1, 0, False, 0),  # a first contact, not transferred: no effort
    (1, 2, False, 2),  # two transfers
    (3, 0, False, 2),  # two contacts before this one
    (2, 1, True, 3),  # one before, one transfer, on another channel
])
def test_effort_counts_earlier_contacts_transfers_and_a_channel_switch(contacts, transfers, switched, effort):
    assert sat.effort(contacts, transfers, switched) == effort


@pytest.mark.parametrize(("z", "answer"), [(-3.0, 1), (-2.326, 2), (-2.1, 2), (-2.0, 3), (-1.0, 4), (-0.915, 5), (2.0, 5)])
def test_csat_cut_points(z, answer):
    assert sat.csat(S, z) == answer


@pytest.mark.parametrize(("z", "loyalty", "bucket"),
                         [(-1.3, 0.0, -1), (-1.282, 0.0, 0), (-0.4, 0.0, 0), (-0.385, 0.0, 1), (-1.3, 2.0, 1)])
def test_recommend_bucket_uses_z_plus_gamma_loyalty(z, loyalty, bucket):
    assert sat.recommend_bucket(S, z, loyalty) == bucket


def test_recommend_scores_cover_each_bucket_uniformly():
    grid = [(i + 0.5) / 1100 for i in range(1100)]
    for bucket, (lo, hi) in sat.SCORE_RANGES.items():
        scores = [sat.recommend_score(bucket, u) for u in grid]
        assert sorted(set(scores)) == list(range(lo, hi + 1))
        counts = [scores.count(s) for s in range(lo, hi + 1)]
        assert max(counts) - min(counts) <= 1
    assert sat.recommend_score(sat.PROMOTER, 0.0) == 9 and sat.recommend_score(sat.PROMOTER, 1.0) == 10


def test_defection_probability_is_kappa_times_the_intent_the_contact_adds():
    note = Defection(caused_by_contact=False)  # the evidence note's form: kappa times the whole stated intent
    assert sat.defection_probability(note, 0.0) == pytest.approx(0.3 * sat.phi(-2.742))
    # issue 14: only the intent above the same customer's (same eps) after a perfect contact, mu = z - eps = 0
    assert sat.defection_probability(D, 0.7, 0.7) == 0.0 and sat.defection_probability(D, -1.3, -1.3) == 0.0
    assert sat.defection_probability(D, -1.17 + 0.4, 0.4) == pytest.approx(
        0.3 * (sat.phi(-2.742 + 1.333 * (1.17 - 0.4)) - sat.phi(-2.742 - 1.333 * 0.4)))
    assert sat.defection_probability(D, 0.5 + 0.2, 0.2) == 0.0  # an apology (mu > 0) does not make anyone stay
    assert sat.defection_intent(D, -2.0) == pytest.approx(sat.phi(-2.742 + 2.666))
    assert sat.phi(0.0) == 0.5 and sat.phi(1.959964) == pytest.approx(0.975, abs=1e-6)
    assert sat.phi(-12.0) > 0.0  # the erfc form keeps the far tail


def test_loyalty_update_by_hand():
    assert sat.loyalty_update(LO, 0.0, 0.0, 0) == 0.0  # inside the band
    assert sat.loyalty_update(LO, 0.2, 1.99, 0) == pytest.approx(0.2 + 0.3 * 0.25 * 1.0)
    assert sat.loyalty_update(LO, 0.2, -2.34, 0) == pytest.approx(0.2 - 0.3 * 1.0)
    assert sat.loyalty_update(LO, 0.0, -2.34, 10) == pytest.approx(-0.3 / 2)  # alpha_n = 0.3 / (1 + 0.1 n)


def test_loyalty_decays_by_e_every_180_days():
    assert sat.loyalty_decay(LO, 1.0, 180 * DAY) == pytest.approx(math.exp(-1))
    assert sat.loyalty_decay(LO, -0.6, 0.0) == -0.6


@pytest.mark.parametrize(("answer", "probability"), [(1, 0.15), (2, 0.12), (3, 0.10), (4, 0.10), (5, 0.12)])
def test_survey_response_is_ten_percent_times_the_extremity_factor(answer, probability):
    assert sat.survey_response_probability(SV, answer) == pytest.approx(probability)
    assert sat.survey_response_probability(Surveys(response_base=0.9), answer) <= 1.0


@pytest.mark.parametrize(("resolved", "answer", "expected"), [
    (True, 5, (0.41, 1.0, 1)), (False, 2, (0.74, 5.0, -1)), (False, 1, (0.74, 5.0, -1)),
    (True, 4, (0.3, 1.0, 0)), (False, 5, (0.3, 1.0, 0)), (False, 3, (0.3, 1.0, 0)), (True, 1, (0.3, 1.0, 0)),
])
def test_word_of_mouth_follows_sqm(resolved, answer, expected):
    assert sat.word_of_mouth(W, resolved, answer) == expected


# --- properties -----------------------------------------------------------------------------------------------


@given(share, share, st.booleans(), st.booleans(), z_values, loyalty_values)
def test_better_resolution_and_less_frustration_never_make_an_outcome_worse(f1, f2, apology, failure, eps, loyalty):
    lo, hi = sorted((f1, f2))
    worse = sat.latent(S, False, hi, apology, eps, failure)
    for better in (sat.latent(S, True, hi, apology, eps, failure), sat.latent(S, False, lo, apology, eps, failure)):
        assert better >= worse
        assert sat.csat(S, better) >= sat.csat(S, worse)
        assert sat.recommend_bucket(S, better, loyalty) >= sat.recommend_bucket(S, worse, loyalty)
        assert sat.defection_probability(D, better) <= sat.defection_probability(D, worse)


@given(z_values, z_values, loyalty_values, loyalty_values)
def test_answers_rise_with_z_and_loyalty(z1, z2, l1, l2):
    (za, zb), (la, lb) = sorted((z1, z2)), sorted((l1, l2))
    assert 1 <= sat.csat(S, za) <= sat.csat(S, zb) <= 5
    assert sat.recommend_bucket(S, za, la) <= sat.recommend_bucket(S, zb, la) <= sat.recommend_bucket(S, zb, lb)


@given(st.floats(-40, 40), st.floats(-40, 40))
def test_defection_probability_falls_with_z_and_stays_below_kappa(z1, z2):
    za, zb = sorted((z1, z2))
    assert 0.0 <= sat.defection_probability(D, zb) <= sat.defection_probability(D, za) <= D.kappa


@given(st.floats(1e-3, 10), loyalty_values, st.integers(0, 1000))
def test_a_loss_moves_loyalty_more_than_a_gain_of_the_same_size(excess, loyalty, n):
    gain = sat.loyalty_update(LO, loyalty, LO.delta_plus + excess, n) - loyalty
    loss = loyalty - sat.loyalty_update(LO, loyalty, -LO.delta_minus - excess, n)
    assert 0.0 < gain < loss
    assert loss == pytest.approx(gain / LO.gain_weight)


@given(z_values, z_values, loyalty_values, st.integers(0, 1000))
def test_loyalty_update_rises_with_z_and_is_flat_inside_the_band(z1, z2, loyalty, n):
    za, zb = sorted((z1, z2))
    assert sat.loyalty_update(LO, loyalty, za, n) <= sat.loyalty_update(LO, loyalty, zb, n)
    if -LO.delta_minus <= za <= LO.delta_plus:
        assert sat.loyalty_update(LO, loyalty, za, n) == loyalty


@given(loyalty_values, st.floats(0, 10 * 365 * DAY), st.floats(0, 10 * 365 * DAY))
def test_loyalty_decay_shrinks_toward_zero(loyalty, t1, t2):
    ta, tb = sorted((t1, t2))
    assert abs(sat.loyalty_decay(LO, loyalty, tb)) <= abs(sat.loyalty_decay(LO, loyalty, ta)) <= abs(loyalty)


@given(st.booleans(), st.integers(1, 5), st.floats(0, 1))
def test_survey_and_word_of_mouth_return_probabilities(resolved, answer, base):
    assert 0.0 <= sat.survey_response_probability(Surveys(response_base=base), answer) <= 1.0
    probability, mean, sign = sat.word_of_mouth(W, resolved, answer)
    assert 0.0 <= probability <= 1.0 and mean >= 0.0 and sign in (-1, 0, 1)


# --- configuration (table 2.10) ---------------------------------------------------------------------------------

DEFAULTS = {
    (Satisfaction, "b_R"): 1.17, (Satisfaction, "b_F"): 2.2, (Satisfaction, "b_emp"): 0.5,
    (Satisfaction, "csat_cuts"): (-2.326, -2.054, -1.555, -0.915),
    (Satisfaction, "nps_detractor"): -1.282, (Satisfaction, "nps_passive"): -0.385, (Satisfaction, "gamma"): 0.5,
    (Defection, "intercept"): -2.742, (Defection, "slope"): -1.333, (Defection, "kappa"): 0.3,
    (Loyalty, "delta_plus"): 0.99, (Loyalty, "delta_minus"): 1.34, (Loyalty, "gain_weight"): 0.25,
    (Loyalty, "alpha"): 0.3, (Loyalty, "alpha_decay"): 0.1, (Loyalty, "time_constant"): 180 * DAY,
    (Surveys, "offer_probability"): 1.0, (Surveys, "response_base"): 0.10,
    (WordOfMouth, "positive_probability"): 0.41, (WordOfMouth, "positive_mean"): 1.0,
    (WordOfMouth, "negative_probability"): 0.74, (WordOfMouth, "negative_mean"): 5.0,
    (WordOfMouth, "other_probability"): 0.3, (WordOfMouth, "other_mean"): 1.0,
}


@pytest.mark.parametrize(("section", "field", "expected"), [(*k, v) for k, v in DEFAULTS.items()],
                         ids=[f"{s.__name__}.{f}" for s, f in DEFAULTS])
def test_outcome_defaults_are_the_evidence_table(section, field, expected):
    assert getattr(section(), field) == pytest.approx(expected)


def test_survey_factors_default_to_the_extremity_weights_and_parts_are_on():
    assert SV.response_factor == {1: 1.5, 2: 1.2, 3: 1.0, 4: 1.0, 5: 1.2}
    assert all(part().enabled for part in (Satisfaction, Defection, Loyalty, Surveys, WordOfMouth))


def test_sections_read_from_yaml_like_data():
    s = Satisfaction.model_validate({"csat_cuts": [-2.5, -2.0, -1.5, -1.0], "b_R": 1.0})
    assert s.csat_cuts == (-2.5, -2.0, -1.5, -1.0) and s.b_R == 1.0
    assert Loyalty.model_validate({"time_constant": "90d"}).time_constant == pytest.approx(90 * DAY)
    assert Surveys.model_validate({"response_factor": {"1": 2, "2": 1, "3": 1, "4": 1, "5": 2}}).response_factor[1] == 2


@pytest.mark.parametrize(("section", "bad", "message"), [
    (Satisfaction, {"csat_cuts": [-2.0, -2.5, -1.5, -1.0]}, "csat_cuts must be strictly increasing"),
    (Satisfaction, {"csat_cuts": [-2.0, -2.0, -1.5, -1.0]}, "csat_cuts must be strictly increasing"),
    (Satisfaction, {"csat_cuts": [-2.0, -1.5, -1.0]}, "csat_cuts"),  # four cut-points for five answers
    (Satisfaction, {"csat_cuts": [-2.0, -1.5, -1.0, float("inf")]}, "csat_cuts"),
    (Satisfaction, {"nps_detractor": -0.2, "nps_passive": -0.385}, "nps_detractor must be below nps_passive"),
    (Satisfaction, {"b_F": -1.0}, "b_F"),
    (Defection, {"slope": 0.5}, "slope"),
    (Defection, {"kappa": 1.2}, "kappa"),
    (Loyalty, {"time_constant": 0}, "time_constant"),
    (Loyalty, {"gain_weight": 1.5}, "gain_weight"),
    (Surveys, {"response_factor": {1: 1.5, 2: 1.2, 3: 1.0, 5: 1.2}}, "response_factor needs exactly"),
    (Surveys, {"response_base": -0.1}, "response_base"),
    (WordOfMouth, {"negative_probability": 2}, "negative_probability"),
    (WordOfMouth, {"negativ_mean": 5}, "negativ_mean"),  # a typo is an unknown key
])
def test_out_of_range_outcome_coefficients_are_rejected(section, bad, message):
    with pytest.raises(ValidationError, match=message):
        section.model_validate(bad)
