"""Elementwise arithmetic with NumPy broadcasting; each backward rule sits by its op."""

from kerlite import arrays
from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import tensors, unbroadcast


def add(x1, x2):
    """x1 + x2.  d/dx1 = 1, d/dx2 = 1 (summed back over broadcast axes)."""
    a, b = tensors(x1, x2)
    shape_a, shape_b = a.data.shape, b.data.shape

    def backward(g):
        return unbroadcast(g, shape_a), unbroadcast(g, shape_b)

    return record(a.data + b.data, (a, b), backward)


def subtract(x1, x2):
    """x1 - x2.  d/dx1 = 1, d/dx2 = -1."""
    a, b = tensors(x1, x2)
    shape_a, shape_b = a.data.shape, b.data.shape

    def backward(g):
        return unbroadcast(g, shape_a), unbroadcast(-g, shape_b)

    return record(a.data - b.data, (a, b), backward)


def multiply(x1, x2):
    """x1 * x2.  d/dx1 = x2, d/dx2 = x1."""
    a, b = tensors(x1, x2)

    def backward(g):
        return (unbroadcast(g * b.data, a.data.shape),
                unbroadcast(g * a.data, b.data.shape))

    return record(a.data * b.data, (a, b), backward)


def divide(x1, x2):
    """x1 / x2.  d/dx1 = 1/x2, d/dx2 = -x1/x2**2."""
    a, b = tensors(x1, x2)
    if a.data.dtype.kind in "iub" and b.data.dtype.kind in "iub":
        a = as_tensor(a.data.astype(arrays.floatx()))
        b = as_tensor(b.data.astype(arrays.floatx()))
    out = a.data / b.data

    def backward(g):
        grad_b = -g * out / b.data
        return unbroadcast(g / b.data, a.data.shape), unbroadcast(grad_b, b.data.shape)

    return record(out, (a, b), backward)


true_divide = divide


def floor_divide(x1, x2):
    """x1 // x2 (not differentiable: its gradient is zero almost everywhere)."""
    a, b = tensors(x1, x2)
    return record(a.data // b.data, (), None)


def mod(x1, x2):
    """x1 % x2.  d/dx1 = 1, d/dx2 = -floor(x1/x2)."""
    a, b = tensors(x1, x2)

    def backward(g):
        return (unbroadcast(g, a.data.shape),
                unbroadcast(-g * (a.data // b.data), b.data.shape))

    return record(a.data % b.data, (a, b), backward)


def negative(x):
    """-x.  d/dx = -1."""
    x = as_tensor(x)
    return record(-x.data, (x,), lambda g: (-g,))


def power(x1, x2):
    """x1 ** x2.  d/dx1 = x2 * x1**(x2-1), d/dx2 = x1**x2 * log(x1)."""
    a, b = tensors(x1, x2)
    out = a.data ** b.data

    def backward(g):
        xp = get_array_module(a.data)
        grad_a = grad_b = None
        if a._needs_grad:
            grad_a = unbroadcast(g * b.data * a.data ** (b.data - 1), a.data.shape)
        if b._needs_grad:
            safe_log = xp.log(xp.where(a.data > 0, a.data, 1))
            grad_b = unbroadcast(g * out * safe_log, b.data.shape)
        return grad_a, grad_b

    return record(out, (a, b), backward)


def _choose(x1, x2, pick_first):
    """Shared by maximum/minimum: the gradient goes to the chosen input (halved at ties)."""
    a, b = tensors(x1, x2)
    first = pick_first(a.data, b.data)
    xp = get_array_module(a.data, b.data)
    out = xp.where(first, a.data, b.data)
    tie = a.data == b.data

    def backward(g):
        share_a = xp.where(tie, g.dtype.type(0.5), first.astype(g.dtype))
        return (unbroadcast(g * share_a, a.data.shape),
                unbroadcast(g * (1 - share_a), b.data.shape))

    return record(out, (a, b), backward)


def maximum(x1, x2):
    """The larger of x1 and x2, elementwise.  The gradient goes to the larger one."""
    return _choose(x1, x2, lambda a, b: a >= b)


def minimum(x1, x2):
    """The smaller of x1 and x2, elementwise.  The gradient goes to the smaller one."""
    return _choose(x1, x2, lambda a, b: a <= b)
