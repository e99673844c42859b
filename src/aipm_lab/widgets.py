"""Interactive explorers that degrade to a static plot when no one is watching.

A lesson's explorer is a pure plotting function plus a few controls. In JupyterLab
(or VS Code) the controls are live ipywidgets; under papermill or nbval no front
end is attached, so the plot is drawn once, at the controls' starting values, and
the stored notebook shows a real figure instead of a dead widget.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from aipm_lab.prose import print_prose

ENV = "AIPM_LAB_WIDGETS"
"""Set to ``live`` or ``static`` to override the front-end detection."""

STATIC_NOTE = "(A still picture at the starting values: run this notebook in JupyterLab to move the controls.)"
"""Printed under a static drawing, so a reader knows why the controls the text mentions are missing."""


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
