"""The ConvExplorer's picture: the digit with one output's receptive field, and the output.

Left: the input image, its zero padding (hatched), the ``k × k`` pixels that one output
pixel reads (red squares; the window's span outlined), and the pixels its right-hand
neighbour reads (orange, dashed): the distance between the two is the stride.
Right: the output of the averaging convolution, with the same two pixels marked.
"""

from kerlite.widgets.figures import figure_png, new_figure

FIELD_COLOR = "#d62728"
NEIGHBOUR_COLOR = "#ff7f0e"


def conv_png(image, output_map, field, neighbour_field, padding, chosen, title):
    """The two panels as PNG bytes.

    Args:
        image: the 2-D input.
        output_map: the 2-D output (None when the layer refused the settings).
        field: ``(rows, cols)`` read by the chosen output pixel (None: nothing to mark).
        neighbour_field: ``(rows, cols)`` read by its right-hand neighbour, or None.
        padding: ``((top, bottom), (left, right))`` zeros added around the image.
        chosen: ``(row, col)`` of the chosen output pixel.
        title: the line above the input panel.
    """
    figure = new_figure(7.2, 3.4)
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    _draw_input(left, image, field, neighbour_field, padding)
    left.set_title(title, fontsize=9)
    if output_map is None:
        right.axis("off")
        right.text(0.5, 0.5, "no output", ha="center", va="center", fontsize=11)
    else:
        _draw_output(right, output_map, chosen, neighbour_field is not None)
    return figure_png(figure, dpi=80)


def _draw_input(axes, image, field, neighbour_field, padding):
    from matplotlib.patches import Rectangle  # matplotlib is there: new_figure checked

    height, width = image.shape
    (top, bottom), (left, right) = padding
    axes.imshow(image, cmap="gray_r", extent=(-0.5, width - 0.5, height - 0.5, -0.5), zorder=1)
    axes.set_xlim(-left - 0.5, width + right - 0.5)
    axes.set_ylim(height + bottom - 0.5, -top - 0.5)
    if top or bottom or left or right:
        outer = Rectangle((-left - 0.5, -top - 0.5), width + left + right, height + top + bottom,
                          fill=False, hatch="//", edgecolor="0.75", linewidth=0, zorder=0)
        axes.add_patch(outer)
        axes.add_patch(Rectangle((-0.5, -0.5), width, height, fill=False, edgecolor="0.4",
                                 zorder=2))
    if neighbour_field is not None:
        _draw_taps(axes, neighbour_field, NEIGHBOUR_COLOR, "--")
    if field is not None:
        _draw_taps(axes, field, FIELD_COLOR, "-")
    axes.set_xticks([])
    axes.set_yticks([])


def _draw_taps(axes, field, color, style):
    from matplotlib.patches import Rectangle

    rows, cols = field
    for row in rows:
        for col in cols:
            axes.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=True, alpha=0.45,
                                     facecolor=color, edgecolor=color, linestyle=style,
                                     zorder=3))
    span = Rectangle((cols[0] - 0.5, rows[0] - 0.5), cols[-1] - cols[0] + 1,
                     rows[-1] - rows[0] + 1, fill=False, edgecolor=color, linewidth=1.6,
                     linestyle=style, zorder=3)
    axes.add_patch(span)


def _draw_output(axes, output_map, chosen, has_neighbour):
    from matplotlib.patches import Rectangle

    height, width = output_map.shape
    axes.imshow(output_map, cmap="gray_r", extent=(-0.5, width - 0.5, height - 0.5, -0.5))
    row, col = chosen
    marks = [(col, FIELD_COLOR, "-")] + ([(col + 1, NEIGHBOUR_COLOR, "--")]
                                         if has_neighbour else [])
    for mark_col, color, style in marks:
        axes.add_patch(Rectangle((mark_col - 0.5, row - 0.5), 1, 1, fill=False,
                                 edgecolor=color, linewidth=2, linestyle=style))
    axes.set_title(f"output {height}×{width}", fontsize=9)
    axes.set_xticks([])
    axes.set_yticks([])
