"""Cross-entropies as fused ops (``keras.ops.categorical_crossentropy`` and friends).

One op each, with a hand-written backward rule, so a loss costs one recorded node, not
ten. Formulas, for target t and predicted probabilities p (or logits z):

    categorical:  -sum(t * log p) along ``axis``; with logits log p = log_softmax(z)
    binary:       -(t log p + (1 - t) log(1 - p)), elementwise

As in Keras, probabilities are first rescaled to sum to 1 (categorical) and clipped to
[epsilon, 1 - epsilon] so log never sees 0.
"""

from kerlite import arrays
from kerlite.autodiff.tensor import as_tensor, record
from kerlite.arrays import get_array_module
from kerlite.ops._helpers import float_tensor, normalize_axis
from kerlite.ops.indexing import one_hot


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot (or soft) targets and predictions along ``axis``."""
    output = float_tensor(output)
    target = as_tensor(target)
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    if output.ndim < 1:
        raise ValueError("Arguments `target` and `output` must be at least rank 1.")
    return _crossentropy(target, output, from_logits, axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """As categorical_crossentropy, with integer class indices as targets."""
    output = float_tensor(output)
    labels = as_tensor(target).data.astype("int32")
    if labels.ndim == output.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if output.ndim < 1 or tuple(labels.shape) != output.shape[:-1]:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape up until the "
            f"last dimension: target.shape={tuple(labels.shape)}, "
            f"output.shape={output.shape}. Targets are class indices, one per sample."
        )
    classes = output.shape[axis]
    in_range = labels.size == 0 or (labels.min() >= 0 and labels.max() < classes)
    if in_range and normalize_axis(axis, output.ndim) == (output.ndim - 1,):
        return sparse_crossentropy_last_axis(labels, output, from_logits)
    onehot = one_hot(labels, classes, axis=axis, dtype=output.dtype)
    return _crossentropy(onehot, output, from_logits, axis)


def sparse_crossentropy_last_axis(labels, output, from_logits):
    """The sparse cross-entropy along the last axis, for labels already known to be in
    range: only each row's own class enters, so no one-hot matrix is made.

        logits:        loss = logsumexp(z) - z[label],   d/dz = softmax(z) - onehot
        probabilities: loss = -log(clip(p[label])) with p = z / sum(z),
                       d/dz = (1 - onehot / p[label]) / sum(z)   (0 where clipped)
    """
    xp = get_array_module(output.data)
    z = output.data
    rows = z.reshape(-1, z.shape[-1])
    picked = (xp.arange(rows.shape[0]), labels.reshape(-1))
    if from_logits:
        shifted = rows - rows.max(axis=1, keepdims=True)
        exp = xp.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        loss = xp.log(total[:, 0]) - shifted[picked]

        def backward(g):
            grad = exp / total
            grad[picked] -= 1
            grad *= g.reshape(-1, 1)
            return (grad.reshape(z.shape),)
    else:
        eps = z.dtype.type(arrays.epsilon())
        norm = rows.sum(axis=1, keepdims=True)
        p = rows[picked] / norm[:, 0]
        inside = (p > eps) & (p < 1 - eps)
        loss = -xp.log(xp.clip(p, eps, 1 - eps))

        def backward(g):
            scale = g.reshape(-1) * inside / norm[:, 0]
            grad = xp.broadcast_to(scale[:, None], rows.shape).copy()
            grad[picked] -= scale / xp.where(inside, p, 1)
            return (grad.reshape(z.shape),)

    return record(loss.reshape(labels.shape), (output,), backward)


def _crossentropy(target, output, from_logits, axis):
    xp = get_array_module(output.data)
    t = target.data.astype(output.data.dtype, copy=False)
    z = output.data
    axes = normalize_axis(axis, output.ndim)
    if from_logits:
        shifted = z - z.max(axis=axes, keepdims=True)
        log_p = shifted - xp.log(xp.exp(shifted).sum(axis=axes, keepdims=True))
        total = t.sum(axis=axes, keepdims=True)

        def backward(g):
            g = xp.expand_dims(g, axes)
            # d/dz = softmax(z) * sum(t) - t
            return (g * (xp.exp(log_p) * total - t), g * -log_p)
    else:
        eps = arrays.epsilon()
        norm = z.sum(axis=axes, keepdims=True)
        p = z / norm
        inside = (p > eps) & (p < 1 - eps)
        log_p = xp.log(xp.clip(p, eps, 1 - eps))

        def backward(g):
            g = xp.expand_dims(g, axes)
            # d/dp = -t/p (0 where clipped); p = z / sum(z) passes it on as
            # d/dz_j = (d/dp_j - sum_k d/dp_k p_k) / sum(z)
            grad_p = xp.where(inside, -t / xp.where(inside, p, 1), 0) * g
            grad_z = (grad_p - (grad_p * p).sum(axis=axes, keepdims=True)) / norm
            return (grad_z, g * -log_p)

    loss = -(t * log_p).sum(axis=axes)
    return record(loss, (output, target), backward)


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy between targets in [0, 1] and predictions."""
    output = float_tensor(output)
    target = as_tensor(target)
    if target.shape != output.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. Received: "
            f"target.shape={target.shape}, output.shape={output.shape}"
        )
    xp = get_array_module(output.data)
    t = target.data.astype(output.data.dtype, copy=False)
    z = output.data
    if from_logits:
        # -(t log s(z) + (1-t) log(1 - s(z))) = softplus(z) - t z, without overflow
        loss = xp.logaddexp(z, 0) - t * z
        prob = 0.5 + 0.5 * xp.tanh(0.5 * z)

        def backward(g):
            return (g * (prob - t), g * -z)
    else:
        eps = arrays.epsilon()
        p = xp.clip(z, eps, 1 - eps)
        inside = (z > eps) & (z < 1 - eps)
        log_p, log_q = xp.log(p), xp.log(1 - p)
        loss = -(t * log_p + (1 - t) * log_q)

        def backward(g):
            grad_p = (1 - t) / (1 - p) - t / p
            return (g * grad_p * inside, g * (log_q - log_p))

    return record(loss, (output, target), backward)
