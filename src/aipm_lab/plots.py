"""Figures the lessons reuse: each has a title, labelled axes with units, and returns its Axes."""

from __future__ import annotations

import numpy as np

from aipm_lab.costs import CostMatrix, cost_curve, summary_at


def plot_cost_curve(y_true, scores, costs: CostMatrix, marks: dict[str, float] | None = None, ax=None):
    """Expected cost per 1,000 transactions against the threshold (log scale).

    Parameters
    ----------
    y_true, scores : array-like
    costs : CostMatrix
    marks : dict, optional
        Label -> threshold, drawn as vertical lines (e.g. the cheapest threshold and p*).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    ax = ax or plt.subplots(figsize=(7, 3.5))[1]
    curve = cost_curve(y_true, scores, costs)
    ax.plot(curve.threshold, curve.cost_per_1000, color="tab:blue")
    for (label, t), color in zip((marks or {}).items(), ("tab:green", "tab:red", "tab:purple")):
        ax.axvline(t, color=color, linestyle="--", label=f"{label} ({t:.3f})")
    ax.set_xscale("log")
    ax.set_xlabel("threshold (flag when score ≥ threshold, log scale)")
    ax.set_ylabel("expected cost per 1,000 txns ($)")
    # Escaped dollars: two bare "$" would switch matplotlib to math mode.
    ax.set_title(f"Cost of each threshold (missed fraud \\${costs.false_negative:.0f}, false alarm \\${costs.false_positive:.0f})")
    if marks:
        ax.legend(loc="upper right")
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
    left.imshow(np.log1p(cells), cmap="Blues")
    for (i, j), n in np.ndenumerate(cells):
        left.text(j, i, f"{n:,}", ha="center", va="center", fontsize=12)
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
