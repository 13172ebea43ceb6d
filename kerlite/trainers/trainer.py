"""Trainer: the training half of ``Model`` (compile, fit, evaluate, predict).

One training step is the whole story of deep learning in five lines (``_train_batch``),
written as a Keras user writes a custom ``train_step``: run the model and compute the
loss under a ``GradientTape``, ask the tape for the gradients, let the optimizer update
the weights, update the metrics. Everything else here moves data in and logs out.

To follow ``fit``, read: ``loops.py`` (the epoch loop), this file (the step),
``data_adapter.py`` (the batches), ``compile_utils.py`` (the loss and metrics of each
output, and ``per_output``, the one rule matching values to outputs).
"""

import warnings

from kerlite import arrays, optimizers
from kerlite.common.nest import map_structure
from kerlite.autodiff.gradients import GradientTape
from kerlite.autodiff.tensor import Tensor
from kerlite.metrics.reduction_metrics import Mean
from kerlite.trainers.compile_utils import (CompileLoss, CompileMetrics,
                                            check_compile_arguments, per_output)
from kerlite.trainers.class_weights import check_class_weight, class_weight_to_sample_weight
from kerlite.trainers.data_adapter import input_arrays
from kerlite.trainers.loops import Loops


class Trainer(Loops):
    """compile / fit / evaluate / predict and the ``*_on_batch`` methods (Keras 3 API).

    The epoch loops (``fit``, ``evaluate``, ``predict``) live in ``loops.py``.
    """

    compiled = False
    optimizer = None
    loss = None
    stop_training = False
    history = None

    # --- compile ---------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True, **legacy_arguments):
        """Choose the optimizer, the loss(es) and the metrics to train with.

        ``loss``, ``loss_weights``, ``metrics`` and ``weighted_metrics`` may be one
        value, a list (one per output) or a dict keyed by output name. Metrics in
        ``weighted_metrics`` are weighted by ``sample_weight`` / ``class_weight``; a
        name that ``metrics`` already uses is logged as ``weighted_<name>``.
        ``run_eagerly``, ``jit_compile`` and ``steps_per_execution`` are accepted for
        compatibility (kerlite always runs eagerly, one step at a time).

        Every identifier is resolved here, before anything changes: a typo raises a
        ValueError now rather than after ``fit`` has run a step. Keras 2's
        ``sample_weight_mode`` and ``target_tensors`` are accepted with a
        DeprecationWarning (see ``_legacy_compile_arguments``).
        """
        target_tensors = _legacy_compile_arguments(legacy_arguments)
        resolved_optimizer = optimizers.get(optimizer)
        check_compile_arguments(loss, loss_weights, metrics, weighted_metrics,
                                self._known_output_names())
        self.optimizer = resolved_optimizer
        self.loss = loss
        self._compile_arguments = (loss, loss_weights, metrics, weighted_metrics)
        self._target_tensors = target_tensors
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = Mean(name="loss")
        self.run_eagerly = run_eagerly
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile
        self.compiled = True
        self.stop_training = False

    def _known_output_names(self):
        """The output names, or None while the model cannot tell (not built yet)."""
        try:
            outputs = self.outputs
        except (AttributeError, ValueError):
            return None
        if not isinstance(outputs, (list, tuple)) or not outputs:
            return None
        return self._output_names(len(outputs))

    def _targets(self, x, y):
        """``y``, or the Keras 2 ``target_tensors`` given to compile() when arrays ``x``
        come without ``y``."""
        legacy = self.__dict__.get("_target_tensors")
        if y is None and legacy is not None and (
                hasattr(x, "shape") or isinstance(x, (list, tuple, dict))):
            return legacy
        return y

    def _class_count(self):
        """How many classes the (single) output can predict, or None if unknown."""
        try:
            outputs = self.outputs
        except (AttributeError, ValueError):
            return None
        if not isinstance(outputs, (list, tuple)) or len(outputs) != 1:
            return None
        units = outputs[0].shape[-1] if outputs[0].shape else None
        if not isinstance(units, int):
            return None
        return max(units, 2)  # one unit: a binary (sigmoid) output, classes 0 and 1

    def _ensure_compiled(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model, e.g. "
                             "model.compile(optimizer='adam', loss='mse').")

    def _output_names(self, count):
        names = list(getattr(self, "output_names", None) or [])
        return names if len(names) == count else [f"output_{i}" for i in range(count)]

    def _build_compile_objects(self, count):
        loss, loss_weights, metrics, weighted_metrics = self._compile_arguments
        names = self._output_names(count)
        self._compile_loss = CompileLoss(loss, loss_weights, names)
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics, names)

    # --- metrics and logs ----------------------------------------------------------
    @property
    def metrics(self):
        """The Metric objects: the loss tracker, per-output losses, compiled metrics."""
        if not self.compiled:
            return []
        found = [self._loss_tracker]
        if self._compile_loss is not None:
            found += [tracker for _, tracker in self._compile_loss.trackers]
        if self._compile_metrics is not None:
            found += self._compile_metrics.metric_objects
        return found

    @property
    def metrics_names(self):
        """Names in the order ``evaluate`` returns values: loss, per-output losses, then
        the other metrics alphabetically (Keras 2's useful list, not Keras 3's
        ``["loss", "compile_metrics"]``)."""
        metrics = self.metrics
        trackers = self._compile_loss.trackers if self._compile_loss is not None else []
        losses = [m.name for m in metrics[:1 + len(trackers)]]
        return losses + sorted(m.name for m in metrics[len(losses):])

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def _logs(self):
        logs = {metric.name: _python_value(metric.result()) for metric in self.metrics}
        return dict(sorted(logs.items()))

    # --- one step ---------------------------------------------------------------------
    def _as_model_input(self, x):
        """The batch's inputs as Tensors: the data adapter (``input_arrays``) has made
        them arrays of the right library and dtype already."""
        if isinstance(x, (list, tuple, dict)):
            return map_structure(_as_tensor, x)
        return _as_tensor(x)

    def _outputs(self, y_pred):
        """The model's predictions as a list in output order (a dict of predictions is
        read by output name when its keys are the output names)."""
        if isinstance(y_pred, Tensor):
            return [y_pred]
        if isinstance(y_pred, dict):
            names = self._output_names(len(y_pred))
            return [y_pred[name] for name in names] if set(names) == set(y_pred) else list(
                y_pred.values())
        return list(y_pred) if isinstance(y_pred, (list, tuple)) else [y_pred]

    def _compute_loss(self, y, y_pred, sample_weight, batch_size):
        if self._compile_loss is None:
            self._build_compile_objects(len(y_pred))
        names = self._compile_loss.output_names
        y_true = per_output(y, names, "y")
        weights = per_output(sample_weight, names, "sample_weight")
        loss = self._compile_loss(y_true, y_pred, weights, batch_size)
        for extra in self._extra_losses():  # add_loss values and weight regularizers
            loss = extra if loss is None else loss + extra
        if loss is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in "
                             "`compile()`, e.g. model.compile(optimizer='adam', "
                             "loss='mse'), or add losses with `add_loss`.")
        return loss, y_true, weights

    def _extra_losses(self):
        """``model.losses``, read from the lists ``_cache_loss_sources`` made at the
        start of the loop (walking every layer each step would cost more than the step
        itself on small models)."""
        sources = self.__dict__.get("_loss_sources")
        if sources is None:
            return getattr(self, "losses", None) or ()
        layers, regularized = sources
        found = [loss for layer in layers for loss in layer._losses]
        found += [variable.regularizer(variable) for variable in regularized]
        return found

    def _cache_loss_sources(self):
        """Remember which layers can add losses and which weights are regularized."""
        if hasattr(self, "_flatten_layers"):
            regularized = [v for v in self.trainable_weights if v.regularizer is not None]
            self._loss_sources = (self._flatten_layers(), regularized)

    def _train_batch(self, x, y, sample_weight, variables):
        """One step, as a Keras user writes a custom ``train_step``: forward and loss
        under a ``GradientTape``, its gradients, the optimizer's update, the metrics."""
        inputs = self._as_model_input(x)
        batch_size = _batch_size(inputs)
        with GradientTape() as tape:
            y_pred = self._outputs(self(inputs, training=True))
            loss, y_true, weights = self._compute_loss(y, y_pred, sample_weight,
                                                       batch_size)
        if variables is None:  # the first call just built the model
            variables = self.trainable_weights
            self._cache_loss_sources()
        grads = tape.gradient(loss, variables)
        self.optimizer.apply(grads, variables)
        self._update_metrics(loss, y_true, y_pred, weights, batch_size)
        return variables

    def _test_batch(self, x, y, sample_weight):
        inputs = self._as_model_input(x)
        batch_size = _batch_size(inputs)
        y_pred = self._outputs(self(inputs, training=False))
        loss, y_true, weights = self._compute_loss(y, y_pred, sample_weight,
                                                   batch_size)
        self._update_metrics(loss, y_true, y_pred, weights, batch_size)

    def _update_metrics(self, loss, y_true, y_pred, weights, batch_size):
        self._loss_tracker.update_state(loss, sample_weight=batch_size)
        self._compile_metrics.update_state(y_true, y_pred, weights)

    def _predict_batch(self, x):
        outputs = self(self._as_model_input(x), training=False)
        return map_structure(lambda v: None if v is None else arrays.to_numpy(v), outputs)

    # --- the batch methods ----------------------------------------------------------
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One update on one batch; returns the loss (and metrics) of that batch."""
        self._ensure_compiled()
        y = self._targets(x, y)
        if class_weight is not None:
            if sample_weight is not None:
                raise ValueError(
                    "Arguments `sample_weight` and `class_weight` cannot be specified "
                    "at the same time. Fold the class weights into the sample weights.")
            check_class_weight(class_weight, y, self._class_count())
            sample_weight = class_weight_to_sample_weight(y, class_weight)
        self.reset_metrics()
        self._cache_loss_sources()
        self._train_batch(input_arrays(x), y, sample_weight,
                          self.trainable_weights if self.built and self.weights else None)
        return self._results(return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss and metrics of one batch, without updating the weights."""
        self._ensure_compiled()
        y = self._targets(x, y)
        self.reset_metrics()
        self._cache_loss_sources()
        self._test_batch(input_arrays(x), y, sample_weight)
        return self._results(return_dict)

    def predict_on_batch(self, x):
        """The model's output for one batch, as NumPy array(s)."""
        return self._predict_batch(input_arrays(x))

    def _results(self, return_dict):
        logs = self._logs()
        if return_dict:
            return logs
        values = [logs[name] for name in self.metrics_names]
        return values[0] if len(values) == 1 else values

    # Keras 2's generator methods, with Keras 2's positional order (the seeds use it).
    # max_queue_size / workers / use_multiprocessing now belong to keras.utils.PyDataset.

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1,
                      callbacks=None, validation_data=None, validation_steps=None,
                      class_weight=None, max_queue_size=10, workers=1,
                      use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Keras 2's ``fit_generator``: use ``fit(generator, ...)`` instead."""
        warnings.warn("`Model.fit_generator` is deprecated; use `Model.fit`, which "
                      "accepts generators. " + _WORKERS_MOVED, DeprecationWarning,
                      stacklevel=2)
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs,
                        verbose=verbose, callbacks=callbacks,
                        validation_data=validation_data, validation_steps=validation_steps,
                        class_weight=class_weight, shuffle=shuffle,
                        initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, max_queue_size=10, workers=1,
                           use_multiprocessing=False, verbose=0):
        """Keras 2's ``evaluate_generator``: use ``evaluate(generator, ...)`` instead."""
        warnings.warn("`Model.evaluate_generator` is deprecated; use `Model.evaluate`, "
                      "which accepts generators. " + _WORKERS_MOVED, DeprecationWarning,
                      stacklevel=2)
        return self.evaluate(generator, steps=steps, verbose=verbose)

    def predict_generator(self, generator, steps=None, max_queue_size=10, workers=1,
                          use_multiprocessing=False, verbose=0):
        """Keras 2's ``predict_generator``: use ``predict(generator, ...)`` instead."""
        warnings.warn("`Model.predict_generator` is deprecated; use `Model.predict`, "
                      "which accepts generators. " + _WORKERS_MOVED, DeprecationWarning,
                      stacklevel=2)
        return self.predict(generator, steps=steps, verbose=verbose)


