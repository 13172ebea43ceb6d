"""Picking entries: ``x[key]``, take, take_along_axis, where, one_hot.

The backward rules scatter the gradient back to the places the values came from. Where
one entry may be picked several times (integer-array indices), ``add.at`` adds the
repeats up instead of keeping only the last one.
"""

import builtins

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import tensors, unbroadcast


def _plain_key(key, xp=None):
    """Indices may be tensors, lists or host arrays: use arrays of ``xp`` (the indexed
    array's module) for them; ints, slices, None and ... stay as they are."""
    if isinstance(key, tuple):
        return tuple(_plain_key(k, xp) for k in key)
    if isinstance(key, Tensor):
        key = key.data
    elif isinstance(key, list):
        key = arrays.convert_to_array(key)
    if (xp is not None and xp.__name__ != "numpy" and hasattr(key, "dtype")
            and not isinstance(key, xp.ndarray)):
        key = xp.asarray(key)  # e.g. NumPy indices for a CuPy array
    return key


_builtin_slice = builtins.slice  # this module defines its own `slice` op below


def _is_basic(key):
    """True for ints, slices, None and ... only: then no entry is picked twice."""
    parts = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, (int, _builtin_slice))
               for k in parts)


def scatter_add(shape, dtype, key, values):
    """A zero array of ``shape`` with ``values`` added at ``x[key]`` (repeats summed)."""
    xp = get_array_module(values)
    grad = xp.zeros(shape, dtype=dtype)
    if xp.__name__ == "numpy":
        xp.add.at(grad, key, values)
    else:
        import cupyx

        cupyx.scatter_add(grad, key, values)
    return grad


def get_item(x, key):
    """``x[key]`` with NumPy indexing.  The gradient is scattered back (adding repeats)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    key = _plain_key(key, xp)
    shape, dtype = x.data.shape, x.data.dtype

    def backward(g):
        if _is_basic(key) or getattr(key, "dtype", None) == bool:
            grad = xp.zeros(shape, dtype=dtype)
            grad[key] = g
            return (grad,)
        return (scatter_add(shape, dtype, key, g),)

    return record(x.data[key], (x,), backward)


def take(x, indices, axis=None):
    """Entries at ``indices`` along ``axis`` (of the flattened tensor if None)."""
    x = as_tensor(x)
    if axis is None:
        from kerlite.ops.shape import ravel

        x, axis = ravel(x), 0
    indices = _plain_key(indices, get_array_module(x.data))
    if not hasattr(indices, "dtype"):  # a Python int
        indices = arrays.convert_to_array(indices)
    key = (_builtin_slice(None),) * (axis % x.ndim) + (indices,)
    return get_item(x, key)


def take_along_axis(x, indices, axis=None):
    """NumPy's take_along_axis: pick one entry per position along ``axis``.

    Used, for example, to read the score of the true class in each row.
    """
    x = as_tensor(x)
    if axis is None:
        from kerlite.ops.shape import ravel

        x, axis = ravel(x), 0
    xp = get_array_module(x.data)
    indices = _plain_key(indices, xp)
    if not hasattr(indices, "dtype"):
        indices = arrays.convert_to_array(indices)
    axis = axis % x.ndim
    key = []
    for dim in range(x.ndim):
        if dim == axis:
            key.append(indices)
        else:
            shape = [1] * x.ndim
            shape[dim] = x.data.shape[dim]
            key.append(xp.arange(x.data.shape[dim]).reshape(shape))
    return get_item(x, tuple(key))


def where(condition, x1=None, x2=None):
    """``x1`` where ``condition`` is true, else ``x2`` (broadcasting all three).

    With only ``condition``: the indices of its non-zero entries, one tensor per axis.
    d/dx1 = condition, d/dx2 = not condition.
    """
    condition = as_tensor(condition).data
    xp = get_array_module(condition)
    if x1 is None and x2 is None:
        return tuple(Tensor(i.astype("int32")) for i in xp.nonzero(condition))
    if x1 is None or x2 is None:
        raise ValueError("where() needs both x1 and x2, or neither.")
    a, b = tensors(x1, x2)
    condition = condition.astype(bool)

    def backward(g):
        zero = g.dtype.type(0)
        return (unbroadcast(xp.where(condition, g, zero), a.data.shape),
                unbroadcast(xp.where(condition, zero, g), b.data.shape))

    return record(xp.where(condition, a.data, b.data), (a, b), backward)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """Class indices -> one-hot vectors of length ``num_classes`` (a new axis at ``axis``).

    An index outside [0, num_classes) gives an all-zero vector (as in Keras).
    """
    x = as_tensor(x).data
    xp = get_array_module(x)
    classes = xp.arange(num_classes)
    out = (x[..., None] == classes).astype(arrays.standardize_dtype(dtype))
    if axis != -1:
        out = xp.moveaxis(out, -1, axis)
    return Tensor(out)


def slice(inputs, start_indices, shape):
    """The block of ``inputs`` that starts at ``start_indices`` and has ``shape``."""
    key = tuple(_builtin_slice(int(start), int(start) + int(size))
                for start, size in zip(start_indices, shape))
    return get_item(inputs, key)


def slice_update(inputs, start_indices, updates):
    """A copy of ``inputs`` with the block at ``start_indices`` replaced by ``updates``.

    d/dinputs = g outside the block (0 inside); d/dupdates = g inside the block.
    """
    x, new = tensors(inputs, updates)
    key = tuple(_builtin_slice(int(start), int(start) + size)
                for start, size in zip(start_indices, new.data.shape))
    out = x.data.copy()
    out[key] = new.data

    def backward(g):
        outside = g.copy()
        outside[key] = 0
        return outside, g[key]

    return record(out, (x, new), backward)
