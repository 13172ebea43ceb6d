"""Shape operations: reshape, transpose, slicing, joining and splitting tensors."""

from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.backend import get_array_module


def reshape(x, newshape):
    """Same values, new shape (-1 infers one size).  The gradient is reshaped back."""
    x = as_tensor(x)
    shape = x.data.shape
    if isinstance(newshape, int):
        newshape = (newshape,)
    newshape = tuple(-1 if n is None else int(n) for n in newshape)
    return record(x.data.reshape(newshape), (x,), lambda g: (g.reshape(shape),))


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


def _plain_key(key):
    """Indices may be tensors themselves: use their arrays."""
    if isinstance(key, tuple):
        return tuple(_plain_key(k) for k in key)
    if isinstance(key, Tensor):
        return key.data
    return key


def get_item(x, key):
    """``x[key]`` with NumPy indexing.  The gradient is scattered back (adding repeats)."""
    x = as_tensor(x)
    key = _plain_key(key)
    xp = get_array_module(x.data)
    shape, dtype = x.data.shape, x.data.dtype

    def backward(g):
        grad = xp.zeros(shape, dtype=dtype)
        if xp.__name__ == "numpy":
            xp.add.at(grad, key, g)
        else:  # cupy
            xp.add.at(grad, key, g)
        return (grad,)

    return record(x.data[key], (x,), backward)


def expand_dims(x, axis):
    """Insert a size-1 axis at ``axis``."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    shape = x.data.shape
    return record(xp.expand_dims(x.data, axis), (x,), lambda g: (g.reshape(shape),))


def squeeze(x, axis=None):
    """Remove size-1 axes (all of them, or those in ``axis``)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    shape = x.data.shape
    return record(xp.squeeze(x.data, axis=axis), (x,), lambda g: (g.reshape(shape),))


def concatenate(xs, axis=0):
    """Join tensors along an existing axis.  The gradient is split at the same places."""
    xs = [as_tensor(x) for x in xs]
    xp = get_array_module(*[x.data for x in xs])
    axis = axis % xs[0].ndim
    sizes = [x.data.shape[axis] for x in xs]
    bounds = [0]
    for n in sizes:
        bounds.append(bounds[-1] + n)

    def backward(g):
        index = [slice(None)] * g.ndim
        grads = []
        for start, stop in zip(bounds[:-1], bounds[1:]):
            index[axis] = slice(start, stop)
            grads.append(g[tuple(index)])
        return grads

    return record(xp.concatenate([x.data for x in xs], axis=axis), tuple(xs), backward)
