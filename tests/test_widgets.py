"""The widgets' data paths, tested without a browser.

What the curves hold after two ``fit`` calls, when redraws happen (with a fake clock),
the progress callback, the summary HTML, the graph as DOT and SVG (Graphviz and the
built-in layout), the inspector's arrays and gradient norms, and the fallbacks when an
optional package is missing. Pictures are checked as data (line coordinates, PNG
headers), never by their pixels.
"""

import sys

import numpy as np
import pytest

import kerlite as keras

from kerlite.widgets import CurveLog, LiveCurves, NotebookProgress, Throttle
from kerlite.widgets.curves_display import CurvesDisplay
from kerlite.callbacks.metric_text import format_logs
from kerlite.callbacks.notebook_progress import choose_progress_callback
from kerlite.common.optional import in_notebook, require

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class FakeView:
    """Records what LiveCurves asks a view to do, without drawing."""

    def __init__(self):
        self.starts, self.draws, self.progress_calls = [], [], []

    def start(self, log, total_steps, title):
        self.starts.append(total_steps)

    def progress(self, done_steps, status):
        self.progress_calls.append((done_steps, status))

    def draw(self, log, title):
        self.draws.append(log.epochs_done)

    def finish(self, done_steps, status):
        self.progress_calls.append((done_steps, status))


class FakeHandle:
    def __init__(self):
        self.updates = []

    def update(self, obj, raw=False):
        self.updates.append(obj)


class FakeDisplay:
    """Stands in for IPython's ``display``: remembers objects and handles."""

    def __init__(self):
        self.shown, self.handles = [], []

    def __call__(self, obj, display_id=None, raw=False):
        self.shown.append(obj)
        if display_id:
            self.handles.append(FakeHandle())
            return self.handles[-1]
        return None


class FakeModel:
    """Enough of a model for callbacks that only store things on it."""

    name = "fake"


def simulate_fit(callback, epochs, steps, clock=None, seconds_per_step=0.0, start=0.0):
    """Call the hooks ``fit`` calls, with made-up decreasing losses."""
    callback.set_params({"verbose": 1, "epochs": epochs, "steps": steps})
    callback.on_train_begin()
    for epoch in range(epochs):
        callback.on_epoch_begin(epoch)
        for batch in range(steps):
            if clock is not None:
                clock.now += seconds_per_step
            loss = start + 1.0 / (epoch + 1 + batch / steps)
            callback.on_train_batch_end(batch, {"loss": loss, "accuracy": 0.5})
        callback.on_epoch_end(epoch, {"loss": start + 1.0 / (epoch + 2), "accuracy": 0.6,
                                      "val_loss": start + 1.2 / (epoch + 2),
                                      "val_accuracy": 0.55})
    callback.on_train_end()


# ---- CurveLog and Throttle ----------------------------------------------------------


def test_curve_log_keeps_counting_epochs_across_fit_calls():
    log = CurveLog()
    log.start_fit()
    log.add_epoch({"loss": 1.0, "val_loss": 1.5})
    log.add_epoch({"loss": 0.8, "val_loss": 1.2})
    log.start_fit()
    log.add_batch(0.5, {"loss": 0.7})
    assert log.series("loss") == ([1, 2, 2.5], [1.0, 0.8, 0.7])  # running point included
    log.add_epoch({"loss": 0.6, "val_loss": 1.0})
    assert log.history == {"loss": [1.0, 0.8, 0.6], "val_loss": [1.5, 1.2, 1.0]}
    assert log.series("val_loss") == ([1, 2, 3], [1.5, 1.2, 1.0])
    assert log.fit_starts == [0, 2]
    assert log.metric_names() == ["loss"]
    assert log.best("val_loss") == (3, 1.0)


def test_curve_log_puts_loss_first_groups_validation_and_skips_learning_rate():
    log = CurveLog()
    log.add_epoch({"accuracy": 0.5, "loss": 1, "val_accuracy": 0.4, "val_loss": 2,
                   "learning_rate": 0.01})
    assert log.metric_names() == ["loss", "accuracy"]  # the loss first, as Keras prints


