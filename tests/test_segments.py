"""Tests for aipm_lab.segments: per-segment metrics, intervals, disparity, floors and plot."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from fairlearn.metrics import MetricFrame  # noqa: E402
from sklearn.compose import make_column_transformer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import precision_score, recall_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

from aipm_lab.datasets.transactions import generate  # noqa: E402
from aipm_lab.segments import (  # noqa: E402
    OVERALL,
    disparity,
    labels_needed,
    meets_floors,
    plot_segment_metric,
    recall_floor_thresholds,
    segment_report,
)


@pytest.fixture
def toy():
    """Three segments of unequal size, with a model that is worse on the small one."""
    rng = np.random.default_rng(0)
    n = 3_000
    segment = pd.Series(rng.choice(["a", "b", "c"], size=n, p=[0.6, 0.3, 0.1]), name="segment")
    y_true = (rng.random(n) < 0.1).astype(int)
    catch = np.where(segment == "c", 0.3, 0.8)
    y_pred = np.where(y_true == 1, rng.random(n) < catch, rng.random(n) < 0.05).astype(int)
    return y_true, y_pred, segment


def _per_group(y_true, y_pred, segment, score):
    return {g: score(y_true[segment == g], y_pred[segment == g]) for g in segment.unique()}


def test_values_and_counts_match_scikit_learn_per_group(toy):
    y_true, y_pred, segment = toy
    report = segment_report(y_true, y_pred, segment)

    assert list(report.index) == ["a", "b", "c", OVERALL]
    for g, expected in _per_group(y_true, y_pred, segment, recall_score).items():
        assert report.loc[g, "recall"] == pytest.approx(expected)
    for g, expected in _per_group(y_true, y_pred, segment, precision_score).items():
        assert report.loc[g, "precision"] == pytest.approx(expected)
    assert report.loc[OVERALL, "recall"] == pytest.approx(recall_score(y_true, y_pred))
    assert report.loc[OVERALL, "precision"] == pytest.approx(precision_score(y_true, y_pred))

    c = (segment == "c").to_numpy()
    assert report.loc["c", "n"] == c.sum()
    assert report.loc["c", "n_positive"] == y_true[c].sum()
    assert report.loc["c", "n_pred_positive"] == y_pred[c].sum()
    assert report.loc["c", "n_true_positive"] == (y_true[c] & y_pred[c]).sum()
    assert report.loc[OVERALL, "n"] == len(y_true)


def test_intervals_equal_statsmodels_wilson(toy):
    y_true, y_pred, segment = toy
    report = segment_report(y_true, y_pred, segment, confidence=0.9)
    for g in ["a", "b", "c", OVERALL]:
        row = report.loc[g]
        for metric, nobs in [("recall", "n_positive"), ("precision", "n_pred_positive")]:
            low, high = proportion_confint(row["n_true_positive"], row[nobs], alpha=0.1, method="wilson")
            assert row[f"{metric}_low"] == pytest.approx(low)
            assert row[f"{metric}_high"] == pytest.approx(high)
            assert low <= row[metric] <= high


def test_small_segment_has_the_widest_interval(toy):
    report = segment_report(*toy)
    width = report["recall_high"] - report["recall_low"]
    assert width.idxmax() == "c"


def test_several_segment_columns_give_combined_groups_without_empty_ones():
    segments = pd.DataFrame(
        {"region": ["urban", "urban", "rural", "rural"], "tenure": ["new", "old", "old", "old"]}
    )
    report = segment_report([1, 0, 1, 1], [1, 0, 0, 1], segments, metrics=("recall",))

    # fairlearn would also list (rural, new), which has no rows.
    assert list(report.index) == [("rural", "old"), ("urban", "new"), ("urban", "old"), (OVERALL, "")]
    assert report.index.names == ["region", "tenure"]
    assert list(report.columns[:3]) == ["recall", "recall_low", "recall_high"]
    assert report.loc[("rural", "old"), "recall"] == pytest.approx(0.5)


def test_undefined_metric_is_nan_without_warnings():
    # Segment "b" has no positives and flags nothing: no recall, no precision.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = segment_report([1, 0, 0, 0], [1, 0, 0, 0], ["a", "a", "b", "b"])
    assert report.loc["b", ["recall", "recall_low", "recall_high", "precision"]].isna().all()
    assert report.loc["a", "recall"] == 1.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"metrics": ("accuracy",)}, "metrics"),
        ({"confidence": 95}, "confidence"),
        ({"y_pred": [0.2, 0.9, 0.1, 0.4]}, "y_pred"),
        ({"segments": ["overall", "overall", "x", "x"]}, "overall"),
    ],
)
def test_segment_report_rejects_bad_input(kwargs, message):
    args = {"y_true": [1, 0, 1, 0], "y_pred": [1, 0, 0, 0], "segments": ["a", "a", "b", "b"]} | kwargs
    with pytest.raises(ValueError, match=message):
        segment_report(**args)


def test_disparity_matches_metricframe(toy):
    y_true, y_pred, segment = toy
    result = disparity(y_true, y_pred, segment, metric="recall")
    frame = MetricFrame(metrics=recall_score, y_true=y_true, y_pred=y_pred, sensitive_features=segment)

    assert result.ratio == pytest.approx(frame.ratio())
    assert result.difference == pytest.approx(frame.difference())
    assert result.worst_group == "c"
    assert result.worst_value == pytest.approx(frame.group_min())
    assert not result.passes_four_fifths


@pytest.mark.parametrize("caught_in_b, passes", [(4, True), (3, False)])
def test_four_fifths_boundary(caught_in_b, passes):
    # Segment a catches 5 of 5 frauds, b catches 4 (ratio 0.8, passes) or 3 (0.6, fails) of 5.
    y_true = [1] * 10
    y_pred = [1] * 5 + [1] * caught_in_b + [0] * (5 - caught_in_b)
    result = disparity(y_true, y_pred, ["a"] * 5 + ["b"] * 5)
    assert result.ratio == pytest.approx(caught_in_b / 5)
    assert result.passes_four_fifths is passes


def test_labels_needed_is_zero_when_precise_enough_and_monotone():
    assert labels_needed(0.5, current_n=10_000, target_half_width=0.05) == 0
    assert labels_needed(0.5, current_n=0, target_half_width=0.1) == 97  # ceil(1.96**2 / 4 / 0.01)

    widths = [labels_needed(0.5, 0, w) for w in (0.2, 0.1, 0.05, 0.02)]
    assert widths == sorted(widths) and len(set(widths)) == 4
    ps = [labels_needed(p, 0, 0.1) for p in (0.05, 0.2, 0.35, 0.5)]
    assert ps == sorted(ps) and len(set(ps)) == 4
    have = [labels_needed(0.4, n, 0.1) for n in (0, 20, 50, 90, 200)]
    assert have == sorted(have, reverse=True) and have[-1] == 0
    assert labels_needed(0.5, 0, 0.1, confidence=0.99) > labels_needed(0.5, 0, 0.1, confidence=0.9)


def test_labels_needed_reaches_the_target_width():
    p, width = 0.3, 0.08
    n = labels_needed(p, current_n=0, target_half_width=width)
    low, high = proportion_confint(p * n, n, method="normal")
    assert (high - low) / 2 <= width
    low, high = proportion_confint(p * (n - 1), n - 1, method="normal")
    assert (high - low) / 2 > width


def test_labels_needed_keeps_a_series_index():
    index = ["rural", "urban"]
    needed = labels_needed(pd.Series([0.5, 0.5], index=index), pd.Series([10, 500], index=index), 0.1)
    assert needed.to_dict() == {"rural": 87, "urban": 0}


def _report(recalls, lows):
    return pd.DataFrame(
        {"recall": recalls, "recall_low": lows, "precision": [0.3, 0.3, 0.3]},
        index=pd.Index(["rural", "urban", OVERALL], name="region"),
    )


def test_meets_floors_fails_when_one_segment_is_below():
    checks, done = meets_floors(_report([0.4, 0.7, 0.68], [0.2, 0.6, 0.6]), {"recall": 0.6, "precision": 0.1})
    assert not done
    assert list(checks.index) == ["rural", "urban"]  # the overall row is not a segment
    assert checks.loc["rural", "recall"] == False  # noqa: E712
    assert checks.loc["rural", "precision"] == True  # noqa: E712
    assert checks["passes"].to_dict() == {"rural": False, "urban": True}


def test_meets_floors_passes_only_when_all_segments_pass_and_lower_bound_is_stricter():
    report = _report([0.65, 0.7, 0.69], [0.45, 0.62, 0.64])
    assert meets_floors(report, {"recall": 0.6})[1]
    checks, done = meets_floors(report, {"recall": 0.6}, use_lower_bound=True)
    assert not done
    assert checks["passes"].to_dict() == {"rural": False, "urban": True}


def test_meets_floors_treats_nan_as_failing_and_checks_columns():
    assert not meets_floors(_report([np.nan, 0.7, 0.7], [np.nan, 0.6, 0.6]), {"recall": 0.1})[1]
    with pytest.raises(KeyError, match="fpr"):
        meets_floors(_report([0.7, 0.7, 0.7], [0.6, 0.6, 0.6]), {"fpr": 0.1})


def test_plot_segment_metric(toy):
    report = segment_report(*toy)
    ax = plot_segment_metric(report, "recall")
    try:
        assert ax.get_title()
        assert ax.get_xlabel() == "segment" and "recall" in ax.get_ylabel()
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert len(labels) == 3 and labels[2].startswith("c\n")
        overall = report.loc[OVERALL, "recall"]
        assert any(line.get_ydata()[0] == pytest.approx(overall) for line in ax.get_lines())
    finally:
        plt.close(ax.figure)

    _, given = plt.subplots()
    try:
        assert plot_segment_metric(report, "precision", ax=given) is given
    finally:
        plt.close(given.figure)


@pytest.fixture(scope="module")
def paylark_test_split():
    """Paylark's seed-2026 transactions: a plain logistic model flagging the top 1% of scores."""
    df = generate(2026)
    df = df.assign(
        log_amount=np.log(df["amount"]), new_account=(df["customer_tenure_days"] < 90).astype(int)
    )
    features = make_column_transformer(
        (
            OneHotEncoder(handle_unknown="ignore"),
            ["merchant_category", "channel", "device", "region", "hour"],
        ),
        ("passthrough", ["is_foreign", "new_account", "log_amount"]),
    )
    model = make_pipeline(features, LogisticRegression(max_iter=1_000))
    train, test = train_test_split(df, test_size=0.3, stratify=df["is_fraud"], random_state=2026)
    model.fit(train, train["is_fraud"])
    score = model.predict_proba(test)[:, 1]
    return test, (score >= np.quantile(score, 0.99)).astype(int)


