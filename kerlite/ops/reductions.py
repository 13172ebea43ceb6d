"""Reductions over axes (sum, mean, max, prod, var, ...), ``axis``/``keepdims`` as in NumPy.

The backward rules all start the same way: put the reduced axes back as size-1 axes
(``_restore_dims``) so the incoming gradient broadcasts against the input.
"""

from kerlite.autodiff.tensor import array_of, as_tensor, record, Tensor
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor, normalize_axis


def _restore_dims(g, axes, keepdims):
    """Put back the reduced axes (size 1) so ``g`` broadcasts against the input."""
    if keepdims or not axes or g.ndim == 0:  # a 0-d gradient broadcasts as it is
        return g
    return get_array_module(g).expand_dims(g, axes)


def _accumulator(dtype):
    """Keras's result type for sums and products: bool and small ints add up in int32,
    other types keep their own (NumPy would widen int32 to int64)."""
    if dtype.kind == "b" or (dtype.kind in "iu" and dtype.itemsize < 4):
        return "int32" if dtype.kind != "u" else "uint32"
    return dtype


def _count(shape, axes):
    count = 1
    for a in axes:
        count *= shape[a]
    return count or 1


def sum(x, axis=None, keepdims=False):
    """Sum over ``axis``.  d/dx = 1 everywhere (the gradient is broadcast back)."""
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    shape = x.data.shape
    xp = get_array_module(x.data)

    def backward(g):
        return (xp.broadcast_to(_restore_dims(g, axes, keepdims), shape),)

    out = x.data.sum(axis=axes, keepdims=keepdims, dtype=_accumulator(x.data.dtype))
    return record(out, (x,), backward)


def mean(x, axis=None, keepdims=False):
    """Mean over ``axis``.  d/dx = 1/n for each of the n averaged values."""
    x = float_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    shape = x.data.shape
    xp = get_array_module(x.data)
    scale = x.data.dtype.type(1.0 / _count(shape, axes))

    def backward(g):
        return (xp.broadcast_to(_restore_dims(g, axes, keepdims) * scale, shape),)

    return record(x.data.mean(axis=axes, keepdims=keepdims), (x,), backward)


def var(x, axis=None, keepdims=False):
    """Variance (mean squared deviation from the mean).  d/dx = 2 (x - mean) / n."""
    x = float_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    centered = x.data - x.data.mean(axis=axes, keepdims=True)
    scale = x.data.dtype.type(2.0 / _count(x.data.shape, axes))
    out = (centered * centered).mean(axis=axes, keepdims=keepdims)
    return record(out, (x,),
                  lambda g: (_restore_dims(g, axes, keepdims) * scale * centered,))


def std(x, axis=None, keepdims=False):
    """Standard deviation, sqrt(var).  d/dx = (x - mean) / (n * std)."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    axes = normalize_axis(axis, x.ndim)
    centered = x.data - x.data.mean(axis=axes, keepdims=True)
    kept = xp.sqrt((centered * centered).mean(axis=axes, keepdims=True))
    count = x.data.dtype.type(_count(x.data.shape, axes))
    out = kept if keepdims else kept.reshape(
        [n for i, n in enumerate(kept.shape) if i not in axes])

    def backward(g):
        return (_restore_dims(g, axes, keepdims) * centered / (count * kept),)

    return record(out, (x,), backward)


def _extreme(x, axis, keepdims, reducer):
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    out = reducer(x.data, axis=axes, keepdims=True)

    def backward(g):
        # The gradient goes to the arg-max (split evenly between ties).
        mask = (x.data == out).astype(g.dtype)
        return (_restore_dims(g, axes, keepdims) * mask / mask.sum(axis=axes, keepdims=True),)

    result = out if keepdims else out.reshape(
        [n for i, n in enumerate(out.shape) if i not in axes])
    return record(result, (x,), backward)


def max(x, axis=None, keepdims=False):
    """Largest value over ``axis``.  The gradient flows to the largest entries."""
    return _extreme(x, axis, keepdims, get_array_module(array_of(x)).max)


def min(x, axis=None, keepdims=False):
    """Smallest value over ``axis``.  The gradient flows to the smallest entries."""
    return _extreme(x, axis, keepdims, get_array_module(array_of(x)).min)


amax = max
amin = min


def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over ``axis``.  d/dx_i = product of all the other entries (zeros allowed)."""
    x = as_tensor(x)
    if dtype is not None:
        from kerlite.ops.core import cast

        x = cast(x, dtype)
    axes = normalize_axis(axis, x.ndim)
    out = x.data.prod(axis=axes, keepdims=keepdims, dtype=_accumulator(x.data.dtype))

    def backward(g):
        return (_restore_dims(g, axes, keepdims) * _product_of_others(x.data, axes),)

    return record(out, (x,), backward)


def _product_of_others(data, axes):
    """For each entry, the product of the other entries of its reduction group.

    Uses exclusive cumulative products from the left and from the right, so there is
    no division (an entry equal to 0 is fine).
    """
    xp = get_array_module(data)
    kept = [i for i in range(data.ndim) if i not in axes]
    order = kept + list(axes)
    moved = xp.transpose(data, order)
    flat = moved.reshape(moved.shape[:len(kept)] + (-1,))
    ones = xp.ones(flat.shape[:-1] + (1,), dtype=data.dtype)
    left = xp.cumprod(xp.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    right = xp.cumprod(xp.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    others = (left * right).reshape(moved.shape)
    inverse = sorted(range(len(order)), key=order.__getitem__)
    return xp.transpose(others, inverse)


def cumsum(x, axis=None, dtype=None):
    """Running sum along ``axis`` (the flattened tensor if None).

    d/dx: each input counts in every later partial sum, so the gradient is the running
    sum of ``g`` taken from the end backwards.
    """
    x = as_tensor(x)
    if dtype is not None:
        from kerlite.ops.core import cast

        x = cast(x, dtype)
    xp = get_array_module(x.data)
    shape = x.data.shape
    data = x.data.reshape(-1) if axis is None else x.data
    axis = 0 if axis is None else axis % x.ndim

    def backward(g):
        flipped = xp.flip(g, axis)
        return (xp.flip(xp.cumsum(flipped, axis=axis), axis).reshape(shape),)

    out = xp.cumsum(data, axis=axis, dtype=_accumulator(data.dtype))
    return record(out, (x,), backward)


def all(x, axis=None, keepdims=False):
    """True where every entry over ``axis`` is non-zero (not differentiable)."""
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    return Tensor(get_array_module(x.data).all(x.data, axis=axes, keepdims=keepdims))


def any(x, axis=None, keepdims=False):
    """True where some entry over ``axis`` is non-zero (not differentiable)."""
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    return Tensor(get_array_module(x.data).any(x.data, axis=axes, keepdims=keepdims))


def count_nonzero(x, axis=None):
    """How many entries over ``axis`` are non-zero, as int32 (not differentiable)."""
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    xp = get_array_module(x.data)
    return Tensor(xp.count_nonzero(x.data, axis=axes).astype("int32"))

