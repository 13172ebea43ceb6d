"""Creating tensors and changing their dtype."""

from kerlite import backend
from kerlite.autodiff.tensor import Tensor, as_tensor, record
from kerlite.backend import get_array_module


def convert_to_tensor(x, dtype=None, sparse=None):
    """Turn array-like input into a kerlite Tensor (float data becomes ``floatx``)."""
    return backend.convert_to_tensor(x, dtype)


def convert_to_numpy(x):
    """Return a NumPy array for a Tensor, array or nested list."""
    return backend.to_numpy(x)


def cast(x, dtype):
    """Change the dtype.  Float-to-float casts pass the gradient (cast back)."""
    x = as_tensor(x)
    dtype = backend.standardize_dtype(dtype)
    source = x.data.dtype
    out = x.data.astype(dtype, copy=False)
    if out.dtype.kind != "f" or source.kind != "f":
        return Tensor(out)
    return record(out, (x,), lambda g: (g.astype(source, copy=False),))


def shape(x):
    """The shape of ``x`` as a tuple of ints."""
    return tuple(getattr(x, "shape", ()))


def zeros(shape, dtype=None):
    xp = get_array_module()
    return Tensor(xp.zeros(shape, dtype=backend.standardize_dtype(dtype)))


def ones(shape, dtype=None):
    xp = get_array_module()
    return Tensor(xp.ones(shape, dtype=backend.standardize_dtype(dtype)))
