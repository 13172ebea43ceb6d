"""A model's layer graph as plain data, as DOT text, and as SVG.

``model_graph(model)`` reads the graph the functional API recorded (each layer's
inbound nodes, each input tensor's ``_keras_history``) into boxes and arrows. Two
drawings read that data: ``graph_dot`` writes Graphviz DOT text (rendered by the
``dot`` program when it is installed) and ``layered_svg`` draws a simple SVG itself,
so a learner without Graphviz still sees the graph.
"""

import re
import subprocess
from dataclasses import dataclass

from kerlite.viz.summary_utils import model_nodes, output_shape_text, type_name
from kerlite.common.optional import dot_program

HIGHLIGHT_FILL = "#ffd966"
NODE_FILL = "#e8f0fb"


@dataclass
class GraphBox:
    """One layer as a box of the drawing."""

    name: str
    class_name: str
    output_shape: str
    layer: object


def model_graph(model):
    """``(boxes, arrows)``: one ``GraphBox`` per layer, arrows as ``(from, to)`` names.

    A model whose layers were never called on symbolic tensors (a Sequential without
    an input shape) has no recorded graph: its layers are chained in order.
    """
    layers = list(model.layers)
    own_nodes = {id(node) for node in model_nodes(model)}
    order, arrows = {}, []
    for layer in layers:
        for node in getattr(layer, "_inbound_nodes", []):
            if own_nodes and id(node) not in own_nodes:
                continue
            for tensor in node.input_tensors:
                history = getattr(tensor, "_keras_history", None)
                if history is None:
                    continue
                source = history[0]
                order.setdefault(id(source), source)
                arrow = (source.name, layer.name)
                if arrow not in arrows:
                    arrows.append(arrow)
        order.setdefault(id(layer), layer)
    if not arrows and len(layers) > 1:
        arrows = [(a.name, b.name) for a, b in zip(layers, layers[1:])]
    known = [layer for layer in order.values()]
    # sources that are not listed in model.layers (a Sequential's input) come first
    extra = [layer for layer in known if all(layer is not other for other in layers)]
    boxes = [GraphBox(layer.name, type_name(layer), output_shape_text(layer), layer)
             for layer in extra + layers]
    return boxes, arrows


def box_label_lines(box):
    """The text lines inside a layer's box."""
    lines = [f"{box.name} ({box.class_name})"]
    if box.output_shape != "?":
        lines.append(box.output_shape)
    return lines


def graph_dot(model, highlight=None, rankdir="TB"):
    """Graphviz DOT text of the model's graph; the ``highlight`` layer is filled yellow."""
    boxes, arrows = model_graph(model)
    lines = [f'digraph "{_dot_escape(model.name)}" {{',
             f"  graph [rankdir={rankdir}, nodesep=0.25, ranksep=0.3];",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=9, '
             f'height=0.3, margin="0.1,0.04", fillcolor="{NODE_FILL}", color="#4a6fa5"];',
             '  edge [color="#555555", arrowsize=0.7];']
    for box in boxes:
        label = "\\n".join(_dot_escape(line) for line in box_label_lines(box))
        fill = f', fillcolor="{HIGHLIGHT_FILL}", penwidth=2' if box.name == highlight else ""
        lines.append(f'  "{_dot_escape(box.name)}" [label="{label}"{fill}];')
    for source, target in arrows:
        lines.append(f'  "{_dot_escape(source)}" -> "{_dot_escape(target)}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_escape(text):
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


def dot_to_svg(dot_text, timeout=20):
    """Render DOT text with Graphviz's ``dot`` program; None when ``dot`` is missing.

    The XML prologue and comments are removed so the SVG can sit inside HTML.
    """
    program = dot_program()
    if program is None:
        return None
    try:
        done = subprocess.run([program, "-Tsvg"], input=dot_text.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    svg = done.stdout.decode("utf-8")
    svg = svg[svg.find("<svg"):]
    return re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)


def graph_svg(model, highlight=None):
    """``(svg_text, drawn_by_graphviz)``: Graphviz when ``dot`` exists, else our layout."""
    svg = dot_to_svg(graph_dot(model, highlight))
    if svg is not None:
        return svg, True
    from kerlite.viz.layered_svg import layered_svg

    return layered_svg(model, highlight), False
