"""Find what a reader cannot read in a figure: a legend over the data, labels over each other.

:func:`overlaps` measures one figure with matplotlib's renderer extents. :func:`watch` makes a
kernel measure every figure it displays and append the findings to a JSON-lines file; the test
suite sets :data:`ENV` for the one run of each lesson it already makes (tests/test_copying.py),
so checking every lesson figure costs no extra execution. Written by hand: no plotting library
reports overlaps (matplotlib only avoids them for ``loc="best"`` legends, against lines and patches).
"""

from __future__ import annotations

import itertools
import json
import os

ENV = "AIPM_LAB_FIGURE_CHECK"
"""A file path: when set, :func:`watch` records every displayed figure's overlaps there."""
MIN_OVERLAP_PX = 1.0
"""Boxes that share less than this many pixels in either direction only touch."""
LABEL_MARGIN_PX = 3.0
"""A label placed inside the axes keeps this far from its edge (closer, it reads as cut off)."""


def _is_data(artist, ax) -> bool:
    """Whether ``artist`` is placed in data coordinates on both axes (not a guide such as axhline)."""
    return artist.get_transform().contains_branch(ax.transData)


def _boxes_overlap(a, b) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > MIN_OVERLAP_PX and height > MIN_OVERLAP_PX


def _shrunk(box):
    """``box`` less :data:`MIN_OVERLAP_PX` on each side, so that data touching its edge does not count."""
    from matplotlib.transforms import Bbox

    return Bbox.from_extents(box.x0 + MIN_OVERLAP_PX, box.y0 + MIN_OVERLAP_PX,
                             box.x1 - MIN_OVERLAP_PX, box.y1 - MIN_OVERLAP_PX)


def _data_under(box, ax, renderer) -> list[str]:
    """Names of the data artists of ``ax`` that reach into ``box`` (display coordinates)."""
    import numpy as np
    from matplotlib.collections import PathCollection

    inner, hit = _shrunk(box), []
    for line in ax.lines:
        if line.get_visible() and _is_data(line, ax) and len(line.get_xydata()):
            path = line.get_transform().transform_path(line.get_path())
            markers_only = line.get_linestyle() in ("None", "none", "", " ")
            points = path.vertices
            if (inner.count_contains(points) if markers_only else path.intersects_bbox(inner, filled=False)):
                hit.append(f"line {line.get_label()!r}")
    for patch in ax.patches:
        if patch.get_visible() and _is_data(patch, ax) and _boxes_overlap(patch.get_window_extent(renderer), box):
            hit.append(f"{type(patch).__name__.lower()} {patch.get_label()!r}")
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, PathCollection) and len(collection.get_offsets()):  # a scatter's points
            points = collection.get_offset_transform().transform(np.asarray(collection.get_offsets()))
            if inner.count_contains(points):
                hit.append(f"points {collection.get_label()!r}")
        elif _is_data(collection, ax) and any(
                collection.get_transform().transform_path(p).intersects_bbox(inner, filled=True)
                for p in collection.get_paths()):
            hit.append(f"{type(collection).__name__.lower()} {collection.get_label()!r}")
    for text in ax.texts:
        if text.get_visible() and text.get_text().strip() and _boxes_overlap(text.get_window_extent(renderer), box):
            hit.append(f"label {text.get_text()!r}")
    return hit


def _cut_off(ax, renderer) -> list[str]:
    """Data lines that run past the axes' limits, and labels placed inside the axes that run past its edge."""
    import numpy as np

    frame, cut = _shrunk(ax.get_window_extent(renderer)), []
    frame = frame.expanded(1, 1).padded(2 * MIN_OVERLAP_PX)
    for line in ax.lines:
        if line.get_visible() and _is_data(line, ax) and line.get_clip_on():
            points = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
            points = points[np.isfinite(points).all(axis=1)]
            if len(points) and not frame.count_contains(points) == len(points):
                cut.append(f"line {line.get_label()!r} runs past the axes' limits")
    inside = ax.get_window_extent(renderer).padded(-LABEL_MARGIN_PX)
    for text in ax.texts if ax.axison else ():  # a panel without axes (text only) has no edge to cross
        box = text.get_window_extent(renderer)
        anchor = text.get_transform().transform(text.get_position())
        # A label placed inside the axes must stay inside: clipped, it is cut; unclipped, it spills over the frame.
        if (text.get_visible() and text.get_text().strip() and frame.contains(*anchor)
                and not (inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1))):
            cut.append(f"label {text.get_text()!r} runs past the axes' edge")
    return cut


