"""Interactive explorers that degrade to a static plot when no one is watching.

A lesson's explorer is a pure plotting function plus a few controls. In JupyterLab
(or VS Code) the controls are live ipywidgets; under papermill or nbval no front
end is attached, so the plot is drawn once, at the controls' starting values, and
the stored notebook shows a real figure instead of a dead widget.

A live widget lives in the kernel: saved into a notebook, its view would show "Error
displaying widget: model not found" once the notebook is reopened. ``aipm-lab lab``
therefore saves notebooks through :func:`drop_widget_views`, which stores the sentence
:data:`RERUN_NOTE` in the widget's place. Importing this module with a front end attached
also makes figures sharp for the learner (:func:`aipm_lab.course.plots.draw_crisp`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

from aipm_lab.course.prose import print_prose

ENV = "AIPM_LAB_WIDGETS"
"""Set to ``live`` or ``static`` to override the front-end detection."""

STATIC_NOTE = "(A still picture at the starting values: run this cell to get the sliders.)"
"""Printed under a static drawing, so a reader knows why the controls the text mentions are missing."""
RERUN_NOTE = "(Run this cell to get the sliders.)"
"""What a saved notebook shows where a live explorer was (see :func:`drop_widget_views`)."""
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def has_frontend() -> bool:
    """Whether a notebook front end is likely attached to this kernel.

    Jupyter Server sets ``JPY_SESSION_NAME`` in the environment of kernels it starts
    for a notebook, and VS Code defines ``__vsc_ipynb_file__``; papermill and nbval
    start kernels with neither.
    """
    override = os.environ.get(ENV, "").lower()
    if override in ("live", "static"):
        return override == "live"
    if "JPY_SESSION_NAME" in os.environ:
        return True
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return False
    return shell is not None and "__vsc_ipynb_file__" in shell.user_ns


def start_on_a_stop(control) -> None:
    """Raise a float slider's ``min`` by under one step so that its start value is one of its stops.

    A front end puts a slider's handle on ``min + k * step`` (in exponents for a log slider), so a
    start value between two stops is shown as the nearest one (0.0447 for a threshold of 0.045,
    1,820 for 1,800 messages) while the figure is drawn at the true value. Moving ``min`` instead
    keeps the start value, and what the learner reads beside the handle, exact; the range only
    narrows, so a control never offers a value outside the author's bounds.

    Parameters
    ----------
    control : ipywidgets.Widget
        Changed in place if it is a ``FloatSlider`` or ``FloatLogSlider``; other controls are left alone.

    Examples
    --------
    >>> import ipywidgets
    >>> s = ipywidgets.FloatLogSlider(value=0.045, base=10, min=-4, max=-1, step=0.05)
    >>> start_on_a_stop(s)
    >>> s.value, round(s.min, 4), round((math.log10(s.value) - s.min) / s.step, 6)
    (0.045, -3.9968, 53.0)
    >>> s = ipywidgets.FloatSlider(value=0.327, min=0.0, max=1.0, step=0.01)
    >>> start_on_a_stop(s)
    >>> s.value, round(s.min, 4)
    (0.327, 0.007)
    """
    import ipywidgets

    if isinstance(control, ipywidgets.FloatLogSlider):
        at = math.log(control.value, control.base)
    elif isinstance(control, ipywidgets.FloatSlider):
        at = control.value
    else:
        return
    stops = (at - control.min) / control.step if control.step else 0.0
    if abs(stops - round(stops)) < 1e-9:  # already on a stop (or no steps): leave the author's range as it is
        return
    value = control.value
    control.min = at - math.floor(stops) * control.step
    control.value = value  # traitlets may have clipped it while min moved


def explore(plot: Callable[..., object], **controls) -> None:
    """Show ``plot`` with live controls, or draw it once without a front end.

    Parameters
    ----------
    plot : callable
        Draws one figure from keyword arguments (and shows it, e.g. with ``plt.show()``).
    **controls : ipywidgets.ValueWidget
        One control per keyword of ``plot``; its ``value`` is the static default.

    Examples
    --------
    >>> import ipywidgets as w                                       # doctest: +SKIP
    >>> explore(draw, threshold=w.FloatSlider(value=0.05, min=0.001, max=0.5))  # doctest: +SKIP
    """
    if has_frontend():
        import ipywidgets
        from IPython.display import display

        for control in controls.values():
            start_on_a_stop(control)
            # ipywidgets' default track is ~124 px: too short to pick values on a wide range. One
            # label width for every control, so the tracks of an explorer line up.
            if not control.layout.width:
                control.layout.width = "min(100%, 720px)"
            if hasattr(control.style, "description_width"):
                control.style.description_width = "8em"
        display(ipywidgets.interactive(plot, **controls))
    else:
        plot(**{name: control.value for name, control in controls.items()})
        print_prose(STATIC_NOTE)


def drop_widget_views(model: dict, **kwargs) -> None:
    """Jupyter Server pre-save hook: store :data:`RERUN_NOTE` instead of a live widget's view.

    A widget's model lives in the kernel and is not saved with the notebook (JupyterLab saves
    widget state only when asked to), so a stored view can only show an error when the notebook
    is reopened. Only the course's notebooks (those with ``aipm_lab`` metadata, a learner's
    copies included) are changed; the open notebook keeps its live sliders. ``aipm-lab lab``
    installs this hook (``--ContentsManager.pre_save_hook``).

    Parameters
    ----------
    model : dict
        The contents model being saved; changed in place.
    **kwargs
        ``path`` and ``contents_manager``, passed by Jupyter Server and not needed here.

    Examples
    --------
    >>> view = {"output_type": "display_data", "metadata": {},
    ...         "data": {"text/plain": "interactive(...)", WIDGET_VIEW: {"model_id": "ab12"}}}
    >>> model = {"type": "notebook", "content": {"metadata": {"aipm_lab": {"part": "07"}},
    ...          "cells": [{"cell_type": "code", "outputs": [view]}]}}
    >>> drop_widget_views(model)
    >>> model["content"]["cells"][0]["outputs"][0]["data"]
    {'text/plain': '(Run this cell to get the sliders.)'}
    """
    content = model.get("content")
    if model.get("type") != "notebook" or not isinstance(content, dict):
        return
    if "aipm_lab" not in (content.get("metadata") or {}):
        return
    for cell in content.get("cells") or []:
        for output in cell.get("outputs") or []:
            if WIDGET_VIEW in (output.get("data") or {}):
                output["data"] = {"text/plain": RERUN_NOTE}
                output["metadata"] = {}


if has_frontend():
    from aipm_lab.course.plots import draw_crisp

    draw_crisp()
if os.environ.get("AIPM_LAB_FIGURE_CHECK"):  # the test suite's run of a lesson (course.figure_check.ENV)
    from aipm_lab.course.figure_check import watch

    watch()
