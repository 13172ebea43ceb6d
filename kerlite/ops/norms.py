"""Norms and statistics built from other ops: norm, normalize, moments.

Each is a short composition of differentiable ops (square, sum, sqrt, ...), so its
gradient comes for free from theirs.
"""

from kerlite import arrays
from kerlite.ops._helpers import float_tensor
from kerlite.ops.arithmetic import divide, maximum, multiply, power
from kerlite.ops.elementwise import abs, rsqrt, sqrt, square
from kerlite.ops.reductions import max, mean, min, sum, var
from kerlite.ops.shape import expand_dims, reshape

_INF = float("inf")


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm, as ``numpy.linalg.norm``.

    Vector (``axis`` an int, or None for a 1-D input): ord None/2 -> sqrt(sum x**2),
    1 -> sum |x|, inf -> max |x|, -inf -> min |x|, p -> (sum |x|**p)**(1/p).
    Matrix (``axis`` a pair, or None for a 2-D input): ord None or "fro" (Frobenius).
    """
    x = float_tensor(x)
    if axis is None and ord is None:
        out = sqrt(sum(square(x)))
        if keepdims:
            out = reshape(out, (1,) * x.ndim)
        return out
    if axis is None:
        axis = tuple(range(x.ndim)) if x.ndim == 2 else 0
    if isinstance(axis, (tuple, list)) and len(axis) == 2:
        if ord not in (None, "fro"):
            raise ValueError(
                f"norm: matrix norm ord={ord!r} is not supported; use ord=None or 'fro' "
                "(the Frobenius norm)."
            )
        return sqrt(sum(square(x), axis=tuple(axis), keepdims=keepdims))
    if isinstance(axis, (tuple, list)):
        axis = axis[0]
    if ord is None or ord == 2:
        return sqrt(sum(square(x), axis=axis, keepdims=keepdims))
    if ord == 1:
        return sum(abs(x), axis=axis, keepdims=keepdims)
    if ord == _INF:
        return max(abs(x), axis=axis, keepdims=keepdims)
    if ord == -_INF:
        return min(abs(x), axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"norm: ord={ord!r} needs a matrix (axis given as a pair).")
    return power(sum(power(abs(x), ord), axis=axis, keepdims=keepdims), 1.0 / ord)


def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm along ``axis`` (as ``keras.ops.normalize``).

    For order 2: x / sqrt(max(sum x**2, epsilon**2)), so a zero vector stays zero.
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    x = float_tensor(x)
    if x.ndim == 0:
        x = expand_dims(x, 0)
    epsilon = arrays.epsilon() if epsilon is None else epsilon
    if order == 2:
        squared_norm = sum(square(x), axis=axis, keepdims=True)
        return multiply(x, rsqrt(maximum(squared_norm, epsilon * epsilon)))
    return divide(x, maximum(norm(x, ord=order, axis=axis, keepdims=True), epsilon))


def moments(x, axes, keepdims=False, synchronized=False):
    """``(mean, variance)`` of ``x`` over ``axes`` (as ``keras.ops.moments``)."""
    axes = tuple(axes) if isinstance(axes, (list, tuple)) else axes
    return mean(x, axis=axes, keepdims=keepdims), var(x, axis=axes, keepdims=keepdims)
