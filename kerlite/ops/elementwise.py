"""Elementwise functions of one tensor (exp, log, sqrt, sin, ...); backward next to forward.

Functions whose result is never an integer (exp, log, sqrt, sin, ...) turn integer input
into ``floatx()`` first, as Keras does.
"""

import math

from kerlite.autodiff.tensor import array_of, as_tensor, record, Tensor
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor


def exp(x):
    """e**x.  d/dx = e**x."""
    x = float_tensor(x)
    out = get_array_module(x.data).exp(x.data)
    return record(out, (x,), lambda g: (g * out,))


def expm1(x):
    """e**x - 1, accurate near 0.  d/dx = e**x."""
    x = float_tensor(x)
    out = get_array_module(x.data).expm1(x.data)
    return record(out, (x,), lambda g: (g * (out + 1),))


def log(x):
    """Natural logarithm.  d/dx = 1/x."""
    x = float_tensor(x)
    out = get_array_module(x.data).log(x.data)
    return record(out, (x,), lambda g: (g / x.data,))


def log1p(x):
    """log(1 + x), accurate near 0.  d/dx = 1/(1 + x)."""
    x = float_tensor(x)
    out = get_array_module(x.data).log1p(x.data)
    return record(out, (x,), lambda g: (g / (x.data + 1),))


def sqrt(x):
    """Square root.  d/dx = 1 / (2 sqrt(x))."""
    x = float_tensor(x)
    out = get_array_module(x.data).sqrt(x.data)
    return record(out, (x,), lambda g: (g * 0.5 / out,))


def rsqrt(x):
    """1 / sqrt(x).  d/dx = -0.5 x**(-3/2) = -0.5 out**3."""
    x = float_tensor(x)
    out = 1 / get_array_module(x.data).sqrt(x.data)
    return record(out, (x,), lambda g: (g * -0.5 * out * out * out,))


def reciprocal(x):
    """1 / x.  d/dx = -1/x**2."""
    x = float_tensor(x)
    out = 1 / x.data
    return record(out, (x,), lambda g: (-g * out * out,))


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


def sign(x):
    """-1, 0 or 1 (not differentiable: the gradient is zero almost everywhere)."""
    x = as_tensor(x)
    return Tensor(get_array_module(x.data).sign(x.data))


def floor(x):
    """Round down (not differentiable)."""
    x = float_tensor(x)
    return Tensor(get_array_module(x.data).floor(x.data))


def ceil(x):
    """Round up (not differentiable)."""
    x = float_tensor(x)
    return Tensor(get_array_module(x.data).ceil(x.data))


def round(x, decimals=0):
    """Round to ``decimals`` places, halves to even (not differentiable)."""
    x = as_tensor(x)
    return Tensor(get_array_module(x.data).round(x.data, decimals))


def clip(x, x_min, x_max):
    """Limit values to [x_min, x_max].  d/dx = 1 inside the range, 0 outside."""
    x = as_tensor(x)
    xp = get_array_module(x.data)
    low = array_of(x_min)
    high = array_of(x_max)
    out = xp.clip(x.data, low, high).astype(x.data.dtype, copy=False)
    return record(out, (x,), lambda g: (g * ((x.data >= low) & (x.data <= high)),))


def sin(x):
    """sin(x).  d/dx = cos(x)."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    return record(xp.sin(x.data), (x,), lambda g: (g * xp.cos(x.data),))


def cos(x):
    """cos(x).  d/dx = -sin(x)."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    return record(xp.cos(x.data), (x,), lambda g: (-g * xp.sin(x.data),))


def tan(x):
    """tan(x).  d/dx = 1 + tan(x)**2."""
    x = float_tensor(x)
    out = get_array_module(x.data).tan(x.data)
    return record(out, (x,), lambda g: (g * (1 + out * out),))


def arctan(x):
    """arctan(x).  d/dx = 1 / (1 + x**2)."""
    x = float_tensor(x)
    out = get_array_module(x.data).arctan(x.data)
    return record(out, (x,), lambda g: (g / (1 + x.data * x.data),))


def tanh(x):
    """Hyperbolic tangent.  d/dx = 1 - tanh(x)**2."""
    x = float_tensor(x)
    out = get_array_module(x.data).tanh(x.data)
    return record(out, (x,), lambda g: (g * (1 - out * out),))


def erf(x):
    """The error function, 2/sqrt(pi) * integral of e**(-t**2) from 0 to x.

    d/dx = 2/sqrt(pi) * e**(-x**2).
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    out = erf_values(x.data)
    scale = 2 / math.sqrt(math.pi)
    return record(out, (x,), lambda g: (g * scale * xp.exp(-x.data * x.data),))


def erf_values(data):
    """erf of a raw array, on its own device (SciPy/CuPy if present, else math.erf)."""
    xp = get_array_module(data)
    if xp.__name__ == "cupy":
        from cupyx.scipy.special import erf as erf_function
    else:
        try:
            from scipy.special import erf as erf_function
        except ImportError:  # NumPy has no erf: apply math.erf entry by entry
            erf_function = xp.frompyfunc(math.erf, 1, 1)
    return erf_function(data).astype(data.dtype)
