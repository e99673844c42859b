"""Tests for aipm_lab.synthetic: generators, and fidelity, privacy and utility checked independently."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from blas_kernels import outputs_under_kernels
from scipy.spatial.distance import cdist

from aipm_lab import datasets
from aipm_lab.case import fraud
from aipm_lab import synthetic as syn


@pytest.fixture(scope="module")
def table():
    return datasets.generate("card_transactions", 3)


@pytest.fixture(scope="module")
def frauds(table):
    return table[table["is_fraud"] == 1].reset_index(drop=True)


def test_recall_at_fpr_matches_a_brute_force_threshold_search():
    rng = np.random.default_rng(0)
    for trial in range(30):
        legit = np.round(rng.random(rng.integers(5, 60)), 2)  # rounding makes ties
        target = np.round(rng.random(rng.integers(1, 20)), 2)
        fpr = rng.choice([0.01, 0.05, 0.1, 0.3])
        got = syn.recall_at_fpr(legit, target, fpr)
        # Brute force: every candidate threshold, keep those that flag at most fpr of legit rows.
        candidates = np.r_[np.unique(np.r_[legit, target]), np.inf]
        feasible = [t for t in candidates if (legit >= t).sum() <= fpr * len(legit)]
        best = max(int((target >= t).sum()) for t in feasible)
        assert got["caught"] == best, trial
        assert (legit >= got["threshold"]).sum() <= fpr * len(legit)
        assert got["recall"] == pytest.approx(best / len(target))


def test_total_variation_matches_a_hand_count():
    a = pd.Series(list("aaabbc"))
    b = pd.Series(list("abbbdd"))
    pa, pb = Counter(a), Counter(b)
    expected = sum(abs(pa[k] / len(a) - pb[k] / len(b)) for k in set(a) | set(b)) / 2
    assert syn.total_variation(a, b) == pytest.approx(expected)
    assert syn.total_variation(a, a) == 0
    assert syn.total_variation(pd.Series(["x"]), pd.Series(["y"])) == pytest.approx(1)


def test_ks_statistic_matches_the_largest_gap_between_empirical_cdfs(frauds, table):
    legit = table[table["is_fraud"] == 0].sample(500, random_state=1)
    out = syn.fidelity_table(frauds, legit)
    for col in syn.NUMBER_COLUMNS:
        a, b = frauds[col].to_numpy(float), legit[col].to_numpy(float)
        points = np.unique(np.r_[a, b])
        gap = max(abs((a <= x).mean() - (b <= x).mean()) for x in points)
        assert out.loc[col, "statistic"] == pytest.approx(gap), col
    assert set(out.index) == set(syn.NUMBER_COLUMNS + syn.CATEGORY_COLUMNS)
    assert out["statistic"].is_monotonic_decreasing
    assert syn.fidelity_table(frauds, frauds)["statistic"].max() == 0


def test_correlation_gap_matches_a_pairwise_loop(frauds, table):
    other = table[table["is_fraud"] == 0].sample(400, random_state=2)
    a, b = syn.numeric_view(frauds), syn.numeric_view(other)
    gaps = []
    for i, x in enumerate(a.columns):
        for y in a.columns[i + 1:]:
            ra = np.corrcoef(a[x], a[y])[0, 1] if a[x].std() and a[y].std() else 0.0
            rb = np.corrcoef(b[x], b[y])[0, 1] if b[x].std() and b[y].std() else 0.0
            gaps.append(abs(ra - rb))
    assert syn.correlation_gap(frauds, other) == pytest.approx(np.mean(gaps))
    assert syn.correlation_gap(frauds, frauds) == pytest.approx(0)


def test_closest_record_distance_matches_scipy_cdist(frauds, table):
    queries = table.sample(40, random_state=3)
    got = syn.closest_record_distance(frauds, queries)
    encode = fraud.make_model()[:-1].fit(frauds[syn.FEATURES])
    expected = cdist(encode.transform(queries[syn.FEATURES]), encode.transform(frauds[syn.FEATURES])).min(axis=1)
    np.testing.assert_allclose(got, expected, atol=1e-9)
    assert np.allclose(syn.closest_record_distance(frauds, frauds.iloc[:5]), 0)


def test_copula_keeps_marginals_labels_and_a_strong_correlation():
    rng = np.random.default_rng(4)
    x = rng.lognormal(3, 1, 2000)
    real = pd.DataFrame({"amount": x.round(2), "customer_tenure_days": (x * 10 + rng.normal(0, 5, 2000)).round().clip(1).astype(int),
                         "channel": rng.choice(["online", "in_store"], 2000, p=[0.3, 0.7])})
    fake = syn.GaussianCopula(shrinkage=0).fit(real).sample(4000, seed=5)
    assert list(fake.columns) == list(real.columns)
    assert fake["channel"].isin(["online", "in_store"]).all()
    assert fake["customer_tenure_days"].dtype == real["customer_tenure_days"].dtype
    table = syn.fidelity_table(real, fake, numbers=["amount"], categories=["channel"])
    assert table["statistic"].max() < 0.05
    r_real = np.corrcoef(np.log(real["amount"]), np.log(real["customer_tenure_days"]))[0, 1]
    r_fake = np.corrcoef(np.log(fake["amount"]), np.log(fake["customer_tenure_days"]))[0, 1]
    assert r_real > 0.8 and abs(r_real - r_fake) < 0.1
    pd.testing.assert_frame_equal(fake, syn.GaussianCopula(shrinkage=0).fit(real).sample(4000, seed=5))


def test_copula_never_invents_a_label_it_was_not_shown(frauds):
    urban = frauds[frauds["region"] == "urban"]
    fake = syn.GaussianCopula().fit(urban[syn.FEATURES]).sample(3000, seed=6)
    assert (fake["region"] == "urban").all()
    assert set(fake["merchant_category"]) <= set(urban["merchant_category"])


@pytest.fixture(scope="module")
def six_labelled(table):
    """Part 9's degenerate case: six labelled rural frauds, two of whose columns hold one value."""
    rows = syn.NewPattern.from_transactions(table, seed=3, n_labelled=6).labelled[syn.FEATURES]
    assert (rows.nunique() == 1).sum() >= 2
    return rows


