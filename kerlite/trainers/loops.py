"""The epoch loops of ``fit``, ``evaluate`` and ``predict``.

Each loop pulls batches from a data adapter, runs one step per batch (the steps are in
``trainer.py``) and tells the callbacks what happened. Batch-level logs are computed
only when some callback listens for them (``CallbackList.listens_to``), so a quiet
``fit`` costs nothing extra per batch.
"""

import functools
import warnings

import numpy

from kerlite import arrays, config
from kerlite.perf import blas_threads, host_allocator
from kerlite.callbacks.callback_list import CallbackList
from kerlite.trainers.class_weights import check_class_weight
from kerlite.trainers.data_adapter import EpochIterator, split_validation, unpack


def _verbosity(verbose):
    return 1 if verbose == "auto" else verbose


def _with_speed_policies(loop):
    """Run ``loop`` under kerlite.perf's policies, chosen once and remembered: freed
    host buffers kept for the next step (once per process, ``perf/host_allocator.py``)
    and the BLAS thread count (once per model, ``perf/blas_threads.py``). Both
    documents say how to opt out."""

    @functools.wraps(loop)
    def wrapper(self, *args, **kwargs):
        choice = self.__dict__.get("_blas_threads_choice")
        if choice is None or choice[0] != blas_threads.generation:
            choice = _choose_speed_policies(self)
        if choice[1] is None:
            return loop(self, *args, **kwargs)
        with blas_threads.limit_threads(choice[1]):
            return loop(self, *args, **kwargs)

    return wrapper


def _choose_speed_policies(model):
    """(setting generation, BLAS threads) for ``model``; remembered once it has weights
    (a subclassed model gets them in its first call, which may change the choice)."""
    if arrays.backend() == "numpy":
        host_allocator.keep_freed_buffers()
    sizes = [int(v.data.size) for v in model.weights]
    choice = (blas_threads.generation, blas_threads.threads_for(max(sizes, default=0)))
    if sizes:
        model._blas_threads_choice = choice
    return choice


