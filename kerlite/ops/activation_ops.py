"""Activation functions with the names and defaults of ``keras.ops`` (relu, gelu, ...).

Each is one recorded op: the forward formula and, right under it, its derivative. The
derivative is computed inside ``backward``, so inference (no tape) pays only for the
forward formula. (``softmax`` and ``log_softmax`` live in ``softmax.py``.)
"""

import math

from kerlite.autodiff.tensor import record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor
from kerlite.ops.elementwise import erf_values


def relu(x):
    """max(x, 0).  d/dx = 1 where x > 0, else 0."""
    x = float_tensor(x)
    out = get_array_module(x.data).maximum(x.data, 0)
    return record(out, (x,), lambda g: (g * (out > 0),))


def relu6(x):
    """min(max(x, 0), 6).  d/dx = 1 where 0 < x < 6, else 0."""
    x = float_tensor(x)
    out = get_array_module(x.data).clip(x.data, 0, 6)
    return record(out, (x,), lambda g: (g * ((out > 0) & (out < 6)),))


def leaky_relu(x, negative_slope=0.2):
    """x where x >= 0, else negative_slope * x.  d/dx = 1 or negative_slope."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    slope = x.data.dtype.type(negative_slope)
    out = xp.where(x.data >= 0, x.data, x.data * slope)
    return record(out, (x,), lambda g: (xp.where(x.data >= 0, g, g * slope),))


def _sigmoid(data):
    """1 / (1 + e**-x), written with tanh so large |x| never overflows."""
    xp = get_array_module(data)
    return 0.5 + 0.5 * xp.tanh(0.5 * data)


def sigmoid(x):
    """1 / (1 + e**-x).  d/dx = s (1 - s)."""
    x = float_tensor(x)
    out = _sigmoid(x.data)
    return record(out, (x,), lambda g: (g * out * (1 - out),))


def _hard_sigmoid_slope(data):
    """d/dx clip(x/6 + 1/2, 0, 1): 1/6 where -3 < x < 3, else 0."""
    return ((data > -3) & (data < 3)) * data.dtype.type(1 / 6)


def hard_sigmoid(x):
    """clip(x / 6 + 1/2, 0, 1), a cheap sigmoid.  d/dx = 1/6 where -3 < x < 3."""
    x = float_tensor(x)
    out = get_array_module(x.data).clip(x.data / 6 + 0.5, 0, 1)
    return record(out, (x,), lambda g: (g * _hard_sigmoid_slope(x.data),))


def hard_silu(x):
    """x * hard_sigmoid(x).  d/dx = hard_sigmoid(x) + x * hard_sigmoid'(x)."""
    x = float_tensor(x)
    gate = get_array_module(x.data).clip(x.data / 6 + 0.5, 0, 1)

    def backward(g):
        return (g * (gate + x.data * _hard_sigmoid_slope(x.data)),)

    return record(x.data * gate, (x,), backward)


hard_swish = hard_silu


def silu(x):
    """x * sigmoid(x) (also called swish).  d/dx = s + x s (1 - s)."""
    x = float_tensor(x)
    s = _sigmoid(x.data)
    return record(x.data * s, (x,), lambda g: (g * s * (1 + x.data * (1 - s)),))


swish = silu


def softplus(x):
    """log(1 + e**x), computed without overflow.  d/dx = sigmoid(x)."""
    x = float_tensor(x)
    out = get_array_module(x.data).logaddexp(x.data, 0)
    return record(out, (x,), lambda g: (g * _sigmoid(x.data),))


def log_sigmoid(x):
    """log(sigmoid(x)) = -softplus(-x).  d/dx = sigmoid(-x)."""
    x = float_tensor(x)
    out = -get_array_module(x.data).logaddexp(-x.data, 0)
    return record(out, (x,), lambda g: (g * _sigmoid(-x.data),))


def softsign(x):
    """x / (1 + |x|).  d/dx = 1 / (1 + |x|)**2."""
    x = float_tensor(x)
    denominator = 1 + get_array_module(x.data).abs(x.data)
    return record(x.data / denominator, (x,),
                  lambda g: (g / (denominator * denominator),))


