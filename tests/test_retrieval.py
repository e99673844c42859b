"""Chunking, retrievers and retrieval metrics, checked against independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from blas_kernels import outputs_under_kernels
from sklearn.metrics import label_ranking_average_precision_score

from aipm_lab import datasets, retrieval, tokens
from aipm_lab.datasets import help_center

ARTICLES = pd.DataFrame({"article_id": ["A", "B"], "body": [
    "# Refunds\n\n## How long\nRefunds arrive in 5 days.\n\n## Fees\nNo fee applies.",
    "# Declines\n\n## Codes\nCode 51 means insufficient funds."]})


def test_heading_chunks_keep_the_title_and_cover_every_section():
    chunks = retrieval.chunk_by_heading(ARTICLES)
    assert chunks["article_id"].tolist() == ["A", "A", "B"]
    assert all(t.startswith("# ") for t in chunks["text"])
    assert "5 days" in chunks["text"][0] and "No fee" in chunks["text"][1]


@pytest.mark.parametrize("size,overlap", [(8, 0), (8, 3), (5, 4)])
def test_token_windows_have_the_size_and_overlap_asked_for(size, overlap):
    tok = tokens.train_bpe(ARTICLES["body"].tolist() * 5, 300)
    chunks = retrieval.chunk_by_tokens(ARTICLES, tok, size, overlap)
    for article_id, body in zip(ARTICLES["article_id"], ARTICLES["body"]):
        n = len(tok.encode(body).ids)
        starts = list(range(0, max(n - overlap, 1), size - overlap))
        assert (chunks["article_id"] == article_id).sum() == len(starts)
    assert (tokens.count_tokens(tok, chunks["text"]) <= size + 1).all()  # +1: a re-encoded edge may split
    with pytest.raises(ValueError, match="overlap"):
        retrieval.chunk_by_tokens(ARTICLES, tok, 4, 4)


def test_hits_and_reciprocal_ranks_by_brute_force():
    rng = np.random.default_rng(0)
    ids = [f"a{i}" for i in range(8)]
    rankings = [list(rng.permutation(ids)) for _ in range(50)]
    gold = [set(rng.choice(ids, size=rng.integers(1, 3), replace=False)) for _ in range(50)]
    for k in (1, 3, 5):
        brute = [any(a in g for a in r[:k]) for r, g in zip(rankings, gold)]
        assert retrieval.hits_at_k(rankings, gold, k).tolist() == brute
    rr = retrieval.reciprocal_ranks(rankings, gold)
    first = [min(r.index(a) for a in g) + 1 for r, g in zip(rankings, gold)]
    assert np.allclose(rr, 1 / np.array(first))


def test_mrr_equals_sklearn_lrap_with_one_gold_item():
    rng = np.random.default_rng(1)
    scores = rng.random((40, 6))
    truth = np.zeros_like(scores, dtype=int)
    truth[np.arange(40), rng.integers(0, 6, 40)] = 1
    rankings = [list(np.argsort(-row)) for row in scores]
    gold = [set(np.flatnonzero(row)) for row in truth]
    assert retrieval.reciprocal_ranks(rankings, gold).mean() == pytest.approx(
        label_ranking_average_precision_score(truth, scores))


def test_evaluate_skips_unanswerable_and_brackets_the_estimates():
    rankings = [["a", "b"], ["b", "a"], ["c"], ["a"]]
    gold = [{"a"}, {"a"}, set(), {"z"}]
    out = retrieval.evaluate(rankings, gold, ks=(1, 2))
    assert out["n"] == 3 and out["recall@1"] == pytest.approx(1 / 3) and out["recall@2"] == pytest.approx(2 / 3)
    assert out["mrr"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert out["recall@1_low"] <= out["recall@1"] <= out["recall@1_high"]
    assert out["mrr_low"] <= out["mrr"] <= out["mrr_high"]


def test_recall_at_k_counts_the_k_chunks_sent_not_k_distinct_articles():
    """One definition (issue 22): the top k distinct articles can span more than k chunks."""
    rng = np.random.default_rng(2)
    chunk_articles = np.repeat([f"a{i}" for i in range(6)], 3)  # three chunks per article
    order = np.array([rng.permutation(len(chunk_articles)) for _ in range(60)])
    gold = [{f"a{rng.integers(6)}"} for _ in range(60)]
    sent = [set(chunk_articles[row[:3]]) for row in order]
    brute = np.mean([bool(s & g) for s, g in zip(sent, gold)])
    first_chunk = [next(i for i, c in enumerate(row) if chunk_articles[c] in g) + 1 for row, g in zip(order, gold)]
    out = retrieval.evaluate(retrieval.article_rankings(order, chunk_articles), gold, ks=(3,))
    assert out["recall@3"] == pytest.approx(brute)
    assert out["mrr"] == pytest.approx(np.mean(1 / np.array(first_chunk)))
    # The rankings cut at k give the same hits: the chunks sent are the first k either way.
    assert retrieval.hits_at_k(retrieval.article_rankings(order, chunk_articles, 3), gold, 3).mean() == pytest.approx(brute)


def test_rrf_by_hand():
    a, b = np.array([[0, 1, 2]]), np.array([[2, 1, 0]])
    fused = retrieval.rrf_scores([a, b], c=1)
    assert np.allclose(fused[0], [1 / 2 + 1 / 4, 1 / 3 + 1 / 3, 1 / 4 + 1 / 2])


def test_retrievers_find_an_exact_question_on_the_help_center():
    articles = datasets.load("help_center_articles", seed=4)
    questions = datasets.load("help_center_questions", seed=4)
    exact = questions[questions["kind"] == "exact"].head(30)
    gold = help_center.gold_sets(exact)
    for name, cls in retrieval.RETRIEVERS.items():
        order = cls().fit(articles["body"]).rank(exact["text"], 5)
        ranked = retrieval.article_rankings(order, articles["article_id"])
        assert retrieval.hits_at_k(ranked, gold, 5).mean() >= 0.9, name


_DENSE = """
import hashlib
from aipm_lab import datasets, retrieval
chunks = retrieval.chunk_by_heading(datasets.load("help_center_articles", seed=2026))
questions = datasets.load("help_center_questions", seed=2026)
print(hashlib.sha256(retrieval.Dense().fit(chunks["text"]).rank(questions["text"]).tobytes()).hexdigest())
"""


def test_copies_of_a_text_tie_exactly_in_dense_scores_and_rank_in_index_order():
    """Sections shared by two articles: a last-bit difference between copies must not decide their order."""
    chunks = retrieval.chunk_by_heading(datasets.load("help_center_articles", seed=2026))
    questions = datasets.load("help_center_questions", seed=2026)
    copies = [idx for idx in chunks.groupby("text").indices.values() if len(idx) > 1]
    assert copies  # the corpus has shared sections
    dense = retrieval.Dense().fit(chunks["text"])
    scores, order = dense.scores(questions["text"]), dense.rank(questions["text"])
    position = np.argsort(order, axis=1)
    for idx in copies:
        assert (scores[:, idx] == scores[:, idx[:1]]).all()
        assert (np.diff(position[:, idx], axis=1) > 0).all()


def test_dense_rankings_are_the_same_under_every_openblas_kernel():
    runs = outputs_under_kernels(_DENSE)
    assert len(set(runs.values())) == 1, runs


def test_grounded_answers():
    out = retrieval.grounded_answers([True, True, False, False], [True, True, True, False], [False, True, False, True])
    assert out.tolist() == [True, False, False, True]


def test_help_center_gold_ids_exist_and_never_point_to_stale_articles():
    for seed in (0, 1):
        articles = datasets.load("help_center_articles", seed=seed).set_index("article_id")
        questions = datasets.load("help_center_questions", seed=seed)
        for g, kind in zip(help_center.gold_sets(questions), questions["kind"]):
            assert (not g) == (kind == "unanswerable")
            assert all(articles.loc[a, "status"] == "current" for a in g)


@pytest.mark.parametrize("seed", range(5))
def test_help_center_datasheet_words_hold_for_other_seeds(seed):
    from aipm_lab.datasets import help_center_articles, help_center_questions

    articles = datasets.generate("help_center_articles", seed)
    f = help_center_articles.facts(articles)
    assert f["es"] > 0 and f["duplicates"] > 0 and f["stale"] > 0
    # "they are shorter than the English originals"
    originals = articles.set_index("article_id")["n_words"]
    spanish = articles[articles["language"] == "es"]
    assert (spanish["n_words"].to_numpy() < originals.loc[spanish["same_as"]].to_numpy()).all()
    # "stale ... whose numbers differ from the current one"
    stale = articles[articles["status"] == "stale"]
    bodies = articles.set_index("article_id")["body"]
    assert all(body != bodies[current] for body, current in zip(stale["body"], stale["same_as"]))
    q = help_center_questions.facts(datasets.generate("help_center_questions", seed))
    assert q["unanswerable"] > 0 and q["multi"] > 0 and q["spanish"] > 0
