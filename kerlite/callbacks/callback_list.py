"""CallbackList: calls a hook on every callback, and adds History and the progress bar.

As in Keras, ``fit`` always records a ``History`` (returned to you), and shows a
``ProgbarLogger`` when ``verbose`` is not 0. The progress display is just another
callback, so a notebook widget can replace it.
"""

from kerlite.callbacks.callback import Callback
from kerlite.callbacks.history import History
from kerlite.callbacks.progbar_logger import ProgbarLogger


class CallbackList(Callback):
    """A list of callbacks that is itself a callback."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    "Every item of `callbacks` must be a keras.callbacks.Callback. "
                    f"Received: {callback!r} of type {type(callback).__name__}")
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            # In a notebook, a compact progress widget; in a terminal, the text bar.
            from kerlite.callbacks.notebook_progress import choose_progress_callback

            verbose = params.get("verbose", 1)
            progbar = choose_progress_callback(self.callbacks, ProgbarLogger,
                                               1 if verbose == "auto" else verbose)
            if progbar is not None:
                self.callbacks.append(progbar)
        if add_history:
            self.history = next((c for c in self.callbacks if isinstance(c, History)),
                                None)
            if self.history is None:
                self.history = History()
                self.callbacks.append(self.history)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def listens_to(self, *hooks):
        """True if some callback overrides one of ``hooks`` (in its class or, as
        LambdaCallback does, on the instance): the loops call a batch hook only then."""
        return any(getattr(type(c), hook) is not getattr(Callback, hook) or hook in vars(c)
                   for c in self.callbacks for hook in hooks)

    def set_model(self, model):
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    # Keras's calling convention, which user callbacks may depend on: ``logs`` is always
    # a dict (``{}`` where there is nothing to report), passed by keyword to the batch
    # hooks and by position to the others; every callback of one hook call sees the
    # same dict, a fresh copy of the trainer's (so a callback may add entries to it).

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def _call_batch(self, hook, batch, logs):
        for callback in self.callbacks:
            getattr(callback, hook)(batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, plain_logs(logs))

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, plain_logs(logs))

    def on_batch_begin(self, batch, logs=None):
        self._call_batch("on_batch_begin", batch, plain_logs(logs))

    def on_batch_end(self, batch, logs=None):
        self._call_batch("on_batch_end", batch, plain_logs(logs))

    def on_train_batch_begin(self, batch, logs=None):
        self._call_batch("on_train_batch_begin", batch, plain_logs(logs))

    def on_train_batch_end(self, batch, logs=None):
        self._call_batch("on_train_batch_end", batch, plain_logs(logs))

    def on_test_batch_begin(self, batch, logs=None):
        self._call_batch("on_test_batch_begin", batch, plain_logs(logs))

    def on_test_batch_end(self, batch, logs=None):
        self._call_batch("on_test_batch_end", batch, plain_logs(logs))

    def on_predict_batch_begin(self, batch, logs=None):
        self._call_batch("on_predict_batch_begin", batch, plain_logs(logs))

    def on_predict_batch_end(self, batch, logs=None):
        self._call_batch("on_predict_batch_end", batch, plain_logs(logs))

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", plain_logs(logs))

    def on_train_end(self, logs=None):
        self._call("on_train_end", plain_logs(logs))

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", plain_logs(logs))

    def on_test_end(self, logs=None):
        self._call("on_test_end", plain_logs(logs))

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", plain_logs(logs))

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", plain_logs(logs))


def plain_logs(logs):
    """A new dict of ``logs`` with its keys sorted and one-number values as Python
    floats (as Keras does); other values (``"outputs"`` arrays) are kept as they are."""
    plain = {}
    for key, value in sorted((logs or {}).items()):
        if getattr(value, "size", None) == 1 and getattr(value, "ndim", 1) == 0:
            value = float(value)
        plain[key] = value
    return plain
