"""TapeGraph in a real JupyterLab, in headless Chromium: the picture and the step button.

A small notebook written by the test builds ``y = a * b + c`` on a tape and ends two
cells with a TapeGraph: its static picture (values and gradients in the SVG) and its
step-backward widget, whose button is clicked until every gradient is shown.
"""

import shutil
import tempfile
from pathlib import Path

import pytest

from browser.jupyter_lab import JupyterLab
from browser.notebook_page import (cell, launch_browser, open_and_run_all, shoot,
                                   write_notebook)
from test_browser import ARTIFACTS, ON_CI, _missing_tools

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELLS = [
    "import kerlite as keras\nfrom kerlite.widgets import TapeGraph\n"
    "a = keras.Variable(2.0, name='a')\nb = keras.Variable(-3.0, name='b')\n"
    "c = keras.Variable(10.0, name='c')\n"
    "with keras.GradientTape() as tape:\n    y = a * b + c\ngraph = TapeGraph(y)",
    "# picture\ngrads = tape.gradient(y, [a, b, c])\ngraph.with_gradients()",
    "# stepper\ngraph.stepper()",
]


def svg_words(locator):
    """The text drawn in the first SVG under ``locator``, as the browser renders it."""
    pictures = locator.locator(".kerlite-tape-graph svg")
    return " ".join(pictures.first.locator("text").all_text_contents())


def test_tape_graph_renders_values_gradients_and_steps_in_jupyterlab():
    missing = _missing_tools()
    if missing and not ON_CI:
        pytest.skip("browser test needs " + " and ".join(missing))
    assert not missing, f"CI must provide {missing}"
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kerlite-tape-graph-"))
    try:
        notebook = write_notebook(work, "tape_graph.ipynb", CELLS)
        with JupyterLab([notebook]) as lab, sync_playwright() as playwright:
            browser = launch_browser(playwright, work / "profile")
            page = browser.pages[0] if browser.pages else browser.new_page()
            assert open_and_run_all(page, lab.url_for(notebook.name)) == []

            picture = cell(page, "# picture").locator(".kerlite-tape-graph")
            assert picture.count() == 1, "no TapeGraph picture rendered"
            words = svg_words(cell(page, "# picture"))
            for text in ["a", "multiply", "add", "value 2", "value -6", "value 4",
                         "grad -3", "grad 2", "grad 1"]:
                assert text in words, f"{text!r} not drawn; the SVG shows: {words}"
            assert picture.locator("svg g.node").count() == 5
            shoot(page, picture, ARTIFACTS / "tape_graph.png")

            stepper = cell(page, "# stepper")
            button = stepper.locator("button", has_text="step backward")
            assert button.count() == 1, "no step-backward button (widget not rendered?)"
            assert svg_words(stepper).count("grad ?") == 5
            for clicks in range(1, 6):
                button.click()
                page.wait_for_function(
                    "([n]) => [...document.querySelectorAll('.jp-Cell')].some(c => "
                    "c.innerText.includes(n + '/5:'))", arg=[clicks], timeout=10_000)
            for _ in range(50):  # the picture's update may land a moment after the status
                words = svg_words(stepper)
                if "grad ?" not in words:
                    break
                page.wait_for_timeout(200)
            assert "grad ?" not in words and "grad -3" in words, words
            assert button.is_disabled()
            shoot(page, stepper, ARTIFACTS / "tape_graph_stepper.png")
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
