"""Reductions over axes (sum, mean, max, ...), with ``axis`` and ``keepdims`` as in NumPy."""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.backend import get_array_module
from kerlite.ops._helpers import normalize_axis


def _restore_dims(g, axes, keepdims):
    """Put back the reduced axes (size 1) so ``g`` broadcasts against the input."""
    if keepdims or g.ndim == 0 and not axes:
        return g
    xp = get_array_module(g)
    return xp.expand_dims(g, axes) if axes else g


def sum(x, axis=None, keepdims=False):
    """Sum over ``axis``.  d/dx = 1 everywhere (the gradient is broadcast back)."""
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    shape = x.data.shape
    xp = get_array_module(x.data)

    def backward(g):
        return (xp.broadcast_to(_restore_dims(g, axes, keepdims), shape),)

    return record(x.data.sum(axis=axes, keepdims=keepdims), (x,), backward)


def mean(x, axis=None, keepdims=False):
    """Mean over ``axis``.  d/dx = 1/n for each of the n averaged values."""
    x = as_tensor(x)
    if x.data.dtype.kind in "iub":
        from kerlite.ops.creation import cast
        from kerlite import backend

        x = cast(x, backend.floatx())
    axes = normalize_axis(axis, x.ndim)
    shape = x.data.shape
    count = 1
    for a in axes:
        count *= shape[a]
    xp = get_array_module(x.data)
    scale = x.data.dtype.type(1.0 / max(count, 1))

    def backward(g):
        return (xp.broadcast_to(_restore_dims(g, axes, keepdims) * scale, shape),)

    return record(x.data.mean(axis=axes, keepdims=keepdims), (x,), backward)


def _extreme(x, axis, keepdims, reducer):
    x = as_tensor(x)
    axes = normalize_axis(axis, x.ndim)
    out = reducer(x.data, axis=axes, keepdims=True)

    def backward(g):
        # The gradient goes to the arg-max (split evenly between ties).
        mask = x.data == out
        share = mask / mask.sum(axis=axes, keepdims=True)
        return (_restore_dims(g, axes, keepdims) * share,)

    result = out if keepdims else out.reshape(
        [n for i, n in enumerate(out.shape) if i not in axes])
    return record(result, (x,), backward)


def max(x, axis=None, keepdims=False):
    """Largest value over ``axis``.  The gradient flows to the largest entries."""
    return _extreme(x, axis, keepdims, get_array_module(getattr(x, "data", x)).max)


def min(x, axis=None, keepdims=False):
    """Smallest value over ``axis``.  The gradient flows to the smallest entries."""
    return _extreme(x, axis, keepdims, get_array_module(getattr(x, "data", x)).min)


amax = max
amin = min
