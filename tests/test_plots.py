"""Shared figures: readable text, axis scales, and legends that stay off the data."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from aipm_lab.costs import CostMatrix  # noqa: E402
from aipm_lab.course.plots import plot_cost_curve, plot_segment_recall, plot_threshold_view  # noqa: E402
from aipm_lab.segments import segment_report  # noqa: E402

COSTS = CostMatrix(false_positive=6.0, false_negative=180.0)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def scored():
    rng = np.random.default_rng(0)
    y = (rng.random(5000) < 0.02).astype(int)
    scores = np.clip(rng.normal(0.02 + 0.3 * y, 0.05), 0.0005, 0.9995)
    return y, scores


def test_confusion_matrix_numbers_are_white_on_dark_cells_and_black_on_light_ones(scored):
    y, scores = scored
    fig = plot_threshold_view(y, scores, 0.1, COSTS)
    left = fig.axes[0]
    colors = {t.get_text(): matplotlib.colors.to_hex(t.get_color()) for t in left.texts}
    tn = f"{int(((scores < 0.1) & (y == 0)).sum()):,}"
    tp = f"{int(((scores >= 0.1) & (y == 1)).sum()):,}"
    assert colors[tn] == "#ffffff"  # the biggest count gets the darkest blue
    assert colors[tp] == "#000000"


def test_cost_curve_keeps_its_log_axis_by_default_and_can_stretch_both_ends(scored):
    y, scores = scored
    ax = plot_cost_curve(y, scores, COSTS, marks={"p*": COSTS.bayes_threshold})
    assert ax.get_xscale() == "log" and "log scale" in ax.get_xlabel()
    assert ax.get_legend()._loc == matplotlib.legend.Legend.codes["upper right"]

    ax = plot_cost_curve(y, scores, COSTS, marks={"cheapest": 0.94}, xscale="logit", legend_loc="lower left")
    assert ax.get_xscale() == "logit" and "logit scale" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.001", "0.01", "0.1", "0.5", "0.9", "0.99", "0.999"]
    assert ax.get_legend()._loc == matplotlib.legend.Legend.codes["lower left"]


def test_cost_curve_rejects_an_unknown_scale(scored):
    with pytest.raises(ValueError, match="xscale"):
        plot_cost_curve(*scored, COSTS, xscale="linear")


def test_segment_recall_counts_frauds_keeps_the_legend_outside_and_shows_the_floor():
    y = np.array([1, 1, 1, 0, 0, 1, 1, 0, 0, 0])
    flagged = np.array([1, 0, 1, 0, 1, 0, 0, 0, 0, 0])
    report = segment_report(y, flagged, pd.Series(["a"] * 5 + ["b"] * 5, name="region"), metrics=("recall",))
    ax = plot_segment_recall(report, floor=0.6)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a\n3 frauds", "b\n2 frauds"]
    assert "frauds" in ax.get_ylabel() and "positives" not in ax.get_ylabel()
    legend = ax.get_legend()
    assert legend.get_bbox_to_anchor().x0 > ax.get_window_extent().x1  # right of the plotting area
    labels = [t.get_text() for t in legend.get_texts()]
    assert "recall floor (0.60)" in labels and any(label.startswith("overall") for label in labels)
    floor_line = next(line for line in ax.get_lines() if line.get_label() == "recall floor (0.60)")
    overall_line = next(line for line in ax.get_lines() if line.get_label().startswith("overall"))
    # The floor is wider and drawn underneath, so it shows even when the overall line lies on it.
    assert floor_line.get_linewidth() > overall_line.get_linewidth()
    assert floor_line.get_zorder() < overall_line.get_zorder()
    assert ax.get_ylim() == pytest.approx((-0.02, 1.02))


def test_segment_recall_without_a_floor_draws_no_floor():
    report = segment_report([1, 1, 0, 1], [1, 0, 0, 1], pd.Series(["a", "a", "b", "b"], name="region"),
                            metrics=("recall",))
    ax = plot_segment_recall(report)
    assert not any("floor" in t.get_text() for t in ax.get_legend().get_texts())


def _legend_over(kind):
    """A figure whose legend, upper left, sits on data of ``kind``."""
    fig, ax = plt.subplots(figsize=(5, 3))
    if kind == "bars":
        ax.bar([0, 1, 2], [1.0, 0.2, 0.2], label="a tall first bar")
    elif kind == "points":
        ax.scatter([0, 0.05, 1], [1, 0.98, 0], label="points top left")
    elif kind == "band":
        ax.fill_between([0, 1], [0.9, 0.0], [1.0, 0.1], label="a band from the top left")
        ax.plot([0, 1], [0, 1], label="a line")
    ax.legend(loc="upper left")
    return fig


@pytest.mark.parametrize("kind", ["bars", "points", "band"])
def test_figure_check_finds_a_legend_over_data_and_none_once_it_moves(kind):
    from aipm_lab.course.figure_check import overlaps

    fig = _legend_over(kind)
    assert any(o.startswith("legend over") for o in overlaps(fig))
    fig.axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the axes
    assert overlaps(fig) == []


def test_figure_check_ignores_guides_and_finds_labels_over_labels_and_cut_data():
    from aipm_lab.course.figure_check import overlaps

    fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 1], [0, 1], label="data")
    ax.axhline(0.95, label="a guide across the top")  # in axes coordinates: not data
    ax.axhspan(0.9, 1.0, alpha=0.1)
    ax.legend(loc="upper left")
    assert overlaps(fig) == []
    ax.text(0.5, 0.5, "holidays")
    ax.text(0.52, 0.5, "new fraud pattern")
    assert overlaps(fig) == ["label 'holidays' over label 'new fraud pattern'"]
    ax.texts[1].remove()
    ax.set_ylim(0, 0.8)  # the line now leaves the axes at the top
    assert overlaps(fig) == ["line 'data' runs past the axes' limits"]
