"""Tests for aipm_lab.uncertainty: each hand-written number against an independent computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.calibration import calibration_curve

from aipm_lab.costs import CostMatrix, cost_curve
from aipm_lab.uncertainty import (
    action_matrix,
    calibration_table,
    conformal_sets,
    expected_calibration_error,
    observed_expected,
    operating_point,
    p_star_gap,
    risk_coverage,
    route,
    route_summary,
    staffing,
)


def brute_force_ece(y, p, edges):
    """ECE by looping over items and bins (a bin holds p with lo < p <= hi; the first also holds lo)."""
    total = 0.0
    for k in range(len(edges) - 1):
        lo, hi = edges[k], edges[k + 1]
        members = [i for i in range(len(p))
                   if (p[i] <= hi or k == len(edges) - 2) and (p[i] > lo or k == 0)]
        if members:
            gap = sum(p[i] for i in members) / len(members) - sum(y[i] for i in members) / len(members)
            total += len(members) * abs(gap)
    return total / len(p)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("case", range(5))
def test_ece_matches_a_brute_force_loop_and_the_table_matches_sklearn(strategy, case):
    rng = np.random.default_rng(case)
    p = rng.beta(0.5, 3, size=300)
    y = (rng.random(300) < np.clip(p * 1.4, 0, 1)).astype(int)  # miscalibrated on purpose
    n_bins = 5 + case
    edges = np.linspace(0, 1, n_bins + 1) if strategy == "uniform" else np.percentile(p, np.linspace(0, 100, n_bins + 1))
    ece = expected_calibration_error(y, p, n_bins, strategy)
    assert ece == pytest.approx(brute_force_ece(y, p, edges), abs=1e-12)
    table = calibration_table(y, p, n_bins, strategy)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    np.testing.assert_allclose(table["observed_rate"], prob_true)
    np.testing.assert_allclose(table["mean_prob"], prob_pred)
    assert table["n"].sum() == 300


def test_ece_is_zero_when_each_bin_is_calibrated_and_large_when_scores_are_inflated():
    p = np.repeat([0.1, 0.5, 0.9], 10)
    y = np.concatenate([[1] + [0] * 9, [1] * 5 + [0] * 5, [1] * 9 + [0]])
    assert expected_calibration_error(y, p) == pytest.approx(0.0, abs=1e-12)
    assert expected_calibration_error(y, np.clip(p + 0.3, 0, 1)) > 0.2


@pytest.mark.parametrize("bad", [dict(y_prob=[0.2, 1.2]), dict(y_prob=[0.2, float("nan")]),
                                 dict(y_prob=[0.2]), dict(y_prob=[0.1, 0.2], strategy="median"),
                                 dict(y_prob=[0.1, 0.2], n_bins=0)])
def test_calibration_rejects_bad_input_with_a_plain_message(bad):
    kwargs = {"y_true": [0, 1], **bad}
    with pytest.raises(ValueError):
        expected_calibration_error(**kwargs)


def test_p_star_gap_reuses_the_cost_curve():
    rng = np.random.default_rng(3)
    p = rng.beta(0.3, 20, size=5000)
    y = (rng.random(5000) < p).astype(int)
    costs = CostMatrix(6, 180)
    gap = p_star_gap(y, p, costs)
    curve = cost_curve(y, p, costs)
    assert gap["cost_cheapest"] == pytest.approx(curve["cost_per_1000"].min())
    flagged = p >= 6 / 186
    by_hand = ((flagged & (y == 0)).sum() * 6 + (~flagged & (y == 1)).sum() * 180) / 5000 * 1000
    assert gap["cost_at_p_star"] == pytest.approx(by_hand)
    assert gap["extra_cost"] >= 0 and gap["p_star"] == pytest.approx(6 / 186)


def test_risk_coverage_matches_a_loop_over_thresholds():
    rng = np.random.default_rng(1)
    conf = np.round(rng.random(200), 2)  # ties on the grid on purpose
    err = rng.random(200) < (1 - conf) * 0.5
    curve = risk_coverage(conf, err)
    for row in curve.itertuples():
        kept = conf >= row.threshold
        assert row.automated == kept.sum() and row.errors == (err & kept).sum()
        assert row.coverage == pytest.approx(kept.mean())
        if kept.any():
            assert row.risk == pytest.approx(err[kept].mean())
        else:
            assert math.isnan(row.risk)


def test_operating_point_picks_the_widest_coverage_within_budget_or_none():
    conf = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    err = np.array([False, False, True, False, True, True])
    point = operating_point(conf, err, max_error=0.25, thresholds=[0.5, 0.6, 0.7, 0.8, 0.9])
    assert point["threshold"] == 0.7 and point["automated"] == 4 and point["errors"] == 1
    assert operating_point(conf, ~np.zeros(6, bool), max_error=0.1) is None
    with pytest.raises(ValueError):
        operating_point(conf, err, max_error=10)


def test_route_and_its_summary():
    conf = [0.95, 0.9, 0.7, 0.5, 0.2]
    err = [False, True, False, True, True]
    assert route(conf, 0.5, 0.9).tolist() == ["serve", "serve", "caveat", "caveat", "fallback"]
    table = route_summary(conf, err, 0.5, 0.9)
    assert table.loc["serve", "items"] == 2 and table.loc["serve", "error_rate"] == 0.5
    assert table["share"].sum() == pytest.approx(1)
    empty = route_summary(conf, err, 0.0, 0.99)
    assert empty.loc["fallback", "items"] == 0 and math.isnan(empty.loc["fallback", "error_rate"])
    with pytest.raises(ValueError):
        route(conf, 0.9, 0.5)


def brute_force_sets(cal_proba, cal_y, proba, confidence):
    """Split conformal by hand: a class is in the set when its p-value exceeds 1 - confidence."""
    cal_scores = np.array([1 - cal_proba[i, cal_y[i]] for i in range(len(cal_y))])
    out = np.zeros(proba.shape, bool)
    for i in range(proba.shape[0]):
        for k in range(proba.shape[1]):
            p_value = (np.sum(cal_scores >= 1 - proba[i, k]) + 1) / (len(cal_scores) + 1)
            out[i, k] = p_value > 1 - confidence
    return out


def test_conformal_sets_match_a_hand_computation_and_cover_as_promised():
    rng = np.random.default_rng(0)
    classes = np.array(["a", "b", "c", "d"])

    def draw(n):
        logits = rng.normal(size=(n, 4)) * 2
        proba = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
        y = np.array([rng.choice(4, p=row) for row in proba])  # the probabilities are the truth
        return proba, y

    cal_p, cal_y = draw(400)
    test_p, test_y = draw(4000)
    sets = conformal_sets(cal_p, classes[cal_y], test_p, classes, confidence=0.9)
    np.testing.assert_array_equal(sets, brute_force_sets(cal_p, cal_y, test_p, 0.9))
    coverage = sets[np.arange(len(test_y)), test_y].mean()
    assert 0.88 <= coverage <= 0.93  # the guarantee (>= 0.9 on average), with sampling noise
    with pytest.raises(ValueError):
        conformal_sets(cal_p, ["z"] * 400, test_p, classes)


def test_action_matrix_never_auto_executes_high_impact_at_low_confidence():
    confident = np.array([True, True, False, False, False])
    impact = np.array([False, True, False, True, True])
    table = action_matrix(confident, impact)
    assert table.loc["human review", "items"] == 2 and table.loc["human review", "confidence"] == "low"
    assert table.loc["auto-execute", "impact"] == "low" and table.loc["auto-execute", "confidence"] == "high"
    assert table["share"].sum() == pytest.approx(1)


def test_staffing_arithmetic_and_rounding_up():
    out = staffing(0.05, 10_000, 4, productive_hours=6)
    assert out["reviews_per_day"] == pytest.approx(500)
    assert out["review_hours"] == pytest.approx(500 * 4 / 60)
    assert out["analysts"] == 6  # 33.3 hours / 6 = 5.56 analysts -> 6 people
    assert staffing(0.1, 2400, 3, 6)["analysts"] == 2  # exactly 2.0, not rounded up to 3
    with pytest.raises(ValueError):
        staffing(5, 10_000, 4)


def test_observed_expected_fails_the_miscalibrated_scores_an_ece_passes():
    """Issue 22: at a 0.3% base rate an ECE bar of 0.005 passes a constant 0, scores doubled and halved."""
    rng = np.random.default_rng(5)
    p = rng.beta(0.3, 90, 60_000)  # rare positives, about 0.3%
    y = rng.uniform(size=p.size) < p
    calibrated = observed_expected(y, p)
    assert calibrated["observed"] == y.sum() and calibrated["expected"] == pytest.approx(p.sum())
    assert calibrated["factor_low"] == 1 and calibrated["factor_high"] < 1.5
    for wrong in (2 * p, p / 2, np.zeros_like(p)):
        assert expected_calibration_error(y, wrong) < 0.005
        assert observed_expected(y, wrong)["factor_low"] > 1.5
    assert observed_expected(y, np.zeros_like(p))["factor"] == np.inf


def test_observed_expected_interval_is_the_exact_poisson_one_folded_at_one():
    from scipy.stats import chi2

    y, p = np.array([1] * 10 + [0] * 90), np.full(100, 0.2)  # 10 seen, 20 expected: scores twice too high
    out = observed_expected(y, p)
    low, high = chi2.ppf(0.025, 20) / 2 / 20, chi2.ppf(0.975, 22) / 2 / 20  # Garwood's exact interval
    assert (out["ratio"], out["ratio_low"], out["ratio_high"]) == pytest.approx((0.5, low, high))
    assert (out["factor"], out["factor_low"], out["factor_high"]) == pytest.approx((2, 1 / high, 1 / low))
