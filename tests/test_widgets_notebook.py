"""Headless execution (nbclient, as nbconvert and nbval run notebooks) keeps the final
learning curves as a static PNG in the saved notebook, with a stable text twin, and the
progress bar's last numbers as static text beside the widget view."""

import base64
import hashlib

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

SETUP = '''
from kerlite.widgets import LiveCurves

class FakeModel:
    name = "fake"

def simulate_fit(callback, epochs, steps=4):
    callback.set_model(MODEL)
    callback.set_params({"verbose": 0, "epochs": epochs, "steps": steps})
    callback.on_train_begin()
    for epoch in range(epochs):
        callback.on_epoch_begin(epoch)
        for batch in range(steps):
            callback.on_train_batch_end(batch, {"loss": 1.0 / (epoch + 1)})
        callback.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 2), "val_loss": 1.5 / (epoch + 2)})
    callback.on_train_end()

MODEL = FakeModel()
'''


def test_saved_notebook_holds_the_final_curves(tmp_path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    cells = [SETUP, "simulate_fit(LiveCurves(), 3)",
             "curves = LiveCurves()\nsimulate_fit(curves, 2)",
             "import hashlib\nprint(hashlib.md5(curves.view.last_image.png_bytes).hexdigest())"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    second_fit = notebook.cells[2].outputs
    pictures = [out for out in second_fit if "image/png" in out.get("data", {})]
    assert len(pictures) == 1  # one picture, updated in place: no pile of figures
    assert pictures[0]["data"]["text/plain"] == "<PNG image: learning curves>"
    stored = hashlib.md5(base64.b64decode(pictures[0]["data"]["image/png"])).hexdigest()
    final = notebook.cells[3].outputs[0]["text"].strip()
    assert stored == final  # the saved picture is the last one drawn (5 epochs)
    widgets = [out for out in second_fit
               if "application/vnd.jupyter.widget-view+json" in out.get("data", {})]
    assert len(widgets) == 1
    # the bar's static twin, updated when training ended: what GitHub/nbviewer show
    static = widgets[0]["data"]
    assert static["text/plain"].startswith("training ████████████████████ Epoch 2/2 (epoch 5")
    assert "loss: 0.3333 - val_loss: 0.5000" in static["text/html"]
