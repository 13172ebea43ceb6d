"""The lesson's widgets in a real JupyterLab, in a real headless Chromium.

The test starts JupyterLab on 127.0.0.1 (on a copy of the lesson), opens it with
Playwright in Debian's chromium, runs every cell, and checks what a learner would see:
widgets rendered (and no "Error displaying widget"), images present, the learning
curve of the second ``fit`` cell continuing the first, the layer selector of the graph
view showing the chosen layer. Screenshots go to ``test-artifacts/`` for a human to look at.

Skipped locally only when chromium or playwright is truly missing; never on CI.
"""

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from browser.jupyter_lab import JupyterLab
from browser.notebook_page import CHROMIUM, cell, launch_browser, open_and_run_all, shoot

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "notebooks" / "05_seeing_inside.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _missing_tools():
    missing = []
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        missing.append("Debian chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (pip install playwright)")
    return missing


@contextlib.contextmanager
def lesson_page():
    """The lesson opened in JupyterLab after "Run All"; gives (page, problems)."""
    missing = _missing_tools()
    if missing and not ON_CI:
        pytest.skip("browser test needs " + " and ".join(missing))
    assert not missing, f"CI must provide {missing}"
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="kerlite-chromium-"))
    try:
        with JupyterLab([LESSON]) as lab, sync_playwright() as playwright:
            browser = launch_browser(playwright, profile)
            page = browser.pages[0] if browser.pages else browser.new_page()
            problems = open_and_run_all(page, lab.url_for(LESSON.name))
            yield page, problems
            browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def test_lesson_05_in_jupyterlab():
    """One JupyterLab, one "Run All" (about 30 s); then each check below, all reported.

    A single test, so that pytest-xdist never starts the lesson twice in parallel.
    """
    with lesson_page() as (page, problems):
        failures = []
        for check in (check_cells_ran_and_widgets_rendered, check_live_curves_grow,
                      check_graph_view_shows_the_selected_layer,
                      check_inspector_switches_layers):
            try:
                check(page, problems)
            except Exception as error:  # report every failed check, not only the first
                failures.append(f"{check.__name__}: {type(error).__name__}: {error}")
        assert not failures, "\n".join(failures)


def check_cells_ran_and_widgets_rendered(page, problems):
    assert problems == []
    notebook = page.locator(".jp-Notebook")
    assert notebook.locator(".jupyter-widgets").count() >= 4
    assert notebook.locator(":is(.widget-hprogress, .widget-vprogress)").count() >= 2
    assert notebook.locator(".jp-OutputArea-output img").count() >= 4
    # a cell ending with `model`: Model._repr_html_ -> kerlite.viz.model_html
    assert notebook.locator(".kerlite-model table").count() >= 1, "no model summary table"
    assert notebook.locator(".kerlite-model svg").count() >= 1, "no model graph"


JS_CURVE_PIXELS = """(img) => {
  // training line: pixel columns holding its blue (#1f77b4);
  // fit boundary: the tallest column of the dotted grey (0.6 = 153) line drawn where a
  // later fit call continued the run (text antialiasing gives only a few such pixels)
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(img, 0, 0);
  const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const near = (i, r, g, b) =>
    Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12;
  const blue = new Set(), grey = new Array(canvas.width).fill(0);
  for (let i = 0; i < data.length; i += 4) {
    const column = (i / 4) % canvas.width;
    if (near(i, 31, 119, 180)) blue.add(column);
    if (near(i, 153, 153, 153)) grey[column] += 1;
  }
  return {width: img.naturalWidth, blue_columns: blue.size, boundary: Math.max(...grey)};
}"""


def check_live_curves_grow(page, problems):
    first, second = cell(page, "# first fit"), cell(page, "# second fit")
    first_label = first.locator(".kerlite-curves-status").inner_text()
    second_label = second.locator(".kerlite-curves-status").inner_text()
    assert re.match(r"Epoch 3/3 - .*\bloss: \d\.\d{4}", first_label), first_label
    assert re.match(r"Epoch 3/3 \(epoch 6 of the run\) - .*\bval_loss: \d\.\d{4}",
                    second_label), second_label
    first_image = first.locator(".jp-OutputArea-output img").last
    second_image = second.locator(".jp-OutputArea-output img").last
    first_pixels = first_image.evaluate(JS_CURVE_PIXELS)
    second_pixels = second_image.evaluate(JS_CURVE_PIXELS)
    assert first_pixels["width"] > 300
    assert first_pixels["blue_columns"] > 50 and second_pixels["blue_columns"] > 50
    assert first_pixels["boundary"] < 30 < second_pixels["boundary"], (first_pixels,
                                                                       second_pixels)
    shoot(page, first, ARTIFACTS / "live_curves_first_fit.png")
    shoot(page, second, ARTIFACTS / "live_curves_second_fit.png")


def check_graph_view_shows_the_selected_layer(page, problems):
    view = page.locator(".kerlite-graph-view").first
    select = view.locator("select").first
    select.select_option("classifier")
    page.wait_for_function(
        """() => {
          const view = document.querySelector('.kerlite-graph-view');
          return view && view.innerText.includes('classifier (Dense)')
            && view.innerText.includes('classifier/kernel');
        }""", timeout=15_000)
    text = view.inner_text()
    assert "4,010 parameters" in text and "(400, 10)" in text  # 5*5*16 inputs -> 10 units
    highlighted = view.evaluate("""(view) => {
        const nodes = [...view.querySelectorAll('svg g.node')];
        const fills = n => [...n.querySelectorAll('path, polygon, rect')]
          .map(shape => shape.getAttribute('fill'));
        return nodes.filter(n => fills(n).includes('#ffd966'))
          .map(n => n.querySelector('title').textContent);
    }""")
    assert highlighted == ["classifier"]
    histogram = view.locator("img")
    assert histogram.count() == 1 and histogram.first.evaluate("i => i.naturalWidth") > 100
    shoot(page, view, ARTIFACTS / "graph_view_classifier_selected.png")


def check_inspector_switches_layers(page, problems):
    view = page.locator(".kerlite-inspector").first
    before = view.locator("img").first.get_attribute("src")
    view.locator("select").first.select_option("conv2")
    page.wait_for_function(
        """(before) => {
          const view = document.querySelector('.kerlite-inspector');
          return view.innerText.includes('conv2: output shape')
            && view.querySelector('img').src !== before;
        }""", arg=before, timeout=15_000)
    shoot(page, view, ARTIFACTS / "inspector_conv2.png")
