"""Circle loss (Sun et al., 2020) for learning embeddings from integer labels.

For each embedding (a row of ``y_pred``, L2-normalised) it looks at the cosine
distance ``d`` to every reference embedding: pairs with the same label should be close
(``d < margin``), pairs with different labels far (``d > 1 - margin``). Each pair is
weighted by how far it is from its goal, so the pairs that are most wrong pull hardest:

    p_loss = logsumexp over positives of  -gamma * max(margin + d, 0) * (margin - d)
    n_loss = logsumexp over negatives of   gamma * max(1 + margin - d, 0) * (1 - margin - d)
    loss   = softplus(p_loss + n_loss)

Rows with no positive pair give 0 and are left out of the mean (as Keras does, with a
mask on the loss values).
"""

from kerlite import arrays, ops
from kerlite.autodiff.tensor import Tensor
from kerlite.losses.loss import LossFunctionWrapper, as_float_tensor


def _labels(value):
    data = value.data if isinstance(value, Tensor) else arrays.convert_to_array(value)
    return data.astype("int32").reshape(-1, 1)


def pair_masks(labels, ref_labels, remove_diagonal=True):
    """Same-label (positive) and different-label (negative) pairs, as boolean arrays."""
    xp = arrays.get_array_module(labels)
    positive = labels == ref_labels.T
    negative = ~positive
    if remove_diagonal:  # an embedding is not its own positive
        positive &= ~xp.eye(labels.shape[0], ref_labels.shape[0], dtype=bool)
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss per embedding; the result carries a mask of the rows that count."""
    y_pred = as_float_tensor(y_pred)
    labels = _labels(y_true)
    ref = y_pred if ref_embeddings is None else as_float_tensor(ref_embeddings)
    ref_labels = labels if ref_labels is None else _labels(ref_labels)
    distance = ops.maximum(1.0 - ops.matmul(y_pred, ops.transpose(ref)), 0.0)
    positive, negative = pair_masks(labels, ref_labels, remove_diagonal)
    dtype = y_pred.data.dtype
    pos_weight = ops.maximum((distance + margin) * positive.astype(dtype), 0.0)
    neg_weight = ops.maximum((1.0 + margin - distance) * negative.astype(dtype), 0.0)
    pos_logits = pos_weight * (margin - distance) * -gamma
    neg_logits = neg_weight * (1.0 - margin - distance) * gamma
    # Pairs outside a mask get a huge negative logit (exp gives exactly 0). Keras uses
    # -inf; a finite value gives the same numbers without 0 * inf in the gradient.
    # (A quarter of the dtype's minimum, so p_loss + n_loss cannot overflow.)
    left_out = float(arrays.get_array_module(distance.data).finfo(dtype).min) / 4
    p_loss = ops.logsumexp(ops.where(positive, pos_logits, left_out), axis=1)
    n_loss = ops.logsumexp(ops.where(negative, neg_logits, left_out), axis=1)
    loss = ops.softplus(p_loss + n_loss)
    loss._keras_mask = loss.data > 0
    return loss


class Circle(LossFunctionWrapper):
    """Circle loss (``"circle"``) between integer labels and L2-normalised embeddings."""

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal
