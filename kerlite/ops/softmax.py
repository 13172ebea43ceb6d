"""softmax, log_softmax and logsumexp: the normalised exponentials, computed stably.

All three subtract the maximum first: exp(x - m) never overflows, and the result is the
same because softmax(x) = softmax(x - m).
"""

from kerlite.autodiff.tensor import record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor, normalize_axis


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along ``axis``.

    Backward: for y = softmax(x), dL/dx = y * (g - sum(g * y)) along ``axis``.
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    axes = normalize_axis(axis, x.ndim)
    shifted = x.data - x.data.max(axis=axes, keepdims=True)
    e = xp.exp(shifted)
    out = e / e.sum(axis=axes, keepdims=True)

    def backward(g):
        return (out * (g - (g * out).sum(axis=axes, keepdims=True)),)

    return record(out, (x,), backward)


def log_softmax(x, axis=-1):
    """x - logsumexp(x) along ``axis``.

    Backward: dL/dx = g - softmax(x) * sum(g) along ``axis``.
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    axes = normalize_axis(axis, x.ndim)
    shifted = x.data - x.data.max(axis=axes, keepdims=True)
    out = shifted - xp.log(xp.exp(shifted).sum(axis=axes, keepdims=True))

    def backward(g):
        return (g - xp.exp(out) * g.sum(axis=axes, keepdims=True),)

    return record(out, (x,), backward)


def logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) over ``axis``, without overflow.

    Backward: dL/dx = g * softmax(x) over ``axis``.
    """
    x = float_tensor(x)
    xp = get_array_module(x.data)
    axes = normalize_axis(axis, x.ndim)
    peak = x.data.max(axis=axes, keepdims=True)
    peak = xp.where(xp.isfinite(peak), peak, 0)  # all -inf rows: keep -inf, not nan
    kept = xp.log(xp.exp(x.data - peak).sum(axis=axes, keepdims=True)) + peak
    out = kept if keepdims else kept.reshape(
        [n for i, n in enumerate(kept.shape) if i not in axes])

    def backward(g):
        g = g if keepdims else g.reshape(kept.shape)
        return (g * xp.exp(x.data - kept),)

    return record(out, (x,), backward)
