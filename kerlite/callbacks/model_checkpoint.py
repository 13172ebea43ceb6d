"""ModelCheckpoint: save the model (or its weights) during training.

The file name may contain fields filled from the epoch and the logs, such as
``"model-{epoch:02d}-{val_loss:.2f}.keras"``. Each save goes to a temporary file in the
same folder that then replaces the target (``os.replace``), so an interrupted run never
leaves a half-written checkpoint.
"""

import math
import os
import tempfile
import warnings

from kerlite.callbacks.callback import Callback
from kerlite.callbacks.monitor_callback import is_improvement, resolve_mode


class ModelCheckpoint(Callback):
    """Save ``model.save(path)`` (``.keras``) or ``model.save_weights(path)``
    (``.weights.h5``) every epoch, or only when ``monitor`` improves
    (``save_best_only=True``)."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__()
        self.filepath = os.fspath(filepath)
        suffix = ".weights.h5" if save_weights_only else ".keras"
        if not self.filepath.endswith(suffix):
            raise ValueError(
                f"When using save_weights_only={save_weights_only}, the filepath "
                f"provided to ModelCheckpoint must end in `{suffix}`. "
                f"Received: filepath={self.filepath}")
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError("Unrecognized save_freq: expected 'epoch' or an integer "
                             f"number of batches. Received: save_freq={save_freq!r}")
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.mode = mode
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self._batches_seen = 0
        self._current_epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if isinstance(self.save_freq, int):
            self._batches_seen += 1
            if self._batches_seen % self.save_freq == 0:
                self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _save(self, epoch, batch, logs):
        logs = logs or {}
        filepath = self._format_path(epoch, batch, logs)
        if self.save_best_only:
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(f"Can save best model only with {self.monitor} available, "
                              "skipping.", stacklevel=2)
                return
            mode = resolve_mode(self.monitor, self.mode, "ModelCheckpoint")
            if not is_improvement(current, self.best, mode):
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from "
                          f"{self.best:.5f}")
                return
            if self.verbose > 0:
                previous = self.best if self.best is not None else (
                    math.inf if mode == "min" else -math.inf)
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from "
                      f"{previous:.5f} to {current:.5f}, saving model to {filepath}")
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
        self._write_atomically(filepath)

    def _format_path(self, epoch, batch, logs):
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". '
                f"Reason: {error} is not among the logs ({sorted(logs)}).") from error

    def _write_atomically(self, filepath):
        folder = os.path.dirname(os.path.abspath(filepath))
        os.makedirs(folder, exist_ok=True)
        suffix = ".weights.h5" if self.save_weights_only else ".keras"
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=suffix, prefix=".tmp-")
        os.close(handle)
        try:
            if self.save_weights_only:
                self.model.save_weights(temporary, overwrite=True)
            else:
                self.model.save(temporary, overwrite=True)
            os.replace(temporary, filepath)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