def test_copula_emits_constant_columns_and_never_factorises_by_eigenvectors(six_labelled, monkeypatch):
    """Eigenvectors of a repeated eigenvalue (and SVD's) are not unique, so a draw through them depends on the CPU."""
    def refuse(*args, **kwargs):
        raise AssertionError("an eigen/SVD factorisation: its result is not unique for a repeated eigenvalue")

    for name in ("eig", "eigh", "svd"):
        monkeypatch.setattr(np.linalg, name, refuse)
    copula = syn.GaussianCopula().fit(six_labelled)
    fake = copula.sample(500, seed=1)
    constant = [c for c in syn.FEATURES if six_labelled[c].nunique() == 1]
    assert set(copula.constants_) == set(constant)
    for col in constant:
        assert (fake[col] == six_labelled[col].iloc[0]).all(), col
    assert list(fake.dtypes) == list(six_labelled.dtypes)
    # The varying columns still follow their fitted correlations (Cholesky: L @ L.T is the matrix).
    np.testing.assert_allclose(copula.cholesky_ @ copula.cholesky_.T, copula.correlation_, atol=1e-12)
    assert len(copula.correlation_) == len(syn.FEATURES) - len(constant)


def test_copula_draws_the_same_rows_under_every_openblas_kernel():
    runs = outputs_under_kernels("""
import hashlib
import pandas as pd
from aipm_lab import datasets
from aipm_lab.synthetic import FEATURES, GaussianCopula, NewPattern
rows = NewPattern.from_transactions(datasets.generate("card_transactions", 3), seed=3, n_labelled=6).labelled[FEATURES]
fake = GaussianCopula().fit(rows).sample(2000, seed=3)
print(hashlib.sha256(pd.util.hash_pandas_object(fake).to_numpy().tobytes()).hexdigest())
""")
    assert len(set(runs.values())) == 1, runs


