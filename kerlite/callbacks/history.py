"""History: the record ``fit`` returns: ``history.history["loss"]`` is one float per epoch."""

from kerlite.callbacks.callback import Callback


class History(Callback):
    """Collects the epoch logs: ``.history`` (dict of lists), ``.epoch``, ``.params``.

    Each ``fit`` call makes a new History; the model keeps the latest as
    ``model.history``.
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        self.model.history = self
