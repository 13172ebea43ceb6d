"""``model.summary()``: read the layer graph into plain rows, then draw them.

``summary_rows(model)`` reads the graph once (through ``graph_reading``: each layer's
inbound nodes give its output shape, each input tensor's ``_keras_history`` gives the
"Connected to" entries) and returns plain data. Two views render those rows:
``print_summary`` (the Keras 3 box table, fixed width, no colour) and ``summary_html``
(an HTML ``<table>`` for notebooks).
"""

import html
import math
import re
from dataclasses import dataclass, field

from kerlite.viz import text_table
from kerlite.common.io_utils import print_msg
from kerlite.viz.graph_reading import (connections, is_model, is_sequential_like,
                                         model_nodes, output_shape_text,
                                         top_level_layers, type_name)

_BYTES_PER_ITEM = {"bfloat16": 2, "float16": 2, "float32": 4, "float64": 8, "int8": 1,
                   "uint8": 1, "int16": 2, "int32": 4, "int64": 8, "bool": 1}


@dataclass
class SummaryRow:
    """One line of the summary: a layer as plain data."""

    name: str
    class_name: str
    output_shape: str  # "(None, 64)", or "?" before the layer has been called
    param_count: int
    built: bool
    connected_to: list = field(default_factory=list)  # ["dense[0][0]", ...]
    trainable: object = None  # True / False, or None for a layer without weights
    depth: int = 0  # 0: a layer of the model; 1: inside a nested model; ...


def _layer_row(layer, depth, relevant_nodes):
    built = getattr(layer, "built", True)
    has_weights = bool(getattr(layer, "weights", []))
    return SummaryRow(
        name=layer.name,
        class_name=type_name(layer),
        output_shape=output_shape_text(layer),
        param_count=layer.count_params() if built and hasattr(layer, "count_params") else 0,
        built=built,
        connected_to=connections(layer, relevant_nodes),
        trainable=bool(layer.trainable) if has_weights else None,
        depth=depth,
    )


def _layer_range_bounds(layers, layer_range):
    """``[start, stop)`` indices of the layers named by two regexes (both inclusive)."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2 or not all(isinstance(p, str) for p in layer_range):
        raise ValueError(
            "layer_range must be a list or tuple of two strings: the first and the last "
            f"layer name to show (regular expressions allowed). Received: {layer_range!r}"
        )
    first = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    last = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not first or not last:
        raise ValueError(
            f"layer_range={layer_range!r} matches no layer of the model. Layer names: "
            f"{[layer.name for layer in layers]}"
        )
    if min(first) > max(last):
        return min(last), max(first) + 1
    return min(first), max(last) + 1


def summary_rows(model, expand_nested=False, layer_range=None):
    """One ``SummaryRow`` per layer, in graph order; nested models expand on request.

    Args:
        model: a Functional or Sequential model (or any model with ``.layers``).
        expand_nested: also list the layers inside nested models, one level deeper.
        layer_range: two layer names (regexes) bounding the top-level rows shown.
    """
    relevant_nodes = [] if is_sequential_like(model) else model_nodes(model)

    def rows_for(layer, depth):
        rows = [_layer_row(layer, depth, relevant_nodes)]
        if expand_nested and is_model(layer) and layer.layers:
            for inner in layer.layers:
                rows += rows_for(inner, depth + 1)
        return rows

    layers = top_level_layers(model)
    start, stop = _layer_range_bounds(layers, layer_range)
    rows = []
    for layer in layers[start:stop]:
        rows += rows_for(layer, 0)
    return rows


# ---- parameter totals --------------------------------------------------------------


def _count_and_bytes(weights):
    """How many numbers ``weights`` hold, and how many bytes (each weight counted once)."""
    unique = {id(w): w for w in weights}.values()
    count = size = 0
    for weight in unique:
        items = math.prod(weight.shape)
        count += items
        size += items * _BYTES_PER_ITEM.get(str(weight.dtype), 4)
    return count, size


def readable_size(num_bytes):
    """``220200`` -> ``"215.04 KB"`` (powers of 1024, two decimals, as Keras prints)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if num_bytes < 1024:
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.2f} PB"