def test_smote_rows_lie_between_real_rows(frauds):
    fake = syn.smote_rows(frauds, 300, seed=7)
    assert len(fake) == 300 and list(fake.columns) == syn.FEATURES
    assert fake["amount"].between(frauds["amount"].min(), frauds["amount"].max()).all()
    for col in ["merchant_category", "channel", "device", "region", "hour", "is_foreign"]:
        assert set(fake[col]) <= set(frauds[col]), col
    # SMOTE interpolates between close neighbours: its rows sit far closer to real rows than real rows to each other.
    assert np.median(syn.closest_record_distance(frauds, fake)) < np.median(
        syn.closest_record_distance(frauds.iloc[::2], frauds.iloc[1::2]))
    pd.testing.assert_frame_equal(fake, syn.smote_rows(frauds, 300, seed=7))


def test_with_synthetic_share_hits_the_share_and_nests():
    real = pd.DataFrame({"v": np.zeros(900)})
    pool = pd.DataFrame({"v": np.ones(1000)})
    for share in (0, 0.1, 0.25, 0.5):
        out = syn.with_synthetic_share(real, pool, share)
        assert out["v"].mean() == pytest.approx(share, abs=1e-3)
        assert (out["v"].iloc[:900] == 0).all()
    with pytest.raises(ValueError, match="only 1000"):
        syn.with_synthetic_share(real, pool, 0.6)
    with pytest.raises(ValueError, match="share"):
        syn.with_synthetic_share(real, pool, 1)


def test_new_pattern_split_partitions_the_rural_frauds(table):
    s = syn.NewPattern.from_transactions(table, seed=3, n_labelled=5)
    rural_fraud = table[(table["region"] == "rural") & (table["is_fraud"] == 1)]
    assert len(s.labelled) == 5 and s.labelled.index.isin(s.train.index).all()
    assert not s.held_out.index.isin(s.train.index).any()
    assert len(s.labelled) + len(s.held_out) == len(rural_fraud)
    assert not ((s.test["region"] == "rural") & (s.test["is_fraud"] == 1)).any()
    assert ((s.train["region"] == "rural") & (s.train["is_fraud"] == 1)).sum() == 5
    with pytest.raises(ValueError, match="rural frauds"):
        syn.NewPattern.from_transactions(table, seed=3, n_labelled=10_000)


def test_stops_helping_compares_like_with_like():
    """The first share whose gap to the best share has an interval holding 0 (issue 22): 6 of 42 against 13 of
    42 is not detectably lower (Newcombe 95%: -0.014 to 0.35), although 6/42 lies below 13/42's own interval."""
    sweep = pd.DataFrame({"new_caught": [0, 5, 6, 13], "new_n": [42] * 4},
                         index=pd.Index([0, 0.005, 0.02, 0.1], name="share"))
    assert syn.stops_helping(sweep) == 0.02
    assert syn.stops_helping(sweep, confidence=0.8) == 0.1  # a narrower interval tells 6 from 13
    assert syn.stops_helping(sweep.iloc[::-1]) == 0.02  # the order of the rows does not matter


def test_new_pattern_takes_any_named_segment(table):
    s = syn.NewPattern.from_transactions(table, seed=3, n_labelled=4, new="electronics")
    assert len(s.labelled) == 4 and (s.labelled["merchant_category"] == "electronics").all()
    assert (s.held_out["merchant_category"] == "electronics").all() and (s.held_out["is_fraud"] == 1).all()
    assert not ((s.test["merchant_category"] == "electronics") & (s.test["is_fraud"] == 1)).any()
    with pytest.raises(ValueError, match="unknown pattern 'tundra'"):
        syn.NewPattern.from_transactions(table, seed=3, new="tundra")


