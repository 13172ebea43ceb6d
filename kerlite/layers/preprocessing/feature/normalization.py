"""Normalization: shift and scale features to mean 0 and variance 1.

    outputs = (inputs - mean) / max(sqrt(variance), epsilon)        (invert=True: the inverse)

``mean`` and ``variance`` are given, or learnt from data by ``adapt(data)``, one value
per index of the kept ``axis`` (default -1: one per feature) and broadcast over the
other axes. Learnt statistics live in the non-trainable weights ``mean``, ``variance``
and ``count`` (Keras keeps ``count`` at 0), so they are saved with the model.
"""

import itertools
import math

import numpy  # adapt() runs on the host, over data that may not fit on the device

from kerlite import arrays, ops
from kerlite.autodiff.tensor import Tensor
from kerlite.layers.layer import Layer
from kerlite.common.py_dataset import PyDataset


class Normalization(Layer):
    """``keras.layers.Normalization(axis=-1, mean=None, variance=None, invert=False)``.

    ``axis=None`` normalizes every value with one scalar mean and variance.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self.supports_masking = True
        if (mean is None) != (variance is None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}")
        if mean is not None:
            if numpy.shape(mean) != numpy.shape(variance):
                raise ValueError(
                    "When setting values directly, `mean` and `variance` must have the "
                    f"same shape. Received: mean shape {numpy.shape(mean)} and variance "
                    f"shape {numpy.shape(variance)}")
            if numpy.ndim(mean) > len(self.axis):
                raise ValueError(
                    "The rank of `mean` must be less than or equal to the number of axes "
                    f"({len(self.axis)}). Received: mean shape {numpy.shape(mean)} for "
                    f"axis {self.axis}")

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(
                f'Layer "{self.name}": all `axis` values must be in the range [-ndim, ndim). '
                f"Received inputs with ndim={ndim}, while axis={self.axis}")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep_axis:
            if input_shape[a] is None:
                raise ValueError(
                    f'Layer "{self.name}": all `axis` values to be kept must have a known '
                    f"shape. Received axis={self.axis}, inputs.shape={tuple(input_shape)}, "
                    f"with unknown axis at index {a}")
        self._reduce_axis = tuple(a for a in range(ndim) if a not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[a] if a in self._keep_axis else 1
                                      for a in range(ndim))
        self._mean_and_var_shape = tuple(input_shape[a] for a in self._keep_axis)
        self._build_input_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._mean_and_var_shape,
                                              initializer="zeros", trainable=False)
            self.adapt_variance = self.add_weight(
                name="variance", shape=self._mean_and_var_shape, initializer="ones",
                trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int32",
                                         initializer="zeros", trainable=False)
        else:
            self._fixed = tuple(self._broadcast_given(v)
                                for v in (self.input_mean, self.input_variance))

    def _broadcast_given(self, value):
        """A given mean/variance, its dims matched to the last kept axes, broadcast."""
        value = numpy.asarray(value, dtype=self.compute_dtype)
        shape = [1] * len(self._broadcast_shape)
        for i in range(1, value.ndim + 1):
            shape[self._keep_axis[-i]] = value.shape[-i]
        value = numpy.broadcast_to(value.reshape(shape), self._broadcast_shape)
        return arrays.convert_to_array(value)

    def _statistics(self):
        if self.input_mean is not None:
            return self._fixed
        return (ops.reshape(self.adapt_mean, self._broadcast_shape),
                ops.reshape(self.adapt_variance, self._broadcast_shape))

    @property
    def mean(self):
        """The mean, broadcast against the inputs (None before the layer is built)."""
        return self._statistics()[0] if self.built else None

    @property
    def variance(self):
        return self._statistics()[1] if self.built else None

    def call(self, inputs):
        mean, variance = self._statistics()
        scale = ops.maximum(ops.sqrt(variance), arrays.epsilon())
        inputs = ops.cast(inputs, self.compute_dtype)
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def adapt(self, data):
        """Learn the mean and variance of ``data``: an array, or an iterable of batches.

        An iterable (a list of arrays, a generator, a ``PyDataset``) must yield batches,
        or ``(x, y)`` tuples whose ``x`` is used; the statistics are merged batch by
        batch. With ``axis=-1`` a batch of shape (n, features) gives one value per feature.
        """
        batches, input_shape = _as_batches(data)
        if not self.built:
            self.build(input_shape)
        else:
            self._check_shape(input_shape, "adapt() is being called with data")
        if self.input_mean is not None:
            raise ValueError(
                f'Layer "{self.name}" was given `mean` and `variance`: there is nothing '
                "to adapt. Create it without them to learn them from data.")
        mean, variance, count = None, None, 0
        for batch in batches:
            self._check_shape(batch.shape, "adapt() yielded a batch")
            batch_count = math.prod(batch.shape[a] for a in self._reduce_axis)
            batch_mean = batch.mean(axis=self._reduce_axis)
            batch_var = batch.var(axis=self._reduce_axis)
            if mean is None:
                mean, variance, count = batch_mean, batch_var, batch_count
                continue
            # Merge: the variance of the union is each part's variance plus the squared
            # distance of its mean to the new mean, weighted by the part's share.
            count += batch_count
            share = batch_count / count
            new_mean = mean * (1 - share) + batch_mean * share
            variance = ((variance + (mean - new_mean) ** 2) * (1 - share)
                        + (batch_var + (batch_mean - new_mean) ** 2) * share)
            mean = new_mean
        self.adapt_mean.assign(mean)
        self.adapt_variance.assign(variance)

    def _check_shape(self, shape, what):
        for a in self._keep_axis:
            if len(shape) != len(self._build_input_shape) or (
                    shape[a] != self._build_input_shape[a]):
                raise ValueError(
                    f'Layer "{self.name}" was built with input_shape='
                    f"{self._build_input_shape}, but {what} of an incompatible shape "
                    f"{tuple(shape)} (axis {a} must have size "
                    f"{self._build_input_shape[a]}).")

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "invert": self.invert,
                       "mean": numpy.array(self.input_mean).tolist(),
                       "variance": numpy.array(self.input_variance).tolist()})
        return config


def _first_of(batch):
    """The inputs of a batch: ``x`` of an ``(x, y)`` or ``(x, y, sample_weight)`` tuple."""
    return batch[0] if isinstance(batch, tuple) else batch


def _to_host(batch):
    if isinstance(batch, Tensor):
        batch = batch.data
    return arrays.to_numpy(batch).astype("float64")


def _as_batches(data):
    """An iterator of float64 NumPy batches, and the shape of the first one."""
    if isinstance(data, Tensor) or hasattr(data, "__array_interface__") or (
            hasattr(data, "shape") and hasattr(data, "dtype")):
        array = _to_host(data)
        return iter([array]), array.shape
    if isinstance(data, PyDataset):
        batches = (_first_of(data[i]) for i in range(len(data)))
    elif hasattr(data, "__iter__"):
        batches = (_first_of(batch) for batch in data)
    else:
        raise TypeError(
            f"Unsupported data type: {type(data)}. `adapt` supports NumPy arrays, "
            "tensors, `keras.utils.PyDataset`, and iterables of batches (e.g. a list of "
            "arrays, or a generator).")
    first = next(batches, None)
    if first is None:
        raise ValueError(
            "adapt() received an empty iterable (no batches). Pass at least one batch, "
            "e.g. layer.adapt([x]) or layer.adapt(list_of_batches).")
    if getattr(first, "shape", None) is None:
        raise TypeError(
            "adapt() expects an iterable that yields arrays or tensors with a `.shape` "
            f"attribute. Got an element of type {type(first).__name__}: pass e.g. a list "
            "of NumPy arrays.")
    return (_to_host(b) for b in itertools.chain([first], batches)), tuple(first.shape)