_WORKERS_MOVED = ("`max_queue_size`, `workers` and `use_multiprocessing` are arguments "
                  "of keras.utils.PyDataset in Keras 3.")


def _as_tensor(value):
    return value if value is None or isinstance(value, Tensor) else Tensor(value)


def _batch_size(inputs):
    first = inputs
    while isinstance(first, (list, tuple, dict)):
        first = next(iter(first.values())) if isinstance(first, dict) else first[0]
    return first.shape[0] if first.ndim else 1


def _python_value(result):
    data = result.data if isinstance(result, Tensor) else result
    return float(data) if getattr(data, "size", 1) == 1 else data.tolist()


def _legacy_compile_arguments(arguments):
    """Keras 2's ``sample_weight_mode`` and ``target_tensors``: accepted with a
    DeprecationWarning naming what replaces them; returns the target tensors (or None).
    """
    unknown = sorted(set(arguments) - {"sample_weight_mode", "target_tensors"})
    if unknown:
        raise TypeError(f"compile() got an unexpected keyword argument {unknown[0]!r}")
    if "sample_weight_mode" in arguments:
        warnings.warn(
            "compile(sample_weight_mode=...) is a Keras 2 argument that Keras 3 dropped: "
            "it is not needed any more. Pass `sample_weight` to fit() with the shape you "
            "need: (samples,) for one weight per sample, or (samples, timesteps) for one "
            "weight per time step (what sample_weight_mode='temporal' was for).",
            DeprecationWarning, stacklevel=3)
    target_tensors = arguments.get("target_tensors")
    if "target_tensors" in arguments:
        warnings.warn(
            "compile(target_tensors=...) is a Keras 2 argument that Keras 3 dropped: "
            "pass the targets to fit() as `y` instead (fit(x, y)). kerlite uses the "
            "given target_tensors as `y` when fit/evaluate/train_on_batch get no `y`.",
            DeprecationWarning, stacklevel=3)
    return target_tensors
