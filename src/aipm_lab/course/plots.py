"""Figures the lessons reuse: each has a title, labelled axes with units, and returns its Axes."""

from __future__ import annotations

import numpy as np

from aipm_lab.costs import CostMatrix, cost_curve, summary_at

CRISP_DPI = 200
"""Pixels per inch of a figure drawn for a learner's screen, shown at half that size (retina)."""


def draw_crisp() -> None:
    """Draw figures sharp and readable for a learner, while stored notebooks keep small images.

    Lessons lay figures out at 72-100 dpi so that the outputs papermill and nbval store stay
    small; on a screen that is small, blurry text. This makes IPython's inline backend write
    "retina" PNGs at :data:`CRISP_DPI` whatever the figure's dpi, shown at half their pixel size:
    a 7-inch figure is 700 CSS pixels wide, at twice the pixel density. A no-op outside IPython.
    :mod:`aipm_lab.course.widgets` calls it on import when a front end is attached.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    from matplotlib_inline.config import InlineBackend

    # Set on the backend's configuration (not only its formatter), so that pyplot's first
    # import, which re-applies that configuration, keeps it.
    config = InlineBackend.instance(parent=shell)
    config.print_figure_kwargs = {**config.print_figure_kwargs, "dpi": CRISP_DPI}
    config.figure_formats = {"retina"}


def plot_cost_curve(y_true, scores, costs: CostMatrix, marks: dict[str, float] | None = None, ax=None,
                    xscale: str = "log", legend_loc: str = "upper right"):
    """Expected cost per 1,000 transactions against the threshold (log scale).

    Parameters
    ----------
    y_true, scores : array-like
    costs : CostMatrix
    marks : dict, optional
        Label -> threshold, drawn as vertical lines (e.g. the cheapest threshold and p*).
    ax : matplotlib Axes, optional
    xscale : {"log", "logit"}, default "log"
        ``"logit"`` stretches both ends of the 0 to 1 range, so a threshold near 1 (as a
        class-weighted model's cheapest one often is) does not sit against the plot's edge.
    legend_loc : str, default "upper right"
        Where the legend of ``marks`` goes (any matplotlib legend location).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if xscale not in ("log", "logit"):
        raise ValueError(f"xscale must be 'log' or 'logit', got {xscale!r}")
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(7, 3.5))[1]
    curve = cost_curve(y_true, scores, costs)
    ax.plot(curve.threshold, curve.cost_per_1000, color="tab:blue")
    for (label, t), color in zip((marks or {}).items(), ("tab:green", "tab:red", "tab:purple")):
        ax.axvline(t, color=color, linestyle="--", label=f"{label} ({t:.3f})")
    ax.set_xscale(xscale)
    if xscale == "logit":
        # Plain decimals instead of matplotlib's "1 - 10^-2" style labels.
        ticks = [0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999]
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.xaxis.set_minor_formatter("")
    ax.set_xlabel(f"threshold (flag when score ≥ threshold, {xscale} scale)")
    ax.set_ylabel("expected cost per 1,000 txns ($)")
    # Escaped dollars: two bare "$" would switch matplotlib to math mode.
    ax.set_title(f"Cost of each threshold (missed fraud \\${costs.false_negative:.0f}, false alarm \\${costs.false_positive:.0f})")
    if marks:
        ax.legend(loc=legend_loc)
    return ax


def plot_threshold_view(y_true, scores, threshold: float, costs: CostMatrix):
    """Confusion matrix and the numbers a PM reads off it, at one threshold.

    This is what the threshold explorer redraws; its numbers come from
    :func:`aipm_lab.costs.summary_at`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    s = summary_at(y_true, scores, threshold, costs)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2), gridspec_kw={"width_ratios": [1, 1.2]})
    cells = np.array([[s["tn"], s["fp"]], [s["fn"], s["tp"]]])
    shade = np.log1p(cells)
    image = left.imshow(shade, cmap="Blues")
    for (i, j), n in np.ndenumerate(cells):
        left.text(j, i, f"{n:,}", ha="center", va="center", fontsize=12, color=_text_color(image, shade[i, j]))
    left.set_xticks([0, 1], ["legitimate", "fraud"])
    left.set_yticks([0, 1], ["legitimate", "fraud"])
    left.set_xlabel("predicted (transactions)")
    left.set_ylabel("actual (transactions)")
    left.set_title(f"Confusion matrix at threshold {threshold:.3f}")
    right.axis("off")
    lines = [
        f"precision  {s['precision']:.1%}   (flags that are fraud)",
        f"recall     {s['recall']:.1%}   (fraud that is caught)",
        f"F1         {s['f1']:.3f}",
        f"FPR        {s['fpr']:.2%}   (legit customers flagged)",
        f"FNR        {s['fnr']:.1%}   (fraud missed)",
        f"to review  {s['flagged_share'] * 1000:.1f} per 1,000 txns",
        f"cost       ${s['cost_per_1000']:.0f} per 1,000 txns",
    ]
    right.text(0, 0.95, "\n".join(lines), va="top", family="monospace", fontsize=10)
    fig.tight_layout()
    return fig


def _text_color(image, value) -> str:
    """White on a dark cell of ``image``, black on a light one (WCAG relative luminance)."""
    red, green, blue, _ = image.cmap(image.norm(value))
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    # Black text has the better contrast above this luminance, white text below it.
    return "black" if luminance > 0.179 else "white"


def plot_segment_recall(report, floor: float | None = None, ax=None, unit: str = "frauds"):
    """Recall per segment with its interval, worded for a fraud review, with an optional floor.

    A wrapper around :func:`aipm_lab.segments.plot_segment_metric` for the figure the
    segment lessons draw most: tick labels count ``unit`` ("frauds") rather than
    "positives", the legend sits outside the axes so it never hides a segment, and a
    recall ``floor`` is drawn as a shaded "below the floor" band with a solid edge, which
    stays visible even when the overall recall lies right on the floor.

    Parameters
    ----------
    report : pandas.DataFrame
        Output of :func:`aipm_lab.segments.segment_report` with recall and its interval.
    floor : float, optional
        The recall every segment must reach (a share, 0 to 1).
    ax : matplotlib Axes, optional
    unit : str, default "frauds"
        What a positive case is called on the axis.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    from aipm_lab.segments import OVERALL, plot_segment_metric

    ax = ax or plt.subplots(figsize=(7, 3.5))[1]
    plot_segment_metric(report, "recall", ax=ax)
    segments = report[report.index.get_level_values(0) != OVERALL]
    names = [" / ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in segments.index]
    ax.set_xticks(range(len(segments)),
                  [f"{name}\n{int(n)} {unit}" for name, n in zip(names, segments["n_positive"])])
    ax.set_ylabel(f"recall (share of {unit} caught)")
    if floor is not None:
        bottom, top = ax.get_ylim()
        ax.axhspan(bottom, floor, color="tab:red", alpha=0.08, zorder=0, label="below the floor")
        # Under the overall line (zorder 2) and wider than it, so both show when they coincide.
        ax.axhline(floor, color="tab:red", linewidth=3, alpha=0.6, zorder=1, label=f"recall floor ({floor:.2f})")
        ax.set_ylim(bottom, top)
    # Outside the axes, top right: no legend position inside is free for every segment layout.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, borderaxespad=0)
    return ax
