"""LossWeightsExplorer: how the loss weight of each output changes what it learns.

    from kerlite.widgets import LossWeightsExplorer
    LossWeightsExplorer()

A model with two outputs (lesson 06's wide & deep network with an auxiliary head) is
compiled with ``loss_weights=[main_weight, aux_weight]``. Move the two sliders, press
**Run**: a fresh model trains (``LiveCurves`` reports the numbers as it goes), then one
panel per head shows its loss epoch by epoch, this run over the earlier ones. Give a
head the weight 0 and nothing trains it: its loss stays high, moving only because the
shared hidden layers change under it.
"""

import html

from kerlite.widgets.explorer_parts import (Explorer, float_slider, ipywidgets_module,
                                            message_html, on_change, picture_html)
from kerlite.widgets.live_curves import LiveCurves
from kerlite.common.optional import is_available
from kerlite.widgets.two_head_training import (HEADS, check_weights, heads_png, run_label,
                                               train_two_heads, two_head_data)
from kerlite.widgets.widget_curves import WidgetCurves


class LossWeightsExplorer(Explorer):
    """Train a two-output model with the loss weights of your choice, run after run.

    Args:
        main_weight, aux_weight: the starting loss weights (numbers >= 0).
        epochs: epochs per run (a run takes a second or two).
        n_samples: examples (80% train, 20% validation).
        run_first: train once with the starting weights right away, so the first view
            (and a stored notebook) already shows curves.
        seed: seed of the data, the initial weights and the data order.
    """

    def __init__(self, main_weight=1.0, aux_weight=0.2, epochs=30, n_samples=400,
                 run_first=True, seed=0):
        check_weights(main_weight, aux_weight)
        if not isinstance(epochs, int) or epochs < 1:
            raise ValueError(f"LossWeightsExplorer: epochs must be a positive integer. "
                             f"Received: epochs={epochs!r}")
        self.weights = (main_weight, aux_weight)
        self.epochs, self.seed = epochs, seed
        self.features, self.prices = two_head_data(n_samples, seed)
        self.runs = []  # {"main_weight", "aux_weight", "history"} per finished run
        self.progress = WidgetCurves()
        self.png = None
        self.widget = self._build_widget() if is_available("ipywidgets") else None
        if run_first:
            self.run()
        self._show()

    # ---- the computation (no widgets needed) ---------------------------------------
    def update(self, main_weight=None, aux_weight=None):
        """Choose new weights (nothing trains until ``run()``)."""
        weights = (self.weights[0] if main_weight is None else main_weight,
                   self.weights[1] if aux_weight is None else aux_weight)
        check_weights(*weights)
        self.weights = weights
        self._show()

    def run(self):
        """Train a fresh model with the current weights; return its history dict."""
        callback = LiveCurves(min_interval=0.3, view=self.progress, continue_run=False)
        history = train_two_heads(*self.weights, self.features, self.prices, self.epochs,
                                  self.seed, [callback])
        self.runs.append({"main_weight": self.weights[0], "aux_weight": self.weights[1],
                          "history": history})
        self.png = None
        self._show()
        return history

    def final_losses(self, run=-1):
        """``{"main_output": ..., "aux_output": ..., "total": ...}`` at the end of a run."""
        history = self.runs[run]["history"]
        losses = {head: history[f"{head}_loss"][-1] for head in HEADS}
        losses["total"] = history["loss"][-1]
        return losses

    # ---- what is shown -------------------------------------------------------------
    def heads_png(self):
        if self.png is None and self.runs:
            self.png = heads_png(self.runs)
        return self.png

    def runs_html(self):
        if not self.runs:
            return message_html("No run yet: choose the weights and press Run.")
        head = ("<tr><th>run</th><th>weights main / aux</th><th>main_output_loss</th>"
                "<th>aux_output_loss</th><th>loss (weighted sum)</th></tr>")
        rows = "".join(
            f"<tr><td>{number}</td><td>{run_label(run)}</td>"
            + "".join(f"<td>{value:.4f}</td>" for value in self.final_losses(number - 1).values())
            + "</tr>" for number, run in enumerate(self.runs, 1))
        return f'<table class="kerlite-runs" style="font-size:12px">{head}{rows}</table>'

    def static_html(self):
        caption = html.escape(
            "; ".join(f"run {n}: weights {run_label(run)}" for n, run in enumerate(self.runs, 1))
            or "no run yet")
        return picture_html(self.heads_png(), "loss of each head", caption)

    def summary(self):
        state = (f"{len(self.runs)} run{'s' if len(self.runs) > 1 else ''}" if self.runs
                 else "press Run to train")
        return (f"LossWeightsExplorer: loss_weights main {self.weights[0]:g} / aux "
                f"{self.weights[1]:g}, {self.epochs} epochs per run ({state})")

    # ---- the widget ----------------------------------------------------------------
    def _build_widget(self):
        widgets = ipywidgets_module("show the LossWeightsExplorer")
        self.controls = {"main_weight": float_slider("main head weight", self.weights[0],
                                                     0.0, 2.0, 0.1),
                         "aux_weight": float_slider("aux head weight", self.weights[1],
                                                    0.0, 2.0, 0.1)}
        on_change(self.controls.values(), self._controls_changed)
        self.run_button = widgets.Button(description="Run", icon="play", button_style="primary")
        self.run_button.on_click(lambda _button: self._run_clicked())
        self.status = widgets.HTML()
        self.progress.bar = widgets.IntProgress(value=0, min=0, max=1, description="training")
        self.progress.status = widgets.HTML()
        self.drawing, self.runs_view = widgets.HTML(), widgets.HTML()
        box = widgets.VBox([
            widgets.HBox(list(self.controls.values()) + [self.run_button]), self.status,
            widgets.HBox([self.progress.bar, self.progress.status]), self.drawing,
            self.runs_view])
        box.add_class("kerlite-loss-weights-explorer")
        return box

    def _training_text(self):
        return f" with weights {self.weights}"

    def _show(self):
        if self.widget is None:
            return
        self._sync_controls(dict(zip(("main_weight", "aux_weight"), self.weights)))
        self.drawing.value = self.static_html()
        self.runs_view.value = self.runs_html()
        weights = f"main {self.weights[0]:g} / aux {self.weights[1]:g}"
        last = self.runs[-1] if self.runs else None
        done = last is not None and (last["main_weight"], last["aux_weight"]) == self.weights
        self.status.value = message_html(f"run {len(self.runs)} done: weights {weights}" if done
                                         else f"next run: weights {weights} (press Run)")
