"""Overlap losses for segmentation masks: Dice and Tversky.

Both compare the predicted mask with the true one by how much they overlap rather than
pixel by pixel, so a small object is not drowned out by a large background:

    dice    = 1 - 2 sum(t p) / (sum(t) + sum(p) + eps)
    tversky = 1 - sum(t p) / (sum(t p) + alpha sum(t (1 - p)) + beta sum((1 - t) p) + eps)

``axis=None`` (the default, as in Keras) sums over the whole batch and gives a single
value; pass e.g. ``axis=(1, 2, 3)`` for one value per image.
"""

from kerlite import arrays, ops
from kerlite.losses.loss import (LossFunctionWrapper, as_float_tensor, match_ranks,
                                 true_values)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def dice(y_true, y_pred, axis=None):
    """1 - 2 sum(t p) / (sum(t) + sum(p) + eps), summed over ``axis``."""
    y_pred = as_float_tensor(y_pred)
    t = match_ranks(true_values(y_true, y_pred.data.dtype), y_pred.data)
    axis = _axis(axis)
    overlap = ops.sum(y_pred * t, axis=axis)
    total = ops.sum(y_pred, axis=axis) + (t.sum(axis=axis) + arrays.epsilon())
    return 1.0 - 2.0 * overlap / total


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """Dice with separate weights on missed pixels (``alpha``) and false alarms
    (``beta``); alpha = beta = 0.5 is Dice."""
    y_pred = as_float_tensor(y_pred)
    t = match_ranks(true_values(y_true, y_pred.data.dtype), y_pred.data)
    axis = _axis(axis)
    overlap = ops.sum(y_pred * t, axis=axis)
    missed = ops.sum((1.0 - y_pred) * t, axis=axis)
    false_alarms = ops.sum(y_pred * (1.0 - t), axis=axis)
    return 1.0 - overlap / (overlap + missed * alpha + false_alarms * beta
                            + arrays.epsilon())


class Dice(LossFunctionWrapper):
    """Dice loss (``"dice"``): one minus the overlap score of two masks."""

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None,
                 dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis


class Tversky(LossFunctionWrapper):
    """Tversky loss (``"tversky"``): Dice with tunable weights on the two error kinds."""

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size",
                 name="tversky", axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype,
                         alpha=alpha, beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis
