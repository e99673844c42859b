"""Explorers: live widgets with a front end, one static drawing without."""

from __future__ import annotations

import math

import ipywidgets
import pytest

from aipm_lab.course import widgets


@pytest.mark.parametrize(
    "env, extra, expected",
    [({"AIPM_LAB_WIDGETS": "static", "JPY_SESSION_NAME": "x.ipynb"}, {}, False),
     ({"AIPM_LAB_WIDGETS": "live"}, {}, True),
     ({"JPY_SESSION_NAME": "notebooks/02-class-imbalance.ipynb"}, {}, True),
     ({}, {}, False)],
)
def test_frontend_detection(monkeypatch, env, extra, expected):
    for var in ("AIPM_LAB_WIDGETS", "JPY_SESSION_NAME"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert widgets.has_frontend() is expected


def test_static_mode_draws_once_with_the_controls_defaults_and_says_so(monkeypatch, capsys):
    monkeypatch.setenv("AIPM_LAB_WIDGETS", "static")
    calls = []
    widgets.explore(lambda threshold, n: calls.append((threshold, n)),
                    threshold=ipywidgets.FloatSlider(value=0.05, min=0, max=1), n=ipywidgets.IntSlider(value=7))
    assert calls == [(0.05, 7)]
    assert "run this notebook in JupyterLab" in capsys.readouterr().out


def test_live_mode_displays_an_interactive_widget(monkeypatch):
    monkeypatch.setenv("AIPM_LAB_WIDGETS", "live")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    widgets.explore(lambda threshold: None, threshold=ipywidgets.FloatSlider(value=0.2))
    assert len(shown) == 1 and isinstance(shown[0], ipywidgets.interactive)
    assert shown[0].kwargs == {"threshold": 0.2}


def test_live_sliders_are_wide_unless_the_author_set_a_width(monkeypatch):
    monkeypatch.setenv("AIPM_LAB_WIDGETS", "live")
    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    wide = ipywidgets.FloatSlider(value=0.2)
    narrow = ipywidgets.FloatSlider(value=0.2, layout={"width": "200px"})
    widgets.explore(lambda a, b: None, a=wide, b=narrow)
    assert wide.layout.width == "min(100%, 720px)" and narrow.layout.width == "200px"
    assert wide.style.description_width == narrow.style.description_width == "8em"


@pytest.mark.parametrize("control", [
    ipywidgets.FloatLogSlider(value=1800, base=10, min=1, max=4.3, step=0.01),  # Part 1's evaluation size
    ipywidgets.FloatLogSlider(value=0.045, base=10, min=-4, max=-1, step=0.05),  # Part 3's threshold
    ipywidgets.FloatSlider(value=0.327, min=0.0, max=1.0, step=0.01),
    ipywidgets.FloatSlider(value=0.3, min=0.0, max=1.0, step=0.1),  # already on a stop: unchanged
], ids=["log-n", "log-threshold", "linear", "on-a-stop"])
def test_live_controls_start_on_a_stop_of_their_track(monkeypatch, control):
    """The handle's readout shows the value the figure is drawn at, within the author's bounds."""
    monkeypatch.setenv("AIPM_LAB_WIDGETS", "live")
    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    value, low, step = control.value, control.min, control.step
    widgets.explore(lambda x: None, x=control)
    at = math.log(control.value, control.base) if isinstance(control, ipywidgets.FloatLogSlider) else control.value
    stops = (at - control.min) / step
    assert control.value == value and abs(stops - round(stops)) < 1e-6
    assert low <= control.min < low + step
    if value == 0.3:
        assert control.min == low
