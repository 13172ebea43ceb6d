"""Elementwise functions of one tensor (exp, log, sqrt, ...); backward next to forward."""

from kerlite.autodiff.tensor import as_tensor, record
from kerlite.backend import get_array_module


def exp(x):
    """e**x.  d/dx = e**x."""
    x = as_tensor(x)
    out = get_array_module(x.data).exp(x.data)
    return record(out, (x,), lambda g: (g * out,))


def log(x):
    """Natural logarithm.  d/dx = 1/x."""
    x = as_tensor(x)
    out = get_array_module(x.data).log(x.data)
    return record(out, (x,), lambda g: (g / x.data,))


def sqrt(x):
    """Square root.  d/dx = 1 / (2 sqrt(x))."""
    x = as_tensor(x)
    out = get_array_module(x.data).sqrt(x.data)
    return record(out, (x,), lambda g: (g * 0.5 / out,))


def square(x):
    """x**2.  d/dx = 2x."""
    x = as_tensor(x)
    return record(x.data * x.data, (x,), lambda g: (g * 2 * x.data,))


def abs(x):
    """|x|.  d/dx = sign(x) (0 at 0)."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    return record(xp.abs(x.data), (x,), lambda g: (g * xp.sign(x.data),))


absolute = abs


def clip(x, x_min, x_max):
    """Limit values to [x_min, x_max].  d/dx = 1 inside the range, 0 outside."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    out = xp.clip(x.data, x_min, x_max)
    inside = (x.data >= x_min) & (x.data <= x_max)
    return record(out, (x,), lambda g: (g * inside,))
