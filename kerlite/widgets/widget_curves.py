"""A ``LiveCurves`` view that draws inside an explorer's panel instead of a cell.

``LiveCurves(view=WidgetCurves(...))`` records the run as usual; this view turns each
redraw into a PNG in an ``ipywidgets.HTML`` and moves a progress bar. A button's
callback runs outside any cell, so the cell-display view of ``LiveCurves`` would have
nowhere to draw; widgets do.
"""

import html

from kerlite.widgets.curves_plot import curves_figure, draw_curves
from kerlite.widgets.explorer_parts import picture_html
from kerlite.widgets.figures import figure_png


class WidgetCurves:
    """Learning curves, a progress bar and a status line, as widgets.

    ``picture``, ``bar`` and ``status`` are the widgets it writes to (``None`` for any
    that is not wanted); ``last_png`` is the latest drawing.
    """

    def __init__(self, picture=None, bar=None, status=None, dpi=70):
        self.picture, self.bar, self.status = picture, bar, status
        self.dpi = dpi
        self.figure, self._metric_count = None, None
        self.last_png = None
        self.draw_count = 0

    def start(self, log, total_steps, title):
        if self.bar is not None:
            self.bar.max = max(total_steps or 1, 1)
            self.bar.value = 0
        self._say("started")

    def progress(self, done_steps, status):
        if self.bar is not None:
            self.bar.value = min(done_steps, self.bar.max)
        self._say(status)

    def draw(self, log, title):
        count = len(log.metric_names() or ["loss"])
        if self.figure is None or count != self._metric_count:
            self.figure, self._metric_count = curves_figure(count), count
        draw_curves(self.figure, log, title)
        self.last_png = figure_png(self.figure, dpi=self.dpi)
        self.draw_count += 1
        if self.picture is not None:
            self.picture.value = picture_html(self.last_png, "learning curves")

    def finish(self, done_steps, status):
        self.progress(done_steps, status)

    def _say(self, text):
        if self.status is not None:
            self.status.value = (f'<div class="kerlite-curves-status" style="font-size:12px">'
                                 f"{html.escape(text)}</div>")
