"""Monitoring a model in production: data drift, quality drift once labels arrive, alerts, retraining.

A PM watches three things after launch:

* **data drift**: do this week's inputs look like the data the model learned from? The
  population stability index (:class:`DriftMonitor`, :func:`psi`) measures how far a feature's
  distribution moved, with the conventional bands of 0.1 and 0.25; the two-sample
  Kolmogorov-Smirnov test (:func:`ks_by_window`, from :mod:`scipy.stats`) asks whether it moved
  at all.
* **quality drift**: recall, precision and the cost of errors per week (:func:`weekly_quality`),
  which are known only once the labels arrive (:func:`labels_known`).
* **what to do about it**: which weeks an alert fires and how late (:func:`alert_report`), and
  what each retraining policy costs over a year (:func:`simulate_retraining`).

PSI is written here by hand: it is a few lines, and the maintained monitoring library that ships
it (evidently) does not install with this project's pandas and weighs hundreds of megabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from aipm_lab.costs import CostMatrix

PSI_BANDS = (0.1, 0.25)
"""Conventional PSI bands: below 0.1 no real shift, 0.1 to 0.25 a moderate one, above 0.25 a major one."""

EPS = 1e-4
"""Share given to an empty bin, so that PSI stays finite (a common convention)."""


def _check_bins(bins: int) -> None:
    if not (isinstance(bins, (int, np.integer)) and bins >= 2):
        raise ValueError(f"bins must be an integer of at least 2, got {bins!r}")


def psi_from_shares(expected, actual, eps: float = EPS) -> float:
    """PSI between two distributions over the same bins: sum of (a - e) * ln(a / e).

    Parameters
    ----------
    expected, actual : array-like
        Shares per bin (each sums to 1), reference first.
    eps : float, default EPS
        Shares below ``eps`` (empty bins) are raised to it, so the logarithm stays finite.

    Returns
    -------
    float
        0 for identical distributions; larger is a bigger shift.

    Examples
    --------
    >>> round(psi_from_shares([0.5, 0.5], [0.6, 0.4]), 4)
    0.0405
    """
    e = np.maximum(np.asarray(expected, dtype=float), eps)
    a = np.maximum(np.asarray(actual, dtype=float), eps)
    if e.shape != a.shape:
        raise ValueError(f"expected has {e.size} bins and actual {a.size}; they must match")
    return float(np.sum((a - e) * np.log(a / e)))


def psi_band(value: float) -> str:
    """The conventional reading of a PSI value: ``"stable"``, ``"moderate"`` or ``"major"``.

    >>> [psi_band(v) for v in (0.05, 0.1, 0.3)]
    ['stable', 'moderate', 'major']
    """
    return "stable" if value < PSI_BANDS[0] else "moderate" if value < PSI_BANDS[1] else "major"


class DriftMonitor:
    """PSI of several features against a reference sample (the training data), scikit-learn style.

    Numeric features are cut into quantile bins of the reference (so each bin holds about the
    same share of it); categorical ones use their categories, plus one bin for categories the
    reference never had.

    Parameters
    ----------
    numeric : sequence of str
        Numeric columns, binned by the reference's quantiles.
    categorical : sequence of str
        Categorical columns (strings or small integer codes).
    bins : int, default 10
        Quantile bins per numeric feature (fewer when the reference has ties, as hours do).

    Attributes
    ----------
    edges_ : dict
        Inner bin edges per numeric feature.
    categories_ : dict
        Categories per categorical feature.
    expected_ : dict
        Reference shares per feature.

    Examples
    --------
    >>> ref = pd.DataFrame({"x": np.arange(1000.0), "c": ["a", "b"] * 500})
    >>> monitor = DriftMonitor(["x"], ["c"], bins=4).fit(ref)
    >>> monitor.psi(ref).round(6).tolist()
    [0.0, 0.0]
    """

    def __init__(self, numeric: Sequence[str] = (), categorical: Sequence[str] = (), bins: int = 10):
        _check_bins(bins)
        if not list(numeric) and not list(categorical):
            raise ValueError("give at least one numeric or categorical feature to monitor")
        self.numeric, self.categorical, self.bins = list(numeric), list(categorical), bins

    @property
    def features(self) -> list[str]:
        """The monitored features, numeric first."""
        return self.numeric + self.categorical

    def fit(self, reference: pd.DataFrame) -> DriftMonitor:
        """Learn the bins and the reference shares from ``reference``."""
        missing = [f for f in self.features if f not in reference]
        if missing:
            raise ValueError(f"reference has no column(s) {missing}")
        if len(reference) == 0:
            raise ValueError("the reference sample is empty")
        self.edges_, self.categories_, self.expected_ = {}, {}, {}
        for f in self.numeric:
            values = reference[f].to_numpy(dtype=float)
            self.edges_[f] = np.unique(np.quantile(values, np.linspace(0, 1, self.bins + 1)[1:-1]))
        for f in self.categorical:
            self.categories_[f] = np.array(sorted(reference[f].unique()))
        for f in self.features:
            self.expected_[f] = np.bincount(self._bin(reference, f), minlength=self._n_bins(f)) / len(reference)
        return self

    def _n_bins(self, f: str) -> int:
        # Numeric: one more bin than inner edges. Categorical: one per category plus "unseen".
        return len(self.edges_[f]) + 1 if f in self.edges_ else len(self.categories_[f]) + 1

    def _bin(self, df: pd.DataFrame, f: str) -> np.ndarray:
        if f in self.edges_:
            return np.searchsorted(self.edges_[f], df[f].to_numpy(dtype=float), side="right")
        cats = self.categories_[f]
        # A hash lookup: four times faster than a binary search through strings; -1 (unseen) -> last bin.
        pos = pd.Index(cats).get_indexer(df[f])
        return np.where(pos < 0, len(cats), pos)

    def _fitted(self) -> None:
        if not hasattr(self, "expected_"):
            raise ValueError("this DriftMonitor is not fitted yet: call fit(reference) first")

    def psi(self, current: pd.DataFrame) -> pd.Series:
        """PSI of each feature between the reference and ``current`` (one sample).

        Returns
        -------
        pandas.Series
            Feature -> PSI.
        """
        self._fitted()
        if len(current) == 0:
            raise ValueError("the current sample is empty")
        return pd.Series({f: psi_from_shares(self.expected_[f],
                                              np.bincount(self._bin(current, f), minlength=self._n_bins(f))
                                              / len(current))
                          for f in self.features}, name="psi")

    def psi_by(self, df: pd.DataFrame, groups) -> pd.DataFrame:
        """PSI of each feature in each group of rows (a week, or a window of transactions).

        Parameters
        ----------
        df : pandas.DataFrame
        groups : array-like of shape (n_rows,)
            Group label of each row, for example ``df["week"]`` or :func:`window_ids`.

        Returns
        -------
        pandas.DataFrame
            One row per group (sorted), one column per feature.
        """
        self._fitted()
        labels, group = np.unique(np.asarray(groups), return_inverse=True)
        if len(group) != len(df):
            raise ValueError(f"groups has {len(group)} labels for {len(df)} rows")
        sizes = np.bincount(group)
        out = {}
        for f in self.features:
            k = self._n_bins(f)
            counts = np.bincount(group * k + self._bin(df, f), minlength=len(labels) * k).reshape(-1, k)
            actual = np.maximum(counts / sizes[:, None], EPS)
            expected = np.maximum(self.expected_[f], EPS)
            out[f] = np.sum((actual - expected) * np.log(actual / expected), axis=1)
        return pd.DataFrame(out, index=pd.Index(labels, name="group"))


def psi(reference, current, bins: int = 10, categorical: bool = False) -> float:
    """PSI of one feature: ``current`` against ``reference``.

    Parameters
    ----------
    reference, current : array-like
        The feature's values in the reference sample (e.g. training data) and now.
    bins : int, default 10
        Quantile bins of the reference, for a numeric feature.
    categorical : bool, default False
        Compare category shares instead of binning.

    Returns
    -------
    float

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> psi(rng.normal(0, 1, 5000), rng.normal(0.5, 1, 5000)) > 0.1
    True
    """
    ref, cur = pd.DataFrame({"x": np.asarray(reference)}), pd.DataFrame({"x": np.asarray(current)})
    monitor = DriftMonitor(categorical=["x"]) if categorical else DriftMonitor(numeric=["x"], bins=bins)
    return float(monitor.fit(ref).psi(cur)["x"])


def window_ids(weeks, size: int | None = None) -> np.ndarray:
    """Which monitoring window each row falls in.

    Parameters
    ----------
    weeks : array-like of int
        Week of each row, in row order (rows sorted by week).
    size : int, optional
        Transactions per window: consecutive rows are cut into windows of ``size`` (the last,
        shorter one is dropped, labelled -1). None: one window per week.

    Returns
    -------
    numpy.ndarray
        For weekly windows, the week; otherwise the week in which each window *ends* (when its
        numbers can first be read), with a running suffix so windows stay distinct: the window id
        is ``week + k / 1000`` for the k-th window ending that week.
    """
    weeks = np.asarray(weeks)
    if size is None:
        return weeks
    if not (isinstance(size, (int, np.integer)) and size >= 1):
        raise ValueError(f"size is a number of transactions (1 or more), got {size!r}")
    n_full = len(weeks) // size
    window = np.arange(len(weeks)) // size
    end_week = weeks[np.minimum((np.arange(n_full) + 1) * size - 1, len(weeks) - 1)]
    # k-th window ending in the same week gets k / 1000, so ids sort in time order.
    k = np.zeros(n_full, dtype=int)
    for i in range(1, n_full):
        k[i] = k[i - 1] + 1 if end_week[i] == end_week[i - 1] else 0
    ids = end_week + k / 1000
    return np.where(window < n_full, ids[np.minimum(window, n_full - 1)], -1.0)


def window_psi(monitor: DriftMonitor, df: pd.DataFrame, size: int | None = None) -> pd.DataFrame:
    """PSI of each monitored feature per window of ``size`` transactions (None: per week).

    Returns
    -------
    pandas.DataFrame
        One row per complete window, labelled as in :func:`window_ids`.
    """
    ids = window_ids(df["week"].to_numpy(), size)
    full = ids >= 0
    return monitor.psi_by(df[full], ids[full])


def psi_by_window_sizes(monitor: DriftMonitor, df: pd.DataFrame, sizes: Sequence[int]) -> pd.DataFrame:
    """Mean PSI of each feature over all windows, for each window size (the noise floor when nothing changed).

    Returns
    -------
    pandas.DataFrame
        Index: window size (transactions); columns: features.
    """
    return pd.DataFrame({size: window_psi(monitor, df, size).mean() for size in sizes}).T.rename_axis("window")


def ks_by_window(reference: pd.DataFrame, df: pd.DataFrame, groups, features: Sequence[str]) -> pd.DataFrame:
    """Two-sample Kolmogorov-Smirnov p-value of each numeric feature in each group (scipy.stats.ks_2samp).

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted), one column per feature; small p-values mean "this window's
        values are unlikely to come from the reference distribution".
    """
    groups = np.asarray(groups)
    labels = np.unique(groups)
    out = {}
    for f in features:
        values = df[f].to_numpy(dtype=float)
        out[f] = _ks_pvalues(reference[f].to_numpy(dtype=float), [values[groups == g] for g in labels])
    return pd.DataFrame(out, index=pd.Index(labels, name="group"))


def _ks_pvalues(reference: np.ndarray, samples) -> list[float]:
    # scipy.stats.ks_2samp(reference, sample).pvalue for each sample, sorting the reference once.
    # scipy sorts it again for every window (a year of weeks against 56,000 training rows: 7 ms a
    # test, under 1 ms here). Above 10,000 values scipy uses Smirnov's asymptotic distribution (kstwo):
    # that branch is reproduced line for line below; smaller samples, exact in scipy, go to scipy.
    from scipy.stats import ks_2samp, kstwo

    ref = np.sort(reference)
    n1 = len(ref)
    # The CDFs at tied reference values are equal: each distinct value is enough (24 for hours).
    distinct = np.unique(ref)
    ref_cdf = np.searchsorted(ref, distinct, side="right") / n1
    pvalues = []
    for sample in samples:
        cur, n2 = np.sort(sample), len(sample)
        if max(n1, n2) <= 10_000 or n1 * n2 == 0 or np.isnan(ref[-1]) or np.isnan(cur[-1]):
            pvalues.append(ks_2samp(ref, cur).pvalue)
            continue
        # Both empirical CDFs at every pooled value (the reference's, then the sample's), as scipy does.
        gap = np.concatenate([ref_cdf - np.searchsorted(cur, distinct, side="right") / n2,
                              np.searchsorted(ref, cur, side="right") / n1 - np.searchsorted(cur, cur, side="right") / n2])
        d = max(np.clip(-gap.min(), 0, 1), gap.max())
        m, n = sorted([float(n1), float(n2)], reverse=True)
        pvalues.append(np.clip(kstwo.sf(d, np.round(m * n / (m + n))), 0, 1))
    return pvalues


def labels_known(df: pd.DataFrame, as_of_week: float) -> np.ndarray:
    """Fraud labels as Paylark knows them at the end of ``as_of_week``.

    A fraud counts as fraud once its chargeback has arrived (week + delay <= as_of_week);
    until then it looks legitimate, like every row without a chargeback.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns ``week``, ``is_fraud`` and ``chargeback_delay_weeks``.
    as_of_week : float
        The week whose end we stand at; ``np.inf`` gives the final labels.

    Returns
    -------
    numpy.ndarray of int
    """
    arrived = df["week"].to_numpy() + df["chargeback_delay_weeks"].to_numpy() <= as_of_week
    return ((df["is_fraud"].to_numpy() == 1) & arrived).astype(int)


def weekly_quality(df: pd.DataFrame, scores, threshold: float, costs: CostMatrix,
                   as_of_week: float = np.inf) -> pd.DataFrame:
    """Recall, precision and the cost of errors per week, with the labels known at ``as_of_week``.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns ``week``, ``is_fraud``, ``chargeback_delay_weeks``.
    scores : array-like of shape (n_rows,)
        Model scores; a transaction is flagged when its score >= ``threshold``.
    threshold : float
    costs : CostMatrix
    as_of_week : float, default inf
        Labels as known at the end of this week (default: the final labels).

    Returns
    -------
    pandas.DataFrame
        Indexed by week: ``transactions, frauds, tp, fp, fn, recall, precision, cost,
        cost_per_1000``. Recall is NaN for a week without (known) fraud, precision for a week
        without flags.
    """
    scores = np.asarray(scores, dtype=float)
    if len(scores) != len(df):
        raise ValueError(f"{len(scores)} scores for {len(df)} rows; they must match one to one")
    y = labels_known(df, as_of_week)
    flag = scores >= threshold
    table = (pd.DataFrame({"week": df["week"].to_numpy(), "transactions": 1, "frauds": y,
                           "tp": flag & (y == 1), "fp": flag & (y == 0), "fn": ~flag & (y == 1)})
             .groupby("week").sum().astype(int))
    with np.errstate(invalid="ignore", divide="ignore"):
        table["recall"] = table.tp / table.frauds.where(table.frauds > 0)
        table["precision"] = table.tp / (table.tp + table.fp).where(table.tp + table.fp > 0)
    table["cost"] = table.fp * costs.false_positive + table.fn * costs.false_negative
    table["cost_per_1000"] = table.cost / table.transactions * 1000
    return table


def alert_report(alert_weeks, change_week: int, quiet_weeks: tuple[int, int]) -> dict:
    """How an alert rule did: first alert after the change, its delay, and false alarms.

    Parameters
    ----------
    alert_weeks : array-like of float
        Weeks (or window ids from :func:`window_ids`) in which the alert fired.
    change_week : int
        The week the real change began.
    quiet_weeks : (int, int)
        First and last week (inclusive) in which nothing changed: every alert there is false.

    Returns
    -------
    dict
        ``first_alert`` (week of the first alert at or after the change, NaN if none),
        ``delay_weeks`` (first_alert - change_week), ``false_alarms`` (alerts in the quiet
        weeks), ``quiet_weeks`` (how many), ``false_alarms_per_year`` (scaled to 52 weeks).
    """
    weeks = np.floor(np.asarray(alert_weeks, dtype=float))
    lo, hi = quiet_weeks
    if hi < lo:
        raise ValueError(f"quiet_weeks must be (first, last) with first <= last, got {quiet_weeks}")
    after = weeks[weeks >= change_week]
    first = float(after.min()) if after.size else float("nan")
    false = int(((weeks >= lo) & (weeks <= hi)).sum())
    n_quiet = hi - lo + 1
    return {"first_alert": first, "delay_weeks": first - change_week, "false_alarms": false,
            "quiet_weeks": n_quiet, "false_alarms_per_year": false / n_quiet * 52}


def matured_cost_per_1000(df: pd.DataFrame, scores, threshold: float, costs: CostMatrix, week: int,
                          label_wait: int = 4, window: int = 4) -> float:
    """The error cost per 1,000 transactions a PM can read at the end of ``week``.

    It pools the ``window`` weeks that ended ``label_wait`` weeks earlier (weeks
    ``week - label_wait - window + 1`` to ``week - label_wait``), with the labels known at the
    end of ``week``: frauds whose chargeback has not arrived still count as legitimate.

    Returns
    -------
    float
        NaN when the pooled weeks are not all in the table (too early in the year).
    """
    if label_wait < 0 or window < 1:
        raise ValueError("label_wait must be 0 or more and window 1 or more")
    weeks = df["week"].to_numpy()
    lo, hi = week - label_wait - window + 1, week - label_wait
    if lo < weeks.min():
        return float("nan")
    rows = (weeks >= lo) & (weeks <= hi)
    y = labels_known(df, week)[rows]
    flag = np.asarray(scores, dtype=float)[rows] >= threshold
    cost = (flag & (y == 0)).sum() * costs.false_positive + (~flag & (y == 1)).sum() * costs.false_negative
    return float(cost / rows.sum() * 1000)


def cost_alert_weeks(df: pd.DataFrame, scores, threshold: float, costs: CostMatrix, trigger: float,
                     label_wait: int = 4, window: int = 4) -> list[int]:
    """Weeks at whose end the cost alert fires: :func:`matured_cost_per_1000` at or above ``trigger``."""
    return [week for week in range(int(df["week"].min()), int(df["week"].max()) + 1)
            if matured_cost_per_1000(df, scores, threshold, costs, week, label_wait, window) >= trigger]


def simulate_retraining(df: pd.DataFrame, scores_after: Callable[[int], np.ndarray], costs: CostMatrix,
                        threshold: float, retrain_cost: float, *, every: int | None = None,
                        cost_trigger: float | None = None, label_wait: int = 4, window: int = 4) -> pd.DataFrame:
    """Replay a year under one retraining policy: which model is live each week, and what it costs.

    Policies: never retrain (neither ``every`` nor ``cost_trigger``); on a schedule (``every``
    weeks, at the end of weeks ``every``, ``2 * every``, ...); or when the cost drifts
    (``cost_trigger``): at the end of a week in which the live model's cost per 1,000
    transactions, over the last ``window`` weeks whose labels have had ``label_wait`` weeks to
    arrive, is at or above ``cost_trigger``. Only weeks served by the live model count, so a
    new model is judged after ``label_wait + window`` weeks of its own.

    Parameters
    ----------
    df : pandas.DataFrame
        The weekly table (``week``, ``is_fraud``, ``chargeback_delay_weeks``).
    scores_after : callable
        ``scores_after(k)`` returns the scores of every row of ``df`` by the model retrained at
        the end of week ``k`` (``k = 0``: the launch model). Cache it: policies share models.
    costs : CostMatrix
    threshold : float
        Flag when score >= threshold.
    retrain_cost : float
        Dollars per retraining (people's time, validation, a safe rollout).
    every, cost_trigger : optional
        The policy (see above); give at most one.
    label_wait, window : int
        For the cost trigger: weeks to let labels arrive, and weeks pooled.

    Returns
    -------
    pandas.DataFrame
        Indexed by week: ``model`` (the week the live model was trained, 0 = launch model),
        ``error_cost`` (with the final labels), ``retrained`` (at the end of that week),
        ``retrain_cost``, ``total_cost``.
    """
    if every is not None and cost_trigger is not None:
        raise ValueError("give either every (a schedule) or cost_trigger, not both")
    if every is not None and not (isinstance(every, (int, np.integer)) and every >= 1):
        raise ValueError(f"every is a number of weeks (1 or more), got {every!r}")
    if label_wait < 0 or window < 1:
        raise ValueError("label_wait must be 0 or more and window 1 or more")
    weeks = df["week"].to_numpy()
    y_final = df["is_fraud"].to_numpy()
    live, served_by, records = 0, {}, []
    for week in range(1, int(weeks.max()) + 1):
        served_by[week] = live
        rows = weeks == week
        flag = scores_after(live)[rows] >= threshold
        y = y_final[rows]
        cost = (flag & (y == 0)).sum() * costs.false_positive + (~flag & (y == 1)).sum() * costs.false_negative
        retrain = False
        if every is not None:
            retrain = week % every == 0
        elif cost_trigger is not None:
            span = range(week - label_wait - window + 1, week - label_wait + 1)
            # Judge the live model only on weeks it served itself.
            if span[0] >= 1 and all(served_by[w] == live for w in span):
                retrain = matured_cost_per_1000(df, scores_after(live), threshold, costs, week,
                                                label_wait, window) >= cost_trigger
        retrain = bool(retrain) and week < weeks.max()  # a model trained after the last week serves nothing
        if retrain:
            live = week
        records.append({"week": week, "model": served_by[week], "error_cost": float(cost),
                        "retrained": retrain, "retrain_cost": retrain_cost if retrain else 0.0})
    table = pd.DataFrame(records).set_index("week")
    table["total_cost"] = table.error_cost + table.retrain_cost
    return table


class RollingRetrainer:
    """Scores of the launch model, and of the model retrained at the end of any week, cached.

    A retraining at the end of week ``k`` refits the launch pipeline's classifier on the
    ``window`` weeks that end ``label_wait`` weeks earlier (so most of their chargebacks are in),
    with the labels known at the end of week ``k``, plus an anchor of ``anchor_rows`` rows of the
    launch training data, so that a model fitted on one quarter does not forget the old fraud.
    The launch pipeline's encoding is reused as fitted: the columns and categories do not change,
    and encoding the year once is what keeps a simulation of many policies fast.

    Parameters
    ----------
    launch_model : fitted Pipeline
        From :func:`aipm_lab.case.fraud.make_model`, fitted on ``history``.
    weekly : pandas.DataFrame
        The weekly table (``week``, ``is_fraud``, ``chargeback_delay_weeks``).
    history : pandas.DataFrame
        The launch model's training data (with ``is_fraud``).
    window, label_wait, anchor_rows : int
        Weeks per retraining, weeks left for labels to arrive, rows of history kept.

    Examples
    --------
    ``RollingRetrainer(model, weekly, train)(0)`` is ``model.predict_proba(weekly)[:, 1]``;
    ``(...)(30)`` scores the year with the model retrained at the end of week 30.
    """

    def __init__(self, launch_model, weekly: pd.DataFrame, history: pd.DataFrame, window: int = 13,
                 label_wait: int = 4, anchor_rows: int = 5000):
        if window < 1 or label_wait < 0 or anchor_rows < 0:
            raise ValueError("window must be 1 or more, label_wait and anchor_rows 0 or more")
        self.model, self.weekly = launch_model, weekly
        self.window, self.label_wait = window, label_wait
        encode = launch_model[:-1]
        self._x = encode.transform(weekly)
        anchor = history.iloc[:anchor_rows]
        self._x_anchor, self._y_anchor = encode.transform(anchor), anchor["is_fraud"].to_numpy()
        self._cache: dict[int, np.ndarray] = {}
        self._blas = ThreadpoolController()  # found once: threadpool_limits searched the libraries at every fit

    def training_weeks(self, week: int) -> tuple[int, int]:
        """First and last week (inclusive) a retraining at the end of ``week`` learns from.

        Up to ``window`` weeks, fewer early in the year: ``(1, 0)`` (no week) when no week has had
        ``label_wait`` weeks for its labels yet; such a retraining learns from the anchor rows alone.
        """
        last = week - self.label_wait
        return max(1, last - self.window + 1), last

    def __call__(self, week: int) -> np.ndarray:
        """Scores of every weekly row by the model retrained at the end of ``week`` (0: launch model)."""
        week = int(week)
        if week not in self._cache:
            if week == 0:
                clf = self.model[-1]
            else:
                from sklearn.base import clone

                lo, hi = self.training_weeks(week)
                rows = self.weekly["week"].between(lo, hi).to_numpy()
                x = np.concatenate([self._x_anchor, self._x[rows]])
                y = np.concatenate([self._y_anchor, labels_known(self.weekly, week)[rows]])
                # Same model and penalty; Newton-Cholesky reaches the same optimum as lbfgs in a few
                # steps when there are many rows and few columns, as here. A tight tolerance costs one or
                # two more steps and makes the scores independent of the solver.
                # One BLAS thread: these products are small, and threads fighting over shared cores are slower.
                with self._blas.limit(limits=1):
                    clf = clone(self.model[-1]).set_params(solver="newton-cholesky", tol=1e-8).fit(x, y)
            self._cache[week] = clf.predict_proba(self._x)[:, 1]
        return self._cache[week]
