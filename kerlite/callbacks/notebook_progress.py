"""A compact progress bar for ``fit`` in a notebook.

In a terminal ``fit(verbose=1)`` prints Keras's text bar. In a notebook that text bar
becomes hundreds of lines, so there kerlite shows one bar per ``fit`` call instead
(``Epoch 3/5`` beside it, then ``120/200 steps - loss: 0.3124 - accuracy: 0.9050``),
plus one printed line per finished epoch with its final numbers (validation included).
The bar is a ``ProgressLine``: a widget while the kernel runs, and a static line with
the last numbers in a stored notebook (GitHub, nbviewer), never a bare ``0/72``.
"""

from kerlite.callbacks import Callback
from kerlite.callbacks.metric_text import format_logs
from kerlite.common.optional import in_notebook, is_available
from kerlite.callbacks.progress_line import ProgressLine


class NotebookProgress(Callback):
    """Progress of ``fit`` (and of a standalone ``evaluate``/``predict``) as a bar.

    Args:
        epoch_lines: print ``Epoch 3/5 - loss: ... - val_loss: ...`` when an epoch ends.
        display_fn: IPython's ``display`` (tests pass a fake).
    """

    shows_progress = True

    def __init__(self, epoch_lines=True, display_fn=None):
        super().__init__()
        self.epoch_lines = epoch_lines
        self.display_fn = display_fn
        self.bar = None  # the ProgressLine of the running fit/evaluate/predict
        self._in_fit = False
        self._epoch = 0
        self._steps_done = 0
        self._last_epoch_text = ""

    def _epochs(self):
        return (self.params or {}).get("epochs") or 1

    def _open_bar(self, total, description):
        self._steps_done = 0
        self.bar = ProgressLine(total, description, self.display_fn)
        self.bar.show()

    def _step(self, logs, head=""):
        self._steps_done += 1
        total = self.bar.total
        count = f"{self._steps_done}/{total} steps" if total else f"{self._steps_done} steps"
        numbers = format_logs(logs)
        text = " - ".join(part for part in (head, count, numbers) if part)
        self.bar.update(self._steps_done, text)

    def _close_bar(self, text):
        if self.bar is not None:
            self.bar.finish(text, self._steps_done)
            self.bar = None

    # ---- fit -----------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._in_fit = True
        self._epoch = 0
        self._last_epoch_text = ""
        steps = (self.params or {}).get("steps")
        self._open_bar(steps * self._epochs() if steps else None, "training")

    def on_epoch_begin(self, epoch, logs=None):
        steps = (self.params or {}).get("steps")
        if not self._epoch and steps:  # after an initial_epoch, its epochs count as done
            self._steps_done = epoch * steps
        self._epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        if self.bar is not None:
            self._step(logs, f"Epoch {self._epoch}/{self._epochs()}")

    def on_epoch_end(self, epoch, logs=None):
        self._last_epoch_text = f"Epoch {epoch + 1}/{self._epochs()} - {format_logs(logs)}"
        if self.bar is not None:
            self.bar.update(self._steps_done, self._last_epoch_text)
        if self.epoch_lines:
            print(self._last_epoch_text)

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close_bar(self._last_epoch_text or format_logs(logs))

    # ---- evaluate / predict called on their own ---------------------------------------

    def on_test_begin(self, logs=None):
        if not self._in_fit:
            self._open_bar((self.params or {}).get("steps"), "evaluate")

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit and self.bar is not None:
            self._step(logs)

    def on_test_end(self, logs=None):
        if not self._in_fit:
            self._close_bar(format_logs(logs) or f"{self._steps_done} steps")

    def on_predict_begin(self, logs=None):
        self._open_bar((self.params or {}).get("steps"), "predict")

    def on_predict_batch_end(self, batch, logs=None):
        if self.bar is not None:
            self._step(None)

    def on_predict_end(self, logs=None):
        self._close_bar(f"{self._steps_done} steps")


def choose_progress_callback(callbacks, make_text_progbar, verbose=1):
    """The progress callback ``fit``/``evaluate``/``predict`` should add, or None.

    - None when one of ``callbacks`` already shows progress (``shows_progress`` true,
      as ``LiveCurves`` in a notebook): two bars for one ``fit`` only clutter the cell;
    - a ``NotebookProgress`` for ``verbose=1`` inside a notebook (when ipywidgets is
      installed);
    - otherwise ``make_text_progbar()``: the text bar (and ``verbose=2``'s epoch lines).
    """
    if any(getattr(callback, "shows_progress", False) for callback in callbacks or []):
        return None
    if verbose == 1 and in_notebook() and is_available("ipywidgets"):
        return NotebookProgress()
    return make_text_progbar()