@pytest.mark.parametrize("call, match", [
    (lambda: syn.recall_at_fpr([0.1], [0.2], fpr=0), "fpr"),
    (lambda: syn.recall_at_fpr([], [0.2]), "at least one"),
    (lambda: syn.GaussianCopula().sample(3, seed=0), "fit"),
    (lambda: syn.GaussianCopula(shrinkage=2), "shrinkage"),
    (lambda: syn.fidelity_table(pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [1]})), "lacks"),
    (lambda: syn.smote_rows(pd.DataFrame({c: [1] for c in syn.FEATURES}), 3, seed=0), "at least 2"),
])
def test_bad_input_gets_a_plain_message(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_train_synthetic_test_real_equals_real_when_the_synthetic_rows_are_the_real_ones(table):
    from sklearn.metrics import average_precision_score

    train, test = fraud.split(table.sample(8000, random_state=8), seed=8)
    out = syn.train_synthetic_test_real(train, {"copy": train[train["is_fraud"] == 1]}, test)
    manual = average_precision_score(test["is_fraud"], fraud.fit_scores(train, test))
    assert out["real"] == pytest.approx(manual)
    assert out["copy"] == pytest.approx(manual, abs=1e-6)  # same rows, only reordered
    with pytest.raises(ValueError, match="dict"):
        syn.train_synthetic_test_real(train, train, test)


def test_share_sweep_scores_each_share_with_the_model_fitted_on_its_own_table(table):
    """share_sweep encodes the rows once; each share must still get exactly the fraud model fitted on its table."""
    s = syn.NewPattern.from_transactions(table, seed=3, n_labelled=6, legit_share=0.1)
    pool = syn.smote_rows(s.labelled, 400, seed=3)
    # A label no real row has, in synthetic rows that only the largest share (177 rows) takes.
    pool.loc[100:119, "merchant_category"] = "florist"
    # One call per share too: the scenario's rows are encoded once per set of labels and reused.
    sweep = pd.concat([syn.share_sweep(s, pool, [0, 0.005, 0.03], fpr=0.02),
                       *(syn.share_sweep(s, pool, [share], fpr=0.02) for share in (0, 0.005, 0.03))])
    for share, row in sweep.iterrows():
        pooled = pool.assign(is_fraud=1)
        train = syn.with_synthetic_share(s.train, pooled, share)
        alone = s.recalls(fraud.make_model().fit(train, train["is_fraud"]), fpr=0.02)
        assert row["n_synthetic"] == len(train) - len(s.train)
        assert {k: row[k] for k in alone} == pytest.approx(alone, rel=1e-9), share
    with pytest.raises(ValueError, match="only 400"):
        syn.share_sweep(s, pool, [0, 0.5])


def test_train_synthetic_test_real_scores_each_generator_as_a_pipeline_fitted_on_its_table(table):
    """The rows are encoded once; each generator must still get the fraud model fitted on the real legitimate
    rows and its own frauds, also when one generator uses a label no other table has."""
    from sklearn.metrics import average_precision_score

    train, test = fraud.split(table.sample(8000, random_state=8), seed=8)
    real = train[train["is_fraud"] == 1]
    odd = syn.smote_rows(real, 60, seed=9)
    odd.loc[:9, "channel"] = "kiosk"
    synthetic = {"smote": syn.smote_rows(real, 60, seed=8), "odd": odd}
    out = syn.train_synthetic_test_real(train, synthetic, test)
    for name, rows in synthetic.items():
        swapped = pd.concat([train[train["is_fraud"] == 0], rows.assign(is_fraud=1)], ignore_index=True)
        assert out[name] == pytest.approx(average_precision_score(test["is_fraud"], fraud.fit_scores(swapped, test)),
                                          rel=1e-9), name
