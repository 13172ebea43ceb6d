"""``LiveCurves``: learning curves that grow while ``fit`` runs, cell after cell.

    model.fit(x, y, validation_split=0.2, epochs=5, callbacks=[LiveCurves()])
    model.fit(x, y, validation_split=0.2, epochs=5, callbacks=[LiveCurves()])  # later cell

The second cell shows the whole run, epochs 1 to 10: the record of the run lives on the
model, so a new ``LiveCurves()`` continues it (pass ``continue_run=False`` to start
over). The callback only collects numbers into a ``CurveLog``; ``CurvesDisplay`` draws
them, at the end of each epoch and within long epochs, at most every ``min_interval``
seconds.
"""

import warnings

from kerlite.callbacks import Callback
from kerlite.widgets.curve_log import CurveLog, Throttle
from kerlite.widgets.curves_display import CurvesDisplay, status_line
from kerlite.widgets.curves_plot import curves_figure, draw_curves
from kerlite.widgets.figures import PngImage, figure_png
from kerlite.common.optional import in_notebook

_LOG_ATTRIBUTE = "_kerlite_curve_log"  # where the run's record is kept on the model
_PROGRESS_INTERVAL = 0.1  # seconds between two progress-bar updates


class LiveCurves(Callback):
    """A callback that draws one panel per metric (training and validation) live.

    Args:
        every_n_batches: within an epoch, redraw at most every this many batches
            (None: time decides alone).
        min_interval: seconds between two redraws (epoch ends included; the last
            epoch is always drawn).
        continue_run: continue the curves recorded on this model by earlier ``fit``
            calls (True), or start a new run (False).
        title: a title above the panels.
        clock: a function returning seconds, for tests (default ``time.monotonic``).
        view: where to draw; by default a ``CurvesDisplay`` inside a notebook, and
            nothing elsewhere (the numbers are still recorded: see ``history``).
    """

    def __init__(self, every_n_batches=None, min_interval=0.5, continue_run=True,
                 title=None, clock=None, view=None):
        super().__init__()
        self.continue_run = continue_run
        self.title = title
        self.log = None
        self.view = view
        self._draw_throttle = Throttle(min_interval, every_n_batches, clock)
        self._progress_throttle = Throttle(_PROGRESS_INTERVAL, None, clock)
        self._epoch = 0  # Keras's epoch number (1-based) of the epoch running now
        self._first_epoch = 0  # where this fit started (``initial_epoch``)
        self._steps_done = 0

    @property
    def shows_progress(self):
        """True when this callback draws a progress bar (then ``fit`` adds no other)."""
        return self.view is not None or in_notebook()

    # ---- the record ------------------------------------------------------------------

    @property
    def history(self):
        """The whole run so far as ``{"loss": [...], "val_loss": [...], ...}``."""
        return self.log.history if self.log is not None else {}

    def _attach_log(self):
        model = self.model
        stored = getattr(model, _LOG_ATTRIBUTE, None) if model is not None else None
        if self.log is None:
            self.log = stored if (self.continue_run and stored is not None) else CurveLog()
        if model is not None:
            try:
                setattr(model, _LOG_ATTRIBUTE, self.log)
            except AttributeError:  # a model that refuses new attributes keeps no record
                pass

    # ---- Keras callback hooks -------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._attach_log()
        self.log.start_fit()
        self._epoch = self._first_epoch = 0
        self._steps_done = 0
        if self.view is None and in_notebook():
            self.view = CurvesDisplay()
        if self.view is not None:
            try:
                self.view.start(self.log, self._total_steps(), self.title)
            except ImportError as error:  # training goes on; only the drawing is lost
                warnings.warn(f"LiveCurves cannot draw: {error} The numbers are still "
                              "recorded in `.history`.", RuntimeWarning, stacklevel=2)
                self.view = None
        self._draw_throttle.mark_done()
        self._progress_throttle.reset()

    def on_epoch_begin(self, epoch, logs=None):
        if not self._epoch:  # the first epoch of this fit: after an initial_epoch, as Keras
            self._first_epoch = epoch  # counts (fit(epochs=10, initial_epoch=5): 6 to 10)
        self._epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        self._steps_done += 1
        steps = self._steps_per_epoch()
        fraction = min((batch + 1) / steps, 1.0) if steps else 0.5
        self.log.add_batch(fraction, logs)
        if self.view is None:
            return
        if self._progress_throttle.ready():
            self.view.progress(self._bar_position(), self._status())
        if self._draw_throttle.ready():
            self._timed_draw()

    def _timed_draw(self):
        started = self._draw_throttle.clock()
        self.view.draw(self.log, self.title)
        self._draw_throttle.spent(self._draw_throttle.clock() - started)

    def on_epoch_end(self, epoch, logs=None):
        self.log.add_epoch(logs)
        if self.view is None:
            return
        self.view.progress(self._bar_position(), self._status())
        if self._draw_throttle.ready(count_batch=False):
            self._timed_draw()

    def on_train_end(self, logs=None):
        if self.view is None:
            return
        self.view.draw(self.log, self.title)  # always: the saved notebook keeps this one
        self.view.finish(self._bar_position(), self._status())  # fewer after early stopping

    # ---- helpers ---------------------------------------------------------------------

    def _steps_per_epoch(self):
        return (self.params or {}).get("steps")

    def _epochs(self):
        return (self.params or {}).get("epochs") or 1

    def _total_steps(self):
        steps = self._steps_per_epoch()
        return self._epochs() * steps if steps else self._steps_done

    def _bar_position(self):
        """Steps done, counting the epochs an ``initial_epoch`` skipped as done (the bar
        covers epochs 1 to ``epochs``, as Keras's epoch numbers do)."""
        steps = self._steps_per_epoch()
        return self._first_epoch * steps + self._steps_done if steps else self._steps_done

    def _status(self):
        return status_line(self.log, self._epoch, self._epochs(),
                           self._epoch - self._first_epoch)

    def plot(self):
        """The curves recorded so far as a static picture (displays itself in a notebook)."""
        log = self.log or CurveLog()
        figure = curves_figure(len(log.metric_names() or ["loss"]))
        draw_curves(figure, log, self.title)
        return PngImage(figure_png(figure), "learning curves")
