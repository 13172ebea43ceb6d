"""TrainingExplorer: learning rate, optimizer, batch size and width on the spirals.

    from kerlite.widgets import TrainingExplorer
    TrainingExplorer()

Choose the settings, press **Run**: a fresh network trains for a few seconds with
``LiveCurves`` drawing its curves, then the decision boundary it learnt is drawn over
the points. Every run starts from the same seeded weights, so what changes between two
runs is only what you changed. A table keeps each run's settings and final numbers.
"""

from kerlite.widgets.explorer_parts import (Explorer, choice_slider, dropdown,
                                            ipywidgets_module, message_html, on_change,
                                            picture_html)
from kerlite.widgets.live_curves import LiveCurves
from kerlite.common.optional import is_available
from kerlite.widgets.spiral_training import (BATCH_SIZES, LEARNING_RATES, OPTIMIZERS, WIDTHS,
                                             TrainingSettings, boundary_png, check_settings,
                                             spiral_data, spiral_model, train_spirals)
from kerlite.widgets.widget_curves import WidgetCurves


class TrainingExplorer(Explorer):
    """Train a small network on two spirals with the settings of your choice.

    Args:
        optimizer, learning_rate, batch_size, width: the starting settings
            (``width``: units in each of the two hidden layers).
        epochs: epochs per run (each run takes a few seconds).
        n_samples: spiral points (80% train, 20% validation).
        run_first: train once with the starting settings right away, so the first view
            (and a stored notebook) already shows curves and a learnt boundary.
        seed: seed of the data, the initial weights and the data order.
    """

    def __init__(self, optimizer="adam", learning_rate=0.01, batch_size=16, width=16,
                 epochs=60, n_samples=300, run_first=True, seed=0):
        if not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"TrainingExplorer: epochs must be a positive integer. "
                             f"Received: epochs={epochs!r}")
        self.settings = TrainingSettings(optimizer, learning_rate, batch_size, width)
        check_settings(self.settings)
        self.epochs, self.seed = epochs, seed
        self.points, self.labels = spiral_data(n_samples, seed)
        self.runs = []  # one dict per finished run: settings and final numbers
        self.history, self.model, self.trained = {}, None, False
        self.boundary = None
        self.curves = WidgetCurves()
        self.widget = self._build_widget() if is_available("ipywidgets") else None
        self._prepare()
        if run_first:
            self.run()

    # ---- the computation (no widgets needed) ---------------------------------------
    def update(self, **changes):
        """Change settings (``learning_rate=0.1``, ``optimizer="sgd"``...); nothing trains
        until ``run()``. The boundary shows the fresh, untrained network."""
        settings = self.settings._replace(**changes)
        check_settings(settings)
        self.settings = settings
        self._prepare()

    def _prepare(self):
        self.model = spiral_model(self.settings.width, self.seed)
        self.trained = False
        self.boundary = None
        self._show()

    def run(self):
        """Train a fresh network for ``epochs`` epochs; return its history dict."""
        callback = LiveCurves(min_interval=0.3, title=self.run_title(), view=self.curves,
                              continue_run=False)
        self.model, self.history = train_spirals(self.settings, self.points, self.labels,
                                                 self.epochs, self.seed, [callback])
        self.trained, self.boundary = True, None
        final = {name: values[-1] for name, values in self.history.items()}
        self.runs.append({**self.settings._asdict(), **final})
        self._show()
        return self.history

    def run_title(self):
        s = self.settings
        return (f"{s.optimizer}, learning rate {s.learning_rate}, batch {s.batch_size}, "
                f"width {s.width}")

    # ---- what is shown -------------------------------------------------------------
    def boundary_png(self):
        if self.boundary is None:
            state = "after training" if self.trained else "untrained"
            self.boundary = boundary_png(self.model, self.points, self.labels,
                                         f"width {self.settings.width}, {state}")
        return self.boundary

    def runs_html(self):
        if not self.runs:
            return message_html("No run yet: choose the settings and press Run.")
        head = ("<tr><th>run</th><th>optimizer</th><th>learning rate</th><th>batch</th>"
                "<th>width</th><th>loss</th><th>val_accuracy</th></tr>")
        rows = "".join(
            f"<tr><td>{number}</td><td>{run['optimizer']}</td><td>{run['learning_rate']}</td>"
            f"<td>{run['batch_size']}</td><td>{run['width']}</td><td>{run['loss']:.4f}</td>"
            f"<td>{run['val_accuracy']:.3f}</td></tr>"
            for number, run in enumerate(self.runs, 1))
        return f'<table class="kerlite-runs" style="font-size:12px">{head}{rows}</table>'

    def static_html(self):
        """The boundary and the last run's curves (numbers only inside the pictures)."""
        boundary = picture_html(self.boundary_png(), "decision boundary")
        curves = picture_html(self.curves.last_png, "learning curves") if self.trained else ""
        return f'<div style="display:flex;gap:12px;align-items:flex-start">{boundary}{curves}</div>'


    def summary(self):
        state = (f"{len(self.runs)} run{'s' if len(self.runs) > 1 else ''}" if self.runs
                 else "press Run to train")
        return (f"TrainingExplorer on {len(self.points)} spiral points: {self.run_title()}, "
                f"{self.epochs} epochs per run ({state})")

    # ---- the widget ----------------------------------------------------------------
    def _build_widget(self):
        widgets = ipywidgets_module("show the TrainingExplorer")
        s = self.settings
        self.controls = {
            "optimizer": dropdown("optimizer", sorted(OPTIMIZERS), s.optimizer),
            "learning_rate": choice_slider("learning rate", _with(LEARNING_RATES, s.learning_rate),
                                           s.learning_rate),
            "batch_size": choice_slider("batch size", _with(BATCH_SIZES, s.batch_size),
                                        s.batch_size),
            "width": choice_slider("width", _with(WIDTHS, s.width), s.width),
        }
        on_change(self.controls.values(), self._controls_changed)
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary")
        self.run_button.on_click(lambda _button: self._run_clicked())
        self.status = widgets.HTML()
        self.curves.bar = widgets.IntProgress(value=0, min=0, max=1, description="training")
        self.curves.status, self.curves.picture = widgets.HTML(), widgets.HTML()
        self.boundary_view = widgets.HTML()
        self.runs_view = widgets.HTML()
        controls = list(self.controls.values())
        box = widgets.VBox([
            widgets.HBox(controls[:2]), widgets.HBox(controls[2:] + [self.run_button]),
            self.status, widgets.HBox([self.curves.bar, self.curves.status]),
            widgets.HBox([self.boundary_view, self.curves.picture]), self.runs_view])
        box.add_class("kerlite-training-explorer")
        return box

    def _training_text(self):
        return f": {self.run_title()}"

    def _show(self):
        if self.widget is None:
            return
        self._sync_controls(self.settings._asdict())
        self.boundary_view.value = picture_html(self.boundary_png(), "decision boundary")
        self.runs_view.value = self.runs_html()
        self.status.value = message_html(
            f"run {len(self.runs)} done: {self.run_title()}" if self.trained
            else f"ready: {self.run_title()} (press Run)")


def _with(options, value):
    """The slider's options, with ``value`` added in order when it is not one of them."""
    return sorted(set(options) | {value})
