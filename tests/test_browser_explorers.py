"""The four explorers in a real JupyterLab, in headless Chromium: a moved control redraws.

One notebook written by the test shows ConvExplorer, TrainingExplorer,
LossWeightsExplorer and AttentionExplorer. In each, a slider is moved the way a learner
moves it (its handle focused, an arrow key pressed: one step, reported on release like a
drag), and the explorer's picture must change; the two training explorers also get their
Run button clicked. Then the lessons that use them are opened as stored, without running:
each explorer must show its first view (picture and text), not a widget's text repr.
"""

import shutil
import tempfile
from pathlib import Path

import pytest

from browser.jupyter_lab import JupyterLab
from browser.notebook_page import (cell, launch_browser, open_and_run_all, shoot,
                                   write_notebook)
from test_browser import ARTIFACTS, ON_CI, ROOT, _missing_tools
from test_browser_stored import open_without_running, stored_view_problems

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSONS = {"03_convnets.ipynb": "ConvExplorer: kernel_size=3",
           "02_training.ipynb": "TrainingExplorer on 300 spiral points",
           "06_multiple_inputs_outputs.ipynb": "LossWeightsExplorer: loss_weights",
           "12_preprocessing_and_attention.ipynb": "AttentionExplorer: head 0"}

CELLS = [
    "from kerlite.widgets import (AttentionExplorer, ConvExplorer, LossWeightsExplorer,\n"
    "                             TrainingExplorer)",
    "# conv\nConvExplorer()",
    "# training\nTrainingExplorer(epochs=15)",
    "# weights\nLossWeightsExplorer(epochs=10)",
    "# attention\nAttentionExplorer()",
]


def pictures(explorer):
    """The ``src`` of every picture the explorer's widget shows now."""
    return explorer.locator(".kerlite-explorer-picture img").evaluate_all(
        "images => images.map(image => image.getAttribute('src'))")


def move_slider(explorer, label, presses=1):
    """Focus the handle of the slider described by ``label`` and press → ``presses`` times."""
    slider = explorer.locator(".widget-slider", has_text=label).first
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for _ in range(presses):
        handle.press("ArrowRight")


def wait_for_change(page, explorer, before, what):
    for _ in range(100):
        now = pictures(explorer)
        if now and now != before:
            return now
        page.wait_for_timeout(200)
    raise AssertionError(f"{what}: the picture did not change")


def wait_for_text(page, explorer, text):
    for _ in range(150):
        if text in explorer.inner_text():
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} never appeared; the explorer shows: "
                         f"{explorer.inner_text()[:500]}")


def need_browser():
    missing = _missing_tools()
    if missing and not ON_CI:
        pytest.skip("browser test needs " + " and ".join(missing))
    assert not missing, f"CI must provide {missing}"


def test_moving_a_control_redraws_each_explorer_in_jupyterlab():
    need_browser()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kerlite-explorers-"))
    try:
        notebook = write_notebook(work, "explorers.ipynb", CELLS)
        with JupyterLab([notebook]) as lab, sync_playwright() as playwright:
            browser = launch_browser(playwright, work / "profile")
            page = browser.pages[0] if browser.pages else browser.new_page()
            assert open_and_run_all(page, lab.url_for(notebook.name)) == []

            conv = cell(page, "# conv").locator(".kerlite-conv-explorer")
            assert conv.count() == 1, "ConvExplorer widget not rendered"
            assert "output 26×26" in conv.inner_text()
            before = pictures(conv)
            move_slider(conv, "kernel size", presses=2)
            wait_for_change(page, conv, before, "ConvExplorer kernel size")
            wait_for_text(page, conv, "output 24×24")
            shoot(page, conv, ARTIFACTS / "conv_explorer.png")

            training = cell(page, "# training").locator(".kerlite-training-explorer")
            assert training.count() == 1, "TrainingExplorer widget not rendered"
            before = pictures(training)
            move_slider(training, "width")  # a new, untrained network: a new boundary
            wait_for_change(page, training, before, "TrainingExplorer width")
            wait_for_text(page, training, "width 32")
            before = pictures(training)
            training.locator("button", has_text="Run").click()
            wait_for_text(page, training, "run 2 done")
            wait_for_change(page, training, before, "TrainingExplorer run")
            shoot(page, training, ARTIFACTS / "training_explorer.png")

            weights = cell(page, "# weights").locator(".kerlite-loss-weights-explorer")
            assert weights.count() == 1, "LossWeightsExplorer widget not rendered"
            before = pictures(weights)
            move_slider(weights, "aux head weight", presses=3)
            wait_for_text(page, weights, "aux 0.5 (press Run)")
            weights.locator("button", has_text="Run").click()
            wait_for_change(page, weights, before, "LossWeightsExplorer run")
            wait_for_text(page, weights, "run 2: weights 1 / 0.5")
            shoot(page, weights, ARTIFACTS / "loss_weights_explorer.png")

            attention = cell(page, "# attention").locator(".kerlite-attention-explorer")
            assert attention.count() == 1, "AttentionExplorer widget not rendered"
            before = pictures(attention)
            move_slider(attention, "head")
            wait_for_change(page, attention, before, "AttentionExplorer head")
            wait_for_text(page, attention, "head 1 of heads 0–1")
            shoot(page, attention, ARTIFACTS / "attention_explorer.png")
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_stored_lessons_show_each_explorers_first_view():
    need_browser()
    from playwright.sync_api import sync_playwright

    lessons = [ROOT / "notebooks" / name for name in LESSONS]
    profile = Path(tempfile.mkdtemp(prefix="kerlite-explorers-stored-"))
    try:
        with JupyterLab(lessons) as lab, sync_playwright() as playwright:
            browser = launch_browser(playwright, profile)
            page = browser.pages[0] if browser.pages else browser.new_page()
            problems = []
            for lesson in lessons:
                notebook = open_without_running(page, lab.url_for(lesson.name))
                problems += stored_view_problems(notebook, lesson.name, 1, 0)
                view = notebook.locator(".kerlite-explorer-static")
                if view.count() != 1:
                    problems.append(f"{lesson.name}: {view.count()} explorer first views")
                    continue
                if view.locator("img").count() < 1:
                    problems.append(f"{lesson.name}: the explorer's first view has no picture")
                if LESSONS[lesson.name] not in view.inner_text():
                    problems.append(f"{lesson.name}: the first view says {view.inner_text()!r}")
                shoot(page, view, ARTIFACTS / "stored" / f"explorer_{lesson.stem}.png")
            browser.close()
        assert not problems, "\n".join(problems)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
