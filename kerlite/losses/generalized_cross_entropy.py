"""Generalized cross-entropy (Zhang & Sabuncu, 2018): a loss robust to noisy labels.

With ``p`` the probability given to the true class, ``loss = (1 - p**q) / q``. As
``q -> 0`` this tends to the cross-entropy ``-log p``; at ``q = 1`` it is ``1 - p``,
a mean-absolute-error that a few wrong labels cannot dominate.
"""

from kerlite import arrays, ops
from kerlite.autodiff.tensor import Tensor
from kerlite.losses.loss import LossFunctionWrapper, as_float_tensor


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """(1 - p**q) / q per sample, for integer labels and class probabilities."""
    y_pred = as_float_tensor(y_pred)
    labels = y_true.data if isinstance(y_true, Tensor) else arrays.convert_to_array(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])  # (n, 1) labels for (n, k) outputs
    targets = ops.one_hot(labels.astype("int32"), y_pred.shape[-1], dtype=y_pred.data.dtype)
    p = ops.sum(y_pred * targets.data, axis=-1)
    return (1.0 - ops.power(p, q)) / q


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy for integer labels; noise parameter ``q`` in (0, 1)."""

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"q must be in the interval (0, 1). Received: q={q}")
        super().__init__(categorical_generalized_cross_entropy, name=name,
                         reduction=reduction, dtype=dtype, q=q)
        self.q = q
