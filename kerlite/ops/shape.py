"""Shape operations: same values, new arrangement (reshape, transpose, squeeze, flip, ...).

Every backward rule undoes the rearrangement on the gradient. ``x[key]`` (``get_item``)
is in ``indexing.py``; joining and splitting in ``joining.py``.
"""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import normalize_axis, unbroadcast
from kerlite.ops.indexing import get_item  # noqa: F401  (x[key], listed with the others)


def reshape(x, newshape):
    """Same values, new shape (-1 infers one size).  The gradient is reshaped back."""
    x = as_tensor(x)
    shape = x.data.shape
    if isinstance(newshape, int):
        newshape = (newshape,)
    newshape = tuple(-1 if n is None else int(n) for n in newshape)
    try:
        out = x.data.reshape(newshape)
    except ValueError:
        raise ValueError(
            f"Cannot reshape a tensor of shape {shape} ({x.data.size} values) into "
            f"shape {newshape}: the number of values must stay the same."
        ) from None
    return record(out, (x,), lambda g: (g.reshape(shape),))


def ravel(x):
    """The values as a 1-D tensor, in row-major order."""
    return reshape(x, (-1,))


def transpose(x, axes=None):
    """Permute the axes (reverse them by default).  The gradient uses the inverse order."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    if axes is None:
        axes = tuple(reversed(range(x.ndim)))
    axes = tuple(a % x.ndim for a in axes)
    inverse = tuple(sorted(range(len(axes)), key=axes.__getitem__))
    return record(xp.transpose(x.data, axes), (x,),
                  lambda g: (xp.transpose(g, inverse),))


def swapaxes(x, axis1, axis2):
    """Exchange two axes.  The gradient swaps them back."""
    x = as_tensor(x)
    order = list(range(x.ndim))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return transpose(x, order)


def moveaxis(x, source, destination):
    """Move axes to new positions, keeping the order of the others."""
    x = as_tensor(x)
    source = normalize_axis(source, x.ndim)
    destination = normalize_axis(destination, x.ndim)
    order = [a for a in range(x.ndim) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return transpose(x, order)


def expand_dims(x, axis):
    """Insert a size-1 axis at ``axis`` (an int or a tuple of ints)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    shape = x.data.shape
    return record(xp.expand_dims(x.data, axis), (x,), lambda g: (g.reshape(shape),))


def squeeze(x, axis=None):
    """Remove size-1 axes (all of them, or those in ``axis``)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    shape = x.data.shape
    if axis is not None:
        for a in normalize_axis(axis, x.ndim):
            if shape[a] != 1:
                raise ValueError(
                    f"Cannot squeeze axis {a} of a tensor of shape {shape}: it has size "
                    f"{shape[a]}, not 1."
                )
    return record(xp.squeeze(x.data, axis=axis), (x,), lambda g: (g.reshape(shape),))


def broadcast_to(x, shape):
    """Repeat ``x`` along size-1 and new leading axes to reach ``shape``.

    The gradient is summed back over the repeated axes.
    """
    x = as_tensor(x)
    xp = get_array_module(x.data)
    source = x.data.shape
    return record(xp.broadcast_to(x.data, tuple(shape)), (x,),
                  lambda g: (unbroadcast(g, source),))


def flip(x, axis=None):
    """Reverse the order of the entries along ``axis`` (all axes if None)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    axes = normalize_axis(axis, x.ndim)
    return record(xp.flip(x.data, axes), (x,), lambda g: (xp.flip(g, axes),))


def _triangle(x, k, lower):
    x = as_tensor(x)
    xp = get_array_module(x.data)
    rows, cols = x.data.shape[-2:]
    keep = xp.tri(rows, cols, k, dtype=bool)
    if not lower:
        keep = ~xp.tri(rows, cols, k - 1, dtype=bool)
    zero = x.data.dtype.type(0)
    return record(xp.where(keep, x.data, zero), (x,), lambda g: (xp.where(keep, g, zero),))


def tril(x, k=0):
    """The lower triangle of the last two axes (entries above diagonal k set to 0)."""
    return _triangle(x, k, lower=True)


def triu(x, k=0):
    """The upper triangle of the last two axes (entries below diagonal k set to 0)."""
    return _triangle(x, k, lower=False)
