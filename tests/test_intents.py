"""The ticket-intent model shared by parts 1 and 5: split, pipeline, message traits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import is_classifier

from aipm_lab import datasets
from aipm_lab.case import intents
from aipm_lab.datasets import tickets

SEED = datasets.DEFAULT_SEED


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return datasets.load("support_tickets", seed=SEED)


@pytest.fixture(scope="module")
def fitted(df):
    train, test = intents.split(df, seed=SEED)
    return train, test, intents.make_model().fit(train["text"], train["intent"])


def test_split_is_stratified_deterministic_and_seeded(df):
    train, test = intents.split(df, seed=SEED)
    assert len(test) == round(0.3 * len(df)) and len(train) + len(test) == len(df)
    assert not set(train.index) & set(test.index)
    shares = df["intent"].value_counts(normalize=True)
    test_shares = test["intent"].value_counts(normalize=True)
    assert (test_shares - shares).abs().max() < 0.005
    again, _ = intents.split(df, seed=SEED)
    other, _ = intents.split(df, seed=SEED + 1)
    assert list(again.index) == list(train.index)
    assert list(other.index) != list(train.index)
    assert len(intents.split(df, seed=SEED, test_size=0.5)[1]) == len(df) // 2


def test_make_model_is_a_fresh_unfitted_text_classifier():
    first, second = intents.make_model(), intents.make_model()
    assert first is not second and is_classifier(first)
    assert not hasattr(first[-1], "coef_")
    assert [name for name, _ in first.steps] == ["tfidfvectorizer", "logisticregression"]


def test_model_accuracy_band_and_probabilities(fitted):
    _, test, model = fitted
    accuracy = (model.predict(test["text"]) == test["intent"].to_numpy()).mean()
    assert 0.82 <= accuracy <= 0.90
    proba = model.predict_proba(test["text"][:20])
    assert proba.shape == (20, len(tickets.LABELS))
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert set(model.classes_) == set(tickets.LABELS)


def test_message_traits_hand_checked():
    rows = pd.DataFrame(
        {
            "text": [
                "My card was declined at Brightmart.",  # a demo message: no trait
                "Mi tarjeta fue rechazada en Brightmart.",
                "My card was declined at Brightmart. Also I think I lost my card.",
                "card??",
                "hi there, something is wrong with my card. thx",
                "My crad was declined at Brightmart.",
            ],
            "language": ["en", "es", "en", "en", "en", "en"],
            "second_intent": ["none", "none", "lost_card", "none", "none", "none"],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    traits = intents.message_traits(rows)
    assert list(traits.columns) == list(intents.TRAITS)
    assert list(traits.index) == [10, 11, 12, 13, 14, 15]
    expected = np.array(
        [
            [False, False, False, False, False],
            [True, False, False, False, False],
            [False, True, False, False, False],
            [False, False, True, False, False],
            [False, False, False, True, False],
            [False, False, False, False, True],
        ]
    )
    np.testing.assert_array_equal(traits.to_numpy(), expected)
    tail = intents.long_tail(rows)
    assert tail.name == "long_tail" and tail.tolist() == [False, True, True, True, True, True]


def test_traits_match_the_datasheet_and_spare_the_demo(df):
    traits = intents.message_traits(df)
    shares = traits.mean()
    assert 0.04 < shares["spanish"] < 0.09 and 0.05 < shares["two_requests"] < 0.10
    assert 0.03 < shares["few_words"] < 0.09 and 0.12 < shares["vague"] < 0.19
    assert 0.08 < shares["typo"] < 0.14
    assert not intents.message_traits(tickets.demo_examples(df, n=50)).any().any()


def test_long_tail_scores_well_below_the_rest(fitted):
    _, test, model = fitted
    correct = model.predict(test["text"]) == test["intent"].to_numpy()
    tail = intents.long_tail(test).to_numpy()
    assert 0.3 < tail.mean() < 0.55
    assert correct[tail].mean() < 0.78 < 0.92 < correct[~tail].mean()
