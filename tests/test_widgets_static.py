"""Every widget output carries a static picture of itself, for notebooks read without a kernel.

A stored notebook on GitHub or nbviewer has no widget state: there each output shows its
``text/html`` or ``image/png`` alternative. These tests check that the alternative is in
each widget's display data, and that after ``fit`` it holds the last epoch's numbers.
"""

import re

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import kerlite as keras  # noqa: E402
from kerlite.widgets import GraphView, Inspector, LiveCurves, NotebookProgress, TapeGraph  # noqa: E402
from kerlite.widgets.curves_display import CurvesDisplay  # noqa: E402
from kerlite.callbacks.progress_line import STATIC_CLASS, ProgressLine  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class RecordingDisplay:
    """Stands in for IPython's ``display``: what each display id showed, first to last."""

    def __init__(self):
        self.outputs = []  # one list of shown objects per display id (or plain display)

    def __call__(self, obj, display_id=None, raw=False):
        shown = [obj]
        self.outputs.append(shown)
        if display_id:
            return type("Handle", (), {"update": lambda _self, new, raw=False: shown.append(new)})()
        return None

    def bundles(self):
        """The final version of each raw bundle output (the progress lines)."""
        return [shown[-1] for shown in self.outputs if isinstance(shown[-1], dict)]


def small_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    return model, x, y


def test_progress_line_bundle_has_widget_and_static_views():
    line = ProgressLine(10, "training", display_fn=RecordingDisplay())
    line.show()
    line.update(4, "Epoch 1/2 - 4/10 steps")
    first = line._display_fn.outputs[0][0]
    assert WIDGET_VIEW in first  # JupyterLab with a kernel shows the live bar
    assert first["text/plain"] == "training ░░░░░░░░░░░░░░░░░░░░ started"
    assert f'class="{STATIC_CLASS}"' in first["text/html"]
    line.finish("Epoch 2/2 - loss: 0.1200")
    final = line._display_fn.outputs[0][-1]
    assert WIDGET_VIEW in final and final[WIDGET_VIEW] == first[WIDGET_VIEW]  # same widget
    assert final["text/plain"] == "training ████████████████████ Epoch 2/2 - loss: 0.1200"
    assert "Epoch 2/2 - loss: 0.1200" in final["text/html"]
    assert line.bar.value == 10


def test_live_curves_leave_last_epoch_numbers_and_final_curves_after_fit():
    model, x, y = small_model()
    display = RecordingDisplay()
    curves = LiveCurves(view=CurvesDisplay(display_fn=display))
    history = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0,
                        callbacks=[curves])
    [bar_output, picture_output] = display.outputs
    final = bar_output[-1]
    loss, val_accuracy = history.history["loss"][-1], history.history["val_accuracy"][-1]
    assert final["text/plain"].startswith("training ████████████████████ Epoch 3/3 - ")
    for text in (final["text/plain"], final["text/html"]):
        assert f"loss: {loss:.4f}" in text and f"val_accuracy: {val_accuracy:.4f}" in text
    assert WIDGET_VIEW in final
    last_picture = picture_output[-1]
    assert last_picture._repr_png_().startswith(PNG_MAGIC)
    assert last_picture is curves.view.last_image  # the stored picture is the final drawing
    loss_axes = [a for a in curves.view.figure.axes if a.get_title() == "loss"][0]
    assert len(loss_axes.get_lines()[0].get_xdata()) == 3


def test_notebook_progress_leaves_the_last_epoch_and_no_bare_count():
    model, x, y = small_model()
    display = RecordingDisplay()
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0,
                        callbacks=[NotebookProgress(epoch_lines=False, display_fn=display)])
    [final] = display.bundles()
    loss = history.history["loss"][-1]
    accuracy = history.history["accuracy"][-1]
    assert "Epoch 2/2 - " in final["text/plain"]
    assert f"loss: {loss:.4f}" in final["text/plain"]
    assert f"accuracy: {accuracy:.4f}" in final["text/plain"]
    assert "/10 steps" not in final["text/plain"]  # the live step count is not what stays


def test_notebook_progress_for_evaluate_and_predict_ends_with_their_results():
    model, x, y = small_model()
    display = RecordingDisplay()
    progress = NotebookProgress(display_fn=display)
    loss, accuracy = model.evaluate(x, y, batch_size=8, verbose=0, callbacks=[progress])
    model.predict(x, batch_size=8, verbose=0, callbacks=[progress])
    evaluated, predicted = display.bundles()
    assert evaluated["text/plain"].startswith("evaluate ████████████████████ ")
    assert f"loss: {loss:.4f}" in evaluated["text/plain"]
    assert predicted["text/plain"] == "predict ████████████████████ 5 steps"


def test_graph_view_inspector_and_stepper_bundles_have_a_static_first_view():
    model, x, _ = small_model()
    graph = GraphView(model)._repr_mimebundle_()
    assert WIDGET_VIEW in graph and "<svg" in graph["text/html"]
    inspector = Inspector(model, x[:2])._repr_mimebundle_()
    assert WIDGET_VIEW in inspector and inspector["image/png"].startswith(PNG_MAGIC)
    a, b = keras.Variable(2.0), keras.Variable(-3.0)
    with keras.GradientTape() as tape:
        y = a * b
    graph = TapeGraph(y)  # before tape.gradient, which frees the record
    tape.gradient(y, [a, b])
    stepper = graph.stepper()._repr_mimebundle_()
    assert WIDGET_VIEW in stepper and "<svg" in stepper["text/html"]
    assert not stepper["text/plain"].startswith(("VBox(", "HBox("))


def test_static_bar_stops_where_early_stopping_stopped():
    model, x, y = small_model()
    display = RecordingDisplay()
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
    model.fit(x, y, epochs=10, batch_size=8, verbose=0,
              callbacks=[stop, LiveCurves(view=CurvesDisplay(display_fn=display))])
    final = display.outputs[0][-1]["text/plain"]  # stopped after epoch 1 or 2 of 10
    assert re.match(r"training (█{2,4})(░{16,18}) Epoch [12]/10 - ", final), final
