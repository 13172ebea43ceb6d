"""TapeGraph: the computation a ``GradientTape`` recorded, drawn value by value.

As in Karpathy's micrograd, every value is a box with its op, shape and value; with
gradients on, each box also shows d(target)/d(value), so the chain rule can be read off
the picture::

    a, b, c = keras.Variable(2.0, name="a"), keras.Variable(-3.0, name="b"), ...
    with keras.GradientTape() as tape:
        y = a * b + c
    graph = TapeGraph(y)              # build it BEFORE tape.gradient: that frees the record
    graph                             # a cell ending here shows the values
    grads = tape.gradient(y, [a, b, c])
    graph.with_gradients()            # ... and now the gradients (equal to `grads`)
    graph.stepper()                   # a "step backward" button: one gradient per click

The gradients are computed when the graph is built, by the tape's own backward walk
(``backpropagate``), for every value; ``with_gradients`` only chooses to show them.
"""

import copy
import html

from kerlite.common.optional import DOT_INSTALL_HINT
from kerlite.widgets.tape_graph_draw import array_text, fold, shape_text, tape_svg
from kerlite.widgets.tape_record import read_tape


class TapeGraph:
    """Draws what a ``GradientTape`` recorded on the way to ``target``.

    Args:
        target: the tensor the tape computed (a loss, ``y``...), before ``tape.gradient``
            ran on a non-persistent tape.
        names: optional ``{label: tensor}`` for values worth naming (``{"e": a * b}``);
            Variables are labelled with their path (``a``, ``dense/kernel``).
        gradients: show each value's gradient (d target / d value) at once.
        max_nodes: a longer graph folds its middle into one ``… k ops`` box.
    """

    def __init__(self, target, names=None, gradients=False, max_nodes=24):
        if max_nodes < 3:
            raise ValueError(f"TapeGraph: max_nodes must be at least 3, got {max_nodes}.")
        self.nodes = read_tape(target, names)
        self.max_nodes = max_nodes
        # how many values of backward_order() show their gradient (None: forward view)
        self.gradients_shown = len(self.nodes) if gradients else None

    # --- reading the graph ----------------------------------------------------------
    @property
    def target(self):
        return self.nodes[-1]

    def backward_order(self):
        """The values in the order the backward pass reaches them: target first.

        Each value comes after every value computed from it, so its gradient is complete
        (the sum over all its uses) when its turn comes.
        """
        return list(reversed(self.nodes))

    def node(self, label):
        """The first value with this label (``"a"``, ``"dense/kernel"``, ``"add"``)."""
        for node in self.nodes:
            if node.label == label:
                return node
        raise KeyError(f"TapeGraph has no value labelled {label!r}; labels: "
                       f"{sorted({node.label for node in self.nodes})}")

    def node_for(self, tensor):
        """The ``TapeNode`` of this very tensor (found by identity)."""
        for node in self.nodes:
            if node._tensor() is tensor:
                return node
        raise KeyError("TapeGraph: this tensor is not part of the recorded graph.")

    # --- what is shown --------------------------------------------------------------
    def with_gradients(self, steps=None):
        """A copy that shows the gradients: all of them, or the first ``steps`` values
        of ``backward_order()``."""
        shown = copy.copy(self)
        shown.gradients_shown = len(self.nodes) if steps is None else max(0, min(
            int(steps), len(self.nodes)))
        return shown

    def gradient_state(self, node):
        """``None`` (forward view), ``"shown"`` or ``"pending"`` (not reached yet)."""
        if self.gradients_shown is None:
            return None
        reached = len(self.nodes) - self.gradients_shown
        return "shown" if node.index >= reached else "pending"

    def newest(self):
        """The index of the value whose gradient was revealed last (while stepping)."""
        if self.gradients_shown in (None, 0, len(self.nodes)):
            return None
        return len(self.nodes) - self.gradients_shown

    def svg(self):
        """``(svg_text, drawn_by_graphviz)``."""
        items, arrows = fold(self.nodes, self.max_nodes)
        return tape_svg(items, arrows, self.gradient_state, self.newest())

    def stepper(self):
        """An ipywidgets view with a "step backward" button (needs ipywidgets)."""
        from kerlite.widgets.tape_stepper import BackwardStepper

        return BackwardStepper(self)

    # --- notebook and text views ----------------------------------------------------
    def _repr_svg_(self):
        return self.svg()[0]

    def _repr_html_(self):
        svg, by_graphviz = self.svg()
        return ('<div class="kerlite-tape-graph" style="font-family:Helvetica,Arial,'
                f'sans-serif;max-width:100%;overflow:auto">{svg}'
                f'<div style="font-size:11px;color:#555">{html.escape(self.caption())}</div>'
                f"{layout_note(by_graphviz)}</div>")

    def caption(self):
        count = sum(1 for node in self.nodes if node.kind == "op")
        text = f"{count} ops recorded, {len(self.nodes)} values."
        if self.gradients_shown is None:
            return text + " Gradients: not shown (call .with_gradients())."
        return (text + f" Gradient of {self.target.label} shown for "
                f"{self.gradients_shown} of {len(self.nodes)} values.")

    def __repr__(self):
        rows = [f"TapeGraph of {self.target.label}: {self.caption()}"]
        for node in self.nodes:
            parents = ", ".join(self.nodes[i].label for i in node.parents)
            row = (f"  {node.label:<14} {node.op:<10} {shape_text(node.shape):<14} "
                   f"value {array_text(node.value)}")
            state = self.gradient_state(node)
            if state == "shown":
                row += "  grad " + ("-" if node.grad is None else array_text(node.grad))
            if parents:
                row += f"  <- {parents}"
            rows.append(row)
        return "\n".join(rows)


def layout_note(by_graphviz):
    """Under a picture drawn without Graphviz: how to get the full layout."""
    if by_graphviz:
        return ""
    return ('<div class="kerlite-layout-note" style="font-size:11px;color:#777">Simple '
            f"layout. {html.escape(DOT_INSTALL_HINT)}</div>")

