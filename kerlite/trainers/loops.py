"""The epoch loops of ``fit``, ``evaluate`` and ``predict``.

Each loop pulls batches from a data adapter, runs one step per batch (the steps are in
``trainer.py``) and tells the callbacks what happened. Batch-level logs are computed
only when some callback listens for them, so a quiet ``fit`` costs nothing extra.
"""

import functools
import warnings

import numpy

from kerlite import backend, config, host_allocator
from kerlite.callbacks.callback import Callback
from kerlite.callbacks.callback_list import CallbackList
from kerlite.trainers.data_adapter import get_data_adapter, split_validation, unpack


def _listens(callbacks, *hooks):
    """True if any callback overrides one of ``hooks`` (in its class or, as
    LambdaCallback does, on the instance)."""
    return any(getattr(type(c), hook) is not getattr(Callback, hook) or hook in vars(c)
               for c in callbacks.callbacks for hook in hooks)


def _verbosity(verbose):
    return 1 if verbose == "auto" else verbose


def _with_blas_policy(loop):
    """Run ``loop`` under kerlite.backend's BLAS-thread policy for this model's size,
    with freed host buffers kept for the next step (see ``kerlite.host_allocator``)."""

    @functools.wraps(loop)
    def wrapper(self, *args, **kwargs):
        if backend.backend() == "numpy":
            host_allocator.keep_freed_buffers()
        sizes = [int(v.data.size) for v in self.weights]
        with backend.blas_thread_limit(max(sizes, default=0)):
            return loop(self, *args, **kwargs)

    return wrapper


class Loops:
    """fit / evaluate / predict, mixed into ``Trainer``."""

    @_with_blas_policy
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto",
            callbacks=None, validation_split=0.0, validation_data=None, shuffle=True,
            class_weight=None, sample_weight=None, initial_epoch=0, steps_per_epoch=None,
            validation_steps=None, validation_batch_size=None, validation_freq=1):
        """Train for ``epochs`` epochs; returns the ``History``.

        ``validation_split`` holds out the last fraction of the arrays (before
        shuffling); ``validation_data`` is ``(x_val, y_val[, sample_weight])``, a
        generator or a PyDataset, evaluated every ``validation_freq`` epochs.
        """
        self._ensure_compiled()
        cap = config.max_epochs()
        if cap and cap < epochs:  # keras.config.set_max_epochs, for quick debugging runs
            warnings.warn(f"Limiting epochs to {cap}")
            epochs = cap
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = split_validation(
                x, y, sample_weight, validation_split)
        data = get_data_adapter(x, y, sample_weight, batch_size, steps_per_epoch, shuffle,
                                class_weight)
        verbose = _verbosity(verbose)
        callbacks = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                 model=self, verbose=verbose, epochs=epochs,
                                 steps=data.num_batches)
        batch_logs_wanted = _listens(callbacks, "on_train_batch_end", "on_batch_end")
        batch_begin_wanted = _listens(callbacks, "on_train_batch_begin", "on_batch_begin")
        # A subclassed model creates its weights in its first call: then the variables
        # are collected after the first forward pass (see _train_batch).
        variables = self.trainable_weights if self.built and self.weights else None
        self._cache_loss_sources()
        self.stop_training = False
        callbacks.on_train_begin()
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for step, (batch_x, batch_y, batch_weight) in enumerate(data.batches()):
                if batch_begin_wanted:
                    callbacks.on_train_batch_begin(step)
                variables = self._train_batch(batch_x, batch_y, batch_weight, variables)
                if batch_logs_wanted:
                    callbacks.on_train_batch_end(step, self._logs())
                if self.stop_training:
                    break
            logs = self._logs()
            if validation_data is not None and (epoch + 1) % validation_freq == 0:
                logs.update(self._validate(validation_data, validation_batch_size or
                                           batch_size, validation_steps))
            callbacks.on_epoch_end(epoch, logs)
            if hasattr(data, "on_epoch_end"):
                data.on_epoch_end()
            if self.stop_training:
                break
        callbacks.on_train_end(logs)
        self.history = callbacks.history
        return callbacks.history

    def _validate(self, validation_data, batch_size, steps):
        if isinstance(validation_data, (tuple, list)):
            val_x, val_y, val_weight = unpack(tuple(validation_data))
        else:
            val_x, val_y, val_weight = validation_data, None, None
        self._in_fit = True
        try:
            results = self.evaluate(val_x, val_y, batch_size=batch_size, verbose=0,
                                    sample_weight=val_weight, steps=steps,
                                    return_dict=True)
        finally:
            self._in_fit = False
        return {"val_" + name: value for name, value in results.items()}

    @_with_blas_policy
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto",
                 sample_weight=None, steps=None, callbacks=None, return_dict=False,
                 **kwargs):
        """Loss and metrics over the data: a float, a list in ``metrics_names`` order,
        or a dict with ``return_dict=True``."""
        self._ensure_compiled()
        data = get_data_adapter(x, y, sample_weight, batch_size, steps)
        verbose = _verbosity(verbose)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                 verbose=verbose, epochs=1, steps=data.num_batches)
        batch_logs_wanted = _listens(callbacks, "on_test_batch_end")
        self._cache_loss_sources()
        self.reset_metrics()
        callbacks.on_test_begin()
        for step, (batch_x, batch_y, batch_weight) in enumerate(data.batches()):
            callbacks.on_test_batch_begin(step)
            self._test_batch(batch_x, batch_y, batch_weight)
            if batch_logs_wanted:
                callbacks.on_test_batch_end(step, self._logs())
        logs = self._logs()
        callbacks.on_test_end(logs)
        return self._results(return_dict)

    @_with_blas_policy
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for every sample, as NumPy array(s) (a list for several
        outputs), computed batch by batch with ``training=False``."""
        data = get_data_adapter(x, batch_size=batch_size, steps=steps)
        verbose = _verbosity(verbose)
        callbacks = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                 verbose=verbose, epochs=1, steps=data.num_batches)
        callbacks.on_predict_begin()
        pieces = []
        for step, (batch_x, _, _) in enumerate(data.batches()):
            callbacks.on_predict_batch_begin(step)
            outputs = self._predict_batch(batch_x)
            pieces.append(outputs)
            callbacks.on_predict_batch_end(step, {"outputs": outputs})
        callbacks.on_predict_end()
        return _concatenate(pieces)


def _concatenate(pieces):
    if not pieces:
        raise ValueError("predict() received no data: the input was empty.")
    first = pieces[0]
    if isinstance(first, (list, tuple)):
        return [numpy.concatenate([p[i] for p in pieces]) for i in range(len(first))]
    if isinstance(first, dict):
        return {key: numpy.concatenate([p[key] for p in pieces]) for key in first}
    return numpy.concatenate(pieces)
