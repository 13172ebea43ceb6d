"""Random tensors (as ``keras.random``), drawn on the host and moved to the backend."""

import numpy  # host-side sampling only; results move to the backend in _to_backend

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.random.seed_generator import host_generator


def _to_backend(array, dtype):
    return Tensor(arrays.convert_to_array(array, arrays.standardize_dtype(dtype)))


def _shape(shape):
    return (int(shape),) if isinstance(shape, int) else tuple(int(n) for n in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from the normal distribution N(mean, stddev**2)."""
    values = host_generator(seed).normal(mean, stddev, size=_shape(shape))
    return _to_backend(values, dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples from the uniform distribution on [minval, maxval)."""
    values = host_generator(seed).uniform(minval, maxval, size=_shape(shape))
    return _to_backend(values, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples, redrawn until they lie within two standard deviations."""
    generator = host_generator(seed)
    values = generator.standard_normal(size=_shape(shape))
    outside = abs(values) > 2
    while outside.any():
        values[outside] = generator.standard_normal(size=int(outside.sum()))
        outside = abs(values) > 2
    return _to_backend(mean + stddev * values, dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Random integers in [minval, maxval)."""
    values = host_generator(seed).integers(minval, maxval, size=_shape(shape))
    return _to_backend(values, dtype)


def shuffle(x, axis=0, seed=None):
    """A copy of ``x`` with its entries permuted along ``axis``."""
    x = as_tensor(x)
    order = host_generator(seed).permutation(x.shape[axis])
    xp = arrays.get_array_module(x.data)
    return Tensor(xp.take(x.data, xp.asarray(order), axis=axis))


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draw class indices from unnormalised log-probabilities, one row per batch entry.

    Returns shape (batch, num_samples); each row's classes follow softmax(logits[row]).
    """
    logits = arrays.to_numpy(as_tensor(logits).data).astype("float64")
    if logits.ndim != 2:
        raise ValueError(
            "categorical() expects logits of shape (batch_size, num_classes). "
            f"Received: logits.shape={logits.shape}"
        )
    probabilities = numpy.exp(logits - logits.max(axis=1, keepdims=True))
    cumulative = numpy.cumsum(probabilities / probabilities.sum(axis=1, keepdims=True), axis=1)
    draws = host_generator(seed).random(size=(logits.shape[0], num_samples, 1))
    samples = (draws > cumulative[:, None, :]).sum(axis=-1)
    return _to_backend(numpy.minimum(samples, logits.shape[1] - 1), dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zero each entry with probability ``rate``; scale the rest by 1/(1-rate).

    The expected value is unchanged.  d/dx = mask / (1 - rate).
    """
    x = as_tensor(inputs)
    if not 0 <= float(rate) < 1:
        raise ValueError(f"dropout rate must be in [0, 1). Received: rate={rate}")
    shape = x.shape if noise_shape is None else tuple(
        n if m is None else m for n, m in zip(x.shape, noise_shape))
    keep = host_generator(seed).random(size=shape) >= rate
    scale = arrays.convert_to_array(keep / (1.0 - rate), x.data.dtype)
    xp = arrays.get_array_module(x.data)
    scale = xp.asarray(scale)  # on the input's device
    return record(x.data * scale, (x,), lambda g: (g * scale,))
