"""Adaptive pooling (``keras.ops.adaptive_average_pool`` / ``adaptive_max_pool``).

Instead of a pool size, give the output size: along an axis of length L pooled to
``out`` values, window i covers ``[floor(i * L / out), ceil((i + 1) * L / out))``.
Windows may differ by one in length and may overlap. Both reductions are separable
(the mean or max of a box is that of per-axis means or maxes), so each spatial axis is
pooled in turn, each with its own backward rule:

    average:  y = x @ P^T with P[i, j] = 1/len_i inside window i  ->  dx = g @ P
    max:      y_i = x[argmax_i]                                   ->  dx[argmax_i] += g_i
"""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops.sliding_windows import normalize_tuple, standardize_data_format

__all__ = ["adaptive_average_pool", "adaptive_max_pool"]


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Mean of each adaptive window; ``inputs`` is (batch, *spatial, channels) (1-3-D)."""
    return _adaptive_pool(inputs, output_size, data_format, _average_axis,
                          "adaptive_average_pool")


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Largest value of each adaptive window; shapes as ``adaptive_average_pool``."""
    return _adaptive_pool(inputs, output_size, data_format, _max_axis, "adaptive_max_pool")


def _adaptive_pool(inputs, output_size, data_format, pool_axis, op_name):
    x = as_tensor(inputs)
    rank = x.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(
            f"{op_name} supports 1D, 2D and 3D inputs of rank 3 to 5 (batch, spatial..., "
            f"channels). Received inputs of shape {x.shape}.")
    sizes = normalize_tuple(output_size, rank, "output_size")
    first = 1 if standardize_data_format(data_format) == "channels_last" else 2
    for offset, size in enumerate(sizes):
        x = pool_axis(x, first + offset, size)
    return x


def _windows(length, size, xp):
    """Start and (exclusive) end of each of the ``size`` windows along ``length``."""
    i = xp.arange(size)
    return (i * length) // size, -((-(i + 1) * length) // size)


def _average_axis(x, axis, size):
    xp = get_array_module(x.data)
    starts, ends = _windows(x.shape[axis], size, xp)
    positions = xp.arange(x.shape[axis])
    inside = (positions >= starts[:, None]) & (positions < ends[:, None])
    weights = (inside / (ends - starts)[:, None]).astype(x.data.dtype)  # P: (size, L)
    moved = xp.moveaxis(x.data, axis, -1)
    out = xp.moveaxis(moved @ weights.T, -1, axis)

    def backward(g):
        return (xp.moveaxis(xp.moveaxis(g, axis, -1) @ weights, -1, axis),)

    return record(out, (x,), backward)


def _max_axis(x, axis, size):
    xp = get_array_module(x.data)
    length = x.shape[axis]
    starts, ends = _windows(length, size, xp)
    widest = int((ends - starts).max())
    # (size, widest) input positions; short windows repeat their last position
    index = xp.minimum(starts[:, None] + xp.arange(widest), ends[:, None] - 1)
    moved = xp.moveaxis(x.data, axis, -1)
    windows = moved[..., index]  # (..., size, widest)
    best = windows.argmax(axis=-1)
    out = xp.moveaxis(xp.take_along_axis(windows, best[..., None], -1)[..., 0], -1, axis)
    source = index[xp.arange(size), best]  # input position of each maximum

    def backward(g):
        one_hot = (source[..., None] == xp.arange(length)).astype(g.dtype)
        grad = xp.einsum("...o,...ol->...l", xp.moveaxis(g, axis, -1), one_hot)
        return (xp.moveaxis(grad, -1, axis),)

    return record(out, (x,), backward)
