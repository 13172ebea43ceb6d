"""A compact progress bar for ``fit`` in a notebook (tqdm's notebook widget).

In a terminal ``fit(verbose=1)`` prints Keras's text bar. In a notebook that text bar
becomes hundreds of lines, so there kerlite shows one tqdm widget per ``fit`` call
instead: ``Epoch 3/5 ━━━━━━━ 120/200 [00:02<00:01] loss: 0.3124 - accuracy: 0.9050``,
plus one line per finished epoch with its final numbers (validation included).
``tqdm.auto`` picks the widget in a notebook and falls back to text elsewhere.
"""

import warnings

from kerlite.callbacks import Callback
from kerlite.widgets.metric_text import format_logs
from kerlite.widgets.optional import in_notebook, is_available, require


class NotebookProgress(Callback):
    """Progress of ``fit`` (and of a standalone ``evaluate``/``predict``) as a tqdm bar.

    Args:
        epoch_lines: print ``Epoch 3/5 - loss: ... - val_loss: ...`` when an epoch ends.
    """

    shows_progress = True

    def __init__(self, epoch_lines=True):
        super().__init__()
        self.epoch_lines = epoch_lines
        self.bar = None
        self._in_fit = False
        self._epoch = 0

    def _open_bar(self, total, description):
        try:
            require("tqdm", "show a progress bar")
        except ImportError as error:  # training goes on, with the epoch lines only
            warnings.warn(str(error), RuntimeWarning, stacklevel=3)
            return
        from tqdm.auto import tqdm

        self.bar = tqdm(total=total, desc=description, unit="step", leave=True)

    def _close_bar(self, logs=None):
        if self.bar is not None:
            if logs:
                self.bar.set_postfix_str(format_logs(logs), refresh=False)
            self.bar.close()
            self.bar = None

    # ---- fit -----------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._in_fit = True
        self._epoch = 0
        params = self.params or {}
        steps, epochs = params.get("steps"), params.get("epochs") or 1
        self._open_bar(steps * epochs if steps else None, f"Epoch 1/{epochs}")

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch + 1
        epochs = (self.params or {}).get("epochs") or 1
        if self.bar is not None:
            self.bar.set_description_str(f"Epoch {self._epoch}/{epochs}", refresh=False)

    def on_train_batch_end(self, batch, logs=None):
        if self.bar is not None:
            self.bar.set_postfix_str(format_logs(logs), refresh=False)
            self.bar.update(1)

    def on_epoch_end(self, epoch, logs=None):
        text = format_logs(logs)
        line = f"Epoch {epoch + 1}/{(self.params or {}).get('epochs') or 1} - {text}"
        if self.bar is not None:
            self.bar.set_postfix_str(text, refresh=False)
            if self.epoch_lines:
                self.bar.write(line)
        elif self.epoch_lines:
            print(line)

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close_bar()

    # ---- evaluate / predict called on their own ---------------------------------------

    def on_test_begin(self, logs=None):
        if not self._in_fit:
            self._open_bar((self.params or {}).get("steps"), "evaluate")

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit and self.bar is not None:
            self.bar.set_postfix_str(format_logs(logs), refresh=False)
            self.bar.update(1)

    def on_test_end(self, logs=None):
        if not self._in_fit:
            self._close_bar(logs)

    def on_predict_begin(self, logs=None):
        self._open_bar((self.params or {}).get("steps"), "predict")

    def on_predict_batch_end(self, batch, logs=None):
        if self.bar is not None:
            self.bar.update(1)

    def on_predict_end(self, logs=None):
        self._close_bar()


def choose_progress_callback(callbacks, make_text_progbar, verbose=1):
    """The progress callback ``fit``/``evaluate``/``predict`` should add, or None.

    - None when one of ``callbacks`` already shows progress (``shows_progress`` true,
      as ``LiveCurves`` in a notebook): two bars for one ``fit`` only clutter the cell;
    - a ``NotebookProgress`` for ``verbose=1`` inside a notebook (when tqdm and
      ipywidgets are installed);
    - otherwise ``make_text_progbar()``: the text bar (and ``verbose=2``'s epoch lines).
    """
    if any(getattr(callback, "shows_progress", False) for callback in callbacks or []):
        return None
    if verbose == 1 and in_notebook() and is_available("tqdm") and is_available("ipywidgets"):
        return NotebookProgress()
    return make_text_progbar()
