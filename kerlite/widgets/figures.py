"""Matplotlib figures that never reach pyplot, turned into PNG bytes.

Every view draws on a ``matplotlib.figure.Figure`` made here, with its own Agg canvas.
pyplot never sees these figures, so a notebook cell never shows a stray duplicate at
its end and there is nothing to ``plt.close``; and the PNG is made by us, so a
notebook shows the same image whatever matplotlib backend is configured (even
``MPLBACKEND=Agg``).
"""

import base64
import io

from kerlite.common.optional import require

# Colours for training and validation lines (matplotlib's first two default colours).
TRAIN_COLOR = "#1f77b4"
VAL_COLOR = "#ff7f0e"


def new_figure(width, height):
    """An empty figure of ``width`` x ``height`` inches, with its own Agg canvas."""
    require("matplotlib", "draw figures")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def figure_png(figure, dpi=100):
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def png_size(png_bytes):
    """``(width, height)`` in pixels, read from the PNG header."""
    return (int.from_bytes(png_bytes[16:20], "big"), int.from_bytes(png_bytes[20:24], "big"))


def show_png_in(image_widget, png_bytes):
    """Put a PNG into an ``ipywidgets.Image`` at its own size (never stretched), or hide it."""
    if not png_bytes:
        image_widget.layout.display = "none"
        return
    image_widget.value = png_bytes
    image_widget.width = str(png_size(png_bytes)[0])
    image_widget.layout.display = None


def png_img_tag(png_bytes, alt):
    """An HTML ``<img>`` holding the PNG inline (base64), for static HTML views."""
    encoded = base64.b64encode(png_bytes).decode("ascii")
    return f'<img alt="{alt}" src="data:image/png;base64,{encoded}"/>'


class PngImage:
    """A PNG that displays itself in a notebook (``_repr_png_``), with a stable text form.

    ``repr`` gives ``<PNG image: learning curves>``: no memory address, so notebook
    checks that compare text (nbval) see the same text on every run.
    """

    def __init__(self, png_bytes, title):
        self.png_bytes = png_bytes
        self.title = title

    def _repr_png_(self):
        return self.png_bytes

    def __repr__(self):
        return f"<PNG image: {self.title}>"
