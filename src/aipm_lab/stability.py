"""How much a model's answers move when it is retrained (part 1).

A probabilistic product gives different answers for the same input after a
routine retrain. These helpers retrain one estimator on bootstrap resamples and
measure how many predictions flip (churn) and how far the confidence in them
moves (spread).

Examples
--------
>>> runs = retrain_predictions(model, X_train, y_train, X_eval, n_retrains=10)  # doctest: +SKIP
>>> pairwise_churn(runs.labels)  # share of items two retrains disagree on   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone


@dataclass(frozen=True)
class Retrains:
    """Predictions of several retrains of one model on the same evaluation items.

    Attributes
    ----------
    labels : numpy.ndarray of shape (n_retrains, n_eval)
        Predicted class of each item by each retrain.
    confidence : numpy.ndarray of shape (n_retrains, n_eval)
        Predicted probability of that class.
    """

    labels: np.ndarray
    confidence: np.ndarray


def _rows(X, idx: np.ndarray):
    """Rows ``idx`` of a DataFrame, Series, sparse matrix, array or list.

    scikit-learn's own helper for this (``_safe_indexing``) is private, hence these lines.
    """
    if hasattr(X, "iloc"):
        return X.iloc[idx]
    if sparse.issparse(X):
        return X[idx]
    return np.asarray(X)[idx]


def retrain_predictions(
    estimator,
    X_train,
    y_train,
    X_eval,
    n_retrains: int = 10,
    seed: int = 0,
    sample_frac: float = 1.0,
) -> Retrains:
    """Refit a copy of ``estimator`` on bootstrap resamples and predict the same items.

    Each retrain sees a different resample of the training rows, as a model
    retrained on next week's data would. Nothing else changes between retrains.
    Each item's label is its most probable class, and its confidence that probability.

    Parameters
    ----------
    estimator : classifier
        An unfitted or fitted scikit-learn classifier with ``predict_proba``;
        it is cloned, never modified.
    X_train, y_train : array-like
        Training data (a DataFrame, array, sparse matrix, or a list/Series of texts
        for a text pipeline) and labels.
    X_eval : array-like
        The items every retrain predicts.
    n_retrains : int, default 10
        Number of refits.
    seed : int, default 0
        Seed of :func:`numpy.random.default_rng`, which draws the resampled rows.
    sample_frac : float, default 1.0
        Size of each resample as a share of the training rows (drawn with replacement).

    Returns
    -------
    Retrains
        ``labels`` and ``confidence``, each of shape ``(n_retrains, n_eval)``.
    """
    rng = np.random.default_rng(seed)
    y_train = np.asarray(y_train)
    n_train = len(y_train)
    size = max(1, round(sample_frac * n_train))
    labels, confidence = [], []
    for _ in range(n_retrains):
        idx = rng.integers(0, n_train, size=size)
        model = clone(estimator).fit(_rows(X_train, idx), y_train[idx])
        # The label is the most probable class (what predict returns for the course's logistic
        # models), read from the probabilities: a text pipeline transforms X_eval once, not twice.
        proba = model.predict_proba(X_eval)
        labels.append(model.classes_[proba.argmax(axis=1)])
        confidence.append(proba.max(axis=1))
    return Retrains(np.stack(labels), np.stack(confidence))


def prediction_churn(labels_a, labels_b) -> float:
    """Share of items whose predicted label differs between two runs.

    Parameters
    ----------
    labels_a, labels_b : array-like of shape (n_items,)
        Predictions of two runs for the same items, in the same order.

    Returns
    -------
    float
        Between 0 (identical predictions) and 1 (every prediction changed).
    """
    a, b = np.asarray(labels_a), np.asarray(labels_b)
    if a.shape != b.shape:
        raise ValueError(f"the two runs predict different numbers of items: {a.shape} vs {b.shape}")
    return float(np.mean(a != b))


def churn_matrix(labels) -> np.ndarray:
    """Churn between every pair of runs.

    Parameters
    ----------
    labels : array-like of shape (n_runs, n_items)
        One row of predictions per run, for example ``Retrains.labels``.

    Returns
    -------
    numpy.ndarray of shape (n_runs, n_runs)
        Entry ``[i, j]`` is ``prediction_churn(labels[i], labels[j])``; the diagonal is 0.
    """
    labels = np.asarray(labels)
    return (labels[:, None, :] != labels[None, :, :]).mean(axis=2)


def pairwise_churn(labels) -> float:
    """Mean churn over all pairs of runs: how often two retrains disagree on an item.

    Parameters
    ----------
    labels : array-like of shape (n_runs, n_items)
        One row of predictions per run; at least two runs.

    Returns
    -------
    float
    """
    matrix = churn_matrix(labels)
    if len(matrix) < 2:
        raise ValueError("pairwise churn needs at least two runs")
    return float(matrix[np.triu_indices(len(matrix), k=1)].mean())


def confidence_spread(confidence) -> pd.DataFrame:
    """How far each item's confidence moves across runs.

    Parameters
    ----------
    confidence : array-like of shape (n_runs, n_items)
        Confidence of each run in its prediction, for example ``Retrains.confidence``.

    Returns
    -------
    pandas.DataFrame
        One row per item with columns ``mean``, ``std`` (sample standard deviation
        across runs), ``min``, ``max`` and ``spread`` (max minus min).
    """
    confidence = np.asarray(confidence, dtype=float)
    if confidence.ndim != 2 or len(confidence) < 2:
        raise ValueError("confidence must be a (n_runs, n_items) array with at least two runs")
    low, high = confidence.min(axis=0), confidence.max(axis=0)
    return pd.DataFrame(
        {
            "mean": confidence.mean(axis=0),
            "std": confidence.std(axis=0, ddof=1),
            "min": low,
            "max": high,
            "spread": high - low,
        }
    )
