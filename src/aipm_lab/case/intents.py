"""Paylark's ticket-intent classifier: the one split and pipeline that parts 1 and 5 reuse.

The model reads a support message and names its intent (refund, card declined, ...)
so the ticket reaches the right queue. Keeping the split and the pipeline here means
both parts talk about the same model, and :func:`message_traits` names the kinds of
message that a clean demo never shows.

Examples
--------
>>> from aipm_lab import datasets
>>> from aipm_lab.case import intents
>>> df = datasets.load("support_tickets", seed=2026)                 # doctest: +SKIP
>>> train, test = intents.split(df, seed=2026)                        # doctest: +SKIP
>>> model = intents.make_model().fit(train["text"], train["intent"])  # doctest: +SKIP
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from aipm_lab.datasets import tickets

TEXT = "text"
TARGET = "intent"
TRAITS = ("spanish", "two_requests", "few_words", "vague", "typo")
"""Columns of :func:`message_traits`, in order."""

_WORD = re.compile(r"[a-záéíóúñü]+")


def split(df: pd.DataFrame, seed: int, test_size: float = 0.3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train/test split stratified by intent, so both halves keep the rare intents.

    Parameters
    ----------
    df : pandas.DataFrame
        The ``support_tickets`` table (or any table with an ``intent`` column).
    seed : int
        ``random_state`` of :func:`sklearn.model_selection.train_test_split`.
    test_size : float, default 0.3
        Share of the rows held out for evaluation.

    Returns
    -------
    train, test : pandas.DataFrame
        Rows of ``df`` with their original index.
    """
    return train_test_split(df, test_size=test_size, random_state=seed, stratify=df[TARGET])


def make_model():
    """The intent model: TF-IDF word weights, then a multinomial logistic regression.

    Words seen in only one training message (mostly typos and amounts) are dropped
    (``min_df=2``), and repeated words count logarithmically (``sublinear_tf``). The
    Newton-CG solver is deterministic and converges in a few steps here; unlike the
    default L-BFGS it stays fast when a notebook kernel shares two busy cores. A fit
    takes well under a tenth of a second, so a lesson can retrain the model ten times.

    Returns
    -------
    Pipeline
        Unfitted; ``fit(texts, intents)`` takes the ``text`` column and the ``intent``
        column, ``predict_proba(texts)`` gives one probability per intent.
    """
    return make_pipeline(
        TfidfVectorizer(sublinear_tf=True, min_df=2),
        LogisticRegression(solver="newton-cg", max_iter=1000),
    )


@lru_cache(maxsize=1)
def _vague_wordings() -> re.Pattern[str]:
    """One regex for the wordings that name a topic but not the request."""
    wordings = [w for family in tickets.VAGUE.values() for texts in family.values() for w in texts]
    # The generator's template matcher fills the slots; the end punctuation is optional
    # because chat messages often drop it.
    patterns = [tickets.plain_pattern(w.rstrip(".?")).pattern for w in wordings]
    return re.compile("|".join(patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Every word the message generator can write, so any other word is a typo."""
    strings = [*tickets.MERCHANTS, *tickets.CARDS, *tickets.BANKS, *tickets.DETAILS]
    for spec in tickets.INTENTS.values():
        strings += [*spec.english, *spec.spanish, *spec.short, spec.aside]
    for table in (tickets.VAGUE, tickets.DAYS, tickets.PEOPLE, tickets.OPENERS, tickets.CLOSERS):
        for value in table.values():
            for item in value.values() if isinstance(value, dict) else [value]:
                strings += [item] if isinstance(item, str) else list(item)
    return frozenset(word for text in strings for word in _WORD.findall(text.lower()))


def message_traits(df: pd.DataFrame) -> pd.DataFrame:
    """Flag the traits that make a message harder than the ones a demo shows.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of the ``support_tickets`` table (columns ``text``, ``language`` and
        ``second_intent``).

    Returns
    -------
    pandas.DataFrame
        Same index as ``df``, one boolean column per trait:

        - ``spanish``: written in Spanish;
        - ``two_requests``: carries a second request (``second_intent`` is not ``none``);
        - ``few_words``: three words or fewer ("card??", "help refund");
        - ``vague``: uses a wording that names a topic but not the request
          ("Something is wrong with my card."), shared by several intents;
        - ``typo``: contains a word outside the vocabulary the messages are written
          from, which in this dataset means a misspelling.

        A real team would get these from a language detector, a spell checker and a
        tagged sample; here the generator's templates stand in for them.
    """
    text = df[TEXT].astype(str)
    vague, vocabulary = _vague_wordings(), _vocabulary()
    return pd.DataFrame(
        {
            "spanish": df["language"].eq("es"),
            "two_requests": df["second_intent"].ne("none"),
            "few_words": text.str.split().str.len().le(3),
            "vague": text.map(lambda t: vague.search(t) is not None).astype(bool),
            "typo": text.map(lambda t: not set(_WORD.findall(t.lower())) <= vocabulary).astype(bool),
        },
        index=df.index,
    )


def long_tail(df: pd.DataFrame) -> pd.Series:
    """Messages with at least one trait of :func:`message_traits`: the long tail.

    Each trait is rare on its own, but together they touch a large share of the
    traffic, and the model does worst on them.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows of the ``support_tickets`` table.

    Returns
    -------
    pandas.Series of bool
        Same index as ``df``; named ``long_tail``.
    """
    return message_traits(df).any(axis=1).rename("long_tail")