def test_throttle_waits_min_interval_and_every_n_batches():
    clock = FakeClock()
    throttle = Throttle(min_interval=1.0, every_n_batches=3, clock=clock)
    throttle.mark_done()
    allowed = []
    for step in range(1, 13):
        clock.now = step * 0.5
        allowed.append(throttle.ready())
    # needs 3 calls AND 1 s since the last action: at t=1.5 (3 calls), 3.0, 4.5, 6.0
    assert [i + 1 for i, ok in enumerate(allowed) if ok] == [3, 6, 9, 12]
    clock.now = 6.2
    assert not throttle.ready(count_batch=False)  # time alone decides at epoch end
    clock.now = 7.1
    assert throttle.ready(count_batch=False)


def test_throttle_rejects_a_bad_every_n_batches():
    with pytest.raises(ValueError, match="every_n_batches"):
        Throttle(every_n_batches=0)


# ---- LiveCurves ---------------------------------------------------------------------


def test_live_curves_redraw_is_throttled_on_a_fast_loop():
    clock, view = FakeClock(), FakeView()
    curves = LiveCurves(min_interval=0.5, clock=clock, view=view)
    curves.set_model(FakeModel())
    # 4 epochs x 50 steps of 10 ms: 2 s of training -> about 4 redraws, not 200
    simulate_fit(curves, epochs=4, steps=50, clock=clock, seconds_per_step=0.01)
    assert 3 <= len(view.draws) <= 9
    assert view.draws[-1] == 4  # the last epoch is always drawn
    # progress at most every 0.1 s (plus each epoch end and the end of training)
    assert len(view.progress_calls) <= 2 / 0.1 + 4 + 2
    assert view.progress_calls[-1][0] == 200


def test_live_curves_slow_epochs_are_each_drawn():
    clock, view = FakeClock(), FakeView()
    curves = LiveCurves(min_interval=0.5, clock=clock, view=view)
    curves.set_model(FakeModel())
    simulate_fit(curves, epochs=3, steps=2, clock=clock, seconds_per_step=1.0)
    assert {1, 2, 3} <= set(view.draws)


def test_live_curves_continue_across_two_fit_calls_and_new_instances():
    model = FakeModel()
    first = LiveCurves(view=FakeView())
    first.set_model(model)
    simulate_fit(first, epochs=3, steps=4)
    simulate_fit(first, epochs=2, steps=4)  # the same instance, a later cell
    assert len(first.history["loss"]) == 5
    assert first.log.fit_starts == [0, 3]
    later = LiveCurves(view=FakeView())  # a new instance in a later cell continues too
    later.set_model(model)
    simulate_fit(later, epochs=2, steps=4)
    assert later.log is first.log
    assert len(later.history["val_loss"]) == 7
    assert later.log.fit_starts == [0, 3, 5]
    fresh = LiveCurves(continue_run=False, view=FakeView())
    fresh.set_model(model)
    simulate_fit(fresh, epochs=1, steps=4)
    assert fresh.history["loss"] == [0.5]


def test_live_curves_outside_a_notebook_records_without_drawing():
    assert not in_notebook()
    curves = LiveCurves()
    curves.set_model(FakeModel())
    simulate_fit(curves, epochs=2, steps=3)
    assert curves.view is None
    assert curves.history["accuracy"] == [0.6, 0.6]
    image = curves.plot()
    assert image._repr_png_().startswith(PNG_MAGIC)
    assert repr(image) == "<PNG image: learning curves>"


