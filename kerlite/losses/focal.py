"""Focal cross-entropies: cross-entropy that fades out the easy examples.

Lin et al. (2017) multiply each cross-entropy term by ``(1 - p_t) ** gamma``, where
``p_t`` is the probability given to the true answer: confident, correct predictions
then add almost nothing and training concentrates on the hard ones. ``gamma = 0``
gives back the plain cross-entropy. Built from ``kerlite.ops``, so the gradient is free.
"""

import warnings

from kerlite import arrays, ops
from kerlite.losses.loss import (LossFunctionWrapper, as_float_tensor, match_ranks,
                                 true_values)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """mean((1 - p_t)**gamma * bce(t, p), axis), p_t = t p + (1 - t)(1 - p).

    With ``apply_class_balancing`` each term is also weighted by ``alpha`` for
    positives and ``1 - alpha`` for negatives.
    """
    y_pred = as_float_tensor(y_pred)
    t = match_ranks(true_values(y_true, y_pred.data.dtype), y_pred.data)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    t = t + y_pred.data * 0 if t.shape != y_pred.shape else t  # broadcast to y_pred
    p = ops.sigmoid(y_pred) if from_logits else y_pred
    bce = ops.binary_crossentropy(t, p)  # clips p to [eps, 1 - eps], as Keras
    p_t = p * t + (1.0 - p) * (1.0 - t)
    focal = ops.power(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = focal * (t * alpha + (1.0 - t) * (1.0 - alpha))
    return ops.mean(focal, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """sum(-alpha * (1 - p)**gamma * t * log(p), axis) for one-hot (or soft) targets.

    ``p`` is rescaled to sum to 1 and clipped to [eps, 1 - eps] first; ``alpha`` may be
    one number or one weight per class.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")
    y_pred = as_float_tensor(y_pred)
    t = true_values(y_true, y_pred.data.dtype)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            "In loss categorical_focal_crossentropy, expected y_pred.shape to be "
            f"(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' if you "
            "only have 2 classes.", SyntaxWarning, stacklevel=2)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + label_smoothing / t.shape[-1]
    p = ops.softmax(y_pred, axis=axis) if from_logits else y_pred
    p = p / ops.sum(p, axis=axis, keepdims=True)
    eps = arrays.epsilon()
    p = ops.clip(p, eps, 1.0 - eps)
    alpha = arrays.convert_to_array(alpha, y_pred.data.dtype)
    weight = ops.power(1.0 - p, gamma) * alpha
    return ops.sum(weight * (ops.log(p) * -t), axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy scaled by ``(1 - p_t)**gamma``
    (``"binary_focal_crossentropy"``)."""

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                 from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_focal_crossentropy",
                 dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, apply_class_balancing=apply_class_balancing,
                         alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical cross-entropy scaled by ``alpha * (1 - p)**gamma``
    (``"categorical_focal_crossentropy"``)."""

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size",
                 name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