def test_rural_blind_spot_on_generated_data(paylark_test_split):
    test, flagged = paylark_test_split
    report = segment_report(test["is_fraud"], flagged, test["region"])

    assert report.loc["rural", "recall"] < report.loc["urban", "recall"]
    # The aggregate sits close to urban, the big segment, and hides the rural gap.
    assert report.loc["rural", "recall"] < report.loc[OVERALL, "recall"]
    assert report.loc["rural", "n_positive"] < report.loc["urban", "n_positive"] / 3

    gap = disparity(test["is_fraud"], flagged, test["region"])
    assert gap.worst_group == "rural" and not gap.passes_four_fifths
    checks, done = meets_floors(report, {"recall": 0.5})
    assert not done and checks["passes"].to_dict() == {"rural": False, "urban": True}


def test_recall_floor_thresholds_are_the_highest_that_reach_the_floor(toy):
    y_true, _, segment = toy
    rng = np.random.default_rng(1)
    scores = np.where(y_true == 1, rng.beta(4, 2, len(y_true)), rng.beta(2, 4, len(y_true)))
    thresholds = recall_floor_thresholds(y_true, scores, segment, 0.7)

    assert list(thresholds.index) == ["a", "b", "c"] and thresholds.name == "threshold"
    for g, t in thresholds.items():
        in_g = (segment == g).to_numpy()
        at_t = recall_score(y_true[in_g], scores[in_g] >= t)
        just_above = recall_score(y_true[in_g], scores[in_g] >= np.nextafter(t, 1))
        assert at_t >= 0.7 > just_above
    # One threshold for every segment: the lowest of them, and then every segment passes.
    report = segment_report(y_true, (scores >= thresholds.min()).astype(int), segment)
    assert meets_floors(report, {"recall": 0.7})[1]


