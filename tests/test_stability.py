"""Part 1 helpers: retrain churn, confidence spread, intervals and evaluation-set sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from statsmodels.stats.proportion import proportion_confint

from aipm_lab.estimates import (
    accuracy_interval,
    as_range,
    interval_by_size,
    sample_size_for_margin,
    verdict,
)
from aipm_lab.stability import (
    churn_matrix,
    confidence_spread,
    pairwise_churn,
    prediction_churn,
    retrain_predictions,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=300, n_features=6, n_informative=3, n_classes=3, class_sep=0.6, random_state=0
    )
    return X[:200], np.array(["a", "b", "c"])[y[:200]], X[200:]


# --- churn -------------------------------------------------------------------------------


def test_prediction_churn_hand_checked():
    assert prediction_churn([0, 1, 2, 3], [0, 1, 0, 0]) == 0.5
    assert prediction_churn(["x", "y"], ["x", "y"]) == 0.0
    assert prediction_churn(np.array(["a"]), np.array(["b"])) == 1.0
    with pytest.raises(ValueError, match="different numbers"):
        prediction_churn([0, 1], [0, 1, 2])


def test_churn_matrix_and_pairwise_churn_hand_checked():
    labels = np.array([[0, 0, 0, 0], [0, 0, 1, 1], [1, 0, 1, 1]])
    # Pairs: (0, 1) differ on 2 of 4, (0, 2) on 3 of 4, (1, 2) on 1 of 4.
    expected = np.array([[0, 0.5, 0.75], [0.5, 0, 0.25], [0.75, 0.25, 0]])
    np.testing.assert_allclose(churn_matrix(labels), expected)
    assert pairwise_churn(labels) == pytest.approx((0.5 + 0.75 + 0.25) / 3)
    assert pairwise_churn(labels[:2]) == prediction_churn(labels[0], labels[1])
    with pytest.raises(ValueError, match="two runs"):
        pairwise_churn(labels[:1])


def test_confidence_spread_hand_checked():
    confidence = np.array([[0.6, 0.9], [0.8, 0.7], [0.7, 0.8]])
    table = confidence_spread(confidence)
    assert list(table.columns) == ["mean", "std", "min", "max", "spread"]
    np.testing.assert_allclose(table["mean"], [0.7, 0.8])
    np.testing.assert_allclose(table["min"], [0.6, 0.7])
    np.testing.assert_allclose(table["max"], [0.8, 0.9])
    np.testing.assert_allclose(table["spread"], [0.2, 0.2])
    # Sample standard deviation across runs, as pandas computes it.
    np.testing.assert_allclose(table["std"], pd.DataFrame(confidence).std().to_numpy())
    np.testing.assert_allclose(table["std"], [0.1, 0.1])
    with pytest.raises(ValueError):
        confidence_spread(confidence[:1])


# --- retraining --------------------------------------------------------------------------


def test_retrain_predictions_matches_a_manual_refit(data):
    X_train, y_train, X_eval = data
    model = LogisticRegression()
    runs = retrain_predictions(
        model, X_train, y_train, X_eval, n_retrains=4, seed=7, sample_frac=0.5
    )
    assert runs.labels.shape == runs.confidence.shape == (4, len(X_eval))

    idx = np.random.default_rng(7).integers(0, len(y_train), size=100)
    first = clone(model).fit(X_train[idx], y_train[idx])
    np.testing.assert_array_equal(runs.labels[0], first.predict(X_eval))
    np.testing.assert_allclose(runs.confidence[0], first.predict_proba(X_eval).max(axis=1))
    assert not hasattr(model, "coef_"), "the estimator passed in must stay unfitted"


def test_retrain_predictions_is_deterministic_and_moves_with_the_seed(data):
    X_train, y_train, X_eval = data
    a = retrain_predictions(LogisticRegression(), X_train, y_train, X_eval, n_retrains=5, seed=1)
    b = retrain_predictions(LogisticRegression(), X_train, y_train, X_eval, n_retrains=5, seed=1)
    c = retrain_predictions(LogisticRegression(), X_train, y_train, X_eval, n_retrains=5, seed=2)
    np.testing.assert_array_equal(a.labels, b.labels)
    np.testing.assert_array_equal(a.confidence, b.confidence)
    assert not np.array_equal(a.confidence, c.confidence)
    # Bootstrap retrains of a model on overlapping classes disagree on some items.
    assert 0 < pairwise_churn(a.labels) < 0.5
    assert (confidence_spread(a.confidence)["spread"] > 0).all()


def test_retrain_predictions_accepts_frames_sparse_and_text(data):
    X_train, y_train, X_eval = data
    frame = retrain_predictions(
        LogisticRegression(),
        pd.DataFrame(X_train),
        pd.Series(y_train),
        pd.DataFrame(X_eval),
        n_retrains=2,
        seed=3,
    )
    dense = retrain_predictions(
        LogisticRegression(), X_train, y_train, X_eval, n_retrains=2, seed=3
    )
    np.testing.assert_allclose(frame.confidence, dense.confidence)
    sparse_runs = retrain_predictions(
        LogisticRegression(), sparse.csr_matrix(X_train), y_train, sparse.csr_matrix(X_eval),
        n_retrains=2, seed=3,
    )
    np.testing.assert_array_equal(sparse_runs.labels, dense.labels)

    texts = ["card declined", "card was declined", "lost my card", "card lost today"] * 5
    intents = ["declined", "declined", "lost", "lost"] * 5
    pipe = make_pipeline(TfidfVectorizer(), LogisticRegression())
    runs = retrain_predictions(pipe, texts, intents, ["declined again", "lost it"], n_retrains=3)
    assert runs.labels.tolist() == [["declined", "lost"]] * 3
    assert ((runs.confidence > 0.5) & (runs.confidence <= 1)).all()


# --- intervals and sample sizes ----------------------------------------------------------


@pytest.mark.parametrize(
    "n_correct, n, confidence, method",
    [
        (84, 100, 0.95, "wilson"),
        (1030, 1200, 0.9, "wilson"),
        (10, 10, 0.95, "beta"),
        (0, 50, 0.99, "agresti_coull"),
    ],
)
def test_accuracy_interval_is_statsmodels(n_correct, n, confidence, method):
    expected = proportion_confint(n_correct, n, alpha=1 - confidence, method=method)
    assert accuracy_interval(n_correct, n, confidence, method) == pytest.approx(expected)
    low, high = accuracy_interval(n_correct, n, confidence, method)
    assert 0 <= low <= n_correct / n <= high <= 1


def test_accuracy_interval_narrows_with_more_items_and_rejects_nonsense():
    small = np.diff(accuracy_interval(72, 100))[0]
    large = np.diff(accuracy_interval(720, 1000))[0]
    assert large < small / 3
    with pytest.raises(ValueError):
        accuracy_interval(11, 10)
    with pytest.raises(ValueError):
        accuracy_interval(0, 0)


def _half_width(p: float, n: int, confidence: float) -> float:
    low, high = proportion_confint(p * n, n, alpha=1 - confidence, method="normal")
    return (high - low) / 2


@pytest.mark.parametrize(
    "p, margin, confidence",
    [(0.5, 0.05, 0.95), (0.85, 0.02, 0.95), (0.72, 0.03, 0.9), (0.99, 0.005, 0.99)],
)
def test_sample_size_is_the_smallest_that_reaches_the_margin(p, margin, confidence):
    n = sample_size_for_margin(p, margin, confidence)
    assert isinstance(n, int)
    assert _half_width(p, n, confidence) <= margin < _half_width(p, n - 1, confidence)


def test_sample_size_hand_checked():
    # 1.96^2 * 0.25 / 0.05^2 = 384.1, so 385 items give ±5 points at 95%.
    assert sample_size_for_margin(0.5, 0.05) == 385
    with pytest.raises(ValueError):
        sample_size_for_margin(0.5, 0)


def test_as_range():
    assert as_range(0.8132, 0.8571, n=1200) == "accuracy between 0.81 and 0.86 (95% CI, n=1,200)"
    recall = as_range(0.7, 0.75, metric="recall", confidence=0.975)
    assert recall == "recall between 0.70 and 0.75 (97.5% CI)"
    target = as_range(0.8123, 0.8567, confidence=None, decimals=3)
    assert target == "accuracy between 0.812 and 0.857"
    with pytest.raises(ValueError):
        as_range(0.9, 0.8)


def test_interval_by_size_matches_accuracy_interval_and_narrows():
    table = interval_by_size(0.86, [10, 100, 1000, 4000])
    assert list(table.columns) == ["n", "low", "high", "half_width", "below", "above"]
    assert table["n"].tolist() == [10, 100, 1000, 4000]
    # The interval for an observed 86%, even where 86% of n is not a whole number of items.
    assert (table.loc[0, "low"], table.loc[0, "high"]) == pytest.approx(
        proportion_confint(8.6, 10, alpha=0.05, method="wilson")
    )
    assert (table.loc[2, "low"], table.loc[2, "high"]) == pytest.approx(accuracy_interval(860, 1000))
    np.testing.assert_allclose(table["half_width"], (table["high"] - table["low"]) / 2)
    assert table["half_width"].is_monotonic_decreasing
    # A perfect 10-item demo cannot rule out an accuracy in the low 70s.
    assert interval_by_size(1.0, [10])["low"].iloc[0] == pytest.approx(0.7225, abs=1e-4)
    with pytest.raises(ValueError):
        interval_by_size(1.2, [10])
    with pytest.raises(ValueError):
        interval_by_size(0.8, [100, 0])


@pytest.mark.parametrize(
    "low, high, floor, expected",
    [
        (0.86, 0.89, 0.85, "go"),
        (0.85, 0.88, 0.85, "go"),
        (0.84, 0.87, 0.85, "more data"),
        (0.80, 0.85, 0.85, "more data"),
        (0.80, 0.849, 0.85, "no-go"),
    ],
)
def test_verdict(low, high, floor, expected):
    assert verdict(low, high, floor) == expected


def test_verdict_rejects_a_reversed_interval():
    with pytest.raises(ValueError):
        verdict(0.9, 0.8, 0.85)
