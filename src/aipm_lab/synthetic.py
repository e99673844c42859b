"""Synthetic rows for a rare class, and the three checks a PM asks of them (part 9).

Two generators make new fraud rows from real ones:

* :func:`smote_rows`: SMOTE for mixed tables (imbalanced-learn's ``SMOTENC``), which draws
  each new row between a real row and one of its nearest real neighbours;
* :class:`GaussianCopula`: a fitted generative sampler that learns each column's
  distribution and how the columns move together, then samples fresh rows.

Then three questions, each answered by one function:

* **fidelity**: does a synthetic column look like the real one? (:func:`fidelity_table`:
  a two-sample KS statistic per numeric column, total-variation distance per category column;
  :func:`correlation_gap`: how far the correlation matrices are apart);
* **utility**: does a model trained on it work on real data? (:func:`recall_at_fpr`, used
  to compare train-synthetic-test-real with train-real-test-real);
* **privacy**: does it copy real people? (:func:`closest_record_distance`, compared with the
  same distance for real records the generator never saw).

:func:`with_synthetic_share` builds a training table in which synthetic rows make up a given
share, for the sweep that tests the "20-40% synthetic" rule of thumb.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OneHotEncoder

from aipm_lab.case import fraud
from aipm_lab.datasets.transactions import DAY_HOURS, NIGHT_HOURS, RURAL_FRAUD_CATEGORIES
from aipm_lab.estimates import accuracy_interval

FEATURES = fraud.CATEGORICAL + fraud.NUMERIC
"""The transaction columns a generator reproduces (every column the fraud model reads)."""

CATEGORY_COLUMNS = ["merchant_category", "channel", "device", "region"]
"""Columns whose values are labels, compared by total-variation distance."""

NUMBER_COLUMNS = ["amount", "hour", "customer_tenure_days", "is_foreign"]
"""Columns whose values are numbers, compared by the KS statistic."""

PATTERNS = {
    "rural": "fraud on rural accounts (billing address)",
    "electronics": "fraud at electronics merchants",
    "night": f"fraud at night ({NIGHT_HOURS[0]:02d}:00 to {NIGHT_HOURS[1]:02d}:59)",
    "web": "fraud on cards managed on the web",
    "in_store": "fraud in store (card present)",
}
"""Transaction segments :class:`NewPattern` can treat as a new fraud pattern: name -> description."""



def _check_columns(df: pd.DataFrame, columns, what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {missing}")


def skimming_signature(df: pd.DataFrame) -> pd.Series:
    """Whether each row looks like card skimming: in store, at fuel or grocery, in daytime.

    This is the shape of rural fraud in ``card_transactions`` (the generator's rural fraud
    categories and daytime hours; see its datasheet); urban fraud is mostly online and rarely has it.

    Returns
    -------
    pandas.Series of bool
    """
    _check_columns(df, ["channel", "merchant_category", "hour"], "the table")
    return (
        (df["channel"] == "in_store")
        & df["merchant_category"].isin(RURAL_FRAUD_CATEGORIES)
        & df["hour"].between(*DAY_HOURS)
    )


def in_pattern(df: pd.DataFrame, pattern: str) -> pd.Series:
    """Whether each row lies in the segment ``pattern`` (a name of :data:`PATTERNS`), fraud or not.

    Returns
    -------
    pandas.Series of bool
    """
    masks = {"rural": lambda t: t["region"] == "rural",
             "electronics": lambda t: t["merchant_category"] == "electronics",
             "night": lambda t: t["hour"].between(*NIGHT_HOURS),
             "web": lambda t: t["device"] == "web",
             "in_store": lambda t: t["channel"] == "in_store"}
    if pattern not in masks:
        raise ValueError(f"unknown pattern {pattern!r}: use one of {', '.join(PATTERNS)}")
    return masks[pattern](df)


# ----------------------------------------------------------------------------- generators


class _DenseDecoding(OneHotEncoder):
    """scikit-learn's one-hot encoder, decoding a sparse matrix through a dense copy.

    ``SMOTENC`` decodes its new rows' labels from a sparse one-hot matrix, where scipy takes the
    row-wise argmax one row at a time in Python (0.3 s for 10,000 rows); a dense copy of those
    few columns decodes to the same labels in milliseconds.
    """

    def inverse_transform(self, X):
        return super().inverse_transform(X.toarray() if sparse.issparse(X) else X)


def smote_rows(positives: pd.DataFrame, n_new: int, seed: int, k_neighbors: int = 5) -> pd.DataFrame:
    """``n_new`` synthetic rows made from ``positives`` by SMOTE for mixed tables (``SMOTENC``).

    Each new row lies between a real row and one of its ``k_neighbors`` nearest real rows;
    label columns (and hours and the foreign flag) take the most common value among those
    neighbours.

    Parameters
    ----------
    positives : pandas.DataFrame
        Real rows of the rare class, with the :data:`FEATURES` columns.
    n_new : int
        Rows to create.
    seed : int
    k_neighbors : int, default 5
        Reduced to ``len(positives) - 1`` when there are fewer rows.

    Returns
    -------
    pandas.DataFrame
        ``n_new`` rows with the :data:`FEATURES` columns: whole hours and days, 0/1 flags.
    """
    from imblearn.over_sampling import SMOTENC

    _check_columns(positives, FEATURES, "positives")
    if len(positives) < 2:
        raise ValueError(f"SMOTE needs at least 2 real rows, got {len(positives)}")
    if n_new < 1:
        raise ValueError(f"n_new must be at least 1, got {n_new}")
    # imbalanced-learn resamples one class against another. SMOTE only ever looks at the class it
    # grows, so one copy of a real row stands in for the other class (the legitimate rows would
    # change nothing and make the call seconds slower).
    X = pd.concat([positives[FEATURES], positives[FEATURES].iloc[:1]], ignore_index=True)
    y = np.r_[np.ones(len(positives), int), 0]
    categorical = [*fraud.CATEGORICAL, "is_foreign"]
    sampler = SMOTENC(categorical_features=[FEATURES.index(c) for c in categorical],
                      sampling_strategy={1: len(positives) + n_new},
                      k_neighbors=min(k_neighbors, len(positives) - 1), random_state=seed,
                      categorical_encoder=_DenseDecoding(handle_unknown="ignore"))  # SMOTENC's default, decoded faster
    X_res, _ = sampler.fit_resample(X, y)
    new = X_res.iloc[len(X):].reset_index(drop=True)  # imbalanced-learn appends the new rows
    new["amount"] = new["amount"].astype(float).round(2)
    new["customer_tenure_days"] = new["customer_tenure_days"].astype(float).round().astype(int)
    return new.astype({"hour": int, "is_foreign": int})


class GaussianCopula:
    """A Gaussian copula for a mixed table: each column's own distribution, joined by correlations.

    Written by hand, in a few lines of numpy and scipy, because the maintained copula
    libraries (SDV, ``copulas``) are under the Business Source License and pull torch.

    Fitting turns every column into normal scores through its ranks, and keeps the
    correlation matrix of those scores. Sampling draws correlated normals and maps each
    back through the column's empirical quantiles: numbers are interpolated between real
    values, labels, hours and flags only take values seen in the data.

    The draws are the same on every machine. A column with a single value is emitted as that
    value and left out of the correlations (it has none). The others' correlation matrix is
    shrunk toward the identity, which makes it positive definite, and correlated normals are
    made with its Cholesky factor, which is unique. (A factorisation by eigenvectors or SVD
    is not: fitted on a few rows, the matrix has repeated eigenvalues, any rotation of their
    eigenvectors is as valid, and which one the linear-algebra library returns depends on
    the CPU, so the draws did too.)

    Parameters
    ----------
    shrinkage : float, default 0.1
        Weight of the identity matrix mixed into the correlations, which keeps the matrix
        usable when it is estimated from a few dozen rows. With 0, columns that move in
        perfect step make the matrix singular and ``fit`` says so.

    Examples
    --------
    >>> import pandas as pd
    >>> real = pd.DataFrame({"amount": [5.0, 20.0, 80.0, 300.0], "channel": ["in_store", "online"] * 2})
    >>> fake = GaussianCopula().fit(real).sample(3, seed=0)
    >>> fake["channel"].isin(["in_store", "online"]).all(), fake["amount"].between(5, 300).all()
    (np.True_, np.True_)
    """

    CONTINUOUS = ("amount", "customer_tenure_days")

    def __init__(self, shrinkage: float = 0.1):
        if not 0 <= shrinkage <= 1:
            raise ValueError(f"shrinkage must be between 0 and 1, got {shrinkage}")
        self.shrinkage = shrinkage

    def fit(self, df: pd.DataFrame) -> GaussianCopula:
        """Learn each column's values and the correlation of their normal scores.

        Sets ``constants_`` (column -> its single value), ``varying_`` (the other columns),
        ``correlation_`` (their shrunk correlation matrix) and ``cholesky_`` (its lower
        Cholesky factor).
        """
        if not isinstance(df, pd.DataFrame) or len(df) < 2:
            raise ValueError("fit needs a DataFrame with at least 2 rows")
        self.columns_ = list(df.columns)
        self.dtypes_ = df.dtypes
        self.constants_ = {col: df[col].iloc[0] for col in self.columns_ if df[col].nunique(dropna=False) == 1}
        self.varying_ = [col for col in self.columns_ if col not in self.constants_]
        self.codes_, self.values_ = {}, {}
        scores = np.empty((len(df), len(self.varying_)))
        for j, col in enumerate(self.varying_):
            values = df[col].to_numpy()
            if not pd.api.types.is_numeric_dtype(df[col]):
                # Labels become codes ordered by frequency, so the most common label sits mid-scale.
                order = df[col].value_counts().index.to_numpy()
                self.codes_[col] = order
                values = pd.Categorical(values, categories=order).codes.astype(float)
            self.values_[col] = np.sort(values.astype(float))
            scores[:, j] = stats.norm.ppf(stats.rankdata(values) / (len(df) + 1))
        corr = np.corrcoef(scores, rowvar=False) if len(self.varying_) > 1 else np.eye(len(self.varying_))
        self.correlation_ = (1 - self.shrinkage) * corr + self.shrinkage * np.eye(len(corr))
        try:
            self.cholesky_ = np.linalg.cholesky(self.correlation_)
        except np.linalg.LinAlgError:
            raise ValueError("some columns move in perfect step, so their correlations are singular: "
                             "use a shrinkage above 0") from None
        return self

    def sample(self, n: int, seed: int) -> pd.DataFrame:
        """Draw ``n`` synthetic rows."""
        if not hasattr(self, "cholesky_"):
            raise ValueError("call fit(table) before sample(n, seed)")
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        rng = np.random.default_rng(seed)
        u = stats.norm.cdf(rng.standard_normal((n, len(self.varying_))) @ self.cholesky_.T)
        out = {col: np.full(n, value) for col, value in self.constants_.items()}
        for j, col in enumerate(self.varying_):
            method = "linear" if col in self.CONTINUOUS else "inverted_cdf"
            values = np.quantile(self.values_[col], u[:, j], method=method)
            if col in self.codes_:
                out[col] = self.codes_[col][values.astype(int)]
            elif col == "amount":
                out[col] = values.round(2)
            else:
                out[col] = values.round().astype(self.dtypes_[col])
        return pd.DataFrame(out, columns=self.columns_).astype(self.dtypes_)


# ----------------------------------------------------------------------------- fidelity


def total_variation(real: pd.Series, synthetic: pd.Series) -> float:
    """Total-variation distance between two columns of labels: half the sum of share gaps.

    0 when every label has the same share in both, 1 when they share no label. Hand-written
    (one line): the label counterpart of the KS statistic, which needs ordered values.
    """
    shares = pd.concat([real.value_counts(normalize=True), synthetic.value_counts(normalize=True)], axis=1)
    return float(shares.fillna(0).diff(axis=1).iloc[:, 1].abs().sum() / 2)


def fidelity_table(real: pd.DataFrame, synthetic: pd.DataFrame, numbers=None, categories=None) -> pd.DataFrame:
    """Per-column gap between real and synthetic rows.

    Parameters
    ----------
    real, synthetic : pandas.DataFrame
    numbers : list of str, optional
        Compared with the two-sample Kolmogorov-Smirnov statistic (scipy's ``ks_2samp``):
        the largest gap between the two cumulative distributions. Default :data:`NUMBER_COLUMNS`.
    categories : list of str, optional
        Compared with :func:`total_variation`. Default :data:`CATEGORY_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        Index ``column``; columns ``test`` ("KS" or "TV"), ``statistic`` (0 = identical,
        1 = no overlap) and ``p_value`` (KS only), sorted by ``statistic``, largest first.
    """
    numbers = NUMBER_COLUMNS if numbers is None else list(numbers)
    categories = CATEGORY_COLUMNS if categories is None else list(categories)
    _check_columns(real, numbers + categories, "real")
    _check_columns(synthetic, numbers + categories, "synthetic")
    if len(real) == 0 or len(synthetic) == 0:
        raise ValueError("both tables need at least one row")
    rows = []
    for col in numbers:
        with warnings.catch_warnings():  # scipy notes when it falls back from the exact p-value
            warnings.simplefilter("ignore", RuntimeWarning)
            ks = stats.ks_2samp(real[col].astype(float), synthetic[col].astype(float))
        rows.append({"column": col, "test": "KS", "statistic": float(ks.statistic), "p_value": float(ks.pvalue)})
    for col in categories:
        rows.append({"column": col, "test": "TV", "statistic": total_variation(real[col], synthetic[col]),
                     "p_value": np.nan})
    return pd.DataFrame(rows).set_index("column").sort_values("statistic", ascending=False, kind="stable")


def numeric_view(df: pd.DataFrame) -> pd.DataFrame:
    """The table as numbers for a correlation matrix: log amounts and tenure, hour, 0/1 flags per label."""
    _check_columns(df, FEATURES, "the table")
    out = pd.DataFrame({"log_amount": np.log1p(df["amount"].astype(float)), "hour": df["hour"].astype(float),
                        "log_tenure": np.log1p(df["customer_tenure_days"].astype(float)),
                        "is_foreign": df["is_foreign"].astype(float),
                        "online": (df["channel"] == "online").astype(float),
                        "rural": (df["region"] == "rural").astype(float),
                        "web": (df["device"] == "web").astype(float)}, index=df.index)
    for cat in ("electronics", "digital_goods", "travel", "fuel", "grocery"):
        out[cat] = (df["merchant_category"] == cat).astype(float)
    return out


def correlation_gap(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    """Mean absolute gap between the real and synthetic correlation matrices.

    Both tables go through :func:`numeric_view`; the gap is averaged over the pairs of
    columns (the upper triangle). A column that is constant in a table correlates with
    nothing there (0). 0 means the columns move together exactly as in the real data.
    """
    a, b = numeric_view(real), numeric_view(synthetic)
    if len(a) < 2 or len(b) < 2:
        raise ValueError("correlations need at least 2 rows in each table")
    with np.errstate(invalid="ignore", divide="ignore"):
        ca, cb = np.nan_to_num(np.corrcoef(a.to_numpy(), rowvar=False)), np.nan_to_num(np.corrcoef(b.to_numpy(), rowvar=False))
    upper = np.triu_indices(a.shape[1], k=1)
    return float(np.abs(ca - cb)[upper].mean())


# ----------------------------------------------------------------------------- privacy


def closest_record_distance(reference: pd.DataFrame, queries: pd.DataFrame) -> np.ndarray:
    """Distance from each query row to its closest reference row (DCR).

    Rows are compared in the fraud model's own feature space (one-hot labels and hours, log
    amounts and tenure, all standardised on ``reference``: :func:`aipm_lab.case.fraud.make_model`
    without its classifier), with Euclidean distance. A distance of 0 is an exact copy.

    Compare synthetic rows' distances with those of real rows the generator never saw:
    synthetic rows much closer to the training records than fresh real ones are copies in
    disguise.

    Returns
    -------
    numpy.ndarray
        One distance per row of ``queries``.
    """
    _check_columns(reference, FEATURES, "reference")
    _check_columns(queries, FEATURES, "queries")
    if len(reference) == 0 or len(queries) == 0:
        raise ValueError("both tables need at least one row")
    encode = fraud.make_model()[:-1]
    # A k-d tree sums squared differences, so an exact copy is at 0.0 under any BLAS kernel; the
    # brute-force search expands |a-b|^2 with a matrix product, which left 1.7e-7 under Prescott's.
    nn = NearestNeighbors(n_neighbors=1, algorithm="kd_tree").fit(encode.fit_transform(reference[FEATURES]))
    return nn.kneighbors(encode.transform(queries[FEATURES]))[0][:, 0]


# ----------------------------------------------------------------------------- utility


def recall_at_fpr(legit_scores, target_scores, fpr: float = 0.01) -> dict:
    """Recall on a group of positives when the alarm may fire on at most ``fpr`` of legitimate rows.

    The threshold is the lowest score that flags no more than ``fpr`` of ``legit_scores``
    (flag when score >= threshold). Judging at a fixed false-alarm budget compares models whose
    scores sit on different scales (a model trained on many synthetic frauds scores everything
    higher), and it is what a review team can staff.

    Returns
    -------
    dict
        ``threshold``, ``caught``, ``n`` and ``recall`` (``caught / n``).
    """
    legit = np.sort(np.asarray(legit_scores, float))[::-1]
    target = np.asarray(target_scores, float)
    if legit.size == 0 or target.size == 0:
        raise ValueError("need at least one legitimate and one target score")
    if not 0 < fpr < 1:
        raise ValueError(f"fpr must be between 0 and 1, got {fpr}")
    allowed = int(np.floor(fpr * legit.size))
    # Scores above the (allowed+1)-th highest legit score flag at most `allowed` legit rows.
    threshold = np.nextafter(legit[allowed], np.inf) if allowed < legit.size else legit[-1]
    caught = int((target >= threshold).sum())
    return {"threshold": float(threshold), "caught": caught, "n": int(target.size), "recall": caught / target.size}


def train_synthetic_test_real(train: pd.DataFrame, synthetic: dict, test: pd.DataFrame) -> dict:
    """PR-AUC on real test rows of the fraud model trained on real frauds, and on each generator's.

    Every model sees the same real legitimate rows of ``train``; the first gets the real frauds
    (train-real-test-real), the others a generator's frauds in their place
    (train-synthetic-test-real). PR-AUC is scikit-learn's average precision.

    Parameters
    ----------
    train, test : pandas.DataFrame
        Real rows with the ``is_fraud`` label.
    synthetic : dict of str to pandas.DataFrame
        Generator name -> its synthetic frauds (the :data:`FEATURES` columns).

    Returns
    -------
    dict
        ``"real"`` and each generator's name -> test PR-AUC. A generator close to ``"real"``
        teaches the model as much as the real frauds do.
    """
    from sklearn.metrics import average_precision_score

    if not isinstance(synthetic, dict) or not synthetic:
        raise ValueError("synthetic must be a dict of generator name -> synthetic frauds")
    for name, rows in synthetic.items():
        _check_columns(rows, FEATURES, f"synthetic[{name!r}]")
    frauds = {name: rows[FEATURES].assign(**{fraud.TARGET: 1}) for name, rows in synthetic.items()}
    encode, classify = _split_model(train, *frauds.values())
    X_train, X_test = encode.transform(train), encode.transform(test)
    X_legit = X_train[(train[fraud.TARGET] == 0).to_numpy()]
    tables = {"real": (X_train, train[fraud.TARGET].to_numpy())}
    for name, rows in frauds.items():  # the real legitimate rows, then the generator's frauds
        tables[name] = (np.vstack([X_legit, encode.transform(rows)]),
                        np.r_[np.zeros(len(X_legit), int), np.ones(len(rows), int)])
    y = test[fraud.TARGET].to_numpy()
    return {name: float(average_precision_score(y, classify.fit(X, labels).predict_proba(X_test)[:, 1]))
            for name, (X, labels) in tables.items()}


def _split_model(*tables):
    """:func:`aipm_lab.case.fraud.make_model` in two: its encoding, fitted on all ``tables``, and the rest, unfitted.

    Rows encoded once serve every fit of the rest on some of them (a third of the time of a whole
    pipeline per fit), and each such fit is the model ``make_model()`` fits on those rows: the encoding
    (one-hot labels, log numbers) learns only which labels occur, and a label those rows lack gets a
    column of zeros and a zero weight, as an unseen label would.
    """
    encode, classify = (model := fraud.make_model())[:1], model[1:]
    # Fitting it encodes every row it is given; one row per combination of labels teaches it the same.
    return encode.fit(pd.concat([t[FEATURES].drop_duplicates(fraud.CATEGORICAL) for t in tables])), classify


def with_synthetic_share(real: pd.DataFrame, synthetic: pd.DataFrame, share: float) -> pd.DataFrame:
    """A training table of all ``real`` rows plus the first synthetic rows, so they are ``share`` of it.

    ``n_synthetic = round(share * len(real) / (1 - share))``. Taking the first rows makes the
    tables of a sweep nested: a larger share adds rows and changes none.

    Raises
    ------
    ValueError
        If ``share`` is outside [0, 1) or ``synthetic`` has too few rows.
    """
    return pd.concat([real, synthetic.iloc[:_synthetic_count(len(real), share, len(synthetic))]], ignore_index=True)


def _synthetic_count(n_real: int, share: float, available: int) -> int:
    """Synthetic rows that make ``share`` of a table with ``n_real`` real rows (see :func:`with_synthetic_share`)."""
    if not 0 <= share < 1:
        raise ValueError(f"share must be at least 0 and below 1, got {share}")
    n = round(share * n_real / (1 - share))
    if n > available:
        raise ValueError(f"share {share} needs {n} synthetic rows, only {available} given")
    return n


# ----------------------------------------------------------------------------- the new-pattern scenario


@dataclass(frozen=True)
class NewPattern:
    """Paylark's fraud data when one fraud pattern is new: only a handful of its cases are labelled.

    Attributes
    ----------
    train : pandas.DataFrame
        Real training rows: a share of the legitimate training rows, every labelled fraud of
        the known pattern and the few labelled cases of the new one.
    labelled : pandas.DataFrame
        The new pattern's labelled cases (also in ``train``): what a generator can learn from.
    held_out : pandas.DataFrame
        The new pattern's other frauds, never seen in training: its recall is measured on them.
    test : pandas.DataFrame
        The test split without the new pattern's frauds: legitimate rows and the known pattern's frauds.

    Treat the tables as read-only: :func:`share_sweep` remembers their encoded rows for the next
    sweep of the same scenario. For other rows, make another scenario.
    """

    train: pd.DataFrame
    labelled: pd.DataFrame
    held_out: pd.DataFrame
    test: pd.DataFrame
    _encoded_rows: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_transactions(cls, df: pd.DataFrame, seed: int, n_labelled: int = 6, legit_share: float = 0.25,
                          new: str = "rural") -> NewPattern:
        """Split ``card_transactions`` so that fraud in the segment ``new`` is the new pattern.

        ``new`` names a segment of :data:`PATTERNS` (:func:`in_pattern`); the default is Part 9's
        rural fraud.

        The table is split as in every fraud part (:func:`aipm_lab.case.fraud.split`). Of the new
        pattern's training frauds, ``n_labelled`` (drawn with ``seed``) stay labelled; the rest
        join its test-split frauds as ``held_out``. ``legit_share`` of the legitimate training
        rows are kept, which keeps each model fit to a fraction of a second.

        Raises
        ------
        ValueError
            If the training split holds fewer than ``n_labelled`` frauds of the new pattern.
        """
        _check_columns(df, [*FEATURES, fraud.TARGET], "the table")
        in_pattern(df.iloc[:0], new)  # an unknown name fails before any work
        if not 0 < legit_share <= 1:
            raise ValueError(f"legit_share must be in (0, 1], got {legit_share}")
        train, test = fraud.split(df, seed=seed)

        def is_new(table):
            return in_pattern(table, new) & (table[fraud.TARGET] == 1)

        new_train = train.index[is_new(train)]
        if len(new_train) < n_labelled:
            raise ValueError(f"only {len(new_train)} {new} frauds in the training split, {n_labelled} asked")
        rng = np.random.default_rng(seed)
        labelled = np.sort(rng.choice(new_train, size=n_labelled, replace=False))
        legit = train[train[fraud.TARGET] == 0].sample(frac=legit_share, random_state=seed)
        known = train[(train[fraud.TARGET] == 1) & ~is_new(train)]
        return cls(train=pd.concat([legit, known, train.loc[labelled]]),
                   labelled=train.loc[labelled],
                   held_out=pd.concat([train.loc[new_train.difference(labelled)], test[is_new(test)]]),
                   test=test[~is_new(test)])

    def recalls(self, model, fpr: float = 0.01) -> dict:
        """Recall of the new and the known pattern for a fitted model, at one false-alarm budget.

        The threshold flags at most ``fpr`` of the test split's legitimate rows
        (:func:`recall_at_fpr`). Returns ``new_caught``, ``new_n``, ``new_recall``, ``known_caught``,
        ``known_n``, ``known_recall`` and ``threshold``.
        """
        return _pattern_recalls(*(model.predict_proba(rows)[:, 1] for rows in self._scored_groups()), fpr)

    def _scored_groups(self) -> tuple:
        """The rows :meth:`recalls` scores: legitimate test rows, held-out new-pattern frauds, known-pattern frauds."""
        return (self.test[self.test[fraud.TARGET] == 0], self.held_out, self.test[self.test[fraud.TARGET] == 1])

    def _encoded(self, encode) -> list:
        """``train`` and the :meth:`_scored_groups` through the fitted encoding ``encode``.

        Remembered per set of output columns, so the sweeps of one scenario encode its rows once.
        """
        key = tuple(encode.get_feature_names_out())
        if key not in self._encoded_rows:
            self._encoded_rows[key] = [encode.transform(rows) for rows in (self.train, *self._scored_groups())]
        return self._encoded_rows[key]


def _pattern_recalls(legit_scores, new_scores, known_scores, fpr: float) -> dict:
    """:meth:`NewPattern.recalls` from the scores of its three groups of rows."""
    new = recall_at_fpr(legit_scores, new_scores, fpr)
    old = recall_at_fpr(legit_scores, known_scores, fpr)
    return {"new_caught": new["caught"], "new_n": new["n"], "new_recall": new["recall"],
            "known_caught": old["caught"], "known_n": old["n"], "known_recall": old["recall"],
            "threshold": new["threshold"]}


def share_sweep(scenario: NewPattern, synthetic: pd.DataFrame, shares, fpr: float = 0.01,
                confidence: float = 0.95) -> pd.DataFrame:
    """Retrain the fraud model with each share of synthetic new-pattern frauds and measure both patterns.

    Parameters
    ----------
    scenario : NewPattern
    synthetic : pandas.DataFrame
        Synthetic frauds of the new pattern (the :data:`FEATURES` columns), at least as many as the
        largest share needs (:func:`with_synthetic_share`).
    shares : sequence of float
        Synthetic share of the training table, each in [0, 1).
    fpr : float, default 0.01
        False-alarm budget (:meth:`NewPattern.recalls`).
    confidence : float, default 0.95
        Coverage of the Wilson interval on the new pattern's recall.

    Returns
    -------
    pandas.DataFrame
        Index ``share``; columns ``n_synthetic`` and those of :meth:`NewPattern.recalls`, plus
        ``new_low`` and ``new_high``, the interval on ``new_recall``.
    """
    pool = synthetic[FEATURES].assign(**{fraud.TARGET: 1})
    n_real = len(scenario.train)
    counts = {share: _synthetic_count(n_real, share, len(pool)) for share in shares}
    # Each share's table is the real rows plus the first synthetic ones (with_synthetic_share), so each share
    # fits on the first rows of one encoding: the real rows' (made once per scenario) and the synthetic rows'.
    synthetic_rows = pool.iloc[:max(counts.values(), default=0)]
    encode, classify = _split_model(scenario.train, synthetic_rows)
    real, *scored = scenario._encoded(encode)
    X = np.vstack([real, encode.transform(synthetic_rows)]) if len(synthetic_rows) else real
    y = np.r_[scenario.train[fraud.TARGET].to_numpy(), synthetic_rows[fraud.TARGET].to_numpy()]
    rows = {}
    for share, n in counts.items():
        classify.fit(X[:n_real + n], y[:n_real + n])
        row = _pattern_recalls(*(classify.predict_proba(group)[:, 1] for group in scored), fpr)
        row["new_low"], row["new_high"] = accuracy_interval(row["new_caught"], row["new_n"], confidence)
        rows[share] = {"n_synthetic": n, **row}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "share"
    return out


def stops_helping(sweep: pd.DataFrame, confidence: float = 0.95) -> float:
    """The smallest share whose new-pattern recall is not detectably below the best share's.

    Like is compared with like: for each share, the difference between the best share's recall
    and its own gets an interval (Newcombe's, at ``confidence``, from
    :func:`aipm_lab.experiments.two_proportion_test`), and the first share whose interval still
    holds 0 is where more synthetic data stopped helping, on this evidence. Both recalls are
    counted on the same held-out frauds, so an interval for two independent samples is, if
    anything, too wide: the rule errs toward fewer synthetic rows.

    Parameters
    ----------
    sweep : pandas.DataFrame
        A :func:`share_sweep` table (``new_caught`` and ``new_n`` per share).
    confidence : float, default 0.95
    """
    from aipm_lab.experiments import two_proportion_test

    shares = sweep.sort_index()
    best = shares["new_caught"].idxmax()
    caught, n = int(shares.loc[best, "new_caught"]), int(shares.loc[best, "new_n"])
    for share, row in shares.iterrows():
        if row["new_caught"] == caught or two_proportion_test(
                int(row["new_caught"]), int(row["new_n"]), caught, n, alpha=1 - confidence)["ci_low"] <= 0:
            return float(share)
    return float(best)  # not reached: the best share's own difference is 0