def test_recall_floor_thresholds_exact_floor_several_columns_and_no_positives():
    # 0.6 * 5 is 3.0000000000000004 in floating point: the floor asks for 3 of 5, not 4.
    y_true = [1, 1, 1, 1, 1, 0, 1, 0]
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    assert recall_floor_thresholds(y_true[:5], scores[:5], ["x"] * 5, 0.6).loc["x"] == 0.7
    cols = pd.DataFrame({"region": ["u"] * 5 + ["r"] * 3, "tenure": ["new"] * 5 + ["old", "old", "new"]},
                        index=range(100, 108))
    thresholds = recall_floor_thresholds(y_true, scores, cols, 1.0)
    assert thresholds.index.names == ["region", "tenure"]
    assert thresholds.loc[("u", "new")] == 0.5 and thresholds.loc[("r", "old")] == 0.3
    assert np.isnan(thresholds.loc[("r", "new")])  # no positives: no threshold can pass it
    with pytest.raises(ValueError, match="min_recall"):
        recall_floor_thresholds(y_true, scores, cols, 0)
    with pytest.raises(ValueError, match="rows"):
        recall_floor_thresholds(y_true, scores, ["x"] * 3, 0.5)


def test_disparity_with_no_defined_metric_is_nan_and_fails():
    # No segment has a fraud, so no recall anywhere: NaN and a failed screen, not a pandas error.
    result = disparity([0, 0, 0, 0], [0, 1, 0, 0], ["a", "a", "b", "b"])
    assert np.isnan(result.ratio) and np.isnan(result.difference) and np.isnan(result.worst_value)
    assert result.passes_four_fifths is False
    assert result.worst_group == "a"  # the first unmeasurable segment, in sorted order


