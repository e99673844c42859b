"""Counting tokens offline with a byte-level BPE tokenizer that the package trains itself (part 8).

Hosted language models bill by the token, so a PM's cost model needs real token counts, not
word counts. ``tiktoken`` downloads its encodings at run time, so it fails offline; Hugging
Face ``tokenizers`` trains and runs byte-level BPE locally in well under a second on a
help center's worth of text. A tokenizer trained here has a far smaller vocabulary than a
production model's (tens of thousands to a few hundred thousand entries, trained on a large
share of the web), so its counts are higher on text it has not seen: the lesson measures by
how much instead of assuming the rule of thumb.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

RULE_OF_THUMB = {"words_per_token": 0.75, "chars_per_token": 4.0}
"""The usual planning figures for English text and production vocabularies."""


def train_bpe(texts, vocab_size: int = 2000, min_frequency: int = 2) -> Tokenizer:
    """Train a byte-level BPE tokenizer on ``texts`` (deterministic, cached in memory).

    Byte-level means every string can be encoded, in any language, with no unknown token:
    text the vocabulary does not cover just costs more tokens.

    Parameters
    ----------
    texts : sequence of str
        Training text, for example the help-center article bodies.
    vocab_size : int, default 2000
        Largest vocabulary to learn, at least 256 (the byte alphabet). A small corpus can
        run out of merges first: :meth:`tokenizers.Tokenizer.get_vocab_size` says how many
        entries were learnt.
    min_frequency : int, default 2
        A pair of symbols is merged only if it occurs at least this often.

    Returns
    -------
    tokenizers.Tokenizer
        The same object for the same texts and settings (do not modify it).

    Examples
    --------
    >>> tok = train_bpe(["refund refund refunds", "card declined"] * 20, vocab_size=300)
    >>> len(tok.encode("refund").ids) < len("refund")
    True
    """
    texts = [str(t) for t in texts]
    if not texts:
        raise ValueError("train_bpe needs at least one text")
    if int(vocab_size) < 256:
        raise ValueError(f"vocab_size must be at least 256 (the byte alphabet), got {vocab_size}")
    return _train(tuple(texts), int(vocab_size), int(min_frequency))


@lru_cache(maxsize=32)
def _train(texts: tuple, vocab_size: int, min_frequency: int) -> Tokenizer:
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_frequency, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


@lru_cache(maxsize=16)
def help_center_tokenizer(seed: int, vocab_size: int = 2000) -> Tokenizer:
    """The BPE tokenizer trained on the help-center articles of ``seed`` (cached per seed and size).

    Parameters
    ----------
    seed : int
        The data variant of ``help_center_articles``.
    vocab_size : int, default 2000
        As in :func:`train_bpe`.

    Returns
    -------
    tokenizers.Tokenizer
    """
    from aipm_lab import datasets

    return train_bpe(datasets.load("help_center_articles", seed=seed)["body"], vocab_size)


def count_tokens(tokenizer: Tokenizer, texts) -> np.ndarray:
    """Number of tokens of each text.

    Parameters
    ----------
    tokenizer : tokenizers.Tokenizer
    texts : str or sequence of str

    Returns
    -------
    numpy.ndarray of int
        One count per text (a one-element array for a single string).
    """
    texts = [texts] if isinstance(texts, str) else [str(t) for t in texts]
    # encode_batch_fast: the same ids without the character offsets, which a count does not need.
    return np.array([len(e.ids) for e in tokenizer.encode_batch_fast(texts)], dtype=int)


def text_stats(tokenizer: Tokenizer, texts) -> dict:
    """Words, characters and tokens of a body of text, and the two ratios planners quote.

    Words are white-space separated; characters include spaces and punctuation, as the rule of
    thumb does.

    Parameters
    ----------
    tokenizer : tokenizers.Tokenizer
    texts : sequence of str

    Returns
    -------
    dict
        ``words``, ``chars``, ``tokens``, ``words_per_token`` and ``chars_per_token``.
    """
    texts = [str(t) for t in texts]
    tokens = int(count_tokens(tokenizer, texts).sum())
    if tokens == 0:
        raise ValueError("the texts have no tokens (empty strings only?)")
    words = sum(len(t.split()) for t in texts)
    chars = sum(len(t) for t in texts)
    return {"words": words, "chars": chars, "tokens": tokens,
            "words_per_token": words / tokens, "chars_per_token": chars / tokens}


def ratio_table(texts_by_group: dict, vocab_sizes, training_texts) -> pd.DataFrame:
    """Words and characters per token for groups of text, for tokenizers of several vocabulary sizes.

    Parameters
    ----------
    texts_by_group : dict
        Group name (for example ``"English articles"``) -> sequence of texts.
    vocab_sizes : iterable of int
        Vocabulary sizes to train (see :func:`train_bpe`).
    training_texts : sequence of str
        What every tokenizer is trained on.

    Returns
    -------
    pandas.DataFrame
        One row per (vocab_size, group): ``vocab_size``, ``vocab_learnt``, ``group`` and the
        fields of :func:`text_stats`.
    """
    rows = []
    for size in vocab_sizes:
        tokenizer = train_bpe(training_texts, size)
        for group, texts in texts_by_group.items():
            rows.append({"vocab_size": int(size), "vocab_learnt": tokenizer.get_vocab_size(), "group": group,
                         **text_stats(tokenizer, texts)})
    return pd.DataFrame(rows)
