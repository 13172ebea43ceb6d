"""Creating tensors: zeros, ones, full, arange, eye, linspace and the ``*_like`` forms.

New tensors live on the active backend; float tensors are ``floatx()`` unless a
``dtype`` is given, Python integers give ``int32`` (as in Keras).
"""

from kerlite import arrays
from kerlite.autodiff.tensor import array_of, as_tensor, Tensor
from kerlite.arrays import get_array_module


def _dtype_for(*values, dtype=None):
    """The dtype Keras picks: the one asked for, else int32 for ints, else floatx."""
    if dtype is not None:
        return arrays.standardize_dtype(dtype)
    for value in values:
        if isinstance(value, bool):
            continue
        if isinstance(value, float) or getattr(getattr(value, "dtype", None), "kind", "") == "f":
            return arrays.floatx()
    if values and all(isinstance(v, bool) for v in values):
        return "bool"
    return "int32" if values else arrays.floatx()


def zeros(shape, dtype=None):
    xp = get_array_module()
    return Tensor(xp.zeros(shape, dtype=arrays.standardize_dtype(dtype)))


def ones(shape, dtype=None):
    xp = get_array_module()
    return Tensor(xp.ones(shape, dtype=arrays.standardize_dtype(dtype)))


def full(shape, fill_value, dtype=None):
    """A tensor of ``shape`` filled with ``fill_value``."""
    xp = get_array_module()
    fill = array_of(fill_value)
    return Tensor(xp.full(shape, fill, dtype=_dtype_for(fill_value, dtype=dtype)))


def zeros_like(x, dtype=None):
    x = as_tensor(x)
    xp = get_array_module(x.data)
    return Tensor(xp.zeros(x.data.shape, dtype=dtype and arrays.standardize_dtype(dtype)
                           or x.data.dtype))


def ones_like(x, dtype=None):
    x = as_tensor(x)
    xp = get_array_module(x.data)
    return Tensor(xp.ones(x.data.shape, dtype=dtype and arrays.standardize_dtype(dtype)
                          or x.data.dtype))


def full_like(x, fill_value, dtype=None):
    x = as_tensor(x)
    xp = get_array_module(x.data)
    dtype = dtype and arrays.standardize_dtype(dtype) or x.data.dtype
    return Tensor(xp.full(x.data.shape, array_of(fill_value), dtype=dtype))


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in [start, stop): ``arange(5)`` is 0, 1, 2, 3, 4."""
    xp = get_array_module()
    dtype = _dtype_for(start, stop if stop is not None else 0, step, dtype=dtype)
    if stop is None:
        start, stop = 0, start
    return Tensor(xp.arange(start, stop, step).astype(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop``."""
    xp = get_array_module()
    values, step = xp.linspace(start, stop, num, endpoint=endpoint, retstep=True, axis=axis)
    values = Tensor(values.astype(arrays.standardize_dtype(dtype)))
    return (values, step) if retstep else values


def eye(N, M=None, k=0, dtype=None):
    """A 2-D tensor with ones on the k-th diagonal and zeros elsewhere."""
    xp = get_array_module()
    return Tensor(xp.eye(N, M, k, dtype=arrays.standardize_dtype(dtype)))


def identity(n, dtype=None):
    """The n x n identity matrix."""
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):
    """Ones on and below the k-th diagonal (a causal mask, for example)."""
    xp = get_array_module()
    return Tensor(xp.tri(N, M, k, dtype=arrays.standardize_dtype(dtype)))