def test_curves_display_updates_one_handle_and_draws_the_whole_run():
    display = FakeDisplay()
    model = FakeModel()
    first_cell = LiveCurves(view=CurvesDisplay(display_fn=display))
    first_cell.set_model(model)
    simulate_fit(first_cell, epochs=3, steps=2)
    second_cell = LiveCurves(view=CurvesDisplay(display_fn=display))
    second_cell.set_model(model)
    simulate_fit(second_cell, epochs=2, steps=2)
    # per cell: one progress line and one picture, each updated in place
    assert len(display.handles) == 4
    assert all(h.updates for h in display.handles)
    last = display.handles[3].updates[-1]
    assert last._repr_png_().startswith(PNG_MAGIC)
    figure = second_cell.view.figure
    loss_axes = [a for a in figure.axes if a.get_title() == "loss"][0]
    lines = {line.get_label(): line for line in loss_axes.get_lines()}
    assert list(lines["training"].get_xdata()) == [1, 2, 3, 4, 5]
    assert np.allclose(lines["validation"].get_ydata(), second_cell.history["val_loss"])
    assert [a.get_title() for a in figure.axes] == ["loss", "accuracy"]


def test_status_line_is_keras_style():
    assert format_logs({"loss": 0.31234, "accuracy": 0.9, "tiny": 0.00001234}) == (
        "loss: 0.3123 - accuracy: 0.9000 - tiny: 1.2340e-05")
    display = FakeDisplay()
    curves = LiveCurves(view=CurvesDisplay(display_fn=display))
    curves.set_model(FakeModel())
    simulate_fit(curves, epochs=2, steps=2)
    simulate_fit(curves, epochs=2, steps=2)
    label = curves.view.progress_line.label.value  # the live line below the bar
    assert label.startswith("Epoch 2/2 (epoch 4 of the run) - loss: ")
    assert "val_loss: 0.4000" in label


def test_live_curves_count_epochs_as_keras_after_an_initial_epoch():
    """fit(epochs=5, initial_epoch=3) runs Keras's epochs 4 and 5: the status says
    "Epoch 4/5" (not 1/5) and the bar starts where epoch 3 ended."""
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.zeros((8, 3), "float32"), np.zeros((8, 1), "float32")
    view = FakeView()
    model.fit(x, y, batch_size=4, epochs=5, initial_epoch=3, verbose=0,
              callbacks=[LiveCurves(view=view, min_interval=0)])
    positions = [done for done, _ in view.progress_calls]
    statuses = [status for _, status in view.progress_calls]
    assert view.starts == [10]  # 5 epochs of 2 steps: the bar covers Keras's epochs 1-5
    assert positions[0] == 7 and positions[-1] == 10
    assert statuses[0].startswith("Epoch 4/5 - ")
    assert statuses[-1].startswith("Epoch 5/5 - ")
    # the model's curve log continues: 2 epochs above, 3 more here, then epochs 4-5
    model.fit(x, y, batch_size=4, epochs=3, verbose=0, callbacks=[LiveCurves(view=view)])
    view.progress_calls.clear()
    model.fit(x, y, batch_size=4, epochs=5, initial_epoch=3, verbose=0,
              callbacks=[LiveCurves(view=view, min_interval=0)])
    assert view.progress_calls[-1][1].startswith("Epoch 5/5 (epoch 7 of the run) - ")


# ---- progress in notebooks ----------------------------------------------------------


def test_notebook_progress_counts_steps_and_prints_epoch_lines(capsys):
    display = FakeDisplay()
    progress = NotebookProgress(display_fn=display)
    seen = []
    original = progress.on_train_end

    def spy_end(logs=None):
        seen.append(progress.bar.done)
        original(logs)

    progress.on_train_end = spy_end
    simulate_fit(progress, epochs=2, steps=5)
    assert seen == [10]
    assert progress.bar is None  # closed
    assert len(display.handles) == 1  # one bar for the whole fit
    out = capsys.readouterr()
    assert "Epoch 2/2 - loss: 0.3333 - accuracy: 0.6000 - val_loss: 0.4000" in out.out + out.err


