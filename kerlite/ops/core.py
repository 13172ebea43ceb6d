"""Moving between arrays and Tensors, dtypes and shapes, and ``stop_gradient``."""

from kerlite import arrays
from kerlite.autodiff.tensor import Tensor, as_tensor, record


def convert_to_tensor(x, dtype=None, sparse=None):
    """Turn array-like input into a kerlite Tensor (float data becomes ``floatx``)."""
    if isinstance(x, Tensor) and dtype is None:
        return x
    return Tensor(arrays.convert_to_array(x, dtype))


def convert_to_numpy(x):
    """Return a NumPy array for a Tensor, array or nested list."""
    return arrays.to_numpy(x)


def cast(x, dtype):
    """Change the dtype.  Float-to-float casts pass the gradient (cast back)."""
    x = as_tensor(x)
    dtype = arrays.standardize_dtype(dtype)
    source = x.data.dtype
    if source.name == dtype:
        return x
    out = x.data.astype(dtype)
    if out.dtype.kind != "f" or source.kind != "f":
        return Tensor(out)
    return record(out, (x,), lambda g: (g.astype(source),))


def stop_gradient(variable):
    """The same values, but no gradient flows back through them (as ``keras.ops``).

    Use it for targets computed from the model itself, or to freeze part of a formula.
    """
    return Tensor(as_tensor(variable).data)


def shape(x):
    """The shape of ``x`` as a tuple of ints."""
    return tuple(getattr(x, "shape", ()))


def ndim(x):
    """The number of axes of ``x``."""
    return len(shape(as_tensor(x)))


def size(x):
    """The number of entries of ``x``."""
    return int(as_tensor(x).data.size)


def is_tensor(x):
    """True for a kerlite Tensor (or Variable)."""
    return isinstance(x, Tensor)
