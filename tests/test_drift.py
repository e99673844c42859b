"""Drift helpers checked against independent computations (scipy, scikit-learn, brute force)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import rel_entr
from scipy.stats import ks_2samp
from sklearn.metrics import confusion_matrix

from aipm_lab.costs import CostMatrix
from aipm_lab.drift import (
    EPS,
    DriftMonitor,
    alert_report,
    ks_by_window,
    labels_known,
    psi,
    psi_band,
    psi_by_window_sizes,
    psi_from_shares,
    simulate_retraining,
    weekly_quality,
    window_ids,
)

COSTS = CostMatrix(false_positive=6.0, false_negative=180.0)


@pytest.fixture
def samples():
    rng = np.random.default_rng(1)
    ref = pd.DataFrame({"x": rng.lognormal(3, 1, 4000), "c": rng.choice(list("abcd"), 4000, p=[.4, .3, .2, .1])})
    cur = pd.DataFrame({"x": rng.lognormal(3.3, 1.1, 900), "c": rng.choice(list("abce"), 900, p=[.2, .3, .3, .2])})
    return ref, cur


def test_psi_is_the_symmetrised_kullback_leibler_divergence():
    rng = np.random.default_rng(0)
    for _ in range(50):
        # Shares above EPS, so the empty-bin floor plays no part.
        e, a = rng.dirichlet(np.ones(7)) + 1e-3, rng.dirichlet(np.ones(7)) + 1e-3
        e, a = e / e.sum(), a / a.sum()
        # PSI = KL(a || e) + KL(e || a), computed here by scipy.
        assert psi_from_shares(e, a) == pytest.approx(rel_entr(a, e).sum() + rel_entr(e, a).sum(), rel=1e-12)


def test_numeric_psi_matches_a_brute_force_histogram(samples):
    ref, cur = samples
    edges = np.unique(np.percentile(ref.x, np.arange(10, 100, 10)))
    full = np.r_[-np.inf, edges, np.inf]
    # Bins closed on the left, as searchsorted(side="right") makes them: [edge_i, edge_i+1).
    e = np.array([((ref.x >= lo) & (ref.x < hi)).mean() for lo, hi in zip(full[:-1], full[1:])])
    a = np.array([((cur.x >= lo) & (cur.x < hi)).mean() for lo, hi in zip(full[:-1], full[1:])])
    expected = sum((ai - ei) * np.log(ai / ei) for ai, ei in zip(np.maximum(a, EPS), np.maximum(e, EPS)))
    assert psi(ref.x, cur.x, bins=10) == pytest.approx(expected, rel=1e-10)


def test_categorical_psi_matches_value_counts_and_counts_unseen_categories(samples):
    ref, cur = samples
    e = ref.c.value_counts(normalize=True)
    a = cur.c.value_counts(normalize=True)
    cats = sorted(set(e.index) | set(a.index))
    e, a = (np.maximum(s.reindex(cats, fill_value=0).to_numpy(), EPS) for s in (e, a))
    assert psi(ref.c, cur.c, categorical=True) == pytest.approx(float(np.sum((a - e) * np.log(a / e))), rel=1e-10)


def test_psi_by_group_equals_psi_of_each_group(samples):
    ref, cur = samples
    monitor = DriftMonitor(["x"], ["c"], bins=5).fit(ref)
    groups = np.repeat([3, 1, 2], 300)
    table = monitor.psi_by(cur, groups)
    assert list(table.index) == [1, 2, 3]
    for g in (1, 2, 3):
        pd.testing.assert_series_equal(table.loc[g], monitor.psi(cur[groups == g]), check_names=False)


def test_psi_is_zero_on_the_reference_and_grows_with_the_shift():
    rng = np.random.default_rng(2)
    ref = rng.normal(0, 1, 20000)
    assert psi(ref, ref) == pytest.approx(0, abs=1e-12)
    shifts = [psi(ref, rng.normal(m, 1, 20000)) for m in (0.1, 0.3, 0.6)]
    assert shifts == sorted(shifts) and shifts[0] < 0.1 < shifts[-1]
    assert [psi_band(v) for v in (0.0, 0.099, 0.1, 0.249, 0.25)] == ["stable"] * 2 + ["moderate"] * 2 + ["major"]


def test_bad_input_gives_plain_errors(samples):
    ref, cur = samples
    with pytest.raises(ValueError, match="bins"):
        DriftMonitor(["x"], bins=1)
    with pytest.raises(ValueError, match="not fitted"):
        DriftMonitor(["x"]).psi(cur)
    with pytest.raises(ValueError, match="no column"):
        DriftMonitor(["nope"]).fit(ref)
    with pytest.raises(ValueError, match="empty"):
        DriftMonitor(["x"]).fit(ref).psi(cur.iloc[:0])
    with pytest.raises(ValueError, match="match"):
        psi_from_shares([0.5, 0.5], [1.0])
    with pytest.raises(ValueError, match="size"):
        window_ids([1, 2], 0)


def test_window_ids_cut_consecutive_rows_and_label_them_by_their_last_week():
    weeks = np.repeat([1, 2, 3], [5, 5, 3])
    ids = window_ids(weeks, 4)
    # 13 rows: windows of rows 0-3 (ends week 1), 4-7 (week 2), 8-11 (week 3); row 12 is left over.
    assert ids.tolist() == [1.0] * 4 + [2.0] * 4 + [3.0] * 4 + [-1.0]
    ids2 = window_ids(np.repeat([1, 2], [6, 2]), 2)
    assert ids2.tolist() == [1.0, 1.0, 1.001, 1.001, 1.002, 1.002, 2.0, 2.0]
    assert window_ids(weeks).tolist() == weeks.tolist()


def test_psi_noise_shrinks_with_window_size():
    rng = np.random.default_rng(3)
    ref = pd.DataFrame({"x": rng.normal(0, 1, 30000)})
    cur = pd.DataFrame({"x": rng.normal(0, 1, 24000), "week": np.repeat(np.arange(1, 25), 1000)})
    monitor = DriftMonitor(["x"], bins=10).fit(ref)
    means = psi_by_window_sizes(monitor, cur, [100, 1000])["x"]
    # Same distribution: the PSI left is sampling noise, about (bins - 1) / n (a chi-square with 9 df over n).
    assert means[100] == pytest.approx(9 / 100, rel=0.35)
    assert means[1000] == pytest.approx(9 / 1000 + 9 / 30000, rel=0.35)


def test_ks_by_window_is_scipys_test_per_group(samples):
    ref, cur = samples
    groups = np.repeat([1, 2, 3], 300)
    table = ks_by_window(ref, cur, groups, ["x"])
    for g in (1, 2, 3):
        assert table.loc[g, "x"] == ks_2samp(ref.x, cur.x[groups == g]).pvalue


def test_ks_by_window_sorts_a_large_reference_once_and_still_gives_scipys_pvalues():
    # Above 10,000 values ks_by_window computes scipy's asymptotic branch itself; ties (whole
    # dollars, hours) and windows of one value to more than 10,000 are where it could go wrong.
    rng = np.random.default_rng(5)
    ref = pd.DataFrame({"x": np.round(rng.lognormal(3, 1, 12_000)), "h": rng.integers(0, 24, 12_000)})
    sizes = [1, 7, 300, 2_000, 10_500]
    cur = pd.DataFrame({"x": np.round(rng.lognormal(3.1, 1, sum(sizes)), 1), "h": rng.integers(2, 24, sum(sizes))})
    groups = np.repeat(np.arange(len(sizes)), sizes)
    table = ks_by_window(ref, cur, groups, ["x", "h"])
    for f in ("x", "h"):
        for g in range(len(sizes)):
            assert table.loc[g, f] == ks_2samp(ref[f], cur[f][groups == g]).pvalue, (f, sizes[g])


@pytest.fixture
def year():
    rng = np.random.default_rng(4)
    weeks = np.repeat(np.arange(1, 11), 200)
    fraud = (rng.random(len(weeks)) < 0.05).astype(int)
    delay = np.where(fraud == 1, rng.integers(1, 5, len(weeks)), 0)
    df = pd.DataFrame({"week": weeks, "is_fraud": fraud, "chargeback_delay_weeks": delay})
    scores = np.clip(rng.normal(0.2 + 0.4 * fraud, 0.2), 0, 1)
    return df, scores


def test_labels_known_counts_only_arrived_chargebacks(year):
    df, _ = year
    for as_of in (3, 7, np.inf):
        brute = [int(f == 1 and w + d <= as_of) for w, f, d in df[["week", "is_fraud", "chargeback_delay_weeks"]].to_numpy()]
        assert labels_known(df, as_of).tolist() == brute


def test_weekly_quality_matches_sklearn_confusion_matrix(year):
    df, scores = year
    table = weekly_quality(df, scores, 0.4, COSTS, as_of_week=8)
    y = labels_known(df, 8)
    for week in (1, 5, 9):
        rows = df.week.to_numpy() == week
        tn, fp, fn, tp = confusion_matrix(y[rows], scores[rows] >= 0.4, labels=[0, 1]).ravel()
        row = table.loc[week]
        assert (row.tp, row.fp, row.fn) == (tp, fp, fn)
        assert row.cost == fp * 6 + fn * 180
        assert row.cost_per_1000 == pytest.approx(row.cost / rows.sum() * 1000)
        if tp + fn:
            assert row.recall == pytest.approx(tp / (tp + fn))
        else:  # no known fraud yet: recall is undefined, not 0
            assert np.isnan(row.recall)
    with pytest.raises(ValueError, match="match"):
        weekly_quality(df, scores[:-1], 0.4, COSTS)


def test_alert_report_counts_delay_and_false_alarms():
    report = alert_report([3, 5.002, 12, 14, 20], change_week=10, quiet_weeks=(1, 9))
    assert report["first_alert"] == 12 and report["delay_weeks"] == 2
    assert report["false_alarms"] == 2 and report["false_alarms_per_year"] == pytest.approx(2 / 9 * 52)
    assert np.isnan(alert_report([3], change_week=10, quiet_weeks=(1, 9))["first_alert"])


def test_simulate_retraining_never_costs_what_weekly_quality_says(year):
    df, scores = year
    never = simulate_retraining(df, lambda k: scores, COSTS, 0.4, 500.0)
    assert never.error_cost.sum() == pytest.approx(weekly_quality(df, scores, 0.4, COSTS).cost.sum())
    assert not never.retrained.any() and (never.model == 0).all()


def test_simulate_retraining_on_a_schedule_and_on_a_cost_trigger(year):
    df, scores = year
    perfect = df.is_fraud.to_numpy().astype(float)
    models = {0: scores}

    def scores_after(k):  # every retrained model is perfect: no errors at all
        return models.get(k, perfect)

    scheduled = simulate_retraining(df, scores_after, COSTS, 0.4, 500.0, every=4)
    assert scheduled.index[scheduled.retrained].tolist() == [4, 8]
    assert scheduled.model.tolist() == [0] * 4 + [4] * 4 + [8] * 2
    assert scheduled.loc[5:, "error_cost"].sum() == 0 and scheduled.retrain_cost.sum() == 1000
    # The trigger fires once window weeks with label_wait weeks of hindsight cost at least the trigger.
    trig = simulate_retraining(df, scores_after, COSTS, 0.4, 500.0, cost_trigger=0.0, label_wait=2, window=3)
    assert trig.index[trig.retrained].tolist() == [5]  # weeks 1-3 judged at the end of week 5
    with pytest.raises(ValueError, match="not both"):
        simulate_retraining(df, scores_after, COSTS, 0.4, 500.0, every=4, cost_trigger=1.0)


def test_matured_cost_pools_the_weeks_a_pm_can_read(year):
    df, scores = year
    from aipm_lab.drift import cost_alert_weeks, matured_cost_per_1000

    # At the end of week 8, with a 2-week wait and 3 weeks pooled: weeks 4-6, labels known at week 8.
    table = weekly_quality(df, scores, 0.4, COSTS, as_of_week=8).loc[4:6]
    expected = table.cost.sum() / table.transactions.sum() * 1000
    assert matured_cost_per_1000(df, scores, 0.4, COSTS, 8, label_wait=2, window=3) == pytest.approx(expected)
    assert np.isnan(matured_cost_per_1000(df, scores, 0.4, COSTS, 4, label_wait=2, window=3))
    values = {w: matured_cost_per_1000(df, scores, 0.4, COSTS, w, 2, 3) for w in range(1, 11)}
    trigger = np.nanmedian(list(values.values()))
    assert cost_alert_weeks(df, scores, 0.4, COSTS, trigger, 2, 3) == [w for w, v in values.items() if v >= trigger]


def test_rolling_retrainer_refits_on_the_matured_window_with_known_labels():
    from sklearn.linear_model import LogisticRegression

    from aipm_lab.case import fraud
    from aipm_lab.datasets import transactions, weekly_transactions
    from aipm_lab.drift import RollingRetrainer

    history = transactions.generate(0, n_rows=6000)
    weekly = weekly_transactions.generate(0)
    model = fraud.make_model().fit(history, history.is_fraud)
    retrainer = RollingRetrainer(model, weekly, history, window=13, label_wait=4, anchor_rows=2000)
    np.testing.assert_allclose(retrainer(0), model.predict_proba(weekly)[:, 1])
    assert retrainer.training_weeks(30) == (14, 26) and retrainer.training_weeks(8) == (1, 4)
    # An independent fit: lbfgs on the same encoded rows, labels as known at the end of week 30.
    rows = weekly.week.between(14, 26).to_numpy()
    x = np.vstack([model[:-1].transform(history.iloc[:2000]), model[:-1].transform(weekly[rows])])
    y = np.r_[history.is_fraud.to_numpy()[:2000], labels_known(weekly, 30)[rows]]
    reference = LogisticRegression(max_iter=5000, tol=1e-10).fit(x, y).predict_proba(model[:-1].transform(weekly))[:, 1]
    np.testing.assert_allclose(retrainer(30), reference, atol=1e-5)
    assert retrainer(30) is retrainer(30)  # cached: policies share the fitted model
    with pytest.raises(ValueError, match="window"):
        RollingRetrainer(model, weekly, history, window=0)
