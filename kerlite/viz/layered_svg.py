"""A small built-in graph drawing: layers in rows by depth, arrows between them.

Used when Graphviz's ``dot`` program is missing. Each layer's row is its longest path
from an input, so every arrow points down; boxes of one row sit side by side. The
result is plain SVG text (no JavaScript), shown inline in HTML.
"""

import html
from dataclasses import dataclass

from kerlite.viz.model_graph import HIGHLIGHT_FILL, NODE_FILL, box_label_lines, model_graph

BOX_HEIGHT, ROW_GAP, COLUMN_GAP, MARGIN = 40, 30, 24, 10
LINE_HEIGHT = 13
CHAR_WIDTH = 6.6  # average width of an 11 px sans-serif character


def layer_rows(names, arrows):
    """``{name: row}``: the longest path from a layer without inputs (row 0)."""
    parents = {name: [] for name in names}
    for source, target in arrows:
        parents.setdefault(target, []).append(source)
        parents.setdefault(source, [])
    rows = {}
    for name in parents:  # iterative longest-path (the graph is acyclic)
        stack = [name]
        while stack:
            current = stack[-1]
            missing = [p for p in parents[current] if p not in rows]
            if missing:
                stack.extend(missing)
                continue
            rows[current] = 1 + max((rows[p] for p in parents[current]), default=-1)
            stack.pop()
    return rows


@dataclass
class DrawnBox:
    """One box of a layered drawing: its key, its text lines and its colours."""

    name: str
    lines: list
    fill: str = NODE_FILL
    stroke_width: float = 1
    title: str = None


def layered_svg(model, highlight=None):
    """The model's graph as SVG text, drawn without Graphviz."""
    boxes, arrows = model_graph(model)
    drawn = [DrawnBox(box.name, box_label_lines(box),
                      HIGHLIGHT_FILL if box.name == highlight else NODE_FILL,
                      2 if box.name == highlight else 1)
             for box in boxes]
    return boxes_svg(drawn, arrows)


def box_height(box):
    """Tall enough for the box's lines (at least ``BOX_HEIGHT``)."""
    return max(BOX_HEIGHT, LINE_HEIGHT * len(box.lines) + 14)


def boxes_svg(boxes, arrows):
    """Any graph of ``DrawnBox``es and ``(from, to)`` arrows as SVG text, in rows by depth.

    The model graph and ``TapeGraph`` both use it when Graphviz is missing.
    """
    rows = layer_rows([box.name for box in boxes], arrows)
    by_row = {}
    for box in boxes:
        by_row.setdefault(rows[box.name], []).append(box)
    width_of = {box.name: 16 + CHAR_WIDTH * max(len(t) for t in box.lines) for box in boxes}
    height = max((box_height(box) for box in boxes), default=BOX_HEIGHT)
    row_widths = {r: sum(width_of[b.name] for b in row) + COLUMN_GAP * (len(row) - 1)
                  for r, row in by_row.items()}
    total_width = max(row_widths.values(), default=100) + 2 * MARGIN
    place = {}
    for r, row in by_row.items():
        x = (total_width - row_widths[r]) / 2
        y = MARGIN + r * (height + ROW_GAP)
        for box in row:
            place[box.name] = (x, y, width_of[box.name])
            x += width_of[box.name] + COLUMN_GAP
    total_height = MARGIN * 2 + len(by_row) * (height + ROW_GAP) - ROW_GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width:.0f}" '
             f'height="{total_height:.0f}" viewBox="0 0 {total_width:.0f} {total_height:.0f}" '
             'font-family="Helvetica, Arial, sans-serif" font-size="11">',
             '<defs><marker id="kerlite-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for source, target in arrows:
        x1, y1, w1 = place[source]
        x2, y2, w2 = place[target]
        parts.append(f'<line x1="{x1 + w1 / 2:.1f}" y1="{y1 + height:.1f}" '
                     f'x2="{x2 + w2 / 2:.1f}" y2="{y2:.1f}" stroke="#555" '
                     'stroke-width="1.2" marker-end="url(#kerlite-arrow)"/>')
    for box in boxes:
        x, y, w = place[box.name]
        title = box.name if box.title is None else box.title
        parts.append(f'<g class="node"><title>{html.escape(title)}</title>'
                     f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{height}" '
                     f'rx="6" fill="{box.fill}" stroke="#4a6fa5" '
                     f'stroke-width="{box.stroke_width}"/>')
        lines = box.lines
        for i, line in enumerate(lines):
            ty = y + height / 2 + (i - (len(lines) - 1) / 2) * LINE_HEIGHT + 4
            parts.append(f'<text x="{x + w / 2:.1f}" y="{ty:.1f}" text-anchor="middle">'
                         f"{html.escape(line)}</text>")
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)
