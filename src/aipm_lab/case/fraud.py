"""Paylark's card-fraud model: the one split and pipeline that every fraud part reuses.

Keeping them here means parts 2, 3, 4, 6 and 9 talk about the same model, and a
notebook shows only the lines where seeing the mechanics is the lesson.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

TARGET = "is_fraud"
CATEGORICAL = ["merchant_category", "channel", "device", "region", "hour"]
NUMERIC = ["amount", "customer_tenure_days", "is_foreign"]


def split(df: pd.DataFrame, seed: int, test_size: float = 0.3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified train/test split, so both halves keep the rare fraud rate.

    Returns
    -------
    train, test : pandas.DataFrame
    """
    return train_test_split(df, test_size=test_size, random_state=seed, stratify=df[TARGET])


def make_model(class_weight=None, resampler=None):
    """The fraud model: one-hot categories, log-scaled numbers, logistic regression.

    Parameters
    ----------
    class_weight : None, "balanced" or dict
        Passed to :class:`~sklearn.linear_model.LogisticRegression`.
    resampler : imbalanced-learn sampler, optional
        For example ``SMOTE(random_state=seed)``; applied to the training data only,
        after encoding (an :class:`imblearn.pipeline.Pipeline` keeps it out of scoring).

    Returns
    -------
    Pipeline
        Unfitted; ``fit(X, y)`` takes the transaction table and the ``is_fraud`` column.
    """
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
        (
            # Amounts and tenure are heavy-tailed: the log keeps a few large ones from dominating.
            FunctionTransformer(np.log1p, feature_names_out="one-to-one"),
            ["amount", "customer_tenure_days"],
        ),
        ("passthrough", ["is_foreign"]),
    )
    classifier = LogisticRegression(max_iter=2000, class_weight=class_weight)
    if resampler is None:
        from sklearn.pipeline import make_pipeline

        return make_pipeline(encode, StandardScaler(), classifier)
    from imblearn.pipeline import make_pipeline

    return make_pipeline(encode, StandardScaler(), resampler, classifier)


def fit_scores(train: pd.DataFrame, test: pd.DataFrame, model=None) -> np.ndarray:
    """Fit ``model`` (default :func:`make_model`) on ``train``; return fraud scores for ``test``."""
    model = model if model is not None else make_model()
    model.fit(train, train[TARGET])
    return model.predict_proba(test)[:, 1]
