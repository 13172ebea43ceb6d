"""What ``compile`` builds: the total loss and the metrics, per model output.

``CompileLoss`` matches the ``loss`` argument (one loss, a list, or a dict by output
name) to the outputs, weights each by ``loss_weights`` and sums them; it also tracks the
mean of each output's loss (``<output_name>_loss``) when there are several outputs.
``CompileMetrics`` does the same for ``metrics`` and ``weighted_metrics``, resolving
``"accuracy"`` from the shapes it sees in the first batch. ``per_output`` is the one
rule matching a value to the outputs, used for compile's arguments and for the data
(``y``, ``sample_weight``) alike.
"""

from kerlite import losses as losses_module
from kerlite import metrics as metrics_module
from kerlite.autodiff.tensor import Tensor


def per_output(argument, output_names, what):
    """``argument`` as a list aligned with the model's outputs: kerlite's one rule for
    matching ``loss``, ``loss_weights``, ``metrics``, ``weighted_metrics`` (compile) and
    ``y``, ``sample_weight`` (the data) to the outputs.

    * a dict is read by output name; an output it does not name gets ``None``. In a
      compile argument every key must be an output name (anything else is a typo); data
      may carry other entries, but a target dict must name at least one output;
    * a list or tuple gives one entry per output (its length must match); for a
      single-output model, data given as a list other than ``[array]`` is the data
      itself (``y=[0, 1, 1]``);
    * metrics are a list, tuple or dict, as in Keras 3: every metric named applies to a
      single output; with several outputs, a list gives one entry per output (a metric,
      a list of metrics, or None). A flat list of another length, which Keras 3 refuses,
      is read as Keras 2 did and as the keras.io RNN guide still writes it
      (``metrics=["accuracy"]`` for two outputs): every metric for every output;
    * anything else (a loss, a loss weight) is shared by every output.
    """
    count = len(output_names)
    is_data = what in ("y", "sample_weight")
    if what.endswith("metrics"):
        if not argument:
            return [None] * count
        if not isinstance(argument, (list, tuple, dict)):
            raise ValueError(
                f"Expected `{what}` argument to be a list, tuple, or dict. Received "
                f"instead: {what}={argument!r} of type {type(argument).__name__}. Write "
                f"{what}=[{argument!r}].")
        if count == 1:
            return [_leaves(argument)]
        if isinstance(argument, (list, tuple)) and len(argument) != count and not any(
                isinstance(item, (list, tuple, dict)) for item in argument):
            return [_leaves(argument)] * count
    if isinstance(argument, dict):
        unknown = set(argument) - set(output_names)
        if unknown and not is_data:
            raise ValueError(
                f"In the dict passed as `{what}` to compile(), the keys {sorted(unknown)} "
                f"are not output names. The model's outputs are {output_names}.")
        if what == "y" and len(unknown) == len(argument):
            raise ValueError(f"The keys of the target dict {sorted(argument)} match none "
                             f"of the model's output names {output_names}.")
        return [argument.get(name) for name in output_names]
    if not what.endswith("metrics") and (not isinstance(argument, (list, tuple)) or (
            is_data and count == 1 and len(argument) != 1)):
        return [argument] * count
    if len(argument) != count:
        where = "fit()" if is_data else "compile()"
        per_entry = (" (a metric, a list of metrics, or None)" if what.endswith("metrics")
                     else "")
        raise ValueError(
            f"{where} received a list of {len(argument)} values for `{what}`, but the "
            f"model has {count} output(s) ({output_names}). Pass one per "
            f"output{per_entry}, or a dict keyed by output name.")
    return list(argument)


def _leaves(argument):
    """The identifiers inside a (possibly nested) list/dict argument of compile()."""
    if isinstance(argument, dict):
        return [leaf for value in argument.values() for leaf in _leaves(value)]
    if isinstance(argument, (list, tuple)):
        return [leaf for item in argument for leaf in _leaves(item)]
    return [] if argument is None else [argument]


def check_compile_arguments(loss, loss_weights, metrics, weighted_metrics, output_names):
    """Resolve every identifier given to compile() now, so that a typo fails in
    ``compile`` (a ValueError naming it) and not after ``fit`` has changed the weights.

    ``output_names`` is None when the outputs are not known yet (a subclassed model
    before its first call): then only the identifiers are checked, not their layout.
    """
    for identifier in _leaves(loss):
        if not (isinstance(identifier, str) and identifier.lower() in ("crossentropy",
                                                                        "ce")):
            losses_module.get(identifier)
    for argument in (metrics, weighted_metrics):
        for identifier in _leaves(argument):
            if not (isinstance(identifier, str) and identifier.lower() in ("accuracy",
                                                                            "acc")):
                metrics_module.get(identifier)
    for weight in _leaves(loss_weights):
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) and not (
                hasattr(weight, "dtype") and getattr(weight, "size", 0) == 1):
            raise ValueError(f"Each of `loss_weights` must be a number. Received: "
                             f"loss_weights={loss_weights!r}")
    if output_names is not None:
        CompileLoss(loss, loss_weights, output_names)
        CompileMetrics(metrics, weighted_metrics, output_names)


