"""``Inspector(model, x_sample)``: look inside each layer for one input sample.

Choose a layer: see what it produced for the sample (feature maps for a convolution,
bars or a heatmap for dense and sequence layers) and a few numbers (mean, spread,
how many outputs are exactly zero: dead ReLUs). After
``inspector.gradient_norms(x, y, loss)`` a bar chart shows how large the gradient is
at each layer for one batch. Without a front end the same pictures are static images.
"""

import numpy as np

from kerlite.widgets.figures import PngImage, figure_png, show_png_in
from kerlite.widgets.inspector_plots import activation_figure, gradient_norm_figure
from kerlite.widgets.layer_probes import (activation_model, activation_stats,
                                          gradient_norms, layer_activations)
from kerlite.common.optional import install_hint, is_available


class Inspector:
    """Activations and gradient norms of ``model``'s layers, for a sample ``x_sample``.

    Args:
        model: a built model with symbolic inputs (Sequential with an Input, functional).
        x_sample: a batch of inputs (a few samples are enough).
        layer: the layer shown first (default: the first layer that is not an input).
    """

    def __init__(self, model, x_sample, layer=None):
        self.model = model
        self.x_sample = np.asarray(x_sample)
        self.layer_names = [l.name for l in model.layers if type(l).__name__ != "InputLayer"]
        self.selected = layer or self.layer_names[0]
        self.sample_index = 0
        self.norms = None
        self._probe = activation_model(model, self.layer_names)
        self._activations = None
        self.can_draw = is_available("matplotlib")
        can_show_widget = self.can_draw and is_available("ipywidgets")
        self.widget = self._build_widget() if can_show_widget else None

    # ---- data ------------------------------------------------------------------------

    def activations(self, layer=None):
        """The named layer's output for ``x_sample`` (batch first), as a NumPy array."""
        if self._activations is None:
            self._activations = layer_activations(self.model, self.x_sample,
                                                  self.layer_names, self._probe)
        name = layer or self.selected
        if name not in self._activations:
            raise ValueError(f"Inspector: no layer named {name!r}. "
                             f"Layers: {self.layer_names}")
        return self._activations[name]

    def refresh(self):
        """Recompute the activations (after training changed the weights) and redraw."""
        self._activations = None
        self._update_widget()

    def gradient_norms(self, x, y, loss):
        """Per-layer gradient norms for one batch (also drawn in the view)."""
        self.norms = gradient_norms(self.model, x, y, loss)
        self._update_widget()
        return self.norms

    # ---- pictures --------------------------------------------------------------------

    def activation_png(self):
        values = self.activations()[self.sample_index]
        sample = self.x_sample[self.sample_index]
        is_image = sample.ndim == 3 and sample.shape[-1] in (1, 3)
        title = f"{self.selected}, sample {self.sample_index}"
        return figure_png(activation_figure(values, title, sample if is_image else None))

    def show_activations(self, layer=None, sample_index=0):
        """A static picture of one layer's activations (displays itself)."""
        if layer is not None:
            self.activations(layer)  # checks the name
            self.selected = layer
        self.sample_index = sample_index
        return PngImage(self.activation_png(), f"activations of {self.selected}")

    def plot_gradient_norms(self):
        """A static bar chart of the last ``gradient_norms`` result."""
        if self.norms is None:
            raise ValueError("Call inspector.gradient_norms(x, y, loss) first: there are "
                             "no gradient norms to draw yet.")
        return PngImage(figure_png(gradient_norm_figure(self.norms)), "gradient norms")

    def stats_text(self):
        values = self.activations()
        stats = activation_stats(values[self.sample_index])
        return (f"{self.selected}: output shape {values.shape[1:]} per sample - "
                f"mean {stats['mean']:.3f}, std {stats['std']:.3f}, "
                f"exactly zero {100 * stats['zero_fraction']:.0f}%")

    # ---- widget ----------------------------------------------------------------------

    def _build_widget(self):
        import ipywidgets as w

        self._layer_box = w.Dropdown(options=self.layer_names, value=self.selected,
                                     description="layer")
        self._sample_box = w.IntSlider(value=0, min=0, max=max(len(self.x_sample) - 1, 0),
                                       description="sample")
        self._sample_box.layout.display = None if len(self.x_sample) > 1 else "none"
        self._stats = w.Label()
        self._picture = w.Image(format="png")
        self._gradients = w.Image(format="png")
        self._layer_box.observe(self._on_change, names="value")
        self._sample_box.observe(self._on_change, names="value")
        box = w.VBox([w.HBox([self._layer_box, self._sample_box]), self._stats,
                      self._picture, self._gradients])
        box.add_class("kerlite-inspector")
        self.widget = box
        self._update_widget()
        return box

    def _on_change(self, change):
        self.selected = self._layer_box.value
        self.sample_index = self._sample_box.value
        self._update_widget()

    def _update_widget(self):
        if getattr(self, "widget", None) is None:
            return
        self._stats.value = self.stats_text()
        show_png_in(self._picture, self.activation_png())
        norms_png = None if self.norms is None else figure_png(gradient_norm_figure(self.norms))
        show_png_in(self._gradients, norms_png)

    def _repr_mimebundle_(self, include=None, exclude=None):
        if not self.can_draw:
            return {"text/plain": f"{self!r}\n{self.stats_text()}\nThe pictures need "
                                  f"matplotlib: {install_hint('matplotlib')}."}
        bundle = {"image/png": self.activation_png()}
        if self.widget is not None:
            bundle.update(self.widget._repr_mimebundle_() or {})
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self):
        return f'<Inspector of model "{self.model.name}", layer "{self.selected}">'
