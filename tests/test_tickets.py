"""The support-ticket generator: determinism, schema, built-in quirks and difficulty."""

from __future__ import annotations

import io
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from aipm_lab import datasets
from aipm_lab.case import intents
from aipm_lab.datasets import tickets

SEED = datasets.DEFAULT_SEED


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return tickets.generate(SEED)


@pytest.fixture(scope="module")
def split(df):
    """A 70/30 split and a plain TF-IDF + logistic regression baseline fitted on it.

    Deliberately not ``intents.make_model()``: these tests describe how hard the data is
    for an untuned text classifier, independently of the lesson's tuned pipeline.
    """
    train, test = train_test_split(df, test_size=0.3, random_state=0, stratify=df["intent"])
    model = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))
    return train, test, model.fit(train["text"], train["intent"])


def test_same_seed_same_bytes_other_seed_other_data(df):
    assert datasets.to_csv_bytes(tickets.generate(SEED)) == datasets.to_csv_bytes(df)
    other = tickets.generate(SEED + 1)
    assert datasets.to_csv_bytes(other) != datasets.to_csv_bytes(df)
    assert (other["text"] != df["text"]).mean() > 0.5


def test_schema_matches_columns_and_survives_a_csv_round_trip(df):
    assert list(df.columns) == [c.name for c in tickets.COLUMNS]
    assert len(df) == tickets.N_ROWS
    assert df["message_id"].tolist() == list(range(len(df)))
    # load() reads the stored CSV with these dtypes; it must give back the same table.
    data = datasets.to_csv_bytes(df)
    back = pd.read_csv(io.BytesIO(data), dtype={c.name: c.dtype for c in tickets.COLUMNS})
    assert not back.isna().any().any()
    assert datasets.to_csv_bytes(back) == data


def test_row_count_follows_n_rows():
    assert len(tickets.generate(5, n_rows=300)) == 300


def test_fast_and_small(df):
    best = min(_timed(lambda: tickets.generate(SEED)) for _ in range(3))
    assert best < 0.5
    assert len(datasets.to_csv_bytes(df)) < 600_000


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_ten_intents_with_uneven_shares(df):
    shares = df["intent"].value_counts(normalize=True)
    assert set(shares.index) == set(tickets.LABELS) and len(shares) == 10
    assert shares.min() > 0.03 and shares.max() < 0.2
    assert shares.idxmin() == "account_closure"


def test_categorical_columns_take_documented_values(df):
    assert set(df["language"]) == {"en", "es"}
    assert set(df["channel"]) == set(tickets.CHANNELS)
    assert set(df["second_intent"]) == {"none", *tickets.LABELS}


@pytest.mark.parametrize("seed", [SEED, 1, 2])
def test_quirk_prevalence(seed):
    df = tickets.generate(seed)
    spanish = df["language"] == "es"
    assert 0.04 < spanish.mean() < 0.09
    # Spanish is more common on chat than by email.
    assert spanish[df["channel"] == "chat"].mean() > spanish[df["channel"] == "email"].mean()

    mixed = df["second_intent"] != "none"
    assert 0.05 < mixed.mean() < 0.10
    assert mixed[df["channel"] == "email"].mean() > 2 * mixed[df["channel"] == "chat"].mean()

    n_words = df["text"].str.split().str.len()
    assert 0.04 < (n_words[df["channel"] != "email"] <= 2).mean() < 0.10
    assert (n_words[df["channel"] == "email"] <= 3).mean() == 0

    has_typo = intents.message_traits(df)["typo"]
    assert 0.08 < has_typo.mean() < 0.14


def test_vague_messages_appear_under_every_intent_of_their_family(df):
    family = {label: spec.family for label, spec in tickets.INTENTS.items()}
    for name, wordings in tickets.VAGUE.items():
        phrase = next(w for w in wordings["en"] if "{" not in w).rstrip(".?").lower()
        labels = set(df.loc[df["text"].str.lower().str.contains(phrase, regex=False), "intent"])
        assert {label for label, f in family.items() if f == name} <= labels


def test_tfidf_logistic_accuracy_in_target_band(split):
    _, test, model = split
    accuracy = (model.predict(test["text"]) == test["intent"].to_numpy()).mean()
    assert 0.80 <= accuracy <= 0.90


def test_spanish_slice_scores_lower(split):
    _, test, model = split
    correct = model.predict(test["text"]) == test["intent"].to_numpy()
    spanish = (test["language"] == "es").to_numpy()
    assert correct[spanish].mean() < correct[~spanish].mean() - 0.03


def test_demo_examples_are_plain_one_per_intent_and_all_right(df, split):
    demo = tickets.demo_examples(df)
    assert list(demo["intent"]) == list(tickets.LABELS)
    assert (demo["language"] == "en").all() and (demo["second_intent"] == "none").all()
    for text, label in zip(demo["text"], demo["intent"]):
        plain = tickets.INTENTS[label].english[0]
        assert text in {plain.format(merchant=m) for m in tickets.MERCHANTS}
    # The point of the lesson: the demo is perfect, the held-out data is not.
    _, test, model = split
    assert (model.predict(demo["text"]) == demo["intent"].to_numpy()).all()
    assert (model.predict(test["text"]) == test["intent"].to_numpy()).mean() < 0.95


def test_demo_examples_order_and_size(df, split):
    assert tickets.demo_examples(df, n=3)["intent"].tolist() == list(tickets.LABELS[:3])
    many = tickets.demo_examples(df, n=25)
    assert len(many) == 25 and many["intent"].value_counts().min() >= 2
    assert many.index.is_unique
    _, test, _ = split
    from_test = tickets.demo_examples(test)
    assert len(from_test) == 10 and from_test.index.isin(test.index).all()
    pd.testing.assert_frame_equal(from_test, tickets.demo_examples(test))


def test_datasheet_lists_the_quirks():
    sheet = datasets.datasheet("support_tickets")
    assert tickets.QUIRKS.splitlines()[0] in sheet
    assert "part 01" in sheet and "part 05" in sheet
    assert np.all([f"`{c.name}`" in sheet for c in tickets.COLUMNS])
