"""Positions and order: argmax, argmin, argsort, sort, top_k.

Index results are int32 and carry no gradient. ``sort`` and ``top_k`` values are
differentiable: each output entry is one input entry, so its gradient goes back there.
"""

from kerlite.autodiff.tensor import Tensor, as_tensor
from kerlite.arrays import get_array_module
from kerlite.ops.indexing import take_along_axis


def _arg(x, axis, keepdims, name):
    x = as_tensor(x)
    xp = get_array_module(x.data)
    data = x.data.reshape(-1) if axis is None else x.data
    out = getattr(xp, name)(data, axis=0 if axis is None else axis)
    if keepdims:
        out = xp.expand_dims(out, tuple(range(x.ndim)) if axis is None else axis)
    return Tensor(xp.asarray(out).astype("int32"))


def argmax(x, axis=None, keepdims=False):
    """Index of the largest entry along ``axis`` (of the flattened tensor if None)."""
    return _arg(x, axis, keepdims, "argmax")


def argmin(x, axis=None, keepdims=False):
    """Index of the smallest entry along ``axis`` (of the flattened tensor if None)."""
    return _arg(x, axis, keepdims, "argmin")


def argsort(x, axis=-1):
    """The indices that would sort ``x`` along ``axis`` (ascending)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    if axis is None:
        return Tensor(xp.argsort(x.data.reshape(-1)).astype("int32"))
    return Tensor(xp.argsort(x.data, axis=axis).astype("int32"))


def sort(x, axis=-1):
    """``x`` sorted ascending along ``axis``.  The gradient follows each value back."""
    x = as_tensor(x)
    if axis is None:
        from kerlite.ops.shape import ravel

        x, axis = ravel(x), 0
    order = get_array_module(x.data).argsort(x.data, axis=axis)
    return take_along_axis(x, order, axis=axis)


def top_k(x, k, sorted=True):
    """The ``k`` largest entries along the last axis and their indices (values first).

    Returns ``(values, indices)`` as ``keras.ops.top_k``; largest first.
    """
    x = as_tensor(x)
    xp = get_array_module(x.data)
    order = xp.flip(xp.argsort(x.data, axis=-1, kind="stable"), axis=-1)[..., :k]
    if not sorted:
        order = xp.sort(order, axis=-1)
    return take_along_axis(x, order, axis=-1), Tensor(order.astype("int32"))
