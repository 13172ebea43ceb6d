"""Show learning curves in a notebook cell and update them in place.

One display handle per cell: ``display(image, display_id=True)`` once, then
``handle.update(image)`` for each redraw. The browser replaces the picture without a
blank frame, and a notebook executed without a browser (nbclient, nbconvert) stores
the last picture, so GitHub, nbviewer and nbval see the final curves. A progress bar
and a line of Keras-style numbers sit above the picture (a ``ProgressLine``: a widget
when the kernel is there, and a static line with the last epoch's numbers for a stored
notebook).
"""

from kerlite.widgets.curves_plot import curves_figure, draw_curves
from kerlite.widgets.figures import PngImage, figure_png
from kerlite.callbacks.metric_text import format_logs
from kerlite.common.optional import require
from kerlite.callbacks.progress_line import ProgressLine


class CurvesDisplay:
    """The notebook side of ``LiveCurves``: a figure, a display handle, a progress bar."""

    def __init__(self, display_fn=None):
        self._display_fn = display_fn
        self.figure = None
        self._metric_count = None
        self._handle = None
        self.progress_line = None
        self.draw_count = 0
        self.last_image = None  # the picture the cell shows now

    def start(self, log, total_steps, title):
        """Open a fresh display in the current cell, showing the run so far."""
        if self._display_fn is None:
            require("IPython", "show live curves")
            from IPython.display import display

            self._display_fn = display
        image = self._image(log, title)  # first: fails early if matplotlib is missing
        self.progress_line = ProgressLine(total_steps, "training", self._display_fn,
                                          label_class="kerlite-curves-status")
        self.progress_line.show()
        self._handle = self._display_fn(image, display_id=True)

    def progress(self, done_steps, status):
        """Move the progress bar and show the latest numbers (cheap: no drawing)."""
        if self.progress_line is not None:
            self.progress_line.update(done_steps, status)

    def finish(self, done_steps, status):
        """Training ended: leave the final numbers in the cell as static text too."""
        if self.progress_line is not None:
            self.progress_line.finish(status, done_steps)

    def draw(self, log, title):
        """Redraw the figure from ``log`` and replace the picture in the cell."""
        if self._handle is not None:
            self._handle.update(self._image(log, title))

    def _image(self, log, title):
        count = len(log.metric_names() or ["loss"])
        if self.figure is None or count != self._metric_count:
            self.figure, self._metric_count = curves_figure(count), count
        draw_curves(self.figure, log, title)
        self.draw_count += 1
        self.last_image = PngImage(figure_png(self.figure), "learning curves")
        return self.last_image


def status_line(log, epoch, epochs, epochs_done_in_fit=None):
    """``Epoch 3/5 (epoch 8 of the run) - loss: 0.2100 - val_loss: 0.2500``.

    ``epoch`` / ``epochs`` are Keras's numbers (after ``initial_epoch=5``, ``Epoch 6/10``);
    ``epochs_done_in_fit`` counts this fit's epochs so far (``epoch`` when not given), and
    the run's epoch adds it to the epochs the curves held before this fit.
    """
    head = f"Epoch {epoch}/{epochs}"
    in_fit = epoch if epochs_done_in_fit is None else epochs_done_in_fit
    if log.fit_starts and log.fit_starts[-1] > 0:
        head += f" (epoch {log.fit_starts[-1] + in_fit} of the run)"
    numbers = format_logs(log.last_logs)
    return f"{head} - {numbers}" if numbers else head
