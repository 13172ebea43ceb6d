"""Comparisons and logical operators: boolean results, not differentiable."""

from kerlite.autodiff.tensor import Tensor, as_tensor
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import tensors


def _compare(x1, x2, method):
    a, b = tensors(x1, x2)
    return Tensor(getattr(a.data, method)(b.data))


def equal(x1, x2):
    return _compare(x1, x2, "__eq__")


def not_equal(x1, x2):
    return _compare(x1, x2, "__ne__")


def less(x1, x2):
    return _compare(x1, x2, "__lt__")


def less_equal(x1, x2):
    return _compare(x1, x2, "__le__")


def greater(x1, x2):
    return _compare(x1, x2, "__gt__")


def greater_equal(x1, x2):
    return _compare(x1, x2, "__ge__")


def logical_and(x1, x2):
    a, b = tensors(x1, x2)
    return Tensor(a.data.astype(bool) & b.data.astype(bool))


def logical_or(x1, x2):
    a, b = tensors(x1, x2)
    return Tensor(a.data.astype(bool) | b.data.astype(bool))


def logical_not(x):
    a, _ = tensors(x, 0)
    return Tensor(~a.data.astype(bool))


def logical_xor(x1, x2):
    a, b = tensors(x1, x2)
    return Tensor(a.data.astype(bool) ^ b.data.astype(bool))


def _test(x, name):
    x = as_tensor(x)
    return Tensor(getattr(get_array_module(x.data), name)(x.data))


def isnan(x):
    """True where ``x`` is NaN (not a number)."""
    return _test(x, "isnan")


def isinf(x):
    """True where ``x`` is +inf or -inf."""
    return _test(x, "isinf")


def isfinite(x):
    """True where ``x`` is neither NaN nor infinite."""
    return _test(x, "isfinite")


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    """True where |x1 - x2| <= atol + rtol * |x2|."""
    a, b = tensors(x1, x2)
    xp = get_array_module(a.data, b.data)
    return Tensor(xp.isclose(a.data, b.data, rtol=rtol, atol=atol, equal_nan=equal_nan))
