"""The lessons as stored in the repository read well without a kernel (GitHub, nbviewer).

A stored widget output has no widget state, so a viewer without a kernel shows its other
representations. This test fails on any output whose only readable form is a widget's
text repr (``IntProgress(value=0, ...)``, ``VBox(children=...)``) and on any bare
progress count (``0/72``, ``0%|   | 0/72 [00:00<?, ?step/s]``): kerlite's widgets must
leave a static picture (``image/png``) or text (``text/html``) of their final state.
No browser, no kernel: the .ipynb files are read as JSON.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "notebooks" / "solutions").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATIC_KINDS = ("text/html", "image/png", "image/svg+xml", "image/jpeg", "text/markdown")
# The text repr of an ipywidgets widget: "IntProgress(value=0, ...)", "HBox(children=...)"
WIDGET_REPR = re.compile(r"^\s*[A-Z]\w*(Progress|Box|Slider|Output|Label|HTML|Image|Button|"
                         r"Dropdown|Text|Tab|Accordion|Widget|Play|Checkbox)\w*\(")
# A count with nothing else to say: "0/72", "Epoch 1/2:   0%|   | 0/72 [00:00<?, ?step/s]"
BARE_COUNT = re.compile(r"^\s*(\d+\s*/\s*\d+|.*\d+%\|.*\|\s*\d+/\d+.*)\s*$")


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def output_problems(output):
    """Why one stored output would read badly without a kernel ('' when it is fine)."""
    data = output.get("data", {})
    plain = _text(data.get("text/plain", "")) if data else _text(output.get("text", ""))
    has_static = any(kind in data for kind in STATIC_KINDS)
    if WIDGET_VIEW in data and not has_static:
        return f"widget output with no html/image alternative, text {plain[:60]!r}"
    if data and not has_static and WIDGET_REPR.match(plain):
        return f"only a widget's text repr: {plain[:60]!r}"
    for line in plain.splitlines():
        if BARE_COUNT.match(line):
            return f"bare progress count: {line[:60]!r}"
    return ""


def notebook_problems(path):
    problems = []
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for number, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            problem = output_problems(output)
            if problem:
                problems.append(f"{path.name} cell {number}: {problem}")
    return problems


def test_the_checker_catches_bare_widget_reprs_and_counts():
    bare_bar = {"output_type": "display_data",
                "data": {WIDGET_VIEW: {"model_id": "x"},
                         "text/plain": "VBox(children=(IntProgress(value=0, max=36), Label()))"}}
    tqdm_text = {"output_type": "display_data",
                 "data": {WIDGET_VIEW: {"model_id": "x"}, "text/html": "<b>bar</b>",
                          "text/plain": "Epoch 1/2:   0%|          | 0/72 [00:00<?, ?step/s]"}}
    repr_only = {"output_type": "display_data", "data": {"text/plain": "IntProgress(value=3)"}}
    count_only = {"output_type": "stream", "name": "stdout", "text": "0/72\n"}
    static_bar = {"output_type": "display_data",
                  "data": {WIDGET_VIEW: {"model_id": "x"}, "text/html": "<pre>...</pre>",
                           "text/plain": "training ████████████████████ Epoch 5/5 - loss: 0.12"}}
    keras_log = {"output_type": "stream", "name": "stdout",
                 "text": "36/36 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.3124\n"}
    for bad in (bare_bar, tqdm_text, repr_only, count_only):
        assert output_problems(bad), bad
    for good in (static_bar, keras_log):
        assert output_problems(good) == "", good


def test_stored_notebooks_have_no_bare_widget_output():
    assert len(NOTEBOOKS) >= 10, [p.name for p in NOTEBOOKS]
    problems = [problem for path in NOTEBOOKS for problem in notebook_problems(path)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if "LiveCurves(" in p.read_text()],
                         ids=lambda p: p.name)
def test_lessons_with_live_curves_store_the_final_curves(path):
    """Each fit cell that draws LiveCurves keeps the picture and the last epoch's numbers."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    fit_cells = [c for c in cells if c["cell_type"] == "code" and c.get("outputs")
                 and "LiveCurves(" in _text(c["source"])]
    for cell in fit_cells:
        datas = [o.get("data", {}) for o in cell["outputs"]]
        pictures = [d for d in datas if d.get("text/plain") and "image/png" in d
                    and _text(d["text/plain"]).startswith("<PNG image: learning curves")]
        lines = [_text(d.get("text/plain", "")) for d in datas if WIDGET_VIEW in d]
        assert pictures, f"{path.name}: a LiveCurves cell without its picture"
        assert any(re.search(r"Epoch \d+/\d+\b.*\bloss: \d", line) for line in lines), (
            f"{path.name}: the progress line does not keep the last epoch's numbers: {lines}")