def elu(x, alpha=1.0):
    """x where x >= 0, else alpha (e**x - 1).  d/dx = 1, or alpha e**x = out + alpha."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    alpha = x.data.dtype.type(alpha)
    positive = x.data >= 0
    out = xp.where(positive, x.data, alpha * xp.expm1(xp.minimum(x.data, 0)))
    return record(out, (x,), lambda g: (xp.where(positive, g, g * (out + alpha)),))


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al.

    d/dx = scale for x >= 0, else out + scale * alpha.
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    positive = x.data >= 0
    curve = SELU_ALPHA * xp.expm1(xp.minimum(x.data, 0))
    out = SELU_SCALE * xp.where(positive, x.data, curve)

    def backward(g):
        return (g * xp.where(positive, SELU_SCALE, out + SELU_SCALE * SELU_ALPHA),)

    return record(out, (x,), backward)


def celu(x, alpha=1.0):
    """max(x, 0) + alpha (e**(min(x, 0)/alpha) - 1).  d/dx = 1, or e**(x/alpha)."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    below = xp.exp(xp.minimum(x.data, 0) / alpha)
    out = xp.maximum(x.data, 0) + alpha * (below - 1)
    return record(out, (x,), lambda g: (xp.where(x.data > 0, g, g * below),))


def gelu(x, approximate=True):
    """x * Phi(x), Phi the standard normal CDF; Keras's default is the tanh approximation.

    approximate: 0.5 x (1 + tanh(c (x + 0.044715 x**3))), c = sqrt(2/pi)
    exact:       0.5 x (1 + erf(x / sqrt(2)));  d/dx = Phi(x) + x phi(x)
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    v = x.data
    if approximate:
        c = math.sqrt(2 / math.pi)
        t = xp.tanh(c * (v + 0.044715 * v * v * v))
        out = 0.5 * v * (1 + t)

        def backward(g):
            inner = c * (1 + 3 * 0.044715 * v * v)
            return (g * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * inner),)
    else:
        cdf = 0.5 * (1 + erf_values(v / math.sqrt(2)))
        out = v * cdf

        def backward(g):
            return (g * (cdf + v * xp.exp(-0.5 * v * v) / math.sqrt(2 * math.pi)),)

    return record(out, (x,), backward)


def mish(x):
    """x * tanh(softplus(x)).  d/dx = t + x (1 - t**2) sigmoid(x), t = tanh(softplus(x))."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    t = xp.tanh(xp.logaddexp(x.data, 0))

    def backward(g):
        return (g * (t + x.data * (1 - t * t) * _sigmoid(x.data)),)

    return record(x.data * t, (x,), backward)


def hard_tanh(x):
    """clip(x, -1, 1), a piecewise-linear tanh.  d/dx = 1 where -1 < x < 1, else 0."""
    x = float_tensor(x)
    out = get_array_module(x.data).clip(x.data, -1, 1)
    return record(out, (x,), lambda g: (g * ((x.data > -1) & (x.data < 1)),))


def hard_shrink(x, threshold=0.5):
    """x where |x| > threshold, else 0.  d/dx = 1 where |x| > threshold, else 0."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    keep = xp.abs(x.data) > x.data.dtype.type(threshold)
    return record(xp.where(keep, x.data, 0), (x,), lambda g: (g * keep,))


def soft_shrink(x, threshold=0.5):
    """Move x towards 0 by ``threshold``, stopping at 0:
    x - t where x > t, x + t where x < -t, else 0.  d/dx = 1 where |x| > t, else 0."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    t = x.data.dtype.type(threshold)
    keep = xp.abs(x.data) > t
    out = xp.where(keep, x.data - xp.sign(x.data) * t, 0)
    return record(out, (x,), lambda g: (g * keep,))


def tanh_shrink(x):
    """x - tanh(x).  d/dx = 1 - (1 - tanh(x)**2) = tanh(x)**2."""
    x = float_tensor(x)
    t = get_array_module(x.data).tanh(x.data)
    return record(x.data - t, (x,), lambda g: (g * t * t,))


