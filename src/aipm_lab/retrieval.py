"""Retrieval for a help-center copilot: chunking, three retrievers, and how to score them (part 8).

* Chunking: :func:`chunk_by_heading` (one chunk per ``##`` section, the title kept as context)
  and :func:`chunk_by_tokens` (fixed windows of a tokenizer's tokens, with overlap).
* Retrievers with one interface, ``fit(texts)`` then ``rank(queries, k)``:
  :class:`BM25` (keywords, with ``bm25s``), :class:`Dense` (an embedding built offline from
  the corpus: TF-IDF on character n-grams reduced by truncated SVD, with scikit-learn; no model
  download) and :class:`Hybrid` (reciprocal rank fusion of the two).
* Scoring: :func:`hits_at_k`, :func:`reciprocal_ranks` and :func:`evaluate` (recall@k and MRR
  with 95% intervals) on :func:`article_rankings`, the article of every ranked chunk. One
  definition throughout: recall@k is the share of answerable questions with a gold article
  among the ``k`` chunks sent to the model, and MRR uses the rank of the first chunk from a
  gold article. :func:`grounded_answers` gives the grounded-answer rate.
"""

from __future__ import annotations

import re

import bm25s
import numpy as np
import pandas as pd
from scipy.stats import bootstrap
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer
from threadpoolctl import threadpool_limits

from aipm_lab.estimates import accuracy_interval

_HEADING = re.compile(r"(?m)^## ")


def chunk_by_heading(articles: pd.DataFrame) -> pd.DataFrame:
    """One chunk per ``##`` section of every article, prefixed with the article's title line.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``article_id`` and ``body`` (Markdown with a ``#`` title line and ``##`` sections).

    Returns
    -------
    pandas.DataFrame
        ``article_id`` and ``text``, one row per chunk, in article order.
    """
    _require(articles, ["article_id", "body"])
    rows = []
    for article_id, body in zip(articles["article_id"], articles["body"]):
        title, *sections = _HEADING.split(body)
        title = title.strip()
        rows += [(article_id, f"{title}\n## {s.strip()}") for s in sections] or [(article_id, title)]
    return pd.DataFrame(rows, columns=["article_id", "text"])


def chunk_by_tokens(articles: pd.DataFrame, tokenizer, size: int, overlap: int = 0) -> pd.DataFrame:
    """Fixed windows of ``size`` tokens, each starting ``size - overlap`` tokens after the last.

    Windows are cut on token boundaries and returned as the original text they cover (from the
    tokenizer's character offsets), so a window can start mid-sentence, as in practice.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``article_id`` and ``body``.
    tokenizer : tokenizers.Tokenizer
        For example :func:`aipm_lab.tokens.help_center_tokenizer`.
    size : int
        Tokens per window (the last window of an article can be shorter).
    overlap : int, default 0
        Tokens shared by consecutive windows, ``0 <= overlap < size``.

    Returns
    -------
    pandas.DataFrame
        ``article_id`` and ``text``, one row per window.
    """
    _require(articles, ["article_id", "body"])
    if size < 1 or not 0 <= overlap < size:
        raise ValueError(f"need size >= 1 and 0 <= overlap < size, got size={size}, overlap={overlap}")
    rows = []
    bodies = articles["body"].tolist()
    for article_id, body, enc in zip(articles["article_id"], bodies, tokenizer.encode_batch(bodies)):
        offsets = enc.offsets
        for start in range(0, max(len(offsets) - overlap, 1), size - overlap):
            window = offsets[start:start + size]
            if window:
                rows.append((article_id, body[window[0][0]:window[-1][1]]))
    return pd.DataFrame(rows, columns=["article_id", "text"])


def _require(df: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"the table needs the columns {missing}")


