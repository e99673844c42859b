"""Tokens from a BPE tokenizer trained offline: deterministic, cached, and counted right."""

from __future__ import annotations

import subprocess
import sys

import pytest

from aipm_lab import tokens

TEXTS = ["Refunds from an airline usually arrive within 5 business days."] * 30 + [
    "Card declined with code 51 (insufficient funds).", "Los reembolsos suelen llegar en 5 días hábiles."] * 10


def test_training_is_deterministic_across_processes():
    code = ("from aipm_lab import tokens; import json; t = tokens.help_center_tokenizer(3, 800); "
            "print(json.dumps(sorted(t.get_vocab().items())))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}
    assert len(runs) == 1
    assert runs.pop().startswith("[[")


def test_tokenizer_is_cached_per_seed_and_size():
    assert tokens.help_center_tokenizer(3, 800) is tokens.help_center_tokenizer(3, 800)
    assert tokens.help_center_tokenizer(3, 800) is not tokens.help_center_tokenizer(3, 600)
    assert tokens.train_bpe(TEXTS, 300) is tokens.train_bpe(list(TEXTS), 300)


def test_counts_match_the_encodings_and_round_trip():
    tok = tokens.train_bpe(TEXTS, 300)
    for text in ("Refunds from an airline", "¿Qué significa código 51?", "emoji 🙂 too"):
        enc = tok.encode(text)
        assert tokens.count_tokens(tok, text)[0] == len(enc.ids) > 0
        assert tok.decode(enc.ids) == text  # byte level: nothing is unknown, nothing is lost


def test_a_larger_vocabulary_needs_fewer_tokens_on_its_training_text():
    small, large = (tokens.text_stats(tokens.train_bpe(TEXTS, v), TEXTS) for v in (260, 400))
    assert large["tokens"] < small["tokens"]
    assert large["words_per_token"] > small["words_per_token"]


def test_stats_are_ratios_of_independent_counts():
    tok = tokens.train_bpe(TEXTS, 300)
    stats = tokens.text_stats(tok, TEXTS[:3])
    assert stats["words"] == 3 * len(TEXTS[0].split()) and stats["chars"] == 3 * len(TEXTS[0])
    assert stats["words_per_token"] == pytest.approx(stats["words"] / stats["tokens"])
    table = tokens.ratio_table({"en": TEXTS[:3]}, [300], TEXTS)
    assert table.loc[0, "tokens"] == stats["tokens"]


def test_bad_input_is_a_plain_error():
    with pytest.raises(ValueError, match="at least 256"):
        tokens.train_bpe(TEXTS, 100)
    with pytest.raises(ValueError, match="at least one text"):
        tokens.train_bpe([], 300)
