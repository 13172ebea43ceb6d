"""Max and average pooling (1-D, 2-D, 3-D), as ``keras.ops.max_pool`` / ``average_pool``.

Both reduce every window of the input, one window offset at a time: the offset (i, j)
of every window is one strided slice of the input, so a 2x2 pool is four slices:

    max:      out[p] = max_k x[p*s + k]      -> the gradient goes to the (first) maximum
    average:  out[p] = mean_k x[p*s + k]     -> each window element gets g / count

With padding="same" the missing border values are ignored, as in Keras: max pooling pads
with -inf and average pooling divides by the number of real values in each window.
"""

import math

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops.sliding_windows import (from_channels_last, kernel_offsets, normalize_tuple,
                                         pad_spatial, padding_amounts, standardize_data_format,
                                         standardize_padding, to_channels_last, window_slices,
                                         windows)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Largest value in each window; ``inputs`` is ``(batch, *spatial, channels)``."""
    return _pool(inputs, pool_size, strides, padding, data_format, "max")


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean of each window (only real values count, with padding="same")."""
    return _pool(inputs, pool_size, strides, padding, data_format, "average")


def _pool(inputs, pool_size, strides, padding, data_format, kind):
    x = as_tensor(inputs)
    rank = x.ndim - 2
    if rank < 1:
        raise ValueError(
            f"{kind}_pool: inputs must have rank 3 or more (batch, spatial..., channels). "
            f"Received inputs of shape {x.shape}."
        )
    x = to_channels_last(x, rank, standardize_data_format(data_format), f"{kind}_pool")
    pool = normalize_tuple(pool_size, rank, "pool_size")
    strides = pool if strides is None else normalize_tuple(strides, rank, "strides")
    padding = standardize_padding(padding)
    spatial = x.shape[1:-1]
    pads = padding_amounts(spatial, pool, strides, (1,) * rank, padding)
    if kind == "max":
        out = _max_windows(x, pool, strides, pads)
    else:
        out = _average_windows(x, pool, strides, pads)
    return from_channels_last(out, data_format)


def _checked_windows(padded, pool, strides, spatial):
    view = windows(padded, pool, strides, (1,) * len(pool))
    if any(n <= 0 for n in view.shape[1 : 1 + len(pool)]):
        raise ValueError(
            f"pooling: a pool of size {pool} does not fit an input of spatial shape "
            f"{spatial} with padding='valid'. Use a smaller pool_size or padding='same'."
        )
    return view


def _max_windows(x, pool, strides, pads):
    xp = get_array_module(x.data)
    ones = (1,) * len(pool)
    padded = pad_spatial(x.data, pads, value=-xp.inf)
    out_spatial = _checked_windows(padded, pool, strides, x.shape[1:-1]).shape[1 : 1 + len(pool)]
    # One strided slice per window offset: a 2x2 pool is 3 elementwise maximums.
    slices = [window_slices(offset, out_spatial, strides, ones) for offset in kernel_offsets(pool)]
    out = padded[slices[0]].copy()
    for where in slices[1:]:
        xp.maximum(out, padded[where], out=out)

    disjoint = all(s >= p for s, p in zip(strides, pool))  # windows do not overlap

    def backward(g):
        grad = xp.zeros(padded.shape, dtype=g.dtype)
        unclaimed = xp.ones(out.shape, dtype=bool)  # the first maximum of a window wins
        winner = xp.empty(out.shape, dtype=bool)
        share = xp.empty(out.shape, dtype=g.dtype)
        for where in slices:
            xp.equal(padded[where], out, out=winner)
            winner &= unclaimed
            xp.multiply(g, winner, out=share)
            if disjoint:
                grad[where] = share
            else:
                grad[where] += share
            unclaimed ^= winner  # winner is inside unclaimed: this removes it
        return (_unpad(grad, pads),)

    return record(out, (x,), backward)


def _average_windows(x, pool, strides, pads):
    xp = get_array_module(x.data)
    rank = len(pool)
    ones = (1,) * rank
    padded = pad_spatial(x.data, pads)
    view = _checked_windows(padded, pool, strides, x.shape[1:-1])
    out_spatial = view.shape[1 : 1 + rank]
    counts = _window_counts(x.shape[1:-1], out_spatial, pool, strides, pads, x.data.dtype, xp)
    slices = [window_slices(offset, out_spatial, strides, ones) for offset in kernel_offsets(pool)]
    total = padded[slices[0]].copy()
    for where in slices[1:]:
        total += padded[where]
    out = total / counts

    def backward(g):
        share = g / counts
        grad = xp.zeros(padded.shape, dtype=g.dtype)
        for where in slices:
            grad[where] += share
        return (_unpad(grad, pads),)

    return record(out, (x,), backward)


def _window_counts(spatial, out_spatial, pool, strides, pads, dtype, xp):
    """How many real (not padded) values each window holds, shaped ``(1, *out, 1)``."""
    if not any(before or after for before, after in pads):
        return dtype.type(math.prod(pool))
    counts = xp.ones((1,) * (len(pool) + 2), dtype=dtype)
    for axis, (n, out, k, s, (before, _)) in enumerate(
        zip(spatial, out_spatial, pool, strides, pads)
    ):
        starts = xp.arange(out) * s - before
        per_axis = xp.minimum(starts + k, n) - xp.maximum(starts, 0)
        shape = [1] * (len(pool) + 2)
        shape[axis + 1] = out
        counts = counts * per_axis.astype(dtype).reshape(shape)
    return counts


def _unpad(grad, pads):
    if not any(before or after for before, after in pads):
        return grad
    index = tuple(slice(before, grad.shape[1 + axis] - after)
                  for axis, (before, after) in enumerate(pads))
    return grad[(slice(None), *index, slice(None))]
