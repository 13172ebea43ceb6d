"""ProgbarLogger: prints ``Epoch 1/5`` and the Keras-style progress line during ``fit``.

It is only a callback reading the logs, so another display (a notebook widget) can take
its place without touching the training loop.
"""

from kerlite.callbacks.callback import Callback
from kerlite.common.io_utils import print_msg
from kerlite.callbacks.progbar import Progbar


class ProgbarLogger(Callback):
    """Prints progress to stdout: ``verbose=1`` a bar per epoch, ``2`` a line per epoch."""

    def __init__(self):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.target = None
        self.progbar = None
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _start(self, target):
        self.progbar = Progbar(target=target, verbose=self.verbose, unit_name="step")

    def on_epoch_begin(self, epoch, logs=None):
        if self.verbose and self.epochs > 1:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")
        self._start(self.target)

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch + 1, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)

    def on_train_begin(self, logs=None):
        self._called_in_fit = True  # then the validation passes are silent

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._start(self.params.get("steps") if self.params else None)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch + 1, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finish(logs)

    def on_predict_begin(self, logs=None):
        self._start(self.params.get("steps") if self.params else None)

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch + 1, None)

    def on_predict_end(self, logs=None):
        self._finish(None)

    def _update(self, step, logs):
        if self.verbose == 1 and self.progbar is not None:
            self._last_step = step
            self.progbar.update(step, _items(logs), finalize=False)

    def _finish(self, logs):
        if self.verbose and self.progbar is not None:
            step = self.progbar.target or getattr(self, "_last_step", 0)
            self.progbar.update(step, _items(logs), finalize=True)
            self.progbar = None


def _items(logs):
    return [(key, value) for key, value in (logs or {}).items()
            if not key.startswith("_") and key != "outputs"]
