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
    assert "run this cell to get the sliders" in capsys.readouterr().out


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


def _notebook_with_a_widget_view(metadata: dict) -> dict:
    import nbformat

    nb = nbformat.v4.new_notebook(metadata=metadata)
    nb.cells.append(nbformat.v4.new_code_cell("explore(...)", outputs=[
        nbformat.v4.new_output("stream", text="printed\n"),
        nbformat.v4.new_output("display_data", data={"text/plain": "interactive(children=...)",
                                                     widgets.WIDGET_VIEW: {"model_id": "ab12", "version_major": 2}})]))
    return nb


@pytest.mark.parametrize("metadata, kept", [({"aipm_lab": {"part": "07", "kind": "lesson"}}, False), ({}, True)],
                         ids=["course-notebook", "other-notebook"])
def test_saving_through_jupyter_server_stores_the_rerun_note_instead_of_a_widget_view(tmp_path, metadata, kept):
    """The hook ``aipm-lab lab`` installs, run by Jupyter Server's own save: a reopened lesson shows
    a sentence, never "Error displaying widget: model not found"; other notebooks are not touched."""
    import nbformat
    from jupyter_server.services.contents.filemanager import FileContentsManager

    manager = FileContentsManager(root_dir=str(tmp_path), pre_save_hook="aipm_lab.course.widgets.drop_widget_views")
    manager.save({"type": "notebook", "format": "json", "content": _notebook_with_a_widget_view(metadata)}, "x.ipynb")
    outputs = nbformat.read(tmp_path / "x.ipynb", as_version=4).cells[0].outputs
    assert outputs[0].text == "printed\n"
    assert (widgets.WIDGET_VIEW in outputs[1].data) is kept
    if not kept:
        assert outputs[1].data == {"text/plain": widgets.RERUN_NOTE}


def test_crisp_figures_for_a_learner_are_retina_pngs_at_a_readable_size():
    """Drawn at CRISP_DPI and shown at half that: a 7-inch figure laid out at 72 dpi is 700 CSS px
    wide from 1,400 pixels, instead of a blurry 504."""
    import struct

    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib_inline.backend_inline import configure_inline_support
    from matplotlib_inline.config import InlineBackend

    from aipm_lab.course.plots import CRISP_DPI, draw_crisp

    shell = InteractiveShell.instance()
    inline = "module://matplotlib_inline.backend_inline"
    try:
        configure_inline_support(shell, inline)  # what a kernel does when pyplot is imported
        fig, ax = plt.subplots(figsize=(7, 3.5), dpi=72)
        ax.plot([0, 1], [0, 1])
        before, _ = shell.display_formatter.format(fig)
        draw_crisp()
        configure_inline_support(shell, inline)  # pyplot imported after the course: the setting stays
        data, metadata = shell.display_formatter.format(fig)
        plt.close(fig)
    finally:
        InteractiveShell.clear_instance()
        InlineBackend.clear_instance()

    def png_width(b64: str) -> int:
        import base64

        return struct.unpack(">I", base64.b64decode(b64)[16:20])[0]

    stored, width = png_width(before["image/png"]), png_width(data["image/png"])
    assert stored <= 7 * 72  # what papermill and nbval store is unchanged ("tight" trims the margins)
    assert width == pytest.approx(stored * CRISP_DPI / 72, rel=0.02)
    assert metadata["image/png"]["width"] == width // 2