def parameter_totals(model):
    """``{"Total": (count, bytes), "Trainable": ..., "Non-trainable": ..., ...}``.

    An "Optimizer" entry appears once a compiled model's optimizer has built its
    slot variables (after the first training step), as in Keras.
    """
    trainable = _count_and_bytes(model.trainable_weights)
    frozen = _count_and_bytes(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    slots = (0, 0)
    if getattr(model, "compiled", False) and getattr(optimizer, "built", False):
        slots = _count_and_bytes(optimizer.variables)
    total = tuple(a + b + c for a, b, c in zip(trainable, frozen, slots))
    totals = {"Total": total, "Trainable": trainable, "Non-trainable": frozen}
    if getattr(optimizer, "built", False) and getattr(model, "compiled", False):
        totals["Optimizer"] = slots
    return totals


# ---- the text view -----------------------------------------------------------------


def _columns(sequential_like, show_trainable, positions):
    """Header, alignment, default line length and relative positions of the columns."""
    if sequential_like:
        header, align, length = ["Layer (type)", "Output Shape", "Param #"], [
            "left", "left", "right"], 88
        default_positions = [0.45, 0.80, 1.0]
    else:
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        align, length = ["left", "left", "right", "left"], 108
        default_positions = [0.3, 0.56, 0.74, 1.0]
    positions = list(positions or default_positions)
    if show_trainable:
        header, align, length = header + ["Trainable"], align + ["center"], length + 12
        if len(positions) == len(header) - 1:
            positions = [p * 0.90 for p in positions] + [1.0]
    return header, align, length, positions


def _column_widths(positions, line_length, count):
    if len(positions) != count:
        raise ValueError(
            f"positions must give the right edge of each of the {count} columns. "
            f"Received: positions={positions}"
        )
    if positions[-1] > 1:  # absolute character positions, as Keras 2 allowed
        positions = [p / positions[-1] for p in positions]
    widths, current = [], 0
    for position in positions:
        width = int(position * line_length) - current
        if width < 4:
            raise ValueError(
                f"The summary is too narrow: a column would be {width} characters wide. "
                f"Use a larger line_length (received {line_length}) or other positions "
                f"(received {positions})."
            )
        widths.append(width)
        current += width
    return widths


def _cells(row, sequential_like, show_trainable):
    prefix = "   " * row.depth + "└ " if row.depth else ""
    params = f"{row.param_count:,}" if row.built else "0 (unbuilt)"
    cells = [f"{prefix}{row.name} ({row.class_name})", row.output_shape, params]
    if not sequential_like:
        cells.append(", ".join(row.connected_to) or "-")
    if show_trainable:
        cells.append({True: "Y", False: "N", None: "-"}[row.trainable])
    return cells


def summary_text(model, line_length=None, positions=None, expand_nested=False,
                 show_trainable=False, layer_range=None):
    """The whole summary as one string (lines end with "\n")."""
    sequential_like = is_sequential_like(model)
    header, align, default_length, positions = _columns(
        sequential_like, show_trainable, positions)
    line_length = line_length or default_length
    widths = _column_widths(positions, line_length, len(header))
    rows = summary_rows(model, expand_nested=expand_nested, layer_range=layer_range)
    body = [_cells(row, sequential_like, show_trainable) for row in rows]
    lines = [f'Model: "{model.name}"']
    lines += text_table.render_table(header, body, widths, align, line_length)
    for label, (count, size) in parameter_totals(model).items():
        lines.append(f" {label} params: {count:,} ({readable_size(size)})")
    return "\n".join(lines) + "\n"


def print_summary(model, line_length=None, positions=None, print_fn=None,
                  expand_nested=False, show_trainable=False, layer_range=None):
    """Print the Keras 3 style summary table of ``model``.

    Args:
        model: the model to describe.
        line_length: total width of the table (default 88, or 108 with "Connected to").
        positions: right edge of each column, relative (``[0.45, 0.8, 1.0]``) or in
            characters.
        print_fn: called once with the whole summary string (as Keras 3 does), e.g.
            ``lines.append``; defaults to printing it.
        expand_nested: also show the layers inside nested models.
        show_trainable: add a "Trainable" column (Y / N / - for no weights).
        layer_range: two layer names (regexes), first and last top-level row to show.
    """
    text = summary_text(model, line_length, positions, expand_nested, show_trainable,
                        layer_range)
    if print_fn is None:
        print_msg(text)
    else:
        print_fn(text)


# ---- the HTML view -----------------------------------------------------------------


def summary_html(model, expand_nested=False, show_trainable=False):
    """The summary as an HTML ``<table>`` (for a notebook's rich display)."""
    sequential_like = is_sequential_like(model)
    header, _, _, _ = _columns(sequential_like, show_trainable, None)
    esc = html.escape
    parts = [f'<div class="kerlite-summary"><p><b>Model: "{esc(model.name)}"</b></p>',
             "<table>", "<thead><tr>"]
    parts += [f"<th>{esc(title)}</th>" for title in header]
    parts.append("</tr></thead><tbody>")
    for row in summary_rows(model, expand_nested=expand_nested):
        cells = _cells(row, sequential_like, show_trainable)
        indent = f' style="padding-left:{1.5 * row.depth:g}em"' if row.depth else ""
        name = esc(f"{row.name} ({row.class_name})")
        parts.append(f"<tr><td{indent}>{name}</td>")
        parts += [f"<td>{esc(cell)}</td>" for cell in cells[1:]]
        parts.append("</tr>")
    parts.append("</tbody></table><p>")
    for label, (count, size) in parameter_totals(model).items():
        parts.append(f"{esc(label)} params: {count:,} ({readable_size(size)})<br>")
    parts.append("</p></div>")
    return "".join(parts)