def _labels(fig) -> list:
    """Every visible, non-empty text of ``fig`` outside legends: titles, axis and tick labels, annotations."""
    texts = list(fig.texts)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            view = sorted(axis.get_view_interval())
            texts += [tick.label1 for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                      if tick.label1.get_visible() and view[0] - 1e-9 <= tick.get_loc() <= view[1] + 1e-9]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def overlaps(fig) -> list[str]:
    """What a reader cannot read in ``fig``: legends over data, text labels over each other.

    A legend's box (``get_window_extent``) must not reach a data line's segments or markers, a
    bar or other patch, a scatter's points, a filled band or a text label, of any axes of the
    figure; guides drawn in axes coordinates (``axhline``, ``axvspan``) do not count. No data line
    may run past the axes' limits (cut off), and no annotation placed inside the axes past its edge. No two
    labels (titles, axis labels, tick labels, annotations) may share more than a pixel each way.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of str
        One sentence per overlap; empty when the figure is readable.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1, 2], [0, 2, 0], label="a peak")
    >>> _ = ax.legend(loc="upper center")
    >>> overlaps(fig)
    ["legend over line 'a peak'"]
    >>> _ = ax.legend(loc="upper left")
    >>> overlaps(fig)
    []
    """
    fig.draw_without_rendering()  # lays out the figure; a "best" legend picks its place here
    renderer = fig.canvas.get_renderer()
    found = []
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    for legend in legends:
        if legend.get_visible():
            box = legend.get_window_extent(renderer)
            found += [f"legend over {what}" for ax in fig.axes if ax.get_visible() for what in _data_under(box, ax, renderer)]
    found += [cut for ax in fig.axes if ax.get_visible() for cut in _cut_off(ax, renderer)]
    labels = [(t, t.get_window_extent(renderer)) for t in _labels(fig)]
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        if _boxes_overlap(box_a, box_b):
            found.append(f"label {a.get_text()!r} over label {b.get_text()!r}")
    return found


def _title(fig) -> str:
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    return fig._suptitle.get_text() if fig._suptitle is not None else " / ".join(titles)


def watch(path: str | None = None) -> None:
    """Record the overlaps of every figure this IPython kernel displays, one JSON line per figure.

    Wraps the kernel's PNG formatter for figures, so that figures shown by ``plt.show()`` inside
    an explorer count as well as those shown at the end of a cell; re-wrapped before each cell in
    case pyplot's first import replaced it. A no-op outside IPython or without a path.

    Parameters
    ----------
    path : str, optional
        The JSON-lines file; default: the environment variable :data:`ENV`.
    """
    from IPython import get_ipython

    path = path or os.environ.get(ENV)
    shell = get_ipython()
    if not path or shell is None:
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # Load the (inline) backend now: loading it installs its figure formatter, which is the one to wrap.
    plt.switch_backend(plt.get_backend())

    def record(fig) -> None:
        finding = {"cell": shell.execution_count, "figure": _title(fig), "overlaps": overlaps(fig)}
        with open(path, "a") as f:
            f.write(json.dumps(finding) + "\n")

    def wrap(*_) -> None:
        png = shell.display_formatter.formatters["image/png"]
        shown = png.lookup_by_type(Figure) if Figure in png.type_printers else None
        if shown is None or getattr(shown, "checks_overlaps", False):
            return

        def checked(fig, *args, **kwargs):
            record(fig)
            return shown(fig, *args, **kwargs)

        checked.checks_overlaps = True
        png.for_type(Figure, checked)

    wrap()
    shell.events.register("pre_run_cell", wrap)
