"""Cost and threshold helpers agree with scikit-learn's own metrics."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import (
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
)

from aipm_lab.costs import (
    CostMatrix,
    best_threshold,
    confusion_at,
    cost_curve,
    precision_at_recall,
    summary_at,
)


@pytest.fixture
def scored():
    rng = np.random.default_rng(0)
    y = (rng.random(5000) < 0.05).astype(int)
    scores = np.clip(rng.normal(0.2 + 0.4 * y, 0.15), 0, 1)
    return y, scores


@pytest.mark.parametrize("t", [0.0, 0.1, 0.35, 0.6, 0.999, 1.5])
def test_confusion_at_matches_sklearn(scored, t):
    y, s = scored
    tn, fp, fn, tp = confusion_matrix(y, s >= t, labels=[0, 1]).ravel()
    row = confusion_at(y, s, t).iloc[0]
    assert (row.tp, row.fp, row.fn, row.tn) == (tp, fp, fn, tn)


def test_summary_at_matches_sklearn(scored):
    y, s = scored
    out = summary_at(y, s, 0.4, CostMatrix(2, 50))
    pred = s >= 0.4
    assert out["precision"] == pytest.approx(precision_score(y, pred))
    assert out["recall"] == pytest.approx(recall_score(y, pred))
    assert out["f1"] == pytest.approx(f1_score(y, pred))
    assert out["cost_per_1000"] == pytest.approx((out["fp"] * 2 + out["fn"] * 50) / len(y) * 1000)
    assert np.isnan(summary_at(y, s, 2.0)["precision"])  # nothing flagged: precision undefined


def test_best_threshold_is_the_minimum_of_a_brute_force_search(scored):
    y, s = scored
    costs = CostMatrix(1, 20)
    grid = np.round(np.arange(1, 1000) / 1000, 3)
    brute = [((s >= t) & (y == 0)).sum() * 1 + ((s < t) & (y == 1)).sum() * 20 for t in grid]
    best = best_threshold(y, s, costs)
    assert best.cost == min(brute)
    assert best.threshold == grid[int(np.argmin(brute))]
    assert len(cost_curve(y, s, costs)) == len(grid)


def test_bayes_threshold_is_optimal_for_calibrated_scores():
    rng = np.random.default_rng(1)
    p = rng.beta(0.5, 8, 200_000)
    y = (rng.random(p.size) < p).astype(int)  # scores are calibrated by construction
    costs = CostMatrix(5, 95)
    assert costs.bayes_threshold == pytest.approx(0.05)
    assert best_threshold(y, p, costs).threshold == pytest.approx(costs.bayes_threshold, abs=0.01)


def test_precision_at_recall_is_the_best_point_on_the_pr_curve(scored):
    y, s = scored
    out = precision_at_recall(y, s, 0.8)
    precision, recall, _ = precision_recall_curve(y, s)
    assert out["recall"] >= 0.8
    assert out["precision"] == pytest.approx(precision[:-1][recall[:-1] >= 0.8].max())
    assert recall_score(y, s >= out["threshold"]) == pytest.approx(out["recall"])


@pytest.mark.parametrize(
    "false_positive, false_negative",
    [(0, 0), (-1, 10), (1, -0.5), (float("nan"), 10), (1, float("inf"))],
)
def test_cost_matrix_rejects_costs_that_cannot_rank_thresholds(false_positive, false_negative):
    with pytest.raises(ValueError, match="cost"):
        CostMatrix(false_positive, false_negative)


def test_cost_matrix_allows_one_free_error_type():
    assert CostMatrix(0, 5).bayes_threshold == 0.0
    assert CostMatrix(5, 0).bayes_threshold == 1.0


def test_confusion_at_rejects_empty_and_mismatched_input():
    with pytest.raises(ValueError, match="no scores to threshold"):
        confusion_at([], [], 0.5)
    with pytest.raises(ValueError, match="must match"):
        confusion_at([0, 1, 1], [0.2, 0.9], 0.5)
    with pytest.raises(ValueError, match="no scores to threshold"):
        cost_curve([], [], CostMatrix(1, 10))


def test_precision_at_recall_needs_positives(scored):
    _, s = scored
    # Without a single fraud, recall is undefined; the old answer was a made-up recall of 1.0.
    with pytest.raises(ValueError, match="no positives"):
        precision_at_recall(np.zeros(len(s), dtype=int), s, 0.8)


@pytest.mark.parametrize("min_recall", [-0.1, 1.01, 80, float("nan")])
def test_precision_at_recall_rejects_a_recall_outside_0_to_1(scored, min_recall):
    y, s = scored
    with pytest.raises(ValueError, match="min_recall"):
        precision_at_recall(y, s, min_recall)


def test_precision_at_recall_accepts_both_ends(scored):
    y, s = scored
    assert precision_at_recall(y, s, 1.0)["recall"] == 1.0
    assert precision_at_recall(y, s, 0.0)["recall"] >= 0.0
