"""Comparisons and logical operators: boolean results, not differentiable."""

from kerlite.autodiff.tensor import Tensor
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
