"""Drive a notebook in JupyterLab from Playwright: open, run all, read what rendered.

The JavaScript reads JupyterLab's own objects (exposed as ``window.jupyterapp`` by
``--LabApp.expose_app_in_browser``): the kernel status, each cell's execution count.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
BAD_TEXT = ["Error displaying widget", "Loading widget...", "model not found",
            "Failed to load model class", "Traceback (most recent call last)"]

JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(k && k.status === 'idle' && w.context.isReady);
}"""
JS_RUN_ALL = """async () => {
  await window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; }"""
JS_NOT_EXECUTED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.map((c, i) => [c, i])
    .filter(([c, i]) => c.model.type === 'code' && c.model.sharedModel.getSource().trim() !== '')
    .filter(([c, i]) => c.model.executionCount === null).map(([c, i]) => i);
}"""
JS_CELL_INDEX_CONTAINING = """(marker) => {
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.findIndex(
    c => c.model.type === 'code' && c.model.sharedModel.getSource().includes(marker));
}"""


def launch_browser(playwright, profile_dir):
    """A headless Debian Chromium with a fresh profile (no ``playwright install``)."""
    return playwright.chromium.launch_persistent_context(
        str(profile_dir), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000})


def open_and_run_all(page, url, timeout_s=150):
    """Open the notebook, wait for the kernel, run every cell; return the error list."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=60_000, polling=250)
    page.set_default_timeout(timeout_s * 1000)
    page.evaluate(JS_RUN_ALL)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=timeout_s * 1000, polling=250)
    page.wait_for_timeout(1000)  # let widget views and images finish rendering
    problems = []
    not_run = page.evaluate(JS_NOT_EXECUTED)
    if not_run:
        problems.append(f"cells not executed (an earlier cell raised?): {not_run}")
    text = page.locator(".jp-Notebook").inner_text()
    problems += [f"page shows {bad!r}" for bad in BAD_TEXT if bad in text]
    return problems


def cell(page, marker):
    """The code cell (a Playwright locator) whose source contains ``marker``."""
    index = page.evaluate(JS_CELL_INDEX_CONTAINING, marker)
    assert index >= 0, f"no cell contains {marker!r}"
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def shoot(page, locator, path):
    """Save a screenshot of the element ``locator`` (scrolled into view) to ``path``."""
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    path.parent.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(path))


def write_notebook(folder, name, cells):
    """A new notebook ``folder/name`` with one code cell per source in ``cells``."""
    from pathlib import Path

    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = Path(folder) / name
    nbformat.write(notebook, path)
    return path