def _resolve_loss(identifier, y_true, y_pred):
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        binary = y_pred.shape[-1:] == (1,)
        sparse = y_true.ndim < y_pred.ndim or (y_true.shape[-1:] == (1,)
                                                 and y_pred.shape[-1] > 1)
        identifier = ("binary_crossentropy" if binary else
                      "sparse_categorical_crossentropy" if sparse else
                      "categorical_crossentropy")
    loss = losses_module.get(identifier)
    if isinstance(loss, losses_module.Loss):
        return loss
    name = identifier if isinstance(identifier, str) else getattr(loss, "__name__", None)
    return losses_module.LossFunctionWrapper(loss, name=name)


class CompileLoss:
    """The weighted sum of the per-output losses."""

    def __init__(self, loss, loss_weights, output_names):
        self.output_names = list(output_names)
        self._identifiers = per_output(loss, self.output_names, "loss")
        weights = per_output(loss_weights, self.output_names, "loss_weights")
        self.loss_weights = [1.0 if w is None else float(w) for w in weights]
        self.losses = None
        self.trackers = []  # (log name, Mean) per output, when there are several

    def build(self, y_true, y_pred):
        self.losses = [None if identifier is None else _resolve_loss(identifier, t, p)
                       for identifier, t, p in zip(self._identifiers, y_true, y_pred)]
        if len(self.output_names) > 1:
            self.trackers = [(index, metrics_module.Mean(name=f"{name}_loss"))
                             for index, name in enumerate(self.output_names)
                             if self.losses[index] is not None]
        self._tracker_of_output = [None] * len(self.losses)
        for index, tracker in self.trackers:
            self._tracker_of_output[index] = tracker

    def __call__(self, y_true, y_pred, sample_weight, batch_size):
        """Total loss (a Tensor) for lists of targets, predictions and sample weights."""
        if self.losses is None:
            self.build([_data(t) for t in y_true], [_data(p) for p in y_pred])
        total = None
        trackers = self._tracker_of_output
        for index, loss in enumerate(self.losses):
            if loss is None:
                continue
            value = loss(y_true[index], y_pred[index], sample_weight[index])
            if trackers[index] is not None:
                trackers[index].update_state(value.data, sample_weight=batch_size)
            if self.loss_weights[index] != 1.0:
                value = value * self.loss_weights[index]
            total = value if total is None else total + value
        return total


def _data(value):
    return value.data if isinstance(value, Tensor) else value


def _make_metric(identifier, y_true, y_pred, output_name, prefix_output):
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        metric = metrics_module.get_accuracy(y_true.shape, y_pred.shape, name=identifier)
    else:
        metric = metrics_module.get(identifier)
        if not isinstance(metric, metrics_module.Metric):
            name = identifier if isinstance(identifier, str) else metric.__name__
            metric = metrics_module.MeanMetricWrapper(metric, name=name)
        elif isinstance(identifier, str):
            metric.name = identifier
    if prefix_output:
        metric.name = f"{output_name}_{metric.name}"
    return metric


class CompileMetrics:
    """The compiled metrics (unweighted) and weighted metrics, per output."""

    def __init__(self, metrics, weighted_metrics, output_names):
        self.output_names = list(output_names)
        self._requested = per_output(metrics, self.output_names, "metrics")
        self._requested_weighted = per_output(weighted_metrics, self.output_names,
                                              "weighted_metrics")
        self.metrics = None  # list of (output index, metric, weighted?)

    def build(self, y_true, y_pred):
        self.metrics = []
        several = len(self.output_names) > 1
        for weighted, requested in ((False, self._requested),
                                    (True, self._requested_weighted)):
            for index, identifiers in enumerate(requested):
                if identifiers is None:
                    continue
                if not isinstance(identifiers, (list, tuple)):
                    identifiers = [identifiers]
                for identifier in identifiers:
                    metric = _make_metric(identifier, y_true[index], y_pred[index],
                                          self.output_names[index], several)
                    self.metrics.append((index, metric, weighted))
        self._name_like_keras(several)

    def _name_like_keras(self, several):
        """Log names as Keras gives them: ``<output>_<metric>`` with several outputs; a
        repeated name gets ``_1``, ``_2``...; a weighted metric whose name is taken by an
        unweighted one becomes ``[<output>_]weighted_<metric>``."""
        taken = {}
        for index, metric, weighted in self.metrics:
            prefix = f"{self.output_names[index]}_" if several else ""
            base = metric.name[len(prefix):] if several else metric.name
            name = metric.name
            if name in taken and weighted:
                name = f"{prefix}weighted_{base}"
            if name in taken:
                taken[name] += 1
                name = f"{name}_{taken[name] - 1}"
            else:
                taken[name] = 1
            metric.name = name

    def update_state(self, y_true, y_pred, sample_weight):
        if self.metrics is None:
            self.build([_data(t) for t in y_true], [_data(p) for p in y_pred])
        for index, metric, weighted in self.metrics:
            metric.update_state(y_true[index], y_pred[index],
                                sample_weight[index] if weighted else None)

    @property
    def metric_objects(self):
        return [metric for _, metric, _ in self.metrics or ()]
