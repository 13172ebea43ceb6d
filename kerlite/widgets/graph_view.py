"""``GraphView(model)``: the graph on the left, the chosen layer's details on the right.

Choose a layer in the drop-down: its box turns yellow in the graph, and the panel shows
its config, weight shapes, parameter count and a histogram of each weight. Without
ipywidgets (or without a browser: GitHub, nbviewer) the view is a static HTML picture of
the same thing for one layer.
"""

import html

from kerlite.widgets.figures import png_img_tag, show_png_in
from kerlite.widgets.layer_details import layer_details_html, weight_histograms_png
from kerlite.viz.model_graph import graph_svg
from kerlite.common.optional import install_hint, is_available


class GraphView:
    """An interactive view of ``model``'s graph with a layer selector.

    Args:
        model: a built model.
        layer: the layer name selected first (default: the first layer with weights).
    """

    def __init__(self, model, layer=None):
        self.model = model
        self.layer_names = [layer.name for layer in model.layers]
        if not self.layer_names:
            raise ValueError(f'GraphView: model "{model.name}" has no layers to show.')
        self.selected = layer or next(
            (l.name for l in model.layers if getattr(l, "weights", None)), self.layer_names[0])
        self._check_name(self.selected)
        self.widget = self._build_widget() if is_available("ipywidgets") else None

    def _check_name(self, name):
        if name not in self.layer_names:
            raise ValueError(f"GraphView: no layer named {name!r} in model "
                             f'"{self.model.name}". Layers: {self.layer_names}')

    # ---- the three parts of the view --------------------------------------------------

    def graph_html(self):
        svg, _ = graph_svg(self.model, highlight=self.selected)
        return f'<div style="max-height:560px;overflow:auto">{svg}</div>'

    def details_html(self):
        details = layer_details_html(self.model.get_layer(self.selected))
        if not is_available("matplotlib"):
            details += ('<div style="font-size:11px;color:#777">Weight histograms need '
                        f"matplotlib: {html.escape(install_hint('matplotlib'))}.</div>")
        return details

    def histogram_png(self):
        if not is_available("matplotlib"):
            return None  # details_html says what to install
        return weight_histograms_png(self.model.get_layer(self.selected))

    # ---- interaction ---------------------------------------------------------------

    def select(self, name):
        """Show layer ``name`` (as choosing it in the drop-down does)."""
        self._check_name(name)
        if self.widget is not None and self._dropdown.value != name:
            self._dropdown.value = name  # the observer below redraws
            return
        self.selected = name
        if self.widget is not None:
            self._refresh_parts()

    def _build_widget(self):
        import ipywidgets as w

        self._dropdown = w.Dropdown(options=self.layer_names, value=self.selected,
                                    description="layer")
        self._graph = w.HTML(layout=w.Layout(width="38%", overflow="auto"))
        self._details = w.HTML()
        self._histogram = w.Image(format="png")
        self._dropdown.observe(lambda change: self.select(change["new"]), names="value")
        side = w.VBox([self._dropdown, self._details, self._histogram],
                      layout=w.Layout(width="60%"))
        box = w.HBox([self._graph, side])
        box.add_class("kerlite-graph-view")
        self._refresh_parts()
        return box

    def _refresh_parts(self):
        self._graph.value = self.graph_html()
        self._details.value = self.details_html()
        show_png_in(self._histogram, self.histogram_png())

    # ---- display -------------------------------------------------------------------

    def static_html(self):
        """The view for one layer as plain HTML (no widget, no JavaScript)."""
        png = self.histogram_png()
        image = png_img_tag(png, f"weights of {self.selected}") if png else ""
        hint = "" if self.widget is not None else (
            '<div style="font-size:11px;color:#777">Static view. For the layer selector '
            f"install ipywidgets: {html.escape(install_hint('ipywidgets'))}.</div>")
        return ('<div style="display:flex;gap:16px;align-items:flex-start">'
                f'<div style="width:48%">{self.graph_html()}</div>'
                f'<div style="width:50%">{self.details_html()}{image}</div></div>{hint}')

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self), "text/html": self.static_html()}
        if self.widget is not None:
            bundle.update(self.widget._repr_mimebundle_() or {})
            bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self):
        return f'<GraphView of model "{self.model.name}", layer "{self.selected}">'
