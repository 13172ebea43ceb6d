"""The rich notebook view of a model: summary table and graph side by side.

``model_html(model)`` is what ``Model._repr_html_`` returns, so a cell ending with
``model`` shows the layers (a nested model folds open with a click, through HTML
``<details>``), the parameter counts and the graph. Only HTML and inline SVG: it looks
the same in JupyterLab, on GitHub and in nbviewer, and needs no widget.
"""

import html

from kerlite.viz.summary_utils import (is_sequential_like, parameter_totals,
                                         readable_size, summary_rows)
from kerlite.viz.model_graph import graph_svg
from kerlite.common.optional import DOT_INSTALL_HINT

_TABLE = ('style="border-collapse:collapse;font-size:12px;font-family:Helvetica,Arial,'
          'sans-serif"')
_CELL = 'style="border-bottom:1px solid #ddd;padding:3px 10px;text-align:{align};' \
        'vertical-align:top"'


def _is_nested_model(layer):
    return hasattr(layer, "layers") and hasattr(layer, "_inbound_nodes")


def summary_table_html(model):
    """The summary as an HTML table; nested models open in a ``<details>`` block."""
    sequential_like = is_sequential_like(model)
    header = ["Layer (type)", "Output Shape", "Param #"]
    if not sequential_like:
        header.append("Connected to")
    cell = {"left": _CELL.format(align="left"), "right": _CELL.format(align="right")}
    parts = [f"<table {_TABLE}><thead><tr>"]
    parts += [f'<th {cell["right" if h == "Param #" else "left"]}>{h}</th>' for h in header]
    parts.append("</tr></thead><tbody>")
    layers = {layer.name: layer for layer in model.layers}
    for row in summary_rows(model):
        name = html.escape(f"{row.name} ({row.class_name})")
        layer = layers.get(row.name)
        if layer is not None and _is_nested_model(layer) and layer.layers:
            name = (f"<details><summary>{name}</summary>"
                    f'<div style="margin:4px 0 4px 12px">{summary_table_html(layer)}'
                    "</div></details>")
        params = f"{row.param_count:,}" if row.built else "0 (unbuilt)"
        cells = [(name, "left"), (html.escape(row.output_shape), "left"), (params, "right")]
        if not sequential_like:
            cells.append((html.escape(", ".join(row.connected_to) or "-"), "left"))
        parts.append("<tr>" + "".join(f"<td {cell[a]}>{c}</td>" for c, a in cells) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def totals_html(model):
    """``Total params: 1,234 (4.82 KB)`` lines."""
    lines = [f"{label} params: {count:,} ({readable_size(size)})"
             for label, (count, size) in parameter_totals(model).items()]
    return '<p style="font-size:12px;margin:6px 0">' + "<br>".join(lines) + "</p>"


def model_html(model, show_graph=True):
    """HTML for ``Model._repr_html_``: title, summary table, totals and the graph."""
    title = html.escape(f'Model: "{model.name}"')
    left = f"<div><b>{title}</b>{summary_table_html(model)}{totals_html(model)}</div>"
    right = ""
    if show_graph and list(model.layers):
        svg, by_graphviz = graph_svg(model)
        note = "" if by_graphviz else (
            '<div style="font-size:11px;color:#777;max-width:320px">Simple layout. '
            f"{html.escape(DOT_INSTALL_HINT)}</div>")
        right = (f'<div style="max-height:520px;overflow:auto;border-left:1px solid #eee;'
                 f'padding-left:12px">{svg}{note}</div>')
    return ('<div class="kerlite-model" style="display:flex;gap:16px;align-items:'
            'flex-start;flex-wrap:wrap;font-family:Helvetica,Arial,sans-serif">'
            f"{left}{right}</div>")