@pytest.mark.parametrize(
    "metric, y_true, y_pred",
    [
        # Segment b has no positives: its recall is undefined.
        ("recall", [1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 1, 0]),
        # Segment b flags nothing: its precision is undefined.
        ("precision", [1, 1, 0, 1, 0, 0], [1, 1, 0, 0, 0, 0]),
    ],
)
def test_disparity_fails_an_unmeasurable_segment_as_meets_floors_does(metric, y_true, y_pred):
    segments = ["a", "a", "a", "b", "b", "b"]
    result = disparity(y_true, y_pred, segments, metric=metric)
    assert result.worst_group == "b" and np.isnan(result.worst_value)
    assert np.isnan(result.ratio) and np.isnan(result.difference)
    assert result.passes_four_fifths is False
    # The same segment fails its floor: the screen and the floors agree.
    checks, done = meets_floors(segment_report(y_true, y_pred, segments), {metric: 0.0})
    assert not done and checks["passes"].to_dict() == {"a": True, "b": False}


def test_disparity_ignores_segment_combinations_with_no_rows():
    # (rural, new) has no rows: it is not an unmeasurable segment, so the screen is computed.
    segments = pd.DataFrame(
        {"region": ["urban", "urban", "rural", "rural"], "tenure": ["new", "old", "old", "old"]}
    )
    result = disparity([1, 1, 1, 1], [1, 1, 1, 0], segments)
    assert result.worst_group == ("rural", "old")
    assert result.ratio == pytest.approx(0.5) and result.difference == pytest.approx(0.5)
    assert result.passes_four_fifths is False


def test_report_matches_fairlearn_on_the_uncompressed_rows():
    """segment_report feeds MetricFrame one weighted row per (segment, label, prediction); same numbers."""
    from fairlearn.metrics import count

    rng = np.random.default_rng(3)
    y, p = (rng.random(500) < 0.2).astype(int), (rng.random(500) < 0.3).astype(int)
    cells = pd.DataFrame({"region": rng.choice(["urban", "rural"], 500), "tenure": rng.choice(["new", "old"], 500)})
    report = segment_report(y, p, cells)
    frame = MetricFrame(metrics={"recall": recall_score, "precision": precision_score, "n": count},
                        y_true=y, y_pred=p, sensitive_features=cells)
    direct = frame.by_group
    for key in direct.index:
        for column in ("recall", "precision", "n"):
            assert report.loc[key, column] == pytest.approx(direct.loc[key, column])
    assert report.iloc[-1]["recall"] == pytest.approx(frame.overall["recall"])
