"""Hinge losses (maximum-margin classifiers): targets in {-1, 1} (0/1 are converted).

    hinge = mean(max(1 - t * p, 0)),  squared_hinge = mean(max(1 - t * p, 0)**2)
    categorical_hinge = max(max((1 - t) * p) - sum(t * p) + 1, 0)
"""

from kerlite import arrays
from kerlite.autodiff.tensor import record
from kerlite.losses.elementwise_loss import elementwise_loss
from kerlite.losses.loss import LossFunctionWrapper, as_float_tensor, true_values
from kerlite.ops._helpers import unbroadcast


def _xp(array):
    return arrays.get_array_module(array)


def _signed(t):
    """0/1 labels become -1/1, as Keras does; other labels are left alone."""
    if ((t == 0) | (t == 1)).all():
        return 2 * t - 1
    return t


def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0), axis=-1)."""
    return elementwise_loss(
        y_true, y_pred, lambda t, p: _xp(p).maximum(1 - _signed(t) * p, 0),
        lambda t, p: -_signed(t) * (1 - _signed(t) * p > 0))


def squared_hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)**2, axis=-1)."""
    def margin(t, p):
        return _xp(p).maximum(1 - _signed(t) * p, 0)

    return elementwise_loss(y_true, y_pred, lambda t, p: margin(t, p) ** 2,
                            lambda t, p: -2 * _signed(t) * margin(t, p))


def categorical_hinge(y_true, y_pred):
    """max(best wrong score - true score + 1, 0) for one-hot targets."""
    y_pred = as_float_tensor(y_pred)
    p = y_pred.data
    xp = _xp(p)
    t = true_values(y_true, p.dtype)
    wrong = (1 - t) * p
    out = xp.maximum(wrong.max(axis=-1) - (t * p).sum(axis=-1) + 1, 0).astype(p.dtype)

    def backward(g):
        best = wrong == wrong.max(axis=-1, keepdims=True)
        best = best / best.sum(axis=-1, keepdims=True)  # ties share the gradient
        active = xp.expand_dims((out > 0) * g, -1)
        return (unbroadcast(((1 - t) * best - t) * active, p.shape),)

    return record(out, (y_pred,), backward)


class Hinge(LossFunctionWrapper):
    """Hinge loss (``"hinge"``)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Squared hinge loss (``"squared_hinge"``)."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Categorical hinge loss (``"categorical_hinge"``)."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge",
                 dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)
