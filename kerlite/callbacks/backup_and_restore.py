"""BackupAndRestore: a ``fit`` that was interrupted starts again where it stopped.

At the end of each epoch (or every ``save_freq`` batches) the callback writes the model's
weights, the optimizer's state included, to ``backup_dir/latest.weights.h5`` and the
number of finished epochs to ``backup_dir/training_metadata.json``. When ``fit`` starts
with the same callback and those files exist (a kernel restart in a notebook, a run that
raised), it loads them and ``fit`` goes on from that epoch. When ``fit`` ends, the backup
is deleted (``delete_checkpoint=True``).

As in Keras 3, except for what is deleted: Keras removes the whole ``backup_dir``; kerlite
removes only the files it wrote there (and the folder, if that leaves it empty), so a
folder given by mistake (``"."``) keeps everything else. The metadata file is read as
untrusted input: a JSON object of at most 4 KiB whose ``epoch`` is a whole number.
"""

import json
import os
import shutil

from kerlite.callbacks.callback import Callback

_METADATA_BYTES_AT_MOST = 4096


class BackupAndRestore(Callback):
    """Back up the training state, and restore it when ``fit`` starts again.

    Args:
        backup_dir: the folder of the backup; give each training run its own.
        save_freq: ``"epoch"`` (at the end of each epoch) or a number of batches.
        double_checkpoint: also keep the previous backup (``*.bkp``) and restore that one
            when the latest cannot be read.
        delete_checkpoint: delete the backup when ``fit`` ends.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and (not isinstance(save_freq, int)
                                     or isinstance(save_freq, bool)):
            raise ValueError(
                "Invalid value for argument `save_freq`. "
                f"Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, "latest.weights.h5")
        self._metadata_path = os.path.join(self.backup_dir, "training_metadata.json")
        self._previous = {path: f"{path}.bkp"
                          for path in (self._weights_path, self._metadata_path)}
        self._current_epoch = 0
        self._last_batch_seen = 0
        self._batches_since_saving = 0

    # --- restoring --------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        try:
            self._restore()
        except (OSError, ValueError):
            previous_weights = self._previous[self._weights_path]
            if not (self.double_checkpoint and os.path.exists(previous_weights)):
                raise
            for path, previous in self._previous.items():  # the backup before
                if os.path.exists(previous):
                    shutil.copyfile(previous, path)
                elif os.path.exists(path):
                    os.remove(path)
            self._restore()

    def _restore(self):
        """Load the weights and the epoch count, if a backup exists."""
        model = self.model
        if not model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, your model must be built before "
                f"you call `fit()`. Model {model.name!r} is unbuilt. You can build it "
                "beforehand by calling it on a batch of data.")
        # the metadata is checked first: a bad file leaves the model as it was
        epoch = self._read_epoch() if os.path.exists(self._metadata_path) else None
        if os.path.exists(self._weights_path):
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                optimizer.build(model.trainable_variables)  # its state is in the file
            model.load_weights(self._weights_path)
        if epoch is not None:
            model._initial_epoch = epoch

    def _read_epoch(self):
        with open(self._metadata_path, "rb") as file:
            text = file.read(_METADATA_BYTES_AT_MOST + 1)
        if len(text) > _METADATA_BYTES_AT_MOST:
            raise ValueError(f"{self._metadata_path} is larger than "
                             f"{_METADATA_BYTES_AT_MOST} bytes: not a training backup.")
        metadata = json.loads(text)
        epoch = metadata.get("epoch") if isinstance(metadata, dict) else None
        if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
            raise ValueError(f"{self._metadata_path} does not hold a number of finished "
                             f"epochs (expected {{'epoch': 3, ...}}). Received: {metadata!r}")
        return epoch

    # --- backing up -------------------------------------------------------------------
    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        # batch counts from 0 again in each epoch
        seen = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._last_batch_seen = batch
        self._batches_since_saving += seen
        if self._batches_since_saving >= self.save_freq:
            self._batches_since_saving = 0
            self._save()

    def _save(self):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            for path, previous in self._previous.items():
                if os.path.exists(path):
                    shutil.copyfile(path, previous)
        self.model.save_weights(self._weights_path, overwrite=True)
        partial = f"{self._metadata_path}.tmp"  # then renamed: never half a file
        with open(partial, "w") as file:
            json.dump({"epoch": self._current_epoch, "batch": self._last_batch_seen}, file)
        os.replace(partial, self._metadata_path)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint:
            return
        written = (*self._previous, *self._previous.values(), f"{self._metadata_path}.tmp")
        for path in written:
            if os.path.exists(path):
                os.remove(path)
        if os.path.isdir(self.backup_dir) and not os.listdir(self.backup_dir):
            os.rmdir(self.backup_dir)