class BM25:
    """Keyword retrieval with Okapi BM25 (``bm25s``), English stop words removed, no stemming.

    Parameters
    ----------
    k1, b : float
        BM25's term-saturation and length-normalisation parameters (the usual defaults).
    """

    def __init__(self, k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b

    def fit(self, texts) -> BM25:
        """Index the texts (chunks or whole articles)."""
        texts = list(texts)
        if not texts:
            raise ValueError("nothing to index")
        self.n_ = len(texts)
        self.index_ = bm25s.BM25(k1=self.k1, b=self.b)
        self.index_.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
        return self

    def scores(self, queries) -> np.ndarray:
        """BM25 score of every indexed text for every query, shape (n_queries, n_texts)."""
        # bm25s scores one query at a time from its token strings; unknown words simply score 0.
        tokenized = bm25s.tokenize(list(queries), stopwords="en", show_progress=False, return_ids=False)
        return np.vstack([self.index_.get_scores(q) for q in tokenized])

    def rank(self, queries, k: int | None = None) -> np.ndarray:
        """Indices of the ``k`` best texts per query, best first (ties keep index order)."""
        return _top(self.scores(queries), k)


class Dense:
    """A dense retriever from an embedding built offline: TF-IDF on character n-grams, then truncated SVD.

    Latent semantic analysis, the classic way to get dense vectors from a corpus alone: words that
    occur in the same contexts end up close. Character n-grams (3 to 5 letters within words) make
    it tolerant of typos and shared word stems. It is not a neural embedding model: it knows only
    the corpus it was fitted on.

    Parameters
    ----------
    n_components : int, default 100
        Dimensions of the embedding.
    random_state : int, default 0
        Seed of the randomized SVD.
    """

    def __init__(self, n_components: int = 100, random_state: int = 0):
        self.n_components, self.random_state = n_components, random_state

    def fit(self, texts) -> Dense:
        """Fit the embedding on the texts and embed them."""
        texts = list(texts)
        if len(texts) < 2:
            raise ValueError("need at least two texts to fit an embedding")
        components = min(self.n_components, len(texts) - 1)
        self.embedder_ = make_pipeline(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
            TruncatedSVD(components, random_state=self.random_state),
            Normalizer(),
        )
        # One BLAS thread: these matrices are small, and threads competing for a shared machine's
        # cores made the SVD ten times slower in our runs.
        with threadpool_limits(1):
            vectors = self.embedder_.fit_transform(texts)
        # Each distinct text is embedded and scored once, so copies of a text (a section shared by two
        # articles) tie exactly and rank in index order. Computed per copy, a matrix product can give
        # equal rows results a last bit apart, and which copy wins then depends on the CPU's BLAS kernel.
        _, first, self.copy_of_ = np.unique(texts, return_index=True, return_inverse=True)
        self.distinct_ = vectors[first]
        self.vectors_ = self.distinct_[self.copy_of_]
        return self

    def scores(self, queries) -> np.ndarray:
        """Cosine similarity of every query with every text, shape (n_queries, n_texts)."""
        with threadpool_limits(1):
            return (self.embedder_.transform(list(queries)) @ self.distinct_.T)[:, self.copy_of_]

    def rank(self, queries, k: int | None = None) -> np.ndarray:
        """Indices of the ``k`` most similar texts per query, best first."""
        return _top(self.scores(queries), k)


class Hybrid:
    """Reciprocal rank fusion (Cormack et al., 2009) of several retrievers' rankings.

    Each text scores ``sum(1 / (c + rank))`` over the retrievers (rank from 1). Fusion by ranks
    needs no score calibration between BM25 and cosine similarities. Written by hand: it is three
    lines, and the libraries that ship it (ranx, rank-fusion packages) would add a dependency.

    Parameters
    ----------
    retrievers : sequence, optional
        Unfitted retrievers; default ``(BM25(), Dense())``.
    c : float, default 60
        The constant of the original paper; larger values flatten the weight of top ranks.
    """

    def __init__(self, retrievers=None, c: float = 60.0):
        self.retrievers, self.c = retrievers, c

    def fit(self, texts) -> Hybrid:
        """Fit every retriever on the texts."""
        texts = list(texts)
        self.retrievers_ = [r.fit(texts) for r in (self.retrievers or (BM25(), Dense()))]
        return self

    def scores(self, queries) -> np.ndarray:
        """Fused reciprocal-rank score of every text for every query."""
        queries = list(queries)
        return rrf_scores([r.rank(queries) for r in self.retrievers_], self.c)

    def rank(self, queries, k: int | None = None) -> np.ndarray:
        """Indices of the ``k`` best texts per query by fused score, best first."""
        return _top(self.scores(queries), k)


def rrf_scores(orders, c: float = 60.0) -> np.ndarray:
    """Reciprocal-rank-fusion scores from full rankings (each from ``rank(queries)`` with ``k=None``).

    Parameters
    ----------
    orders : sequence of numpy.ndarray
        Each of shape (n_queries, n_texts): text indices per query, best first.
    c : float, default 60

    Returns
    -------
    numpy.ndarray
        Shape (n_queries, n_texts); rank them with ``np.argsort(-scores, axis=1)``.
    """
    fused = 0.0
    for order in orders:
        order = np.asarray(order)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, order.shape[1] + 1)[None, :], axis=1)
        fused = fused + 1.0 / (c + ranks)
    return fused


RETRIEVERS = {"bm25": BM25, "dense": Dense, "hybrid": Hybrid}
"""Name -> retriever class, for loops and explorers."""


def _top(scores: np.ndarray, k: int | None) -> np.ndarray:
    """Column indices of each row's k highest scores, highest first; a stable sort keeps ties in index order."""
    order = np.argsort(-scores, axis=1, kind="stable")
    return order if k is None else order[:, :k]