def test_notebook_progress_after_an_initial_epoch_counts_its_epochs_as_done():
    display = FakeDisplay()
    progress = NotebookProgress(display_fn=display, epoch_lines=False)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    texts = []
    original = progress._step
    progress._step = lambda logs, head="": (original(logs, head),
                                            texts.append(progress.bar.done))
    model.fit(np.zeros((8, 3), "float32"), np.zeros((8, 1), "float32"), batch_size=4,
              epochs=5, initial_epoch=3, verbose=0, callbacks=[progress])
    assert texts == [7, 8, 9, 10]  # the bar covers epochs 1-5; epochs 4 and 5 run


def test_choose_progress_callback(monkeypatch):
    from kerlite.callbacks import notebook_progress

    text_bar = object()
    assert choose_progress_callback([], lambda: text_bar) is text_bar  # not a notebook
    # outside a notebook LiveCurves draws nothing, so the text bar stays
    assert choose_progress_callback([LiveCurves()], lambda: text_bar) is text_bar
    assert choose_progress_callback([LiveCurves(view=FakeView())], lambda: text_bar) is None
    monkeypatch.setattr(notebook_progress, "in_notebook", lambda: True)
    assert isinstance(choose_progress_callback([], lambda: text_bar), NotebookProgress)
    assert choose_progress_callback([], lambda: text_bar, verbose=2) is text_bar
    assert choose_progress_callback([NotebookProgress()], lambda: text_bar) is None


# ---- optional dependencies ----------------------------------------------------------


def test_require_names_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # makes the import fail
    with pytest.raises(ImportError, match=r"pip install ipywidgets"):
        require("ipywidgets", "show the layer selector")


def test_live_curves_without_matplotlib_keep_training_and_say_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    curves = LiveCurves(view=CurvesDisplay(display_fn=FakeDisplay()))
    curves.set_model(FakeModel())
    with pytest.warns(RuntimeWarning, match="pip install matplotlib"):
        simulate_fit(curves, epochs=2, steps=3)
    assert curves.view is None and len(curves.history["loss"]) == 2


def test_notebook_progress_without_ipywidgets_prints_epoch_lines(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    display = FakeDisplay()
    progress = NotebookProgress(display_fn=display)
    simulate_fit(progress, epochs=2, steps=3)
    assert "Epoch 2/2 - loss: 0.3333" in capsys.readouterr().out
    final = display.handles[0].updates[-1]  # no widget, and still the static line
    assert "application/vnd.jupyter.widget-view+json" not in final
    assert "Epoch 2/2 - loss: 0.3333" in final["text/plain"]


def test_activation_figures_pick_a_picture_for_each_output_rank():
    from kerlite.widgets.inspector_plots import activation_figure, gradient_norm_figure

    rng = np.random.default_rng(0)
    maps = activation_figure(rng.random((6, 6, 4)), "conv", input_image=rng.random((8, 8, 1)))
    assert [a.get_title() for a in maps.axes] == ["input", "map 0", "map 1", "map 2", "map 3"]
    sequence = activation_figure(rng.random((10, 5)), "lstm")  # (steps, features): heatmap
    assert sequence.axes[0].get_images()[0].get_array().shape == (10, 5)
    bars = activation_figure(np.array([1.0, -2.0, 3.0]), "dense")
    assert len(bars.axes[0].patches) == 3
    strip = activation_figure(rng.random(500), "wide")  # too many bars: a heatmap strip
    assert strip.axes[0].get_images()[0].get_array().shape == (1, 500)
    norms = gradient_norm_figure({"a": 1e-4, "b": 1e-1})
    assert [t.get_text() for t in norms.axes[0].get_xticklabels()] == ["a", "b"]
    assert norms.axes[0].get_yscale() == "log"


def test_throttle_waits_longer_after_a_slow_action():
    from kerlite.widgets.curve_log import Throttle

    now = [0.0]
    throttle = Throttle(min_interval=0.5, clock=lambda: now[0])
    assert throttle.ready()
    now[0] = 2.0
    throttle.spent(2.0)  # the draw took 2 s: wait 4 x 2 s before the next one
    now[0] = 5.0
    assert not throttle.ready()
    now[0] = 10.5
    assert throttle.ready()
