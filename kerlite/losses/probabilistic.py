"""Cross-entropies and other losses between probability distributions.

The cross-entropies call the fused ops of ``kerlite.ops`` (log-sum-exp for logits,
probabilities clipped to ``[epsilon, 1 - epsilon]`` as Keras does), so extreme logits
never give NaN; here they add label smoothing, label checks and ``ignore_class``.
"""

from kerlite import arrays, ops
from kerlite.autodiff.tensor import Tensor
from kerlite.losses.elementwise_loss import elementwise_loss
from kerlite.ops.crossentropy import sparse_crossentropy_last_axis
from kerlite.losses.loss import (LossFunctionWrapper, as_float_tensor, match_ranks,
                                 reduce_weighted_values, true_values)


def _xp(array):
    return arrays.get_array_module(array)


def _eps(array):
    return array.dtype.type(arrays.epsilon())


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """mean(-(t log p + (1 - t) log(1 - p)), axis) for targets t in [0, 1]."""
    y_pred = as_float_tensor(y_pred)
    t = match_ranks(true_values(y_true, y_pred.data.dtype), y_pred.data)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    t = t + y_pred.data * 0 if t.shape != y_pred.shape else t  # broadcast to y_pred
    return ops.mean(ops.binary_crossentropy(t, y_pred, from_logits=from_logits),
                    axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0,
                             axis=-1):
    """-sum(y_true * log(y_pred), axis) for one-hot (or soft) targets."""
    y_pred = as_float_tensor(y_pred)
    t = true_values(y_true, y_pred.data.dtype)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + label_smoothing / t.shape[axis]
    return ops.categorical_crossentropy(t, y_pred, from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Categorical cross-entropy with integer class labels instead of one-hot targets.

    Labels equal to ``ignore_class`` contribute 0 (and are left out of the mean by
    ``SparseCategoricalCrossentropy``).
    """
    y_pred = as_float_tensor(y_pred)
    labels = y_true.data if isinstance(y_true, Tensor) else arrays.convert_to_array(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[axis] == 1:
        labels = labels.squeeze(axis)
    if labels.dtype.kind not in "iu":
        labels = labels.astype("int64")
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class
        labels = labels * valid
    classes = y_pred.shape[axis]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(
            f"sparse_categorical_crossentropy: labels must be integers in [0, {classes}) "
            f"for predictions with {classes} classes. Received labels from "
            f"{int(labels.min())} to {int(labels.max())} (y_pred shape {y_pred.shape}).")
    if valid is None and axis in (-1, y_pred.ndim - 1) and labels.shape == y_pred.shape[:-1]:
        return sparse_crossentropy_last_axis(labels, y_pred, from_logits)
    # One-hot targets by comparing each label with 0..classes-1, then the fused
    # categorical cross-entropy op (cheaper than ops.sparse_categorical_crossentropy's
    # general one_hot for this case).
    xp = arrays.get_array_module(labels)
    shape = [1] * y_pred.ndim
    shape[axis] = classes
    targets = xp.expand_dims(labels, axis) == xp.arange(classes).reshape(shape)
    if valid is not None:
        targets &= xp.expand_dims(valid, axis)
    targets = targets.astype(y_pred.data.dtype)
    return ops.categorical_crossentropy(targets, y_pred, from_logits=from_logits, axis=axis)


def kl_divergence(y_true, y_pred):
    """sum(t * log(t / p), axis=-1), with both clipped to [epsilon, 1]."""
    def value(t, p):
        xp = _xp(p)
        t = xp.clip(t, _eps(p), 1)
        return t * xp.log(t / xp.clip(p, _eps(p), 1))

    def derivative(t, p):
        xp = _xp(p)
        inside = (p > _eps(p)) & (p < 1)
        return -xp.clip(t, _eps(p), 1) / xp.clip(p, _eps(p), 1) * inside

    return elementwise_loss(y_true, y_pred, value, derivative, reduce="sum")


def poisson(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)."""
    return elementwise_loss(
        y_true, y_pred, lambda t, p: p - t * _xp(p).log(p + _eps(p)),
        lambda t, p: 1 - t / (p + _eps(p)))


class BinaryCrossentropy(LossFunctionWrapper):
    """Cross-entropy for yes/no targets (``"binary_crossentropy"``)."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for one-hot targets (``"categorical_crossentropy"``)."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy",
                 dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer labels (``"sparse_categorical_crossentropy"``)."""

    def __init__(self, from_logits=False, ignore_class=None,
                 reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def __call__(self, y_true, y_pred, sample_weight=None):
        if self.ignore_class is None:
            return super().__call__(y_true, y_pred, sample_weight)
        losses = self.call(y_true, y_pred)
        labels = true_values(y_true, None)
        mask = labels.reshape(losses.shape) != self.ignore_class
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence (``"kld"``)."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Poisson loss, for count targets."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)
