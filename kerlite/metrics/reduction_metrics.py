"""Sum, Mean and MeanMetricWrapper: the metrics that just accumulate values.

``Mean`` keeps ``total`` and ``count``; its result is ``total / count``. With sample
weights, ``total += sum(values * w)`` and ``count += sum(w)``.
"""

from kerlite import arrays
from kerlite.arrays import convert_to_array
from kerlite.losses.loss import combined_mask
from kerlite.metrics.metric import Metric, scalar_result


def samplewise(values, sample_weight):
    """Per-sample values (extra axes averaged) and matching weights, Keras's way."""
    if sample_weight is not None:
        weight = convert_to_array(sample_weight, values.dtype)
        if weight.ndim == values.ndim + 1 and weight.shape[-1] == 1:
            weight = weight.reshape(weight.shape[:-1])
        elif values.ndim == weight.ndim + 1 and values.shape[-1] == 1:
            values = values.reshape(values.shape[:-1])
        if values.ndim > weight.ndim:
            values = values.mean(axis=tuple(range(weight.ndim, values.ndim)))
        weight = weight + values * 0  # broadcast to the values' shape
        values = values * weight
        if weight.ndim > 1:
            weight = weight.mean(axis=tuple(range(1, weight.ndim)))
    if values.ndim > 1:
        values = values.mean(axis=tuple(range(1, values.ndim)))
    return values, sample_weight if sample_weight is None else weight


class Sum(Metric):
    """The running sum of the values given."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = samplewise(convert_to_array(values, self.dtype), sample_weight)
        self.total.data += values.sum()

    def result(self):
        return scalar_result(self.total.data, self.dtype)


class Mean(Metric):
    """The running (weighted) mean of the values given."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), name="total")
        self.count = self.add_variable(shape=(), name="count")

    def update_state(self, values, sample_weight=None):
        values = convert_to_array(values, self.dtype)
        if sample_weight is None and values.ndim == 1:  # the common case, made quick
            self.total.data += values.sum()
            self.count.data += values.shape[0]
            return
        if values.ndim == 0 and isinstance(sample_weight, (int, float)):
            # one value standing for a whole batch: fit's loss, weighted by batch size
            self.total.data += values * sample_weight
            self.count.data += sample_weight
            return
        values, weight = samplewise(values, sample_weight)
        self.total.data += values.sum()
        if weight is not None:
            self.count.data += weight.sum()
        else:
            self.count.data += values.shape[0] if values.ndim else 1

    def result(self):
        count = self.count.data
        return scalar_result(self.total.data / count if count else 0.0, self.dtype)


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = getattr(y_pred, "_keras_mask", None)  # masked steps count for nothing
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        mask = combined_mask(mask, None, getattr(values, "shape", None))
        if mask is not None:
            weight = mask.astype(arrays.floatx())
            if sample_weight is not None:
                sample_weight = convert_to_array(sample_weight, arrays.floatx())
                while sample_weight.ndim < weight.ndim:
                    sample_weight = sample_weight[..., None]
                weight = weight * sample_weight
            sample_weight = weight
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        config.update(self._fn_kwargs)
        if type(self) is MeanMetricWrapper:
            config["fn"] = getattr(self._fn, "__name__", self._fn)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), str):
            from kerlite import metrics

            config["fn"] = metrics.get(config["fn"])
        return cls(**config)
