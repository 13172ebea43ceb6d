"""One fused op for the many losses of the form ``reduce_last_axis(f(y_true, y_pred))``.

A loss such as MSE, MAE, Huber or binary cross-entropy is an elementwise function of
the target and the prediction, averaged (or summed) over the last axis. Given the
function and its derivative with respect to ``y_pred``, this op computes the
per-sample values and the backward rule ``g[..., None] * f'(y_true, y_pred) / n``, so
each loss is a few lines of plain array maths.

Targets and predictions may broadcast, as in Keras: ``y_true`` of shape (8, 10) with
``y_pred`` of shape (8, 1) averages over the 10 target columns, and the gradient that
reaches ``y_pred`` is summed back to its shape (8, 1).
"""

from kerlite import arrays
from kerlite.autodiff.tensor import record
from kerlite.losses.loss import as_float_tensor, match_ranks, true_values
from kerlite.ops._helpers import unbroadcast


def elementwise_loss(y_true, y_pred, value, derivative, reduce="mean", axis=-1):
    """Per-sample loss ``reduce(value(t, p), axis)`` with gradient ``derivative(t, p)``.

    ``value`` and ``derivative`` receive arrays (``t`` already has ``p``'s rank and
    dtype) and return arrays of ``p``'s shape.
    """
    y_pred = as_float_tensor(y_pred)
    p = y_pred.data
    t = true_values(y_true, p.dtype)
    t = match_ranks(t, p)
    original_shape = p.shape
    if p.ndim == 0:
        p, t = p.reshape(1), t.reshape(1)
    values = value(t, p)  # the broadcast shape of t and p
    count = p.dtype.type(1.0 if reduce == "sum" else 1.0 / values.shape[axis])
    out = values.sum(axis=axis) * count

    def backward(g):
        position = axis % values.ndim
        g = g.reshape(g.shape[:position] + (1,) + g.shape[position:])
        grad = derivative(t, p) * (g * count)
        if grad.shape != values.shape:  # a derivative that does not depend on t
            grad = arrays.get_array_module(grad).broadcast_to(grad, values.shape)
        return (unbroadcast(grad, p.shape).reshape(original_shape),)

    return record(out.astype(p.dtype, copy=False), (y_pred,), backward)
