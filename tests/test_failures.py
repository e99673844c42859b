"""Failure-mode helpers, each checked against an independent computation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from statsmodels.stats.proportion import proportion_confint

from aipm_lab import datasets, failures
from aipm_lab.case import intents
from aipm_lab.datasets import tickets


@pytest.fixture(scope="module")
def fitted():
    df = datasets.generate("support_tickets", seed=3).iloc[:2000]
    train, test = intents.split(df, seed=3)
    model = intents.make_model().fit(train["text"], train["intent"])
    return model, test


def test_length_band_counts_words():
    texts = pd.Series(["", "card??", "one two three", "one two three four", " ".join(["w"] * 20), " ".join(["w"] * 21)])
    band = failures.length_band(texts)
    words = [len(t.split()) for t in texts]
    expected = ["0-3 words" if w <= 3 else "4-10 words" if w <= 10 else "11-20 words" if w <= 20 else "21+ words"
                for w in words]
    assert band.astype(str).tolist() == expected
    assert list(band.cat.categories) == ["0-3 words", "4-10 words", "11-20 words", "21+ words"]
    with pytest.raises(ValueError, match="increasing"):
        failures.length_band(texts, edges=(10, 3))


def test_slice_errors_match_a_groupby_and_statsmodels():
    rng = np.random.default_rng(0)
    n = 500
    slices = pd.DataFrame({"channel": rng.choice(["chat", "app", "email"], n), "typo": rng.random(n) < 0.1})
    errors = rng.random(n) < np.where(slices["typo"], 0.5, 0.1)
    table = failures.slice_errors(errors, slices)
    overall = errors.mean()
    for label, mask in [*((f"channel={c}", slices["channel"].eq(c)) for c in ("chat", "app", "email")),
                        ("typo", slices["typo"]), ("overall", pd.Series(True, index=slices.index))]:
        k, m = int(errors[mask.to_numpy()].sum()), int(mask.sum())
        low, high = proportion_confint(k, m, alpha=0.05, method="wilson")
        row = table.loc[label]
        assert (row["n"], row["errors"]) == (m, k)
        assert row["error_rate"] == pytest.approx(k / m)
        assert (row["low"], row["high"]) == pytest.approx((low, high))
        assert row["worse"] == (low > overall)
    assert "typo" in table.index and "typo=False" not in table.index
    assert table.loc["typo", "worse"]  # a slice with five times the error rate and 50 rows shows it


def test_slice_errors_rejects_bad_input():
    with pytest.raises(ValueError, match="True/False"):
        failures.slice_errors([0, 2], pd.DataFrame({"a": ["x", "y"]}))
    with pytest.raises(ValueError, match="rows"):
        failures.slice_errors([0, 1, 1], pd.DataFrame({"a": ["x", "y"]}))


def test_probe_set_is_seeded_and_labelled():
    a, b, c = failures.probe_set(5, 20), failures.probe_set(5, 20), failures.probe_set(6, 20)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert a["kind"].value_counts().to_dict() == {k: 20 for k in failures.PROBE_KINDS}
    no_queue = a["kind"].isin(["gibberish", "empty_or_emoji", "out_of_scope"])
    assert a.loc[no_queue, "intent"].eq(failures.NO_INTENT).all()
    assert a.loc[~no_queue, "intent"].isin(tickets.LABELS).all()
    long = a.loc[a["kind"] == "very_long", "text"].str.split().str.len()
    assert long.min() > 60  # far beyond any ticket the generator writes
    assert not a["text"].str.contains("{", regex=False).any()  # every slot filled
    with pytest.raises(ValueError, match="n_per_kind"):
        failures.probe_set(1, 0)
    with pytest.raises(ValueError, match="unknown probe kind"):
        failures.probe_set(1, 1, kinds=["klingon"])


def test_vocabulary_coverage_matches_count_vectorizers():
    train = ["my card was declined at the shop", "I want a refund please", "my transfer is late"]
    texts = ["card declined", "ma carte a été refusée", "", "refund refund unknownword", "!!!"]
    vec = TfidfVectorizer(min_df=1).fit(train)
    got = failures.vocabulary_coverage(vec, texts)
    known = CountVectorizer(vocabulary=vec.vocabulary_).transform(texts).sum(axis=1).A1
    total = CountVectorizer(token_pattern=vec.token_pattern).fit(texts).transform(texts).sum(axis=1).A1
    expected = np.divide(known, total, out=np.zeros(len(texts)), where=total > 0)
    np.testing.assert_allclose(got, expected)
    with pytest.raises(ValueError, match="fitted"):
        failures.vocabulary_coverage(TfidfVectorizer(), texts)


def test_occurrence_and_detectability_scores_brute_force():
    rates = [0, 0.05, 0.1, 0.15, 0.2, 0.99, 1, 4.9, 5, 19.9, 20, 49.9, 50, 1000]
    expected = [1 + sum(r >= e for e in failures.OCCURRENCE_EDGES) for r in rates]
    assert failures.occurrence_score(rates).tolist() == expected
    shares = [0, 1 / 18, 1 / 9, 0.5, 0.5 + 1 / 18, 2 / 3, 17 / 18, 1]
    half_up = [1 + int(Decimal(9 * s).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for s in shares]
    assert failures.detectability_score(shares).tolist() == half_up
    with pytest.raises(ValueError):
        failures.occurrence_score([-1])
    with pytest.raises(ValueError):
        failures.detectability_score([1.2])


def test_fmea_table_multiplies_and_sorts():
    modes = pd.DataFrame(
        {"effect": ["a", "b", "c"], "severity": [8, 3, 3], "fallback": ["x", "y", "z"],
         "traffic_share": [0.01, 0.2, 0.2], "error_rate": [0.5, 0.5, 0.5], "confident_error_share": [0.6, 0.0, np.nan]},
        index=pd.Index(["rare", "common", "common_too"], name="mode"))
    table = failures.fmea_table(modes)
    for mode, row in table.iterrows():
        o = 1 + sum(row["errors_per_1000"] >= e for e in failures.OCCURRENCE_EDGES)
        share = modes.loc[mode, "confident_error_share"]
        d = 1 + int(Decimal(9 * (0 if np.isnan(share) else share)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert (row["occurrence"], row["detectability"], row["rpn"]) == (o, d, row["severity"] * o * d)
    assert table["rpn"].is_monotonic_decreasing
    assert table.index.tolist() == ["rare", "common", "common_too"]  # the tie sorted by name
    with pytest.raises(ValueError, match="severity"):
        failures.fmea_table(modes.assign(severity=[0, 3, 3]))
    with pytest.raises(ValueError, match="missing"):
        failures.fmea_table(modes.drop(columns="fallback"))


def test_threshold_helpers_brute_force():
    rng = np.random.default_rng(1)
    n = 300
    errors, confidence = rng.random(n) < 0.2, rng.random(n)
    modes = {"a": rng.random(n) < 0.3, "b": rng.random(n) < 0.5, "none_wrong": np.zeros(n, bool)}
    caught = failures.caught_by_threshold(errors, confidence, modes, [0.3, 0.7])
    stats = failures.mode_stats(errors, confidence, modes, 0.7)
    for name, mask in modes.items():
        idx = [i for i in range(n) if mask[i] and errors[i]]
        for t in (0.3, 0.7):
            value = caught.loc[t, name]
            assert (np.isnan(value) and not idx) or value == pytest.approx(sum(confidence[i] < t for i in idx) / len(idx))
        assert stats.loc[name, "errors"] == len(idx)
        if idx:
            assert stats.loc[name, "confident_error_share"] == pytest.approx(1 - caught.loc[0.7, name])
    at = failures.automation_at(errors, confidence, 0.5)
    auto = [c >= 0.5 for c in confidence]
    assert at["automation_rate"] == pytest.approx(sum(auto) / n)
    assert at["error_rate_automated"] == pytest.approx(sum(e and a for e, a in zip(errors, auto)) / sum(auto))
    assert at["good_to_people"] == pytest.approx(sum(not e and not a for e, a in zip(errors, auto)) / sum(~errors))
    assert at["errors_caught"] == pytest.approx(sum(e and not a for e, a in zip(errors, auto)) / sum(errors))
    with pytest.raises(ValueError, match="probabilities"):
        failures.automation_at(errors, confidence + 1, 0.5)
    with pytest.raises(ValueError, match="shape"):
        failures.caught_by_threshold(errors, confidence[:-1], modes, 0.5)


def test_failure_frame_joins_tickets_and_probes(fitted):
    model, test = fitted
    probes = failures.probe_set(2, 5)
    frame = failures.failure_frame(model, test, probes)
    tick = frame["source"].eq("ticket")
    assert tick.sum() == len(test) and (~tick).sum() == len(probes) and frame.index.is_unique
    assert frame.loc[tick, "predicted"].tolist() == model.predict(test["text"]).tolist()
    assert frame["error"].equals(frame["predicted"] != frame["intent"])
    traits = intents.message_traits(test)
    for mode in failures.TICKET_MODES.index:
        if mode in failures.PROBE_KINDS:
            assert frame.loc[~tick, mode].tolist() == probes["kind"].eq(mode).tolist()
            assert not frame.loc[tick, mode].any()
        else:
            assert frame.loc[tick, mode].tolist() == traits[mode].tolist()
            assert not frame.loc[~tick, mode].any()
    # Empty and emoji-only messages give the model nothing: it falls back to the class prior.
    empty = frame[frame["empty_or_emoji"]]
    assert (empty["coverage"] == 0).all() and empty["confidence"].nunique() == 1


def test_ticket_slices_columns(fitted):
    _, test = fitted
    slices = failures.ticket_slices(test)
    assert list(slices.columns) == ["language", "length", "channel", "typo", "vague", "two_requests"]
    assert slices.index.equals(test.index)


def test_threshold_plot_reports_the_ticket_traffic_only():
    import matplotlib

    matplotlib.use("Agg")
    errors = np.array([True, False, False, True])
    confidence = np.array([0.9, 0.8, 0.3, 0.2])
    modes = {"a": np.array([True, True, False, False]), "probe": np.array([False, False, False, True])}
    traffic = np.array([True, True, True, False])
    ax = failures.plot_threshold_catch(errors, confidence, modes, 0.5, traffic=traffic)
    # Tickets only: 2 of 3 automated (67%), 1 of 2 correct ones sent to people (50%).
    assert "67% of tickets automated" in ax.get_title() and "50% of correct" in ax.get_title()
    widths = [bar.get_width() for bar in ax.patches]
    assert widths == [0.0, 1.0]  # mode a's one error is confident; the probe's error is caught