def squareplus(x, b=4):
    """(x + sqrt(x**2 + b)) / 2, a smooth relu made of a square root (b sets how smooth).

    d/dx = (1 + x / sqrt(x**2 + b)) / 2.
    """
    x = float_tensor(x)
    root = get_array_module(x.data).sqrt(x.data * x.data + x.data.dtype.type(b))
    return record((x.data + root) / 2, (x,), lambda g: (g * (1 + x.data / root) / 2,))


def sparse_plus(x):
    """0 for x <= -1, (x + 1)**2 / 4 for -1 < x < 1, x for x >= 1: a softplus with
    exact zeros.  d/dx = 0, (x + 1) / 2, or 1 (that is, sparse_sigmoid(x))."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    slope = _sparse_sigmoid(x.data)
    out = xp.where(x.data >= 1, x.data, slope * slope)  # ((x + 1) / 2)**2 below 1
    return record(out, (x,), lambda g: (g * slope,))


def _sparse_sigmoid(data):
    """clip((x + 1) / 2, 0, 1)."""
    return get_array_module(data).clip((data + 1) / 2, 0, 1)


def sparse_sigmoid(x):
    """0 for x <= -1, (x + 1) / 2 for -1 < x < 1, 1 for x >= 1.

    d/dx = 1/2 where -1 < x < 1, else 0.
    """
    x = float_tensor(x)
    half = x.data.dtype.type(0.5)
    return record(_sparse_sigmoid(x.data), (x,),
                  lambda g: (g * (((x.data > -1) & (x.data < 1)) * half),))


def threshold(x, threshold, default_value):
    """x where x > threshold, else ``default_value``.  d/dx = 1 where x > threshold."""
    x = float_tensor(x)
    xp = get_array_module(x.data)
    keep = x.data > threshold
    out = xp.where(keep, x.data, x.data.dtype.type(default_value))
    return record(out, (x,), lambda g: (g * keep,))


def glu(x, axis=-1):
    """Gated linear unit: split x in halves a, b along ``axis``; a * sigmoid(b).

    d/da = sigmoid(b),  d/db = a * s (1 - s); the two halves join again along ``axis``.
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    if x.data.shape[axis] % 2:
        raise ValueError("glu: the size of `axis` must be divisible by 2. Received: "
                         f"x.shape={x.data.shape} with axis={axis}")
    a, b = xp.split(x.data, 2, axis=axis)
    s = _sigmoid(b)

    def backward(g):
        return (xp.concatenate([g * s, g * a * s * (1 - s)], axis=axis),)

    return record(a * s, (x,), backward)


def sparsemax(x, axis=-1):
    """Like softmax, but many outputs are exactly 0: the Euclidean projection of x
    onto the probability simplex, max(x - tau, 0) with tau chosen so the sum is 1.

    Sort x in decreasing order; the support is the k largest entries, k the largest
    with 1 + k x_(k) > x_(1) + ... + x_(k); tau = (sum of the support - 1) / k.
    d/dx: on the support, g minus its mean over the support; 0 elsewhere.
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    v = x.data
    ordered = -xp.sort(-v, axis=axis)
    running = xp.cumsum(ordered, axis=axis)
    rank_shape = [1] * v.ndim
    rank_shape[axis] = -1
    rank = xp.arange(1, v.shape[axis] + 1, dtype=v.dtype).reshape(rank_shape)
    in_support = 1 + rank * ordered > running
    k = xp.sum(in_support, axis=axis, keepdims=True)
    support_sum = xp.take_along_axis(running, k - 1, axis=axis)
    tau = (support_sum - 1) / k.astype(v.dtype)
    out = xp.maximum(v - tau, 0)

    def backward(g):
        on = out > 0
        mean = (xp.sum(g * on, axis=axis, keepdims=True)
                / xp.sum(on, axis=axis, keepdims=True).astype(v.dtype))
        return ((g - mean) * on,)

    return record(out, (x,), backward)