class Loops:
    """fit / evaluate / predict, mixed into ``Trainer``.

    The callbacks see what Keras 3 shows them, in Keras's order (see ``CallbackList``
    for how ``logs`` is passed): ``on_train_begin``; per epoch ``on_epoch_begin``, per
    batch ``on_train_batch_begin``/``_end`` (the running loss and metrics), then the
    validation pass on the same callbacks (``on_test_begin``, ``on_test_batch_*``,
    ``on_test_end``) and ``on_epoch_end`` with the ``val_*`` entries added; finally
    ``on_train_end`` with the last epoch's logs, when training ended without an error.
    """

    @_with_speed_policies
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto",
            callbacks=None, validation_split=0.0, validation_data=None, shuffle=True,
            class_weight=None, sample_weight=None, initial_epoch=0, steps_per_epoch=None,
            validation_steps=None, validation_batch_size=None, validation_freq=1):
        """Train for ``epochs`` epochs; returns the ``History``.

        ``validation_split`` holds out the last fraction of the arrays (before
        shuffling); ``validation_data`` is ``(x_val, y_val[, sample_weight])``, a
        generator or a PyDataset, evaluated every ``validation_freq`` epochs (or at
        the epochs, counted from 1, of a list).
        """
        self._ensure_compiled()
        y = self._targets(x, y)
        cap = config.max_epochs()
        if cap and cap < epochs:  # keras.config.set_max_epochs, for quick debugging runs
            warnings.warn(f"Limiting epochs to {cap}")
            epochs = cap
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = split_validation(
                x, y, sample_weight, validation_split)
        if class_weight is not None:
            check_class_weight(class_weight, y, self._class_count())
        data = EpochIterator(x, y, sample_weight, batch_size, steps_per_epoch, shuffle,
                             class_weight)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_history=True,
                                     add_progbar=_verbosity(verbose) != 0, model=self,
                                     verbose=verbose, epochs=epochs,
                                     steps=data.num_batches)
        batch_logs_wanted = callbacks.listens_to("on_train_batch_end", "on_batch_end")
        batch_begin_wanted = callbacks.listens_to("on_train_batch_begin", "on_batch_begin")
        # A subclassed model creates its weights in its first call: then the variables
        # are collected after the first forward pass (see _train_batch).
        variables = self.trainable_weights if self.built and self.weights else None
        self._cache_loss_sources()
        self.stop_training = False
        self._initial_epoch = None  # a callback may set it: BackupAndRestore resuming
        callbacks.on_train_begin()
        initial_epoch = self._initial_epoch or initial_epoch
        training_logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            for step, (batch_x, batch_y, batch_weight) in data.epoch():
                if batch_begin_wanted:
                    callbacks.on_train_batch_begin(step)
                variables = self._train_batch(batch_x, batch_y, batch_weight, variables)
                if batch_logs_wanted:
                    callbacks.on_train_batch_end(step, self._logs())
                if self.stop_training:
                    break
            epoch_logs = self._logs()
            if validation_data is not None and _should_validate(epoch, validation_freq):
                epoch_logs.update(self._validate(validation_data, validation_batch_size or
                                                 batch_size, validation_steps, callbacks))
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        if epochs > 0:  # with use_ema the weights become their moving averages, as Keras
            self.optimizer.finalize_variable_values(self.trainable_weights)
        callbacks.on_train_end(training_logs)
        self.history = callbacks.history
        return callbacks.history

    def _validate(self, validation_data, batch_size, steps, callbacks):
        """The validation pass: ``evaluate`` on the fit's own callbacks (which then see
        ``on_test_*``; the progress bar stays quiet), as ``val_``-prefixed logs."""
        if isinstance(validation_data, (tuple, list)):
            val_x, val_y, val_weight = unpack(tuple(validation_data))
        else:
            val_x, val_y, val_weight = validation_data, None, None
        results = self.evaluate(val_x, val_y, batch_size=batch_size,
                                sample_weight=val_weight, steps=steps,
                                callbacks=callbacks, return_dict=True)
        return {"val_" + name: value for name, value in results.items()}

    @_with_speed_policies
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto",
                 sample_weight=None, steps=None, callbacks=None, return_dict=False,
                 **kwargs):
        """Loss and metrics over the data: a float, a list in ``metrics_names`` order,
        or a dict with ``return_dict=True``."""
        self._ensure_compiled()
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        y = self._targets(x, y)
        data = EpochIterator(x, y, sample_weight, batch_size, steps)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_progbar=_verbosity(verbose) != 0,
                                     model=self, verbose=verbose, epochs=1,
                                     steps=data.num_batches)
        batch_begin_wanted = callbacks.listens_to("on_test_batch_begin")
        batch_logs_wanted = callbacks.listens_to("on_test_batch_end")
        self._cache_loss_sources()
        self.stop_evaluating = False
        callbacks.on_test_begin()
        self.reset_metrics()
        for step, (batch_x, batch_y, batch_weight) in data.epoch():
            if batch_begin_wanted:
                callbacks.on_test_batch_begin(step)
            self._test_batch(batch_x, batch_y, batch_weight)
            if batch_logs_wanted:
                callbacks.on_test_batch_end(step, self._logs())
            if self.stop_evaluating:
                break
        callbacks.on_test_end(self._logs())
        return self._results(return_dict)

    @_with_speed_policies
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for every sample, as NumPy array(s) (a list for several
        outputs), computed batch by batch with ``training=False``."""
        data = EpochIterator(x, batch_size=batch_size, steps_per_epoch=steps)
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(callbacks, add_progbar=_verbosity(verbose) != 0,
                                     model=self, verbose=verbose, epochs=1,
                                     steps=data.num_batches)
        batch_begin_wanted = callbacks.listens_to("on_predict_batch_begin")
        batch_end_wanted = callbacks.listens_to("on_predict_batch_end")
        self.stop_predicting = False
        callbacks.on_predict_begin()
        pieces = []
        for step, (batch_x, _, _) in data.epoch():
            if batch_begin_wanted:
                callbacks.on_predict_batch_begin(step)
            outputs = self._predict_batch(batch_x)
            pieces.append(outputs)
            if batch_end_wanted:
                callbacks.on_predict_batch_end(step, {"outputs": outputs})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        return _concatenate(pieces)


def _should_validate(epoch, validation_freq):
    """Keras's rule: every ``validation_freq`` epochs, or at the listed epochs (from 1)."""
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    if isinstance(validation_freq, (list, tuple)):
        return epoch + 1 in validation_freq
    raise ValueError("validation_freq must be an int or a list of epoch numbers. "
                     f"Received: validation_freq={validation_freq!r} of type "
                     f"{type(validation_freq).__name__}")


def _concatenate(pieces):
    if not pieces:
        raise ValueError("predict() received no data: the input was empty.")
    first = pieces[0]
    if isinstance(first, (list, tuple)):
        return [numpy.concatenate([p[i] for p in pieces]) for i in range(len(first))]
    if isinstance(first, dict):
        return {key: numpy.concatenate([p[key] for p in pieces]) for key in first}
    return numpy.concatenate(pieces)
