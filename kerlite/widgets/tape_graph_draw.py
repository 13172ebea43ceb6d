"""How a ``TapeGraph`` looks: the text in each box, long chains folded, DOT and SVG.

Every box says what the value is (its label or op), its shape, its value and, once the
backward pass has reached it, its gradient. A chain longer than ``max_nodes`` keeps its
first and last boxes and folds the middle into one dashed ``… k ops`` box. The picture
is drawn by Graphviz's ``dot`` when installed (left to right, as in micrograd), else by
the same built-in layered drawing the model graph uses.
"""

import html
from dataclasses import dataclass

import numpy as np

from kerlite.viz.layered_svg import DrawnBox, boxes_svg
from kerlite.viz.model_graph import HIGHLIGHT_FILL, NODE_FILL, dot_to_svg

FILLS = {"op": NODE_FILL, "variable": "#fff4d6", "constant": "#f2f2f2"}
GRAD_FILL = "#dff2df"
FOLDED_FILL = "#ffffff"
FOLDED_KEY = "folded"
SMALL_ARRAY = 4  # arrays up to this many entries show every entry


def number_text(x):
    """A number in at most 4 significant digits: ``2``, ``-0.1235``, ``1.5e-05``."""
    return f"{float(x):.4g}"


def array_lines(array):
    """A scalar as a number, a small array in full, a larger one as mean, then min/max."""
    array = np.asarray(array)
    if array.size == 1:
        return [number_text(array.reshape(()))]
    if array.dtype.kind not in "biuf":
        return [f"{array.dtype} array"]
    if array.size <= SMALL_ARRAY:
        return ["[" + ", ".join(number_text(v) for v in array.ravel()) + "]"]
    return [f"mean {number_text(array.mean())}",
            f"min {number_text(array.min())}, max {number_text(array.max())}"]


def array_text(array):
    """``array_lines`` on one line (for text views)."""
    return ", ".join(array_lines(array))


def shape_text(shape):
    return "scalar" if shape == () else f"shape {shape}"


def title_text(node):
    """``a`` for a Variable, ``multiply`` for an unnamed op, ``e = multiply`` if named."""
    if node.kind == "op" and node.label != node.op:
        return f"{node.label} = {node.op}"
    return node.label


def node_lines(node, gradient_state):
    """The box's lines. ``gradient_state``: None (forward view), "shown" or "pending"."""
    lines = [title_text(node), shape_text(node.shape)] + labelled("value", node.value)
    if gradient_state == "pending":
        lines.append("grad ?")
    elif gradient_state == "shown":
        lines += ["no gradient"] if node.grad is None else labelled("grad", node.grad)
    return lines


def labelled(name, array):
    """``["value 2"]``, or ``["value mean 0.5", "min 0, max 1"]`` for a larger array."""
    first, *rest = array_lines(array)
    return [f"{name} {first}"] + rest


@dataclass
class Folded:
    """The middle of a long chain, drawn as one box."""

    nodes: list

    @property
    def lines(self):
        ops = sum(1 for node in self.nodes if node.kind == "op")
        return [f"… {ops} ops", f"({len(self.nodes)} values folded)"]


def fold(nodes, max_nodes):
    """``(items, arrows)``: nodes (and at most one ``Folded``) with arrows between keys.

    With more than ``max_nodes`` nodes, the first ``(max_nodes - 1) // 2`` and the last
    ones stay; the rest becomes one ``Folded`` box taking all their arrows.
    """
    if len(nodes) <= max_nodes:
        kept, folded = list(nodes), None
    else:
        head = (max_nodes - 1) // 2
        tail = max_nodes - 1 - head
        folded = Folded(nodes[head:len(nodes) - tail])
        kept = nodes[:head] + [folded] + nodes[len(nodes) - tail:]
    folded_indices = {node.index for node in folded.nodes} if folded else set()

    def key(index):
        return FOLDED_KEY if index in folded_indices else f"n{index}"

    arrows = []
    for node in nodes:
        for parent in node.parents:
            arrow = (key(parent), key(node.index))
            if arrow[0] != arrow[1] and arrow not in arrows:
                arrows.append(arrow)
    return kept, arrows


def item_key(item):
    return FOLDED_KEY if isinstance(item, Folded) else f"n{item.index}"


def _dot_table(lines, fill, grad_fill=None, dashed=False, pen=1):
    rows, in_grad = [], False
    for i, line in enumerate(lines):
        text = html.escape(line)
        if i == 0:
            text = f"<b>{text}</b>"
        in_grad = in_grad or line.startswith("grad ")  # the grad lines come last
        cell_fill = f' bgcolor="{grad_fill}"' if grad_fill and in_grad else ""
        rows.append(f"<tr><td{cell_fill}>{text}</td></tr>")
    style = "dashed" if dashed else "rounded"
    return (f'<<table border="{pen}" cellborder="0" cellspacing="0" cellpadding="2" '
            f'bgcolor="{fill}" color="#4a6fa5" style="{style}">{"".join(rows)}</table>>')


def tape_dot(items, arrows, gradient_state, newest=None, rankdir="LR"):
    """Graphviz DOT text; ``gradient_state(node)`` says what each box shows of its grad."""
    lines = ["digraph tape {",
             f"  graph [rankdir={rankdir}, nodesep=0.2, ranksep=0.35];",
             '  node [shape=plaintext, fontname="Helvetica", fontsize=10];',
             '  edge [color="#555555", arrowsize=0.7];']
    for item in items:
        if isinstance(item, Folded):
            label = _dot_table(item.lines, FOLDED_FILL, dashed=True)
        else:
            state = gradient_state(item)
            fill = HIGHLIGHT_FILL if item.index == newest else FILLS[item.kind]
            label = _dot_table(node_lines(item, state), fill, GRAD_FILL,
                               pen=2 if item.index == newest else 1)
        lines.append(f"  {item_key(item)} [label={label}];")
    lines += [f"  {source} -> {target};" for source, target in arrows]
    lines.append("}")
    return "\n".join(lines) + "\n"


def tape_svg(items, arrows, gradient_state, newest=None):
    """``(svg_text, drawn_by_graphviz)``: Graphviz when ``dot`` exists, else built-in."""
    svg = dot_to_svg(tape_dot(items, arrows, gradient_state, newest))
    if svg is not None:
        return svg.strip(), True
    boxes = []
    for item in items:
        if isinstance(item, Folded):
            boxes.append(DrawnBox(FOLDED_KEY, item.lines, FOLDED_FILL, 1, item.lines[0]))
            continue
        fill = HIGHLIGHT_FILL if item.index == newest else FILLS[item.kind]
        lines = node_lines(item, gradient_state(item))
        boxes.append(DrawnBox(item_key(item), lines, fill,
                              2 if item.index == newest else 1, lines[0]))
    return boxes_svg(boxes, arrows), False
