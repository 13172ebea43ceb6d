"""Stored notebooks opened in a real JupyterLab WITHOUT running them, in headless Chromium.

This is how a learner first sees a lesson cloned from GitHub: outputs stored, no widget
state, no kernel run. Every widget output must show its static twin there (the final
learning curves as a picture, the progress bar as "training ████ Epoch 3/3 - loss: ..."),
never a bare ``IntProgress(value=0, ...)``. Then the small notebook is run, and the live
widget must take the place of the static twin (JupyterLab prefers the widget view when
the kernel holds the widget).
"""

import re
import shutil
import tempfile
from pathlib import Path

import pytest

from browser.jupyter_lab import JupyterLab
from browser.notebook_page import BAD_TEXT, JS_KERNEL_IDLE, launch_browser, open_and_run_all, shoot
from test_browser import ARTIFACTS, ON_CI, _missing_tools

ROOT = Path(__file__).resolve().parent.parent
STORED_LESSONS = [ROOT / "notebooks" / "02_training.ipynb",
                  ROOT / "notebooks" / "05_seeing_inside.ipynb"]
WIDGET_REPRS = re.compile(r"\b(IntProgress|FloatProgress|VBox|HBox|Label|Output)\(")
BARE_COUNT = re.compile(r"^\s*\d+/\d+\s*(\[|$)", re.MULTILINE)
STATIC = ".kerlite-progress-static"

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELLS = [
    "import numpy as np\nimport kerlite as keras\nfrom kerlite.widgets import LiveCurves\n"
    "rng = np.random.default_rng(0)\nx = rng.normal(size=(64, 4)).astype('float32')\n"
    "y = (x[:, :1] > 0).astype('float32')\n"
    "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation='sigmoid')])\n"
    "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])",
    "# curves\nmodel.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[LiveCurves()]);",
    "# bar\nmodel.fit(x, y, epochs=2, batch_size=16, verbose=1);",
]


def small_stored_notebook(folder):
    """A two-fit notebook executed headless (as nbconvert does), widget state removed."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}).execute()
    notebook.metadata.pop("widgets", None)  # as the lessons are stored
    path = folder / "stored_small.ipynb"
    nbformat.write(notebook, path)
    return path


def open_without_running(page, url):
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=60_000, polling=250)
    page.wait_for_selector(".jp-Notebook .jp-OutputArea-output img", timeout=30_000)
    page.wait_for_timeout(1500)  # let every stored output render
    return page.locator(".jp-Notebook")


def stored_view_problems(notebook, name, min_images, min_static):
    """What a reader of the stored notebook would see wrong (a list of sentences)."""
    problems = []
    text = notebook.inner_text()
    problems += [f"{name}: shows {bad!r}" for bad in BAD_TEXT if bad in text]
    problems += [f"{name}: bare widget repr {m.group(0)!r}" for m in WIDGET_REPRS.finditer(text)]
    problems += [f"{name}: bare count {m.group(0)!r}" for m in BARE_COUNT.finditer(text)]
    images = notebook.locator(".jp-OutputArea-output img").count()
    if images < min_images:
        problems.append(f"{name}: {images} images, expected at least {min_images}")
    lines = notebook.locator(STATIC).all_inner_texts()
    if len(lines) < min_static:
        problems.append(f"{name}: {len(lines)} static progress lines, expected {min_static}")
    for line in lines:
        if not re.search(r"Epoch \d+/\d+\b.*\bloss: \d", line):
            problems.append(f"{name}: static line without the last epoch's numbers: {line!r}")
    return problems


def test_stored_notebooks_show_static_views_and_live_widgets_when_run():
    missing = _missing_tools()
    if missing and not ON_CI:
        pytest.skip("browser test needs " + " and ".join(missing))
    assert not missing, f"CI must provide {missing}"
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kerlite-stored-"))
    profile = work / "chromium"
    try:
        small = small_stored_notebook(work)
        with JupyterLab(STORED_LESSONS + [small]) as lab, sync_playwright() as playwright:
            browser = launch_browser(playwright, profile)
            page = browser.pages[0] if browser.pages else browser.new_page()
            problems = []
            for lesson in STORED_LESSONS:
                notebook = open_without_running(page, lab.url_for(lesson.name))
                problems += stored_view_problems(notebook, lesson.name, 2, 1)
                first_static = notebook.locator(STATIC).first
                if first_static.count():
                    shoot(page, first_static.locator("xpath=ancestor::div[contains("
                          "@class,'jp-Cell')][1]"), ARTIFACTS / "stored" / f"{lesson.stem}.png")
                page.evaluate("window.jupyterapp.serviceManager.sessions.shutdownAll()")
            notebook = open_without_running(page, lab.url_for(small.name))
            problems += stored_view_problems(notebook, small.name, 1, 2)
            assert not problems, "\n".join(problems)

            # run it: the live widgets replace their static twins
            problems = open_and_run_all(page, lab.url_for(small.name), timeout_s=180)
            assert problems == [], problems
            notebook = page.locator(".jp-Notebook")
            assert notebook.locator(".widget-hprogress").count() == 2
            assert notebook.locator(STATIC).count() == 0, "static twin shown over the widget"
            label = notebook.locator(".kerlite-curves-status").inner_text()
            assert re.match(r"Epoch 3/3 - .*\bloss: \d\.\d{4}", label), label
            assert notebook.locator(".jp-OutputArea-output img").count() >= 1
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
