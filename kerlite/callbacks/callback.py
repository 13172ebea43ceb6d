"""Callback: hooks that ``fit``, ``evaluate`` and ``predict`` call as they run.

Subclass it and override any ``on_*`` method. ``self.model`` is the model being trained
and ``self.params`` holds ``{"verbose", "epochs", "steps"}``. ``logs`` is always a dict,
as in Keras: empty for the ``*_begin`` hooks, Python floats for the others
(``{"loss": 0.31, "accuracy": 0.9, "val_loss": ...}``), ``{"outputs": ...}`` after a
predict batch. During ``fit`` the validation pass calls the ``on_test_*`` hooks too.
"""


class Callback:
    """Base class of callbacks; every hook does nothing by default."""

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """Legacy alias of ``on_train_batch_begin``."""

    def on_batch_end(self, batch, logs=None):
        """Legacy alias of ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch, logs=None):
        """At the start of each training epoch (``epoch`` counts from 0)."""

    def on_epoch_end(self, epoch, logs=None):
        """At the end of each epoch; ``logs`` has the epoch's metrics (and ``val_*``)."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Before each batch of ``evaluate`` (and of validation inside ``fit``)."""

    def on_test_batch_end(self, batch, logs=None):
        """After each batch of ``evaluate``; ``logs`` has the running metrics."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Before each batch of ``predict``."""

    def on_predict_batch_end(self, batch, logs=None):
        """After each batch of ``predict``; ``logs["outputs"]`` holds its outputs."""

    def on_train_begin(self, logs=None):
        """Once, when ``fit`` starts."""

    def on_train_end(self, logs=None):
        """Once, when ``fit`` ends."""

    def on_test_begin(self, logs=None):
        """When ``evaluate`` (or a validation pass) starts."""

    def on_test_end(self, logs=None):
        """When ``evaluate`` (or a validation pass) ends."""

    def on_predict_begin(self, logs=None):
        """When ``predict`` starts."""

    def on_predict_end(self, logs=None):
        """When ``predict`` ends."""
