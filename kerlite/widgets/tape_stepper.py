"""A "step backward" button over a ``TapeGraph``: the chain rule, one value per click.

Each click reveals the gradient of the next value in ``backward_order()`` (the target
first, the leaves last) and says how it was obtained. Without a kernel (GitHub,
nbviewer) the stored output still shows the static picture of the current step.
"""

import html

from kerlite.common.optional import require
from kerlite.widgets.tape_graph_draw import array_text


class BackwardStepper:
    """``TapeGraph.stepper()``: buttons "step backward" / "reset" above the drawing.

    ``graph`` is the TapeGraph as currently shown; ``step()`` and ``reset()`` do what
    the buttons do.
    """

    def __init__(self, graph):
        widgets = require("ipywidgets", "step through the backward pass")
        self.graph = graph.with_gradients(steps=0)
        self.step_button = widgets.Button(description="step backward", icon="step-backward")
        self.reset_button = widgets.Button(description="reset")
        self.status = widgets.HTML()
        self.picture = widgets.HTML()
        self.step_button.on_click(lambda _button: self.step())
        self.reset_button.on_click(lambda _button: self.reset())
        self.widget = widgets.VBox([
            widgets.HBox([self.step_button, self.reset_button, self.status]), self.picture])
        self._draw()

    def step(self):
        """Reveal one more gradient (nothing happens once all are shown)."""
        if self.graph.gradients_shown < len(self.graph.nodes):
            self.graph = self.graph.with_gradients(self.graph.gradients_shown + 1)
        self._draw()

    def reset(self):
        self.graph = self.graph.with_gradients(steps=0)
        self._draw()

    def revealed(self):
        """The values whose gradients are shown, in the order they were revealed."""
        return self.graph.backward_order()[: self.graph.gradients_shown]

    def status_text(self):
        shown, total = self.graph.gradients_shown, len(self.graph.nodes)
        if shown == 0:
            return f"0/{total}: press “step backward” to start at {self.graph.target.label}"
        node = self.revealed()[-1]
        grad = "none (constant)" if node.grad is None else array_text(node.grad)
        derivative = derivative_text(self.graph.target.label, node.label)
        if node is self.graph.target:
            return f"{shown}/{total}: {derivative} = {grad} (the start)"
        users = [other.label for other in self.graph.nodes if node.index in other.parents]
        return f"{shown}/{total}: {derivative} = {grad}, chain rule through {', '.join(users)}"

    def _draw(self):
        self.step_button.disabled = self.graph.gradients_shown >= len(self.graph.nodes)
        self.picture.value = self.graph._repr_html_()
        self.status.value = html.escape(self.status_text())  # last: says the step is drawn

    def _repr_mimebundle_(self, **kwargs):
        # the live widget for a kernel; the static picture for GitHub/nbviewer
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle = bundle[0] if isinstance(bundle, tuple) else bundle
        bundle["text/html"] = (f'<div style="font-size:12px">{html.escape(self.status_text())}'
                               f"</div>{self.graph._repr_html_()}")
        bundle["text/plain"] = f"BackwardStepper: {self.status_text()}"
        return bundle


def derivative_text(of, by):
    """``dy/da`` for one-letter names, ``d(loss)/d(dense/kernel)`` otherwise."""
    if len(of) == 1 and len(by) == 1:
        return f"d{of}/d{by}"
    return f"d({of})/d({by})"
