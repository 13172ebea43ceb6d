"""Every lesson, run top to bottom in a real JupyterLab in headless Chromium.

Lesson 05 has its own, deeper checks in ``test_browser.py``; here each other lesson is
opened in one shared JupyterLab, "Run All" is pressed, and the test checks that every
code cell ran (an exception would stop Run All), that no widget failed to display, and
that lessons which draw widgets or pictures show them. A screenshot of each lesson's
first widget (or of its top) lands in ``test-artifacts/browser/lessons/``.
"""

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from browser.jupyter_lab import JupyterLab
from browser.notebook_page import launch_browser, open_and_run_all, shoot
from test_browser import ARTIFACTS, ON_CI, _missing_tools

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                 if not p.name.startswith("05_"))

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def stored_output_kinds(lesson):
    """What the stored (headless-executed) lesson shows: widgets? images?"""
    cells = json.loads(lesson.read_text())["cells"]
    mimes = {mime for cell in cells for output in cell.get("outputs", [])
             for mime in output.get("data", {})}
    return "application/vnd.jupyter.widget-view+json" in mimes, "image/png" in mimes


def shut_down_kernels(page):
    """Free the CPU and memory of a finished lesson's kernel (through JupyterLab)."""
    page.evaluate("window.jupyterapp.serviceManager.sessions.shutdownAll()")


def test_every_lesson_runs_in_jupyterlab():
    missing = _missing_tools()
    if missing and not ON_CI:
        pytest.skip("browser test needs " + " and ".join(missing))
    assert not missing, f"CI must provide {missing}"
    assert len(LESSONS) >= 10, [p.name for p in LESSONS]
    from playwright.sync_api import sync_playwright

    failures = []
    profile = Path(tempfile.mkdtemp(prefix="kerlite-chromium-"))
    try:
        with JupyterLab(LESSONS) as lab, sync_playwright() as playwright:
            browser = launch_browser(playwright, profile)
            page = browser.pages[0] if browser.pages else browser.new_page()
            for lesson in LESSONS:
                problems = open_and_run_all(page, lab.url_for(lesson.name), timeout_s=240)
                notebook = page.locator(".jp-Notebook")
                has_widgets, has_images = stored_output_kinds(lesson)
                if has_widgets and notebook.locator(".jupyter-widgets").count() == 0:
                    problems.append("no widget rendered")
                if has_images and notebook.locator(".jp-OutputArea-output img").count() == 0:
                    problems.append("no image rendered")
                target = notebook.locator(".jupyter-widgets").first
                if notebook.locator(".jupyter-widgets").count() == 0:
                    target = notebook.locator(".jp-Cell").first
                shoot(page, target, ARTIFACTS / "lessons" / f"{lesson.stem}.png")
                failures += [f"{lesson.name}: {problem}" for problem in problems]
                shut_down_kernels(page)
            browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert not failures, "\n".join(failures)
