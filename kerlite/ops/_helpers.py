"""Small helpers shared by the ops: turning inputs into tensors, undoing broadcasting."""

from kerlite.autodiff.tensor import Tensor, as_tensor


def tensors(x1, x2):
    """Both operands as Tensors; a Python number takes the other operand's dtype."""
    if isinstance(x1, Tensor):
        return x1, as_tensor(x2, like=x1)
    x2 = as_tensor(x2)
    return as_tensor(x1, like=x2), x2


def unbroadcast(grad, shape):
    """Sum ``grad`` over the axes that broadcasting added or stretched to reach ``shape``.

    If ``y = x + b`` broadcast ``b`` from ``shape``, then ``dL/db`` is ``dL/dy`` summed
    over those axes.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def normalize_axis(axis, ndim):
    """``axis`` (None, int or sequence, negatives allowed) as a tuple of positive ints."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim if ndim else 0 for a in axis)