def article_rankings(order: np.ndarray, chunk_articles, k: int | None = None) -> np.ndarray:
    """The article id of every ranked chunk, best first: one entry per chunk, repeats kept.

    This is what makes recall@k mean the same thing everywhere in the package: with these
    rankings, :func:`hits_at_k` asks whether a gold article is among the first ``k`` *chunks*
    (the chunks sent to the model), never among the first ``k`` distinct articles, which can
    span more than ``k`` chunks; and :func:`reciprocal_ranks` gives 1 / (rank of the first
    chunk from a gold article).

    Parameters
    ----------
    order : numpy.ndarray
        Chunk indices per query, best first (from ``rank``).
    chunk_articles : sequence of str
        The article id of every chunk.
    k : int, optional
        Keep only the top ``k`` chunks (the chunks that are sent to the model).

    Returns
    -------
    numpy.ndarray
        Shape (n_queries, k or n_chunks): article ids, one per ranked chunk.

    Examples
    --------
    >>> ranked = article_rankings(np.array([[0, 1, 2]]), ["A", "A", "B"])
    >>> ranked.tolist(), hits_at_k(ranked, [{"B"}], 2).tolist()
    ([['A', 'A', 'B']], [False])
    """
    ids = np.asarray(chunk_articles)
    return ids[np.asarray(order)[:, :k]]


def hits_at_k(rankings, gold, k: int) -> np.ndarray:
    """Whether any gold article is among the first ``k`` of each ranking.

    Parameters
    ----------
    rankings : sequence of sequence of str
        Article ids per question, best first.
    gold : sequence of set of str
        Gold article ids per question (empty for an unanswerable question).
    k : int

    Returns
    -------
    numpy.ndarray of bool
        False for every question without gold articles: score only answerable questions.
    """
    if len(rankings) != len(gold):
        raise ValueError(f"{len(rankings)} rankings but {len(gold)} gold sets")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    return np.array([bool(set(r[:k]) & g) for r, g in zip(rankings, gold)])


def reciprocal_ranks(rankings, gold) -> np.ndarray:
    """1 / (position of the first gold article) per question, 0 when none is ranked.

    Hand-written: scikit-learn's ``label_ranking_average_precision_score`` equals it only when
    there is one gold item and every item is ranked (the unit tests check that case).
    """
    if len(rankings) != len(gold):
        raise ValueError(f"{len(rankings)} rankings but {len(gold)} gold sets")
    return np.array([next((1.0 / (i + 1) for i, a in enumerate(r) if a in g), 0.0) for r, g in zip(rankings, gold)])


def evaluate(rankings, gold, ks=(1, 3, 5, 10), seed: int = 0, confidence: float = 0.95) -> dict:
    """recall@k for each k (Wilson intervals) and MRR (bootstrap interval) over answerable questions.

    Parameters
    ----------
    rankings : sequence of sequence of str
        Article ids per question, best first: for a chunk retriever, :func:`article_rankings`
        (one entry per chunk), so that recall@k counts the ``k`` chunks sent.
    gold : sequence of set of str
        Gold article ids per question; questions with an empty set are left out.
    ks : iterable of int
    seed : int, default 0
        Seed of the bootstrap that puts an interval around MRR.
    confidence : float, default 0.95

    Returns
    -------
    dict
        ``n`` (questions scored), ``recall@k``, ``recall@k_low``, ``recall@k_high`` per k, and
        ``mrr``, ``mrr_low``, ``mrr_high``.
    """
    keep = [i for i, g in enumerate(gold) if g]
    if not keep:
        raise ValueError("no answerable question to score")
    rankings = [rankings[i] for i in keep]
    gold = [gold[i] for i in keep]
    out = {"n": len(keep)}
    for k in ks:
        hits = hits_at_k(rankings, gold, k)
        low, high = accuracy_interval(int(hits.sum()), len(hits), confidence)
        out |= {f"recall@{k}": float(hits.mean()), f"recall@{k}_low": low, f"recall@{k}_high": high}
    rr = reciprocal_ranks(rankings, gold)
    ci = bootstrap((rr,), np.mean, confidence_level=confidence, n_resamples=2000, method="percentile",
                   random_state=np.random.default_rng(seed)).confidence_interval
    return out | {"mrr": float(rr.mean()), "mrr_low": float(ci.low), "mrr_high": float(ci.high)}


def grounded_answers(gold_in_context, answerable, refused) -> np.ndarray:
    """Whether each answer is grounded, for a pipeline that answers only from its context.

    An answerable question's answer is grounded when it is not refused and a gold article is in
    the context sent; an unanswerable question's is grounded when it is refused. This measures the
    retrieval side only: it is the best a model that never strays from its context can do.

    Parameters
    ----------
    gold_in_context, answerable, refused : array-like of bool
        One entry per question.

    Returns
    -------
    numpy.ndarray of bool
        Its mean is the grounded-answer rate.
    """
    gold_in_context, answerable, refused = (np.asarray(x, dtype=bool) for x in (gold_in_context, answerable, refused))
    if not gold_in_context.shape == answerable.shape == refused.shape:
        raise ValueError("gold_in_context, answerable and refused need one entry per question")
    return np.where(answerable, gold_in_context & ~refused, refused)
