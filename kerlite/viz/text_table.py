"""A fixed-width box-drawn text table, laid out the way Keras 3's summary looks.

Keras draws ``model.summary()`` with the ``rich`` library. We draw the same picture with
plain strings: no colour, no terminal-size lookup, so the text is identical everywhere
(a notebook checked by nbval, a terminal, a log file).

Layout rules (the ones rich applies to a table of fixed-width columns):
- each cell gets one space of padding left and right;
- if the cells and borders are wider than ``line_length``, every column gives back an
  equal share of the excess (rounded the Python way);
- text wraps at spaces; a word longer than its column ends with "…";
- header cells sit at the bottom of the header row, body cells at the top of theirs.
"""

import re
import unicodedata

_WORD = re.compile(r"\s*\S+\s*")  # a word with the spaces around it
_HEAD_TOP = ("┏", "━", "┳", "┓")
_HEAD_SIDE = ("┃", "┃", "┃")
_HEAD_RULE = ("┡", "━", "╇", "┩")
_BODY_SIDE = ("│", "│", "│")
_BODY_RULE = ("├", "─", "┼", "┤")
_BOTTOM = ("└", "─", "┴", "┘")


def cell_len(text):
    """Width of ``text`` on screen: CJK characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _truncate(text, width):
    """Cut ``text`` to ``width`` cells, ending with "…" when something was cut."""
    if cell_len(text) <= width:
        return text
    kept, used = "", 0
    for ch in text:
        if used + cell_len(ch) > width - 1:
            break
        kept, used = kept + ch, used + cell_len(ch)
    return kept + "…"


def wrap(text, width):
    """Greedy word wrap to ``width`` cells; over-long words are cut with "…"."""
    if width <= 0:
        return [""]
    lines, current, used = [], "", 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        fits = width - used >= cell_len(word.rstrip())
        if fits or not current:
            current, used = current + word, used + cell_len(word)
        else:
            lines.append(current)
            current, used = word, cell_len(word)
    lines.append(current)
    return [_truncate(line.rstrip(), width) for line in lines]


def _align(line, width, how):
    gap = width - cell_len(line)
    if how == "right":
        return " " * gap + line
    if how == "center":
        return " " * (gap // 2) + line + " " * (gap - gap // 2)
    return line + " " * gap


def _shrink_evenly(widths, excess):
    """Take ``excess`` cells away from the columns in equal shares, left to right."""
    result, remaining, columns_left = [], excess, len(widths)
    for width in widths:
        taken = min(width, round(remaining / columns_left))
        result.append(width - taken)
        remaining -= taken
        columns_left -= 1
    return result


def fit_column_widths(widths, line_length):
    """Inner widths (padding included) of columns asked to be ``widths`` wide."""
    available = line_length - (len(widths) + 1)  # one border between/around columns
    cells = [min(width + 2, available) for width in widths]
    if sum(cells) > available:
        cells = _shrink_evenly(cells, sum(cells) - available)
    return cells


def _rule(parts, cells):
    left, fill, joint, right = parts
    return left + joint.join(fill * width for width in cells) + right


def _row(parts, cells, texts, alignments, bottom_align=False):
    """The text lines of one table row (a cell may wrap onto several lines)."""
    wrapped = [wrap(text, width - 2) for text, width in zip(texts, cells)]
    height = max(len(lines) for lines in wrapped)
    for index, lines in enumerate(wrapped):
        blank = [""] * (height - len(lines))
        wrapped[index] = blank + lines if bottom_align else lines + blank
    left, middle, right = parts
    out = []
    for line_no in range(height):
        pieces = [
            " " + _align(lines[line_no], width - 2, how) + " "
            for lines, width, how in zip(wrapped, cells, alignments)
        ]
        out.append(left + middle.join(pieces) + right)
    return out


def render_table(header, rows, widths, alignments, line_length):
    """Box-drawn table as a list of lines, each exactly ``line_length`` cells wide.

    Args:
        header: column titles.
        rows: list of rows, each a list of cell strings.
        widths: requested column widths (they add up to ``line_length``).
        alignments: "left", "right" or "center" per column.
        line_length: total width of every line, borders included.
    """
    cells = fit_column_widths(widths, line_length)
    lines = [_rule(_HEAD_TOP, cells)]
    lines += _row(_HEAD_SIDE, cells, header, alignments, bottom_align=True)
    lines.append(_rule(_HEAD_RULE, cells))
    for index, row in enumerate(rows):
        if index:
            lines.append(_rule(_BODY_RULE, cells))
        lines += _row(_BODY_SIDE, cells, row, alignments)
    lines.append(_rule(_BOTTOM, cells))
    return lines
