"""Every lesson in a real browser: JupyterLab in headless Chromium, driven by Playwright.

One JupyterLab server (on a throwaway copy of ``notebooks/``, since JupyterLab autosaves) and
one browser serve all lessons. For each lesson the test runs all cells, checks that no error
appeared, moves every control of every explorer and checks that the explorer's picture or
text followed, with no error. Screenshots go to a folder the test prints (or to
``$AIPM_LAB_SCREENSHOTS`` when set).

Without Playwright (``pip install playwright``) or a Chromium (Debian's ``chromium``
package; ``$AIPM_LAB_CHROMIUM`` names another binary) the test skips, unless
``AIPM_LAB_BROWSER_TESTS=required`` (as in CI), where it fails instead.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import interruptible

from aipm_lab.course.widgets import STATIC_NOTE

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
REQUIRED = os.environ.get("AIPM_LAB_BROWSER_TESTS", "").strip().lower() == "required"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RUN_TIMEOUT = 300.0
"""Seconds a lesson may take to run all its cells (10-30 s alone on 2 cores; CI runs other tests alongside)."""
MOVE_TIMEOUT = 90.0
"""Seconds an explorer may take to redraw after one control moved."""
SERVER_TIMEOUT = 120.0

SETTINGS = {
    # No news or update toasts over the notebook.
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # Every cell in the DOM, so that counting prompts and finding explorers does not depend on scrolling.
    "notebook-extension/tracker": {"windowingMode": "none"},
}


def unavailable(reason: str):
    """Skip locally; fail when the browser test is required (CI)."""
    if REQUIRED:
        pytest.fail(f"{reason}; AIPM_LAB_BROWSER_TESTS=required, so the browser test must run", pytrace=False)
    pytest.skip(f"{reason} (set AIPM_LAB_BROWSER_TESTS=required to make this a failure)")


def find_chromium() -> str | None:
    """``$AIPM_LAB_CHROMIUM`` if set, else Debian's Chromium, if installed."""
    chosen = os.environ.get("AIPM_LAB_CHROMIUM")
    for candidate in [chosen] if chosen else ("/usr/bin/chromium", shutil.which("chromium"),
                                              shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on a temporary folder, with a REST helper."""

    def __init__(self, folder: Path, log: Path):
        self.folder = folder
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        state = folder.parent / "jupyter-state"
        for plugin, values in SETTINGS.items():
            path = state / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(os.environ)
        # tests/conftest.py sets AIPM_LAB_WIDGETS=static; the kernels here must draw live explorers inline.
        for var in ("AIPM_LAB_WIDGETS", "MPLBACKEND", "JPY_SESSION_NAME"):
            env.pop(var, None)
        env.update(AIPM_LAB_HOME=str(ROOT), JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"), JUPYTER_RUNTIME_DIR=str(state / "runtime"))
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={self.port}", "--ip=127.0.0.1",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={folder}",
               "--ServerApp.port_retries=0", "--LabApp.news_url=None"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.log = log
        self._log_file = open(log, "wb")
        self.process = subprocess.Popen(cmd, cwd=folder, env=env, stdout=self._log_file, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_ready(self):
        deadline = time.monotonic() + SERVER_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("status")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer within {SERVER_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def shutdown_kernels(self):
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", "DELETE")

    def log_tail(self, lines: int = 40) -> str:
        self._log_file.flush()
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = Path(os.environ["AIPM_LAB_SCREENSHOTS"]) if os.environ.get("AIPM_LAB_SCREENSHOTS") else \
        tmp_path_factory.mktemp("browser-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nbrowser screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright)")
    chromium = find_chromium()
    if chromium is None:
        unavailable(f"no Chromium at {os.environ['AIPM_LAB_CHROMIUM']} ($AIPM_LAB_CHROMIUM)"
                    if os.environ.get("AIPM_LAB_CHROMIUM") else
                    "no Chromium found at /usr/bin/chromium or on PATH (Debian: apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    base = tmp_path_factory.mktemp("browser-lab")
    folder = base / "lessons"
    folder.mkdir()
    for lesson in LESSONS:
        shutil.copy2(lesson, folder / lesson.name)
    server = Lab(folder, base / "jupyterlab.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# --- the page -------------------------------------------------------------------------------------------------------

STATE_JS = """() => {
    const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    if (!nb) return null;
    const indicator = nb.querySelector('.jp-Notebook-ExecutionIndicator');
    const cells = [...nb.querySelectorAll('.jp-Notebook .jp-CodeCell')];
    const prompts = cells.map(c => (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '');
    const empty = cells.map(c => !((c.querySelector('.cm-content') || {}).innerText || '').trim());
    return {
        status: indicator ? indicator.getAttribute('data-status') : null,
        running: prompts.filter(p => p.includes('*')).length,
        numbered: prompts.filter(p => /\\[\\d+\\]/.test(p)).length,
        unrun: prompts.filter((p, i) => !empty[i] && !/\\[\\d+\\]/.test(p)).length,
        // The status bar says "Python 3 (ipykernel) | Idle" only once the kernel is connected.
        connected: [...document.querySelectorAll('.jp-StatusBar-TextItem')]
            .some(t => /\\|\\s*Idle\\s*$/.test(t.textContent)),
    };
}"""

ERRORS_JS = """(root) => {
    root = root || document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
    const found = [];
    for (const out of root.querySelectorAll('.jp-OutputArea-output')) {
        const mime = out.getAttribute('data-mime-type') || '';
        const text = out.innerText || '';
        if (mime.includes('error') || text.includes('Traceback') ||
            (mime.includes('stderr') && /\\w+Error\\b|Exception/.test(text)))
            found.push(mime + ': ' + text.slice(0, 1500));
    }
    return found;
}"""

SNAPSHOT_JS = """(explorer) => {
    const out = explorer.querySelector('.widget-output');
    if (!out) return null;
    return {
        images: [...out.querySelectorAll('img')].map(i => i.getAttribute('src') || ''),
        text: out.innerText,
    };
}"""


def explorer_cells(lesson: Path) -> int:
    """How many code cells of ``lesson`` call ``explore(...)``."""
    cells = json.loads(lesson.read_text())["cells"]
    return sum(bool(re.search(r"^\s*explore\(", "".join(c["source"]), re.M)) for c in cells if c["cell_type"] == "code")


def wait_until(predicate, timeout: float, what: str, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def run_command(page, menu: str, command: str):
    """Click a main-menu entry by its command id (e.g. ``runmenu:run-all``)."""
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()


def accept_kernel_dialog(page) -> bool:
    """Accept JupyterLab's "Select Kernel" dialog (the preselected kernel) if it is open; never returns True."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    if dialog.count():
        dialog.locator(".jp-mod-accept").first.click()
    return False


def kernel_idle(page) -> dict | None:
    state = page.evaluate(STATE_JS)
    return state if state and state["status"] == "idle" and state["connected"] and not state["running"] else None


def snapshot(explorer) -> dict | None:
    return explorer.evaluate(SNAPSHOT_JS)


def images_loaded(locator) -> None:
    """Wait until every image inside ``locator`` is decoded (so a screenshot shows the figure)."""
    locator.evaluate("""async (root) => {
        await Promise.all([...root.querySelectorAll('img')].map(i => i.decode().catch(() => null)));
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }""")


def settled(explorer, page, before: dict):
    """The explorer's output once it differs from ``before``, has content, and the kernel is idle."""
    now = snapshot(explorer)
    if not now or now == before or not (now["images"] or now["text"].strip()):
        return None
    return now if kernel_idle(page) else None


def steady(explorer, page, quiet: float = 1.0) -> dict:
    """The explorer's output once it has not changed for ``quiet`` seconds with the kernel idle.

    (A slider whose starting value is off its steps snaps it to the nearest step and sends it
    back to the kernel, which redraws once after Run All; ``explore`` avoids that for float
    sliders, but a move must never be confused with such a redraw.)
    """
    last, since = None, time.monotonic()

    def quiet_now():
        nonlocal last, since
        now = snapshot(explorer)
        if now != last or not kernel_idle(page):
            last, since = now, time.monotonic()
            return None
        return now if time.monotonic() - since >= quiet else None
    return wait_until(quiet_now, MOVE_TIMEOUT, "the explorer to stop redrawing")


def open_notebook(page, lab: Lab, name: str) -> None:
    """Open ``name`` in a fresh workspace and wait for its kernel."""
    page.goto(f"{lab.url}/lab/workspaces/{Path(name).stem}/tree/{name}?reset&token={lab.token}")
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    wait_until(lambda: accept_kernel_dialog(page) or kernel_idle(page), 120, "the kernel to start")


def run_all(page, timeout: float = RUN_TIMEOUT) -> tuple[float, int]:
    """Clear all outputs, run all cells, wait until the run is over and the kernel is idle.

    Returns the seconds it took and how many non-empty code cells did not run (JupyterLab
    stops a Run All at the first error).
    """
    # Start from a clean slate so that every prompt number and output below comes from this run.
    run_command(page, "Edit", "editmenu:clear-all")
    wait_until(lambda: page.evaluate(STATE_JS)["numbered"] == 0, 10, "outputs to clear")
    started = time.monotonic()
    run_command(page, "Run", "runmenu:run-all")

    def done():
        state = page.evaluate(STATE_JS)
        if state["status"] == "dead":
            raise AssertionError("the kernel died")
        # Run All queues every cell at once ([*]), so idle with none queued means the run is over.
        return kernel_idle(page) and state["numbered"] and state
    state = wait_until(done, timeout, "all cells to run")
    return time.monotonic() - started, state["unrun"]


def saved_errors(page, path: Path) -> list[str]:
    """Save the open notebook and return its error outputs (``output_type: error``) as text."""
    run_command(page, "File", "docmanager:save")
    wait_until(lambda: not page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count(), 30,
               "the notebook to save")
    notebook = json.loads(path.read_text())
    return [f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
            for i, cell in enumerate(notebook["cells"]) for out in cell.get("outputs", [])
            if out.get("output_type") == "error"]


def errors_in(page, root=None) -> list[str]:
    """Error outputs (tracebacks) in the open notebook, or inside ``root`` (a locator)."""
    return page.evaluate(ERRORS_JS, root.element_handle() if root is not None else None)


def move(page, explorer, slider, label: str) -> tuple[str, str, dict, dict]:
    """Press arrow keys on ``slider``'s handle until its readout changes; wait for the explorer to redraw.

    Returns the readout before and after, and the explorer's output before and after.
    """
    readout = slider.locator(".widget-readout")
    before = steady(explorer, page)
    start = readout.inner_text().strip()
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    end = start
    for key in ("ArrowRight", "ArrowLeft"):  # left when it sits at the top end of its range
        for _ in range(5):  # a step can be finer than the readout shows
            handle.press(key)
            end = readout.inner_text().strip()
            if end != start:
                break
        if end != start:
            break
    assert end != start, f"the {label} slider did not move with the arrow keys (stays at {start})"
    after = wait_until(lambda: settled(explorer, page, before), MOVE_TIMEOUT,
                       f"the explorer to redraw after {label} moved {start} -> {end}")
    return start, end, before, after


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_and_its_explorers_respond(lesson, lab, browser, screenshots):
    shots = screenshots / lesson.stem
    shots.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page_errors = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    try:
        started = time.monotonic()
        open_notebook(page, lab, lesson.name)
        # What a learner sees before running anything: the stored (static) explorers.
        stored = page.locator(".jp-CodeCell", has_text="explore(")
        for e in range(stored.count()):
            outputs = stored.nth(e).locator(".jp-Cell-outputWrapper")
            if outputs.locator(".jp-OutputArea-output").count():
                outputs.scroll_into_view_if_needed()
                images_loaded(outputs)
                outputs.screenshot(path=str(shots / f"explorer-{e + 1}-before-run-all.png"))
        seconds, unrun = run_all(page)
        print(f"\n{lesson.name}: Run All took {seconds:.1f} s")
        errors = saved_errors(page, lab.folder / lesson.name) + errors_in(page)
        assert not errors and not unrun, f"{lesson.name}: {unrun} code cells did not run; error output after " \
            "Run All:\n" + "\n---\n".join(errors)

        explorers = page.locator(".jp-Notebook .widget-interact")
        expected = explorer_cells(lesson)
        assert explorers.count() >= max(expected, 1), f"{lesson.name}: {explorers.count()} live explorers " \
            f"(ipywidgets interact) after Run All, for {expected} cells that call explore()"
        assert STATIC_NOTE not in " ".join(page.locator(".jp-Notebook").inner_text().split()), \
            f"{lesson.name}: an explorer drew its static picture although a front end is attached"
        for e in range(explorers.count()):
            explorer = explorers.nth(e)
            explorer.scroll_into_view_if_needed()
            sliders = explorer.locator(".widget-slider")
            assert sliders.count(), f"{lesson.name}: explorer {e + 1} has no slider"
            before = steady(explorer, page)
            assert before and (before["images"] or before["text"].strip()), \
                f"{lesson.name}: explorer {e + 1} shows no picture and no text after Run All"
            images_loaded(explorer)
            explorer.screenshot(path=str(shots / f"explorer-{e + 1}-start.png"))
            for s in range(sliders.count()):
                slider = sliders.nth(s)
                label = slider.locator(".widget-label").first.inner_text().strip() or f"slider {s + 1}"
                start, end, before, after = move(page, explorer, slider, label)
                errors = errors_in(page, explorer)
                assert not errors, f"{lesson.name}: explorer {e + 1} shows an error after {label} moved " \
                    f"{start} -> {end}:\n" + "\n---\n".join(errors)
                changed = [part for part in ("images", "text") if after[part] != before[part]]
                print(f"  explorer {e + 1}: {label} {start} -> {end}: {' and '.join(changed)} changed")
            images_loaded(explorer)
            explorer.screenshot(path=str(shots / f"explorer-{e + 1}-moved.png"))
        page.screenshot(path=str(shots / "lesson.png"))
        assert not page_errors, f"{lesson.name}: JavaScript errors in the page: {page_errors}"
        print(f"  {lesson.name}: {time.monotonic() - started:.1f} s in all; screenshots in {shots}")
    except BaseException:
        try:
            page.screenshot(path=str(shots / "failure.png"))
            print(f"  {lesson.name}: failed; screenshot {shots / 'failure.png'}")
            print(f"  last lines of the JupyterLab log ({lab.log}):\n{lab.log_tail(20)}")
        except Exception:
            pass
        raise
    finally:
        page.close()
        try:
            lab.shutdown_kernels()
        except OSError:
            pass


# --- the review page of written answers (aipm-lab review) ---------------------------------------------------------


def test_review_page_keeps_ticks_and_comments(browser, tmp_path, screenshots):
    """Score a written answer in Chromium: tick, comment, reload, and find both kept and in the outputs."""
    import csv

    from test_review_page import graded_folder

    folder, memo = graded_folder(tmp_path / "g")
    server = interruptible([sys.executable, "-m", "aipm_lab.course.cli", "review", str(folder), "--no-browser",
                               "--reviewer", "Ines"], stderr=subprocess.PIPE, text=True, start_new_session=True)
    pages = []
    try:
        printed = ""
        while "http://" not in printed:
            line = server.stderr.readline()
            assert line, f"aipm-lab review exited with {server.wait(10)}: {printed}"
            printed += line
        address = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", printed).group(0)
        pages = [browser.new_page(viewport={"width": 1200, "height": 900}) for _ in range(2)]
        errors = []
        for page in pages:
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(address)
        page, late = pages  # `late` was opened before the first save: a second reviewer
        card = page.locator("section", has_text="memo of ann")
        card.locator("input[type=checkbox]").first.check()
        card.locator("output", has_text="saved by Ines").wait_for(timeout=30_000)
        card.locator("textarea").fill("Your numbers back the call")
        card.locator("textarea").blur()  # leaving the box saves it
        page.wait_for_function("() => [...document.forms].some(f => f.elements.version.value === '2')",
                               timeout=30_000)
        page.screenshot(path=str(screenshots / "review-saved.png"))
        assert page.locator("#done").inner_text() == "1 of 3 reviewed"

        late_card = late.locator("section", has_text="memo of ann")
        late_card.locator("input[type=checkbox]").nth(1).check()
        late_card.locator("output.error", has_text="saved by Ines").wait_for(timeout=30_000)  # refused, not lost

        page.reload()
        card = page.locator("section", has_text="memo of ann")
        assert card.locator("input[type=checkbox]").first.is_checked()
        assert not card.locator("input[type=checkbox]").nth(1).is_checked()  # the stale save changed nothing
        assert card.locator("textarea").input_value() == "Your numbers back the call"
        assert "1 of 3 reviewed" in page.locator("#progress").inner_text()
        assert not errors, f"JavaScript errors in the review page: {errors}"

        from aipm_lab.grading.review_page import Review

        points = Review(folder, "test").questions["02", memo].rubric[0][1]
        with open(folder / "grades.csv", newline="") as f:
            rows = {r["submission"]: r for r in csv.DictReader(f)}
        assert rows["ann"][memo] == str(points) and rows["bo"][memo] == "awaiting review"
        feedback = (folder / "feedback" / "ann.html").read_text()
        assert "Your numbers back the call" in feedback and f"{points}/" in feedback
    finally:
        for page in pages:
            page.close()
        server.send_signal(signal.SIGINT)  # Ctrl-C: one line, exit 0
        try:
            _, rest = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert server.returncode == 0 and rest.strip().startswith("stopped: 1 review(s) kept"), rest
